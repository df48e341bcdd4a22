"""Backends for the storage conformance suite.

SQLite (in memory and a file) always runs. PostgreSQL runs when
KLACHTFLOW_TEST_POSTGRES_URL is set, e.g.
``postgresql+psycopg://postgres@127.0.0.1:5432/test``; if it is set and the
server cannot be reached, the tests fail (they never skip silently in CI).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pendulum
import pytest
import sqlalchemy as sa

from klachtflow import FixedClock, SqlStore, open_store
from klachtflow.storage import schema


def _per_worker(url: str | None) -> str | None:
    """Under pytest-xdist, each worker gets a database of its own (``test_gw0``,
    created when missing): the fixtures empty the database for every test."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if url is None or not worker:
        return url
    parsed = sa.engine.make_url(url)
    name = f"{parsed.database}_{worker}"
    admin = sa.create_engine(parsed, isolation_level="AUTOCOMMIT")
    try:
        for attempt in range(10):
            try:
                with admin.connect() as connection:
                    found = connection.execute(
                        sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                        {"name": name},
                    ).first()
                    if found is None:
                        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
                break
            except sa.exc.DBAPIError:  # another worker is copying template1
                if attempt == 9:
                    raise
                time.sleep(0.5)
    finally:
        admin.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


POSTGRES_URL = _per_worker(os.environ.get("KLACHTFLOW_TEST_POSTGRES_URL"))
if (
    os.environ.get("CI") and not POSTGRES_URL
):  # pragma: no cover - CI configuration guard
    msg = "CI must set KLACHTFLOW_TEST_POSTGRES_URL: the PostgreSQL tests may not be skipped there."
    raise RuntimeError(msg)
BACKENDS = ["sqlite-memory", "sqlite-file", "postgresql"]


def reset_postgres(url: str) -> None:
    """Drop every klachtflow table (and alembic's) so a test starts empty."""
    engine = sa.create_engine(url)
    try:
        with engine.begin() as connection:
            schema.metadata.drop_all(connection)
            connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    finally:
        engine.dispose()


def backend_url(backend: str, tmp_path: Path) -> str:
    """A fresh, empty database URL for the backend."""
    if backend == "sqlite-memory":
        return "sqlite://"
    if backend == "sqlite-file":
        return f"sqlite:///{tmp_path / 'klachtflow.db'}"
    if POSTGRES_URL is None:
        pytest.skip("KLACHTFLOW_TEST_POSTGRES_URL is not set")
    reset_postgres(POSTGRES_URL)
    return POSTGRES_URL


@pytest.fixture
def clock() -> FixedClock:
    """Monday 2 March 2026, 10:00 in Amsterdam."""
    return FixedClock(pendulum.datetime(2026, 3, 2, 10, tz="Europe/Amsterdam"))


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Each backend of the conformance suite."""
    return str(request.param)


@pytest.fixture
def url(backend: str, tmp_path: Path) -> str:
    """An empty database of the backend."""
    return backend_url(backend, tmp_path)


@pytest.fixture
def store(url: str, clock: FixedClock) -> Iterator[SqlStore]:
    """An open store on an empty, migrated database."""
    with open_store(url, clock=clock, upgrade_schema=True) as opened:
        yield opened


@pytest.fixture
def file_url(tmp_path: Path) -> str:
    """A file database (for tests with several processes)."""
    return f"sqlite:///{tmp_path / 'shared.db'}"


@pytest.fixture(params=["sqlite-file", "postgresql"])
def shared_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database that several processes can open."""
    return backend_url(str(request.param), tmp_path)
