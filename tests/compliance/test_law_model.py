"""The generic checks against the law model: every lawful choice accepted, every
departure found (issue 13's examples, each first reproduced as a failing case)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from klachtflow import loads_procedure
from klachtflow.compliance import PACKS, check_procedure
from klachtflow.compliance.reference import coverage_table, pack_tables
from klachtflow.definition.templates import template_text
from klachtflow.law import REGIMES, Layer

Data = dict[str, Any]


def _data(template: str) -> Data:
    data: Data = yaml.safe_load(template_text(template))
    return data


def _codes(data: Data) -> set[str]:
    text = json.dumps(data, default=str, ensure_ascii=False)
    return {f.code for f in check_procedure(loads_procedure(text)).findings}


def _changed(template: str, change: Callable[[Data], None]) -> set[str]:
    data = copy.deepcopy(_data(template))
    change(data)
    return _codes(data)


class TestLawfulChoicesAccepted:
    def test_shorter_awb_term(self) -> None:
        """Awb 9:11 lid 1 "binnen zes weken": handling within 4 weeks is lawful."""

        def four(d: Data) -> None:
            d["termijnen"]["afhandeling"]["duur"] = "4 weken"

        assert set() == _changed("gemeente-awb", four)

    def test_shorter_wkkgz_term(self) -> None:
        """Wkkgz 17 lid 1 "uiterlijk binnen zes weken": 4 weeks is lawful."""

        def four(d: Data) -> None:
            d["termijnen"]["afhandeling"]["duur"] = "4 weken"

        assert set() == _changed("zorgaanbieder-wkkgz", four)

    def test_shorter_jeugdwet_measures_term(self) -> None:
        """Jeugdwet 4.2.1 lid 5 "binnen een maand": 2 weeks is lawful."""

        def two(d: Data) -> None:
            d["termijnen"]["maatregelen"]["duur"] = "2 weken"

        assert set() == _changed("jeugdhulp-jeugdwet", two)

    def test_committee_handles_every_complaint_under_ten_weeks(self) -> None:
        """Awb 9:11 lid 1: ten weeks "indien afdeling 9.1.3 van toepassing is", for all."""

        def committee_only(d: Data) -> None:
            d["termijnen"]["afhandeling"]["duur"] = "10 weken"
            del d["termijnen"]["afhandeling_advies"]
            d["acties"]["vraag_advies"]["termijnen"] = {"stop": ["weigering"]}
            d["acties"]["verwijs_naar_ombudsman"]["pas_na_verstrijken"] = [
                "afhandeling"
            ]

        assert set() == _changed("gemeente-awb", committee_only)

    def test_wkkgz_by_its_full_name(self) -> None:
        """A Wkkgz procedure citing "Wet kwaliteit, klachten en geschillen zorg" passes."""
        text = template_text("zorgaanbieder-wkkgz").replace(
            "wet: Wkkgz", "wet: 'Wet kwaliteit, klachten en geschillen zorg'"
        )
        report = check_procedure(loads_procedure(text))

        assert ("wkkgz",) == report.packs
        assert [] == [f.code for f in report.findings]


class TestDeparturesFound:
    def test_term_counted_from_the_acknowledgement(self) -> None:
        """Awb 9:11 lid 1 "na ontvangst van het klaagschrift", not from the acknowledgement."""

        def from_acknowledgement(d: Data) -> None:
            d["acties"]["registreer_klaagschrift"]["termijnen"]["start"].remove(
                "afhandeling"
            )
            d["acties"]["bevestig_ontvangst"]["termijnen"]["start"] = ["afhandeling"]
            d["termijnen"]["afhandeling"].pop("vanaf_veld")

        assert "AWB-9:11-01" in _changed("gemeente-awb", from_acknowledgement)

    def test_ten_weeks_without_a_committee(self) -> None:
        """Ten weeks without afdeling 9.1.3 exceed Awb 9:11 lid 1."""

        def ten(d: Data) -> None:
            d["termijnen"]["afhandeling"]["duur"] = "10 weken"

        assert "AWB-9:11-01" in _changed("gemeente-awb", ten)

    @pytest.mark.parametrize(
        "action",
        [
            "los_informeel_op",
            "wijs_behandelaar_aan",
            "weiger_behandeling",
            "verwijs_naar_bezwaar",
            "breng_advies_uit",
            "hoor_partijen",
            "handel_af",
        ],
    )
    def test_every_act_of_handling_excludes_the_beklaagde(self, action: str) -> None:
        """Awb 9:7 lid 1: handled "door een persoon die niet bij de gedraging ... betrokken is"."""

        def open_to_beklaagde(d: Data) -> None:
            d["acties"][action].pop("scheiding")

        assert "AWB-9:7-01" in _changed("gemeente-awb", open_to_beklaagde)

    def test_bezwaar_notice_cites_lid_5_and_goes_to_all(self) -> None:
        """Awb 7:10 lid 5: notice to the belanghebbenden; the finding cites lid 5."""

        def indiener_only(d: Data) -> None:
            d["termijnen"]["beslistermijn"]["verlenging"]["melden_aan"] = ["indiener"]

        data = copy.deepcopy(_data("bezwaar-awb"))
        indiener_only(data)
        report = check_procedure(loads_procedure(json.dumps(data, default=str)))
        finding = next(f for f in report.findings if f.code == "BZW-7:10-05")

        assert "Awb 7:10 lid 5 (BWBR0005537)" == finding.article
        assert "belanghebbende" in finding.message

    def test_wkkgz_extension_notice_must_precede_expiry_and_reach_the_klager(
        self,
    ) -> None:
        """Wkkgz 17 lid 2: notice "aan de klager" "voor het verstrijken van de termijn"."""

        def nobody(d: Data) -> None:
            d["termijnen"]["afhandeling"]["verlenging"]["melden_aan"] = ["beklaagde"]

        assert "WKKGZ-17-04" in _changed("zorgaanbieder-wkkgz", nobody)


class TestModelAndDocs:
    def test_every_obligation_is_a_rule(self) -> None:
        """Each obligation of each regime is exactly one rule of its pack."""
        packs = {
            "awb9": "awb9",
            "bezwaar": "awb-bezwaar",
            "wkkgz": "wkkgz",
            "jeugdwet": "jeugdwet",
        }
        for name, regime in REGIMES.items():
            rules = {r.code for r in PACKS[packs[name]]}

            assert {o.code for o in regime.obligations} <= rules

    def test_every_obligation_is_checked(self) -> None:
        """check covers every obligation of the model."""
        assert all(
            Layer.CHECK in o.layers for r in REGIMES.values() for o in r.obligations
        )

    def test_reference_page_is_generated(self) -> None:
        """docs/reference/compliance.md holds exactly the generated tables."""
        page = (
            Path(__file__).resolve().parents[2] / "docs" / "reference" / "compliance.md"
        ).read_text("utf-8")

        assert pack_tables() in page
        assert coverage_table() in page
