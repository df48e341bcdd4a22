"""Benchmark: import of historical cases (issue #15), verified and stored.

    python bench/bench_import.py URL [N] [--repeat R] [--workers W ...]

Makes (once, cached under /tmp) a JSONL file of N cases with exactly 4 events
each, realistic histories from :mod:`klachtflow.adapters.simulation` (the
4-event cases of a simulation, re-run through the engine under new case ids),
then times ``SqlStore.import_cases`` into an empty database at URL (with the
collector tuned as ``klachtflow import`` runs it): best and
median of R runs, wall clock and CPU (this process plus its workers), per
case and per event. Target: 100,000 cases x 4 events in < 30 s on SQLite and
< 60 s on PostgreSQL.

Beside it, on the first 2,000 cases, in the same run: the path before the bulk
import (``add_many(historical=True)`` in batches of 500) and the parts of the
import on their own (JSON + shape, replay, rows, insert), so each figure stands
next to what it costs at the least. bench/bench_floors.py gives the floors of
the database and the interpreter.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import attrs
import pendulum
import sqlalchemy as sa

from klachtflow import FixedClock, builtin_procedure, open_store
from klachtflow.adapters.simulation import case_ids, simulate
from klachtflow.engine import Case, Engine, Event
from klachtflow.engine._replay import replay_events
from klachtflow.storage import _bulk
from klachtflow.storage import schema as t
from klachtflow.storage._collector import bulk_collector
from klachtflow.storage._transfer import case_line, parse_case, procedure_line

NOW = pendulum.datetime(2026, 6, 1, 10, tz="Europe/Amsterdam")
TEMPLATES = 400
SUBSET = 2000


def reset(url: str) -> None:
    if url.startswith("sqlite:///") and url != "sqlite://":
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        t.metadata.drop_all(connection)
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    engine.dispose()


def _templates() -> list[Case]:
    with open_store("sqlite://", clock=FixedClock(NOW)) as store:
        engine = store.engine_for(builtin_procedure("gemeente-awb"))
        found: list[Case] = []
        batch = 0
        while len(found) < TEMPLATES:
            ids = case_ids(batch, 500)
            found += [
                c
                for c in simulate(engine, ids, seed=1, today=NOW.date())
                if c.version == 4
            ]
            batch += 1
        return found[:TEMPLATES]


def _write_part(args: tuple[int, int, int, str]) -> None:
    """Cases first..last-1 (each a template re-run under its own id) into a file."""
    first, last, _, path = args
    templates = _templates()
    with open_store("sqlite://", clock=FixedClock(NOW)) as store:
        engine = store.engine_for(builtin_procedure("gemeente-awb"))
        with open(path, "w", encoding="utf-8") as out:
            for i in range(first, last):
                template = templates[i % len(templates)]
                # A fresh salt for every event, the template's moments and actors.
                events = [attrs.evolve(e, salt=None) for e in template.history]
                case = _rerun(engine, f"import-{i:07d}", template, events)
                out.write(case_line(case) + "\n")


def _rerun(
    engine: Engine, case_id: str, template: Case, events: Sequence[Event]
) -> Case:
    from klachtflow.engine._replay import _step  # noqa: PLC0415 - bench only

    current: Case | None = None
    for event in events:
        current = _step(
            lambda _d: engine, current, case_id, template.parties, event, None
        )
    assert current is not None
    return current


def make_file(n: int) -> Path:
    path = Path(f"/tmp/klachtflow-bench-import-{n}.jsonl")  # noqa: S108 - a cache, rebuilt if wrong
    if path.exists():
        return path
    parts = max(1, min(os.cpu_count() or 1, 4))
    step = -(-n // parts)
    jobs = [
        (i * step, min(n, (i + 1) * step), i, f"{path}.part{i}")
        for i in range(parts)
        if i * step < n
    ]
    began = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(len(jobs)) as pool:
        pool.map(_write_part, jobs)
    with path.with_suffix(".tmp").open("w", encoding="utf-8") as out:
        out.write(procedure_line(builtin_procedure("gemeente-awb")) + "\n")
        for _, _, _, part in jobs:
            out.write(Path(part).read_text(encoding="utf-8"))
            Path(part).unlink()
    path.with_suffix(".tmp").rename(path)
    print(
        f"made {path} ({n:,} cases) in {time.perf_counter() - began:.0f} s",
        file=sys.stderr,
    )
    return path


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def timed(
    run: Callable[[], object], repeat: int, before: Callable[[], object]
) -> tuple[list[float], list[float]]:
    walls, cpus = [], []
    for _ in range(repeat):
        before()
        cpu, wall = _cpu(), time.perf_counter()
        run()
        walls.append(time.perf_counter() - wall)
        cpus.append(_cpu() - cpu)
    return walls, cpus


def show(name: str, walls: list[float], cpus: list[float], events: int) -> None:
    best, median = min(walls), statistics.median(walls)
    print(
        f"  {name:44} best {best:7.2f} s  median {median:7.2f} s  "
        f"{best / events * 1e6:6.1f} us/event wall, "
        f"{min(cpus) / events * 1e6:6.1f} us/event cpu"
    )


def import_runs(
    url: str, path: Path, n: int, repeat: int, workers: Iterable[int]
) -> None:
    clock = FixedClock(NOW)
    events = n * 4
    load = os.getloadavg()[0]
    print(
        f"{url.split(':', maxsplit=1)[0]}: import of {n:,} cases x 4 events (load average {load:.1f} on {os.cpu_count()} cores)"
    )
    for count in workers:

        def run(count: int = count) -> None:
            with (
                open_store(url, clock=clock, upgrade_schema=True) as store,
                path.open(encoding="utf-8") as lines,
            ):
                # As the CLI runs it: the collector tuned for bulk work.
                with bulk_collector():
                    result = store.import_cases(lines, workers=count)
                assert result.ok and result.imported == n, result  # noqa: PT018

        walls, cpus = timed(run, repeat, lambda: reset(url))
        show(f"import_cases, workers={count}", walls, cpus, events)


def parts(url: str, path: Path, repeat: int) -> None:
    """The import's parts on the first SUBSET cases, and the path before it."""
    clock = FixedClock(NOW)
    with path.open(encoding="utf-8") as handle:
        lines = [next(handle) for _ in range(SUBSET + 1)]
    texts = lines[1:]
    events = SUBSET * 4
    print(f"  on the first {SUBSET:,} cases ({events:,} events):")
    with open_store("sqlite://", clock=clock) as scratch:
        engine = scratch.engine_for(builtin_procedure("gemeente-awb"))
        parsed = [parse_case(json.loads(text), i) for i, text in enumerate(texts, 2)]
        cases = [
            replay_events(lambda _d: engine, None, p.id, p.parties, p.history)
            for p in parsed
        ]

        def parse() -> None:
            for i, text in enumerate(texts, 2):
                parse_case(json.loads(text), i)

        def replay() -> None:
            for p in parsed:
                replay_events(lambda _d: engine, None, p.id, p.parties, p.history)

        dialect = sa.make_url(url).get_backend_name()
        settings = _bulk.Settings(
            scratch.conditions, clock, scratch.atw, scratch._sealer, None, dialect
        )
        verifier = _bulk._Verifier(settings)
        verifier.engines[engine.procedure.digest] = engine

        def rows() -> None:
            for case in cases:
                verifier.rows(case)

        for name, fn in (
            ("json + shape (parse_case)", parse),
            ("replay (engine, seals)", replay),
            ("rows (build + driver form)", rows),
        ):
            walls, cpus = timed(fn, repeat, lambda: None)
            show(name, walls, cpus, events)

    built = [
        _bulk._Verified(i, c.id, verifier.rows(c), None) for i, c in enumerate(cases)
    ]

    def insert() -> None:
        with open_store(url, clock=clock, upgrade_schema=True) as store:
            store.add_procedure(builtin_procedure("gemeente-awb"))
            with store._write() as connection:
                _bulk._write(store, verifier.columns, connection, [], built)

    walls, cpus = timed(insert, repeat, lambda: reset(url))
    show("insert only (executemany / COPY)", walls, cpus, events)

    def before() -> None:
        with open_store(url, clock=clock, upgrade_schema=True) as store:
            store.add_procedure(builtin_procedure("gemeente-awb"))
            for start in range(0, len(cases), 500):
                store.add_many(cases[start : start + 500], historical=True)

    walls, cpus = timed(before, repeat, lambda: reset(url))
    show("before: add_many(historical=True)", walls, cpus, events)

    def after() -> None:
        with open_store(url, clock=clock, upgrade_schema=True) as store:
            result = store.import_cases(lines)
            assert result.ok

    walls, cpus = timed(after, repeat, lambda: reset(url))
    show("now: import_cases, workers=1", walls, cpus, events)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("n", nargs="?", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2])
    parser.add_argument("--no-parts", action="store_true")
    args = parser.parse_args()
    path = make_file(max(args.n, SUBSET))
    if args.n < SUBSET:
        print(f"(the file holds {SUBSET:,} cases; N={args.n} uses them all)")
    import_runs(args.url, path, max(args.n, SUBSET), args.repeat, args.workers)
    if not args.no_parts:
        parts(args.url, path, args.repeat)


if __name__ == "__main__":
    main()
