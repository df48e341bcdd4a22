"""YAML problems are told in Dutch: tabs, PyYAML's syntax errors, bad dates, file names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from klachtflow import DefinitionError, load_procedure, loads_procedure
from klachtflow.definition import template_text

#: Words from PyYAML's English messages that must not reach policy staff.
ENGLISH = re.compile(r"\b(did not find|expected|while parsing|found|scanning)\b")


def _issues(text: str) -> list[tuple[str, int, str, str]]:
    with pytest.raises(DefinitionError) as info:
        loads_procedure(text, source="t.yaml")
    return [(i.code, i.line, i.message, i.hint or "") for i in info.value.issues]


class TestSyntaxInDutch:
    def test_a_tab_gets_its_own_message(self) -> None:
        """A tab where YAML wants spaces is named as a tab, not 'quote the text'."""
        ((code, line, message, hint),) = _issues("naam: x\nstatussen:\n\tontvangen:\n")

        assert ("KF-D001", 3) == (code, line)
        assert "tab" in message
        assert "spaties" in hint
        assert "aanhalingstekens" not in hint

    def test_a_tab_inside_a_value_line(self) -> None:
        """A tab after the indentation is still reported as a tab."""
        ((_, _, message, _),) = _issues(
            "naam: x\nrollen:\n  klager:\t{}\n  x:\n\t- y\n"
        )

        assert "tab" in message

    @pytest.mark.parametrize(
        "text",
        [
            "naam: x\ntitel: [a, b\n",
            "naam: x\ntitel: {a: b\n",
            "naam: x\n  - y\nrollen: z\n",
            "a: *onbekend\n",
            "naam: 'niet afgesloten\n",
            "naam: &a x\nb: &a y\nc: [\n",
        ],
    )
    def test_pyyaml_english_does_not_show_through(self, text: str) -> None:
        """Each syntax problem reads as Dutch: no 'did not find expected ...'."""
        issues = _issues(text)

        assert issues
        for _, _, message, hint in issues:
            visible = re.sub(r"\(technisch: .*\)", "", message)
            assert not ENGLISH.search(visible), message
            assert not ENGLISH.search(hint), hint

    def test_a_missing_bracket_is_named(self) -> None:
        """'did not find expected ',' or ']'' becomes the Dutch for it."""
        ((_, _, message, _),) = _issues("naam: x\ntitel: [a, b\n")

        assert "hier ontbreekt een ',' of een ']' (in een lijst tussen [ ])" in message


class TestValues:
    def test_an_impossible_date_is_one_message_without_internals(self) -> None:
        """2026-13-45 is reported once, without 'None' or 'timestamp'."""
        text = template_text("gemeente-awb")
        broken = re.sub(r"geldig_vanaf: \S+", "geldig_vanaf: 2026-13-45", text, count=1)
        issues = _issues(broken)

        assert 1 == len(issues)
        ((code, _, message, hint),) = issues
        assert "KF-D010" == code
        assert "'2026-13-45' is geen bestaande datum." == message
        assert "None" not in message + hint
        assert "timestamp" not in message + hint


class TestFileNames:
    def test_a_template_name_gets_the_init_command(self) -> None:
        """'klachtflow uitleg gemeente-awb' is told to run init first."""
        with pytest.raises(DefinitionError) as info:
            load_procedure("gemeente-awb")
        (issue,) = info.value.issues

        assert "het bestand bestaat niet" in issue.message
        assert "klachtflow init gemeente-awb" in (issue.hint or "")

    def test_an_ordinary_missing_file(self, tmp_path: Path) -> None:
        """Any other missing file gets a Dutch reason and the plain hint."""
        with pytest.raises(DefinitionError) as info:
            load_procedure(tmp_path / "klacht.yaml")
        (issue,) = info.value.issues

        assert "No such file" not in issue.message
        assert "klachtflow init" not in (issue.hint or "")
