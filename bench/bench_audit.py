"""Benchmark ``klachtflow audit`` at scale, next to its floor (issue 15).

    python bench/bench_audit.py [--repeat N] URL [URL ...]   # stores filled by bench/fill.py

Per store: the audit as the CLI runs it (every case inspected in full as on
load, then the law applied; streamed), in one process and in two, and the floor: a bare scan of every
row of every case table through the driver. Each is a child process: time
best and median of N runs, peak RSS (the largest of the runs).
"""

from __future__ import annotations

import argparse
import sys

import sqlalchemy as sa
from _scale import AUDIT_COLUMNS, HEADER, floor_command, show
from bench_report import cases_in

ON = "2026-11-22"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("urls", nargs="+")
    args = parser.parse_args()
    print(HEADER)
    for url in args.urls:
        cases = cases_in(url)
        backend = sa.make_url(url).get_backend_name()
        cli = [sys.executable, "-m", "klachtflow", "audit", "--op", ON, "--db", url]
        for processes in ("1", "2"):
            label = f"{backend} audit, {processes} process(es)"
            show(label, cases, [*cli, "--processen", processes], args.repeat)
        floor = floor_command(url, AUDIT_COLUMNS)
        show(f"{backend} floor (bare scan)", cases, floor, args.repeat)


if __name__ == "__main__":
    main()
