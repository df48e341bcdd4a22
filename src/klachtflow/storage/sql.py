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

import copy
import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, NoReturn

import attrs
import sqlalchemy as sa
from sqlalchemy import Connection, exc
from sqlalchemy.dialects import postgresql, sqlite

from klachtflow.definition import Procedure, loads_procedure
from klachtflow.definition.model import FieldType
from klachtflow.engine import Case, Conditions, Engine, Event, _arguments
from klachtflow.engine._replay import replay
from klachtflow.engine._seal import UNKEYED, Sealer
from klachtflow.engine.lifecycle import ReportSummary, report_summary
from klachtflow.exceptions import (
    CaseNotFound,
    CaseNotInOrganisation,
    ConcurrentUpdate,
    HistoryTampered,
    InvalidArgument,
    KlachtflowError,
    ProcedureNotForOrganisation,
    SchemaNotAtHead,
    StorageError,
)
from klachtflow.rules import _renamed
from klachtflow.rules._arguments import (
    check_bool,
    check_date,
    check_instance,
    check_int,
    check_name,
    check_names,
    check_person,
    check_text,
)
from klachtflow.rules.calendar import ATW, AtwCalendar
from klachtflow.rules.clock import Clock, SystemClock, legal_date, to_utc
from klachtflow.rules.identifiers import check_organisation_id
from klachtflow.rules.permissions import Actor
from klachtflow.storage import (
    _anchor,
    _bulk,
    _integrity,
    _organisations,
    _outbox,
    _queries,
    _retention,
    _rows,
    _skeleton,
    _stream,
    _summaries,
    _transfer,
    _warnings,
)
from klachtflow.storage import schema as t
from klachtflow.storage._cache import CaseCache
from klachtflow.storage._connect import (
    check_pool,
    create_engine,
    url_for_messages,
)
from klachtflow.storage._deadlines import write_deadlines
from klachtflow.storage._failures import database_errors, storage_error, translated
from klachtflow.storage._organisations import DEFAULT, Organisation
from klachtflow.storage._postgres import load_in_one_statement, save_in_one_statement
from klachtflow.storage._sqlite import save_in_own_transaction, save_on_driver
from klachtflow.storage._statements import Statements
from klachtflow.storage._stream import CheckedSkeleton
from klachtflow.storage.migrate import current_revision, head_revision, upgrade
from klachtflow.storage.results import (
    CaseSummary,
    Checkpoint,
    Claim,
    DueDeadline,
    DueWarning,
    ErasureGround,
    ExportResult,
    ImportResult,
    IntegrityReport,
    Removal,
    Skeleton,
    Statistics,
    StoreReport,
    SummaryResult,
)

#: How far back an event may be dated by default (``Engine.backdating``).
DEFAULT_BACKDATING = dt.timedelta(days=30)

#: Cases a store keeps in memory (immutable values, validated on every read).
CACHE_SIZE = 4096
#: How long a deadline claim lasts unless completed or released first.
DEFAULT_LEASE = dt.timedelta(minutes=10)

__all__ = ["SqlStore", "open_store"]


def open_store(
    url: str = "sqlite:///klachtflow.db",
    *,
    conditions: Conditions | None = None,
    clock: Clock | None = None,
    atw: AtwCalendar = ATW,
    upgrade_schema: bool | None = None,
    history_key: bytes | str | None = None,
    backdating: dt.timedelta | None = DEFAULT_BACKDATING,
    outbox: bool = False,
    legacy_history: bool = False,
    pool: dict[str, Any] | None = None,
) -> SqlStore:
    """Open (and for SQLite by default create or upgrade) a store.

    A PostgreSQL (or other) database that is behind raises
    :class:`SchemaNotAtHead` naming ``klachtflow db upgrade``; pass
    ``upgrade_schema=True`` to upgrade it here instead. Every failure is a
    :class:`StorageError` (with the database's own error as its cause).

    ``history_key`` seals every event with HMAC-SHA256 (keep it outside the
    database, e.g. in a secrets manager): without the key nobody can rewrite a
    history unnoticed. Without one the chain is unkeyed (fine for tests), and
    verification reports it as such.

    ``backdating`` is how long before it is recorded an event may take effect
    (``Engine(backdating=...)``; None: any time before); cases added or saved
    are checked against it too.

    ``legacy_history=True`` accepts events of the old, unkeyed history format 1
    in a keyed store: only for a database written before format 2 (in a keyed
    store they could otherwise be a downgrade to escape the key). Unkeyed
    stores always accept them, and report them.

    ``pool`` passes SQLAlchemy connection-pool settings for PostgreSQL
    (``pool_size``, ``max_overflow``, ``pool_timeout``, ``pool_recycle``,
    ``pool_pre_ping``, ``pool_use_lifo``, ``poolclass``, ``connect_args``);
    the store's second, autocommit pool gets the same. See the how-to
    *Meerdere organisaties en workers*.
    """
    pool_options = check_pool(pool)
    _arguments.open_store(url=url, conditions=conditions, clock=clock, atw=atw, upgrade_schema=upgrade_schema)  # fmt: skip
    _store_options(history_key, backdating, outbox, legacy_history)
    with database_errors(url_for_messages(url)):
        return _open(
            url,
            conditions,
            clock,
            atw,
            upgrade_schema,
            history_key=history_key,
            backdating=backdating,
            outbox=outbox,
            legacy_history=legacy_history,
            pool=pool_options,
        )


def _store_options(
    history_key: object, backdating: object, outbox: object, legacy_history: object
) -> None:
    """Refuse store settings of the wrong kind (InvalidArgument)."""
    if history_key is not None and not isinstance(history_key, bytes | str):
        raise InvalidArgument(
            parameter="open_store(history_key)",
            value=history_key,
            expected="bytes, a str or None",
        )
    if backdating is not None and not (
        isinstance(backdating, dt.timedelta) and backdating >= dt.timedelta(0)
    ):
        raise InvalidArgument(
            parameter="open_store(backdating)",
            value=backdating,
            expected="a timedelta of 0 or more, or None",
        )
    for name, value in (("outbox", outbox), ("legacy_history", legacy_history)):
        if not isinstance(value, bool):
            raise InvalidArgument(
                parameter=f"open_store({name})", value=value, expected="True or False"
            )


