"""Writing deadline rows: the indexed due dates that workers and reports query.

One row per term clock of a case. A fire rewrites the rows of the terms its
events touched (upsert where the database has one); a claim (its worker,
lease, attempt and completion) stays while the due date is unchanged; rows of terms a migration dropped are
kept, closed.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from klachtflow.engine import Case
from klachtflow.storage import _rows
from klachtflow.storage import schema as t
from klachtflow.storage._statements import Statements

__all__ = ["write_deadlines"]


def write_deadlines(
    connection: Connection, statements: Statements, case: Case, touched: set[str]
) -> None:
    """Write the deadline rows of the clocks the new events touched."""
    rows = _rows.deadline_rows(case, touched)
    if statements.upsert_deadlines is None:
        _one_by_one(connection, statements, case, rows)
    elif rows:
        connection.execute(statements.upsert_deadlines, rows)
    dropped = sorted(touched - set(case.clocks))
    if dropped:
        # Terms a migration left behind: their rows are kept, closed.
        d = t.deadlines.c
        connection.execute(
            t.deadlines.update()
            .where(d.case_id == case.id, d.term.in_(dropped))
            .values(open=False, **dict.fromkeys(t.CLAIM_COLUMNS))
        )


def _one_by_one(
    connection: Connection,
    statements: Statements,
    case: Case,
    rows: list[dict[str, Any]],
) -> None:
    """Read the existing rows, then insert or update (databases without upsert)."""
    d = t.deadlines.c
    existing = {
        r.term: r
        for r in connection.execute(
            sa.select(d.term, d.due, *(d[name] for name in t.CLAIM_COLUMNS)).where(
                d.case_id == case.id, d.term.in_([row["term"] for row in rows])
            )
        )
    }
    for row in rows:
        before = existing.get(row["term"])
        if before is None:
            connection.execute(statements.insert_deadline, row)
            continue
        # A claim stays with its worker while the due date is unchanged.
        kept = before.due == row["due"]
        for name in t.CLAIM_COLUMNS:
            row[name] = getattr(before, name) if kept else None
        connection.execute(
            statements.update_deadline,
            {
                "k_id": case.id,
                "k_term": row["term"],
                **{f"v_{name}": row.get(name) for name in statements.deadline_columns},
            },
        )
