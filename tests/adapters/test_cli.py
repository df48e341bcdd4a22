"""The command line: documented exit codes, Dutch output, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from klachtflow.adapters.cli import main
from klachtflow.definition.templates import template_text

PROCEDURES = Path(__file__).resolve().parents[1] / "procedures"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


class TestValidate:
    def test_valid_file_exits_0(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A valid procedure exits 0 and says so."""
        code, out, _ = run(capsys, "validate", str(PROCEDURES / "minimaal.yaml"))

        assert 0 == code
        assert "geldig" in out

    def test_invalid_file_exits_2_with_positions(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """An invalid procedure exits 2 and lists file:line:column per problem."""
        path = PROCEDURES / "invalid" / "verkeerde_verwijzingen.yaml"
        code, out, _ = run(capsys, "validate", str(path))

        assert 2 == code
        assert f"{path}:22:11" in out
        assert "Bedoelde u 'afgehandeld'?" in out

    def test_several_files_one_invalid(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """With several files, one invalid file makes the exit code 2."""
        code, out, _ = run(
            capsys,
            "validate",
            str(PROCEDURES / "minimaal.yaml"),
            str(PROCEDURES / "invalid" / "graaf.yaml"),
        )

        assert 2 == code
        assert out.count("geldig") == 2

    def test_json_format(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--format json prints one object with every issue's code and position."""
        code, out, _ = run(
            capsys,
            "validate",
            "--format",
            "json",
            str(PROCEDURES / "invalid" / "graaf.yaml"),
        )
        report = json.loads(out)

        assert 2 == code
        assert report["geldig"] is False
        assert [("KF-D022", 14), ("KF-D021", 16)] == [
            (p["code"], p["regel"]) for p in report["bestanden"][0]["problemen"]
        ]

    @pytest.mark.parametrize(
        "content",
        [
            b"",
            b"\xff\xfe\x00n\x00a\x00a\x00m",
            b"rollen:\n\tklager: {}\n",
            b"a: [\n",
            b"a: 1\na: 2\n",
            b"- lijst\n",
            b"naam: !!python/object/apply:os.system ['ls']\n",
        ],
        ids=["leeg", "utf16", "tab", "haak", "dubbel", "lijst", "python-tag"],
    )
    def test_malformed_input_exits_2_without_traceback(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes
    ) -> None:
        """Malformed files exit 2 with a line number and no traceback."""
        path = tmp_path / "kapot.yaml"
        path.write_bytes(content)
        code, out, err = run(capsys, "validate", str(path))

        assert 2 == code
        assert f"{path}:" in out
        assert "Traceback" not in out + err

    def test_template_deletions_never_crash(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """Deleting any one line of the template gives exit 0 or 2, never a traceback."""
        lines = template_text("gemeente-awb").splitlines()
        path = tmp_path / "k.yaml"
        for i in range(0, len(lines), 7):
            path.write_text("\n".join(lines[:i] + lines[i + 1 :]), "utf-8")
            code, out, err = run(capsys, "validate", str(path))

            assert code in (0, 2)
            assert "Traceback" not in out + err

    def test_missing_argument_is_usage_error(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """validate without files is a usage error (exit 2)."""
        assert 2 == run(capsys, "validate")[0]


class TestOtherCommands:
    def test_schema(self, capsys: pytest.CaptureFixture[str]) -> None:
        """klachtflow schema prints the JSON Schema."""
        code, out, _ = run(capsys, "schema")

        assert 0 == code
        assert (
            "https://json-schema.org/draft/2020-12/schema" == json.loads(out)["$schema"]
        )

    def test_templates(self, capsys: pytest.CaptureFixture[str]) -> None:
        """klachtflow templates lists gemeente-awb with its regime."""
        code, out, _ = run(capsys, "templates")

        assert 0 == code
        assert "gemeente-awb" in out
        assert "awb9" in out

    def test_init_prints_a_valid_template(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """klachtflow init NAME prints a file that validates."""
        code, out, _ = run(capsys, "init", "gemeente-awb")
        path = tmp_path / "klacht.yaml"
        path.write_text(out, "utf-8")

        assert 0 == code
        assert 0 == run(capsys, "validate", str(path))[0]

    def test_init_unknown_template_exits_2(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """An unknown template is invalid input (exit 2) with a suggestion."""
        code, _, err = run(capsys, "init", "gemeente-abw")

        assert 2 == code
        assert "Fout: Onbekend sjabloon 'gemeente-abw'" in err
        assert "Bedoelde u 'gemeente-awb'?" in err

    def test_demo(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """klachtflow demo simulates cases into a database and summarises them in Dutch."""
        url = f"sqlite:///{tmp_path / 'demo.db'}"
        code, out, err = run(
            capsys, "demo", "--db", url, "--zaken", "60", "--seed", "7"
        )

        assert 0 == code, err
        assert "Zaken: 60 (60 nieuw gesimuleerd, 0 bestonden al)" in out
        assert "Informeel gebleven:" in out
        assert "Termijnen verlopen op" in out

    def test_demo_is_idempotent(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """Running the demo again with the same seed adds nothing."""
        url = f"sqlite:///{tmp_path / 'demo.db'}"
        run(capsys, "demo", "--db", url, "--zaken", "30")
        code, out, _ = run(capsys, "demo", "--db", url, "--zaken", "30")

        assert 0 == code
        assert "Zaken: 30 (0 nieuw gesimuleerd, 30 bestonden al)" in out

    def test_version(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--version prints the installed version."""
        code, out, _ = run(capsys, "--version")

        assert 0 == code
        assert out.startswith("klachtflow ")

    def test_console_script_and_module(self) -> None:
        """python -m klachtflow runs the same CLI with the same exit codes."""
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "klachtflow",
                "validate",
                str(PROCEDURES / "invalid" / "graaf.yaml"),
            ],
            capture_output=True,
            text=True,
            check=False,
        )

        assert 2 == result.returncode
        assert "KF-D021" in result.stdout


class TestTermijn:
    def test_first_line_is_the_due_date(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The due date (ISO) comes first, then the explanation with each day moved."""
        code, out, _ = run(capsys, "termijn", "2026-03-16", "6 weken")
        lines = out.splitlines()

        assert 0 == code
        assert "2026-04-28" == lines[0]
        assert "  2026-04-27 Koningsdag — Atw art 3 lid 1" in lines

    def test_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--json prints one object with einde, einde_ruw, verschoven and grondslag."""
        code, out, _ = run(capsys, "termijn", "2026-02-20", "6 weken", "--json")
        data = json.loads(out)

        assert 0 == code
        assert ("2026-04-07", "2026-04-03") == (data["einde"], data["einde_ruw"])
        assert 4 == len(data["verschoven"])
        assert data["grondslag"][0]["url"].startswith("https://wetten.overheid.nl/")

    @pytest.mark.parametrize(
        ("args", "due"),
        [
            (["2026-02-20", "6 weken", "--verlenging", "4 weken"], "2026-05-06"),
            (
                [
                    "2026-02-20",
                    "6 weken",
                    "--verlenging",
                    "4 weken",
                    "--anker",
                    "conservatief",
                ],
                "2026-05-01",
            ),
            (["2026-04-24", "1 jaar"], "2027-04-24"),
            (["2026-01-10", "2 weken", "--geen-atw"], "2026-01-24"),
            (["2026-05-15", "10 dagen", "--terug"], "2026-05-05"),
            (["2026-12-23", "5 werkdagen"], "2026-12-31"),
        ],
    )
    def test_options(
        self, capsys: pytest.CaptureFixture[str], args: list[str], due: str
    ) -> None:
        """Extension, anchor, no Atw, backward and working days give the documented dates."""
        code, out, _ = run(capsys, "termijn", *args)

        assert (0, due) == (code, out.splitlines()[0])

    def test_organisation_calendar_from_a_procedure(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """--kalender NAAM --procedure FILE counts on the procedure's own closing days."""
        text = template_text("gemeente-awb").replace(
            "    sluitingsdagen: []", "    sluitingsdagen: [2026-12-24, 2026-12-31]"
        )
        path = tmp_path / "klacht.yaml"
        path.write_text(text, "utf-8")
        code, out, _ = run(
            capsys,
            "termijn",
            "2026-12-23",
            "5 werkdagen",
            "--kalender",
            "gemeente",
            "--procedure",
            str(path),
        )

        assert (0, "2027-01-05") == (code, out.splitlines()[0])

    def test_designated_days_from_a_file(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """--gelijkgestelde-dagen adds royal-decree days without a release."""
        path = tmp_path / "kb.json"
        path.write_text(
            json.dumps({"dagen": [{"datum": "2029-05-11", "bron": "Stcrt. 2028, 1"}]}),
            "utf-8",
        )
        code, out, _ = run(
            capsys,
            "termijn",
            "2029-03-30",
            "6 weken",
            "--gelijkgestelde-dagen",
            str(path),
        )

        assert (0, "2029-05-14") == (code, out.splitlines()[0])

    @pytest.mark.parametrize(
        "args",
        [
            ["16-03-2026", "6 weken"],
            ["2026-03-16", "6 wken"],
            ["2026-03-16", "24 uur"],
            ["2026-12-23", "5 werkdagen", "--kalender", "gemeente"],
        ],
    )
    def test_bad_input_exits_2_with_a_hint(
        self, capsys: pytest.CaptureFixture[str], args: list[str]
    ) -> None:
        """Bad dates, durations and calendars give 'Fout:' and 'Tip:', no traceback."""
        code, _, err = run(capsys, "termijn", *args)

        assert 2 == code
        assert err.startswith("Fout: ")
        assert "Tip: " in err
        assert "Traceback" not in err


class TestStorageCommands:
    @pytest.fixture
    def demo_url(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
        url = f"sqlite:///{tmp_path / 'demo.db'}"
        assert 0 == main(["demo", "--db", url, "--zaken", "80", "--seed", "3"])
        capsys.readouterr()
        return url

    def test_zaken(self, demo_url: str, capsys: pytest.CaptureFixture[str]) -> None:
        """klachtflow zaken lists cases, filtered, as text or JSON."""
        code, out, _ = run(
            capsys, "zaken", "--db", demo_url, "--status", "opgelost", "--json"
        )
        found = json.loads(out)

        assert 0 == code
        assert found
        assert {"opgelost"} == {f["status"] for f in found}

    def test_termijnen(self, demo_url: str, capsys: pytest.CaptureFixture[str]) -> None:
        """klachtflow termijnen lists overdue and soon-due deadlines."""
        code, out, _ = run(
            capsys,
            "termijnen",
            "--db",
            demo_url,
            "--op",
            "2026-01-01",
            "--binnen",
            "30",
        )

        assert 0 == code
        assert out.startswith("Verlopen op 2026-01-01:")
        assert "Aflopend binnen 30 dagen:" in out

    def test_opschonen(self, demo_url: str, capsys: pytest.CaptureFixture[str]) -> None:
        """A dry run lists; the real run removes and is then empty."""
        _, dry, _ = run(
            capsys, "db", "opschonen", "--db", demo_url, "--op", "2040-01-01", "--droog"
        )
        _, real, _ = run(
            capsys, "db", "opschonen", "--db", demo_url, "--op", "2040-01-01"
        )
        _, again, _ = run(
            capsys, "db", "opschonen", "--db", demo_url, "--op", "2040-01-01"
        )

        assert dry.splitlines()[0].split()[0] == real.splitlines()[0].split()[0] != "0"
        assert again.startswith("0 zaken opgeschoond")
        assert "zaak/zaken" not in dry + real

    def test_unreachable_database(self, capsys: pytest.CaptureFixture[str]) -> None:
        """An unreachable database is a Dutch error with a hint, exit 3, no traceback."""
        code, _, err = run(
            capsys, "zaken", "--db", "postgresql+psycopg://x@127.0.0.1:1/none"
        )

        assert 3 == code
        assert err.startswith("Fout: Geen verbinding met de database")
        assert "Traceback" not in err
