"""Computing a term's end as the law counts it, and explaining every day it moved.

The event day is not counted (law.md §3.3). "N weken" ends on the same weekday
N weeks later; "N maanden" on the same day of the month, clipped to the month's
last day; "N jaar" likewise (29 February + 1 jaar = 28 February). "N werkdagen"
is the N-th working day after the event on the term's calendar.

Then the Algemene termijnenwet (BWBR0002448), unless art 4 or art 1 lid 2
excludes the term:

- art 2: "Een in een wet gestelde termijn van ten minste drie dagen wordt, zo
  nodig, zoveel verlengd, dat daarin ten minste twee dagen voorkomen die niet een
  zaterdag, zondag of algemeen erkende feestdag zijn."
- art 1 lid 1: "Een in een wet gestelde termijn die op een zaterdag, zondag of
  algemeen erkende feestdag eindigt, wordt verlengd tot en met de eerstvolgende
  dag die niet een zaterdag, zondag of algemeen erkende feestdag is."

:func:`due_date` is the fast path (no objects, table lookups only);
:func:`compute` returns a :class:`Deadline` that explains itself.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from collections.abc import Callable, Sequence
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Any

import attrs

from klachtflow.definition.model import (
    Direction,
    Duration,
    LegalBasis,
    TermAnchor,
    Unit,
)
from klachtflow.exceptions import TermError
from klachtflow.rules.calendar import ATW, AtwCalendar, WorkingCalendar

__all__ = [
    "ATW_BASIS",
    "Deadline",
    "Shift",
    "add_duration",
    "apply_atw",
    "atw_applies",
    "compute",
    "compute_quick",
    "due_date",
    "due_rule",
    "extend",
]

#: The Algemene termijnenwet articles a deadline cites for how it was computed.
ATW_BWB = "BWBR0002448"
ATW_BASIS = (
    LegalBasis(wet="Atw", artikel="1", lid=1, bwb=ATW_BWB),
    LegalBasis(wet="Atw", artikel="2", bwb=ATW_BWB),
)
ATW_ART_4 = LegalBasis(wet="Atw", artikel="4", bwb=ATW_BWB)
ATW_ART_1_2 = LegalBasis(wet="Atw", artikel="1", lid=2, bwb=ATW_BWB)

ART_2_REASON = "Atw art 2: de termijn moet ten minste twee werkdagen bevatten"


@attrs.frozen
class Shift:
    """One day a deadline moved past, with the reason and its article."""

    day: dt.date
    reason: str

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.reason}"


@attrs.frozen(slots=False)
class Deadline:
    """A computed term end that explains itself.

    ``raw_end`` is the end by counting alone; ``end`` the legal end after the
    Atw; ``shifts`` lists each day passed over, with its reason. For an
    extension, ``previous`` is the deadline it extends and ``anchor`` the day it
    was counted from.

    A deadline made by :func:`compute_quick` works out ``shifts`` (the
    day-by-day explanation) when it is first read; it is equal, in value, hash
    and repr, to the one :func:`compute` makes.
    """

    start: dt.date
    duration: Duration
    raw_end: dt.date
    end: dt.date
    shifts: tuple[Shift, ...] = ()
    atw: bool = True
    atw_note: str = ""
    direction: Direction = Direction.VOORUIT
    calendar: str = "atw"
    basis: tuple[LegalBasis, ...] = ()
    previous: Deadline | None = None
    anchor_mode: TermAnchor | None = None
    label: str | None = None

    if not TYPE_CHECKING:  # mypy keeps checking attribute names

        def __getattr__(self, name: str) -> Any:
            # Reached only for an attribute that is not set: the shifts of a
            # deadline from compute_quick, before they are first read.
            pending = self.__dict__.get("_pending") if name == "shifts" else None
            if pending is None:
                raise AttributeError(name)
            start, raw_end, calendar = pending
            shifts = apply_atw(start, raw_end, calendar=calendar)[1]
            object.__setattr__(self, "shifts", shifts)
            self.__dict__.pop("_pending", None)
            return shifts

    def explain(self) -> list[str]:
        """Dutch lines for people: how the end was reached, day by day."""
        lines = [] if self.previous is None else self.previous.explain()
        verb = "terug vanaf" if self.direction is Direction.TERUG else "na"
        if self.label is not None:
            lines.append(self.label)
        elif self.previous is None:
            lines.append(
                f"Termijn van {self.duration} {verb} {self.start.isoformat()} (die dag telt niet mee)."
            )
        else:
            mode = self.anchor_mode.value if self.anchor_mode else "gekoppeld"
            lines.append(
                f"Verlengd met {self.duration} vanaf {self.start.isoformat()} (anker: {mode})."
            )
        if self.label is None:
            lines.append(
                f"Einde door tellen: {self.raw_end.isoformat()} ({_weekday(self.raw_end)})."
            )
            lines.extend(f"  {shift}" for shift in self.shifts)
        lines.append(self.atw_note)
        lines.append(f"Einde: {self.end.isoformat()} ({_weekday(self.end)}).")
        return lines

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready mapping (``klachtflow termijn --json``)."""
        out: dict[str, object] = {
            "start": self.start.isoformat(),
            "duur": str(self.duration),
            "einde_ruw": self.raw_end.isoformat(),
            "einde": self.end.isoformat(),
            "verschoven": [
                {"datum": s.day.isoformat(), "reden": s.reason} for s in self.shifts
            ],
            "atw": self.atw,
            "toelichting": self.atw_note,
            "richting": self.direction.value,
            "kalender": self.calendar,
            "grondslag": [{"tekst": str(b), "url": b.url} for b in self.basis],
        }
        if self.previous is not None:
            out["vorige"] = self.previous.as_dict()
            out["anker"] = (self.anchor_mode or TermAnchor.GEKOPPELD).value
        return out


