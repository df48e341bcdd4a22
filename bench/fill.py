"""Fill a store with demo cases, fast, for the scale benchmarks.

    python bench/fill.py URL SIZE [SIZE ...]

Grows the store at URL to each SIZE in turn and, after each size but the
last, snapshots it: a SQLite file is copied as ``NAME_SIZE.db``, a PostgreSQL
database cloned as ``NAME_SIZE`` (CREATE DATABASE ... TEMPLATE).

Simulating a case costs ~1.5 ms and storing it through ``add_many`` another
~2 ms (replay, rows, deadlines): a million cases would take an hour per
database. So the first 5,000 cases ``bench-0000000`` ... are simulated
(gemeente-awb, seed 1, peildatum 2026-11-22) and stored through ``add_many``;
every further case is a copy of one of them under its own id, with its own
hash chain, sealed head and sealed report summary (computed here, so every
row verifies), written
as raw rows (SQLite ``executemany``, PostgreSQL ``COPY``). Reports and audits
read them as any other case. Unkeyed stores only (no KLACHTFLOW_SLEUTEL).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import time
from collections import defaultdict
from typing import Any

import sqlalchemy as sa

from klachtflow import builtin_procedure, open_store
from klachtflow.adapters.simulation import simulate
from klachtflow.engine import Case
from klachtflow.engine._seal import UNKEYED, canonical
from klachtflow.storage import _rows
from klachtflow.storage import schema as t

TODAY = dt.date(2026, 11, 22)
TEMPLATES = int(os.environ.get("FILL_TEMPLATES", "5000"))
BATCH = 10_000
#: Per table: the column holding the case id.
TABLES = {
    t.cases: "id",
    t.events: "case_id",
    t.event_personal: "case_id",
    t.case_personal: "case_id",
    t.case_parties: "case_id",
    t.deadlines: "case_id",
}


def case_id(i: int) -> str:
    return f"bench-{i:07d}"


def simulated(store: Any) -> list[Case]:
    """The template cases, stored the ordinary way if they are not there yet."""
    procedure = builtin_procedure("gemeente-awb")
    store.add_procedure(procedure)
    engine = store.engine_for(procedure)
    ids = [case_id(i) for i in range(TEMPLATES)]
    if store.existing(ids[:1]):
        # Stored by an earlier round: the copies must be sealed over the stored
        # rows, not over a new simulation (whose salts, and so whose personal
        # commitments, are new).
        return [store.get(i) for i in ids]
    cases = list(simulate(engine, ids, seed=1, today=TODAY))
    for start in range(0, len(cases), 1000):
        store.add_many(cases[start : start + 1000], historical=True)
    return cases


def _columns(table: sa.Table) -> list[str]:
    return [c.name for c in table.columns]


def stored_rows(
    connection: sa.Connection, postgres: bool
) -> dict[str, dict[str, list[tuple[Any, ...]]]]:
    """The templates' rows as the driver returns them (PostgreSQL: as text), per table and case."""
    out: dict[str, dict[str, list[tuple[Any, ...]]]] = {}
    for table, key in TABLES.items():
        names = _columns(table)
        cols = ", ".join(f'"{n}"::text' if postgres else f'"{n}"' for n in names)
        # The table's own seq, not the text cast of the select list (an output
        # name in ORDER BY wins on PostgreSQL: 1, 10, 2, ... broke every chain
        # of ten events or more).
        order = f', {table.name}."seq"' if "seq" in names else ""
        grouped: defaultdict[str, list[tuple[Any, ...]]] = defaultdict(list)
        query = f'SELECT {cols} FROM {table.name} WHERE "{key}" < :last ORDER BY "{key}"{order}'  # noqa: S608
        for row in connection.execute(sa.text(query), {"last": case_id(TEMPLATES)}):
            grouped[row[names.index(key)]].append(tuple(row))
        out[table.name] = grouped
    return out


