"""Several processes on the same cases, and a writer killed mid-run (SIGKILL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pendulum

from klachtflow import Actor, FixedClock, builtin_procedure, open_store, verify_history

WORKER = Path(__file__).with_name("worker.py")
KLAGER = Actor("b.jansen", roles={"klager"})
PROCEDURE = builtin_procedure("gemeente-awb")


def seed(url: str, case_ids: list[str]) -> None:
    clock = FixedClock(pendulum.datetime(2026, 3, 2, 10, tz="Europe/Amsterdam"))
    with open_store(url, clock=clock, upgrade_schema=True) as store:
        for case_id in case_ids:
            store.start(
                PROCEDURE,
                actor=KLAGER,
                parties={"klager": ["b.jansen"], "beklaagde": ["j.smit"]},
                case_id=case_id,
            )


def worker(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


class TestProcesses:
    def test_processes_saving_from_the_same_version(self, shared_url: str) -> None:
        """Six processes save the same case from the same version: exactly one wins."""
        seed(shared_url, ["Z-1"])
        start_at = time.time() + 3.0
        procs = [worker("race", shared_url, "Z-1", str(start_at)) for _ in range(6)]
        for proc in procs:  # all have read version 1 ...
            assert proc.stdout is not None
            assert "ready" == proc.stdout.readline().strip()
        outcomes = []
        for proc in procs:  # ... before any of them saves
            out, err = proc.communicate("go\n", timeout=120)
            assert 0 == proc.returncode, err
            outcomes.append(out.strip())

        assert ["conflict"] * 5 + ["ok"] == sorted(outcomes)
        with open_store(shared_url) as store:
            case = store.get("Z-1")
        assert (2, 2) == (case.version, len(case.history))
        assert verify_history(case)

    def test_sigkill_in_the_middle_of_fires(self, shared_url: str) -> None:
        """Writers killed with SIGKILL mid-run leave every case whole: version equals
        the event count and the hash chain holds."""
        ids = [f"Z-{i}" for i in range(4)]
        seed(shared_url, ids)
        procs = [worker("loop", shared_url, ",".join(ids)) for _ in range(2)]
        deadline = time.time() + 60
        for proc in procs:
            assert proc.stdout is not None
            # Wait until each writer has committed a few fires, then kill it.
            for _ in range(5):
                line = proc.stdout.readline()
                assert line, proc.stderr.read() if proc.stderr else ""
            assert time.time() < deadline
        time.sleep(0.2)
        for proc in procs:
            os.kill(proc.pid, signal.SIGKILL)
            proc.communicate(timeout=30)  # also closes the pipes

            assert -signal.SIGKILL == proc.returncode

        with open_store(shared_url) as store:
            cases = [store.get(i) for i in ids]
        total = sum(c.version - 1 for c in cases)

        assert total >= 10
        for case in cases:
            assert case.version == len(case.history)
            assert verify_history(case), case.id
