"""The command line speaks Dutch, and each exit code has one meaning.

0 ok, 1 findings, 2 usage or invalid input, 3 runtime or environment problem
(docs/reference/cli.md).
"""

from __future__ import annotations

import ast
import gettext
import importlib
import re
from pathlib import Path

import click
import pytest
from click.shell_completion import ShellComplete

from klachtflow.adapters import _click_nl
from klachtflow.adapters.cli import cli, main
from klachtflow.definition import template_names

PROCEDURES = Path(__file__).resolve().parents[1] / "procedures"

#: click strings only a programmer who builds commands can see.
DEVELOPER_ONLY = {
    "Arguments take exactly one parameter declaration, got {length}: {decls}.",
    "Boolean option {decl!r} cannot use the same flag for true/false.",
    "Could not determine name for option with declarations {decls!r}",
    "Name '{name}' defined twice",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument instead? Did you mean to pass '--{name}'?",
    "Unknown color {colour!r}",
    "Unknown standard stream '{name}'",
    "Choice({choices})",
}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _click_messages() -> tuple[set[str], set[tuple[str, str]]]:
    singles: set[str] = set()
    plurals: set[tuple[str, str]] = set()
    for name in _click_nl._MODULES:
        module = importlib.import_module(name)
        tree = ast.parse(Path(str(module.__file__)).read_text("utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            texts = [
                a.value
                for a in node.args
                if isinstance(a, ast.Constant) and isinstance(a.value, str)
            ]
            if node.func.id == "_" and texts:
                singles.add(texts[0])
            elif node.func.id == "ngettext" and len(texts) == 2:
                plurals.add((texts[0], texts[1]))
    return singles, plurals


class TestClickInDutch:
    def test_every_click_message_is_translated(self) -> None:
        """Each message click marks for translation has a Dutch text here."""
        singles, plurals = _click_messages()

        assert set() == singles - DEVELOPER_ONLY - set(_click_nl.MESSAGES)
        assert set() == plurals - set(_click_nl.PLURALS)

    def test_placeholders_survive_translation(self) -> None:
        """A Dutch message keeps exactly the placeholders of the English one."""
        field = r"\{[^}]*\}|%\([a-z]+\)s"

        for english, dutch in _click_nl.MESSAGES.items():
            assert sorted(re.findall(field, english)) == sorted(
                re.findall(field, dutch)
            ), english
        for (one, many), (een, meer) in _click_nl.PLURALS.items():
            assert sorted(re.findall(field, one)) == sorted(re.findall(field, een))
            assert sorted(re.findall(field, many)) == sorted(re.findall(field, meer))

    def test_help_is_dutch(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Usage, option headings and the help option read Dutch."""
        code, out, _ = run(capsys, "uitleg", "--help")

        assert 0 == code
        assert out.startswith("Gebruik: klachtflow uitleg [OPTIES] BESTAND")
        assert "Opties:" in out
        assert "Toon deze hulp en stop." in out
        for english in ("Usage:", "Options:", "Show this message", "[default:", "FILE"):
            assert english not in out

    @pytest.mark.parametrize(
        ("args", "dutch"),
        [
            (["rapport"], "Fout: Ontbrekende optie '--periode'."),
            (
                ["uitleg", "x.yaml", "--voor", "iedereen"],
                "Fout: Ongeldige waarde voor '--voor': 'iedereen' is niet een van",
            ),
            (["rapportt"], "Fout: Onbekend commando 'rapportt'."),
            (["validate", "--snel", "x"], "Fout: Onbekende optie '--snel'."),
            (["termijn", "2026-03-16", "6", "weken"], "Onverwacht extra argument"),
        ],
    )
    def test_usage_errors_are_dutch_and_exit_2(
        self, capsys: pytest.CaptureFixture[str], args: list[str], dutch: str
    ) -> None:
        """click's usage errors are in Dutch and exit 2."""
        code, _, err = run(capsys, *args)

        assert 2 == code
        assert dutch in err
        assert "Error" not in err
        assert "Try '" not in err

    def test_click_is_put_back_after_a_run(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A host application that uses click keeps click's own gettext."""
        run(capsys, "--help")

        assert gettext.gettext is click.core._  # type: ignore[attr-defined]
        assert gettext.ngettext is click.exceptions.ngettext  # type: ignore[attr-defined]


class TestExitCodes:
    def test_findings_exit_1(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """check with an error finding exits 1."""
        procedure = tmp_path / "p.yaml"
        procedure.write_text(
            (PROCEDURES / "minimaal.yaml").read_text("utf-8"), encoding="utf-8"
        )
        code, out, _ = run(capsys, "check", str(procedure), "--regels", "awb9")

        assert 1 == code
        assert "voldoet niet" in out
        assert "fout(en)" not in out

    def test_unknown_rule_pack_is_invalid_input(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """An unknown rule pack exits 2 (not 1 like findings)."""
        code, _, err = run(
            capsys, "check", str(PROCEDURES / "minimaal.yaml"), "--regels", "awb99"
        )

        assert 2 == code
        assert "Onbekend regelpakket 'awb99'" in err

    def test_output_into_a_missing_folder(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """--uit into a folder that does not exist: exit 3, Dutch, no 'Interne fout'."""
        target = tmp_path / "nergens" / "uitleg.html"
        code, _, err = run(
            capsys, "uitleg", str(PROCEDURES / "minimaal.yaml"), "--uit", str(target)
        )

        assert 3 == code
        assert f"Kan niet schrijven naar '{target}': de map bestaat niet." in err
        assert "Tip:" in err
        assert "Interne fout" not in err

    def test_a_term_beyond_the_calendar(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """'99999 jaar' is invalid input with a hint, not an internal error."""
        code, _, err = run(capsys, "termijn", "2026-03-16", "99999 jaar")

        assert 2 == code
        assert "valt buiten de kalender" in err
        assert "Interne fout" not in err

    def test_a_missing_driver(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A database URL whose driver is not installed: exit 3 and what to install."""
        code, _, err = run(capsys, "zaken", "--db", "mysql://x@localhost/db")

        assert 3 == code
        assert "stuurprogramma" in err
        assert "Interne fout" not in err

    def test_sqlite_in_a_missing_folder(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """A SQLite file in a folder that does not exist says so, not 'is it running?'."""
        url = f"sqlite:///{tmp_path / 'geen' / 'k.db'}"
        code, _, err = run(capsys, "demo", "--zaken", "1", "--db", url)

        assert 3 == code
        assert "bestaat niet" in err
        assert "draait" not in err

    def test_reversed_range(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """--van after --tot is invalid input, not an empty list."""
        url = f"sqlite:///{tmp_path / 'k.db'}"
        assert 0 == run(capsys, "demo", "--zaken", "3", "--db", url)[0]
        code, out, err = run(
            capsys, "zaken", "--db", url, "--van", "2026-05-01", "--tot", "2026-01-01"
        )

        assert 2 == code
        assert "ligt na --tot" in err
        assert "" == out

    def test_a_future_period_is_refused(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """A report for a period after the peildatum says why it is empty."""
        url = f"sqlite:///{tmp_path / 'k.db'}"
        assert 0 == run(capsys, "demo", "--zaken", "3", "--db", url)[0]
        code, _, err = run(
            capsys, "rapport", "--db", url, "--periode", "2030", "--op", "2026-06-01"
        )

        assert 2 == code
        assert "na de peildatum" in err


class TestCompletion:
    def _complete(self, args: list[str], incomplete: str) -> list[str]:
        completion = ShellComplete(cli, {}, "klachtflow", "_KLACHTFLOW_COMPLETE")
        return [item.value for item in completion.get_completions(args, incomplete)]

    def test_template_names(self) -> None:
        """klachtflow init <TAB> offers the built-in templates."""
        assert list(template_names()) == self._complete(["init"], "")
        assert ["gemeente-awb"] == self._complete(["init"], "gem")

    def test_rule_packs_after_a_comma(self) -> None:
        """--regels awb9,<TAB> offers the other packs, keeping what was typed."""
        offered = self._complete(["check", "p.yaml", "--regels"], "awb9,")

        assert offered
        assert all(v.startswith("awb9,") for v in offered)
        assert "awb9,awb9" not in offered

    def test_statuses(self) -> None:
        """zaken --status <TAB> offers state names."""
        assert "ontvangen" in self._complete(["zaken", "--status"], "ont")