_WEEKDAYS = (
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
)


def _weekday(day: dt.date) -> str:
    return _WEEKDAYS[day.weekday()]


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = _calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def add_duration(
    start: dt.date,
    duration: Duration,
    *,
    calendar: WorkingCalendar = ATW,
    direction: Direction = Direction.VOORUIT,
) -> dt.date:
    """The raw end: ``start`` plus (or minus) ``duration``, before any Atw correction."""
    sign = -1 if direction is Direction.TERUG else 1
    amount = duration.amount * sign
    unit = duration.unit
    if unit is Unit.DAGEN:
        return start + dt.timedelta(days=amount)
    if unit is Unit.WEKEN:
        return start + dt.timedelta(weeks=amount)
    if unit is Unit.MAANDEN:
        return _add_months(start, amount)
    if unit is Unit.JAREN:
        return _add_months(start, 12 * amount)
    if unit is Unit.WERKDAGEN:
        return calendar.add_workdays(start, amount)
    msg = f"Een termijn van {duration} vraagt een tijdstip, geen datum."
    raise TermError(
        msg,
        hint="Termijnen in uren rekent klachtflow niet uit; gebruik dagen of werkdagen.",
    )


def atw_applies(
    duration: Duration,
    *,
    direction: Direction = Direction.VOORUIT,
    stated: bool | None = None,
) -> tuple[bool, str, tuple[LegalBasis, ...]]:
    """Whether the Atw applies to a term, why (Dutch), and the articles that say so."""
    if stated is False:
        return False, "De Algemene termijnenwet is voor deze termijn uitgezet.", ()
    if direction is Direction.TERUG:
        return (
            False,
            "Geen verlenging: terugrekenende termijn (Atw art 1 lid 2).",
            (ATW_ART_1_2,),
        )
    if duration.unit is Unit.WERKDAGEN:
        return (
            False,
            "Werkdagentermijn: telt alleen werkdagen van de kalender; de Atw voegt niets toe.",
            (),
        )
    if duration.atw_excluded:
        return (
            False,
            f"De Algemene termijnenwet geldt niet voor een termijn van {duration} (Atw art 4).",
            (ATW_ART_4,),
        )
    return True, "Algemene termijnenwet toegepast (art 1 lid 1, art 2).", ATW_BASIS


