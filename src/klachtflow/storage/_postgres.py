"""PostgreSQL in one round trip: load a case in one statement, save a fire in one.

On a network a round trip costs more than the work; a case is read with its
events and deadlines aggregated as JSON in one SELECT (one statement, so one
snapshot), and saved as described below.

A fire writes the case row (guarded by the version it was read at, and by its
personal_rev when it came from the cache), its new events and their personal
parts, the case's personal data when an event changed it, and the deadline
rows of the terms it touched. Here all of that is one statement of
data-modifying CTEs, run in autocommit: PostgreSQL executes it atomically, and
every insert is conditional on the guarded UPDATE having matched, so a stale
or concurrent save writes nothing and reports 0.

Columns come from :mod:`klachtflow.storage.schema`, and each table's new rows
are one JSON parameter that ``jsonb_populate_recordset`` reads into the table's
own row type (every value cast to its column's type), so the statement cannot
drift from the tables, and its text is short with few parameters: psycopg
converts it once and the server prepares it.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from klachtflow.definition.model import Procedure
from klachtflow.engine import Case
from klachtflow.engine._seal import Sealer
from klachtflow.storage import _rows
from klachtflow.storage import schema as t

__all__ = ["load_in_one_statement", "save_in_one_statement"]

_CASE_COLUMNS = [
    c.name
    for c in t.cases.columns
    if c.name not in ("id", "anonymised_on", "personal_rev", "organisation")
]


def _insert(table: sa.Table, parameter: str, tail: str = "") -> str:
    columns = ", ".join(c.name for c in table.columns)
    # Names come from the schema; the rows are one bound JSON array.
    return (
        f"INSERT INTO {table.name} ({columns}) SELECT {columns} FROM "  # noqa: S608
        f"jsonb_populate_recordset(NULL::{table.name}, %({parameter})s::jsonb) "
        f"WHERE EXISTS (SELECT 1 FROM upd){tail}"
    )


@cache
def _statement(deadlines: bool, personal: bool, guarded: bool) -> str:
    """The save as one statement with a handful of parameters.

    Each table's new rows are one JSON parameter that
    ``jsonb_populate_record(set)`` turns into rows of that table, every value
    cast to its column's type by PostgreSQL. The statement text is the same
    for every fire of a shape, and short with few parameters: psycopg converts
    it once (it caches statements of at most 4,096 characters and 50
    parameters) and prepares it on the server after five runs.
    """
    cases = t.cases.name
    columns = ", ".join(_CASE_COLUMNS)
    picked = ", ".join(f"r.{n}" for n in _CASE_COLUMNS)
    guard = " AND personal_rev = %(k_rev)s" if guarded else ""
    parts = [
        f"upd AS (UPDATE {cases} SET ({columns}) = (SELECT {picked} FROM "  # noqa: S608
        f"jsonb_populate_record(NULL::{cases}, %(case_row)s::jsonb) r) "
        f"WHERE id = %(k_id)s AND version = %(k_expected)s{guard} RETURNING id)",
        f"ev AS ({_insert(t.events, 'events')})",
        f"pv AS ({_insert(t.event_personal, 'private')})",
    ]
    if personal:
        parts.append(
            f"cp AS (UPDATE {t.case_personal.name} SET "  # noqa: S608
            "parties = %(cp_parties)s::jsonb, data = %(cp_data)s::jsonb "
            "WHERE case_id = %(k_id)s AND EXISTS (SELECT 1 FROM upd))"
        )
    if deadlines:
        d = t.deadlines.name
        kept = t.CLAIM_COLUMNS
        updates = ", ".join(
            f"{c.name} = EXCLUDED.{c.name}"
            if c.name not in kept
            else f"{c.name} = CASE WHEN {d}.due = EXCLUDED.due THEN {d}.{c.name} END"
            for c in t.deadlines.columns
            if c.name not in ("case_id", "term")
        )
        parts.append(
            "dl AS ("
            + _insert(
                t.deadlines,
                "deadlines",
                f" ON CONFLICT (case_id, term) DO UPDATE SET {updates}",
            )
            + ")"
        )
    return "WITH " + ",\n".join(parts) + "\nSELECT count(*) FROM upd"


def _json_default(value: object) -> str:
    if isinstance(value, dt.date):  # dates and moments as their ISO text
        return value.isoformat()
    msg = f"{type(value).__name__} is not JSON"
    raise TypeError(msg)


def _rows_json(rows: object) -> str:
    """A row (or rows) as the JSON ``jsonb_populate_record(set)`` reads: dates
    as ISO text, JSON columns as their values."""
    return json.dumps(rows, ensure_ascii=False, default=_json_default)


def save_in_one_statement(
    connection: Connection,
    *,
    case: Case,
    procedure: Procedure,
    expected_version: int,
    personal_rev: int | None,
    sealer: Sealer,
    organisation: str = "",
) -> bool:
    """Save the fired ``case`` (of ``organisation``) on an autocommit ``connection``.

    False (nothing written) when the guard did not match. The caller makes sure
    no migration dropped a term (those rows are closed by the general save).
    """
    new_events = case.history[expected_version:]
    touched = {name for e in new_events for name in e.terms}
    case_row = _rows.case_row(case, procedure, sealer, organisation)
    events, private = _rows.event_rows(case, expected_version)
    deadlines = _rows.deadline_rows(case, touched)
    personal = _rows.personal_row(case) if any(e.changes for e in new_events) else None
    params: dict[str, Any] = {
        "k_id": case.id,
        "k_expected": expected_version,
        "case_row": _rows_json({name: case_row[name] for name in _CASE_COLUMNS}),
        "events": _rows_json(events),
        "private": _rows_json(private),
    }
    if personal_rev is not None:
        params["k_rev"] = personal_rev
    if deadlines:
        params["deadlines"] = _rows_json(deadlines)
    if personal is not None:
        params["cp_parties"] = json.dumps(personal["parties"], ensure_ascii=False)
        params["cp_data"] = json.dumps(personal["data"], ensure_ascii=False)
    sql = _statement(bool(deadlines), personal is not None, personal_rev is not None)
    # Straight on the psycopg connection: SQLAlchemy's execution machinery
    # would cost a tenth of the round trip.
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    finally:
        cursor.close()
    return row is not None and bool(row[0])


def _columns(table: sa.Table, alias: str) -> str:
    return ", ".join(f"{alias}.{c.name}" for c in table.columns)


_PERSONAL_EVENT = ("actor", "reason", "changes", "consent", "notified", "salt")
_EVENTS = (
    f"SELECT {_columns(t.events, 'e')}, "  # noqa: S608 - names from the schema
    + ", ".join(f"ep.{n}" for n in _PERSONAL_EVENT)
    + f" FROM {t.events.name} e LEFT JOIN {t.event_personal.name} ep"
    " ON ep.case_id = e.case_id AND ep.seq = e.seq WHERE e.case_id = c.id"
)
# Names come from the schema; the case id is a bound parameter.
_LOAD = " ".join(
    [
        f"SELECT {_columns(t.cases, 'c')}, p.parties, p.data,",
        f"(SELECT coalesce(json_agg(x ORDER BY x.seq), '[]') FROM ({_EVENTS}) x)",  # noqa: S608
        "AS kf_events_json,",
        f"(SELECT coalesce(json_agg(d), '[]') FROM {t.deadlines.name} d",  # noqa: S608
        "WHERE d.case_id = c.id) AS kf_deadlines_json",
        f"FROM {t.cases.name} c LEFT JOIN {t.case_personal.name} p",
        "ON p.case_id = c.id WHERE c.id = %(case_id)s",
    ]
)


def load_in_one_statement(
    connection: Connection, case_id: str
) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]] | None:
    """(case row with parties and data, event rows, deadline rows), or None.

    JSON turns dates into text; they are turned back, so the rows equal what
    the three-query load returns.
    """
    cursor = connection.connection.cursor()
    try:
        cursor.execute(_LOAD, {"case_id": case_id})
        values = cursor.fetchone()
        names = [column[0] for column in cursor.description or ()]
    finally:
        cursor.close()
    if values is None:
        return None
    row = dict(zip(names, values, strict=True))
    case = {k: v for k, v in row.items() if not k.startswith("kf_")}
    events = list(row["kf_events_json"])
    for event in events:
        event["legal_date"] = dt.date.fromisoformat(event["legal_date"])
    deadlines = list(row["kf_deadlines_json"])
    for deadline in deadlines:
        deadline["due"] = dt.date.fromisoformat(deadline["due"])
        if deadline["claimed_at"] is not None:
            deadline["claimed_at"] = dt.datetime.fromisoformat(deadline["claimed_at"])
    return case, events, deadlines
