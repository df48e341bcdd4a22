"""The testing kit for procedure authors: helpers, strategies, state machine, plugin."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings

from klachtflow import Engine, builtin_procedure, loads_procedure, verify_history
from klachtflow.definition.templates import template_text
from klachtflow.testing import (
    actor_for,
    assert_compliant,
    assert_transition,
    make_case,
    make_procedure,
    path_to,
)
from klachtflow.testing.stateful import procedure_machine
from klachtflow.testing.strategies import (
    InvalidStrategyArgument,
    actors,
    dates,
    event_paths,
)

PROCEDURE = builtin_procedure("gemeente-awb")


class TestHelpers:
    @pytest.mark.parametrize(
        "state",
        [
            "onvrede",
            "gesprek",
            "formele_klacht.horen",
            "oordeelsvorming",
            "afgehandeld",
            "ombudsman_afgerond",
        ],
    )
    def test_make_case_reaches_the_state(self, state: str) -> None:
        """make_case fires real actions up to the state; the history verifies."""
        case = make_case(PROCEDURE, state=state)

        assert PROCEDURE.state(state).name in case.state.split(".")
        assert verify_history(case)

    def test_path_to(self) -> None:
        """path_to gives the shortest list of actions into a state."""
        assert ["registreer_klaagschrift", "bevestig_ontvangst"] == path_to(
            PROCEDURE, "onderzoek"
        )

    def test_actor_for_respects_separation(self) -> None:
        """The made-up actor for a handling action is never the beklaagde."""
        case = make_case(PROCEDURE, state="onderzoek")
        actor = actor_for(PROCEDURE, "stuur_afschrift", case)

        assert actor.id not in case.parties["beklaagde"]

    def test_assert_transition(self) -> None:
        """assert_transition fires with made-up inputs and checks the target."""
        engine = Engine(PROCEDURE)
        case = make_case(PROCEDURE, state="onderzoek", engine=engine)

        after = assert_transition(
            engine, case, "stuur_afschrift", to="formele_klacht.horen"
        )
        assert "formele_klacht.horen" == after.state

    def test_assert_transition_reports_refusal_and_wrong_target(self) -> None:
        """A refusal or another target is an AssertionError that says so."""
        engine = Engine(PROCEDURE)
        case = make_case(PROCEDURE, engine=engine)

        with pytest.raises(AssertionError, match="was refused"):
            assert_transition(engine, case, "handel_af", to="afgehandeld")
        with pytest.raises(AssertionError, match="expected 'bemiddeling'"):
            assert_transition(engine, case, "plan_gesprek", to="bemiddeling")

    def test_assert_compliant(self) -> None:
        """assert_compliant passes the template and names the article of a failure."""
        assert_compliant(PROCEDURE)
        broken = loads_procedure(
            template_text("gemeente-awb").replace(
                "      maximaal: 4 weken", "      maximaal: 8 weken", 1
            )
        )
        with pytest.raises(AssertionError, match=r"AWB-9:11-02 \(Awb 9:11 lid 2"):
            assert_compliant(broken)


class TestStrategies:
    @settings(max_examples=50)
    @given(event_paths(PROCEDURE, min_size=1, max_size=8))
    def test_event_paths_follow_the_graph(self, path: list[str]) -> None:
        """Every drawn path is valid in the state graph from the start state."""
        leaf = PROCEDURE.entry_leaf(PROCEDURE.initial)
        for name in path:
            assert name in {a.name for a in PROCEDURE.actions_from(leaf)}
            target = PROCEDURE.actions[name].target
            if target is not None:
                leaf = PROCEDURE.entry_leaf(target)

    @given(actors(PROCEDURE), dates())
    def test_actors_and_dates(self, actor: object, day: dt.date) -> None:
        """Actors hold roles of the procedure; dates are in range."""
        assert getattr(actor, "roles") <= set(PROCEDURE.roles)  # noqa: B009
        assert dt.date(2000, 1, 1) <= day <= dt.date(2099, 12, 31)

    def test_invalid_arguments_raise_when_drawn(self) -> None:
        """Invalid sizes raise InvalidStrategyArgument when drawn, not when built."""
        strategy = event_paths(PROCEDURE, min_size=5, max_size=2)

        @given(strategy)
        def draw(path: list[str]) -> None:
            pass  # pragma: no cover - never reached

        with pytest.raises(InvalidStrategyArgument):
            draw()


TestGemeenteAwbMachine = procedure_machine(PROCEDURE).TestCase
TestGemeenteAwbMachine.settings = settings(
    max_examples=25, stateful_step_count=25, deadline=None
)


def test_procedure_machine_refuses_a_non_compliant_procedure() -> None:
    """A procedure that does not comply cannot be walked: the failure names the rule."""
    with pytest.raises(AssertionError, match="AWB-9:6-01"):
        procedure_machine(make_procedure(regime="awb9"))


class TestPytestPlugin:
    def test_fixtures_and_marker(self, pytester: pytest.Pytester) -> None:
        """The plugin's fixtures load the marked procedure and give an engine and a store."""
        pytester.makefile(".yaml", klacht=template_text("gemeente-awb"))
        pytester.makepyfile(
            """
            import pytest

            @pytest.mark.klachtflow_procedure("klacht.yaml")
            def test_uses_fixtures(klachtflow_procedure, klachtflow_engine, klachtflow_store, klachtflow_clock):
                assert klachtflow_procedure.name == "gemeente-awb"
                assert klachtflow_engine.procedure is klachtflow_procedure
                assert klachtflow_store.count() == 0
                assert klachtflow_clock.now().year == 2026
            """
        )
        result = pytester.runpytest("-p", "no:cacheprovider")

        result.assert_outcomes(passed=1)

    def test_check_option_fails_the_run(self, pytester: pytest.Pytester) -> None:
        """--klachtflow-check fails the run on a procedure with compliance errors."""
        bad = template_text("gemeente-awb").replace(
            "      maximaal: 4 weken", "      maximaal: 8 weken", 1
        )
        path = pytester.makefile(".yaml", slecht=bad)
        pytester.makepyfile("def test_nothing():\n    pass\n")
        result = pytester.runpytest("--klachtflow-check", str(path))

        assert 0 != result.ret
        result.stderr.fnmatch_lines(["*AWB-9:11-02*"])

    def test_check_option_passes_a_compliant_procedure(
        self, pytester: pytest.Pytester
    ) -> None:
        """--klachtflow-check lets the run go on when the procedure complies."""
        path = pytester.makefile(".yaml", goed=template_text("gemeente-awb"))
        pytester.makepyfile("def test_nothing():\n    pass\n")
        result = pytester.runpytest("--klachtflow-check", str(path))

        result.assert_outcomes(passed=1)


