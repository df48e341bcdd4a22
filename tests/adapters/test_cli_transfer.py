"""``klachtflow export`` and ``klachtflow import``: JSONL round trip, refusals by line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from klachtflow.adapters.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def exported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A demo database of 25 cases, exported."""
    source = f"sqlite:///{tmp_path / 'bron.db'}"
    assert run(capsys, "demo", "--db", source, "--zaken", "25")[0] == 0
    path = tmp_path / "zaken.jsonl"
    code, out, err = run(capsys, "export", str(path), "--db", source)
    assert code == 0, err
    assert "25 zaken en 1 procedure geschreven" in out
    return path


def test_export_then_import_exits_0(
    exported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = f"sqlite:///{tmp_path / 'doel.db'}"
    code, out, err = run(
        capsys, "import", str(exported), "--db", target, "--processen", "1"
    )
    assert code == 0, err
    assert "25 ingelezen, 0 al aanwezig, 0 geweigerd; 1 procedure." in out
    code, out, _ = run(
        capsys, "import", str(exported), "--db", target, "--processen", "2"
    )
    assert code == 0
    assert "0 ingelezen, 25 al aanwezig, 0 geweigerd" in out
    code, out, _ = run(capsys, "verifieer", "--db", target)
    assert code == 0, out


def test_a_refused_line_exits_1_with_its_number(
    exported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = exported.read_text("utf-8").splitlines(keepends=True)
    item = json.loads(lines[4])
    item["history"][0]["actor"] = "iemand.anders"
    lines[4] = json.dumps(item) + "\n"
    lines.insert(8, "geen json\n")
    bad = tmp_path / "fout.jsonl"
    bad.write_text("".join(lines), "utf-8")
    target = f"sqlite:///{tmp_path / 'doel.db'}"
    code, out, _ = run(capsys, "import", str(bad), "--db", target, "--batch", "3")
    assert code == 1
    assert f"regel 5 (zaak {item['id']}): KF-S005" in out
    assert "0 ingelezen" not in out
    assert "2 ingelezen, 0 al aanwezig, 1 geweigerd; 1 procedure." in out
    assert "Tot en met regel 3 staat alles in de database." in out
    assert "--vanaf-regel 4" in out
    code, out, _ = run(capsys, "import", str(bad), "--db", target, "--doorgaan")
    assert code == 1
    assert "regel 9: KF-S010" in out
    assert "22 ingelezen, 2 al aanwezig, 2 geweigerd" in out


def test_conflicting_options_exit_2(
    exported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = f"sqlite:///{tmp_path / 'doel.db'}"
    code, _, err = run(
        capsys,
        "import",
        str(exported),
        "--db",
        target,
        "--doorgaan",
        "--alles-of-niets",
    )
    assert code == 2
    assert "Fout:" in err
    code, _, err = run(capsys, "import", str(tmp_path / "weg.jsonl"), "--db", target)
    assert code == 2


def test_export_to_a_missing_folder_exits_3(
    exported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = f"sqlite:///{tmp_path / 'bron.db'}"
    code, _, err = run(
        capsys, "export", str(tmp_path / "nee" / "x.jsonl"), "--db", source
    )
    assert code == 3
    assert "Fout:" in err
