"""``klachtflow rapport``, ``diagram`` and ``uitleg`` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from insight.browser import require_tool
from klachtflow.adapters.cli import main
from klachtflow.definition.templates import template_text


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'demo.db'}"
    assert 0 == main(["demo", "--db", url, "--zaken", "150", "--seed", "5"])
    return url


@pytest.fixture
def procedure_file(tmp_path: Path) -> Path:
    path = tmp_path / "klacht.yaml"
    path.write_text(template_text("gemeente-awb"), encoding="utf-8")
    return path


class TestRapport:
    def test_markdown_to_screen(
        self, capsys: pytest.CaptureFixture[str], demo_db: str
    ) -> None:
        """The default is Markdown with the key figures."""
        code, out, _ = run(capsys, "rapport", "--db", demo_db, "--periode", "2026")

        assert 0 == code
        assert out.startswith("# Klachtenrapportage 2026")

    def test_json_per_kanaal_with_volume(
        self, capsys: pytest.CaptureFixture[str], demo_db: str
    ) -> None:
        """JSON, split per channel, with the complaint rate."""
        code, out, _ = run(
            capsys,
            "rapport",
            "--db",
            demo_db,
            "--periode",
            "2026",
            "--format",
            "json",
            "--per",
            "kanaal",
            "--volume",
            "14490",
            "--op",
            "2026-11-22",
        )
        data = json.loads(out)

        assert 0 == code
        assert "kanaal" == data["per"]["indeling"]
        assert 14490 == data["volume"]["aantal"]
        assert "2026-11-22" == data["peildatum"]

    def test_html_to_file(
        self, capsys: pytest.CaptureFixture[str], demo_db: str, tmp_path: Path
    ) -> None:
        """--uit writes the file and says so on stderr."""
        target = tmp_path / "rapport.html"
        code, out, err = run(
            capsys,
            "rapport",
            "--db",
            demo_db,
            "--periode",
            "2026",
            "--format",
            "html",
            "--uit",
            str(target),
        )

        assert (0, "") == (code, out)
        assert str(target) in err
        assert target.read_text("utf-8").startswith("<!DOCTYPE html>")

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["--periode", "2026-Q7"], "geen periode"),
            (["--periode", "2026-Q1", "--format", "awb-9-12a"], "jaarlijks"),
            (["--periode", "2026", "--drempel", "0"], "drempel"),
            (["--periode", "2026", "--op", "morgen"], "--op"),
        ],
    )
    def test_errors_are_one_dutch_line_and_a_hint(
        self,
        capsys: pytest.CaptureFixture[str],
        demo_db: str,
        args: list[str],
        message: str,
    ) -> None:
        """Invalid input: exit 2, 'Fout:' and 'Tip:', no traceback."""
        code, _, err = run(capsys, "rapport", "--db", demo_db, *args)

        assert 2 == code
        assert message in err
        assert "Tip:" in err
        assert "Traceback" not in err


@pytest.mark.parametrize(
    "command",
    [["rapport", "--periode", "2026"], ["zaken"], ["termijnen"], ["audit"]],
)
def test_a_missing_database_is_an_error_not_an_empty_one(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: list[str]
) -> None:
    """A typo in --db must not silently create and report an empty database."""
    missing = tmp_path / "typo.db"
    code, _, err = run(capsys, *command, "--db", f"sqlite:///{missing}")

    assert 3 == code
    assert "bestaat niet" in err
    assert not missing.exists()


class TestDiagramAndUitleg:
    @pytest.mark.parametrize("fmt", ["mermaid", "dot"])
    def test_text_formats(
        self, capsys: pytest.CaptureFixture[str], procedure_file: Path, fmt: str
    ) -> None:
        """Mermaid and DOT need nothing installed."""
        code, out, _ = run(capsys, "diagram", str(procedure_file), "--format", fmt)

        assert 0 == code
        assert ("stateDiagram-v2" if fmt == "mermaid" else "digraph") in out

    def test_svg(
        self, capsys: pytest.CaptureFixture[str], procedure_file: Path
    ) -> None:
        """SVG through Graphviz."""
        require_tool("dot", "graphviz")
        code, out, _ = run(capsys, "diagram", str(procedure_file), "--format", "svg")

        assert 0 == code
        assert "<svg" in out

    def test_svg_without_graphviz(
        self,
        capsys: pytest.CaptureFixture[str],
        procedure_file: Path,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """Without Graphviz: an environment problem, exit 3, with the package to install."""
        monkeypatch.setenv("PATH", "")
        code, _, err = run(capsys, "diagram", str(procedure_file), "--format", "svg")

        assert 3 == code
        assert "Graphviz is niet geïnstalleerd" in err

    def test_invalid_procedure_exits_2(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """An invalid file gets the validation errors with positions, exit 2."""
        bad = tmp_path / "kapot.yaml"
        bad.write_text("naam: x\n", encoding="utf-8")
        code, _, err = run(capsys, "uitleg", str(bad))

        assert 2 == code
        assert "kapot.yaml:" in err

    @pytest.mark.parametrize("voor", ["burger", "medewerker"])
    def test_uitleg(
        self, capsys: pytest.CaptureFixture[str], procedure_file: Path, voor: str
    ) -> None:
        """Both audiences, as Markdown."""
        code, out, _ = run(capsys, "uitleg", str(procedure_file), "--voor", voor)

        assert 0 == code
        assert out.startswith("# ")
