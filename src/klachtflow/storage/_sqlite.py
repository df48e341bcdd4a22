"""Save a fired case on SQLite's driver cursor, in the caller's transaction.

The same rows as the SQLAlchemy path (case row guarded by version and, from
the cache, personal_rev; new events and their personal parts; personal data
when an event changed it; the deadline rows of the terms it touched), through
statements SQLAlchemy compiled once (:class:`DriverStatement`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from klachtflow.definition.model import Procedure
from klachtflow.engine import Case
from klachtflow.engine._seal import Sealer
from klachtflow.storage import _rows
from klachtflow.storage._statements import DriverStatement

__all__ = ["save_in_own_transaction", "save_on_driver"]


def save_on_driver(
    dbapi: Any,
    statements: Mapping[str, DriverStatement],
    case_columns: list[str],
    *,
    case: Case,
    procedure: Procedure,
    expected_version: int,
    personal_rev: int | None,
    sealer: Sealer,
    organisation: str = "",
) -> bool:
    """Write the fired ``case`` (of ``organisation``); False (nothing written) when the guard did not match.

    The caller makes sure no migration dropped a term (those rows are closed by
    the SQLAlchemy path).
    """
    row = _rows.case_row(case, procedure, sealer, organisation)
    values = {
        "k_id": case.id,
        "k_expected": expected_version,
        **{f"v_{name}": row[name] for name in case_columns},
    }
    if personal_rev is None:
        updated = statements["update_case"].execute(dbapi, values)
    else:
        values["k_rev"] = personal_rev
        updated = statements["update_case_if_current"].execute(dbapi, values)
    if updated != 1:
        return False
    new_events = case.history[expected_version:]
    events, private = _rows.event_rows(case, expected_version)
    if events:
        statements["insert_events"].executemany(dbapi, events)
        statements["insert_event_personal"].executemany(dbapi, private)
    if any(e.changes for e in new_events):
        personal = _rows.personal_row(case)
        statements["update_personal"].execute(
            dbapi,
            {
                "k_id": case.id,
                "v_parties": personal["parties"],
                "v_data": personal["data"],
            },
        )
    touched = {name for e in new_events for name in e.terms}
    deadlines = _rows.deadline_rows(case, touched)
    if deadlines:
        statements["upsert_deadlines"].executemany(dbapi, deadlines)
    return True


def save_in_own_transaction(  # noqa: PLR0917 - the parts of one save
    engine: sa.Engine,
    statements: Mapping[str, DriverStatement],
    case_columns: list[str],
    case: Case,
    procedure: Procedure,
    expected_version: int,
    personal_rev: int | None,
    sealer: Sealer,
    organisation: str = "",
) -> bool:
    """:func:`save_on_driver` in a BEGIN IMMEDIATE transaction of a pooled connection.

    Committed when saved; rolled back (nothing written) when the guard did not
    match or anything failed.
    """
    raw = engine.raw_connection()
    try:
        raw.cursor().execute("BEGIN IMMEDIATE")
        try:
            saved = save_on_driver(
                raw,
                statements,
                case_columns,
                case=case,
                procedure=procedure,
                expected_version=expected_version,
                personal_rev=personal_rev,
                sealer=sealer,
                organisation=organisation,
            )
        except BaseException:
            raw.rollback()
            raise
        if saved:
            raw.commit()
        else:
            raw.rollback()
        return saved
    finally:
        raw.close()
