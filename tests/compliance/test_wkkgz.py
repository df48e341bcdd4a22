"""Rule pack wkkgz: every rule has a passing and a failing example."""

from __future__ import annotations

import pytest

from klachtflow import loads_procedure
from klachtflow.compliance import PACKS, check_procedure
from klachtflow.definition.templates import template_text

TEMPLATE = template_text("zorgaanbieder-wkkgz")

MUTATIONS = [
    (
        "WKKGZ-14-01",
        "    vereist: [datum_indiening, omschrijving_gedraging]\n    controles:\n      - {veld: schriftelijk, is: true}\n",
        "",
    ),
    (
        "WKKGZ-15-01",
        "    naar: afgehandeld\n    wie: [zorgaanbieder]",
        "    naar: afgehandeld\n    wie: [zorgaanbieder, klachtenfunctionaris]",
    ),
    ("WKKGZ-16-01", "informeren: true", "informeren: false"),
    (
        "WKKGZ-16-02",
        '    resultaat_veld: oordeel\n    scheiding:\n      - niet_partij: beklaagde\n        grondslag: {wet: Wkkgz, artikel: "16"}\n',
        "    resultaat_veld: oordeel\n",
    ),
    (
        "WKKGZ-17-01",
        "    titel: Schriftelijke mededeling\n    duur: 6 weken",
        "    titel: Schriftelijke mededeling\n    duur: 8 weken",
    ),
    ("WKKGZ-17-02", "      maximaal: 4 weken", "      maximaal: 6 weken"),
    ("WKKGZ-17-04", "      melden_aan: [klager]", "      melden_aan: [beklaagde]"),
    (
        "WKKGZ-17-03",
        "    vereist: [oordeel, beslissingen, realisatietermijn_maatregelen, verwijzing_geschilleninstantie]",
        "    vereist: [oordeel, verwijzing_geschilleninstantie]",
    ),
    ("WKKGZ-22-01", "    duur: 6 maanden", "    duur: 3 maanden"),
    (
        "WKKGZ-21-01",
        '    vereist: [datum_voorlegging, grond_voorlegging]\n    grondslag: {wet: Wkkgz, artikel: "21"}',
        "    vereist: [datum_voorlegging, grond_voorlegging]\n    grondslag: {regeling: eigen}",
    ),
    (
        "WKKGZ-17-05",
        "      melden_aan: [klager]",
        "      melden_aan: [klager]\n      verder_uitstel:\n        actie: verleng\n"
        "        instemming_van: [klager]",
    ),
]


def codes(text: str) -> set[str]:
    return {f.code for f in check_procedure(loads_procedure(text)).findings}


def test_template_has_no_findings() -> None:
    """zorgaanbieder-wkkgz passes every wkkgz rule, warnings included."""
    report = check_procedure(loads_procedure(TEMPLATE))

    assert ("wkkgz",) == report.packs
    assert [] == [f.code for f in report.findings]


@pytest.mark.parametrize(
    ("code", "old", "new"),
    MUTATIONS,
    ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(MUTATIONS)],
)
def test_breaking_the_element_is_caught(code: str, old: str, new: str) -> None:
    """Removing or breaking a legally required element yields its rule's finding."""
    assert old in TEMPLATE, "mutation no longer matches the template"

    assert code in codes(TEMPLATE.replace(old, new))


def test_every_rule_has_a_failing_example() -> None:
    """Each rule of the pack appears among the mutations."""
    assert {rule.code for rule in PACKS["wkkgz"]} == {code for code, _, _ in MUTATIONS}
