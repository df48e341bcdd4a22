"""The transactional outbox: a row per stored event, in the transaction that stores it.

:func:`record` is called by :class:`~klachtflow.storage.SqlStore` inside its
write transaction for each start and fire (when the store is opened with
``outbox=True``), so an event that is stored always has its outbox row and
one that is rolled back never has. :class:`Outbox` is the delivery side: a
worker claims rows with a lease (a crashed worker's rows come back when the
lease runs out), marks each sink done as it succeeds, retries with
exponential back-off, and reports what is stuck.

Rows of one case are delivered in order: a row is claimable only when every
earlier row of its case is delivered, so a Zaak exists before its first
Status, whatever failed in between.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import sqlalchemy as sa
from sqlalchemy import Connection

from klachtflow.storage import schema as t

if TYPE_CHECKING:
    from klachtflow.engine import Case
    from klachtflow.storage.sql import SqlStore

__all__ = ["Outbox", "OutboxRow", "record", "record_erasure"]

#: Outbox kinds: the first event of a case, every later event, an erasure.
START, FIRE, ERASE = "start", "fire", "erase"


def record(
    connection: Connection, cases: Iterable[Case], *, after: int, store: SqlStore
) -> None:
    """Insert an outbox row for each event of ``cases`` from index ``after`` on.

    Does nothing unless ``store`` was opened with ``outbox=True``.
    """
    if not store.outbox:
        return
    now = store.clock.now()
    rows = [
        {
            "case_id": case.id,
            "seq": event.seq,
            "kind": START if i == 0 else FIRE,
            "created_at": now,
            "available_at": now,
            "attempts": 0,
            "done": [],
        }
        for case in cases
        for i, event in enumerate(case.history)
        if i >= after
    ]
    if rows:
        connection.execute(t.outbox.insert(), rows)


def record_erasure(
    connection: Connection, case_ids: Iterable[str], *, store: SqlStore
) -> None:
    """One ``erase`` row per case whose personal data was removed (with the outbox on)."""
    if not store.outbox:
        return
    now = store.clock.now()
    for case_id in sorted(set(case_ids)):
        count = connection.execute(
            sa.select(sa.func.count())
            .select_from(t.outbox)
            .where(t.outbox.c.case_id == case_id, t.outbox.c.kind == ERASE)
        ).scalar_one()
        connection.execute(
            t.outbox.insert().values(
                case_id=case_id,
                seq=int(count),
                kind=ERASE,
                created_at=now,
                available_at=now,
                attempts=0,
                done=[],
            )
        )


@attrs.frozen
class OutboxRow:
    """One claimed (or reported) outbox row."""

    id: int
    case_id: str
    seq: int
    kind: str
    attempts: int
    created_at: dt.datetime
    done: tuple[str, ...] = ()
    last_error: str | None = None
    delivered_at: dt.datetime | None = None

    @property
    def key(self) -> str:
        """The idempotency key of this notification, stable across retries."""
        return f"klachtflow:{self.case_id}:{self.kind}:{self.seq}"


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive datetimes; they were stored as UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


def _row(values: Any) -> OutboxRow:
    created = _aware(values["created_at"])
    assert created is not None  # noqa: S101 - a NOT NULL column
    return OutboxRow(
        id=int(values["id"]),
        case_id=values["case_id"],
        seq=int(values["seq"]),
        kind=values["kind"],
        attempts=int(values["attempts"]),
        created_at=created,
        done=tuple(values["done"] or ()),
        last_error=values["last_error"],
        delivered_at=_aware(values["delivered_at"]),
    )


class Outbox:
    """The delivery side of a store's outbox."""

    def __init__(self, store: SqlStore) -> None:
        self.store = store

    def _now(self) -> dt.datetime:
        return self.store.clock.now().astimezone(dt.UTC)

    def claim(
        self, *, worker: str, lease: dt.timedelta, limit: int = 50
    ) -> list[OutboxRow]:
        """Lease up to ``limit`` due rows to ``worker``: each to one worker at a time."""
        o = t.outbox
        earlier = t.outbox.alias("earlier")
        now = self._now()
        free = sa.and_(
            o.c.delivered_at.is_(None),
            o.c.available_at <= now,
            sa.or_(o.c.lease_until.is_(None), o.c.lease_until < now),
        )
        first_of_case = ~sa.exists(
            sa.select(earlier.c.id).where(
                earlier.c.case_id == o.c.case_id,
                earlier.c.delivered_at.is_(None),
                earlier.c.id < o.c.id,
            )
        )
        candidates = sa.select(o.c.id).where(free, first_of_case).order_by(o.c.id)
        until = now + lease
        with self.store._write() as connection:
            if connection.dialect.name == "postgresql":
                candidates = candidates.with_for_update(skip_locked=True, of=o)
            ids = list(connection.execute(candidates.limit(limit)).scalars())
            if not ids:
                return []
            connection.execute(
                o.update()
                .where(o.c.id.in_(ids), free)
                .values(lease_owner=worker, lease_until=until)
            )
            rows = connection.execute(
                sa.select(o)
                .where(
                    o.c.id.in_(ids), o.c.lease_owner == worker, o.c.lease_until == until
                )
                .order_by(o.c.id)
            ).mappings()
            return [_row(r) for r in rows]

    def sink_done(self, row: OutboxRow, sink: str, *, worker: str) -> bool:
        """Note that ``sink`` has this row; False when the lease was lost."""
        o = t.outbox
        with self.store._write() as connection:
            current = connection.execute(
                sa.select(o.c.done).where(o.c.id == row.id, o.c.lease_owner == worker)
            ).first()
            if current is None:
                return False
            done = [*(current[0] or []), sink]
            connection.execute(o.update().where(o.c.id == row.id).values(done=done))
            return True

    def delivered(self, row: OutboxRow, *, worker: str) -> bool:
        """Mark the row delivered; False when the lease was lost meanwhile."""
        o = t.outbox
        with self.store._write() as connection:
            updated = connection.execute(
                o.update()
                .where(o.c.id == row.id, o.c.lease_owner == worker)
                .values(
                    delivered_at=self._now(),
                    lease_owner=None,
                    lease_until=None,
                    last_error=None,
                )
            )
            return updated.rowcount == 1

    def failed(
        self, row: OutboxRow, error: str, *, worker: str, retry_in: dt.timedelta
    ) -> None:
        """Count a failed attempt and make the row due again after ``retry_in``."""
        o = t.outbox
        with self.store._write() as connection:
            connection.execute(
                o.update()
                .where(o.c.id == row.id, o.c.lease_owner == worker)
                .values(
                    attempts=o.c.attempts + 1,
                    available_at=self._now() + retry_in,
                    lease_owner=None,
                    lease_until=None,
                    last_error=error[:2000],
                )
            )

    def pending(self) -> list[OutboxRow]:
        """Every row not yet delivered, oldest first."""
        o = t.outbox
        with self.store._read() as connection:
            rows = connection.execute(
                sa.select(o).where(o.c.delivered_at.is_(None)).order_by(o.c.id)
            ).mappings()
            return [_row(r) for r in rows]

    def stuck(self, *, attempts: int = 5) -> list[OutboxRow]:
        """Rows that failed at least ``attempts`` times and are not delivered."""
        return [r for r in self.pending() if r.attempts >= attempts]

    def rows(self, case_ids: Sequence[str] | None = None) -> list[OutboxRow]:
        """All rows (of ``case_ids``), oldest first: for tests and audits."""
        o = t.outbox
        query = sa.select(o).order_by(o.c.id)
        if case_ids is not None:
            query = query.where(o.c.case_id.in_(list(case_ids)))
        with self.store._read() as connection:
            return [_row(r) for r in connection.execute(query).mappings()]
