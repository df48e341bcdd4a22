"""Shared by bench_report.py and bench_audit.py: run a command in a child
process, time it and read its peak RSS (``os.wait4``), and the floor: a bare
scan of the same rows through the driver, no processing."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence

import sqlalchemy as sa

#: The columns a report reads, per table (storage/_stream.py): the case rows
#: with their sealed summary, and the case data for the registration check.
REPORT_COLUMNS = {
    "kf_cases": "id, state, version, result, procedure_digest, category, domain, "
    "provider, channel, head_hash, head_mac, organisation, opened_on, summary, "
    "summary_mac",
    "kf_case_personal": "case_id, data",
}
#: An audit reads every row of a case.
AUDIT_COLUMNS = dict.fromkeys(
    (
        "kf_cases",
        "kf_case_personal",
        "kf_case_parties",
        "kf_events",
        "kf_event_personal",
        "kf_deadlines",
    ),
    "*",
)


def run(command: Sequence[str]) -> tuple[float, int]:
    """Seconds and peak RSS (KiB) of ``command`` as a child process."""
    began = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL)  # noqa: S603
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - began
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in (0, 1):  # audit: 1 = findings
        msg = f"{' '.join(command)} exited with {child.returncode}"
        raise SystemExit(msg)
    return seconds, usage.ru_maxrss


def floor_command(url: str, columns: dict[str, str]) -> list[str]:
    """A child that scans ``columns`` of every table and discards the rows."""
    return [sys.executable, __file__, "floor", url, repr(columns)]


def scan(url: str, columns: dict[str, str]) -> None:
    """Fetch every row of the tables, 10,000 at a time, through the driver."""
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        for table, names in columns.items():
            result = connection.execution_options(yield_per=10_000).exec_driver_sql(
                f"SELECT {names} FROM {table}"  # noqa: S608 - fixed names
            )
            for _ in result.partitions():
                pass
    engine.dispose()


def measure(command: Sequence[str], repeat: int) -> tuple[float, float, int]:
    """Best and median seconds of ``repeat`` runs, and the largest peak RSS."""
    runs = [run(command) for _ in range(repeat)]
    times = [t for t, _ in runs]
    return min(times), statistics.median(times), max(r for _, r in runs)


def show(label: str, cases: int, command: Sequence[str], repeat: int) -> None:
    """Measure ``command`` and print its row at once."""
    print(row(label, cases, measure(command, repeat)), flush=True)


def row(label: str, cases: int, figures: tuple[float, float, int]) -> str:
    best, median, rss = figures
    return (
        f"| {label:28} | {cases:>9,} | {best:8.1f} | {median:8.1f} | "
        f"{best / cases * 1e6:7.0f} | {rss / 1024:7.0f} |"
    )


HEADER = (
    "| run                          |     cases |  best s |  median s | µs/case | RSS MiB |\n"
    "|------------------------------|-----------|---------|-----------|---------|---------|"
)


if __name__ == "__main__" and sys.argv[1] == "floor":
    import ast

    scan(sys.argv[2], ast.literal_eval(sys.argv[3]))
