"""The policy tutorial is true: following its steps gives the output it shows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from klachtflow.adapters.cli import main
from klachtflow.definition import template_text

PAGE = (
    Path(__file__).resolve().parents[1]
    / "docs"
    / "tutorial"
    / "je-eerste-klachtprocedure.md"
)
TEXT = PAGE.read_text("utf-8")


def _blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", TEXT, re.S)


def _shown(command: str) -> list[str]:
    """The output lines the page shows after ``$ <command>`` (first occurrence on)."""
    shown = []
    for block in _blocks("console"):
        lines = block.splitlines()
        for i, line in enumerate(lines):
            if line == f"$ {command}":
                shown.append(lines[i + 1])
    return shown


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().out


def test_steps_give_the_output_shown(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Step 1, then step 4 placed where it says, then check, then the template."""
    first, step4, verdaag = _blocks("yaml")[:3]
    path = tmp_path / "klacht.yaml"
    validate = _shown("klachtflow validate klacht.yaml")
    check = _shown("klachtflow check klacht.yaml")

    path.write_text(first, encoding="utf-8")
    code, out = _run(capsys, "validate", str(path))
    assert (0, validate[0]) == (code, out.replace(str(path), "klacht.yaml").strip())

    # Step 4: gegevens/termijnen at the bottom, verdaag directly under "acties:".
    full = first.replace("acties:\n", "acties:\n" + verdaag, 1) + "\n" + step4
    path.write_text(full, encoding="utf-8")
    code, out = _run(capsys, "validate", str(path))
    assert (0, validate[2]) == (code, out.replace(str(path), "klacht.yaml").strip())

    # Step 5: check finds what the law still asks.
    code, out = _run(capsys, "check", str(path))
    assert (1, check[0]) == (
        code,
        out.splitlines()[0].replace(str(path), "klacht.yaml"),
    )

    # Step 6: the template is valid and meets the law.
    path.write_text(template_text("gemeente-awb"), encoding="utf-8")
    code, out = _run(capsys, "validate", str(path))
    assert (0, validate[3]) == (code, out.replace(str(path), "klacht.yaml").strip())
    code, out = _run(capsys, "check", str(path))
    assert (0, check[1]) == (code, out.replace(str(path), "klacht.yaml").strip())