def clone_rows(
    template: Case, rows: dict[str, list[tuple[Any, ...]]], new_id: str, postgres: bool
) -> dict[str, list[tuple[Any, ...]]]:
    """``template``'s rows under ``new_id``: hash chain and head sealed anew."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    hashes: list[tuple[str, str]] = []
    previous = template.history[0].prev_hash
    for event in template.history:
        values = event._values_v2()
        values[1], values[13] = new_id, previous
        hashes.append((previous, UNKEYED.seal(canonical(values))))
        previous = hashes[-1][1]
    for table, key in TABLES.items():
        names = _columns(table)
        at = names.index(key)
        out[table.name] = []
        for index, row in enumerate(rows[table.name]):
            values = list(row)
            values[at] = new_id
            if table is t.events:
                values[names.index("prev_hash")], values[names.index("hash")] = hashes[
                    index
                ]
            if table is t.cases:
                values[names.index("head_hash")] = previous
                values[names.index("head_mac")] = _rows.head_mac(
                    UNKEYED, new_id, template.version, previous
                )
                # The report summary is the template's (it names no id); its
                # seal is over this id and head.
                summary = values[names.index("summary")]
                values[names.index("summary_mac")] = _rows.summary_mac(
                    UNKEYED, new_id, template.version, previous, "", summary
                )
            out[table.name].append(tuple(values))
    return out


def grow(url: str, size: int) -> float:
    began = time.perf_counter()
    with open_store(url, upgrade_schema=True) as store:
        postgres = store.engine.dialect.name == "postgresql"
        templates = simulated(store)
        with store.engine.connect() as connection:
            # Only bench cases count (a store may hold others, e.g. demo-1-*).
            have = int(
                connection.execute(
                    sa.select(sa.func.count()).where(t.cases.c.id.like("bench-%"))
                ).scalar_one()
            )
            stored = stored_rows(connection, postgres)
        for start in range(have, size, BATCH):
            batch: dict[str, list[tuple[Any, ...]]] = {
                table.name: [] for table in TABLES
            }
            for i in range(start, min(start + BATCH, size)):
                template = templates[i % TEMPLATES]
                rows = {name: stored[name][template.id] for name in batch}
                for name, part in clone_rows(
                    template, rows, case_id(i), postgres
                ).items():
                    batch[name] += part
            _write(store.engine, batch, postgres)
            done = min(start + BATCH, size)
            if done % 50_000 == 0:
                rate = (done - have) / (time.perf_counter() - began)
                print(f"  {done:,} ({rate:.0f} cases/s)", flush=True)
    return time.perf_counter() - began


def _write(
    engine: sa.Engine, batch: dict[str, list[tuple[Any, ...]]], postgres: bool
) -> None:
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if not postgres:
            # A bench fill: no fsync per batch.
            cursor.execute("PRAGMA synchronous = OFF")
        for table in TABLES:
            rows = batch[table.name]
            if not rows:
                continue
            names = ", ".join(f'"{n}"' for n in _columns(table))
            if postgres:
                with cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" * len(table.columns))
                insert = f"INSERT INTO {table.name} ({names}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(insert, rows)
        raw.commit()
    finally:
        raw.close()


def snapshot(url: str, size: int) -> str:
    """Copy the store as it is now; the copy's URL."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = parsed.database or ""
        target = path.removesuffix(".db") + f"_{size}.db"
        engine = sa.create_engine(url)
        with engine.connect() as connection:  # everything into the main file first
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
        shutil.copyfile(path, target)
        return str(parsed.set(database=target))
    name = f"{parsed.database}_{size}"
    admin = sa.create_engine(
        parsed.set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(
            sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{parsed.database}"')
        )
    admin.dispose()
    return str(parsed.set(database=name))


def main(url: str, sizes: list[int]) -> None:
    for index, size in enumerate(sizes):
        seconds = grow(url, size)
        print(f"{url}: {size:,} cases after {seconds:.0f} s", flush=True)
        if index < len(sizes) - 1:
            began = time.perf_counter()
            copy = snapshot(url, size)
            print(
                f"  snapshot {copy} in {time.perf_counter() - began:.0f} s", flush=True
            )


if __name__ == "__main__":
    main(sys.argv[1], [int(s) for s in sys.argv[2:]])
