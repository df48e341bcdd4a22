"""Built-in templates and the published JSON Schema."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import jsonschema
import pytest

from klachtflow import Procedure, UnknownTemplate, builtin_procedure, template_names
from klachtflow.adapters.cli import schema_text
from klachtflow.definition._spec import json_schema
from klachtflow.definition._yaml import read_yaml
from klachtflow.definition.model import TermKind, Unit
from klachtflow.definition.templates import template_text


def _as_json(text: str) -> Any:
    document, _ = read_yaml(text, "t")
    assert document is not None
    return json.loads(json.dumps(document.data, default=lambda v: v.isoformat()))


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(schema_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.FormatChecker()
    )


class TestSchema:
    def test_shipped_schema_is_generated_from_the_spec(self) -> None:
        """The schema file in the package equals what the spec generates (no drift)."""
        assert json_schema() == json.loads(schema_text())

    @pytest.mark.parametrize("name", template_names())
    def test_schema_accepts_every_template(
        self, name: str, validator: jsonschema.protocols.Validator
    ) -> None:
        """Each template validates against the JSON Schema."""
        errors = list(validator.iter_errors(_as_json(template_text(name))))

        assert [] == [e.message for e in errors]

    @pytest.mark.parametrize(
        "path",
        [
            (),
            ("rollen", "klager"),
            ("statussen", "onvrede"),
            ("acties", "verdaag"),
            ("termijnen", "afhandeling"),
        ],
    )
    def test_schema_rejects_unknown_keys(
        self, path: tuple[str, ...], validator: jsonschema.protocols.Validator
    ) -> None:
        """An unknown key anywhere is a schema error, as it is for the loader."""
        data = _as_json(template_text("gemeente-awb"))
        node = data
        for part in path:
            node = node[part]
        node["onbekende_sleutel"] = 1

        assert not validator.is_valid(data)


class TestTemplates:
    def test_listing(self) -> None:
        """gemeente-awb is among the built-in templates."""
        assert "gemeente-awb" in template_names()

    def test_unknown_template(self) -> None:
        """An unknown name raises UnknownTemplate with a suggestion."""
        with pytest.raises(UnknownTemplate) as info:
            builtin_procedure("gemeente-abw")

        assert "Bedoelde u 'gemeente-awb'?" == info.value.hint
        assert "gemeente-awb" in info.value.known


@pytest.fixture(scope="module")
def procedure() -> Procedure:
    """The gemeente-awb template, loaded once."""
    return builtin_procedure("gemeente-awb")


class TestGemeenteAwb:
    """The municipal chain that the rest of klachtflow is tested on."""

    def test_identity(self, procedure: Procedure) -> None:
        """Schema, regime and validity date are set."""
        assert ("klachtflow/1", "awb9", dt.date(2026, 1, 1)) == (
            procedure.schema,
            procedure.regime,
            procedure.valid_from,
        )

    def test_every_element_cites_its_basis(self, procedure: Procedure) -> None:
        """Every action, term and result names its legal basis (or a local rule)."""
        missing = [
            f"{kind}:{name}"
            for kind, items in (
                ("actie", procedure.actions),
                ("termijn", procedure.terms),
                ("resultaat", procedure.results),
            )
            for name, item in items.items()
            if not item.basis
        ]

        assert [] == missing

    def test_awb_9_11_handling_term(self, procedure: Procedure) -> None:
        """Awb 9:11 lid 1: "binnen zes weken ... na ontvangst van het klaagschrift";
        lid 2: "voor ten hoogste vier weken verdagen", notice to klager and beklaagde;
        lid 3: further delay only "voor zover de klager daarmee schriftelijk instemt"."""
        term = procedure.terms["afhandeling"]

        assert (6, Unit.WEKEN, TermKind.FATAAL, True) == (
            term.duration.amount,
            term.duration.unit,
            term.kind,
            term.atw,
        )
        assert "datum_ontvangst" == term.from_field
        assert term.extension is not None
        assert (4, Unit.WEKEN) == (
            term.extension.maximum.amount,
            term.extension.maximum.unit,
        )
        assert {"klager", "beklaagde"} == set(term.extension.notify)
        assert term.extension.further is not None
        assert ("klager",) == term.extension.further.consent_of
        assert term.extension.further.written
        assert ("afhandeling", "afhandeling_advies") == procedure.actions[
            "verdaag"
        ].terms.extend

    def test_awb_9_11_ten_weeks_with_advisory_committee(
        self, procedure: Procedure
    ) -> None:
        """Awb 9:11 lid 1: ten weeks when afdeling 9.1.3 (klachtadviesprocedure) applies."""
        term = procedure.terms["afhandeling_advies"]

        assert "10 weken" == str(term.duration)
        assert "afhandeling" in procedure.actions["vraag_advies"].terms.stop
        assert ("afhandeling_advies",) == procedure.actions["vraag_advies"].terms.start

    def test_awb_9_7_separation_on_handling_actions(self, procedure: Procedure) -> None:
        """Awb 9:7 lid 1: handled by "een persoon die niet bij de gedraging ...
        betrokken is geweest"; lid 2 excepts complaints about the organ itself."""
        for name in (
            "stuur_afschrift",
            "hoor_partijen",
            "zie_af_van_horen",
            "handel_af",
        ):
            rule = procedure.actions[name].separation[0]

            assert ("beklaagde",) == rule.targets
            assert "klacht_over_bestuursorgaan" == rule.unless[0].field

    def test_awb_9_8_refusal_within_four_weeks(self, procedure: Procedure) -> None:
        """Awb 9:8 lid 3: notice "uiterlijk binnen vier weken na ontvangst"."""
        term = procedure.terms["weigering"]

        assert "4 weken" == str(term.duration)
        assert "datum_ontvangst" == term.from_field
        assert "formele_klacht" in {t.name for t in term.stop}

    def test_awb_9_24_ombudsman_year_without_atw(self, procedure: Procedure) -> None:
        """Awb 9:24: one year; Atw art 4 excludes terms in years."""
        term = procedure.terms["ombudsman_verzoek"]

        assert ("1 jaar", False) == (str(term.duration), term.atw)

    def test_awb_9_5_informal_resolution_needs_klager_consent(
        self, procedure: Procedure
    ) -> None:
        """Awb 9:5: resolved "naar tevredenheid van de klager"."""
        action = procedure.actions["los_informeel_op"]

        assert action.consent is not None
        assert ("klager",) == action.consent.parties
        assert "opgelost" == action.result

    def test_mediation_needs_both_parties(self, procedure: Procedure) -> None:
        """Bemiddeling only with instemming of klager and beklaagde (seed 003)."""
        consent = procedure.actions["start_bemiddeling"].consent

        assert consent is not None
        assert ("klager", "beklaagde") == consent.parties

    def test_closing_notice_content(self, procedure: Procedure) -> None:
        """Awb 9:12: findings, judgement, conclusions and the ombudsman referral."""
        required = set(procedure.actions["handel_af"].required)

        assert {
            "bevindingen",
            "oordeel",
            "conclusies",
            "ombudsman_verwijzing",
        } <= required
        assert "oordeel" == procedure.actions["handel_af"].result_field

    def test_retention_follows_selectielijst(self, procedure: Procedure) -> None:
        """Selectielijst 13.1: 5 years; via ombudsman (13.1.2): 10 years."""
        assert "5 jaar" == str(procedure.results["gegrond"].retention)
        assert "10 jaar" == str(procedure.results["via_ombudsman"].retention)

    def test_confidential_notes(self, procedure: Procedure) -> None:
        """The vertrouwenspersoon's notes are visible only to them and the klager."""
        field = procedure.fields["notities_vertrouwenspersoon"]

        assert frozenset({"vertrouwenspersoon", "klager"}) == field.visible_to
