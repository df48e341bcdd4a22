"""Term clocks: suspension ledger, capped extension with notice, delay with consent."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klachtflow import TermError, builtin_procedure
from klachtflow.definition.model import Duration, Term, TermTrigger, TriggerKind, Unit
from klachtflow.rules.clocks import ClockState, TermClock, calendar_for
from klachtflow.testing import make_procedure

D = dt.date
P = Duration.parse
PROCEDURE = builtin_procedure("gemeente-awb")
HANDLING = PROCEDURE.terms["afhandeling"]


def suspendable(duration: str = "6 weken", atw: bool | None = None) -> Term:
    procedure = make_procedure(
        termijnen={
            "beslis": {
                "duur": duration,
                "opschortbaar": True,
                "start": {"binnenkomst": "ontvangen"},
                **({} if atw is None else {"atw": atw}),
            }
        }
    )
    return procedure.terms["beslis"]


class TestAwb911Extension:
    """Awb 9:11 lid 2: "Het bestuursorgaan kan de afhandeling voor ten hoogste vier weken
    verdagen. Van de verdaging wordt schriftelijk mededeling gedaan aan de klager en
    aan degene op wiens gedraging de klacht betrekking heeft." """

    def test_extension_up_to_four_weeks(self) -> None:
        """Row 16: 6 weeks from 2 March, extended by 4 weeks → 11 May 2026."""
        clock = TermClock(HANDLING, D(2026, 3, 2)).extend(
            P("4 weken"), D(2026, 4, 1), notified=["klager", "beklaagde"]
        )

        assert D(2026, 5, 11) == clock.due()
        assert not clock.extensions[0].late

    def test_extension_in_steps_within_the_maximum(self) -> None:
        """Two steps of two weeks stay within the maximum of four."""
        clock = TermClock(HANDLING, D(2026, 3, 2))
        for on in (D(2026, 4, 1), D(2026, 4, 20)):
            clock = clock.extend(P("2 weken"), on, notified=["klager", "beklaagde"])

        assert D(2026, 5, 11) == clock.due()

    def test_beyond_the_maximum_is_refused(self) -> None:
        """A fifth week is refused, pointing at consent for further delay."""
        clock = TermClock(HANDLING, D(2026, 3, 2))
        with pytest.raises(TermError, match="maximum") as info:
            clock.extend(P("5 weken"), D(2026, 4, 1), notified=["klager", "beklaagde"])

        assert "instemming" in (info.value.hint or "")

    def test_notice_to_both_is_required(self) -> None:
        """Without notice to the beklaagde the extension is refused."""
        with pytest.raises(TermError, match="beklaagde"):
            TermClock(HANDLING, D(2026, 3, 2)).extend(
                P("4 weken"), D(2026, 4, 1), notified=["klager"]
            )

    def test_late_extension_is_recorded_as_late(self) -> None:
        """An extension after expiry is kept, marked late, for the audit."""
        clock = TermClock(HANDLING, D(2026, 3, 2)).extend(
            P("1 week"), D(2026, 4, 14), notified=["klager", "beklaagde"]
        )

        assert clock.extensions[0].late

    @given(st.lists(st.integers(min_value=1, max_value=35), min_size=1, max_size=5))
    def test_extension_never_exceeds_the_maximum(self, steps: list[int]) -> None:
        """Whatever steps are tried, the due date never passes the maximum."""
        clock = TermClock(HANDLING, D(2026, 3, 2))
        for days in steps:
            try:
                clock = clock.extend(
                    Duration(days, Unit.DAGEN),
                    D(2026, 3, 3),
                    notified=["klager", "beklaagde"],
                )
            except TermError:
                continue

        maximum = clock.maximum_due()
        assert maximum is not None
        assert clock.due() <= maximum


class TestAwb911FurtherDelay:
    """Awb 9:11 lid 3: "Verder uitstel is mogelijk voor zover de klager daarmee
    schriftelijk instemt." """

    def test_delay_with_consent(self) -> None:
        """With the klager's consent the term runs to the agreed date."""
        clock = TermClock(HANDLING, D(2026, 3, 2)).delay(
            D(2026, 6, 30), D(2026, 4, 10), consent_of=["klager"]
        )

        assert D(2026, 6, 30) == clock.due()
        assert "Verder uitgesteld tot 2026-06-30" in "\n".join(
            clock.deadline().explain()
        )

    def test_delay_without_consent_is_refused(self) -> None:
        """Without the klager's consent there is no further delay."""
        with pytest.raises(TermError, match="instemming van: klager"):
            TermClock(HANDLING, D(2026, 3, 2)).delay(
                D(2026, 6, 30), D(2026, 4, 10), consent_of=[]
            )


