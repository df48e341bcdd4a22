"""Letters and notices as an element of an action (issue #17 item 6): ``brief``.

Awb 9:12 lid 1 (BWBR0005537): "Het bestuursorgaan stelt de klager schriftelijk
en gemotiveerd in kennis van de bevindingen van het onderzoek naar de klacht,
zijn oordeel daarover alsmede van de eventuele conclusies die het daaraan
verbindt." Awb 9:6: the organ "bevestigt de ontvangst van het klaagschrift
schriftelijk". Awb 9:16: deviating from the advice, the organ sends the advice
with the 9:12 notice. Template: sociaal-domein-stichtse-vecht.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klachtflow import (
    Actor,
    Engine,
    InvalidArgument,
    LetterRefused,
    builtin_procedure,
    loads_procedure,
    verify_history,
)
from klachtflow.compliance.audit import audit_case
from klachtflow.definition.templates import template_text
from klachtflow.engine import Case
from klachtflow.rules.clock import FixedClock
from klachtflow.testing import make_case
from klachtflow.testing.walk import actor_for, fire_inputs

TEMPLATE = "sociaal-domein-stichtse-vecht"
START = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
PROCEDURE = builtin_procedure(TEMPLATE)
CLOSING = {
    "verzonden_op": "2026-03-02",
    "aan": ["klager", "beklaagde"],
    "inhoud": ["bevindingen", "oordeel", "conclusies", "verwijzing_ombudsman"],
}


def _engine(procedure: Any = PROCEDURE) -> Engine:
    return Engine(procedure, clock=FixedClock(START))


def _fire(engine: Engine, case: Case, action: str, **extra: Any) -> Case:
    kwargs = fire_inputs(engine.procedure, case, action, START.date())
    data = {**kwargs.pop("data"), **extra.pop("data", {})}
    kwargs = {**kwargs, **extra, "data": data}
    if kwargs.get("letter") is None:
        kwargs.pop("letter", None)
    return engine.fire(
        case, action, actor=actor_for(engine.procedure, action, case), **kwargs
    )


def _deciding(engine: Engine, *, advice: bool = False) -> Case:
    if not advice:  # heard, without the klachtadviescommissie
        case = make_case(engine.procedure, state="formele_klacht.horen", engine=engine)
        return _fire(engine, case, "hoor_partijen")
    case = make_case(engine.procedure, state="formele_klacht.onderzoek", engine=engine)
    case = _fire(engine, case, "vraag_advies")
    return _fire(engine, case, "breng_advies_uit")


class TestClosingLetter:
    def test_the_9_12_letter_is_sealed_as_a_letter(self) -> None:
        """Awb 9:12 lid 1: the written, reasoned letter is recorded as sent, in the hash."""
        engine = _engine()
        case = _fire(engine, _deciding(engine), "handel_af", letter=CLOSING)
        letter = json.loads(case.history[-1].inputs["brief"])

        assert "afgehandeld" == case.state
        assert letter["schriftelijk"] is True
        assert "2026-03-02" == letter["verzonden_op"]
        assert set(CLOSING["inhoud"]) == set(letter["inhoud"])
        assert verify_history(case)

    def test_a_changed_letter_breaks_the_seal(self) -> None:
        """Attack: rewriting the recorded letter afterwards is detected."""
        engine = _engine()
        case = _fire(engine, _deciding(engine), "handel_af", letter=CLOSING)
        last = case.history[-1]
        forged = attrs.evolve(
            last,
            inputs={"brief": last.inputs["brief"].replace("2026-03-02", "2026-02-27")},
        )
        tampered = attrs.evolve(case, history=(*case.history[:-1], forged))

        assert not verify_history(tampered)

    def test_without_the_letter_the_closing_is_refused(self) -> None:
        """A yes/no field cannot stand in for the letter: without it, no afhandeling."""
        engine = _engine()
        case = _deciding(engine)

        with pytest.raises(LetterRefused) as info:
            _fire(engine, case, "handel_af", letter=None)

        assert "KF-E132" == info.value.code
        assert "de brief ontbreekt" in info.value.problems
        assert "Awb 9:12 lid 1" in str(info.value)

    @pytest.mark.parametrize(
        ("change", "problem"),
        [
            (
                {"inhoud": ["bevindingen", "oordeel", "conclusies"]},
                "verwijzing_ombudsman",
            ),
            ({"aan": ["beklaagde"]}, "niet verzonden aan: klager"),
            ({"schriftelijk": False}, "niet schriftelijk"),
            ({"verzonden_op": "2026-03-09"}, "na 2026-03-02"),
        ],
    )
    def test_an_incomplete_letter_is_refused(
        self, change: dict[str, Any], problem: str
    ) -> None:
        """Awb 9:12 lid 1-2: each of recipient, written form, contents and date is checked."""
        engine = _engine()
        case = _deciding(engine)

        with pytest.raises(LetterRefused) as info:
            _fire(engine, case, "handel_af", letter={**CLOSING, **change})

        assert any(problem in p for p in info.value.problems)

    def test_a_letter_where_the_action_sends_none_is_refused(self) -> None:
        """A letter is recorded only where the procedure says one is sent."""
        engine = _engine()
        case = make_case(PROCEDURE, state="formele_klacht.horen", engine=engine)

        with pytest.raises(LetterRefused):
            _fire(engine, case, "zie_af_van_horen", letter=CLOSING)

    def test_a_wrong_shape_is_an_invalid_argument(self) -> None:
        """letter= with an unknown key or no date is a programmer error (KF-A003)."""
        engine = _engine()
        case = _deciding(engine)

        with pytest.raises(InvalidArgument):
            _fire(engine, case, "handel_af", letter={**CLOSING, "kleur": "blauw"})
        with pytest.raises(InvalidArgument):
            _fire(engine, case, "handel_af", letter={"aan": ["klager"]})


class TestConditionalAttachment:
    @settings(max_examples=10, deadline=None)
    @given(advice=st.booleans(), attached=st.booleans())
    def test_the_advice_goes_with_the_letter_only_on_the_advice_route(
        self, advice: bool, attached: bool
    ) -> None:
        """Awb 9:16 (choice: always after advice): bijlage advies_commissie is
        required exactly when breng_advies_uit was on the route taken."""
        engine = _engine()
        case = _deciding(engine, advice=advice)
        letter = {**CLOSING, "bijlagen": ["advies_commissie"] if attached else []}

        if advice and not attached:
            with pytest.raises(LetterRefused) as info:
                _fire(engine, case, "handel_af", letter=letter)
            assert any("advies_commissie" in p for p in info.value.problems)
        else:
            assert (
                "afgehandeld" == _fire(engine, case, "handel_af", letter=letter).state
            )


class TestAudit:
    def test_audit_reads_the_letters(self) -> None:
        """A history without the letter, audited against the procedure that requires it."""
        text = template_text(TEMPLATE)
        start = text.index("    brief:\n      titel: Afhandelingsbrief")
        end = text.index("    resultaat_veld: oordeel")
        lax = loads_procedure(text[:start] + text[end:])
        engine = _engine(lax)
        case = _fire(
            engine,
            _deciding(engine),
            "handel_af",
            data={"oordeel_ombudsman": "zie brief"},
        )

        codes = {f.code for f in audit_case(case, PROCEDURE, today=START.date())}
        sent = _fire(_engine(), _deciding(_engine()), "handel_af", letter=CLOSING)
        clean = {f.code for f in audit_case(sent, PROCEDURE, today=START.date())}

        assert {"AUDIT-BRIEF-01", "AUDIT-9:12-01"} <= codes
        assert not {"AUDIT-BRIEF-01", "AUDIT-BRIEF-02", "AUDIT-9:12-01"} & clean


def test_path_through_stichtse_vecht_with_assignment_and_letters() -> None:
    """Receipt (9:6 letter) → assignment (9:7) → copy (9:9 letter) → hearing by
    the assigned handler → closing letter (9:12): every step as the regulation
    says, a verifiable history and an audit without findings."""
    engine = _engine()
    today = START.date().isoformat()
    case = make_case(PROCEDURE, state="formele_klacht.ontvangen", engine=engine)
    coordinator = Actor("c.1", roles={"klachtencoordinator"})
    handler = Actor("h.de.vries", roles={"behandelaar"})
    case = engine.fire(
        case,
        "bevestig_ontvangst",
        actor=coordinator,
        letter={"verzonden_op": today, "aan": ["klager"]},
    )
    case = engine.fire(
        case,
        "wijs_behandelaar_aan",
        actor=coordinator,
        data={"behandelaar": "h.de.vries"},
    )
    case = engine.fire(
        case,
        "stuur_afschrift",
        actor=handler,
        letter={
            "verzonden_op": today,
            "aan": ["beklaagde"],
            "bijlagen": ["klaagschrift"],
        },
    )
    case = engine.fire(
        case, "hoor_partijen", actor=handler, data={"hoorverslag": "..."}
    )
    case = engine.fire(
        case,
        "handel_af",
        actor=Actor("college", roles={"bestuursorgaan"}),
        data={
            "bevindingen": "...",
            "oordeel": "gegrond",
            "conclusies": "...",
            "verbetermaatregelen": "...",
        },
        letter=CLOSING,
    )

    assert "afgehandeld" == case.state
    assert ["bevestig_ontvangst", "stuur_afschrift", "handel_af"] == [
        e.action for e in case.history if "brief" in e.inputs
    ]
    assert verify_history(case)
    assert [] == audit_case(case, PROCEDURE, today=START.date())
