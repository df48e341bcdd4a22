"""The assigned handler (issue #17 item 3): ``wijs_toe`` and ``wie_toegewezen``.

Awb 9:7 lid 1 (BWBR0005537): "De behandeling van de klacht geschiedt door een
persoon die niet bij de gedraging betrokken is geweest." The regulation means
*that* person, the one assigned, handles the complaint; not anyone who holds
the role. Template: sociaal-domein-stichtse-vecht.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klachtflow import (
    Actor,
    AssignmentRefused,
    Engine,
    NotAssigned,
    builtin_procedure,
    loads_procedure,
    verify_history,
)
from klachtflow.compliance.audit import audit_case
from klachtflow.definition.templates import template_text
from klachtflow.engine import Case
from klachtflow.rules.clock import FixedClock
from klachtflow.rules.permissions import ReasonKind
from klachtflow.testing import make_case
from klachtflow.testing.walk import fire_inputs

TEMPLATE = "sociaal-domein-stichtse-vecht"
START = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
PROCEDURE = builtin_procedure(TEMPLATE)
COORDINATOR = Actor("coordinator.1", roles={"klachtencoordinator"})
JANSEN = Actor("j.jansen", roles={"behandelaar"})
PIETERS = Actor("p.pieters", roles={"behandelaar"})
COLLEGE = Actor("college.1", roles={"bestuursorgaan"})


def _engine(procedure: Any = PROCEDURE) -> Engine:
    return Engine(procedure, clock=FixedClock(START))


def _fire(engine: Engine, case: Case, action: str, actor: Actor, **extra: Any) -> Case:
    kwargs = fire_inputs(engine.procedure, case, action, START.date())
    kwargs["data"] = {
        k: v for k, v in kwargs["data"].items() if k != "behandelaar"
    } | extra.pop("data", {})
    return engine.fire(case, action, actor=actor, **{**kwargs, **extra})


def _assign(engine: Engine, case: Case, who: str) -> Case:
    return _fire(
        engine, case, "wijs_behandelaar_aan", COORDINATOR, data={"behandelaar": who}
    )


def _in_hearing(engine: Engine) -> Case:
    return make_case(engine.procedure, state="formele_klacht.horen", engine=engine)


class TestAssignedHandler:
    def test_only_the_assigned_handler_hears(self) -> None:
        """Awb 9:7 lid 1 "door een persoon": the assigned behandelaar may; another may not."""
        engine = _engine()
        case = _assign(engine, _in_hearing(engine), "J.Jansen")

        heard = _fire(engine, case, "hoor_partijen", JANSEN)
        with pytest.raises(NotAssigned) as info:
            _fire(engine, case, "hoor_partijen", PIETERS)

        assert "formele_klacht.oordeelsvorming" == heard.state
        assert "KF-E130" == info.value.code
        assert "j.jansen" == info.value.assigned
        assert "j.jansen" in str(info.value)
        assert "alleen de toegewezen" in str(info.value)
        assert "j.jansen" in (info.value.hint or "")

    def test_nobody_assigned_yet_refuses_the_role_with_a_hint(self) -> None:
        """Before wijs_behandelaar_aan no behandelaar may hear; the hint names the action."""
        engine = _engine()
        case = _in_hearing(engine)

        with pytest.raises(NotAssigned) as info:
            _fire(engine, case, "hoor_partijen", JANSEN)

        assert info.value.assigned is None
        assert "wijs_behandelaar_aan" in (info.value.hint or "")

    def test_other_roles_of_wie_still_act(self) -> None:
        """wie_toegewezen binds the behandelaar only: the bestuursorgaan hears itself."""
        engine = _engine()
        case = _in_hearing(engine)

        assert (
            "formele_klacht.oordeelsvorming"
            == _fire(engine, case, "hoor_partijen", COLLEGE).state
        )

    def test_reassignment_moves_the_right_and_stays_in_the_history(self) -> None:
        """Reassigning: the new handler may, the old one no longer; both in the sealed trail."""
        engine = _engine()
        case = _assign(engine, _in_hearing(engine), "j.jansen")
        case = _fire(
            engine,
            case,
            "wijs_behandelaar_aan",
            COORDINATOR,
            data={"behandelaar": "p.pieters"},
        )

        with pytest.raises(NotAssigned):
            _fire(engine, case, "hoor_partijen", JANSEN)
        heard = _fire(engine, case, "hoor_partijen", PIETERS)
        trail = [
            e.changes["behandelaar"][1]
            for e in heard.history
            if "behandelaar" in e.changes
        ]

        assert ["j.jansen", "p.pieters"] == trail
        assert verify_history(heard)

    def test_explain_and_allowed_actions_say_who_is_assigned(self) -> None:
        """explain gives a TOEWIJZING reason; allowed_actions leaves it out for others."""
        engine = _engine()
        case = _assign(engine, _in_hearing(engine), "j.jansen")

        decision = engine.explain(case, "hoor_partijen", PIETERS)

        assert ReasonKind.TOEWIJZING in [r.kind for r in decision.reasons]
        assert "j.jansen" in decision.reasons[0].message
        assert "hoor_partijen" not in engine.allowed_actions(case, PIETERS)
        assert "hoor_partijen" in engine.allowed_actions(case, JANSEN)


class TestAssignmentItself:
    def test_the_beklaagde_cannot_be_assigned(self) -> None:
        """Awb 9:7 lid 1: the person complained about is never the assigned handler.

        Attack: the coordinator (no party) assigns the beklaagde. Checked by hand
        that this test fails when ``party_exclusion`` returns None.
        """
        engine = _engine()
        case = _in_hearing(engine)

        with pytest.raises(AssignmentRefused) as info:
            _assign(engine, case, "Beklaagde.1")

        assert "KF-E131" == info.value.code
        assert "Awb 9:7 lid 1" in str(info.value)

    def test_lid_2_exception_lets_the_organ_be_assigned(self) -> None:
        """Awb 9:7 lid 2 (a complaint about the organ itself), as the template's tenzij says."""
        engine = _engine()
        case = make_case(
            PROCEDURE,
            state="formele_klacht.onderzoek",
            engine=engine,
            data={"klacht_over_bestuursorgaan": True},
        )

        assigned = _assign(engine, case, "beklaagde.1")

        assert "beklaagde.1" == assigned.data["behandelaar"]

    def test_another_action_cannot_set_the_assignment(self) -> None:
        """The assignment field is no free data: only wijs_behandelaar_aan sets it."""
        engine = _engine()
        case = _in_hearing(engine)

        with pytest.raises(AssignmentRefused) as info:
            _fire(engine, case, "hoor_partijen", COLLEGE, data={"behandelaar": "x.y"})
        with pytest.raises(AssignmentRefused):
            engine.start(
                actor=COORDINATOR,
                parties={"klager": ["k.1"]},
                data={"behandelaar": "x.y"},
            )

        assert "behandelaar" == info.value.field

    def test_an_assignment_names_someone(self) -> None:
        """wijs_behandelaar_aan without a person is refused (KF-E131)."""
        engine = _engine()
        case = _in_hearing(engine)

        with pytest.raises(AssignmentRefused):
            _fire(engine, case, "wijs_behandelaar_aan", COORDINATOR)

    @settings(max_examples=25, deadline=None)
    @given(
        assigned=st.sampled_from(["a.1", "b.2", "c.3"]),
        acting=st.sampled_from(["a.1", "b.2", "c.3", "A.1 "]),
    )
    def test_acting_is_allowed_exactly_for_the_assigned_person(
        self, assigned: str, acting: str
    ) -> None:
        """For any assignee and actor: allowed iff they are the same person (normalised)."""
        engine = _engine()
        case = _assign(engine, _in_hearing(engine), assigned)
        actor = Actor(acting, roles={"behandelaar"})

        allowed = "hoor_partijen" in engine.allowed_actions(case, actor)

        assert allowed == (acting.strip().lower() == assigned)


class TestAudit:
    def test_audit_finds_a_handler_who_was_not_assigned(self) -> None:
        """A history written without the rule is audited against it (AUDIT-TOEW-01)."""
        lax = loads_procedure(
            template_text(TEMPLATE).replace(
                "    wie: [behandelaar, bestuursorgaan]\n    wie_toegewezen: [behandelaar]\n"
                "    vereist: [hoorverslag]",
                "    wie: [behandelaar, bestuursorgaan]\n    vereist: [hoorverslag]",
                1,
            )
        )
        engine = _engine(lax)
        case = _assign(engine, _in_hearing(engine), "j.jansen")
        case = _fire(engine, case, "hoor_partijen", PIETERS)

        codes = [f.code for f in audit_case(case, PROCEDURE, today=START.date())]
        clean = [f.code for f in audit_case(case, lax, today=START.date())]

        assert "AUDIT-TOEW-01" in codes
        assert "AUDIT-TOEW-01" not in clean
