"""What scoping to an organisation costs on the deadline queries (issue #15).

    python bench/bench_organisations.py URL [N]

N cases (default 6,000) split over the default organisation and two registered
ones. Side by side in one run, best and median of 5: ``due`` (1,000 hits) and
``overdue`` without any organisation filter (the query before schema 0006), on
the store itself (the default organisation) and on a scoped view. PostgreSQL
is analysed after the load (as autovacuum would).
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from collections.abc import Callable

import pendulum
import sqlalchemy as sa

from klachtflow import Actor, FixedClock, Organisation, builtin_procedure, open_store
from klachtflow.storage import _queries
from klachtflow.storage import schema as t

COORDINATOR = Actor("m.devries", roles={"klachtencoordinator"})
A = Organisation(id="002220647", name="A", procedures={"gemeente-awb"})
B = Organisation(id="111222333", name="B", procedures={"gemeente-awb"})
ON = dt.date(2026, 3, 2)


def reset(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        t.metadata.drop_all(connection)
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    engine.dispose()


def timed(run: Callable[[], object]) -> tuple[float, float]:
    times = []
    for _ in range(5):
        began = time.perf_counter()
        run()
        times.append((time.perf_counter() - began) * 1e3)
    return min(times), statistics.median(times)


def main(url: str, n: int) -> None:
    reset(url)
    clock = FixedClock(pendulum.datetime(2026, 3, 2, 10, tz="Europe/Amsterdam"))
    procedure = builtin_procedure("gemeente-awb")
    with open_store(url, clock=clock, upgrade_schema=True) as store:
        store.register_organisation(A)
        store.register_organisation(B)
        views = [store, store.scoped(A.id), store.scoped(B.id)]
        engine = store.engine_for(procedure)
        for k, view in enumerate(views):
            view.add_many(
                [
                    engine.start(
                        actor=Actor(f"k{i}", roles={"klager"}),
                        parties={"klager": [f"k{i}"]},
                        case_id=f"O{k}-{i}",
                    )
                    for i in range(n // 3)
                ]
            )
        if store.engine.dialect.name == "postgresql":
            # What autovacuum does after a bulk load: without statistics the
            # planner takes a nested loop for the organisation filter (20x slower).
            with store.engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT")
                connection.exec_driver_sql("ANALYZE")
        where = t.deadlines.c.due.between(ON, ON + dt.timedelta(days=400))

        def unfiltered() -> object:
            with store._read() as connection:
                return _queries.deadlines(connection, where, limit=1000)

        rows = [
            ("due, no organisation filter", unfiltered),
            ("due, store (default org)", lambda: store.due(ON, within=400, limit=1000)),
            ("due, scoped view", lambda: views[1].due(ON, within=400, limit=1000)),
            ("overdue, store (default org)", lambda: store.overdue(dt.date(2027, 1, 1), limit=1000)),
            ("overdue, scoped view", lambda: views[1].overdue(dt.date(2027, 1, 1), limit=1000)),
        ]  # fmt: skip
        base = None
        for name, run in rows:
            best, median = timed(run)
            base = base or best
            print(
                f"{url.split(':', maxsplit=1)[0]:12} {name:30} best {best:7.2f} ms  "
                f"median {median:7.2f} ms  ({best / base:.2f}x)"
            )


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 6000)
