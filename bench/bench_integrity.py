"""What integrity costs: verification on load and on save, and bytes per event.

    python bench/bench_integrity.py URL [N]

Side by side in one run, best and median of 5 rounds over N cases of 4 events
(start, plan_gesprek, neem_contact_op, los_informeel_op), keyed store:

- ``verify_history`` alone, per event (the hash chain, personal commitments,
  case fields);
- an uncached ``store.get`` (load + every check) against the same rows read and
  rebuilt without the checks, per event;
- ``store.save`` of a case fired outside the store (the one door: the new event
  is replayed through the engine and compared) against ``store.fire`` (trusted,
  no replay), per fire;
- the stored size per event (skeleton + personal row, as the database returns
  them) in format 2, and what the same event costs in format 1.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable

import pendulum
import sqlalchemy as sa

from klachtflow import Actor, FixedClock, builtin_procedure, open_store, verify_history
from klachtflow.storage import _integrity, _rows
from klachtflow.storage import schema as t

KEY = "bench-sleutel"
KLAGER = Actor("b.jansen", roles={"klager"})
COORDINATOR = Actor("m.devries", roles={"klachtencoordinator"})
PARTIES = {"klager": ["b.jansen"], "beklaagde": ["j.smit"]}
PROCEDURE = builtin_procedure("gemeente-awb")
EVENTS = 4


def reset(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        t.metadata.drop_all(connection)
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    engine.dispose()


def rounds(run: Callable[[], float], count: int = 5) -> tuple[float, float]:
    times = [run() for _ in range(count)]
    return min(times), statistics.median(times)


def main(url: str, n: int) -> None:
    reset(url)
    clock = FixedClock(pendulum.datetime(2026, 3, 2, 10, tz="Europe/Amsterdam"))
    store = open_store(url, clock=clock, upgrade_schema=True, history_key=KEY)
    ids = [f"B-{i:06d}" for i in range(n)]
    for case_id in ids:
        store.start(PROCEDURE, actor=KLAGER, parties=PARTIES, case_id=case_id)
        store.fire(case_id, "plan_gesprek", actor=COORDINATOR, reason="telefonisch")
        store.fire(case_id, "neem_contact_op", actor=COORDINATOR, reason="gebeld")
        store.fire(
            case_id,
            "los_informeel_op",
            actor=COORDINATOR,
            data={"oplossing": "excuses aangeboden"},
            consent=["klager"],
        )
    cases = [store.get(i) for i in ids]

    def verify_only() -> float:
        start = time.perf_counter()
        for case in cases:
            verify_history(case, key=KEY)
        return (time.perf_counter() - start) / (n * EVENTS) * 1e6

    def load(checked: bool) -> Callable[[], float]:
        def run() -> float:
            fresh = open_store(url, clock=clock, history_key=KEY)
            engine = fresh.engine_for(PROCEDURE)
            start = time.perf_counter()
            with fresh._read() as connection:
                for case_id in ids:
                    if checked:
                        fresh._load(connection, case_id)
                    else:
                        rows = fresh._rows_of(connection, case_id)
                        _integrity._case_from(rows, engine)
            elapsed = time.perf_counter() - start
            fresh.close()
            return elapsed / (n * EVENTS) * 1e6

        return run

    def saves(replayed: bool) -> Callable[[], float]:
        def run() -> float:
            reset(url)
            s = open_store(url, clock=clock, upgrade_schema=True, history_key=KEY)
            engine = s.engine_for(PROCEDURE)
            started = [
                s.start(PROCEDURE, actor=KLAGER, parties=PARTIES, case_id=i)
                for i in ids
            ]
            start = time.perf_counter()
            for case in started:
                if replayed:
                    fired = engine.fire(case, "plan_gesprek", actor=COORDINATOR)
                    s.save(fired, expected_version=1)
                else:
                    s.fire(case.id, "plan_gesprek", actor=COORDINATOR)
            elapsed = time.perf_counter() - start
            s.close()
            return elapsed / n * 1e6

        return run

    rows: list[tuple[str, tuple[float, float]]] = [
        ("verify_history, per event (µs)", rounds(verify_only)),
        ("store.get uncached, unchecked, per event (µs)", rounds(load(False))),
        ("store.get uncached, verified, per event (µs)", rounds(load(True))),
        ("store.fire (trusted), per fire (µs)", rounds(saves(False), 3)),
        ("engine.fire + store.save (replayed), per fire (µs)", rounds(saves(True), 3)),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"{'measure':{width}}  {'best':>10}  {'median':>10}   ({url}, {n} cases)")
    for name, (best, median) in rows:
        print(f"{name:{width}}  {best:10.1f}  {median:10.1f}")

    case = cases[0]
    skeleton, personal = _rows.event_rows(case, 0)
    v2 = sum(len(json.dumps(r, default=str)) for r in skeleton + personal) / EVENTS
    legacy = {
        "format",
        "recorded_at",
        "inputs",
        "clocks",
        "key_id",
        "personal",
        "checkpoint",
        "salt",
    }
    v1 = (
        sum(
            len(
                json.dumps({k: v for k, v in r.items() if k not in legacy}, default=str)
            )
            for r in skeleton + personal
        )
        / EVENTS
    )
    print(f"bytes per event as JSON rows: format 2 {v2:.0f}, format 1 fields {v1:.0f}")


if __name__ == "__main__":
    main(
        sys.argv[1] if len(sys.argv) > 1 else "sqlite:////tmp/kf-bench-integrity.db",
        int(sys.argv[2]) if len(sys.argv) > 2 else 500,
    )
