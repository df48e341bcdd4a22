"""The SQL store: SQLAlchemy Core, one code path for SQLite and PostgreSQL.

Writes are optimistic: ``UPDATE kf_cases ... WHERE id = ? AND version = ?``;
zero rows means someone else saved first (:class:`ConcurrentUpdate`). The case
row, its new events and its deadline rows are written in one transaction, so
nothing partial is ever stored. On SQLite every write transaction starts with
``BEGIN IMMEDIATE`` (WAL, ``synchronous=NORMAL``), which serialises writers
instead of failing them; on PostgreSQL deadline claims use
``FOR UPDATE SKIP LOCKED`` so workers never get the same deadline.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, NoReturn

import sqlalchemy as sa
from sqlalchemy import Connection, exc

from klachtflow.definition import Procedure, loads_procedure
from klachtflow.engine import Case, Conditions, Engine, Event
from klachtflow.exceptions import (
    CaseNotFound,
    ConcurrentUpdate,
    KlachtflowError,
    SchemaNotAtHead,
    StorageError,
)
from klachtflow.rules.calendar import ATW, AtwCalendar
from klachtflow.rules.clock import Clock, SystemClock, legal_date
from klachtflow.rules.permissions import Actor
from klachtflow.storage import _retention, _rows, _skeleton
from klachtflow.storage import schema as t
from klachtflow.storage._connect import create_engine, first_line, safe_url
from klachtflow.storage._postgres import load_in_one_statement, save_in_one_statement
from klachtflow.storage._sqlite import save_on_driver
from klachtflow.storage._statements import Statements
from klachtflow.storage.migrate import current_revision, head_revision, upgrade
from klachtflow.storage.results import (
    CaseSummary,
    DueDeadline,
    Removal,
    Skeleton,
    Statistics,
)

#: Cases a store keeps in memory (immutable values, validated on every read).
CACHE_SIZE = 4096

__all__ = ["SqlStore", "open_store"]


def open_store(
    url: str = "sqlite:///klachtflow.db",
    *,
    conditions: Conditions | None = None,
    clock: Clock | None = None,
    atw: AtwCalendar = ATW,
    upgrade_schema: bool | None = None,
) -> SqlStore:
    """Open (and for SQLite by default create or upgrade) a store.

    A PostgreSQL (or other) database that is behind raises
    :class:`SchemaNotAtHead` naming ``klachtflow db upgrade``; pass
    ``upgrade_schema=True`` to upgrade it here instead.
    """
    engine = create_engine(url)
    if upgrade_schema is None:
        upgrade_schema = engine.dialect.name == "sqlite"
    try:
        current = current_revision(engine)
        head = head_revision()
        if current != head:
            if not upgrade_schema:
                raise SchemaNotAtHead(url=url, current=current, head=head)
            upgrade(engine)
    except exc.OperationalError as error:
        engine.dispose()
        msg = f"Geen verbinding met de database '{safe_url(url)}'."
        raise StorageError(
            msg,
            hint=f"Controleer of de database draait en bereikbaar is ({first_line(error)}).",
        ) from error
    except BaseException:
        engine.dispose()
        raise
    return SqlStore(engine, url=url, conditions=conditions, clock=clock, atw=atw)


class _StaleCache(Exception):
    """The cached case is no longer the stored one: fire it again after loading."""


class SqlStore:
    """Cases in a SQL database; see :func:`open_store`."""

    def __init__(
        self,
        engine: sa.Engine,
        *,
        url: str,
        conditions: Conditions | None = None,
        clock: Clock | None = None,
        atw: AtwCalendar = ATW,
    ) -> None:
        self.engine = engine
        self.url = url
        self.conditions = conditions or Conditions()
        self.clock = clock or SystemClock()
        self.atw = atw
        self._procedures: dict[str, Procedure] = {}
        self._engines: dict[str, Engine] = {}
        self._sql = Statements(engine.dialect.name)
        # Read cache of immutable cases, keyed by id and checked on every use
        # against (version, personal_rev) in the database.
        self._cache: OrderedDict[str, tuple[tuple[int, int], Case]] = OrderedDict()
        # PostgreSQL: a second pool whose connections stay in autocommit, for
        # the one-statement reads and saves (no isolation switch per use).
        self._autocommit_engine: sa.Engine | None = None

    # ------------------------------------------------------------------ plumbing

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()
        if self._autocommit_engine is not None:
            self._autocommit_engine.dispose()

    def _autocommit(self) -> Connection:
        """A connection in autocommit (PostgreSQL): each statement its own transaction."""
        if self._autocommit_engine is None:
            self._autocommit_engine = sa.create_engine(
                self.engine.url, isolation_level="AUTOCOMMIT"
            )
        return self._autocommit_engine.connect()

    def __enter__(self) -> SqlStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self.engine.connect() as connection:
            connection.execution_options(klachtflow_write=True)
            with connection.begin():
                yield connection

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        # PostgreSQL's READ COMMITTED gives each statement its own snapshot; a
        # case is read in several statements, so reads take one snapshot.
        # (Read-only REPEATABLE READ transactions never fail to serialise.)
        with self.engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                yield connection

    # ------------------------------------------------------------------ procedures

    def add_procedure(self, procedure: Procedure) -> None:
        """Keep the procedure's YAML text by digest (idempotent)."""
        with self._write() as connection:
            self._ensure_procedure(connection, procedure)

    def _ensure_procedure(self, connection: Connection, procedure: Procedure) -> None:
        if procedure.digest in self._procedures:
            return
        exists = connection.execute(
            sa.select(t.procedures.c.digest).where(
                t.procedures.c.digest == procedure.digest
            )
        ).first()
        if exists is None:
            connection.execute(
                t.procedures.insert().values(
                    digest=procedure.digest,
                    name=procedure.name,
                    version=procedure.version,
                    text=procedure.text,
                    stored_at=self.clock.now(),
                )
            )
        self._procedures[procedure.digest] = procedure

    def procedure(self, digest: str) -> Procedure:
        """The procedure with this digest, re-read from its stored YAML text."""
        if digest in self._procedures:
            return self._procedures[digest]
        with self._read() as connection:
            return self._fetch_procedure(connection, digest)

    def _fetch_procedure(self, connection: Connection, digest: str) -> Procedure:
        if digest in self._procedures:
            return self._procedures[digest]
        row = (
            connection.execute(
                sa.select(t.procedures).where(t.procedures.c.digest == digest)
            )
            .mappings()
            .first()
        )
        if row is None:
            msg = f"Procedure met digest {digest} staat niet in de database."
            raise StorageError(
                msg, hint="Sla de procedure op met store.add_procedure()."
            )
        procedure = loads_procedure(
            row["text"], source=f"<db {row['name']} {row['version']}>"
        )
        self._procedures[digest] = procedure
        return procedure

    def engine_for(self, procedure: Procedure | str) -> Engine:
        """The engine for a procedure (or its digest), with the store's conditions and clock."""
        spec = (
            procedure if isinstance(procedure, Procedure) else self.procedure(procedure)
        )
        return self._engine(spec)

    def _engine(self, spec: Procedure) -> Engine:
        if spec.digest not in self._engines:
            self._engines[spec.digest] = Engine(
                spec, conditions=self.conditions, clock=self.clock, atw=self.atw
            )
        return self._engines[spec.digest]

    # ------------------------------------------------------------------ writing

    def start(self, procedure: Procedure, **kwargs: Any) -> Case:
        """``Engine.start`` and :meth:`add` in one go."""
        case = self.engine_for(procedure).start(**kwargs)
        self.add(case)
        return case

    def add(self, case: Case) -> None:
        """Store a new case (all its events so far)."""
        self.add_many([case])

    def add_many(self, cases: Sequence[Case]) -> None:
        """Store several new cases in one transaction (bulk imports, the demo)."""
        if not cases:
            return
        with self._write() as connection:
            for case in cases:
                self._ensure_procedure(connection, self._procedure_of(connection, case))
            try:
                connection.execute(
                    t.cases.insert(),
                    [
                        _rows.case_row(c, self._procedure_of(connection, c))
                        for c in cases
                    ],
                )
            except exc.IntegrityError as error:
                msg = "Een zaak met dit nummer staat al in de database."
                raise StorageError(
                    msg, hint="Gebruik save() voor een bestaande zaak."
                ) from error
            self._insert_details(connection, cases, after=0)

    def _procedure_of(self, connection: Connection, case: Case) -> Procedure:
        engine = self._engines.get(case.procedure_digest)
        if engine is not None:
            return engine.procedure
        return self._fetch_procedure(connection, case.procedure_digest)

    def _insert_details(
        self, connection: Connection, cases: Sequence[Case], *, after: int
    ) -> None:
        skeleton: list[dict[str, Any]] = []
        personal: list[dict[str, Any]] = []
        for case in cases:
            rows, private = _rows.event_rows(case, after)
            skeleton += rows
            personal += private
        connection.execute(self._sql.insert_events, skeleton)
        connection.execute(self._sql.insert_event_personal, personal)
        if after == 0:
            connection.execute(
                t.case_personal.insert(), [_rows.personal_row(c) for c in cases]
            )
            parties = [row for c in cases for row in _rows.party_rows(c)]
            if parties:
                connection.execute(t.case_parties.insert(), parties)
        deadlines = [row for c in cases for row in _rows.deadline_rows(c)]
        if deadlines:
            connection.execute(self._sql.insert_deadline, deadlines)

    def save(self, case: Case, *, expected_version: int) -> None:
        """Store a fired case that was read at ``expected_version``.

        Raises :class:`ConcurrentUpdate` when another writer saved first;
        then nothing is written.
        """
        with self._write() as connection:
            self._save(connection, case, expected_version)

    def _save(
        self,
        connection: Connection,
        case: Case,
        expected_version: int,
        *,
        personal_rev: int | None = None,
    ) -> None:
        """Write a fired case; with ``personal_rev``, only if nothing changed since.

        With ``personal_rev`` a mismatch raises :class:`_StaleCache` (before
        anything is written) instead of :class:`ConcurrentUpdate`.
        """
        procedure = self._procedure_of(connection, case)
        self._ensure_procedure(connection, procedure)
        new_events = case.history[expected_version:]
        touched = {name for e in new_events for name in e.terms}
        if self._sql.driver and not touched - set(case.clocks):
            saved = self._save_on_driver(
                connection.connection, case, procedure, expected_version, personal_rev
            )
            if not saved:
                self._refuse_save(connection, case.id, expected_version, personal_rev)
            return
        row = _rows.case_row(case, procedure)
        values = {
            "k_id": case.id,
            "k_expected": expected_version,
            **{f"v_{name}": row[name] for name in self._sql.case_columns},
        }
        if personal_rev is None:
            updated = connection.execute(self._sql.update_case, values)
        else:
            updated = connection.execute(
                self._sql.update_case_if_current, {**values, "k_rev": personal_rev}
            )
        if updated.rowcount != 1:
            self._refuse_save(connection, case.id, expected_version, personal_rev)
        skeleton, private = _rows.event_rows(case, expected_version)
        if skeleton:
            connection.execute(self._sql.insert_events, skeleton)
            connection.execute(self._sql.insert_event_personal, private)
        # Parties never change after start; data only with an event that says so.
        if any(e.changes for e in new_events):
            personal = _rows.personal_row(case)
            connection.execute(
                self._sql.update_personal,
                {
                    "k_id": case.id,
                    "v_parties": personal["parties"],
                    "v_data": personal["data"],
                },
            )
        if touched:
            self._write_deadlines(connection, case, touched)

    def _refuse_save(
        self,
        connection: Connection,
        case_id: str,
        expected_version: int,
        personal_rev: int | None,
    ) -> NoReturn:
        """The guarded UPDATE matched nothing: say why (nothing was written)."""
        if personal_rev is not None:
            raise _StaleCache
        actual = connection.execute(
            sa.select(t.cases.c.version).where(t.cases.c.id == case_id)
        ).scalar()
        if actual is None:
            raise CaseNotFound(case_id)
        raise ConcurrentUpdate(
            case_id, expected_version=expected_version, actual_version=actual
        )

    def _write_deadlines(
        self, connection: Connection, case: Case, touched: set[str]
    ) -> None:
        """Write the deadline rows of the clocks the new events touched."""
        rows = [row for row in _rows.deadline_rows(case) if row["term"] in touched]
        if self._sql.upsert_deadlines is None:
            self._write_deadlines_one_by_one(connection, case, rows)
        elif rows:
            connection.execute(self._sql.upsert_deadlines, rows)
        dropped = sorted(touched - set(case.clocks))
        if dropped:
            # Terms a migration left behind: their rows are kept, closed.
            d = t.deadlines.c
            connection.execute(
                t.deadlines.update()
                .where(d.case_id == case.id, d.term.in_(dropped))
                .values(open=False, claimed_by=None, claimed_at=None)
            )

    def _write_deadlines_one_by_one(
        self, connection: Connection, case: Case, rows: list[dict[str, Any]]
    ) -> None:
        """Read the existing rows, then insert or update (databases without upsert)."""
        d = t.deadlines.c
        existing = {
            r.term: r
            for r in connection.execute(
                sa.select(d.term, d.due, d.claimed_by, d.claimed_at).where(
                    d.case_id == case.id, d.term.in_([row["term"] for row in rows])
                )
            )
        }
        for row in rows:
            before = existing.get(row["term"])
            if before is None:
                connection.execute(self._sql.insert_deadline, row)
                continue
            if before.due == row["due"]:
                # A claim stays with its worker while the due date is unchanged.
                row["claimed_by"], row["claimed_at"] = (
                    before.claimed_by,
                    before.claimed_at,
                )
            connection.execute(
                self._sql.update_deadline,
                {
                    "k_id": case.id,
                    "k_term": row["term"],
                    **{f"v_{name}": row[name] for name in self._sql.deadline_columns},
                },
            )

    def fire(self, case_id: str, action: str, *, actor: Actor, **kwargs: Any) -> Case:
        """Load, fire and save in one transaction; returns the new case.

        Raises what ``Engine.fire`` raises (nothing is written), or
        :class:`ConcurrentUpdate` when another writer saved in between.

        A case this store read or wrote before is fired from its cache and
        saved only if its version and personal data are still the ones cached
        (one guarded UPDATE, no read); otherwise, and for every refusal, the
        case is loaded and fired again, so a decision never rests on stale data.
        """
        cached = self._cache.get(case_id)
        if cached is not None:
            fired = self._fire_cached(cached, action, actor, kwargs)
            if fired is not None:
                return fired
        if self.engine.dialect.name == "postgresql":
            return self._fire_loaded(case_id, action, actor, kwargs)
        with self._write() as connection:
            case, personal_rev = self._current(connection, case_id)
            fired = self._engine(
                self._fetch_procedure(connection, case.procedure_digest)
            ).fire(case, action, actor=actor, **kwargs)
            self._save(connection, fired, case.version)
        self._remember(fired, personal_rev)
        return fired

    def _fire_loaded(
        self, case_id: str, action: str, actor: Actor, kwargs: dict[str, Any]
    ) -> Case:
        """PostgreSQL: read the case from one snapshot, fire, save in one statement.

        The save is guarded by the version and personal_rev that were read, so
        a writer in between makes it a :class:`ConcurrentUpdate`, as in one
        transaction, without holding a transaction open around the engine.
        """
        # One statement reads one snapshot: no transaction needed around it.
        with self._autocommit() as connection:
            case, personal_rev = self._current(connection, case_id)
            engine = self._engine(
                self._fetch_procedure(connection, case.procedure_digest)
            )
        fired = engine.fire(case, action, actor=actor, **kwargs)
        try:
            if not self._one_statement(fired, case.version, personal_rev):
                with self._write() as connection:
                    self._save(connection, fired, case.version)
        except _StaleCache:
            self._cache.pop(case_id, None)
            with self._read() as connection:
                stamp = connection.execute(
                    self._sql.stamp, {"case_id": case_id}
                ).first()
            if stamp is None:
                raise CaseNotFound(case_id) from None
            raise ConcurrentUpdate(
                case_id, expected_version=case.version, actual_version=int(stamp[0])
            ) from None
        self._remember(fired, personal_rev)
        return fired

    def _fire_cached(
        self,
        cached: tuple[tuple[int, int], Case],
        action: str,
        actor: Actor,
        kwargs: dict[str, Any],
    ) -> Case | None:
        """Fire on the cached case; None when it was stale or the fire was refused."""
        (version, personal_rev), case = cached
        engine = self._engines.get(case.procedure_digest)
        if engine is None:
            return None
        try:
            fired = engine.fire(case, action, actor=actor, **kwargs)
        except KlachtflowError:
            return None  # decided again on the stored case by the caller
        try:
            dialect = self.engine.dialect.name
            if (
                dialect == "postgresql"
                and self._one_statement(fired, version, personal_rev)
            ) or (
                dialect == "sqlite" and self._on_driver(fired, version, personal_rev)
            ):
                pass
            else:
                with self._write() as connection:
                    self._save(connection, fired, version, personal_rev=personal_rev)
        except _StaleCache:
            self._cache.pop(case.id, None)
            return None
        self._remember(fired, personal_rev)
        return fired

    def _save_on_driver(
        self,
        dbapi: Any,
        case: Case,
        procedure: Procedure,
        expected_version: int,
        personal_rev: int | None,
    ) -> bool:
        return save_on_driver(
            dbapi,
            self._sql.driver,
            self._sql.case_columns,
            case=case,
            procedure=procedure,
            expected_version=expected_version,
            personal_rev=personal_rev,
        )

    def _on_driver(self, case: Case, expected_version: int, personal_rev: int) -> bool:
        """SQLite: save on a pooled driver connection; False when it needs the general save.

        Raises :class:`_StaleCache` (after rolling back) when the stored case is
        not the cached one.
        """
        procedure = self._procedures.get(case.procedure_digest)
        touched = {name for e in case.history[expected_version:] for name in e.terms}
        if procedure is None or touched - set(case.clocks):
            return False
        raw = self.engine.raw_connection()
        try:
            raw.cursor().execute("BEGIN IMMEDIATE")
            try:
                saved = self._save_on_driver(
                    raw, case, procedure, expected_version, personal_rev
                )
            except BaseException:
                raw.rollback()
                raise
            if not saved:
                raw.rollback()
                raise _StaleCache
            raw.commit()
        finally:
            raw.close()
        return True

    def _one_statement(
        self, case: Case, expected_version: int, personal_rev: int
    ) -> bool:
        """PostgreSQL: save in one round trip; False when it needs the general save.

        Raises :class:`_StaleCache` when the stored case is not the cached one.
        """
        procedure = self._procedures.get(case.procedure_digest)
        new_events = case.history[expected_version:]
        touched = {name for e in new_events for name in e.terms}
        if procedure is None or touched - set(case.clocks):
            return False  # procedure not yet stored, or a migration dropped terms
        events, private = _rows.event_rows(case, expected_version)
        with self._autocommit() as connection:
            saved = save_in_one_statement(
                connection,
                case_row=_rows.case_row(case, procedure),
                events=events,
                private=private,
                personal=(
                    _rows.personal_row(case)
                    if any(e.changes for e in new_events)
                    else None
                ),
                deadlines=[
                    row for row in _rows.deadline_rows(case) if row["term"] in touched
                ],
                expected_version=expected_version,
                personal_rev=personal_rev,
            )
        if not saved:
            raise _StaleCache
        return True

    # ------------------------------------------------------------------ reading

    def get(self, case_id: str) -> Case:
        """The case as stored; :class:`CaseNotFound` if there is none."""
        with self._read() as connection:
            return self._current(connection, case_id)[0]

    def _current(self, connection: Connection, case_id: str) -> tuple[Case, int]:
        """The stored case and its personal_rev, from the cache when still current."""
        cached = self._cache.get(case_id)
        if cached is None:
            case, personal_rev = self._load(connection, case_id)
            self._remember(case, personal_rev)
            return case, personal_rev
        stamp = connection.execute(self._sql.stamp, {"case_id": case_id}).first()
        if stamp is None:
            self._cache.pop(case_id, None)
            raise CaseNotFound(case_id)
        version, personal_rev = int(stamp[0]), int(stamp[1])
        if cached[0] == (version, personal_rev):
            self._cache.move_to_end(case_id)
            return cached[1], personal_rev
        case, personal_rev = self._load(connection, case_id)
        self._remember(case, personal_rev)
        return case, personal_rev

    def _remember(self, case: Case, personal_rev: int) -> None:
        self._cache[case.id] = ((case.version, personal_rev), case)
        self._cache.move_to_end(case.id)
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)

    def _load(self, connection: Connection, case_id: str) -> tuple[Case, int]:
        """The stored case and its personal_rev (one query on PostgreSQL, else three)."""
        row: Mapping[Any, Any] | None
        events: Sequence[Mapping[Any, Any]]
        deadlines: Sequence[Mapping[Any, Any]]
        if connection.dialect.name == "postgresql":
            loaded = load_in_one_statement(connection, case_id)
            if loaded is None:
                raise CaseNotFound(case_id)
            row, events, deadlines = loaded
        else:
            key = {"case_id": case_id}
            row = connection.execute(self._sql.load_case, key).mappings().first()
            if row is None:
                raise CaseNotFound(case_id)
            events = connection.execute(self._sql.load_events, key).mappings().all()
            deadlines = (
                connection.execute(self._sql.load_deadlines, key).mappings().all()
            )
        engine = self._engine(
            self._fetch_procedure(connection, row["procedure_digest"])
        )
        personal = (
            None
            if row["parties"] is None
            else {"parties": row["parties"], "data": row["data"]}
        )
        case = _rows.case_from_rows(
            engine,
            row,
            personal=personal,
            events=events,
            event_personal=[e for e in events if e["actor"] is not None],
            deadlines=deadlines,
        )
        return case, int(row["personal_rev"])

    def history(self, case_id: str) -> tuple[Event, ...]:
        """The events of a case, oldest first."""
        return self.get(case_id).history

    def find(
        self,
        *,
        status: str | None = None,
        party: str | None = None,
        category: str | None = None,
        opened_from: dt.date | None = None,
        opened_until: dt.date | None = None,
        open_only: bool = False,
        limit: int | None = None,
    ) -> list[CaseSummary]:
        """Cases by status, party (person id), category and opening period."""
        query = sa.select(t.cases)
        if status is not None:
            query = query.where(t.cases.c.status == status)
        if category is not None:
            query = query.where(t.cases.c.category == category)
        if opened_from is not None:
            query = query.where(t.cases.c.opened_on >= opened_from)
        if opened_until is not None:
            query = query.where(t.cases.c.opened_on <= opened_until)
        if open_only:
            query = query.where(t.cases.c.closed_on.is_(None))
        if party is not None:
            query = query.where(
                t.cases.c.id.in_(
                    sa.select(t.case_parties.c.case_id).where(
                        t.case_parties.c.person == party
                    )
                )
            )
        query = query.order_by(t.cases.c.opened_on, t.cases.c.id)
        if limit is not None:
            query = query.limit(limit)
        with self._read() as connection:
            rows = connection.execute(query).mappings().all()
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
            for r in rows
        ]

    def existing(self, case_ids: Sequence[str]) -> set[str]:
        """Which of ``case_ids`` are already stored."""
        found: set[str] = set()
        with self._read() as connection:
            for start in range(0, len(case_ids), 500):
                chunk = list(case_ids[start : start + 500])
                found.update(
                    connection.execute(
                        sa.select(t.cases.c.id).where(t.cases.c.id.in_(chunk))
                    ).scalars()
                )
        return found

    def statistics(self, on: dt.date) -> Statistics:
        """Anonymous figures over all cases (no personal data involved)."""
        c = t.cases.c
        with self._read() as connection:
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
        overdue = self.overdue(on)
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

    def skeletons(
        self,
        *,
        opened_from: dt.date | None = None,
        opened_until: dt.date | None = None,
    ) -> list[Skeleton]:
        """Cases opened in the period as they look without personal data.

        Every actor reads ``geanonimiseerd`` and parties and data are empty; the
        states, dates, results and term clocks are all there. Reports use these.
        """
        return list(
            self.iter_skeletons(opened_from=opened_from, opened_until=opened_until)
        )

    def iter_skeletons(
        self,
        *,
        opened_from: dt.date | None = None,
        opened_until: dt.date | None = None,
    ) -> Iterator[Skeleton]:
        """:meth:`skeletons` one at a time, read in chunks: memory stays flat."""
        with self._read() as connection:
            yield from _skeleton.skeletons(
                connection,
                lambda digest: self._engine(self._fetch_procedure(connection, digest)),
                opened_from=opened_from,
                opened_until=opened_until,
            )

    def filled(
        self,
        fields: Sequence[str],
        *,
        opened_from: dt.date | None = None,
        opened_until: dt.date | None = None,
    ) -> set[str]:
        """Ids of cases opened in the period with any of ``fields`` filled in."""
        with self._read() as connection:
            return _skeleton.filled_fields(
                connection,
                fields,
                opened_from=opened_from,
                opened_until=opened_until,
            )

    def count(self) -> int:
        """The number of cases in the store."""
        with self._read() as connection:
            return int(
                connection.execute(
                    sa.select(sa.func.count()).select_from(t.cases)
                ).scalar_one()
            )

    # ------------------------------------------------------------------ deadlines

    def _deadlines(self, where: Any, *, limit: int | None = None) -> list[DueDeadline]:
        query = (
            sa.select(
                t.deadlines.c.case_id,
                t.deadlines.c.term,
                t.deadlines.c.due,
                t.deadlines.c.kind,
                t.deadlines.c.claimed_by,
            )
            .where(
                t.deadlines.c.open.is_(True), t.deadlines.c.suspended.is_(False), where
            )
            .order_by(t.deadlines.c.due, t.deadlines.c.case_id, t.deadlines.c.term)
        )
        if limit is not None:
            query = query.limit(limit)
        with self._read() as connection:
            return [DueDeadline(*row) for row in connection.execute(query)]

    def due(
        self, on: dt.date, *, within: int = 0, limit: int | None = None
    ) -> list[DueDeadline]:
        """Open deadlines due from ``on`` up to ``within`` days after it."""
        until = on + dt.timedelta(days=within)
        return self._deadlines(t.deadlines.c.due.between(on, until), limit=limit)

    def overdue(self, on: dt.date, *, limit: int | None = None) -> list[DueDeadline]:
        """Open deadlines whose due date lies before ``on``."""
        return self._deadlines(t.deadlines.c.due < on, limit=limit)

    def claim_due(
        self, on: dt.date, *, worker: str, limit: int = 100
    ) -> list[DueDeadline]:
        """Hand up to ``limit`` unclaimed deadlines due on or before ``on`` to ``worker``.

        Each deadline goes to exactly one worker, however many claim at once.
        A claim lasts until the deadline's due date changes.
        """
        d = t.deadlines.c
        with self._write() as connection:
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
            now = self.clock.now()
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

    # ------------------------------------------------------------------ retention, AVG

    def purge(self, on: dt.date, *, dry_run: bool = False) -> list[Removal]:
        """Remove personal data of cases whose retention (bewaartermijn) passed by ``on``.

        The skeleton stays (dates, states, category, result, events without
        actor, reason or data) so reports stay right; each removal is recorded.
        With ``dry_run`` nothing is removed and the would-be removals return.
        """
        with self._write() as connection:
            return _retention.purge(connection, on, dry_run=dry_run)

    def erase_person(
        self, person_id: str, *, on: dt.date | None = None
    ) -> list[Removal]:
        """Honour an erasure request (AVG art 17) for ``person_id``.

        Cases where the person is a party lose all personal data (skeleton
        kept); in other cases the person's name as actor is replaced. Each
        removal is recorded. 🔶 Whether the Archiefwet term allows erasure
        (AVG art 17 lid 3 sub b) is for the host to decide before calling this.
        """
        day = on or legal_date(self.clock.now())
        with self._write() as connection:
            return _retention.erase_person(connection, person_id, day)

    def removals(self, case_id: str | None = None) -> list[Removal]:
        """The record of what was removed (all, or for one case)."""
        with self._read() as connection:
            return _retention.removals(connection, case_id)