def test_plugin_is_import_light() -> None:
    """Importing the plugin does not import the engine, hypothesis or transitions."""
    code = (
        "import sys, klachtflow.testing.pytest_plugin as p; "
        "print(any(m in sys.modules for m in ('transitions', 'hypothesis', 'klachtflow.engine')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout

    assert "False" == out.strip()


def test_how_to_example_runs(pytester: pytest.Pytester) -> None:
    """The example test in docs/how-to/test-je-procedure.md passes as written."""
    page = (
        Path(__file__).resolve().parents[2] / "docs" / "how-to" / "test-je-procedure.md"
    )
    blocks = re.findall(r"```python\n(.*?)```", page.read_text("utf-8"), re.S)
    pytester.makefile(".yaml", klacht=template_text("gemeente-awb"))
    pytester.makepyfile(test_voorbeeld=blocks[0])
    result = pytester.runpytest("-p", "no:cacheprovider")

    result.assert_outcomes(passed=1)


class TestHiddenFrames:
    def test_failing_assert_transition_shows_the_test_not_the_helper(
        self, pytester: pytest.Pytester
    ) -> None:
        """A refused action reports the test's line and the refusal, not the helper's source."""
        pytester.makefile(".yaml", klacht=template_text("gemeente-awb"))
        pytester.makepyfile(
            """
            import pytest
            from klachtflow.testing import assert_transition, make_case

            @pytest.mark.klachtflow_procedure("klacht.yaml")
            def test_refused(klachtflow_procedure, klachtflow_engine):
                case = make_case(klachtflow_procedure, engine=klachtflow_engine)
                assert_transition(klachtflow_engine, case, "handel_af", to="afgehandeld")
            """
        )
        result = pytester.runpytest("-p", "no:cacheprovider")
        text = result.stdout.str()

        result.assert_outcomes(failed=1)
        assert "'handel_af' was refused" in text
        assert 'assert_transition(klachtflow_engine, case, "handel_af"' in text
        assert "def assert_transition" not in text
        assert "raise AssertionError(msg)" not in text
        assert "The above exception was the direct cause" not in text
