"""Benchmark the signaleringsrapportage (issue 7) on a demo database.

    python bench/bench_report.py URL [N]   # fill URL with N demo cases if it has fewer

Reports are run by hand, once a quarter; there is no target. The figures show
how the report scales: reading the skeletons, computing the facts, rendering.
"""

from __future__ import annotations

import datetime as dt
import sys
import time

from klachtflow import builtin_procedure, open_store
from klachtflow.adapters.simulation import case_ids, simulate
from klachtflow.insight import build_report, parse_period, render_report

TODAY = dt.date(2026, 11, 22)


def main(url: str, n: int) -> None:
    with open_store(url, upgrade_schema=True) as store:
        if store.count() < n:
            procedure = builtin_procedure("gemeente-awb")
            store.add_procedure(procedure)
            engine = store.engine_for(procedure)
            ids = case_ids(1, n)
            missing = sorted(set(ids) - store.existing(ids))
            batch = list(simulate(engine, missing, seed=1, today=TODAY))
            for start in range(0, len(batch), 1000):
                store.add_many(batch[start : start + 1000])
        cases = store.count()
        began = time.perf_counter()
        skeletons = store.skeletons(opened_from=dt.date(2023, 1, 1))
        read = time.perf_counter() - began
        began = time.perf_counter()
        report = build_report(store, parse_period("2026"), on=TODAY, per="categorie")
        built = time.perf_counter() - began
        began = time.perf_counter()
        for fmt in ("md", "html", "csv", "json", "awb-9-12a"):
            render_report(report, fmt)
        rendered = time.perf_counter() - began
    print(
        f"{cases:,} cases: skeletons read in {read:.2f} s "
        f"({read / max(len(skeletons), 1) * 1e6:.0f} µs/case); "
        f"report for 2026 (trend over 4 years, per categorie) built in {built:.2f} s; "
        f"all five formats rendered in {rendered * 1e3:.1f} ms"
    )


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 10_000)
