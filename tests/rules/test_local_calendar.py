"""Local working-day terms count on the organisation's own working days (issue #17 item 1).

Atw (BWBR0002448) art 1 lid 1: "Een in een wet gestelde termijn die op een
zaterdag, zondag of algemeen erkende feestdag eindigt, wordt verlengd ..." — a
klachtenregeling is no "wet", so its "binnen 5 werkdagen" is counted on the
organisation's calendar: weekends, the public holidays of art 3 lid 1 ("de
Nieuwjaarsdag, de Christelijke tweede Paas- en Pinksterdag, de beide
Kerstdagen, de Hemelvaartsdag, de dag waarop de verjaardag van de Koning wordt
gevierd en de vijfde mei") and its own closing days.

The Atw's own additions hold "voor de toepassing van deze wet" only: art 3 lid
2 ("Voor de toepassing van deze wet wordt de Goede Vrijdag met de in het
vorige lid genoemde dagen gelijkgesteld") and art 3 lid 3 ("Wij kunnen
bepaalde dagen voor de toepassing van deze wet met de in het eerste lid
genoemde gelijkstellen", e.g. 2 January 2026, Stcrt. 2025, 24713). A local
calendar counts them only when the regulation says so (``goede_vrijdag``,
``gelijkgestelde_dagen``).
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from klachtflow import builtin_procedure, loads_procedure
from klachtflow.definition.model import Duration
from klachtflow.definition.templates import template_text
from klachtflow.rules.calendar import ATW, OrganisationCalendar
from klachtflow.rules.clocks import calendar_for
from klachtflow.rules.terms import compute

D = dt.date
FIVE = Duration.parse("5 werkdagen")
NEW_YEARS_EVE = D(2025, 12, 31)  # Wed; Thu 1 Jan holiday, Fri 2 Jan designated (lid 3)


def local(
    *, good_friday: bool = False, designated_days: bool = False
) -> OrganisationCalendar:
    return OrganisationCalendar.from_days(
        "gemeente", [], good_friday=good_friday, designated_days=designated_days
    )


class TestDesignatedDays:
    def test_a_local_term_counts_2_january_2026_as_a_working_day(self) -> None:
        """Passing: 31-12-2025 + 5 werkdagen = Thu 8 January 2026 (2, 5, 6, 7, 8 Jan)."""
        assert D(2026, 1, 8) == compute(NEW_YEARS_EVE, FIVE, calendar=local()).end
        assert local().is_workday(D(2026, 1, 2))

    def test_a_statutory_term_still_skips_2_january_2026(self) -> None:
        """Failing for the local reading: on the Atw calendar 2 Jan is a holiday → 9 Jan."""
        assert not ATW.is_workday(D(2026, 1, 2))
        assert D(2026, 1, 9) == compute(NEW_YEARS_EVE, FIVE, calendar=ATW).end

    def test_a_regulation_may_adopt_the_designated_days(self) -> None:
        """``gelijkgestelde_dagen: true``: the art 3 lid 3 days count as days off again."""
        calendar = local(designated_days=True)

        assert D(2026, 1, 9) == compute(NEW_YEARS_EVE, FIVE, calendar=calendar).end
        assert "Atw art 3 lid 3" in (calendar.non_working_reason(D(2026, 1, 2)) or "")

    def test_lid_1_holidays_are_never_working_days(self) -> None:
        """Nieuwjaarsdag and Koningsdag are days off on every local calendar."""
        for day in (D(2026, 1, 1), D(2026, 4, 27), D(2026, 5, 5), D(2026, 12, 25)):
            assert not local().is_workday(day)


class TestGoodFriday:
    def test_good_friday_is_a_local_working_day_by_default(self) -> None:
        """Passing: Goede Vrijdag 3 April 2026 is equated by the Atw only (lid 2)."""
        assert local().is_workday(D(2026, 4, 3))
        assert not ATW.is_workday(D(2026, 4, 3))

    def test_a_regulation_may_close_on_good_friday(self) -> None:
        """Failing without the key: ``goede_vrijdag: true`` makes 3 April 2026 a day off."""
        calendar = local(good_friday=True)

        assert not calendar.is_workday(D(2026, 4, 3))
        assert calendar.is_workday(D(2026, 1, 2))


@given(st.dates(min_value=D(1991, 1, 1), max_value=D(2099, 12, 31)))
def test_a_local_calendar_is_the_atw_minus_its_additions(day: dt.date) -> None:
    """With both keys and no closing days a local calendar equals the Atw calendar;
    without them, every local day off is an Atw day off, and only lid 2/3 days differ."""
    assert local(good_friday=True, designated_days=True).is_workday(
        day
    ) == ATW.is_workday(day)
    if not local().is_workday(day):
        assert not ATW.is_workday(day)
    if local().is_workday(day) and not ATW.is_workday(day):
        reason = ATW.non_working_reason(day) or ""
        assert "art 3 lid 2" in reason or "art 3 lid 3" in reason


def _with_calendar(extra: str) -> str:
    text = template_text("gemeente-awb")
    head = "    sluitingsdagen: []\n"
    assert head in text
    return text.replace(head, head + extra, 1)


class TestYaml:
    def test_the_templates_count_on_the_local_calendar(self) -> None:
        """gemeente-awb: ontvangstbevestiging (local, 5 werkdagen) skips no KB day."""
        procedure = builtin_procedure("gemeente-awb")
        term = procedure.terms["ontvangstbevestiging"]
        calendar = calendar_for(procedure, term)

        assert D(2026, 1, 8) == compute(NEW_YEARS_EVE, FIVE, calendar=calendar).end

    def test_gelijkgestelde_dagen_in_yaml(self) -> None:
        """``kalenders.gemeente.gelijkgestelde_dagen: true`` reaches the calendar."""
        procedure = loads_procedure(
            _with_calendar("    gelijkgestelde_dagen: true\n    goede_vrijdag: true\n")
        )
        term = procedure.terms["ontvangstbevestiging"]
        calendar = calendar_for(procedure, term)

        assert procedure.calendars["gemeente"].designated_days
        assert D(2026, 1, 9) == compute(NEW_YEARS_EVE, FIVE, calendar=calendar).end
        assert not calendar.is_workday(D(2026, 4, 3))
