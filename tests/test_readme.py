"""The README's examples are true: the procedure meets the law, the code runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from klachtflow import loads_procedure
from klachtflow.adapters.cli import main
from klachtflow.compliance import check_procedure
from klachtflow.rules.clocks import ClockState

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text("utf-8")


def _procedure_text() -> str:
    found = re.search(r"Save it as `klacht.yaml`:\n\n```yaml\n(.*?)```", README, re.S)
    assert found is not None
    return found.group(1)


class TestReadmeProcedure:
    def test_passes_check(self) -> None:
        """The README's procedure is valid and has no finding at all under awb9."""
        report = check_procedure(
            loads_procedure(_procedure_text(), source="klacht.yaml")
        )

        assert [] == [f.code for f in report.findings]

    def test_console_output_is_real(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """The validate and check lines shown under it are what the CLI prints."""
        path = tmp_path / "klacht.yaml"
        path.write_text(_procedure_text(), encoding="utf-8")
        shown = re.search(
            r"```console\n(\$ klachtflow validate klacht.yaml.*?)```", README, re.S
        )
        assert shown is not None
        lines = shown.group(1).splitlines()

        assert 0 == main(["validate", str(path)])
        assert 0 == main(["check", str(path)])
        out = capsys.readouterr().out.replace(str(path), "klacht.yaml").splitlines()
        assert [lines[1], lines[3]] == out


class TestReadmeEngine:
    def test_cases_block_runs_and_deadlines_mean_running_ones(self) -> None:
        """The 'Cases move through it' block runs; case.deadlines holds no stopped term."""
        block = README.split("## Cases move through it", 1)[1]
        code = re.search(r"```python\n(.*?)```", block, re.S)
        assert code is not None
        namespace: dict[str, object] = {}
        exec(compile(code.group(1), "README.md", "exec"), namespace)  # noqa: S102 - our own docs
        case = namespace["case"]

        running = case.deadlines  # type: ignore[attr-defined]
        stopped = case.stopped_deadlines  # type: ignore[attr-defined]
        assert all(d.state is not ClockState.GESTOPT for d in running)
        assert all(d.working_days_left is not None for d in running)
        assert all(d.state is ClockState.GESTOPT for d in stopped)
        assert all(d.working_days_left is None for d in stopped)
        assert () == running
        assert {"eerste_contact"} == {d.name for d in stopped}
