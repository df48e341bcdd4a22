"""The Algemene termijnenwet calendar, and organisation calendars beside it.

Atw (BWBR0002448) art 3:

1. "Algemeen erkende feestdagen in de zin van deze wet zijn: de Nieuwjaarsdag,
   de Christelijke tweede Paas- en Pinksterdag, de beide Kerstdagen, de
   Hemelvaartsdag, de dag waarop de verjaardag van de Koning wordt gevierd en de
   vijfde mei."
2. "Voor de toepassing van deze wet wordt de Goede Vrijdag met de in het vorige
   lid genoemde dagen gelijkgesteld."
3. "Wij kunnen bepaalde dagen voor de toepassing van deze wet met de in het
   eerste lid genoemde gelijkstellen." — these royal-decree days are data
   (``atw_gelijkgesteld.json``) that a host extends without a new release.

Koningsdag is 27 April, or Saturday 26 April when 27 April is a Sunday (Besluit
van 30 januari 2013, Stcrt. 2013, 4075).

Days an organisation is closed (24 and 31 December, a local biddag) are working
days for statutory terms; they live in an :class:`OrganisationCalendar`, which is
only for local working-day rules. Such a local calendar skips only the public
holidays of art 3 lid 1; Goede Vrijdag (lid 2) and the designated days (lid 3)
are Atw days and count on it only where the regulation says so.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from functools import cached_property
from importlib import resources
from types import MappingProxyType

import attrs
from dateutil.easter import EASTER_WESTERN, easter

__all__ = [
    "ATW",
    "AtwCalendar",
    "OrganisationCalendar",
    "WorkingCalendar",
    "easter_sunday",
    "load_designated_days",
]

#: The range of years for which day tables are precomputed; outside it the
#: calendar still answers, just without the lookup tables.
FIRST_YEAR = 1990
LAST_YEAR = 2100

ART_1 = "Atw art 1 lid 1"
ART_3_1 = "Atw art 3 lid 1"
ART_3_2 = "Atw art 3 lid 2"
ART_3_3 = "Atw art 3 lid 3"


def easter_sunday(year: int) -> dt.date:
    """Gregorian Easter Sunday, from ``dateutil.easter`` (installed with pendulum).

    It gave the same dates as the Meeus/Jones/Butcher computus klachtflow used
    before, for every year from 1583 to 4099 (``tests/rules/test_calendar.py``).
    """
    return easter(year, EASTER_WESTERN)


def load_designated_days(text: str) -> Mapping[dt.date, str]:
    """Parse designated days (Atw art 3 lid 3) from JSON.

    The format is ``{"dagen": [{"datum": "2026-05-15", "bron": "Stcrt. 2025, 24713"}]}``.
    """
    data = json.loads(text)
    return MappingProxyType(
        {
            dt.date.fromisoformat(item["datum"]): str(item.get("bron", ART_3_3))
            for item in data["dagen"]
        }
    )


def _shipped_designated_days() -> Mapping[dt.date, str]:
    text = (
        resources.files(__package__)
        .joinpath("atw_gelijkgesteld.json")
        .read_text("utf-8")
    )
    return load_designated_days(text)


def _read_only(days: Mapping[dt.date, str]) -> Mapping[dt.date, str]:
    return MappingProxyType(dict(days))


def _date_set(days: Iterable[dt.date]) -> frozenset[dt.date]:
    return frozenset(days)


def _default_atw() -> AtwCalendar:
    return ATW


class WorkingCalendar:
    """What every calendar answers: is a day a working day, and if not, why not."""

    name: str

    @property
    def atw(self) -> AtwCalendar:
        """The Atw calendar beneath this one: statutory terms roll forward on it."""
        raise NotImplementedError

    def non_working_reason(self, day: dt.date) -> str | None:
        """``None`` for a working day, else the reason with its article."""
        raise NotImplementedError

    def is_workday(self, day: dt.date) -> bool:
        """True when ``day`` counts as a working day on this calendar."""
        return self.non_working_reason(day) is None

    @cached_property
    def tables(self) -> tuple[int, list[int], list[int]]:
        """Precomputed day tables for the years FIRST_YEAR..LAST_YEAR.

        (first ordinal, cumulative working days up to and including each day,
        the ordinals of all working days). Built once per calendar, on first use.
        """
        first = dt.date(FIRST_YEAR, 1, 1).toordinal()
        last = dt.date(LAST_YEAR, 12, 31).toordinal()
        cumulative: list[int] = []
        workdays: list[int] = []
        count = 0
        for ordinal in range(first, last + 1):
            if self.is_workday(dt.date.fromordinal(ordinal)):
                count += 1
                workdays.append(ordinal)
            cumulative.append(count)
        return first, cumulative, workdays

    @cached_property
    def next_workday_table(self) -> list[int]:
        """For each day in the table range: the ordinal of the first working day on or after it."""
        _, cumulative, workdays = self.tables
        # The first working day on or after day i is the one with index
        # cumulative[i-1] (the count of working days strictly before it).
        table = []
        before = 0
        for i in range(len(cumulative)):
            table.append(workdays[before] if before < len(workdays) else -1)
            before = cumulative[i]
        return table

    def legal_end(self, start: int, raw_end: int) -> dt.date:
        """Atw art 2 then art 1 lid 1 for a forward term, by ordinals (fast path).

        ``start`` is the event day, ``raw_end`` the counted end (both ordinals).
        """
        first, cumulative, workdays = self.tables
        i, j = start - first, raw_end - first
        if i >= 0 and j < len(cumulative) - 7:
            if raw_end - start >= 3 and cumulative[j] - cumulative[i] < 2:
                return dt.date.fromordinal(workdays[cumulative[i] + 1])
            return dt.date.fromordinal(self.next_workday_table[j])
        end = raw_end
        if raw_end - start >= 3:
            while (
                self.workdays_between(
                    dt.date.fromordinal(start), dt.date.fromordinal(end)
                )
                < 2
            ):
                end += 1
        return self.next_workday(dt.date.fromordinal(end))

    def next_workday(self, day: dt.date) -> dt.date:
        """``day`` itself when it is a working day, else the first one after it."""
        while not self.is_workday(day):
            day += dt.timedelta(days=1)
        return day

    def workdays_between(self, after: dt.date, until: dt.date) -> int:
        """Working days in the period after ``after`` up to and including ``until``."""
        if until <= after:
            return 0
        first, cumulative, _ = self.tables
        i, j = after.toordinal() - first, until.toordinal() - first
        if i >= 0 and j < len(cumulative):
            return cumulative[j] - cumulative[i]
        return sum(
            self.is_workday(after + dt.timedelta(days=n))
            for n in range(1, (until - after).days + 1)
        )

    def add_workdays(self, day: dt.date, count: int) -> dt.date:
        """The ``count``-th working day after ``day`` (``day`` itself not counted).

        A negative ``count`` counts backwards: ``-1`` is the last working day
        before ``day``. ``0`` returns ``day`` unchanged.
        """
        if count == 0:
            return day
        first, cumulative, workdays = self.tables
        i = day.toordinal() - first
        if 0 <= i < len(cumulative):
            if count > 0:
                index = cumulative[i] + count - 1
            else:
                index = cumulative[i] - int(self.is_workday(day)) + count
            if 0 <= index < len(workdays):
                return dt.date.fromordinal(workdays[index])
        step = 1 if count > 0 else -1
        remaining = abs(count)
        while remaining:
            day += dt.timedelta(days=step)
            if self.is_workday(day):
                remaining -= 1
        return day


@attrs.frozen(eq=False, slots=False)
class AtwCalendar(WorkingCalendar):
    """The calendar of the Algemene termijnenwet: Saturdays, Sundays and art 3 days.

    ``designated`` holds the days equated with holidays by royal decree (art 3
    lid 3), with their source; by default the days klachtflow ships (up to 2028).
    A host adds newly designated days without a release:
    ``AtwCalendar(designated={**ATW.designated, dt.date(2029, 5, 11): "Stcrt. ..."})``.
    """

    designated: Mapping[dt.date, str] = attrs.field(
        factory=_shipped_designated_days, converter=_read_only
    )
    name: str = "atw"

    @property
    def atw(self) -> AtwCalendar:
        """This calendar itself."""
        return self

    def holidays(self, year: int) -> dict[dt.date, str]:
        """Every Atw holiday of ``year`` with its name and article."""
        easter = easter_sunday(year)
        kingsday = dt.date(year, 4, 27)
        if kingsday.weekday() == 6:
            kingsday = dt.date(year, 4, 26)
        days = {
            dt.date(year, 1, 1): f"Nieuwjaarsdag — {ART_3_1}",
            easter - dt.timedelta(days=2): f"Goede Vrijdag — {ART_3_2}",
            easter + dt.timedelta(days=1): f"tweede Paasdag — {ART_3_1}",
            kingsday: f"Koningsdag — {ART_3_1}",
            dt.date(year, 5, 5): f"vijfde mei — {ART_3_1}",
            easter + dt.timedelta(days=39): f"Hemelvaartsdag — {ART_3_1}",
            easter + dt.timedelta(days=50): f"tweede Pinksterdag — {ART_3_1}",
            dt.date(year, 12, 25): f"eerste Kerstdag — {ART_3_1}",
            dt.date(year, 12, 26): f"tweede Kerstdag — {ART_3_1}",
        }
        for day, source in self.designated.items():
            if day.year == year:
                days.setdefault(day, f"gelijkgestelde dag ({source}) — {ART_3_3}")
        return days

    @cached_property
    def _holiday_cache(self) -> dict[int, dict[dt.date, str]]:
        return {}

    def non_working_reason(self, day: dt.date) -> str | None:
        """Saturday, Sunday or an Atw holiday, with the article; ``None`` otherwise."""
        year = self._holiday_cache.get(day.year)
        if year is None:
            year = self._holiday_cache.setdefault(day.year, self.holidays(day.year))
        holiday = year.get(day)
        if holiday is not None:
            return holiday
        weekday = day.weekday()
        if weekday == 5:
            return f"zaterdag — {ART_1}"
        if weekday == 6:
            return f"zondag — {ART_1}"
        return None


@attrs.frozen(eq=False, slots=False)
class OrganisationCalendar(WorkingCalendar):
    """An organisation's working days, for local working-day rules only.

    A local term ("binnen 5 werkdagen contact") is not an Atw term (Atw art 1
    lid 1 covers terms "in een wet gesteld"), so it does not count the days
    the Atw only equates with holidays for its own purposes. Its days off are:
    Saturdays and Sundays, the public holidays of Atw art 3 lid 1, and the
    organisation's ``closing_days``. The Atw's additions count only where the
    regulation says so: ``good_friday`` (art 3 lid 2, "Voor de toepassing van
    deze wet wordt de Goede Vrijdag ... gelijkgesteld") and ``designated_days``
    (art 3 lid 3, the royal-decree days such as 2 January 2026). Statutory
    terms always use the pure :class:`AtwCalendar` (``base``).
    """

    name: str
    closing_days: frozenset[dt.date] = attrs.field(
        converter=_date_set, default=frozenset()
    )
    base: AtwCalendar = attrs.field(factory=_default_atw)
    good_friday: bool = False
    designated_days: bool = False

    @classmethod
    def from_days(
        cls,
        name: str,
        closing_days: Iterable[dt.date],
        *,
        base: AtwCalendar | None = None,
        good_friday: bool = False,
        designated_days: bool = False,
    ) -> OrganisationCalendar:
        """Build one from a list of closing days (e.g. a procedure's ``kalenders``)."""
        return cls(
            name=name,
            closing_days=_date_set(closing_days),
            base=base or ATW,
            good_friday=good_friday,
            designated_days=designated_days,
        )

    @property
    def atw(self) -> AtwCalendar:
        """The Atw calendar this organisation calendar builds on."""
        return self.base

    @cached_property
    def _left_out(self) -> dict[int, frozenset[dt.date]]:
        return {}

    def _atw_only(self, year: int) -> frozenset[dt.date]:
        """The days of ``year`` that are holidays only for the Atw's own terms."""
        days = self._left_out.get(year)
        if days is None:
            statutory = self.base.holidays(year)
            only: set[dt.date] = set()
            if not self.good_friday:
                only.add(easter_sunday(year) - dt.timedelta(days=2))
            if not self.designated_days:
                only.update(
                    day
                    for day, reason in statutory.items()
                    if reason.endswith(ART_3_3) and day in self.base.designated
                )
            days = self._left_out.setdefault(year, frozenset(only))
        return days

    def non_working_reason(self, day: dt.date) -> str | None:
        """Weekend, public holiday or closing day, with its source; ``None`` otherwise."""
        reason = self.base.non_working_reason(day)
        if reason is not None and day in self._atw_only(day.year):
            reason = None
            weekday = day.weekday()
            if weekday >= 5:  # pragma: no cover - Good Friday and KB days are weekdays
                reason = f"{'zaterdag' if weekday == 5 else 'zondag'} — {ART_1}"
        if reason is None and day in self.closing_days:
            return f"sluitingsdag van {self.name} — eigen kalender"
        return reason


#: The Atw calendar with the designated days klachtflow ships.
ATW = AtwCalendar()