def _open(
    url: str,
    conditions: Conditions | None,
    clock: Clock | None,
    atw: AtwCalendar,
    upgrade_schema: bool | None,
    *,
    history_key: bytes | str | None,
    backdating: dt.timedelta | None,
    outbox: bool,
    legacy_history: bool,
    pool: dict[str, Any],
) -> SqlStore:
    engine = create_engine(url, pool)
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
        raise storage_error(error, url_for_messages(url)) from error
    except BaseException:
        engine.dispose()
        raise
    store = SqlStore(
        engine,
        url=url,
        conditions=conditions,
        clock=clock,
        atw=atw,
        history_key=history_key,
        backdating=backdating,
        outbox=outbox,
        legacy_history=legacy_history,
    )
    store._pool = pool
    return store


def _case_or_id(parameter: str, value: Any) -> tuple[str, int | None]:
    """The case id, and the version the caller saw when ``value`` is a Case."""
    if isinstance(value, Case):
        return value.id, value.version
    if isinstance(value, str):
        return str(check_name(parameter, value)), None
    raise InvalidArgument(
        parameter=parameter,
        value=value,
        expected="a Case (as last read or returned) or a case id",
    )


def _still_seen(stored: Case, seen: int | None) -> None:
    """Refuse to fire when the stored case moved on from the version the caller saw."""
    if seen is not None and stored.version != seen:
        raise ConcurrentUpdate(
            stored.id, expected_version=seen, actual_version=stored.version
        )


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
        history_key: bytes | str | None = None,
        backdating: dt.timedelta | None = DEFAULT_BACKDATING,
        outbox: bool = False,
        legacy_history: bool = False,
    ) -> None:
        check_instance("SqlStore(engine)", engine, sa.Engine, "a SQLAlchemy Engine")
        _store_options(history_key, backdating, outbox, legacy_history)
        _arguments.open_store(url=url, conditions=conditions, clock=clock, atw=atw, upgrade_schema=None)  # fmt: skip
        self.engine = engine
        self.backdating = backdating
        self.legacy_history = legacy_history or not history_key
        #: Write an outbox row with every event (klachtflow.storage._outbox).
        self.outbox = outbox
        self._sealer = Sealer(history_key) if history_key else UNKEYED
        self.url = url
        self.conditions = conditions or Conditions()
        self.clock = clock or SystemClock()
        self.atw = atw
        self._procedures: dict[str, Procedure] = {}
        self._engines: dict[str, Engine] = {}
        self._sql = Statements(engine.dialect.name)
        # Read cache of immutable cases, keyed by id and checked on every use
        # against (version, personal_rev) in the database.
        self._cache = CaseCache(CACHE_SIZE)
        # PostgreSQL: a second pool whose connections stay in autocommit, for
        # the one-statement reads and saves (no isolation switch per use).
        self._autocommit_engine: sa.Engine | None = None
        #: In a process forked for a read over many cases (storage._forked):
        #: the PostgreSQL snapshot every read here shares with its parent.
        self._snapshot: str | None = None
        # The organisation this store sees (see scoped()): the default one
        # unless scoped; views share the root's pools and procedures.
        self._scope: Organisation | None = None
        self._org = DEFAULT
        self._root: SqlStore = self
        # The pool settings open_store was given, for the autocommit pool too.
        self._pool: dict[str, Any] = {}

    # ------------------------------------------------------------------ plumbing

    @translated
    def close(self) -> None:
        """Release the database connections (of the store a scoped view came from:
        closing a view does nothing)."""
        if self._root is not self:
            return
        self.engine.dispose()
        if self._autocommit_engine is not None:
            self._autocommit_engine.dispose()

    def _autocommit(self) -> Connection:
        """A connection in autocommit (PostgreSQL): each statement its own transaction."""
        root = self._root
        if root._autocommit_engine is None:
            root._autocommit_engine = sa.create_engine(
                root.engine.url, isolation_level="AUTOCOMMIT", **root._pool
            )
        return root._autocommit_engine.connect()

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
            postgres = connection.dialect.name == "postgresql"
            if postgres:
                connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                if postgres and self._snapshot is not None:
                    # Must be the transaction's first statement; the id comes
                    # from pg_export_snapshot() (checked in storage._forked).
                    connection.exec_driver_sql(
                        f"SET TRANSACTION SNAPSHOT '{self._snapshot}'"
                    )
                yield connection

    # ------------------------------------------------------------------ organisations

    @translated
    def register_organisation(self, organisation: Organisation) -> None:
        """Register ``organisation`` (or replace what is registered under its id):
        its name, the procedures it may start cases on, its closing days."""
        check_instance(
            "register_organisation(organisation)",
            organisation,
            Organisation,
            "an Organisation",
        )
        with self._write() as connection:
            _organisations.register(connection, organisation, to_utc(self.clock.now()))

    @translated
    def organisations(self) -> list[Organisation]:
        """Every registered organisation, by id."""
        with self._read() as connection:
            return _organisations.registered(connection)

    @property
    def organisation(self) -> Organisation | None:
        """The organisation this store is scoped to; None for the default one."""
        return self._scope

    @translated
    def scoped(self, organisation: Organisation | str) -> SqlStore:
        """A view of this store that sees one registered organisation only.

        Its cases are started in that organisation (on the procedures it is
        registered for), and every read, query, report, deadline sweep,
        claim, purge and erasure covers its cases alone: another
        organisation's case raises :class:`CaseNotInOrganisation` as if it
        did not exist. The view shares the store's connections; closing it
        does nothing. The store itself is the default organisation's (every
        case stored before schema 0006), except :meth:`verify`,
        :meth:`inspect`, :meth:`purge`, :meth:`erase_person` and
        :meth:`removals`, which cover the whole database there.
        """
        wanted = (
            organisation.id
            if isinstance(organisation, Organisation)
            else check_organisation_id("scoped(organisation)", organisation)
        )
        if self._scope is not None and wanted != self._org:
            raise InvalidArgument(
                parameter="scoped(organisation)",
                value=organisation,
                expected=f"the organisation this view is scoped to ({self._org})",
                hint="Maak een view per organisatie vanuit de store zelf.",
            )
        with self._read() as connection:
            registered = _organisations.load(connection, wanted)
        view = copy.copy(self._root)
        view._scope = registered
        view._org = registered.id
        view._cache = CaseCache(CACHE_SIZE)
        return view

    @property
    def _scope_id(self) -> str | None:
        """The organisation whole-database operations cover: None (all) unscoped."""
        return self._org if self._scope is not None else None

    def _may_start(self, parameter: str, procedure: str) -> None:
        """Refuse a procedure the scoped organisation is not registered for."""
        del parameter
        if self._scope is not None and not self._scope.may_start(procedure):
            raise ProcedureNotForOrganisation(
                self._org, procedure, sorted(self._scope.procedures)
            )

    # ------------------------------------------------------------------ procedures

    @translated
    def add_procedure(self, procedure: Procedure) -> None:
        """Keep the procedure's YAML text by digest (idempotent)."""
        _arguments.procedure("add_procedure(procedure)", procedure)
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
            # Several processes may store the same procedure at once (N workers
            # on one database): the second insert does nothing instead of
            # failing on the primary key.
            insert: Any = t.procedures.insert()
            dialect = connection.dialect.name
            if dialect in ("postgresql", "sqlite"):
                module = postgresql if dialect == "postgresql" else sqlite
                insert = module.insert(t.procedures).on_conflict_do_nothing(
                    index_elements=[t.procedures.c.digest]
                )
            connection.execute(
                insert.values(
                    digest=procedure.digest,
                    name=procedure.name,
                    version=procedure.version,
                    text=procedure.text,
                    stored_at=self.clock.now(),
                )
            )
        self._procedures[procedure.digest] = procedure

    @translated
    def procedure(self, digest: str) -> Procedure:
        """The procedure with this digest, re-read from its stored YAML text."""
        check_name("procedure(digest)", digest)
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

    @translated
    def engine_for(self, procedure: Procedure | str) -> Engine:
        """The engine for a procedure (or its digest), with the store's conditions and clock."""
        _arguments.procedure("engine_for(procedure)", procedure, digest=True)
        spec = (
            procedure if isinstance(procedure, Procedure) else self.procedure(procedure)
        )
        return self._engine(spec)

    def _engine(self, spec: Procedure) -> Engine:
        if spec.digest not in self._engines:
            self._engines[spec.digest] = Engine(
                spec,
                conditions=self.conditions,
                clock=self.clock,
                atw=self.atw,
                history_key=self._sealer,
                backdating=self.backdating,
            )
        return self._engines[spec.digest]

    # ------------------------------------------------------------------ writing

    @property
    def keyed(self) -> bool:
        """Whether this store seals histories with a key (HMAC)."""
        return self._sealer.keyed

    @translated
    def start(self, procedure: Procedure, **kwargs: Any) -> Case:
        """``Engine.start`` and :meth:`add` in one go."""
        _arguments.procedure("start(procedure)", procedure)
        kwargs = _arguments.renamed_keywords("start", kwargs, _arguments.START_KEYWORDS)
        self._may_start("start(procedure)", procedure.name)
        case = self.engine_for(procedure).start(**kwargs)
        self._add_many([case])
        return case

    @translated
    def add(self, case: Case) -> None:
        """Store a new case (all its events so far).

        The case is accepted only if the engine itself produces it: every event
        is replayed through the procedure (same actor and role, data, reason,
        moments) and compared field by field; :class:`UntrustedCase` says what
        does not follow.
        """
        _arguments.case("add(case)", case)
        self.add_many([case])

    @translated
    def add_many(self, cases: Sequence[Case], *, historical: bool = False) -> None:
        """Store several new cases in one transaction (bulk imports, the demo).

        Each case is checked as :meth:`add` does, before anything is written:
        its events must have been recorded just now (within the engine's
        ``future_tolerance``). ``historical=True`` reads in cases recorded
        earlier (from another system, a simulation): every event is still
        replayed against the procedure, monotone time and the backdating
        window; only its moment of recording may lie in the past. On
        PostgreSQL, adding 1,000 cases or more ends with ``ANALYZE`` of the
        tables, as :meth:`import_cases` does.
        """
        _arguments.case_list("add_many(cases)", cases)
        for case in cases:
            self._may_start("add_many(cases)", case.procedure)
        for case in cases:
            self._replayed(None, case, historical=historical)
        self._add_many(cases)
        if len(cases) >= _bulk.ANALYZE_AFTER:
            _bulk.analyze(self.engine)

    @translated
    def import_cases(
        self,
        lines: Iterable[str],
        *,
        batch_size: int = 1000,
        workers: int = 1,
        atomic: bool = False,
        keep_going: bool = False,
        start_line: int = 1,
        progress: Callable[[int], None] | None = None,
    ) -> ImportResult:
        """Import historical cases from JSONL ``lines`` (``klachtflow export``'s format).

        Every case is replayed through the engine and its seal chain checked,
        as :meth:`add_many` with ``historical=True`` does; a refused line is
        reported with its number, never partly written. Lines go in batches
        of ``batch_size``, each one transaction: a batch with a refused line
        writes nothing and the import stops (``keep_going``: the refused
        lines are left out and the rest is written; ``atomic``: the whole
        input is one transaction). Cases already stored with the same history
        are skipped, so an import can be run again after a failure (or from
        ``start_line``). ``workers`` > 1 replays in that many processes; only
        this process writes. The processes are forked: in a host that runs
        threads (a web server), keep ``workers=1`` or import from a process of
        its own, such as ``klachtflow import``. ``progress`` is called with the
        number of lines done after each batch. See docs/reference/jsonl.md.

        On PostgreSQL an import of many cases ends with ``ANALYZE`` of the tables
        it wrote: until the planner has statistics of the grown tables, the
        deadline queries (``due``, ``overdue``, ``claim_due``) plan for empty
        tables and take a third of a second instead of milliseconds at a million
        cases (``bench/bench_store.py due``). A role that does not own the tables
        gets a warning from PostgreSQL instead; then autovacuum does it.
        """
        check_int("import_cases(batch_size)", batch_size, minimum=1, maximum=100_000)
        check_int("import_cases(workers)", workers, minimum=1, maximum=64)
        check_int("import_cases(start_line)", start_line, minimum=1)
        check_bool("import_cases(atomic)", atomic)
        check_bool("import_cases(keep_going)", keep_going)
        if isinstance(lines, str | bytes):
            raise InvalidArgument(
                parameter="import_cases(lines)",
                value=lines,
                expected="an iterable of lines (an open file), not one text",
            )
        settings = _bulk.Settings(
            self.conditions,
            self.clock,
            self.atw,
            self._sealer,
            self.backdating,
            self.engine.dialect.name,
            organisation=self._org,
            procedures=None
            if self._scope is None
            else frozenset(self._scope.procedures),
        )
        result = _bulk.import_lines(
            self,
            settings,
            lines,
            batch_size=batch_size,
            workers=workers,
            atomic=atomic,
            keep_going=keep_going,
            start_line=start_line,
            progress=progress,
        )
        if result.imported >= _bulk.ANALYZE_AFTER:
            _bulk.analyze(self.engine)
        return result

    @translated
    def export_cases(self, write: Callable[[str], object]) -> ExportResult:
        """Write every procedure and case as JSONL (``write`` gets each line);
        :meth:`import_cases` reads it back. Erased cases and cases of history
        format 1 cannot be replayed and are left out (named in the result)."""
        if not callable(write):
            raise InvalidArgument(
                parameter="export_cases(write)", value=write, expected="a callable"
            )
        return _transfer.export_lines(self, write)

    def _replayed(
        self, stored: Case | None, case: Case, *, historical: bool = False
    ) -> None:
        """Raise :class:`UntrustedCase` unless the engine produces ``case`` from ``stored``."""
        earliest = None
        if not historical:
            engine = self._engine_by_digest(case.procedure_digest)
            earliest = to_utc(self.clock.now()) - engine.future_tolerance
        replay(self._engine_by_digest, stored, case, earliest=earliest)

    def _engine_by_digest(self, digest: str) -> Engine:
        engine = self._engines.get(digest)
        return engine if engine is not None else self._engine(self.procedure(digest))

    def _add_many(self, cases: Sequence[Case]) -> None:
        if not cases:
            return
        with self._write() as connection:
            for case in cases:
                self._ensure_procedure(connection, self._procedure_of(connection, case))
            try:
                connection.execute(
                    t.cases.insert(),
                    [
                        _rows.case_row(
                            c,
                            self._procedure_of(connection, c),
                            self._sealer,
                            self._org,
                        )
                        for c in cases
                    ],
                )
            except exc.IntegrityError as error:
                msg = "Een zaak met dit nummer staat al in de database."
                raise StorageError(
                    msg, hint="Gebruik save() voor een bestaande zaak."
                ) from error
            self._insert_details(connection, cases, after=0)
            _outbox.record(connection, cases, after=0, store=self)

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

    @translated
    def save(self, case: Case, *, expected_version: int) -> None:
        """Store a fired case that was read at ``expected_version``.

        Raises :class:`ConcurrentUpdate` when another writer saved first;
        then nothing is written. The new events must be what the engine
        produces from the stored case (:class:`UntrustedCase` otherwise), and
        the stored case must verify (:class:`HistoryTampered` otherwise).
        """
        _arguments.case("save(case)", case)
        check_int("save(expected_version)", expected_version, minimum=1)
        with self._write() as connection:
            stored, _ = self._current(connection, case.id)
            if stored.version != expected_version:
                raise ConcurrentUpdate(
                    case.id,
                    expected_version=expected_version,
                    actual_version=stored.version,
                )
            self._replayed(stored, case)
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
            saved = save_on_driver(
                connection.connection,
                self._sql.driver,
                self._sql.case_columns,
                case=case,
                procedure=procedure,
                expected_version=expected_version,
                personal_rev=personal_rev,
                sealer=self._sealer,
                organisation=self._org,
            )
            if not saved:
                self._refuse_save(connection, case.id, expected_version, personal_rev)
            _outbox.record(connection, [case], after=expected_version, store=self)
            return
        row = _rows.case_row(case, procedure, self._sealer, self._org)
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
            write_deadlines(connection, self._sql, case, touched)
        _outbox.record(connection, [case], after=expected_version, store=self)

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

    @translated
    def fire(
        self,
        case: Case | str | None = None,
        action: str | None = None,
        *,
        actor: Actor,
        **kwargs: Any,
    ) -> Case:
        """Load, fire and save in one transaction; returns the new case.

        ``case`` is the :class:`Case` as the caller last saw it (as for
        ``Engine.fire``) or its id. Raises what ``Engine.fire`` raises (nothing
        is written), or :class:`ConcurrentUpdate` when another writer saved in
        between, or, when a :class:`Case` is given, when the stored case is no
        longer at that case's version: the decision to act was made on what the
        caller saw. ``case_id=`` is the deprecated keyword for ``case``, until 0.3.0.

        A case this store read or wrote before is fired from its cache and
        saved only if its version and personal data are still the ones cached
        (one guarded UPDATE, no read); otherwise, and for every refusal, the
        case is loaded and fired again, so a decision never rests on stale data.
        """
        if "case_id" in kwargs:
            case = _renamed.renamed(
                "fire",
                {"case_id": kwargs.pop("case_id")},
                {"case": case},
                stacklevel=4,
            )["case"]
        case_id, seen = _case_or_id("fire(case)", case)
        action = check_name("fire(action)", action)
        kwargs = _arguments.renamed_keywords("fire", kwargs, _arguments.FIRE_KEYWORDS)
        cached = self._cache.get(case_id)
        if cached is not None and seen in (None, cached[0][0]):
            fired = self._fire_cached(cached, action, actor, kwargs)
            if fired is not None:
                return fired
        if self.engine.dialect.name == "postgresql":
            return self._fire_loaded(case_id, action, actor, kwargs, seen)
        with self._write() as connection:
            stored, personal_rev = self._current(connection, case_id)
            _still_seen(stored, seen)
            fired = self._engine(
                self._fetch_procedure(connection, stored.procedure_digest)
            ).fire(stored, action, actor=actor, **kwargs)
            self._save(connection, fired, stored.version)
        self._cache.put(fired, personal_rev)
        return fired

    def _fire_loaded(
        self,
        case_id: str,
        action: str,
        actor: Actor,
        kwargs: dict[str, Any],
        seen: int | None,
    ) -> Case:
        """PostgreSQL: read the case from one snapshot, fire, save in one statement.

        The save is guarded by the version and personal_rev that were read, so
        a writer in between makes it a :class:`ConcurrentUpdate`, as in one
        transaction, without holding a transaction open around the engine.
        """
        # One statement reads one snapshot: no transaction needed around it.
        with self._autocommit() as connection:
            case, personal_rev = self._current(connection, case_id)
            _still_seen(case, seen)
            engine = self._engine(
                self._fetch_procedure(connection, case.procedure_digest)
            )
        fired = engine.fire(case, action, actor=actor, **kwargs)
        try:
            if not self._fast_save(fired, case.version, personal_rev):
                with self._write() as connection:
                    self._save(connection, fired, case.version)
        except _StaleCache:
            self._cache.drop(case_id)
            with self._read() as connection:
                stamp = connection.execute(
                    self._sql.stamp, {"case_id": case_id}
                ).first()
            if stamp is None:
                raise CaseNotFound(case_id) from None
            raise ConcurrentUpdate(
                case_id, expected_version=case.version, actual_version=int(stamp[0])
            ) from None
        self._cache.put(fired, personal_rev)
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
            if not self._fast_save(fired, version, personal_rev):
                with self._write() as connection:
                    self._save(connection, fired, version, personal_rev=personal_rev)
        except _StaleCache:
            self._cache.drop(case.id)
            return None
        self._cache.put(fired, personal_rev)
        return fired

    def _fast_save(self, case: Case, expected_version: int, personal_rev: int) -> bool:
        """Save with the backend's fast path; False when only the general save can.

        SQLite: on a pooled driver connection; PostgreSQL: one statement in
        autocommit. Raises :class:`_StaleCache` (nothing written) when the
        stored case is no longer at ``expected_version`` / ``personal_rev``.
        """
        procedure = self._procedures.get(case.procedure_digest)
        touched = {name for e in case.history[expected_version:] for name in e.terms}
        if procedure is None or touched - set(case.clocks) or self.outbox:
            return False  # procedure not stored, a migration dropped terms, or outbox
        dialect = self.engine.dialect.name
        if dialect == "sqlite":
            saved = save_in_own_transaction(
                self.engine,
                self._sql.driver,
                self._sql.case_columns,
                case,
                procedure,
                expected_version,
                personal_rev,
                self._sealer,
                organisation=self._org,
            )
        elif dialect == "postgresql":
            with self._autocommit() as connection:
                saved = save_in_one_statement(
                    connection,
                    case=case,
                    procedure=procedure,
                    expected_version=expected_version,
                    personal_rev=personal_rev,
                    sealer=self._sealer,
                    organisation=self._org,
                )
        else:
            return False
        if not saved:
            raise _StaleCache
        return True

    # ------------------------------------------------------------------ reading

    @translated
    def get(self, case_id: str) -> Case:
        """The case as stored; :class:`CaseNotFound` if there is none.

        Every load is verified (hash chain under the store's key, the case row
        against its events, the deadline rows against the clocks, erased parts
        against the removal records): rows that do not verify raise
        :class:`HistoryTampered`. :meth:`inspect` reads such a case anyway.
        """
        check_name("get(case_id)", case_id)
        with self._read() as connection:
            return self._current(connection, case_id)[0]

    @translated
    def inspect(self, case_id: str) -> tuple[Case | None, IntegrityReport]:
        """A forensic read: the case as stored (None if unreadable) and what
        does not verify, without raising for tampering."""
        check_name("inspect(case_id)", case_id)
        with self._read() as connection:
            return self._inspect(connection, case_id)

    def _inspect(
        self, connection: Connection, case_id: str
    ) -> tuple[Case | None, IntegrityReport]:
        rows = self._rows_of(connection, case_id, scoped=self._scope is not None)
        return _integrity.inspect_rows(
            connection,
            rows,
            engine_for=lambda digest: self._engine(
                self._fetch_procedure(connection, digest)
            ),
            sealer=self._sealer,
            legacy_history=self.legacy_history,
        )

    def _current(self, connection: Connection, case_id: str) -> tuple[Case, int]:
        """The stored case and its personal_rev, from the cache when still current."""
        cached = self._cache.get(case_id)
        if cached is None:
            case, personal_rev = self._load(connection, case_id)
            self._cache.put(case, personal_rev)
            return case, personal_rev
        stamp = connection.execute(self._sql.stamp, {"case_id": case_id}).first()
        if stamp is None:
            self._cache.drop(case_id)
            raise CaseNotFound(case_id)
        version, personal_rev = int(stamp[0]), int(stamp[1])
        if cached[0] == (version, personal_rev):
            return cached[1], personal_rev
        case, personal_rev = self._load(connection, case_id)
        self._cache.put(case, personal_rev)
        return case, personal_rev

    def _rows_of(
        self, connection: Connection, case_id: str, *, scoped: bool = True
    ) -> _integrity.CaseRows:
        """The stored rows of a case (one query on PostgreSQL, else three);
        ``scoped``: only a case of this store's organisation."""
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
        if scoped and (row.get("organisation") or DEFAULT) != self._org:
            raise CaseNotInOrganisation(case_id, self._org)
        return _integrity.CaseRows(case_id, row, events, deadlines)

    def _rows_in(
        self, connection: Connection, case_ids: Sequence[str]
    ) -> dict[str, _integrity.CaseRows]:
        """The stored rows of the cases ``case_ids`` that exist (of this store's
        organisation when scoped), read a table at a time: as :meth:`_rows_of`
        gives them, with the party index."""
        key = {"case_ids": list(case_ids)}
        rows = {
            row["id"]: row
            for row in connection.execute(self._sql.load_cases_in, key).mappings()
        }
        events = _skeleton.grouped_by_case_rows(
            connection.execute(self._sql.load_events_in, key).mappings()
        )
        deadlines = _skeleton.grouped_by_case_rows(
            connection.execute(self._sql.load_deadlines_in, key).mappings()
        )
        parties: dict[str, set[tuple[str, str]]] = {}
        for case_id, role, person in connection.execute(self._sql.load_parties_in, key):
            parties.setdefault(case_id, set()).add((role, person))
        scoped = self._scope is not None
        return {
            case_id: _integrity.CaseRows(
                case_id,
                row,
                events.get(case_id, []),
                deadlines.get(case_id, []),
                frozenset(parties.get(case_id, ())),
            )
            for case_id, row in rows.items()
            if not scoped or (row.get("organisation") or DEFAULT) == self._org
        }

    def _load(self, connection: Connection, case_id: str) -> tuple[Case, int]:
        """The stored case and its personal_rev, verified."""
        rows = self._rows_of(connection, case_id)
        case, report = _integrity.inspect_rows(
            connection,
            rows,
            engine_for=lambda digest: self._engine(
                self._fetch_procedure(connection, digest)
            ),
            sealer=self._sealer,
            legacy_history=self.legacy_history,
        )
        if case is None or not report.valid:
            raise HistoryTampered(case_id, report.problems)
        return case, int(rows.case["personal_rev"])

    @translated
    def history(self, case_id: str) -> tuple[Event, ...]:
        """The events of a case, oldest first."""
        check_name("history(case_id)", case_id)
        return self.get(case_id).history

    @translated
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
        party = _arguments.find(status=status, party=party, category=category, opened_from=opened_from, opened_until=opened_until, open_only=open_only, limit_=limit)  # fmt: skip
        with self._read() as connection:
            return _queries.find(
                connection,
                status=status,
                party=party,
                category=category,
                opened_from=opened_from,
                opened_until=opened_until,
                open_only=open_only,
                limit=limit,
                organisation=self._org,
            )

    @translated
    def existing(self, case_ids: Sequence[str]) -> set[str]:
        """Which of ``case_ids`` are already stored."""
        if isinstance(case_ids, str) or not isinstance(case_ids, Sequence):
            raise InvalidArgument(
                parameter="existing(case_ids)", value=case_ids, expected="a list of ids"
            )
        for index, case_id in enumerate(case_ids):
            check_name(f"existing(case_ids)[{index}]", case_id)
        with self._read() as connection:
            return _queries.existing(connection, case_ids)

    @translated
    def statistics(self, on: dt.date) -> Statistics:
        """Anonymous figures over all cases (no personal data involved)."""
        check_date("statistics(on)", on)
        overdue = self.overdue(on)
        with self._read() as connection:
            return _queries.statistics(connection, overdue, self._org)

    @translated
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
        _arguments.period("skeletons", opened_from, opened_until)
        return list(
            self.iter_skeletons(opened_from=opened_from, opened_until=opened_until)
        )

    @translated
    def iter_skeletons(
        self,
        *,
        opened_from: dt.date | None = None,
        opened_until: dt.date | None = None,
    ) -> Iterator[Skeleton]:
        """:meth:`skeletons` one at a time, read in chunks: memory stays flat."""
        _arguments.period("iter_skeletons", opened_from, opened_until)
        with self._read() as connection:
            yield from _skeleton.skeletons(
                connection,
                lambda digest: self._engine(self._fetch_procedure(connection, digest)),
                opened_from=opened_from,
                opened_until=opened_until,
                organisation=self._org,
            )

    @translated
    def checked_skeletons(
        self,
        *,
        opened_from: dt.date | None = None,
        opened_until: dt.date | None = None,
        measure_fields: Sequence[str] = (),
        full: bool = False,
    ) -> Iterator[CheckedSkeleton]:
        """What reports count of each case opened in the period, checked, streamed.

        One read transaction, a chunk of cases at a time (memory stays flat).
        A case is read through the sealed summary of its row (schema 0007)
        when that verifies; every other case (no summary, erased data, a row
        that is not the newest, or every case with ``full=True``) is
        inspected in full, as on load (see :mod:`klachtflow.storage._stream`).
        A case whose rows do not verify comes with its ``problems``.
        ``measures`` tells whether any of ``measure_fields`` is filled in.
        """
        _arguments.period("checked_skeletons", opened_from, opened_until)
        _arguments.flag("checked_skeletons(full)", full)
        check_names("checked_skeletons(measure_fields)", measure_fields)
        with self._read() as connection:

            def summary_of(case: Case, row: Mapping[Any, Any]) -> ReportSummary:
                # The registration columns, which the inspection checked
                # against the case data (or, once erased, the removal record).
                procedure = self._fetch_procedure(connection, case.procedure_digest)
                return attrs.evolve(
                    report_summary(case, procedure),
                    registration={
                        name: row[column]
                        for name, column in _stream.REGISTRATION.items()
                    },
                )

            yield from _stream.checked_skeletons(
                connection,
                inspect_many=lambda ids: self._inspect_many(connection, ids),
                summary_of=summary_of,
                sealer=self._sealer,
                opened_from=opened_from,
                opened_until=opened_until,
                measure_fields=measure_fields,
                organisation=self._org,
                full=full,
            )

    def _inspect_many(
        self, connection: Connection, case_ids: list[str]
    ) -> dict[str, tuple[Case | None, IntegrityReport]]:
        """Each of ``case_ids`` that exists, inspected in full (as :meth:`inspect`),
        its rows read a chunk at a time."""
        rows = self._rows_in(connection, case_ids)
        return {
            case_id: _integrity.inspect_rows(
                connection,
                rows[case_id],
                engine_for=lambda digest: self._engine(
                    self._fetch_procedure(connection, digest)
                ),
                sealer=self._sealer,
                legacy_history=self.legacy_history,
            )
            for case_id in case_ids
            if case_id in rows
        }

    @translated
    def iter_inspected(
        self,
        *,
        opened_from: dt.date | None = None,
        opened_until: dt.date | None = None,
        id_from: str | None = None,
        id_before: str | None = None,
    ) -> Iterator[tuple[str, Case | None, IntegrityReport]]:
        """Every case opened in the period, by id, inspected (as :meth:`inspect`).

        One read transaction (one snapshot) for all, the ids streamed a chunk
        at a time: memory stays flat however many cases there are. Audits
        use this; a case that does not verify comes with its problems.
        ``id_from`` / ``id_before`` limit it to the ids from the one and
        before the other, in code-point order (an audit split over processes).
        """
        _arguments.period("iter_inspected", opened_from, opened_until)
        check_text("iter_inspected(id_from)", id_from, optional=True)
        check_text("iter_inspected(id_before)", id_before, optional=True)
        with self._read() as connection:
            ids = _stream.case_ids(
                connection,
                opened_from=opened_from,
                opened_until=opened_until,
                organisation=self._org,
                id_from=id_from,
                id_before=id_before,
            )
            while chunk := list(itertools.islice(ids, _stream.CHUNK)):
                inspected = self._inspect_many(connection, chunk)
                for case_id in chunk:
                    if case_id not in inspected:
                        continue  # pragma: no cover - one snapshot: not removed meanwhile
                    case, report = inspected.pop(case_id)
                    yield case_id, case, report

    def _id_boundaries(
        self,
        *,
        opened_from: dt.date | None,
        opened_until: dt.date | None,
        parts: int,
        least: int,
    ) -> list[str]:
        """Ids that split the period's cases into ``parts`` ranges (see
        :func:`klachtflow.storage._stream.id_boundaries`)."""
        with self._read() as connection:
            return _stream.id_boundaries(
                connection,
                opened_from=opened_from,
                opened_until=opened_until,
                organisation=self._org,
                parts=parts,
                least=least,
            )

    @translated
    def filled(
        self,
        fields: Sequence[str],
        *,
        opened_from: dt.date | None = None,
        opened_until: dt.date | None = None,
    ) -> set[str]:
        """Ids of cases opened in the period with any of ``fields`` filled in."""
        check_names("filled(fields)", fields)
        _arguments.period("filled", opened_from, opened_until)
        with self._read() as connection:
            return _skeleton.filled_fields(
                connection,
                fields,
                opened_from=opened_from,
                opened_until=opened_until,
                organisation=self._org,
            )

    @translated
    def count(self) -> int:
        """The number of cases in the store."""
        with self._read() as connection:
            return _queries.count(connection, self._org)

    # ------------------------------------------------------------------ deadlines

    def _deadlines(self, where: Any, *, limit: int | None = None) -> list[DueDeadline]:
        with self._read() as connection:
            return _queries.deadlines(
                connection, where, limit=limit, organisation=self._org
            )

    @translated
    def due(
        self, on: dt.date, *, within: int = 0, limit: int | None = None
    ) -> list[DueDeadline]:
        """Open deadlines due from ``on`` up to ``within`` days after it."""
        check_date("due(on)", on)
        check_int("due(within)", within, maximum=36_500)
        _arguments.limit("due(limit)", limit)
        until = on + dt.timedelta(days=within)
        return self._deadlines(t.deadlines.c.due.between(on, until), limit=limit)

    @translated
    def overdue(self, on: dt.date, *, limit: int | None = None) -> list[DueDeadline]:
        """Open deadlines whose due date lies before ``on``."""
        check_date("overdue(on)", on)
        _arguments.limit("overdue(limit)", limit)
        return self._deadlines(t.deadlines.c.due < on, limit=limit)

    @translated
    def warnings(
        self,
        on: dt.date,
        *,
        role: str | None = None,
        limit: int | None = None,
    ) -> list[DueWarning]:
        """Running deadlines whose warning period (``waarschuwing``) has begun on ``on``.

        With ``role``, only the warnings addressed to that role
        (``waarschuwing_aan``); each :class:`DueWarning` names its roles.
        """
        check_date("warnings(on)", on)
        if role is not None:
            check_name("warnings(role)", role)
        _arguments.limit("warnings(limit)", limit)
        with self._read() as connection:
            return _warnings.due_warnings(
                connection,
                on,
                procedure=lambda digest: self._fetch_procedure(connection, digest),
                atw=self.atw,
                role=role,
                limit=limit,
                organisation=self._org,
            )

    @translated
    def claim_due(
        self,
        on: dt.date,
        *,
        worker: str,
        limit: int = 100,
        lease: dt.timedelta = DEFAULT_LEASE,
    ) -> list[Claim]:
        """Hand up to ``limit`` deadlines due on or before ``on`` to ``worker``, each
        for ``lease`` (by the store's clock).

        A deadline is claimable while it is open and running, nobody holds a
        claim on it whose lease still runs, and nobody completed its reminder
        for this due date. However many workers claim at once, a deadline goes
        to one of them at a time. The worker then calls :meth:`complete_claim`
        after sending the reminder (that due date is never handed out again)
        or :meth:`release_claim` to give it back; a worker that does neither
        (it died, it hangs) loses the claim when the lease runs out, and the
        next claim hands the deadline out again as the next ``attempt``.

        Delivery is **at least once**: a worker that dies after sending but
        before completing causes a second delivery. Each :class:`Claim` has
        an idempotency ``key`` that is the same for every attempt at the same
        due date; the receiver drops a key it has seen. A new due date (an
        extension) frees the claim and is a new key.
        """
        check_date("claim_due(on)", on)
        check_name("claim_due(worker)", worker)
        _arguments.limit("claim_due(limit)", limit, optional=False)
        _arguments.lease("claim_due(lease)", lease)
        with self._write() as connection:
            return _queries.claim(
                connection,
                on,
                worker=worker,
                limit=limit,
                now=to_utc(self.clock.now()),
                lease=lease,
                organisation=self._org,
            )

    @translated
    def complete_claim(self, claim: Claim) -> None:
        """Record that the reminder of ``claim`` was sent: its due date is done.

        Raises :class:`ClaimLost` when another worker claimed the deadline
        since (the lease ran out), the claim was completed or released, or the
        due date changed; nothing is written then. Completing after the lease
        ran out is accepted while no other worker has claimed it.
        """
        check_instance("complete_claim(claim)", claim, Claim, "a Claim from claim_due")
        with self._write() as connection:
            _queries.complete(connection, claim)

    @translated
    def renew_claim(
        self, claim: Claim, *, lease: dt.timedelta = DEFAULT_LEASE
    ) -> Claim:
        """Extend ``claim`` to ``lease`` from now (a heartbeat for long work); the
        renewed claim. Raises :class:`ClaimLost` as :meth:`complete_claim` does.
        """
        check_instance("renew_claim(claim)", claim, Claim, "a Claim from claim_due")
        _arguments.lease("renew_claim(lease)", lease)
        with self._write() as connection:
            return _queries.renew(
                connection, claim, now=to_utc(self.clock.now()), lease=lease
            )

    @translated
    def release_claim(self, claim: Claim) -> None:
        """Give ``claim`` back unsent: the deadline is claimable again at once.

        Raises :class:`ClaimLost` as :meth:`complete_claim` does.
        """
        check_instance("release_claim(claim)", claim, Claim, "a Claim from claim_due")
        with self._write() as connection:
            _queries.release(connection, claim)

    # ------------------------------------------------------------------ integrity

    @translated
    def checkpoint(self) -> Checkpoint:
        """Anchor every event and removal written since the last checkpoint.

        Run it regularly (e.g. daily, or ``klachtflow verifieer --ankerpunt``)
        and keep what it returns outside the database (``Checkpoint.as_json``):
        then a truncated, deleted or rewritten history is detected even by
        someone who holds the database and the key.
        """
        with self._write() as connection:
            return _anchor.make_checkpoint(
                connection, self._sealer, to_utc(self.clock.now())
            )

    @translated
    def checkpoints(self) -> list[Checkpoint]:
        """Every checkpoint stored, oldest first."""
        with self._read() as connection:
            return _anchor._stored(connection)

    @translated
    def unsummarised(self) -> int:
        """How many case rows have no report summary yet (see :meth:`summarise`)."""
        with self._read() as connection:
            return _summaries.count(connection, self._scope_id)

    @translated
    def summarise(self, *, batch: int = 500) -> SummaryResult:
        """Give every case row without a report summary its sealed summary.

        Rows stored before schema 0007 have none until their case is saved
        again; a report checks those the full way (every event), which is
        correct but slower. Each case is verified first (as :meth:`inspect`):
        one that does not verify gets no summary and is named in
        ``unverified``. ``batch`` cases per transaction; a case fired on in
        between keeps the summary that fire wrote. Idempotent.
        """
        _arguments.limit("summarise(batch)", batch, optional=False)
        with self._read() as connection:
            ids = _summaries.missing(connection, self._scope_id)
        done = 0
        unverified: list[str] = []
        for start in range(0, len(ids), batch):
            with self._write() as connection:
                chunk = ids[start : start + batch]
                inspected = self._inspect_many(connection, chunk)
                for case_id in chunk:
                    if case_id not in inspected:
                        continue  # removed since the list was read
                    case, report = inspected[case_id]
                    if case is None or not report.valid:
                        unverified.append(case_id)
                        continue
                    procedure = self._fetch_procedure(connection, case.procedure_digest)
                    done += _summaries.write(connection, case, procedure, self._sealer)
        with self._read() as connection:
            left = _summaries.count(connection, self._scope_id)
        return SummaryResult(done, tuple(unverified), left - len(unverified))

    @translated
    def verify(self, *, anchors: Iterable[Checkpoint] = ()) -> StoreReport:
        """Check every case (as :meth:`inspect`) and every checkpoint.

        ``anchors`` are checkpoints kept outside the database; each must still
        be in it, unchanged. One broken case never stops the others.
        """
        problems: list[IntegrityReport] = []
        legacy = erased = count = 0
        with self._read() as connection:
            ids = [
                r[0]
                for r in connection.execute(
                    _organisations.of_cases(
                        sa.select(t.cases.c.id), self._scope_id
                    ).order_by(t.cases.c.id)
                )
            ]
        for start in range(0, len(ids), 500):
            with self._read() as connection:
                for case_id in ids[start : start + 500]:
                    try:
                        _, report = self._inspect(connection, case_id)
                    except CaseNotFound:
                        continue  # removed since the list was read
                    count += 1
                    legacy += bool(report.legacy)
                    erased += bool(report.erased)
                    if not report.valid:
                        problems.append(report)
        with self._read() as connection:
            anchor_problems, stored = _anchor.verify_checkpoints(
                connection, self._sealer, anchors
            )
            loose = _anchor.unanchored(connection)
        return StoreReport(
            cases=count,
            problems=tuple(problems),
            anchor_problems=tuple(anchor_problems),
            checkpoints=stored,
            unanchored_events=loose,
            keyed=self._sealer.keyed,
            legacy_cases=legacy,
            erased_cases=erased,
        )

    # ------------------------------------------------------------------ retention, AVG

    @translated
    def purge(self, on: dt.date, *, dry_run: bool = False) -> list[Removal]:
        """Remove personal data of cases whose retention (bewaartermijn) passed by ``on``.

        The skeleton stays (dates, states, category, result, events without
        actor, reason or data) so reports stay right; each removal is recorded
        and sealed, and the case still verifies. With ``dry_run`` nothing is
        removed and the would-be removals return. On SQLite the freed pages are
        overwritten and the write-ahead log emptied afterwards.
        """
        check_date("purge(on)", on)
        check_bool("purge(dry_run)", dry_run)
        with self._write() as connection:
            found = _retention.purge(
                connection,
                self._sealer,
                on,
                dry_run=dry_run,
                verify=self._verifier(connection),
                organisation=self._scope_id,
            )
        if found and not dry_run:
            self._scrub()
        return found

    @translated
    def erase_person(
        self,
        person_id: str,
        *,
        on: dt.date | None = None,
        ground: ErasureGround | None = None,
        **renamed: Any,
    ) -> list[Removal]:
        """Honour an erasure request (AVG art 17) for ``person_id``.

        Cases where the person is a party lose all personal data (skeleton
        kept); everywhere else the person's id (as actor, or in a data field
        that holds exactly that id) is replaced. The id becomes a stable
        pseudonym, so Awb 9:7 still recognises the person. Each removal is
        recorded and sealed; the case still verifies and says it was erased.

        A case still being handled is refused (:class:`ErasureRefused`, AVG
        art 17 lid 3 onder b) unless ``ground`` names why it must go anyway
        (``grond`` is its deprecated name, until 0.3.0).
        🔶 Whether the Archiefwet term allows erasure of a closed case is for
        the host to decide before calling this. On SQLite the freed pages are
        overwritten and the write-ahead log emptied afterwards.
        """
        if renamed:
            ground = _renamed.renamed(
                "erase_person", renamed, {"ground": ground}, stacklevel=4
            )["ground"]
        person_id = check_person("erase_person(person_id)", person_id)
        check_date("erase_person(on)", on, optional=True)
        if ground is not None and not isinstance(ground, ErasureGround):
            raise InvalidArgument(
                parameter="erase_person(ground)",
                value=ground,
                expected="an ErasureGround (AVG art 17 lid 1) or None",
            )
        day = on or legal_date(self.clock.now())
        with self._write() as connection:
            found = _retention.erase_person(
                connection,
                self._sealer,
                person_id,
                day,
                ground=ground,
                text_fields=self._text_fields(connection),
                verify=self._verifier(connection),
                organisation=self._scope_id,
            )
            _outbox.record_erasure(connection, [r.case_id for r in found], store=self)
        for removal in found:
            self._cache.drop(removal.case_id)
        if found:
            self._scrub()
        return found

    def _verifier(self, connection: Connection) -> Callable[[list[str]], None]:
        """A check that refuses to erase or purge cases whose rows do not verify
        (their dates or parties could have been edited to steer the removal)."""

        def check(case_ids: list[str]) -> None:
            for case_id in case_ids:
                case, report = self._inspect(connection, case_id)
                if case is None or not report.valid:
                    raise HistoryTampered(case_id, report.problems)

        return check

    def _text_fields(self, connection: Connection) -> Callable[[str], frozenset[str]]:
        """For a case, the names of its procedure's free-text data fields."""

        def fields(case_id: str) -> frozenset[str]:
            digest = connection.execute(
                sa.select(t.cases.c.procedure_digest).where(t.cases.c.id == case_id)
            ).scalar_one()
            procedure = self._fetch_procedure(connection, digest)
            return frozenset(
                name
                for name, field in procedure.fields.items()
                if field.type is FieldType.TEKST
            )

        return fields

    def _scrub(self) -> None:
        """SQLite: move the write-ahead log into the file and empty it, so erased
        values (already overwritten by ``secure_delete``) leave the disk."""
        if self.engine.dialect.name != "sqlite":
            return
        with self.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    @translated
    def removals(self, case_id: str | None = None) -> list[Removal]:
        """The record of what was removed (all, or for one case)."""
        check_name("removals(case_id)", case_id, optional=True)
        with self._read() as connection:
            return _retention.removals(connection, case_id, self._scope_id)

    # ------------------------------------------------------------------ batch start

    @translated
    def start_many(
        self,
        procedure: Procedure,
        items: Sequence[Mapping[str, Any]],
        *,
        actor: Actor,
    ) -> list[Case]:
        """``Engine.start_many`` and storing the cases, in ONE transaction.

        All or nothing: an item that cannot start raises
        :class:`~klachtflow.exceptions.BatchItemRefused` (with its ``index``)
        before anything is written; a case number already in the database
        raises :class:`StorageError` and nothing of the batch is stored.
        """
        _arguments.procedure("start_many(procedure)", procedure)
        self._may_start("start_many(procedure)", procedure.name)
        cases = self.engine_for(procedure).start_many(items, actor=actor)
        self._add_many(cases)
        return cases