class TestSuspension:
    """Awb 7:10 lid 2: the term "wordt opgeschort" while an omission is repaired."""

    @given(
        st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 1, 1)),
        st.integers(min_value=0, max_value=30),
        st.integers(min_value=0, max_value=60),
    )
    def test_suspension_shifts_by_exactly_the_days_suspended(
        self, start: dt.date, after: int, days: int
    ) -> None:
        """Without the Atw, the due date moves by exactly the days suspended."""
        term = suspendable("6 weken", atw=False)
        clock = TermClock(term, start)
        on = start + dt.timedelta(days=after)
        moved = clock.suspend(on).resume(on + dt.timedelta(days=days))

        assert clock.due() + dt.timedelta(days=days) == moved.due()

    @given(
        st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 1, 1)),
        st.integers(min_value=0, max_value=60),
    )
    def test_with_atw_the_raw_end_shifts_exactly(
        self, start: dt.date, days: int
    ) -> None:
        """With the Atw, the counted end moves by the days suspended, then rolls forward."""
        clock = TermClock(suspendable(), start)
        moved = clock.suspend(start).resume(start + dt.timedelta(days=days))

        assert (
            clock.deadline().raw_end + dt.timedelta(days=days)
            == moved.deadline().raw_end
        )
        assert moved.due() >= clock.due()

    def test_state_while_suspended(self) -> None:
        """A suspended clock is 'opgeschort'; an ongoing suspension counts up to 'on'."""
        clock = TermClock(suspendable(atw=False), D(2026, 3, 2)).suspend(D(2026, 3, 10))

        assert ClockState.OPGESCHORT == clock.state(D(2026, 3, 20))
        assert clock.due(D(2026, 3, 20)) == D(2026, 4, 13) + dt.timedelta(days=10)

    def test_not_suspendable(self) -> None:
        """A term without 'opschortbaar: true' cannot be suspended."""
        with pytest.raises(TermError, match="niet worden opgeschort"):
            TermClock(HANDLING, D(2026, 3, 2)).suspend(D(2026, 3, 5))

    def test_resume_without_suspension(self) -> None:
        """Resuming a running clock is refused."""
        with pytest.raises(TermError, match="niet opgeschort"):
            TermClock(suspendable(), D(2026, 3, 2)).resume(D(2026, 3, 5))


class TestStatus:
    def test_states_over_time(self) -> None:
        """lopend before the due date, verlopen after, gestopt once stopped."""
        clock = TermClock(HANDLING, D(2026, 3, 2))

        assert ClockState.LOPEND == clock.state(D(2026, 4, 13))
        assert ClockState.VERLOPEN == clock.state(D(2026, 4, 14))
        assert ClockState.GESTOPT == clock.stop(D(2026, 4, 1)).state(D(2026, 5, 1))

    def test_status_shows_days_left_warning_and_basis(self) -> None:
        """The status names due date, working days left, warning and legal basis."""
        status = TermClock(HANDLING, D(2026, 3, 2)).status(D(2026, 4, 8))

        assert D(2026, 4, 13) == status.due
        assert 3 == status.working_days_left
        assert status.warning
        assert ("Awb 9:11 lid 1 (BWBR0005537)",) == status.basis

    def test_overdue_days_are_negative(self) -> None:
        """After the due date, working days left is negative."""
        assert -2 == TermClock(HANDLING, D(2026, 3, 2)).working_days_left(
            D(2026, 4, 15)
        )

    def test_local_term_uses_the_organisation_calendar(self) -> None:
        """eerste_contact counts working days on the gemeente calendar."""
        term = PROCEDURE.terms["eerste_contact"]
        clock = TermClock(term, D(2026, 12, 23), calendar=calendar_for(PROCEDURE, term))

        assert D(2026, 12, 31) == clock.due()

    def test_changes_after_stop_are_refused(self) -> None:
        """A stopped clock cannot be extended."""
        clock = TermClock(HANDLING, D(2026, 3, 2)).stop(D(2026, 3, 20))
        with pytest.raises(TermError, match="gestopt"):
            clock.extend(P("1 week"), D(2026, 3, 21), notified=["klager", "beklaagde"])


def test_term_trigger_str() -> None:
    """Term triggers read as 'kind: name'."""
    assert "actie: verdaag" == str(TermTrigger(TriggerKind.ACTIE, "verdaag"))
