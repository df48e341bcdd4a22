"""The YAML reader: no surprises for policy staff, positions for every problem."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from klachtflow import DefinitionError, load_procedure, loads_procedure
from klachtflow.definition._yaml import MAX_BYTES, read_yaml
from klachtflow.testing import make_procedure_text


def _data(text: str) -> object:
    document, issues = read_yaml(text, "t.yaml")
    assert [] == issues
    assert document is not None
    return document.data


def _issue(text: str) -> tuple[str, int, int]:
    with pytest.raises(DefinitionError) as info:
        loads_procedure(text, source="t.yaml")
    first = info.value.issues[0]
    return first.code, first.line, first.column


class TestScalars:
    @pytest.mark.parametrize("word", ["nee", "no", "yes", "on", "off", "ja", "N", "y"])
    def test_yaml11_booleans_stay_strings(self, word: str) -> None:
        """'nee', 'no', 'on', 'off' and friends are text, not booleans."""
        assert {"k": word} == _data(f"k: {word}\n")

    def test_true_and_false_are_booleans(self) -> None:
        """Only true and false are booleans."""
        assert {"a": True, "b": False} == _data("a: true\nb: false\n")

    @pytest.mark.parametrize("article", ["9:11", "1:30", "4:17"])
    def test_article_numbers_are_not_sexagesimal(self, article: str) -> None:
        """artikel: 9:11 stays '9:11' (YAML 1.1 would read 551)."""
        assert {"artikel": article} == _data(f"artikel: {article}\n")

    def test_octal_looking_numbers_are_decimal(self) -> None:
        """010 is ten, not eight."""
        assert {"n": 10} == _data("n: 010\n")

    def test_dates_are_dates(self) -> None:
        """2026-01-01 becomes a date."""
        assert {"d": dt.date(2026, 1, 1)} == _data("d: 2026-01-01\n")

    def test_impossible_date_is_reported(self) -> None:
        """2026-02-30 is not a date and says so, with its position."""
        _, issues = read_yaml("d: 2026-02-30\n", "t.yaml")

        assert [("KF-D010", 1, 4)] == [(i.code, i.line, i.column) for i in issues]


class TestRefused:
    def test_duplicate_keys(self) -> None:
        """A key that appears twice is refused at the second, naming the first."""
        text = make_procedure_text().replace('"titel"', '"titel": "x",\n  "titel"', 1)
        with pytest.raises(DefinitionError) as info:
            loads_procedure(text)
        code, line = info.value.code, info.value.issues[0].line

        assert "eerder op regel 4" in info.value.issues[0].message

        assert ("KF-D005", 5) == (code, line)

    def test_python_tags(self) -> None:
        """!!python/object and other non-standard tags are refused."""
        with pytest.raises(DefinitionError) as info:
            loads_procedure("naam: !!python/object/apply:os.system ['ls']\n")

        assert "KF-D013" in {i.code for i in info.value.issues}

    def test_aliases(self) -> None:
        """Anchors with aliases are refused (no billion laughs)."""
        text = "a: &x [1, 2]\nb: *x\n"
        _, issues = read_yaml(text, "t.yaml")

        assert ["KF-D013"] == [i.code for i in issues]
        assert (2, 1) == (issues[0].line, issues[0].column)

    def test_an_alias_is_reported_once_at_its_key(self) -> None:
        """No follow-up 'empty value' errors for the key that held the alias."""
        text = make_procedure_text().replace(
            '"titel"', '"x": &t {"a": 1},\n  "omschrijving": *t,\n  "titel"', 1
        )
        with pytest.raises(DefinitionError) as info:
            loads_procedure(text)
        about_omschrijving = [i for i in info.value.issues if i.path == "omschrijving"]

        assert ["KF-D013"] == [i.code for i in about_omschrijving]
        assert 5 == about_omschrijving[0].line

    def test_merge_keys_do_not_merge(self) -> None:
        """<< is an ordinary (and then unknown) key; nothing is merged behind the scenes."""
        assert {"a": {"x": 1}, "b": {"<<": {"y": 2}}} == _data(
            "a: {x: 1}\nb:\n  <<: {y: 2}\n"
        )

    def test_tabs(self) -> None:
        """A tab used for indentation gets a Dutch message with its line."""
        assert ("KF-D001", 2) == _issue("rollen:\n\tklager: {}\n")[:2]

    def test_broken_indentation(self) -> None:
        """A key indented wrongly is a syntax problem at its line."""
        text = "rollen:\n  klager:\n    soort: partij\n   titel: x\n"

        assert ("KF-D001", 4) == _issue(text)[:2]

    def test_empty_file(self) -> None:
        """An empty (or comments-only) file is KF-D003."""
        assert "KF-D003" == _issue("")[0]
        assert "KF-D003" == _issue("# alleen commentaar\n\n")[0]

    def test_scalar_document(self) -> None:
        """A file that is one value, not a block of keys, is KF-D003."""
        assert "KF-D003" == _issue("hallo\n")[0]

    def test_control_characters(self) -> None:
        """A NUL byte in the text is refused at its position."""
        assert ("KF-D002", 2, 3) == _issue("a: 1\nb:\x00 2\n")

    def test_non_utf8(self, tmp_path: Path) -> None:
        """A Latin-1 file is refused with the line of the first bad byte."""
        path = tmp_path / "latin1.yaml"
        path.write_bytes("naam: x\ntitel: Klachtencoördinator\n".encode("latin-1"))
        with pytest.raises(DefinitionError) as info:
            load_procedure(path)

        assert ("KF-D002", 2) == (info.value.code, info.value.issues[0].line)

    def test_too_large(self, tmp_path: Path) -> None:
        """A 10 MB file is refused before parsing, naming the line of the limit."""
        path = tmp_path / "groot.yaml"
        path.write_bytes(b"# opvulling\n" * (10 * 1024 * 1024 // 12))
        with pytest.raises(DefinitionError) as info:
            load_procedure(path)
        issue = info.value.issues[0]

        assert "KF-D012" == issue.code
        assert issue.line == MAX_BYTES // 12 + 1

    def test_deep_nesting(self) -> None:
        """Absurd nesting is a clear problem, not a RecursionError."""
        text = "a: " + "[" * 5000 + "]" * 5000 + "\n"

        assert "KF-D001" == _issue(text)[0]

    def test_bom_is_ignored(self, tmp_path: Path) -> None:
        """A UTF-8 byte-order mark (Windows editors) is accepted."""
        path = tmp_path / "bom.yaml"
        path.write_bytes(b"\xef\xbb\xbf" + make_procedure_text().encode("utf-8"))

        assert "minimaal" == load_procedure(path).name
