"""Rule pack awb-bezwaar: every rule has a passing and a failing example."""

from __future__ import annotations

import datetime as dt

import pytest

from klachtflow import Actor, Case, Engine, builtin_procedure, loads_procedure
from klachtflow.compliance import PACKS, check_procedure
from klachtflow.definition.templates import template_text

TEMPLATE = template_text("bezwaar-awb")

MUTATIONS = [
    (
        "BZW-6:7-01",
        "    titel: Termijn voor het indienen van bezwaar\n    duur: 6 weken",
        "    titel: Termijn voor het indienen van bezwaar\n    duur: 8 weken",
    ),
    (
        "BZW-7:10-01",
        "      - termijn_verstreken: bezwaartermijn",
        "      - binnenkomst: ontvangen",
    ),
    (
        "BZW-7:10-02",
        "    termijnen:\n      opschorten: [beslistermijn]\n",
        "",
    ),
    ("BZW-7:10-03", "      maximaal: 6 weken", "      maximaal: 8 weken"),
    (
        "BZW-7:2-01",
        '      - {wet: Awb, artikel: "7:2", lid: 1}\n      - {wet: Awb, artikel: "7:7"}',
        '      - {wet: Awb, artikel: "7:7"}',
    ),
    (
        "BZW-7:5-01",
        '    scheiding:\n      - niet_partij: voorbereider\n        grondslag: {wet: Awb, artikel: "7:5", lid: 1}\n',
        "",
    ),
    (
        "BZW-4:17-01",
        "    duur: 42 dagen\n    atw: false",
        "    duur: 42 dagen\n    atw: true",
    ),
    (
        "BZW-7:10-04",
        "        instemming_van: [indiener, belanghebbende]",
        "        instemming_van: [indiener]",
    ),
    (
        "BZW-7:10-05",
        "      melden_aan: [indiener, belanghebbende]",
        "      melden_aan: [indiener]",
    ),
    (
        "BZW-7:3-01",
        "volledig_tegemoetgekomen]",
        "volledig_tegemoetgekomen, werkdruk]",
    ),
    ("BZW-7:7-01", "    vereist: [hoorverslag]\n", ""),
    (
        "BZW-7:12-01",
        "    vereist: [beslissing, motivering]",
        "    vereist: [beslissing]",
    ),
    (
        "BZW-4:17-02",
        "    titel: Twee weken na de ingebrekestelling\n    duur: 2 weken",
        "    titel: Twee weken na de ingebrekestelling\n    duur: 4 weken",
    ),
    (
        "BZW-4:17-03",
        '    grondslag: {wet: Awb, artikel: "7:10", lid: 1}\n  dwangsom_wachttijd:',
        "    grondslag: {regeling: eigen}\n  dwangsom_wachttijd:",
    ),
]


def codes(text: str) -> set[str]:
    return {f.code for f in check_procedure(loads_procedure(text)).findings}


def test_template_has_no_findings() -> None:
    """bezwaar-awb passes every awb-bezwaar rule, warnings included."""
    report = check_procedure(loads_procedure(TEMPLATE))

    assert ("awb-bezwaar",) == report.packs
    assert [] == [f.code for f in report.findings]


@pytest.mark.parametrize(
    ("code", "old", "new"), MUTATIONS, ids=[c for c, _, _ in MUTATIONS]
)
def test_breaking_the_element_is_caught(code: str, old: str, new: str) -> None:
    """Removing or breaking a legally required element yields its rule's finding."""
    assert old in TEMPLATE, "mutation no longer matches the template"

    assert code in codes(TEMPLATE.replace(old, new, 1))


#: A 7:13 committee that advises without hearing, and a 12-week term with it.
COMMITTEE = (
    "  beslis:\n",
    "  vraag_advies:\n"
    "    titel: Advies van de bezwaarcommissie\n"
    "    van: behandeling\n"
    "    wie: [bestuursorgaan]\n"
    "    vereist: [motivering]\n"
    '    grondslag: {wet: Awb, artikel: "7:13"}\n'
    "  beslis:\n",
)


def test_committee_hears() -> None:
    """Awb 7:13 lid 3: the commissie hears; advising without a hoorverslag is found."""
    assert COMMITTEE[0] in TEMPLATE

    assert "BZW-7:13-01" in codes(TEMPLATE.replace(*COMMITTEE, 1))


