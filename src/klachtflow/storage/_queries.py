"""The store's queries over the skeleton tables: lists, counts and deadlines.

Each function takes an open connection; :class:`~klachtflow.storage.SqlStore`
decides the transaction and documents the public methods.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy import Connection

from klachtflow.exceptions import ClaimLost
from klachtflow.storage import schema as t
from klachtflow.storage._organisations import of_case_ids, of_cases
from klachtflow.storage.results import CaseSummary, Claim, DueDeadline, Statistics

__all__ = [
    "claim",
    "complete",
    "count",
    "deadlines",
    "existing",
    "find",
    "release",
    "renew",
    "statistics",
]


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
    organisation: str | None = None,
) -> list[CaseSummary]:
    """Case summaries by status, party, category and opening period."""
    c = t.cases.c
    query = of_cases(sa.select(t.cases), organisation)
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


def statistics(
    connection: Connection,
    overdue: Sequence[DueDeadline],
    organisation: str | None = None,
) -> Statistics:
    """Counts per status, informal versus formal, average handling days."""
    c = t.cases.c
    per_status: dict[str, int] = dict(
        connection.execute(
            of_cases(sa.select(c.status, sa.func.count()), organisation).group_by(
                c.status
            )
        ).all()
    )
    formal: dict[bool, int] = dict(
        connection.execute(
            of_cases(sa.select(c.formal, sa.func.count()), organisation).group_by(
                c.formal
            )
        ).all()
    )
    closed = connection.execute(
        of_cases(sa.select(c.opened_on, c.closed_on), organisation).where(
            c.closed_on.is_not(None)
        )
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


def count(connection: Connection, organisation: str | None = None) -> int:
    """The number of cases (of one organisation, or all)."""
    query = of_cases(sa.select(sa.func.count()).select_from(t.cases), organisation)
    return int(connection.execute(query).scalar_one())


def deadlines(
    connection: Connection,
    where: Any,
    *,
    limit: int | None,
    organisation: str | None = None,
) -> list[DueDeadline]:
    """Open, running deadlines matching ``where``, earliest first (index on open, due)."""
    d = t.deadlines.c
    query = (
        sa.select(d.case_id, d.term, d.due, d.kind, d.claimed_by)
        .where(
            d.open.is_(True),
            d.suspended.is_(False),
            where,
            of_case_ids(d.case_id, organisation),
        )
        .order_by(d.due, d.case_id, d.term)
    )
    if limit is not None:
        query = query.limit(limit)
    return [DueDeadline(*row) for row in connection.execute(query)]


def _claimable(on: dt.date, now: dt.datetime) -> Any:
    """Open, running deadlines due by ``on`` that nobody holds and nobody completed.

    A claim without a lease (made before schema 0003) counts as run out.
    """
    d = t.deadlines.c
    return sa.and_(
        d.open.is_(True),
        d.suspended.is_(False),
        d.due <= on,
        sa.or_(
            d.claimed_by.is_(None),
            d.claim_expires_at.is_(None),
            d.claim_expires_at <= now,
        ),
        sa.or_(d.completed_due.is_(None), d.completed_due != d.due),
    )


def claim(
    connection: Connection,
    on: dt.date,
    *,
    worker: str,
    limit: int,
    now: dt.datetime,
    lease: dt.timedelta,
    organisation: str | None = None,
) -> list[Claim]:
    """Claim up to ``limit`` claimable deadlines (``FOR UPDATE SKIP LOCKED`` where
    supported); each UPDATE repeats the condition, so a row another worker took
    in between is skipped, never claimed twice."""
    d = t.deadlines.c
    claimable = _claimable(on, now)
    rows = connection.execute(
        sa.select(d.case_id, d.term, d.due, d.kind, d.claim_attempt)
        .where(claimable, of_case_ids(d.case_id, organisation))
        .order_by(d.due, d.case_id, d.term)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    expires = now + lease
    claims = []
    for case_id, term, due, kind, attempt in rows:
        # The attempt counts on from the last claim of the same due date; a
        # new due date clears it (and the claim), so it starts again at 1.
        number = (attempt or 0) + 1
        updated = connection.execute(
            t.deadlines.update()
            .where(d.case_id == case_id, d.term == term, d.due == due, claimable)
            .values(
                claimed_by=worker,
                claimed_at=now,
                claim_expires_at=expires,
                claim_attempt=number,
            )
        )
        if updated.rowcount == 1:
            claims.append(Claim(case_id, term, due, kind, worker, number, expires))
    return claims


def _held(claim: Claim) -> Any:
    """The deadline row while ``claim`` is still its current claim."""
    d = t.deadlines.c
    return sa.and_(
        d.case_id == claim.case_id,
        d.term == claim.term,
        d.due == claim.due,
        d.claimed_by == claim.claimed_by,
        d.claim_attempt == claim.attempt,
    )


def complete(connection: Connection, claim: Claim) -> None:
    """Mark the reminder of ``claim`` done: its due date is never claimed again.

    Accepted after the lease ran out too, as long as no other worker claimed
    the deadline since; otherwise :class:`ClaimLost`.
    """
    updated = connection.execute(
        t.deadlines.update()
        .where(_held(claim))
        .values(
            completed_due=claim.due,
            claimed_by=None,
            claimed_at=None,
            claim_expires_at=None,
        )
    )
    if updated.rowcount != 1:
        raise ClaimLost(
            key=claim.key, attempt=claim.attempt, worker=claim.claimed_by or ""
        )


def renew(
    connection: Connection, claim: Claim, *, now: dt.datetime, lease: dt.timedelta
) -> Claim:
    """Extend ``claim`` to ``now + lease`` while it is still the current claim."""
    expires = now + lease
    updated = connection.execute(
        t.deadlines.update().where(_held(claim)).values(claim_expires_at=expires)
    )
    if updated.rowcount != 1:
        raise ClaimLost(
            key=claim.key, attempt=claim.attempt, worker=claim.claimed_by or ""
        )
    return attrs.evolve(claim, expires_at=expires)


def release(connection: Connection, claim: Claim) -> None:
    """Give ``claim`` back undone: the deadline can be claimed again at once."""
    updated = connection.execute(
        t.deadlines.update()
        .where(_held(claim))
        .values(claimed_by=None, claimed_at=None, claim_expires_at=None)
    )
    if updated.rowcount != 1:
        raise ClaimLost(
            key=claim.key, attempt=claim.attempt, worker=claim.claimed_by or ""
        )
