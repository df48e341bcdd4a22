"""termijn's quick path (issue #15): the end on the compiled rule, the
day-by-day explanation built when read; equal to the explained path."""

from __future__ import annotations

import datetime as dt
import pickle

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from klachtflow import termijn
from klachtflow.definition.model import Direction, Duration, Term, Unit
from klachtflow.rules.calendar import WorkingCalendar
from klachtflow.rules.terms import compute, compute_quick

DURATIONS = st.builds(
    Duration,
    st.integers(min_value=1, max_value=30),
    st.sampled_from([Unit.DAGEN, Unit.WEKEN, Unit.MAANDEN, Unit.JAREN, Unit.WERKDAGEN]),
)
STARTS = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31))


@settings(deadline=None)  # the first call per duration compiles its rule
@given(start=STARTS, duration=DURATIONS)
def test_quick_equals_the_explained_deadline(
    start: dt.date, duration: Duration
) -> None:
    """Same value, hash, repr, explanation, JSON and pickle as ``compute``."""
    quick, full = compute_quick(start, duration), compute(start, duration)
    assert type(quick) is type(full)
    assert hash(quick) == hash(full)
    assert repr(quick) == repr(full)
    assert quick == full
    assert quick.explain() == full.explain()
    assert quick.as_dict() == full.as_dict()
    assert attrs.asdict(quick) == attrs.asdict(full)
    assert pickle.loads(pickle.dumps(quick)) == full  # noqa: S301 - our own bytes


def test_the_shifts_are_worked_out_only_when_read() -> None:
    """Atw art 3 lid 1 (BWBR0002448): Koningsdag 27 April 2026 is a holiday;
    6 weken from 16 March ends on it and moves to Tuesday 28 April."""
    deadline = termijn("2026-03-16", "6 weken")
    assert "shifts" not in vars(deadline)
    assert dt.date(2026, 4, 28) == deadline.end
    assert [dt.date(2026, 4, 27)] == [s.day for s in deadline.shifts]
    assert "shifts" in vars(deadline)
    # A term that ends on a working day has nothing to work out.
    plain = termijn("2026-03-17", "6 weken")
    assert () == plain.shifts
    assert dt.date(2026, 4, 28) == plain.end


def test_an_unknown_attribute_still_raises() -> None:
    deadline = termijn("2026-03-16", "6 weken")
    assert not hasattr(deadline, "nonsense")


@settings(deadline=None)
@given(start=STARTS, duration=DURATIONS)
def test_termijn_on_a_duration_text_equals_the_explained_deadline(
    start: dt.date, duration: Duration
) -> None:
    """The public call with a text ("6 weken") takes the cached text path;
    it gives what ``compute`` gives, for a date and for its ISO text."""
    full = compute(start, duration)
    for given_start in (start, start.isoformat()):
        quick = termijn(given_start, str(duration))
        assert quick == full
        assert repr(quick) == repr(full)
        assert quick.explain() == full.explain()


def test_termijn_on_a_text_refuses_as_before() -> None:
    """A bad start or duration text is refused with the same errors."""
    import pytest  # noqa: PLC0415 - only here

    from klachtflow.exceptions import InvalidArgument, TermError  # noqa: PLC0415

    with pytest.raises(TermError, match="geen duur"):
        termijn("2026-03-16", "zes weken")
    with pytest.raises(TermError):
        termijn("16-03-2026", "6 weken")
    with pytest.raises(InvalidArgument, match="from 1900 up to 3000"):
        termijn(dt.date(1, 1, 1), "6 weken")
    with pytest.raises(InvalidArgument, match="from 1900 up to 3000"):
        termijn("9999-12-01", "6 weken")


def _template_terms() -> list[tuple[Term, WorkingCalendar]]:
    from klachtflow import builtin_procedure  # noqa: PLC0415
    from klachtflow.definition.templates import template_names  # noqa: PLC0415
    from klachtflow.rules.clocks import calendar_for  # noqa: PLC0415

    found = []
    for name in template_names():
        procedure = builtin_procedure(name)
        for term in procedure.terms.values():
            calendar = calendar_for(procedure, term)
            found.append((term, calendar))
            # The variants the templates lack: backwards, and without the Atw.
            found.append((attrs.evolve(term, direction=Direction.TERUG), calendar))
            found.append((attrs.evolve(term, atw=False), calendar))
    return found


TEMPLATE_TERMS = _template_terms()


@settings(deadline=None)
@given(start=STARTS, which=st.integers(min_value=0, max_value=len(TEMPLATE_TERMS) - 1))
def test_a_clocks_due_date_is_its_explained_deadlines_end(
    start: dt.date, which: int
) -> None:
    """``TermClock.due`` takes the compiled rule for a clock nothing changed;
    it is the end of the explained deadline, for every term of every template
    (forward and backward, Atw or not, working days, organisation calendars)."""
    from klachtflow.rules.clocks import TermClock  # noqa: PLC0415

    term, calendar = TEMPLATE_TERMS[which]
    clock = TermClock(term, start, calendar)
    assert clock.due() == clock.deadline().end


def test_a_clock_on_an_unhashable_calendar_still_has_its_due_date() -> None:
    """A host's own WorkingCalendar need not be hashable: no cache, same date."""
    from klachtflow import builtin_procedure  # noqa: PLC0415
    from klachtflow.rules.calendar import ATW  # noqa: PLC0415
    from klachtflow.rules.clocks import TermClock  # noqa: PLC0415

    class Unhashable(WorkingCalendar):
        name = "eigen"
        __hash__ = None  # type: ignore[assignment]

        @property
        def atw(self) -> object:  # type: ignore[override]
            return ATW

        def non_working_reason(self, day: dt.date) -> str | None:
            return ATW.non_working_reason(day)

    term = builtin_procedure("gemeente-awb").terms["afhandeling"]
    clock = TermClock(term, dt.date(2026, 3, 16), Unhashable())
    assert clock.due() == clock.deadline().end
