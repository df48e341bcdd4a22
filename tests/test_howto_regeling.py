"""The how-to "Een bestaande klachtenregeling omzetten" walks the real IGZ template.

Every YAML block on the page is valid YAML, every action and term it names is in
the klachtenregeling-igz template, and the letters and assignment it shows use
the language's own keys.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

import klachtflow.definition
from klachtflow import builtin_procedure

PAGE = (
    Path(__file__).resolve().parents[1]
    / "docs"
    / "how-to"
    / "klachtenregeling-omzetten.md"
)
BLOCKS = re.findall(r"```yaml\n(.*?)```", PAGE.read_text("utf-8"), re.S)


def test_every_yaml_block_parses() -> None:
    """Each block is YAML a reader can paste (fragments are indented, still valid)."""
    assert len(BLOCKS) >= 10
    for block in BLOCKS:
        assert yaml.safe_load(block) is not None


def test_the_names_shown_are_the_templates() -> None:
    """Actions and terms the page shows exist in the template it walks through."""
    procedure = builtin_procedure("klachtenregeling-igz")
    text = PAGE.read_text("utf-8")
    for action in (
        "registreer_klaagschrift",
        "los_informeel_op",
        "handel_af",
        "verdaag",
    ):
        assert action in procedure.actions
        assert action in text
    for term in ("ontvangstbevestiging", "weigering", "afhandeling"):
        assert term in procedure.terms
        assert f"  {term}:" in text
    assert ("klachtencoordinator",) == procedure.terms["afhandeling"].warning_to


def test_letters_and_assignments_use_the_language() -> None:
    """Art 5, 8, 9 and 13 show a ``brief``, art 7 an assignment; every key they use
    is one the procedure language (its JSON Schema) knows."""
    schema = json.loads(
        (
            Path(klachtflow.definition.__file__).parent / "procedure.schema.json"
        ).read_text("utf-8")
    )
    defs = schema["$defs"]
    letters = [
        value["brief"]
        for block in BLOCKS
        for value in (yaml.safe_load(block) or {}).values()
        if isinstance(value, dict) and "brief" in value
    ]
    assigned = [
        value["wijs_toe"]
        for block in BLOCKS
        for value in (yaml.safe_load(block) or {}).values()
        if isinstance(value, dict) and "wijs_toe" in value
    ]
    assert len(letters) >= 4
    assert len(assigned) >= 1
    for letter in letters:
        assert set(letter) <= set(defs["brief"]["properties"])
    for assignment in assigned:
        assert set(assignment) <= set(defs["toewijzing"]["properties"])
    assert "TODO" not in PAGE.read_text("utf-8")
