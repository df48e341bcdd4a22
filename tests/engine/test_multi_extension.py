"""More than one action may extend one term (issue #17); the maximum holds for all together.

Awb 9:11 lid 2 (BWBR0005537): "Het bestuursorgaan kan de afhandeling voor ten
hoogste vier weken verdagen." A regulation may split the postponement per
handler (the behandelaar under mandate, the bestuursorgaan itself), but "ten
hoogste vier weken" is a maximum for the term, not per action. Likewise Wkkgz
art 17 lid 2 (BWBR0037173): the term "kan ... met ten hoogste vier weken
worden verlengd".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klachtflow import DefinitionError, Engine, loads_procedure
from klachtflow.compliance.audit import audit_case
from klachtflow.definition.templates import template_text
from klachtflow.exceptions import TermError, UnlawfulAction
from klachtflow.insight import diagram, uitleg
from klachtflow.testing import make_case
from klachtflow.testing.walk import actor_for, fire_inputs

START = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)  # Mon 2 Mar 2026

SECOND_EXTENDER = """  verdaag_behandelaar:
    titel: Afhandeling verdagen door de behandelaar (mandaat)
    van: formele_klacht
    wie: [behandelaar]
    vereist: [reden_verdaging]
    informeren: true
    grondslag: {wet: Awb, artikel: "9:11", lid: 2}
"""


def _text(
    maximum: str = "4 weken", extenders: str = "[verdaag, verdaag_behandelaar]"
) -> str:
    text = template_text("gemeente-awb")
    for old, new in (
        ("  stel_verder_uit:\n", SECOND_EXTENDER + "  stel_verder_uit:\n"),
        (
            "      maximaal: 4 weken\n      actie: verdaag\n",
            f"      maximaal: {maximum}\n      actie: {extenders}\n",
        ),
    ):
        assert old in text
        text = text.replace(old, new, 1)
    return text


def _engine(**kwargs: str) -> Engine:
    return Engine(loads_procedure(_text(**kwargs)), backdating=None)


def _at(days: int) -> dt.datetime:
    return START + dt.timedelta(days=days)


def _fire(engine: Engine, case: Any, action: str, *, days: int, **extra: Any) -> Any:
    procedure = engine.procedure
    kwargs = {**fire_inputs(procedure, case, action, _at(days).date()), **extra}
    return engine.fire(
        case, action, actor=actor_for(procedure, action, case), at=_at(days), **kwargs
    )


def _case(engine: Engine) -> Any:
    return make_case(
        engine.procedure, state="formele_klacht.onderzoek", engine=engine, at=START
    )


class TestTwoExtenders:
    def test_both_actions_extend_the_same_term(self) -> None:
        """Passing: two weeks by the behandelaar, two by the bestuursorgaan: four in all."""
        engine = _engine()
        case = _case(engine)
        due = case.clocks["afhandeling"].due()

        once = _fire(engine, case, "verdaag_behandelaar", days=10, extension="2 weken")
        twice = _fire(engine, once, "verdaag", days=20, extension="2 weken")

        extension = engine.procedure.terms["afhandeling"].extension
        assert extension is not None
        assert ("verdaag", "verdaag_behandelaar") == extension.actions
        assert 2 == len(twice.clocks["afhandeling"].extensions)
        assert (
            twice.clocks["afhandeling"].due()
            == twice.clocks["afhandeling"].maximum_due()
        )
        assert (twice.clocks["afhandeling"].due() - due).days >= 28

    def test_together_they_cannot_pass_the_procedure_maximum(self) -> None:
        """Failing: three weeks and then two more is five: refused, nothing changes."""
        engine = _engine()
        once = _fire(
            engine, _case(engine), "verdaag_behandelaar", days=10, extension="3 weken"
        )

        with pytest.raises(TermError, match="maximum"):
            _fire(engine, once, "verdaag", days=20, extension="2 weken")
        assert _fire(engine, once, "verdaag", days=20, extension="1 week")

    def test_together_they_cannot_pass_the_legal_maximum(self) -> None:
        """Failing: even a procedure allowing six weeks gets four in all (Awb 9:11 lid 2)."""
        engine = _engine(maximum="6 weken")
        once = _fire(
            engine, _case(engine), "verdaag_behandelaar", days=10, extension="3 weken"
        )

        with pytest.raises(UnlawfulAction) as refused:
            _fire(engine, once, "verdaag", days=20, extension="2 weken")
        assert "Awb 9:11 lid 2 (BWBR0005537)" == refused.value.article
        assert _fire(engine, once, "verdaag", days=20, extension="1 week")

    def test_the_audit_counts_both_extensions(self) -> None:
        """The audit reads both: open past 6 + 4 weeks is late, before it is not."""
        engine = _engine()
        once = _fire(
            engine, _case(engine), "verdaag_behandelaar", days=10, extension="2 weken"
        )
        twice = _fire(engine, once, "verdaag", days=20, extension="2 weken")
        due = twice.clocks["afhandeling"].due()

        def late(today: dt.date) -> bool:
            return any(
                "9:11" in f.code
                for f in audit_case(twice, engine.procedure, today=today)
            )

        assert not late(due)
        assert late(due + dt.timedelta(days=1))


class TestDefinition:
    def test_an_action_outside_the_list_may_not_extend(self) -> None:
        """KF-D031 still: only the listed actions extend (the maximum and notice stay with the term)."""
        text = _text(extenders="[verdaag]").replace(
            "    wie: [behandelaar]\n    vereist: [reden_verdaging]\n",
            "    wie: [behandelaar]\n    vereist: [reden_verdaging]\n"
            "    termijnen:\n      verlengen: [afhandeling]\n",
            1,
        )

        with pytest.raises(DefinitionError) as info:
            loads_procedure(text, source="t.yaml")
        assert {"KF-D031"} == {i.code for i in info.value.issues}

    def test_uitleg_and_diagram_tell_both_actions(self) -> None:
        """uitleg names both actions and that the maximum is for them together; so does the diagram."""
        procedure = loads_procedure(_text())
        staff = uitleg(procedure, "medewerker", which=lambda _: None)
        drawn = diagram(procedure, "mermaid")

        assert "het maximum geldt voor alle verlengingen samen" in staff
        assert (
            "verlengbaar via verdaag, verdaag_behandelaar, samen ten hoogste 4 weken"
            in drawn
        )


ENGINE = _engine()


@settings(max_examples=40, deadline=None)
@given(
    first=st.integers(min_value=1, max_value=27),
    second=st.integers(min_value=1, max_value=27),
    behandelaar_first=st.booleans(),
)
def test_any_split_is_accepted_exactly_when_the_total_fits(
    first: int, second: int, behandelaar_first: bool
) -> None:
    """Any two extensions by the two actions, in either order: accepted when together
    at most 28 days ("ten hoogste vier weken"), refused otherwise, whichever check refuses."""
    order = ["verdaag_behandelaar", "verdaag"]
    if not behandelaar_first:
        order.reverse()
    once = _fire(ENGINE, _case(ENGINE), order[0], days=5, extension=f"{first} dagen")
    if first + second <= 28:
        twice = _fire(ENGINE, once, order[1], days=6, extension=f"{second} dagen")
        assert 2 == len(twice.clocks["afhandeling"].extensions)
    else:
        with pytest.raises((TermError, UnlawfulAction)):
            _fire(ENGINE, once, order[1], days=6, extension=f"{second} dagen")
