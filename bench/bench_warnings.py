"""Benchmark: warnings to a role (``store.warnings``) beside ``store.due``.

    python bench/bench_warnings.py URL [N]     # N open cases (default 100,000)

One run, side by side, on the same N open gemeente-awb cases whose
``afhandeling`` deadlines spread over 1,000 due days (N / 1,000 per day):

- ``due(day, within=7)``: the indexed range query, no procedure needed;
- ``warnings(day)``: reads the rows due within the warning horizon of each
  warning term and computes each row's first warning day on the term's calendar;
- ``warnings(day, role="klachtencoordinator")``: the same, filtered by role.

Best and median of 5 runs each, milliseconds.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from collections.abc import Callable

from bench_store import fill_open_cases, reset

from klachtflow import builtin_procedure, open_store


def _timed(fn: Callable[[], object]) -> tuple[int, float, float]:
    hits = 0
    times = []
    for _ in range(5):
        began = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - began)
        hits = len(result)  # type: ignore[arg-type]
    return hits, min(times) * 1e3, statistics.median(times) * 1e3


def main(url: str, n: int) -> None:
    reset(url)
    first = dt.date(2026, 1, 1)
    with open_store(url, upgrade_schema=True) as store:
        procedure = builtin_procedure("gemeente-awb")
        store.add_procedure(procedure)
        fill_open_cases(store, procedure, n, first)
        day = first + dt.timedelta(days=500)
        store.warnings(day)  # procedure parsed and cached once, outside the timing
        rows = [
            ("due(day, within=7)", lambda: store.due(day, within=7)),
            ("warnings(day)", lambda: store.warnings(day)),
            (
                "warnings(day, role=coordinator)",
                lambda: store.warnings(day, role="klachtencoordinator"),
            ),
        ]
        print(f"{url.split(':', maxsplit=1)[0]}, {n:,} open cases, peildatum {day}")
        print(f"{'query':34} {'hits':>6} {'best ms':>9} {'median ms':>10}")
        for label, fn in rows:
            hits, best, median = _timed(fn)
            print(f"{label:34} {hits:>6} {best:>9.2f} {median:>10.2f}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 100_000)
