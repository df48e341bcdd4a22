"""Statements built once per store, executed with bind parameters."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from klachtflow.storage import schema as t

__all__ = ["DriverStatement", "Statements"]


class Statements:
    """Statements built once with bind parameters: per fire only values change."""

    def __init__(self, dialect: str = "") -> None:
        c, p, d = t.cases.c, t.case_personal.c, t.deadlines.c
        # Bind names are prefixed: an UPDATE would also SET any column whose
        # name appears among the parameters.
        self.case_columns = [
            col.name
            for col in t.cases.columns
            # The organisation is written once, at start (schema 0006).
            if col.name not in ("id", "anonymised_on", "personal_rev", "organisation")
        ]
        self.update_case = (
            t.cases.update()
            .where(
                c.id == sa.bindparam("k_id"), c.version == sa.bindparam("k_expected")
            )
            .values({name: sa.bindparam(f"v_{name}") for name in self.case_columns})
        )
        # The same, also requiring the personal data to be as cached: a fire on
        # a cached case writes only if nothing changed since it was read.
        self.update_case_if_current = self.update_case.where(
            c.personal_rev == sa.bindparam("k_rev")
        )
        self.update_personal = (
            t.case_personal.update()
            .where(p.case_id == sa.bindparam("k_id"))
            .values(parties=sa.bindparam("v_parties"), data=sa.bindparam("v_data"))
        )
        self.deadline_columns = [
            col.name
            for col in t.deadlines.columns
            if col.name not in ("case_id", "term")
        ]
        self.update_deadline = (
            t.deadlines.update()
            .where(d.case_id == sa.bindparam("k_id"), d.term == sa.bindparam("k_term"))
            .values({name: sa.bindparam(f"v_{name}") for name in self.deadline_columns})
        )
        events, private = t.events, t.event_personal
        all_cases = sa.select(t.cases, p.parties, p.data).select_from(
            t.cases.outerjoin(t.case_personal, p.case_id == c.id)
        )
        self.load_case = all_cases.where(c.id == sa.bindparam("case_id"))
        all_events = sa.select(
            events,
            private.c.actor,
            private.c.reason,
            private.c.changes,
            private.c.consent,
            private.c.notified,
            private.c.salt,
        ).select_from(
            events.outerjoin(
                private,
                sa.and_(
                    private.c.case_id == events.c.case_id,
                    private.c.seq == events.c.seq,
                ),
            )
        )
        self.load_events = all_events.where(
            events.c.case_id == sa.bindparam("case_id")
        ).order_by(events.c.seq)
        self.load_deadlines = sa.select(t.deadlines).where(
            d.case_id == sa.bindparam("case_id")
        )
        # The same loads for a chunk of cases at once (the audit reads every
        # case): one statement per table and chunk instead of one per case.
        ids: sa.BindParameter[list[str]] = sa.bindparam("case_ids", expanding=True)
        self.load_cases_in = all_cases.where(c.id.in_(ids))
        self.load_events_in = all_events.where(events.c.case_id.in_(ids)).order_by(
            events.c.case_id, events.c.seq
        )
        self.load_deadlines_in = sa.select(t.deadlines).where(d.case_id.in_(ids))
        self.load_parties_in = sa.select(
            t.case_parties.c.case_id, t.case_parties.c.role, t.case_parties.c.person
        ).where(t.case_parties.c.case_id.in_(ids))
        # The same statement objects every time: SQLAlchemy keeps their cache keys.
        self.insert_events = t.events.insert()
        self.insert_event_personal = t.event_personal.insert()
        self.insert_deadline = t.deadlines.insert()
        self.upsert_deadlines = _upsert_deadlines(dialect, self.deadline_columns)
        # SQLite only: the per-fire writes straight on the driver's cursor.
        self.driver: dict[str, DriverStatement] = {}
        if dialect == "sqlite":
            sqlite_dialect = sqlite.dialect()
            self.driver = {
                name: DriverStatement(getattr(self, name), sqlite_dialect)
                for name in (
                    "update_case",
                    "update_case_if_current",
                    "insert_events",
                    "insert_event_personal",
                    "update_personal",
                    "upsert_deadlines",
                )
            }
        self.stamp = sa.select(c.version, c.personal_rev).where(
            c.id == sa.bindparam("case_id")
        )


def _upsert_deadlines(dialect: str, columns: list[str]) -> Any:
    """Insert or update deadline rows in one statement (SQLite and PostgreSQL).

    A claim stays with its worker while the due date is unchanged; a new due
    date frees it. None for other databases, which read and then write.
    """
    insert: Any
    if dialect == "postgresql":
        insert = postgresql.insert
    elif dialect == "sqlite":
        insert = sqlite.insert
    else:
        return None
    statement = insert(t.deadlines)
    new, old = statement.excluded, t.deadlines.c
    kept = {
        name: sa.case((old.due == new.due, old[name]), else_=None)
        for name in t.CLAIM_COLUMNS
    }
    return statement.on_conflict_do_update(
        index_elements=[old.case_id, old.term],
        set_={
            **{name: new[name] for name in columns if name not in kept},
            **kept,
        },
    )


class DriverStatement:
    """A statement compiled once for SQLite and run on the DBAPI cursor.

    Per fire SQLAlchemy's execution machinery costs more than the statement
    itself on an embedded database; this keeps SQLAlchemy's SQL and its type
    processing (dates, JSON, booleans) but binds positional values directly.
    It runs on a DBAPI connection (``Connection.connection`` inside a
    SQLAlchemy transaction, or a pooled raw connection), in its transaction.
    """

    def __init__(self, statement: Any, dialect: sa.Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        names = compiled.positiontup
        if names is None:  # pragma: no cover - only built for SQLite (qmark)
            msg = f"{dialect.name} does not use positional parameters"
            raise ValueError(msg)
        self.sql = str(compiled)
        self.params = [
            (
                name,
                compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect),
            )
            for name in names
        ]

    def _row(self, values: Any) -> tuple[Any, ...]:
        return tuple(
            values[name] if process is None else process(values[name])
            for name, process in self.params
        )

    def execute(self, dbapi: Any, values: Any) -> int:
        """Run once; the number of rows it changed."""
        cursor = dbapi.cursor()
        try:
            cursor.execute(self.sql, self._row(values))
            return int(cursor.rowcount)
        finally:
            cursor.close()

    def executemany(self, dbapi: Any, rows: Any) -> None:
        """Run once per row of values."""
        cursor = dbapi.cursor()
        try:
            cursor.executemany(self.sql, [self._row(values) for values in rows])
        finally:
            cursor.close()