def apply_atw(
    start: dt.date, raw_end: dt.date, *, calendar: AtwCalendar = ATW
) -> tuple[dt.date, tuple[Shift, ...]]:
    """Atw art 2, then art 1 lid 1, on a forward term; returns the end and the days passed."""
    shifts: list[Shift] = []
    end = raw_end
    if (raw_end - start).days >= 3:
        while calendar.workdays_between(start, end) < 2:
            shifts.append(Shift(end, calendar.non_working_reason(end) or ART_2_REASON))
            end += dt.timedelta(days=1)
    while (reason := calendar.non_working_reason(end)) is not None:
        shifts.append(Shift(end, reason))
        end += dt.timedelta(days=1)
    return end, tuple(shifts)


def compute(
    start: dt.date,
    duration: Duration,
    *,
    calendar: WorkingCalendar = ATW,
    atw: bool | None = None,
    direction: Direction = Direction.VOORUIT,
    basis: Sequence[LegalBasis] = (),
) -> Deadline:
    """The deadline of a term that starts after the event on ``start``.

    ``atw=None`` derives whether the Atw applies (art 4, art 1 lid 2);
    ``atw=False`` switches it off. The Atw is applied on ``calendar.atw`` even
    when ``calendar`` is an organisation calendar: closing days of the
    organisation never extend a statutory term.
    """
    raw = add_duration(start, duration, calendar=calendar, direction=direction)
    applies, note, cited = atw_applies(duration, direction=direction, stated=atw)
    end, shifts = apply_atw(start, raw, calendar=calendar.atw) if applies else (raw, ())
    return Deadline(
        start=start,
        duration=duration,
        raw_end=raw,
        end=end,
        shifts=shifts,
        atw=applies,
        atw_note=note,
        direction=direction,
        calendar=calendar.name,
        basis=(*basis, *cited),
    )


#: The units whose forward Atw terms compile to :func:`due_rule` (the quick path).
_QUICK_UNITS = frozenset({Unit.DAGEN, Unit.WEKEN, Unit.MAANDEN, Unit.JAREN})
_ATW_NOTE = atw_applies(Duration(1, Unit.DAGEN))[1]


_Quick = tuple[
    Callable[[dt.date], dt.date], dt.timedelta | None, WorkingCalendar, dict[str, Any]
]


@lru_cache(maxsize=256)
def _quick(duration: Duration, calendar: WorkingCalendar) -> _Quick | None:
    """What :func:`compute_quick` needs of one term on one calendar, once:
    the compiled rule, the raw step (days and weeks), its Atw calendar and the
    fields every such deadline shares; None when the term is not a forward
    Atw term."""
    if duration.unit not in _QUICK_UNITS or duration.atw_excluded:
        return None
    step = (
        dt.timedelta(days=duration.amount * (7 if duration.unit is Unit.WEKEN else 1))
        if duration.unit in (Unit.DAGEN, Unit.WEKEN)
        else None
    )
    shared = {
        "duration": duration,
        "atw": True,
        "atw_note": _ATW_NOTE,
        "direction": Direction.VOORUIT,
        "calendar": calendar.name,
        "basis": ATW_BASIS,
        "previous": None,
        "anchor_mode": None,
        "label": None,
    }
    return due_rule(duration, calendar=calendar), step, calendar.atw, shared


def quick_rule(duration: Duration, calendar: WorkingCalendar = ATW) -> _Quick | None:
    """The compiled form :func:`quick_deadline` takes (cached); None when
    ``compute`` must do the work (not a forward Atw term, or an unhashable
    calendar)."""
    try:
        return _quick(duration, calendar)
    except TypeError:  # an unhashable calendar: no cache, no quick path
        return None