def test_twelve_weeks_only_with_a_committee() -> None:
    """Awb 7:10 lid 1: twelve weeks only "indien een commissie als bedoeld in artikel 7:13 is ingesteld"."""
    twelve = (
        "    titel: Beslissen op bezwaar\n    duur: 6 weken",
        "    titel: Beslissen op bezwaar\n    duur: 12 weken",
    )
    without = TEMPLATE.replace(*twelve, 1)
    with_committee = without.replace(*COMMITTEE, 1)

    assert "BZW-7:10-01" in codes(without)
    assert "BZW-7:10-01" not in codes(with_committee)


def test_every_rule_has_a_failing_example() -> None:
    """Each rule of the pack appears among the mutations (or its own test)."""
    assert {rule.code for rule in PACKS["awb-bezwaar"]} == {
        code for code, _, _ in MUTATIONS
    } | {"BZW-7:13-01"}


class TestTerms:
    """Awb 7:10 lid 1: the decision term counts "vanaf de dag na die waarop de termijn
    voor het indienen van het bezwaarschrift is verstreken"; lid 2 suspends it."""

    def test_decision_term_runs_from_the_end_of_the_objection_term(self) -> None:
        """Bekendmaking Thu 5 March 2026: bezwaartermijn to 16 April, decision by 28 May."""
        engine = Engine(builtin_procedure("bezwaar-awb"), backdating=None)
        case = engine.start(
            actor=Actor("b.1", roles={"behandelaar"}),
            parties={"indiener": ["i.1"], "voorbereider": ["v.1"]},
            data={"datum_bekendmaking": "2026-03-05"},
            at=dt.datetime(2026, 3, 20, 10, tzinfo=dt.UTC),
        )
        due = {d.name: d.due for d in case.deadlines}

        assert (dt.date(2026, 4, 16), dt.date(2026, 5, 28)) == (
            due["bezwaartermijn"],
            due["beslistermijn"],
        )

    @staticmethod
    def _case(received: str) -> tuple[Engine, Case]:
        engine = Engine(builtin_procedure("bezwaar-awb"), backdating=None)
        case = engine.start(
            actor=Actor("b.1", roles={"behandelaar"}),
            parties={"indiener": ["i.1"], "voorbereider": ["v.1"]},
            data={"datum_bekendmaking": "2026-03-05"},
            at=dt.datetime.fromisoformat(f"{received}T10:00:00+00:00"),
        )
        return engine, case

    def test_suspension_for_repair_adds_the_days(self) -> None:
        """Ten days of herstel verzuim after the decision term began: 28 May + 10 days
        is Sunday 7 June, so Monday 8 June (Atw art 1)."""
        engine, case = self._case("2026-04-10")
        behandelaar = Actor("b.1", roles={"behandelaar"})
        case = engine.fire(
            case,
            "vraag_herstel",
            actor=behandelaar,
            at=dt.datetime(2026, 4, 20, 10, tzinfo=dt.UTC),
            data={"verzuim": "handtekening ontbreekt", "hersteltermijn": "2026-05-04"},
        )
        case = engine.fire(
            case,
            "verzuim_hersteld",
            actor=behandelaar,
            at=dt.datetime(2026, 4, 30, 10, tzinfo=dt.UTC),
        )

        assert dt.date(2026, 6, 8) == case.clocks["beslistermijn"].due()

    def test_repair_before_the_decision_term_adds_nothing(self) -> None:
        """🔶 A repair requested and completed during the bezwaartermijn does not move
        the decision term: its days are not days of that term."""
        engine, case = self._case("2026-03-20")
        behandelaar = Actor("b.1", roles={"behandelaar"})
        case = engine.fire(
            case,
            "vraag_herstel",
            actor=behandelaar,
            at=dt.datetime(2026, 3, 23, 10, tzinfo=dt.UTC),
            data={"verzuim": "handtekening ontbreekt", "hersteltermijn": "2026-04-06"},
        )
        case = engine.fire(
            case,
            "verzuim_hersteld",
            actor=behandelaar,
            at=dt.datetime(2026, 4, 2, 10, tzinfo=dt.UTC),
        )

        assert dt.date(2026, 5, 28) == case.clocks["beslistermijn"].due()
