"""The store's queries over the skeleton tables: lists, counts and deadlines.

Each function takes an open connection; :class:`~klachtflow.storage.SqlStore`
decides the transaction and documents the public methods.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from klachtflow.storage import schema as t
from klachtflow.storage.results import CaseSummary, DueDeadline, Statistics

__all__ = ["claim", "count", "deadlines", "existing", "find", "statistics"]


def find(
    connection: Connection,
    *,
    status: str | None,
    party: str | None,
    category: str | None,
    opened_from: dt.date | None,
    opened_until: dt.date | None,
    open_only: bool,
    limit: int | None,
) -> list[CaseSummary]:
    """Case summaries by status, party, category and opening period."""
    c = t.cases.c
    query = sa.select(t.cases)
    if status is not None:
        query = query.where(c.status == status)
    if category is not None:
        query = query.where(c.category == category)
    if opened_from is not None:
        query = query.where(c.opened_on >= opened_from)
    if opened_until is not None:
        query = query.where(c.opened_on <= opened_until)
    if open_only:
        query = query.where(c.closed_on.is_(None))
    if party is not None:
        query = query.where(
            c.id.in_(
                sa.select(t.case_parties.c.case_id).where(
                    t.case_parties.c.person == party
                )
            )
        )
    query = query.order_by(c.opened_on, c.id)
    if limit is not None:
        query = query.limit(limit)
    return [
        CaseSummary(
            id=r["id"],
            status=r["status"],
            state=r["state"],
            version=r["version"],
            result=r["result"],
            category=r["category"],
            channel=r["channel"],
            opened_on=r["opened_on"],
            closed_on=r["closed_on"],
            procedure=r["procedure_name"],
            procedure_version=r["procedure_version"],
        )
        for r in connection.execute(query).mappings()
    ]


def existing(connection: Connection, case_ids: Sequence[str]) -> set[str]:
    """Which of ``case_ids`` are stored, asked 500 at a time."""
    found: set[str] = set()
    for start in range(0, len(case_ids), 500):
        chunk = list(case_ids[start : start + 500])
        found.update(
            connection.execute(
                sa.select(t.cases.c.id).where(t.cases.c.id.in_(chunk))
            ).scalars()
        )
    return found


def statistics(connection: Connection, overdue: Sequence[DueDeadline]) -> Statistics:
    """Counts per status, informal versus formal, average handling days."""
    c = t.cases.c
    per_status: dict[str, int] = dict(
        connection.execute(
            sa.select(c.status, sa.func.count()).group_by(c.status)
        ).all()
    )
    formal: dict[bool, int] = dict(
        connection.execute(
            sa.select(c.formal, sa.func.count()).group_by(c.formal)
        ).all()
    )
    closed = connection.execute(
        sa.select(c.opened_on, c.closed_on).where(c.closed_on.is_not(None))
    ).all()
    spans = [(end - start).days for start, end in closed]
    return Statistics(
        total=sum(per_status.values()),
        per_status=per_status,
        formal=formal.get(True, 0),
        informal=formal.get(False, 0),
        closed=len(spans),
        average_days=sum(spans) / len(spans) if spans else None,
        overdue=len(overdue),
        overdue_fatal=sum(d.kind == "fataal" for d in overdue),
    )


def count(connection: Connection) -> int:
    """The number of cases."""
    return int(
        connection.execute(sa.select(sa.func.count()).select_from(t.cases)).scalar_one()
    )


def deadlines(
    connection: Connection, where: Any, *, limit: int | None
) -> list[DueDeadline]:
    """Open, running deadlines matching ``where``, earliest first (index on open, due)."""
    d = t.deadlines.c
    query = (
        sa.select(d.case_id, d.term, d.due, d.kind, d.claimed_by)
        .where(d.open.is_(True), d.suspended.is_(False), where)
        .order_by(d.due, d.case_id, d.term)
    )
    if limit is not None:
        query = query.limit(limit)
    return [DueDeadline(*row) for row in connection.execute(query)]


def claim(
    connection: Connection, on: dt.date, *, worker: str, limit: int, now: dt.datetime
) -> list[DueDeadline]:
    """Claim unclaimed deadlines due by ``on`` (``FOR UPDATE SKIP LOCKED`` where supported)."""
    d = t.deadlines.c
    rows = connection.execute(
        sa.select(d.case_id, d.term, d.due, d.kind)
        .where(
            d.open.is_(True),
            d.suspended.is_(False),
            d.due <= on,
            d.claimed_by.is_(None),
        )
        .order_by(d.due, d.case_id, d.term)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    for case_id, term, _due, _kind in rows:
        connection.execute(
            t.deadlines.update()
            .where(d.case_id == case_id, d.term == term, d.claimed_by.is_(None))
            .values(claimed_by=worker, claimed_at=now)
        )
    return [
        DueDeadline(case_id, term, due, kind, worker)
        for case_id, term, due, kind in rows
    ]
