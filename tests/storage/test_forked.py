"""Reads over many cases in forked processes (reports, audits): what they share.

On PostgreSQL every process reads the caller's exported snapshot, so a write
that commits while they run is seen by none of them: the ranges together are
one consistent read. Results come back in job order; a klachtflow error in a
process reaches the caller as itself. Switch the snapshot off (``_start``
ignoring it) and the PostgreSQL test fails: the readers see the write.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from klachtflow import CaseNotFound, SqlStore, open_store
from klachtflow.storage._forked import can_fork, forked_map

from .conftest import POSTGRES_URL, backend_url


def _probe(store: SqlStore, job: str) -> int:
    """A job: 'write' commits a row outside the snapshot; 'read' counts the rows
    a second later, in the store's read."""
    if job == "write":
        outside = sa.create_engine(store.url)
        with outside.begin() as connection:
            connection.exec_driver_sql("INSERT INTO forked_probe VALUES (1)")
        outside.dispose()
        return -1
    time.sleep(1.0)
    with store._read() as connection:
        return int(
            connection.exec_driver_sql("SELECT count(*) FROM forked_probe").scalar_one()
        )


def _missing(store: SqlStore, job: str) -> None:
    raise CaseNotFound(job)


@pytest.fixture(params=["sqlite-file", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlStore]:
    if request.param == "postgresql" and POSTGRES_URL is None:
        pytest.skip("KLACHTFLOW_TEST_POSTGRES_URL is not set")
    with open_store(
        backend_url(str(request.param), tmp_path), upgrade_schema=True
    ) as opened:
        with opened.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE IF EXISTS forked_probe")
            connection.exec_driver_sql("CREATE TABLE forked_probe (n integer)")
        yield opened
        # The database is shared with the other tests (which compare it with
        # the schema): the probe goes again.
        with opened.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE forked_probe")


def test_every_process_reads_the_callers_snapshot_on_postgresql(
    store: SqlStore,
) -> None:
    results = forked_map(store, _probe, ["write", "read", "read"])
    assert -1 == results[0]
    if store.engine.dialect.name == "postgresql":
        assert [0, 0] == results[1:]  # the write committed after the snapshot
    else:
        assert [1, 1] == results[1:]  # SQLite: each reads the database as it is


def test_an_error_in_a_process_reaches_the_caller(store: SqlStore) -> None:
    with pytest.raises(CaseNotFound) as raised:
        forked_map(store, _missing, ["Z-9"])
    assert "Z-9" in raised.value.message


def test_an_in_memory_store_is_not_forked() -> None:
    with open_store("sqlite://") as memory:
        assert not can_fork(memory)
