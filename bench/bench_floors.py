"""Benchmark: the physical floors under the store's figures (issue #15).

    python bench/bench_floors.py [SQLITE_URL] [POSTGRES_URL] [--repeat R]

What no klachtflow code can beat on this machine, each as best and median of R
runs, printed beside the store's own fire + save (bench/bench_store.py) in the
same run:

- a bare SQLite commit in WAL with synchronous=NORMAL (one small INSERT per
  transaction, the sqlite3 module, no SQLAlchemy);
- a PostgreSQL commit with fsync (one small INSERT per transaction, psycopg in
  autocommit, the server's fsync / synchronous_commit as they are: printed);
- a raw ``executemany`` insert of rows the size of an event row (SQLite), and
  ``COPY`` and ``executemany`` of the same rows (PostgreSQL);
- a dict lookup (what the case cache costs at the least).

A fire + save does a commit and writes about three rows (case row update, an
event, its personal part): its floor is one commit plus a few rows.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

import bench_store

EVENT_ROW = (
    "case-0000001",
    1,
    "neem_contact_op",
    "ontvangen",
    "informeel.contact",
    "klachtencoordinator",
    "2026-03-02T10:00:00+01:00",
    "2026-03-02",
    "sha256:" + "a" * 64,
    "gemeente-awb",
    "1",
    None,
    json.dumps({"afhandeling": "gestart"}),
    "b" * 64,
    "c" * 64,
    2,
    "2026-03-02T10:00:00+01:00",
    json.dumps({}),
    "d" * 64,
    "",
    "e" * 64,
    None,
)
COLUMNS = 22


def best_median(fn: Callable[[], float], repeat: int) -> tuple[float, float]:
    """fn returns operations per second; best and median over ``repeat`` runs."""
    rates = [fn() for _ in range(repeat)]
    return max(rates), statistics.median(rates)


def line(name: str, rates: tuple[float, float], unit: str = "/s") -> None:
    best, median = rates
    print(
        f"  {name:58} best {best:>12,.0f}{unit}  median {median:>12,.0f}{unit}  ({1e6 / best:8.2f} us each)"
    )


def _sqlite(path: str) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    return connection


def sqlite_commit(n: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        connection = _sqlite(f"{folder}/floor.db")
        connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
        began = time.perf_counter()
        for i in range(n):
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("INSERT INTO t (v) VALUES (?)", (str(i),))
            connection.execute("COMMIT")
        rate = n / (time.perf_counter() - began)
        connection.close()
    return rate


def _event_table(placeholder: str) -> tuple[str, str]:
    names = ", ".join(f"c{i}" for i in range(COLUMNS))
    create = f"CREATE TABLE ev ({', '.join(f'c{i} TEXT' for i in range(COLUMNS))}, PRIMARY KEY (c0, c1))"
    insert = f"INSERT INTO ev ({names}) VALUES ({', '.join([placeholder] * COLUMNS)})"  # noqa: S608 - fixed names
    return create, insert


def _rows(n: int) -> list[tuple[object, ...]]:
    return [(f"case-{i:07d}", *EVENT_ROW[1:]) for i in range(n)]


def sqlite_executemany(n: int) -> float:
    rows = _rows(n)
    create, insert = _event_table("?")
    with tempfile.TemporaryDirectory() as folder:
        connection = _sqlite(f"{folder}/floor.db")
        connection.execute(create)
        began = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany(insert, rows)
        connection.execute("COMMIT")
        rate = n / (time.perf_counter() - began)
        connection.close()
    return rate


def _pg(url: str) -> Any:  # psycopg is optional
    import psycopg  # noqa: PLC0415

    conninfo = url.replace("postgresql+psycopg://", "postgresql://")
    return psycopg.connect(conninfo, autocommit=True)


def pg_commit(url: str, n: int) -> float:
    with _pg(url) as connection:
        connection.execute("DROP TABLE IF EXISTS kf_floor")
        connection.execute("CREATE TABLE kf_floor (id serial PRIMARY KEY, v text)")
        began = time.perf_counter()
        for i in range(n):
            connection.execute("INSERT INTO kf_floor (v) VALUES (%s)", (str(i),))
        rate = n / (time.perf_counter() - began)
        connection.execute("DROP TABLE kf_floor")
    return rate


def pg_settings(url: str) -> str:
    with _pg(url) as connection:
        values = [
            f"{name}={connection.execute(f'SHOW {name}').fetchone()[0]}"
            for name in ("fsync", "synchronous_commit", "wal_sync_method")
        ]
    return ", ".join(values)


def pg_bulk(url: str, n: int, *, copy: bool) -> float:
    rows = _rows(n)
    create, insert = _event_table("%s")
    with _pg(url) as connection:
        connection.execute("DROP TABLE IF EXISTS ev")
        connection.execute(create)
        began = time.perf_counter()
        with connection.transaction(), connection.cursor() as cursor:
            if copy:
                names = ", ".join(f"c{i}" for i in range(COLUMNS))
                with cursor.copy(f"COPY ev ({names}) FROM STDIN") as out:
                    for row in rows:
                        out.write_row(row)
            else:
                cursor.executemany(insert, rows)
        rate = n / (time.perf_counter() - began)
        connection.execute("DROP TABLE ev")
    return rate


def dict_lookup(n: int) -> float:
    table = {f"case-{i:07d}": i for i in range(100_000)}
    keys = [f"case-{i % 100_000:07d}" for i in range(n)]
    began = time.perf_counter()
    for key in keys:
        table[key]
    return n / (time.perf_counter() - began)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "sqlite_url", nargs="?", default="sqlite:////tmp/klachtflow-floor.db"
    )
    parser.add_argument(
        "postgres_url",
        nargs="?",
        default=os.environ.get("KLACHTFLOW_TEST_POSTGRES_URL"),
    )
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    r = args.repeat
    load = os.getloadavg()[0]
    print(
        f"floors (best and median of {r}; load average {load:.1f} on {os.cpu_count()} cores)"
    )
    print("SQLite (WAL, synchronous=NORMAL):")
    line(
        "bare commit (1 INSERT per transaction)",
        best_median(lambda: sqlite_commit(5000), r),
    )
    line(
        "executemany, event-sized rows (22 columns), 1 transaction",
        best_median(lambda: sqlite_executemany(50_000), r),
        " rows/s",
    )
    print("  klachtflow fire + save, 1 transaction each (bench_store.py fires):")
    for _ in range(min(r, 3)):
        bench_store.fires(args.sqlite_url, 2000)
    if args.postgres_url:
        print(f"PostgreSQL ({pg_settings(args.postgres_url)}):")
        line(
            "bare commit (1 INSERT, autocommit)",
            best_median(lambda: pg_commit(args.postgres_url, 2000), r),
        )
        line(
            "COPY, event-sized rows, 1 transaction",
            best_median(lambda: pg_bulk(args.postgres_url, 50_000, copy=True), r),
            " rows/s",
        )
        line(
            "executemany, event-sized rows, 1 transaction",
            best_median(lambda: pg_bulk(args.postgres_url, 20_000, copy=False), r),
            " rows/s",
        )
        print("  klachtflow fire + save, 1 transaction each (bench_store.py fires):")
        for _ in range(min(r, 3)):
            bench_store.fires(args.postgres_url, 2000)
    print("Python:")
    line(
        "dict lookup (100,000 case ids)", best_median(lambda: dict_lookup(1_000_000), r)
    )


if __name__ == "__main__":
    main()
