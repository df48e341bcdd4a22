"""Benchmark the store (issue 5 targets).

    python bench/bench_store.py fires URL [N]     # fire + save, one transaction each
    python bench/bench_store.py cold URL [N]      # the same, each case new to the store (a load per fire)
    python bench/bench_store.py due URL [N]       # due() among N open cases (default 1,000,000)

Targets: fire + save >= 3,000/s on SQLite (WAL, synchronous=NORMAL) and
>= 1,000/s on PostgreSQL from one process; ``due`` among 1,000,000 open cases
returning 1,000 hits in < 10 ms. ``klachtflow demo --zaken 100000`` is timed
from the shell (see the closing notes).
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time

import pendulum
import sqlalchemy as sa

from klachtflow import (
    Actor,
    FixedClock,
    Procedure,
    SqlStore,
    builtin_procedure,
    open_store,
)
from klachtflow.storage import schema as t
from klachtflow.storage._bulk import analyze

KLAGER = Actor("b.jansen", roles={"klager"})
COORDINATOR = Actor("m.devries", roles={"klachtencoordinator"})
PARTIES = {"klager": ["b.jansen"], "beklaagde": ["j.smit"]}


def reset(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        t.metadata.drop_all(connection)
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    engine.dispose()


def fires(url: str, n: int) -> None:
    reset(url)
    clock = FixedClock(pendulum.datetime(2026, 3, 2, 10, tz="Europe/Amsterdam"))
    procedure = builtin_procedure("gemeente-awb")
    with open_store(url, clock=clock, upgrade_schema=True) as store:
        cases = [
            store.engine_for(procedure).start(
                actor=KLAGER, parties=PARTIES, case_id=f"B-{i}"
            )
            for i in range(100)
        ]
        store.add_many(cases)
        began = time.perf_counter()
        for i in range(n):
            store.fire(
                f"B-{i % 100}", "neem_contact_op", actor=COORDINATOR, reason=str(i)
            )
        elapsed = time.perf_counter() - began
    print(
        f"{url.split(':', maxsplit=1)[0]:12} fire+save (1 transaction each): {n / elapsed:,.0f}/s "
        f"({elapsed / n * 1e3:.2f} ms each, {n:,} fires)"
    )


def cold(url: str, n: int) -> None:
    """Each fire on a case this store has not read before: load, fire, save."""
    reset(url)
    clock = FixedClock(pendulum.datetime(2026, 3, 2, 10, tz="Europe/Amsterdam"))
    procedure = builtin_procedure("gemeente-awb")
    with open_store(url, clock=clock, upgrade_schema=True) as writer:
        engine = writer.engine_for(procedure)
        writer.add_many(
            [
                engine.start(actor=KLAGER, parties=PARTIES, case_id=f"B-{i}")
                for i in range(n)
            ]
        )
    with open_store(url, clock=clock) as store:
        store.add_procedure(procedure)
        began = time.perf_counter()
        for i in range(n):
            store.fire(f"B-{i}", "neem_contact_op", actor=COORDINATOR, reason=str(i))
        elapsed = time.perf_counter() - began
    print(
        f"{url.split(':', maxsplit=1)[0]:12} fire+save on uncached cases: {n / elapsed:,.0f}/s "
        f"({elapsed / n * 1e3:.2f} ms each, {n:,} fires)"
    )


def fill_open_cases(
    store: SqlStore, procedure: Procedure, n: int, first: dt.date
) -> None:
    """N open cases in formele_klacht.onderzoek as raw rows, each with one open
    'afhandeling' deadline; 1,000 distinct due days from ``first`` on."""
    chunk = 50_000
    with store.engine.begin() as connection:
        for start in range(0, n, chunk):
            ids = range(start, min(n, start + chunk))
            connection.execute(
                t.cases.insert(),
                [
                    {
                        "id": f"C-{i:07d}",
                        "procedure_digest": procedure.digest,
                        "procedure_name": procedure.name,
                        "procedure_version": procedure.version,
                        "state": "formele_klacht.onderzoek",
                        "status": "onderzoek",
                        "version": 3,
                        "formal": True,
                        "opened_at": "2026-01-01T09:00:00+00:00",
                        "opened_on": first,
                        "updated_on": first,
                    }
                    for i in ids
                ],
            )
            # 1,000 distinct due days, so one day holds n / 1,000 deadlines.
            connection.execute(
                t.deadlines.insert(),
                [
                    {
                        "case_id": f"C-{i:07d}",
                        "term": "afhandeling",
                        "due": first + dt.timedelta(days=i % 1000),
                        "open": True,
                        "suspended": False,
                        "kind": "fataal",
                        "ledger": {},
                    }
                    for i in ids
                ],
            )


def due(url: str, n: int) -> None:
    reset(url)
    with open_store(url, upgrade_schema=True) as store:
        procedure = builtin_procedure("gemeente-awb")
        store.add_procedure(procedure)
        first = dt.date(2026, 1, 1)
        began = time.perf_counter()
        fill_open_cases(store, procedure, n, first)
        print(f"loaded {n:,} open cases in {time.perf_counter() - began:.1f} s")
        day = first + dt.timedelta(days=500)
        # The rows went in behind the store's back (as a bulk load outside
        # klachtflow would): first as filled, then after ANALYZE, which
        # import_cases runs itself and the how-to asks for after a bulk load.
        for label in ("as filled", "after ANALYZE"):
            if label == "after ANALYZE":
                analyze(store.engine)
            hits = len(store.due(day, within=0))
            times = []
            for _ in range(50):
                began = time.perf_counter()
                store.due(day, within=0)
                times.append(time.perf_counter() - began)
            print(
                f"{url.split(':', maxsplit=1)[0]:12} due() among {n:,} open cases -> "
                f"{hits:,} hits ({label}): median {statistics.median(times) * 1e3:.2f} ms "
                f"(min {min(times) * 1e3:.2f} ms)"
            )
            if store.engine.dialect.name != "postgresql":
                break


if __name__ == "__main__":
    mode, url = sys.argv[1], sys.argv[2]
    count = (
        int(sys.argv[3])
        if len(sys.argv) > 3
        else (2000 if mode in ("fires", "cold") else 1_000_000)
    )
    {"fires": fires, "cold": cold, "due": due}[mode](url, count)
