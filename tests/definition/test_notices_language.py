"""The language of the assigned handler and of letters: schema, validation with
file:line errors and hints, uitleg and diagram (issue #17 items 3 and 6)."""

from __future__ import annotations

import pytest

from klachtflow import (
    DefinitionError,
    builtin_procedure,
    loads_procedure,
    template_names,
)
from klachtflow.definition._spec import json_schema
from klachtflow.definition.templates import template_text
from klachtflow.insight.diagram import diagram
from klachtflow.insight.uitleg import uitleg

TEMPLATE = "sociaal-domein-stichtse-vecht"
TEXT = template_text(TEMPLATE)


def _issues(old: str, new: str) -> list[tuple[str, int, str]]:
    assert old in TEXT
    text = TEXT.replace(old, new, 1)
    with pytest.raises(DefinitionError) as info:
        loads_procedure(text, source="sv.yaml")
    return [(i.code, i.line, i.hint or "") for i in info.value.issues]


def _line_of(needle: str, text: str = TEXT) -> int:
    return text[: text.index(needle)].count("\n") + 1


class TestValidation:
    def test_requiring_an_assignment_that_no_action_makes(self) -> None:
        """wie_toegewezen without a wijs_toe anywhere: KF-D064 at the line, with the fix."""
        old = (
            "    wijs_toe:\n      rol: behandelaar\n      veld: behandelaar\n"
            '      grondslag: {wet: Awb, artikel: "9:7", lid: 1}\n'
        )
        issues = _issues(old, "")
        text = TEXT.replace(old, "", 1)
        first = _line_of("    wie_toegewezen: [behandelaar]", text)

        assert ("KF-D064", first) in {(c, line) for c, line, _ in issues}
        assert any("wijs_toe" in hint for c, _, hint in issues if c == "KF-D064")

    def test_an_assigned_role_must_be_in_wie(self) -> None:
        """wie_toegewezen names a role of 'wie' (KF-D063)."""
        issues = _issues(
            "    wie: [behandelaar, bestuursorgaan]\n    wie_toegewezen: [behandelaar]\n"
            "    vereist: [hoorverslag]",
            "    wie: [bestuursorgaan]\n    wie_toegewezen: [behandelaar]\n"
            "    vereist: [hoorverslag]",
        )

        assert "KF-D063" in {c for c, _, _ in issues}

    @pytest.mark.parametrize(
        ("old", "new", "code"),
        [
            (
                "      rol: behandelaar\n      veld: behandelaar",
                "      rol: klager\n      veld: behandelaar",
                "KF-D060",
            ),
            (
                "      rol: behandelaar\n      veld: behandelaar",
                "      rol: behandelaar\n      veld: datum_ontvangst",
                "KF-D061",
            ),
            (
                "      rol: behandelaar\n      veld: behandelaar",
                "      rol: behandelaar\n      veld: behandelar",
                "KF-D004",
            ),
            (
                "      rol: behandelaar\n      veld: behandelaar",
                "      rol: behandelaar\n      kolom: x",
                "KF-D006",
            ),
        ],
    )
    def test_assignment_mistakes(self, old: str, new: str, code: str) -> None:
        """A party role, a non-text field, an unknown field, an unknown key."""
        assert code in {c for c, _, _ in _issues(old, new)}

    def test_an_assignment_without_the_9_7_guard(self) -> None:
        """Awb 9:7 lid 1: an assigning action must exclude the beklaagde (KF-D062)."""
        old = (
            "    wie: [klachtencoordinator, bestuursorgaan]\n    scheiding:\n"
            "      - niet_partij: beklaagde\n        tenzij:\n"
            "          - {veld: klacht_over_bestuursorgaan, is: true}\n"
            '        grondslag: {wet: Awb, artikel: "9:7", lid: 1}\n    wijs_toe:'
        )
        issues = _issues(
            old, "    wie: [klachtencoordinator, bestuursorgaan]\n    wijs_toe:"
        )

        assert "KF-D062" in {c for c, _, _ in issues}

    @pytest.mark.parametrize(
        ("old", "new", "code"),
        [
            (
                "      aan: [klager, beklaagde]",
                "      aan: [klager, beklaagd]",
                "KF-D004",
            ),
            (
                "{uitgevoerd: [breng_advies_uit]}",
                "{uitgevoerd: [breng_advies]}",
                "KF-D004",
            ),
            (
                "      inhoud: [weigergrond, verwijzing_ombudsman]",
                "      inhoud: [weigergrond, weigergrond]",
                "KF-D065",
            ),
            (
                "      titel: Afhandelingsbrief\n",
                "      titel: Afhandelingsbrief\n      kopie: true\n",
                "KF-D006",
            ),
            ("      aan: [klager, beklaagde]\n", "", "KF-D007"),
        ],
    )
    def test_letter_mistakes(self, old: str, new: str, code: str) -> None:
        """Unknown recipients or route actions, doubles, unknown or missing keys."""
        issues = _issues(old, new)
        text = TEXT.replace(old, new, 1)

        assert code in {c for c, _, _ in issues}
        lines = {line for c, line, _ in issues if c == code}
        assert all(1 < line <= text.count("\n") for line in lines)

    def test_every_existing_template_stays_valid(self) -> None:
        """The new keys are optional: every template loads as before."""
        for name in template_names():
            builtin_procedure(name)


class TestPublished:
    def test_json_schema_describes_the_new_blocks(self) -> None:
        """``klachtflow schema`` knows wijs_toe, wie_toegewezen and brief."""
        schema = json_schema()
        action = schema["$defs"]["actie"]["properties"]

        assert {"wijs_toe", "wie_toegewezen", "brief"} <= set(action)
        assert ["aan"] == schema["$defs"]["brief"]["required"]
        assert {"rol", "veld"} == set(schema["$defs"]["toewijzing"]["required"])

    def test_uitleg_tells_the_assigned_handler_and_the_letters(self) -> None:
        """uitleg for staff: 'alleen de toegewezen klachtbehandelaar' and the letter."""
        page = uitleg(builtin_procedure(TEMPLATE), "medewerker", "md")

        assert "alleen de toegewezen klachtbehandelaar" in page
        assert "verstuurt schriftelijk afhandelingsbrief aan klager, beklaagde" in page
        assert (
            "bijlage advies commissie (als 'Advies uitgebracht' is uitgevoerd)" in page
        )

    def test_diagram_draws_them(self) -> None:
        """The diagram marks the assigned role and the letters (✉)."""
        text = diagram(builtin_procedure(TEMPLATE), "mermaid")

        assert "toegewezen klachtbehandelaar" in text
        assert "✉ afhandelingsbrief" in text
        assert "wijst klachtbehandelaar toe" in text
