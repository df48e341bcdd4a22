"""Rule pack jeugdwet: every rule has a passing and a failing example."""

from __future__ import annotations

import pytest

from klachtflow import loads_procedure
from klachtflow.compliance import PACKS, check_procedure
from klachtflow.definition.templates import template_text

TEMPLATE = template_text("jeugdhulp-jeugdwet")

MUTATIONS = [
    (
        "JW-4.2.1-01",
        "    naar: oordeel_gegeven\n    wie: [klachtencommissie]",
        "    naar: oordeel_gegeven\n    wie: [klachtencommissie, medewerker]",
    ),
    (
        "JW-4.2.1-02",
        '    resultaat_veld: oordeel\n    scheiding:\n      - niet_partij: beklaagde\n        grondslag: {wet: Jeugdwet, artikel: "4.2.1", lid: 2, onderdeel: b}\n',
        "    resultaat_veld: oordeel\n",
    ),
    (
        "JW-4.2.1-03",
        '      - {wet: Jeugdwet, artikel: "4.2.1", lid: 2, onderdeel: c}\n      - regeling: Klachtenregeling jeugdhulpaanbieder\n        toelichting: Keuze',
        "      - regeling: Klachtenregeling jeugdhulpaanbieder\n        toelichting: Keuze",
    ),
    ("JW-4.2.1-04", "    duur: 1 maand", "    duur: 2 maanden"),
    (
        "JW-4.2.1-06",
        '        grondslag: {wet: Jeugdwet, artikel: "4.2.1", lid: 2, onderdeel: b}\n'
        '    grondslag: {wet: Jeugdwet, artikel: "4.2.1", lid: 2, onderdeel: e}',
        '        grondslag: {wet: Jeugdwet, artikel: "4.2.1", lid: 2, onderdeel: b}\n'
        "    grondslag: {regeling: eigen}",
    ),
    (
        "JW-4.2.1-07",
        "    vereist: [oordeel, motivering, aanbevelingen]",
        "    vereist: [oordeel, aanbevelingen]",
    ),
    ("JW-4.2.1-08", "    vereist: [maatregelen]\n", ""),
    (
        "JW-4.1.9-01",
        "    naar: maatregelen_meegedeeld\n    wie: [jeugdhulpaanbieder]",
        "    naar: maatregelen_meegedeeld\n    wie: [jeugdhulpaanbieder, vertrouwenspersoon]",
    ),
    (
        "JW-4.2.1-05",
        "    naar: gesprek\n    wie: [medewerker]\n    grondslag: {regeling: Klachtenregeling jeugdhulpaanbieder}",
        '    naar: gesprek\n    wie: [medewerker]\n    grondslag: {wet: Awb, artikel: "9:5"}',
    ),
]


def codes(text: str) -> set[str]:
    return {f.code for f in check_procedure(loads_procedure(text)).findings}


def test_template_has_no_findings() -> None:
    """jeugdhulp-jeugdwet passes every jeugdwet rule, warnings included."""
    report = check_procedure(loads_procedure(TEMPLATE))

    assert ("jeugdwet",) == report.packs
    assert [] == [f.code for f in report.findings]


@pytest.mark.parametrize(
    ("code", "old", "new"), MUTATIONS, ids=[c for c, _, _ in MUTATIONS]
)
def test_breaking_the_element_is_caught(code: str, old: str, new: str) -> None:
    """Removing or breaking a legally required element yields its rule's finding."""
    assert old in TEMPLATE, "mutation no longer matches the template"

    assert code in codes(TEMPLATE.replace(old, new, 1))


def test_every_rule_has_a_failing_example() -> None:
    """Each rule of the pack appears among the mutations."""
    assert {rule.code for rule in PACKS["jeugdwet"]} == {
        code for code, _, _ in MUTATIONS
    }
