"""Stores with realistic cases for the insight tests (SQLite file and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from klachtflow import SqlStore, open_store
from klachtflow.adapters.simulation import case_ids, simulate
from klachtflow.definition import builtin_procedure
from storage.conftest import backend_url

TODAY = dt.date(2026, 11, 22)


def fill(store: SqlStore, count: int, seed: int = 7) -> None:
    """``count`` simulated gemeente-awb cases over the year before TODAY."""
    procedure = builtin_procedure("gemeente-awb")
    store.add_procedure(procedure)
    engine = store.engine_for(procedure)
    store.add_many(
        list(simulate(engine, case_ids(seed, count), seed=seed, today=TODAY)),
        historical=True,
    )


@pytest.fixture(params=["sqlite-file", "postgresql"])
def demo_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlStore]:
    """A store with 300 simulated cases, on each backend."""
    with open_store(
        backend_url(str(request.param), tmp_path), upgrade_schema=True
    ) as store:
        fill(store, 300)
        yield store
