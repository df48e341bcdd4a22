"""Rule pack awb9: every rule has a passing and a failing example.

The template gemeente-awb passes every rule; each mutation below removes or
breaks one legally required element and must be caught by its rule.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from klachtflow import loads_procedure
from klachtflow.adapters.cli import main
from klachtflow.compliance import PACKS, Severity, UnknownRulePack, check_procedure
from klachtflow.definition.templates import (
    builtin_procedure,
    template_names,
    template_text,
)
from klachtflow.testing import make_procedure

TEMPLATE = template_text("gemeente-awb")

#: (rule code, old text, new text): one legally required element broken.
MUTATIONS = [
    (
        "AWB-9:6-01",
        '    grondslag: {wet: Awb, artikel: "9:6"}',
        "    grondslag: {regeling: eigen}",
    ),
    (
        "AWB-9:7-01",
        '    scheiding:\n      - niet_partij: beklaagde\n        tenzij:\n          - {veld: klacht_over_bestuursorgaan, is: true}\n        grondslag:\n          - {wet: Awb, artikel: "9:7", lid: 1}\n          - {wet: Awb, artikel: "9:7", lid: 2}\n',
        "",
    ),
    (
        "AWB-9:8-01",
        "    duur: 4 weken\n    vanaf_veld: datum_ontvangst",
        "    duur: 6 weken\n    vanaf_veld: datum_ontvangst",
    ),
    (
        "AWB-9:9-01",
        '    grondslag: {wet: Awb, artikel: "9:9"}\n  hoor_partijen:',
        "    grondslag: {regeling: eigen}\n  hoor_partijen:",
    ),
    (
        "AWB-9:10-01",
        '      - {wet: Awb, artikel: "9:10", lid: 1}\n      - {wet: Awb, artikel: "9:10", lid: 3}',
        "      - {regeling: eigen}",
    ),
    ("AWB-9:10-02", "    vereist: [grond_niet_horen]\n", ""),
    (
        "AWB-9:11-01",
        "    titel: Afhandeling klacht\n    duur: 6 weken",
        "    titel: Afhandeling klacht\n    duur: 8 weken",
    ),
    ("AWB-9:11-02", "      maximaal: 4 weken", "      maximaal: 6 weken"),
    (
        "AWB-9:11-04",
        "      melden_aan: [klager, beklaagde]",
        "      melden_aan: [klager]",
    ),
    (
        "AWB-9:8-02",
        "      - ouder_dan_een_jaar\n",
        "      - ouder_dan_zes_maanden\n",
    ),
    (
        "AWB-9:8-03",
        "    vereist: [weigergrond, ombudsman_verwijzing]",
        "    vereist: [weigergrond]",
    ),
    (
        "AWB-9:10-02",
        "    waarden: [kennelijk_ongegrond, klager_ziet_af, geen_reactie_binnen_termijn]",
        "    waarden: [kennelijk_ongegrond, klager_ziet_af, werkdruk]",
    ),
    ("AWB-9:10-03", "    vereist: [hoorverslag]\n", ""),
    ("AWB-9:15-01", "    vereist: [hoorverslag, advies]", "    vereist: [advies]"),
    (
        "AWB-9:11-03",
        "        instemming_van: [klager]\n        schriftelijk: true",
        "        instemming_van: [beklaagde]\n        schriftelijk: true",
    ),
    (
        "AWB-9:12-01",
        "    vereist: [bevindingen, oordeel, conclusies, ombudsman_verwijzing, verbetermaatregelen]",
        "    vereist: [bevindingen, oordeel, conclusies, verbetermaatregelen]",
    ),
    (
        "AWB-9:5-01",
        '    instemming:\n      van: [klager]\n      grondslag: {wet: Awb, artikel: "9:5"}\n',
        "",
    ),
    (
        "AWB-9:20-01",
        "    pas_na_verstrijken: [afhandeling, afhandeling_advies]\n",
        "",
    ),
    ("AWB-9:24-01", "    duur: 1 jaar", "    duur: 2 jaar"),
    (
        "KF-GRAAF-01",
        '    informeren: true\n    grondslag: {wet: Awb, artikel: "9:2"}\n  start_bemiddeling:',
        "    informeren: true\n  start_bemiddeling:",
    ),
]


#: The practice templates that also run under awb9 are guarded by the same
#: mutations: shared text is broken the same way, their own text explicitly.
PRACTICE_OVERRIDES: dict[str, list[tuple[str, str, str]]] = {
    "veilig-thuis": [
        (
            "AWB-9:20-01",
            "    van: [afgehandeld, niet_in_behandeling]",
            "    van: [afgehandeld, niet_in_behandeling, formele_klacht]",
        ),
        (
            "AWB-9:10-03",
            "    vereist: [datum_gesprek_aangeboden, hoorverslag]\n",
            "    vereist: [datum_gesprek_aangeboden]\n",
        ),
        (
            "AWB-9:10-02",
            "    vereist: [datum_gesprek_aangeboden, grond_niet_horen]\n",
            "    vereist: [datum_gesprek_aangeboden]\n",
        ),
        (
            "KF-GRAAF-01",
            '    informeren: true\n    grondslag: {wet: Awb, artikel: "9:2"}\n'
            "  los_informeel_op:",
            "    informeren: true\n  los_informeel_op:",
        ),
    ],
    "klachtencoordinator-sociaal-domein": [
        (
            "AWB-9:20-01",
            "    van: [afgehandeld, niet_in_behandeling]",
            "    van: [afgehandeld, niet_in_behandeling, formele_klacht]",
        ),
        (
            "AWB-9:7-01",
            "    scheiding:\n      - niet_partij: [beklaagde, betrokken_aanbieder]\n"
            "        tenzij:\n          - {veld: klacht_over_bestuursorgaan, is: true}\n"
            "        grondslag:\n"
            '          - {wet: Awb, artikel: "9:7", lid: 1}\n'
            '          - {wet: Awb, artikel: "9:7", lid: 2}\n',
            "",
        ),
        (
            "AWB-9:11-04",
            "      melden_aan: [klager, beklaagde, betrokken_aanbieder]",
            "      melden_aan: [klager, betrokken_aanbieder]",
        ),
    ],
    "sociaal-domein-stichtse-vecht": [
        # The letters (brief) carry what free fields approximated before (issue #17).
        (
            "AWB-9:6-01",
            '      stop: [ontvangstbevestiging]\n    grondslag: {wet: Awb, artikel: "9:6"}',
            "      stop: [ontvangstbevestiging]\n    grondslag: {regeling: eigen}",
        ),
        (
            "AWB-9:8-03",
            "      inhoud: [weigergrond, verwijzing_ombudsman]",
            "      inhoud: [weigergrond]",
        ),
        (
            "AWB-9:12-01",
            "      inhoud: [bevindingen, oordeel, conclusies, verwijzing_ombudsman]",
            "      inhoud: [bevindingen, oordeel, conclusies]",
        ),
        (
            "AWB-9:20-01",
            "    van: [afgehandeld, niet_in_behandeling]",
            "    van: [afgehandeld, niet_in_behandeling, formele_klacht]",
        ),
    ],
    "klachtenregeling-igz": [
        ("AWB-9:6-01", '      - {wet: Awb, artikel: "9:6"}\n', ""),
        (
            "AWB-9:7-01",
            "    wie: [klachtencoordinator]\n    vereist: [datum_afschrift]\n    scheiding:\n"
            "      - niet_partij: beklaagde\n"
            '        grondslag: {wet: Awb, artikel: "9:7", lid: 1}\n',
            "    wie: [klachtencoordinator]\n    vereist: [datum_afschrift]\n",
        ),
        ("AWB-9:9-01", '      - {wet: Awb, artikel: "9:9"}\n', ""),
        (
            "AWB-9:8-03",
            "    vereist: [weigergrond, motivering_weigering, ombudsman_verwijzing]",
            "    vereist: [weigergrond, motivering_weigering]",
        ),
        (
            "AWB-9:10-02",
            "    waarden: [kennelijk_ongegrond, klager_ziet_af]",
            "    waarden: [kennelijk_ongegrond, klager_ziet_af, werkdruk]",
        ),
        (
            "AWB-9:15-01",
            "    vereist: [hoorverslag, advies, advies_oordeel]",
            "    vereist: [advies, advies_oordeel]",
        ),
        (
            "AWB-9:12-01",
            "    vereist: [bevindingen, oordeel, conclusies, ombudsman_verwijzing]\n",
            "    vereist: [bevindingen, oordeel, conclusies]\n",
        ),
        (
            "AWB-9:20-01",
            "    pas_na_verstrijken: [afhandeling, afhandeling_advies]\n    naar: bij_ombudsman",
            "    naar: bij_ombudsman",
        ),
        (
            "KF-GRAAF-01",
            '    resultaat: ingetrokken\n    grondslag: {wet: Awb, artikel: "9:1", toelichting: '
            '"Wie mag klagen, mag de klacht intrekken."}\n',
            "    resultaat: ingetrokken\n",
        ),
    ],
}


#: Rules a practice template gives no occasion to break (it has no committee).
NOT_APPLICABLE = {"veilig-thuis": {"AWB-9:15-01"}}


def practice_mutations() -> list[tuple[str, str, str, str]]:
    """(template, code, old, new) for every awb9 practice template."""
    out = []
    for name, own in PRACTICE_OVERRIDES.items():
        replaced = {code for code, _, _ in own} | NOT_APPLICABLE.get(name, set())
        shared = [m for m in MUTATIONS if m[0] not in replaced]
        out += [(name, *m) for m in [*shared, *own]]
    return out


def codes(text: str) -> set[str]:
    return {f.code for f in check_procedure(loads_procedure(text)).findings}


class TestTemplate:
    def test_gemeente_awb_has_no_findings(self) -> None:
        """The municipal template passes every awb9 rule, warnings included."""
        report = check_procedure(loads_procedure(TEMPLATE))

        assert ("awb9",) == report.packs
        assert [] == [f.code for f in report.findings]
        assert report.compliant

    @pytest.mark.parametrize("name", sorted(PRACTICE_OVERRIDES))
    def test_practice_templates_have_no_findings(self, name: str) -> None:
        """The awb9 practice templates pass every awb9 rule too."""
        report = check_procedure(loads_procedure(template_text(name)))

        assert ("awb9",) == report.packs
        assert [] == [f.code for f in report.findings]

    def test_every_awb9_template_is_mutated(self) -> None:
        """No template under awb9 escapes the mutation test."""
        awb9 = {n for n in template_names() if builtin_procedure(n).regime == "awb9"}

        assert awb9 == {"gemeente-awb", *PRACTICE_OVERRIDES}


class TestEveryRule:
    @pytest.mark.parametrize(
        ("code", "old", "new"),
        MUTATIONS,
        ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(MUTATIONS)],
    )
    def test_breaking_the_element_is_caught(
        self, code: str, old: str, new: str
    ) -> None:
        """Removing or breaking a legally required element yields its rule's finding."""
        assert old in TEMPLATE, "mutation no longer matches the template"

        assert code in codes(TEMPLATE.replace(old, new, 1))

    @pytest.mark.parametrize(
        ("name", "code", "old", "new"),
        practice_mutations(),
        ids=[f"{n}-{c}-{i}" for i, (n, c, _, _) in enumerate(practice_mutations())],
    )
    def test_breaking_a_practice_template_is_caught(
        self, name: str, code: str, old: str, new: str
    ) -> None:
        """The practice templates under awb9 are guarded by the same rules."""
        text = template_text(name)
        assert old in text, "mutation no longer matches the template"

        assert code in codes(text.replace(old, new, 1))

    def test_every_rule_has_a_failing_example(self) -> None:
        """Each rule of the pack appears among the mutations (or its own test)."""
        covered = {code for code, _, _ in MUTATIONS} | {"AWB-9:12a-01"}

        assert {rule.code for rule in PACKS["awb9"]} == covered

    def test_registration(self) -> None:
        """Awb 9:12a: without categories there is nothing to register (waarschuwing)."""
        report = check_procedure(make_procedure(regime="awb9"))
        found = {f.code: f for f in report.findings}

        assert Severity.WAARSCHUWING == found["AWB-9:12a-01"].severity

    def test_findings_cite_their_article_and_position(self) -> None:
        """A finding names its article with a wetten.overheid.nl link and its line."""
        text = TEMPLATE.replace("      maximaal: 4 weken", "      maximaal: 6 weken", 1)
        finding = next(
            f for f in check_procedure(loads_procedure(text, source="k.yaml")).findings
        )

        assert "Awb 9:11 lid 2 (BWBR0005537)" == finding.article
        assert (finding.basis.url or "").startswith(
            "https://wetten.overheid.nl/jci1.3:c:BWBR0005537"
        )
        assert text.splitlines()[finding.line - 1].strip().startswith("maximaal:")


