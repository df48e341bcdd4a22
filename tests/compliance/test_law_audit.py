"""Audit rules from the law model: each has a history that triggers it, and a
lawful history that does not. Histories the engine now refuses to produce are
imported (forged) ones, as an audit of another system's data would see them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest

from klachtflow import Case, Engine, builtin_procedure, loads_procedure
from klachtflow.compliance._law_audit import AUDITED
from klachtflow.compliance.audit import audit_case
from klachtflow.definition.model import Duration, Procedure
from klachtflow.definition.templates import template_text
from klachtflow.engine.case import FrozenMap
from klachtflow.law import REGIMES, Layer
from klachtflow.law.model import Extension, RoleLimit, Separation, Step
from klachtflow.rules.clocks import DelayStep, ExtensionStep
from klachtflow.testing import assert_transition, make_case

START = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)


def _codes(case: Case, procedure: Procedure, today: dt.date) -> set[str]:
    return {f.code for f in audit_case(case, procedure, today=today)}


def _case(template: str, state: str) -> tuple[Procedure, Engine, Case]:
    procedure = builtin_procedure(template)
    engine = Engine(procedure, backdating=None)
    return procedure, engine, make_case(procedure, state=state, engine=engine, at=START)


def _without(case: Case, *fields: str) -> Case:
    """The case as an import that lost (or never had) these data."""
    data = {k: v for k, v in case.data.items() if k not in fields}
    history = tuple(
        attrs.evolve(
            e,
            changes=FrozenMap({k: v for k, v in e.changes.items() if k not in fields}),
        )
        for e in case.history
    )
    return attrs.evolve(case, data=FrozenMap(data), history=history)


def _with_value(case: Case, field: str, value: Any) -> Case:
    history = tuple(
        attrs.evolve(e, changes=FrozenMap({**e.changes, field: (None, value)}))
        if field in e.changes
        else e
        for e in case.history
    )
    return attrs.evolve(
        case, data=FrozenMap({**case.data, field: value}), history=history
    )


class TestOpenPastTheTerm:
    """Awb 9:11 lid 1, Wkkgz 17 lid 1, Awb 7:10 lid 1, Jeugdwet 4.2.1 lid 2 onder c."""

    @pytest.mark.parametrize(
        ("template", "state", "code"),
        [
            ("gemeente-awb", "formele_klacht.onderzoek", "AUDIT-OPEN-AWB-9:11-01"),
            ("zorgaanbieder-wkkgz", "klacht.onderzoek", "AUDIT-OPEN-WKKGZ-17-01"),
            ("bezwaar-awb", "behandeling", "AUDIT-OPEN-BZW-7:10-01"),
            ("jeugdhulp-jeugdwet", "klacht.horen", "AUDIT-OPEN-JW-4.2.1-03"),
        ],
    )
    def test_open_case_past_the_term(
        self, template: str, state: str, code: str
    ) -> None:
        """Still open after the (lawfully extended) term: a finding as of the audit date."""
        procedure, _, case = _case(template, state)
        due = max(c.due() for c in case.clocks.values() if c.stopped_on is None)

        assert code not in _codes(case, procedure, START.date() + dt.timedelta(days=20))
        assert code in _codes(case, procedure, due + dt.timedelta(days=30))


class TestExtensions:
    def test_extension_not_told_to_the_beklaagde(self) -> None:
        """Awb 9:11 lid 2: notice to the klager and to the beklaagde."""
        procedure, _, case = _case("gemeente-awb", "formele_klacht.onderzoek")
        step = ExtensionStep(
            Duration.parse("2 weken"), dt.date(2026, 3, 20), ("klager",)
        )
        clock = attrs.evolve(case.clocks["afhandeling"], extensions=(step,))
        forged = attrs.evolve(case, clocks={**case.clocks, "afhandeling": clock})

        assert "AUDIT-AWB-9:11-04" in _codes(forged, procedure, dt.date(2026, 3, 25))

    def test_further_delay_without_the_klager(self) -> None:
        """Awb 9:11 lid 3: further delay only "voor zover de klager daarmee schriftelijk instemt"."""
        procedure, _, case = _case("gemeente-awb", "formele_klacht.onderzoek")
        delay = DelayStep(dt.date(2026, 6, 1), dt.date(2026, 3, 20), ())
        clock = attrs.evolve(case.clocks["afhandeling"], delays=(delay,))
        forged = attrs.evolve(case, clocks={**case.clocks, "afhandeling": clock})

        assert "AUDIT-AWB-9:11-03" in _codes(forged, procedure, dt.date(2026, 3, 25))

    def test_decision_after_an_extension_beyond_the_law_cap_is_late(self) -> None:
        """Six weeks of verdaging count for four (Awb 9:11 lid 2): a decision in week 11 is late."""
        text = template_text("gemeente-awb").replace(
            "      maximaal: 4 weken", "      maximaal: 6 weken", 1
        )
        procedure = loads_procedure(text)
        case = make_case(procedure, state="formele_klacht.onderzoek", at=START)
        step = ExtensionStep(
            Duration.parse("6 weken"), dt.date(2026, 3, 20), ("klager", "beklaagde")
        )
        clock = attrs.evolve(case.clocks["afhandeling"], extensions=(step,))
        forged = attrs.evolve(case, clocks={**case.clocks, "afhandeling": clock})

        assert "AUDIT-OPEN-AWB-9:11-01" in _codes(
            forged, procedure, dt.date(2026, 5, 14)
        )


class TestGroundsReportsLetters:
    @pytest.mark.parametrize(
        "row",
        [
            (
                "gemeente-awb",
                "formele_klacht.horen",
                "zie_af_van_horen",
                "grond_niet_horen",
                "werkdruk",
                "AUDIT-AWB-9:10-02",
            ),
            (
                "gemeente-awb",
                "formele_klacht.onderzoek",
                "weiger_behandeling",
                "weigergrond",
                "ouder_dan_zes_maanden",
                "AUDIT-AWB-9:8-02",
            ),
            (
                "bezwaar-awb",
                "behandeling",
                "zie_af_van_horen",
                "grond_niet_horen",
                "werkdruk",
                "AUDIT-BZW-7:3-01",
            ),
        ],
    )
    def test_ground_outside_the_list(
        self, row: tuple[str, str, str, str, str, str]
    ) -> None:
        """A ground the law does not list (Awb 9:10 lid 2, 9:8, 7:3) is a finding."""
        template, state, action, field, value, code = row
        procedure, engine, case = _case(template, state)
        done = assert_transition(
            engine, case, action, to=procedure.actions[action].target or state
        )
        today = done.history[-1].legal_date

        assert code not in _codes(done, procedure, today)
        assert code in _codes(_with_value(done, field, value), procedure, today)

    @pytest.mark.parametrize(
        ("template", "state", "action", "field", "code"),
        [
            (
                "gemeente-awb",
                "formele_klacht.horen",
                "hoor_partijen",
                "hoorverslag",
                "AUDIT-AWB-9:10-03",
            ),
            (
                "gemeente-awb",
                "formele_klacht.onderzoek",
                "weiger_behandeling",
                "ombudsman_verwijzing",
                "AUDIT-AWB-9:8-03",
            ),
            (
                "gemeente-awb",
                "formele_klacht.oordeelsvorming",
                "handel_af",
                "bevindingen",
                "AUDIT-AWB-9:12-01",
            ),
            ("bezwaar-awb", "behandeling", "hoor", "hoorverslag", "AUDIT-BZW-7:7-01"),
            (
                "bezwaar-awb",
                "beslissing_voorbereid",
                "beslis",
                "motivering",
                "AUDIT-BZW-7:12-01",
            ),
            (
                "zorgaanbieder-wkkgz",
                "klacht.onderzoek",
                "doe_mededeling",
                "realisatietermijn_maatregelen",
                "AUDIT-WKKGZ-17-03",
            ),
            (
                "jeugdhulp-jeugdwet",
                "klacht.horen",
                "geef_oordeel",
                "motivering",
                "AUDIT-JW-4.2.1-07",
            ),
            (
                "jeugdhulp-jeugdwet",
                "oordeel_gegeven",
                "deel_maatregelen_mee",
                "maatregelen",
                "AUDIT-JW-4.2.1-08",
            ),
        ],
    )
    def test_letter_or_report_without_its_content(
        self, template: str, state: str, action: str, field: str, code: str
    ) -> None:
        """A hearing without report, a letter without a content the law requires."""
        procedure, engine, case = _case(template, state)
        done = assert_transition(
            engine, case, action, to=procedure.actions[action].target or state
        )
        today = done.history[-1].legal_date

        assert code not in _codes(done, procedure, today)
        assert code in _codes(_without(done, field), procedure, today)


def test_ingebrekestelling_before_the_decision_term() -> None:
    """Awb 4:17 lid 3: an ingebrekestelling recorded while the decision term ran."""
    procedure = builtin_procedure("bezwaar-awb")
    lax = loads_procedure(
        template_text("bezwaar-awb").replace(
            '    vereist: [datum_ingebrekestelling]\n    grondslag: {wet: Awb, artikel: "4:17", lid: 3}',
            "    vereist: [datum_ingebrekestelling]\n    grondslag: {regeling: ander systeem}",
        )
    )
    engine = Engine(lax, backdating=None)
    case = make_case(lax, state="behandeling", engine=engine, at=START)
    early = assert_transition(
        engine,
        case,
        "ontvang_ingebrekestelling",
        to="behandeling",
        at=START + dt.timedelta(days=10),
    )

    assert "AUDIT-BZW-4:17-03" in _codes(
        early, procedure, START.date() + dt.timedelta(days=30)
    )


def test_audit_layer_claims_are_audited() -> None:
    """Each obligation the model says audit covers is of a kind an audit reads."""
    by_regime_audits = (Step, Separation, RoleLimit, Extension)
    claimed = [
        o for r in REGIMES.values() for o in r.obligations if Layer.AUDIT in o.layers
    ]

    assert [] == [
        o.code for o in claimed if not isinstance(o, (*AUDITED, *by_regime_audits))
    ]