def quick_deadline(start: dt.date, duration: Duration, quick: _Quick) -> Deadline:
    """The deadline of ``duration`` after ``start`` from its compiled form
    (:func:`quick_rule`): the end by the compiled rule, the day-by-day
    ``shifts`` worked out only when read."""
    rule, step, atw, shared = quick
    raw = start + step if step is not None else add_duration(start, duration)
    end = rule(start)
    deadline = Deadline.__new__(Deadline)
    values = deadline.__dict__
    values.update(shared)
    values["start"] = start
    values["raw_end"] = raw
    values["end"] = end
    if end == raw:
        values["shifts"] = ()
    else:
        values["_pending"] = (start, raw, atw)
    return deadline


def compute_quick(
    start: dt.date, duration: Duration, *, calendar: WorkingCalendar = ATW
) -> Deadline:
    """``compute(start, duration, calendar=calendar)``, faster.

    A forward term under the Atw takes its end from the compiled rule
    (:func:`due_rule`, compiled once per duration and calendar in a bounded
    cache), and the day-by-day ``shifts`` are worked out only when read. The
    result equals :func:`compute`'s; any other term is computed by it.
    """
    quick = quick_rule(duration, calendar)
    if quick is None:
        return compute(start, duration, calendar=calendar)
    return quick_deadline(start, duration, quick)


def extend(
    deadline: Deadline,
    extension: Duration,
    *,
    anchor: TermAnchor = TermAnchor.GEKOPPELD,
    calendar: WorkingCalendar = ATW,
    atw: bool | None = None,
    basis: Sequence[LegalBasis] = (),
) -> Deadline:
    """A chained term: ``extension`` counted from the end of ``deadline``.

    🔶 law.md §3.3 item 5: the law does not say whether the next term runs from
    the Atw-extended end (``gekoppeld``, the probable legal reading and the
    default) or the raw end (``conservatief``, the earliest date).
    """
    start = deadline.end if anchor is TermAnchor.GEKOPPELD else deadline.raw_end
    chained = compute(start, extension, calendar=calendar, atw=atw, basis=basis)
    return attrs.evolve(chained, previous=deadline, anchor_mode=anchor)


def due_rule(
    duration: Duration,
    *,
    calendar: WorkingCalendar = ATW,
    atw: bool | None = None,
) -> Callable[[dt.date], dt.date]:
    """Compile a term into a function ``start -> legal end``: the bulk path.

    For day and week terms under the Atw the function does a handful of table
    lookups (Atw art 2 and art 1 lid 1 precomputed per day), so deadlines for
    many cases cost well under a microsecond each. Same result as
    ``compute(start, duration, ...).end``.
    """
    applies = atw is not False and not duration.atw_excluded
    if not applies:
        return partial(add_duration, duration=duration, calendar=calendar)
    base = calendar.atw
    if duration.unit not in (Unit.DAGEN, Unit.WEKEN):

        def months(start: dt.date) -> dt.date:
            return base.legal_end(
                start.toordinal(), add_duration(start, duration).toordinal()
            )

        return months
    days = duration.amount * (7 if duration.unit is Unit.WEKEN else 1)
    first, cumulative, workdays = base.tables
    next_workday = base.next_workday_table
    limit = len(cumulative) - 7
    fromordinal = dt.date.fromordinal
    art_2 = days >= 3

    def rule(start: dt.date) -> dt.date:
        i = start.toordinal() - first
        j = i + days
        if i >= 0 and j < limit:
            if art_2 and cumulative[j] - cumulative[i] < 2:
                return fromordinal(workdays[cumulative[i] + 1])
            return fromordinal(next_workday[j])
        return base.legal_end(i + first, j + first)

    return rule


def due_date(
    start: dt.date,
    duration: Duration,
    *,
    calendar: WorkingCalendar = ATW,
    atw: bool | None = None,
) -> dt.date:
    """Only the legal end of a forward term (no explanation).

    Same result as ``compute(...).end``; for many starts with one term, compile
    it once with :func:`due_rule`.
    """
    return due_rule(duration, calendar=calendar, atw=atw)(start)
