"""Benchmark: term computations per second (issue 4 target: 1,000,000 in < 1 s;
issue #15: ``klachtflow.termijn(start, "6 weken")`` <= 2 µs).

    python bench/bench_terms.py [N]

Side by side, one run, the same N terms of "6 weken" from consecutive start dates:

- klachtflow ``due_rule``: a term compiled once, then Atw art 2 and art 1 by
  table lookup per start (the bulk path);
- klachtflow ``due_date``: the same, compiling per call;
- klachtflow ``compute``: the explained path (a Deadline with every shifted day);
- pendulum: ``Date.add(weeks=6)`` and a roll-forward loop over a holiday set;
- datetime: ``date + timedelta`` and the same roll-forward loop.

The pendulum and datetime loops implement only art 1 (no art 2, no
explanation): they are the floor of "doing it by hand", not equivalents.

Then the public API, best and median of 5 rounds side by side:
``klachtflow.termijn("2026-03-16", "6 weken")`` (text in, a Deadline that
explains itself out), the same with a date, and the floor: a dict lookup and
``date + timedelta``.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
import timeit
from collections.abc import Callable
from importlib.metadata import version

import pendulum

from klachtflow import termijn
from klachtflow.definition.model import Duration
from klachtflow.rules.calendar import ATW
from klachtflow.rules.terms import compute, due_date, due_rule

SIX_WEEKS = Duration.parse("6 weken")


def _holidays() -> frozenset[dt.date]:
    return frozenset(d for y in range(2020, 2041) for d in ATW.holidays(y))


def run(
    label: str, fn: Callable[[list[dt.date]], object], starts: list[dt.date]
) -> float:
    began = time.perf_counter()
    fn(starts)
    elapsed = time.perf_counter() - began
    per = elapsed / len(starts) * 1e6
    print(f"{label:34} {len(starts):>9,} {elapsed:>8.3f} s {per:>8.3f} µs/term")
    return elapsed


def fast(starts: list[dt.date]) -> None:
    rule = due_rule(SIX_WEEKS)
    for start in starts:
        rule(start)


def convenience(starts: list[dt.date]) -> None:
    for start in starts:
        due_date(start, SIX_WEEKS)


def explained(starts: list[dt.date]) -> None:
    for start in starts:
        compute(start, SIX_WEEKS)


def pendulum_loop(starts: list[dt.date]) -> None:
    holidays = _holidays()
    for start in starts:
        end = pendulum.date(start.year, start.month, start.day).add(weeks=6)
        while end.weekday() >= 5 or end in holidays:
            end = end.add(days=1)


def datetime_loop(starts: list[dt.date]) -> None:
    holidays = _holidays()
    six = dt.timedelta(weeks=6)
    one = dt.timedelta(days=1)
    for start in starts:
        end = start + six
        while end.weekday() >= 5 or end in holidays:
            end += one


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    first = dt.date(2021, 1, 1).toordinal()
    starts = [dt.date.fromordinal(first + i % 6000) for i in range(n)]
    ATW.legal_end(first, first + 42)  # build the day tables once, outside the timing
    sample = starts[: max(1, n // 10)]
    print(f"Python {sys.version.split()[0]}, pendulum {version('pendulum')}")
    print(f"{'':34} {'terms':>9} {'time':>10} {'per term':>13}")
    run("klachtflow due_rule (compiled term)", fast, starts)
    run("klachtflow due_date (per call)", convenience, sample)
    run("klachtflow compute (explained)", explained, sample)
    run("pendulum add + roll forward", pendulum_loop, sample)
    run("datetime + roll forward", datetime_loop, starts)
    mismatches = sum(
        due_date(s, SIX_WEEKS) != compute(s, SIX_WEEKS).end for s in starts[:20000]
    )
    print(f"fast path vs explained, first 20,000 starts: {mismatches} differences")
    public_api()


def public_api(number: int = 50_000, rounds: int = 5) -> None:
    """``termijn`` through the public API, next to the floor."""
    day = dt.date(2026, 3, 16)
    six = dt.timedelta(weeks=6)
    table = {("2026-03-16", "6 weken"): day + six}
    cases: dict[str, Callable[[], object]] = {
        'termijn("2026-03-16", "6 weken")': lambda: termijn("2026-03-16", "6 weken"),
        'termijn(date, "6 weken")': lambda: termijn(day, "6 weken"),
        "  + reading .shifts (explanation)": lambda: termijn(day, "6 weken").shifts,
        "compute (explained, before #15)": lambda: compute(day, SIX_WEEKS),
        "floor: dict lookup": lambda: table.get(("2026-03-16", "6 weken")),
        "floor: date + timedelta": lambda: day + six,
    }
    times: dict[str, list[float]] = {k: [] for k in cases}
    for _ in range(rounds):
        for label, fn in cases.items():
            times[label].append(timeit.timeit(fn, number=number) / number)
    print()
    print(f"{'public API (µs per call)':34} {'best':>9} {'median':>9}")
    for label, values in times.items():
        print(
            f"{label:34} {min(values) * 1e6:>9.3f} {statistics.median(values) * 1e6:>9.3f}"
        )


if __name__ == "__main__":
    main()
