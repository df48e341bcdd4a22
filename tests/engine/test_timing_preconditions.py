"""Timing preconditions on a term's state (issue 17 item 5): ``pas_na_verstrijken``
and ``alleen_voor_verstrijken``, validated at load time and enforced by the engine."""

from __future__ import annotations

import datetime as dt

import pytest

from klachtflow import Case, DefinitionError, Engine, builtin_procedure, loads_procedure
from klachtflow.compliance import check_procedure
from klachtflow.definition.templates import template_text
from klachtflow.exceptions import ConditionNotMet
from klachtflow.rules.clock import FixedClock
from klachtflow.testing import make_case
from klachtflow.testing.walk import actor_for, fire_inputs

START = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)


class TestOmbudsmanWhenOverdue:
    """Awb 9:24 lid 1 onder b: the year runs from when handling *should* have ended."""

    def _case(self, days: int) -> tuple[Engine, Case]:
        engine = Engine(builtin_procedure("gemeente-awb"), clock=FixedClock(START))
        case = make_case(
            engine.procedure, state="formele_klacht.onderzoek", engine=engine, at=START
        )
        engine.clock = FixedClock(START + dt.timedelta(days=days))
        return engine, case

    def test_not_while_the_handling_term_runs(self) -> None:
        """Within the six weeks the klager first awaits the organ's handling."""
        engine, case = self._case(20)
        klager = actor_for(engine.procedure, "verwijs_naar_ombudsman", case)

        assert "verwijs_naar_ombudsman" not in engine.allowed_actions(case, klager)
        with pytest.raises(ConditionNotMet) as refused:
            engine.fire(
                case,
                "verwijs_naar_ombudsman",
                actor=klager,
                **fire_inputs(
                    engine.procedure,
                    case,
                    "verwijs_naar_ombudsman",
                    (START + dt.timedelta(days=20)).date(),
                ),
            )
        assert "afhandeling" in refused.value.failed[0]

    def test_once_the_handling_term_has_passed(self) -> None:
        """After the six weeks without handling, the route to the ombudsman is open."""
        engine, case = self._case(50)
        klager = actor_for(engine.procedure, "verwijs_naar_ombudsman", case)
        day = (START + dt.timedelta(days=50)).date()

        assert "verwijs_naar_ombudsman" in engine.allowed_actions(case, klager)
        after = engine.fire(
            case,
            "verwijs_naar_ombudsman",
            actor=klager,
            **fire_inputs(engine.procedure, case, "verwijs_naar_ombudsman", day),
        )
        assert "ombudsman" == after.status

    def test_check_accepts_the_early_route_only_with_the_precondition(self) -> None:
        """AWB-9:20-01: from an open state only with pas_na_verstrijken on the handling terms."""
        text = template_text("gemeente-awb")
        without = text.replace(
            "    pas_na_verstrijken: [afhandeling, afhandeling_advies]\n", "", 1
        )

        assert "AWB-9:20-01" not in {
            f.code for f in check_procedure(loads_procedure(text)).findings
        }
        assert "AWB-9:20-01" in {
            f.code for f in check_procedure(loads_procedure(without)).findings
        }


class TestOnlyBeforeExpiry:
    def test_extension_only_while_the_term_runs(self) -> None:
        """Wkkgz 17 lid 2, said in the procedure: verleng only before the six weeks end."""
        text = template_text("zorgaanbieder-wkkgz").replace(
            "  verleng:\n",
            "  verleng:\n    alleen_voor_verstrijken: [afhandeling]\n",
            1,
        )
        engine = Engine(loads_procedure(text), clock=FixedClock(START))
        case = make_case(
            engine.procedure, state="klacht.onderzoek", engine=engine, at=START
        )
        actor = actor_for(engine.procedure, "verleng", case)

        assert "verleng" in engine.allowed_actions(case, actor)
        engine.clock = FixedClock(START + dt.timedelta(days=45))
        assert "verleng" not in engine.allowed_actions(case, actor)


class TestValidation:
    def test_unknown_term_is_reported_with_its_position(self) -> None:
        """A precondition naming no term is KF-D004 with file:line:column and a hint."""
        text = template_text("gemeente-awb").replace(
            "pas_na_verstrijken: [afhandeling, afhandeling_advies]",
            "pas_na_verstrijken: [afhandling]",
            1,
        )
        with pytest.raises(DefinitionError) as raised:
            loads_procedure(text, source="k.yaml")

        issue = raised.value.issues[0]
        assert "KF-D004" == issue.code
        assert "Bedoelde u 'afhandeling'?" == issue.hint
        assert "pas_na_verstrijken" in text.splitlines()[issue.line - 1]
