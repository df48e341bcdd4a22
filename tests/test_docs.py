"""The docs tell the truth: examples run, references are generated, codes documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from klachtflow import Case, DefinitionError, loads_procedure, termijn
from klachtflow.definition.reference import markdown_reference

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
TUTORIAL = DOCS / "tutorial" / "je-eerste-klachtprocedure.md"


def _blocks(path: Path, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", path.read_text("utf-8"), re.S)


class TestTutorial:
    def test_first_procedure_is_valid(self) -> None:
        """The procedure the tutorial starts with loads without problems."""
        procedure = loads_procedure(_blocks(TUTORIAL, "yaml")[0], source="klacht.yaml")

        assert "mijn-klachten" == procedure.name

    def test_documented_errors_are_the_real_ones(self) -> None:
        """The typos of step 3 give exactly the positions and hints the page shows."""
        text = _blocks(TUTORIAL, "yaml")[0]
        text = text.replace("naar: afgehandeld", "naar: afgehandelt")
        text = text.replace(
            "    naar: in_behandeling\n    wie: behandelaar",
            "    naar: in_behandeling\n    wie: behandelaarr",
        )
        with pytest.raises(DefinitionError) as info:
            loads_procedure(text, source="klacht.yaml")
        shown = [
            line.strip()
            for line in _blocks(TUTORIAL, "console")[1].splitlines()
            if line.startswith("  ")
        ]
        actual = [
            part.strip()
            for issue in info.value.issues
            for part in str(issue).split("\n")
        ]

        assert shown == actual

    def test_term_example_is_valid(self) -> None:
        """Step 4's term and action, added to the first procedure, load."""
        base, terms, action = _blocks(TUTORIAL, "yaml")[:3]
        # The first procedure ends with its acties, so the action can follow it.
        text = base + action + terms

        procedure = loads_procedure(text)

        extension = procedure.terms["afhandeling"].extension

        assert extension is not None
        assert "verdaag" == extension.action
        assert ("afhandeling",) == procedure.actions["verdaag"].terms.extend


class TestReference:
    def test_yaml_reference_is_generated(self) -> None:
        """docs/reference/yaml.md is exactly what the spec generates."""
        assert markdown_reference() == (DOCS / "reference" / "yaml.md").read_text(
            "utf-8"
        )

    def test_every_error_code_is_documented(self) -> None:
        """Each code used in the source has a heading in errors.md, and no heading is stale."""
        used = {
            code
            for path in (ROOT / "src").rglob("*.py")
            for code in re.findall(r"KF-[A-Z]\d{3}", path.read_text("utf-8"))
        }
        documented = set(
            re.findall(
                r"^### (KF-[A-Z]\d{3})$",
                (DOCS / "reference" / "errors.md").read_text("utf-8"),
                re.M,
            )
        )

        assert used == documented

    def test_every_command_and_option_is_documented(self) -> None:
        """Each CLI command has a section in cli.md that names every option it takes."""
        import click  # noqa: PLC0415 - only this test needs it

        from klachtflow.adapters.cli import cli  # noqa: PLC0415

        text = (DOCS / "reference" / "cli.md").read_text("utf-8")

        def command_of(heading: str) -> str:
            words = heading.split()
            end = next(
                (i for i, w in enumerate(words) if not re.fullmatch(r"[a-z]+", w)),
                len(words),
            )
            return " ".join(words[:end])

        sections = {
            command_of(m.group(1)): m.group(0)
            for m in re.finditer(
                r"^### `klachtflow ([^`]*)`.*?(?=^#|\Z)", text, re.M | re.S
            )
        }
        missing = []

        def visit(group: click.Group, prefix: str) -> None:
            for name, command in group.commands.items():
                if isinstance(command, click.Group):
                    visit(command, f"{prefix}{name} ")
                    continue
                section = sections.get(f"{prefix}{name}")
                if section is None:
                    missing.append(f"{prefix}{name}")
                    continue
                missing.extend(
                    f"{prefix}{name} {option}"
                    for param in command.params
                    if isinstance(param, click.Option)
                    for option in param.opts
                    if option not in section
                )

        visit(cli, "")

        assert [] == missing


class TestReadme:
    def test_quick_start_holds_the_two_commands(self) -> None:
        """README's Quick start shows exactly the install+demo and install+test commands."""
        readme = (ROOT / "README.md").read_text("utf-8")
        quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
        commands = [
            line for line in quick.splitlines() if line.startswith("python -m pip")
        ]

        assert [
            "python -m pip install . && klachtflow demo",
            'python -m pip install -e ".[test]" && python -m pytest',
        ] == commands


class TestTermsDocs:
    def test_explained_output_is_real(self) -> None:
        """The console example on the terms page is what the CLI prints."""
        page = DOCS / "explanation" / "termijnen-en-kalenders.md"
        shown = _blocks(page, "console")[0].splitlines()[1:]
        deadline = termijn("2026-02-20", "6 weken")

        assert [deadline.end.isoformat(), *deadline.explain()] == shown


class TestEngineTutorial:
    def test_every_python_block_runs(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The developer tutorial's code blocks run, in order, in one namespace."""
        page = DOCS / "tutorial" / "engine-in-15-minuten.md"
        namespace: dict[str, object] = {}
        for block in _blocks(page, "python"):
            exec(compile(block, str(page), "exec"), namespace)  # noqa: S102 - our own docs

        case = namespace["case"]

        assert isinstance(case, Case)
        assert "gegrond" == case.result


def test_the_handler_and_letters_how_to_runs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The how-to on the assigned handler and letters runs as written (issue #17)."""
    page = DOCS / "how-to" / "behandelaar-en-brieven.md"
    namespace: dict[str, object] = {}
    for block in _blocks(page, "python"):
        exec(compile(block, str(page), "exec"), namespace)  # noqa: S102 - our own docs

    assert '"aan":["klager"]' in capsys.readouterr().out
    assert "h.de.vries" == namespace["case"].data["behandelaar"]  # type: ignore[attr-defined]
