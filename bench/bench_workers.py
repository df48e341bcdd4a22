"""Benchmark: worker processes firing on distinct cases on one PostgreSQL (issue #15).

    python bench/bench_workers.py URL [--fires N] [--repeat R] [--workers 1 2 4]

Each worker is its own process with its own store (its own connections), and
fires ``N`` times on cases only it touches (fire + save, one transaction each,
from the store's cache as a long-running worker would). All workers start
together; throughput is all fires over the wall time until the last is done.
Printed per worker count: best and median of R runs, and the ratio to one
worker. Target: 4 workers >= 1.5x one worker on this 2-core machine.

Where the time goes, and what a bigger machine adds: a fire + save costs about
0.2 ms of Python (the engine's decision, the seal, the rows) and one commit on
the server, which is an fsync of the WAL unless commits are grouped. With 2
cores, client processes and the PostgreSQL backends share them: beyond 2
workers there is no CPU left to add, and the gain from 2 to 4 comes only from
one worker's CPU filling another's wait for its commit. The workers never
wait for each other (distinct cases: no row locks in common; the version
guard is a single-row UPDATE), so on a machine with more cores throughput
grows with the workers until PostgreSQL's WAL flush is the limit: concurrent
commits share an fsync (group commit, see ``commit_delay``), so that limit is
far above one process's commit rate; bench/bench_floors.py prints the commit
floor of this server.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path

import pendulum

sys.path.insert(0, str(Path(__file__).parent))

from bench_store import COORDINATOR, KLAGER, PARTIES, reset

from klachtflow import FixedClock, builtin_procedure, open_store

CASES_PER_WORKER = 50


def _clock() -> FixedClock:
    return FixedClock(pendulum.datetime(2026, 3, 2, 10, tz="Europe/Amsterdam"))


def prepare(url: str, workers: int) -> None:
    reset(url)
    procedure = builtin_procedure("gemeente-awb")
    with open_store(url, clock=_clock(), upgrade_schema=True) as store:
        engine = store.engine_for(procedure)
        store.add_many(
            [
                engine.start(actor=KLAGER, parties=PARTIES, case_id=f"W{w}-{i}")
                for w in range(workers)
                for i in range(CASES_PER_WORKER)
            ]
        )


def work(url: str, worker: int, fires: int, start: object, done: object) -> None:
    procedure = builtin_procedure("gemeente-awb")
    with open_store(url, clock=_clock()) as store:
        store.add_procedure(procedure)
        for i in range(CASES_PER_WORKER):  # warm the cache, as a running worker has it
            store.get(f"W{worker}-{i}")
        start.wait()  # type: ignore[attr-defined]
        for i in range(fires):
            store.fire(
                f"W{worker}-{i % CASES_PER_WORKER}",
                "neem_contact_op",
                actor=COORDINATOR,
                reason=str(i),
            )
    done.put(worker)  # type: ignore[attr-defined]


def run(url: str, workers: int, fires: int) -> float:
    prepare(url, workers)
    context = multiprocessing.get_context("fork")
    start = context.Barrier(workers + 1)
    done = context.Queue()
    processes = [
        context.Process(target=work, args=(url, w, fires, start, done))
        for w in range(workers)
    ]
    for process in processes:
        process.start()
    start.wait()
    began = time.perf_counter()
    for _ in processes:
        done.get()
    elapsed = time.perf_counter() - began
    for process in processes:
        process.join()
        if process.exitcode:
            msg = f"worker failed with exit code {process.exitcode}"
            raise RuntimeError(msg)
    return workers * fires / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--fires", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2, 4])
    args = parser.parse_args()
    print(
        f"{args.url.split(':', maxsplit=1)[0]}: {args.fires:,} fires per worker, distinct "
        f"cases (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    base = None
    for count in args.workers:
        rates = [run(args.url, count, args.fires) for _ in range(args.repeat)]
        best, median = max(rates), statistics.median(rates)
        base = base or median
        print(
            f"  {count} worker{'s' if count > 1 else ' '}: best {best:7,.0f} fires/s, "
            f"median {median:7,.0f} fires/s, {median / base:4.2f}x one worker (median)"
        )


if __name__ == "__main__":
    main()