class TestPacks:
    def test_other_regimes_get_no_pack_by_default(self) -> None:
        """A procedure of regime 'eigen' is checked against no pack unless named."""
        assert () == check_procedure(make_procedure()).packs

    def test_unknown_pack(self) -> None:
        """An unknown pack name is refused with the known ones."""
        with pytest.raises(UnknownRulePack) as info:
            check_procedure(make_procedure(), packs=["wkgz"])

        assert "awb9" in info.value.known


class TestCheckCommand:
    @pytest.fixture
    def broken(self, tmp_path: Path) -> Path:
        path = tmp_path / "klacht.yaml"
        path.write_text(
            TEMPLATE.replace("      maximaal: 4 weken", "      maximaal: 6 weken", 1),
            "utf-8",
        )
        return path

    def test_compliant_exits_0(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """No errors: exit 0 and 'voldoet'."""
        path = tmp_path / "ok.yaml"
        path.write_text(TEMPLATE, "utf-8")

        assert 0 == main(["check", str(path)])
        assert "voldoet (regels: awb9" in capsys.readouterr().out

    def test_errors_exit_1_in_dutch(
        self, broken: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Errors: exit 1, each with position, article and fix."""
        code = main(["check", str(broken)])
        out = capsys.readouterr().out

        assert 1 == code
        assert "voldoet niet" in out
        assert f"{broken}:" in out
        assert "AWB-9:11-02, Awb 9:11 lid 2 (BWBR0005537)" in out
        assert "oplossing:" in out

    def test_json(self, broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """--format json: one object per file with every finding."""
        main(["check", str(broken), "--format", "json"])
        data = json.loads(capsys.readouterr().out)

        assert data["voldoet"] is False
        assert {"AWB-9:11-02"} == {
            f["code"] for f in data["bestanden"][0]["bevindingen"]
        }

    def test_sarif(self, broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """--format sarif: SARIF 2.1.0 with rules and located results."""
        main(["check", str(broken), "--format", "sarif"])
        sarif = json.loads(capsys.readouterr().out)
        run = sarif["runs"][0]
        result = run["results"][0]

        assert "2.1.0" == sarif["version"]
        assert "klachtflow" == run["tool"]["driver"]["name"]
        assert (
            "AWB-9:11-02" == run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"]
        )
        assert "error" == result["level"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] > 1

    def test_invalid_procedure_exits_2(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A file that is not a valid procedure is exit 2, as with validate."""
        path = tmp_path / "kapot.yaml"
        path.write_text("naam: [\n", "utf-8")

        assert 2 == main(["check", str(path)])

    def test_named_pack(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--regels awb9 applies the pack to any regime."""
        path = Path(__file__).resolve().parents[1] / "procedures" / "minimaal.yaml"
        code = main(["check", str(path), "--regels", "awb9"])

        assert 1 == code
        assert "AWB-9:6-01" in capsys.readouterr().out


def test_every_rule_is_documented() -> None:
    """docs/reference/compliance.md lists every rule code with its article."""
    page = (
        Path(__file__).resolve().parents[2] / "docs" / "reference" / "compliance.md"
    ).read_text("utf-8")

    assert [] == [
        r.code for rules in PACKS.values() for r in rules if f"`{r.code}`" not in page
    ]
