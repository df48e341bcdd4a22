"""Benchmark ``klachtflow rapport`` at scale, next to its floor (issue 15).

    python bench/bench_report.py [--repeat N] URL [URL ...]   # stores filled by bench/fill.py

Per store: the report as the CLI makes it (streamed, each case through its
sealed summary, counted) in one process and in two, the same with every history
verified (``--volledig``, only with --full: it is slow), the way it was made
before round two (every case rebuilt in full, facts held in a list, nothing
verified; only with --before, it is slower still), and the floor: a bare scan of
the same columns through the driver. Each is a child process: time
best and median of N runs, peak RSS (the largest of the runs).
"""

from __future__ import annotations

import argparse
import sys

import sqlalchemy as sa
from _scale import HEADER, REPORT_COLUMNS, floor_command, show

PERIOD, ON = "2026", "2026-11-22"

BEFORE = """
import datetime as dt, sys
from klachtflow import open_store
from klachtflow.insight import parse_period, render_report, report_from_facts
from klachtflow.insight.facts import case_facts
period, on = parse_period("2026"), dt.date(2026, 11, 22)
with open_store(sys.argv[1]) as store:
    first = period.preceding(4)[0].first
    measures = store.filled(("verbetermaatregelen", "maatregelen"), opened_from=first, opened_until=period.last)
    procedures, facts = {}, []
    for s in store.iter_skeletons(opened_from=first, opened_until=period.last):
        p = procedures.setdefault(s.case.procedure_digest, store.procedure(s.case.procedure_digest))
        facts.append(case_facts(s.case, p, on=on, registration=s.registration, measures=s.case.id in measures))
    render_report(report_from_facts(facts, period, on=on, procedures=list(procedures.values())), "md")
"""


def cases_in(url: str) -> int:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        count = int(
            connection.exec_driver_sql("SELECT count(*) FROM kf_cases").scalar_one()
        )
    engine.dispose()
    return count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--before", action="store_true")
    parser.add_argument("--full", action="store_true")
    parser.add_argument("urls", nargs="+")
    args = parser.parse_args()
    print(HEADER)
    for url in args.urls:
        cases = cases_in(url)
        backend = sa.make_url(url).get_backend_name()
        cli = [
            sys.executable,
            "-m",
            "klachtflow",
            "rapport",
            "--periode",
            PERIOD,
            "--op",
            ON,
            "--db",
            url,
        ]
        for processes in ("1", "2"):
            label = f"{backend} rapport, {processes} process(es)"
            show(label, cases, [*cli, "--processen", processes], args.repeat)
        if args.full:
            command = [*cli, "--volledig", "--processen", "1"]
            show(f"{backend} rapport --volledig", cases, command, args.repeat)
        if args.before:
            before = [sys.executable, "-c", BEFORE, url]
            show(f"{backend} before (unverified)", cases, before, args.repeat)
        floor = floor_command(url, REPORT_COLUMNS)
        show(f"{backend} floor (bare scan)", cases, floor, args.repeat)


if __name__ == "__main__":
    main()
