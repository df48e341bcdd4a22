"""A report verifies every row it counts: changed rows give no report, not false numbers.

Attacks by someone with write access to the database, on SQLite and
PostgreSQL: a registration column changed (the breakdown per categorie would
move a case), an event's state changed (the furthest stage), a term ledger
changed (timeliness), the case row's result changed, an event deleted.
Each must stop the report with :class:`ReportRowsTampered` (KF-I010), which
names the case. Switch the check off (``row_checks`` always True and
``_registration_differs`` empty in ``klachtflow.storage._stream``) and these
tests fail: the report is made over the changed rows.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from klachtflow import SqlStore, open_store
from klachtflow.insight import build_report, parse_period
from klachtflow.insight.report import ReportRowsTampered
from klachtflow.storage import schema as t
from storage.conftest import backend_url

from .conftest import TODAY, fill

YEAR = parse_period("2026")


@pytest.fixture(params=["sqlite-file", "postgresql"])
def small_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlStore]:
    """40 simulated cases, on each backend."""
    with open_store(
        backend_url(str(request.param), tmp_path), upgrade_schema=True
    ) as store:
        fill(store, 40)
        yield store


def _report(store: SqlStore) -> str:
    return repr(build_report(store, YEAR, on=TODAY, per="categorie"))


def _a_case(store: SqlStore, *, where: sa.ColumnElement[bool] | None = None) -> str:
    query = sa.select(t.cases.c.id).order_by(t.cases.c.id)
    if where is not None:
        query = query.where(where)
    with store.engine.connect() as connection:
        return str(connection.execute(query).scalars().first())


def _tamper(store: SqlStore, statement: sa.Executable) -> None:
    with store.engine.begin() as connection:
        connection.execute(statement)


def _refused(store: SqlStore, case_id: str) -> None:
    with pytest.raises(ReportRowsTampered) as raised:
        build_report(store, YEAR, on=TODAY, per="categorie")
    assert raised.value.code == "KF-I010"
    assert case_id in raised.value.case_ids
    assert case_id in raised.value.message
    assert raised.value.hint


def test_untouched_rows_give_a_report(small_store: SqlStore) -> None:
    assert "Report(" in _report(small_store)


def test_a_changed_registration_column_stops_the_report(small_store: SqlStore) -> None:
    case_id = _a_case(small_store, where=t.cases.c.category.is_not(None))
    _tamper(
        small_store,
        t.cases.update().where(t.cases.c.id == case_id).values(category="gewijzigd"),
    )
    _refused(small_store, case_id)


def test_a_changed_event_state_stops_the_report(small_store: SqlStore) -> None:
    case_id = _a_case(small_store, where=t.cases.c.version > 1)
    _tamper(
        small_store,
        t.events.update()
        .where(t.events.c.case_id == case_id, t.events.c.seq == 2)
        .values(to_state="extern"),
    )
    _refused(small_store, case_id)


def test_a_changed_term_ledger_stops_the_report(small_store: SqlStore) -> None:
    with small_store.engine.connect() as connection:
        case_id, term, ledger = connection.execute(
            sa.select(t.deadlines.c.case_id, t.deadlines.c.term, t.deadlines.c.ledger)
            .order_by(t.deadlines.c.case_id)
            .limit(1)
        ).one()
    changed = json.loads(json.dumps(ledger))
    changed["started"] = (
        dt.date.fromisoformat(changed["started"]) + dt.timedelta(days=30)
    ).isoformat()
    _tamper(
        small_store,
        t.deadlines.update()
        .where(t.deadlines.c.case_id == case_id, t.deadlines.c.term == term)
        .values(ledger=changed),
    )
    _refused(small_store, case_id)


def test_a_changed_result_stops_the_report(small_store: SqlStore) -> None:
    case_id = _a_case(small_store, where=t.cases.c.result.is_not(None))
    with small_store.engine.connect() as connection:
        result = connection.execute(
            sa.select(t.cases.c.result).where(t.cases.c.id == case_id)
        ).scalar_one()
    other = "gegrond" if result != "gegrond" else "ongegrond"
    _tamper(
        small_store,
        t.cases.update().where(t.cases.c.id == case_id).values(result=other),
    )
    _refused(small_store, case_id)


def test_a_deleted_newest_event_stops_the_report(small_store: SqlStore) -> None:
    case_id = _a_case(small_store, where=t.cases.c.version > 2)
    with small_store.engine.begin() as connection:
        version = connection.execute(
            sa.select(t.cases.c.version).where(t.cases.c.id == case_id)
        ).scalar_one()
        for table in (t.events, t.event_personal):
            connection.execute(
                table.delete().where(table.c.case_id == case_id, table.c.seq == version)
            )
    _refused(small_store, case_id)
