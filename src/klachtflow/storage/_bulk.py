"""Bulk import of historical cases (JSONL, :mod:`klachtflow.storage._transfer`).

Every case is replayed through the engine (``engine._replay``: one door, the
seal of every event included) and must lead to what its line says; only then
are its rows built. Where the time goes and what was cut (bench/bench_import.py):

- the replay itself (the engine's decisions, terms, hashes) is most of it and
  is not shortened; with ``workers > 1`` it runs in that many processes, which
  only verify and build rows: the writing stays in the calling process, in
  line order, so the transaction rules below are the same for any ``workers``;
- the rows go to the database without SQLAlchemy's per-row execution
  machinery: ``executemany`` on SQLite's driver (with SQLAlchemy's own type
  processing, :class:`DriverStatement`) and ``COPY`` on PostgreSQL, one
  transaction per batch.

Transactions: lines are taken in batches (``batch_size``). A batch is written
in one transaction, and only if none of its lines is refused; otherwise
nothing of it is written and the import stops, saying which lines were
refused and up to which line everything is settled (``committed_through``).
With ``keep_going`` refused lines are left out and the rest of each batch is
written. With ``atomic`` the whole file is one transaction: one refused line
and nothing is written. A case already stored with the same history (the same
newest hash, or the stored case fired on since) is skipped as ``present``, so
an interrupted import can simply be run again; one stored with another
history is refused (:class:`ImportConflict`).
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import multiprocessing
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING, Any

import attrs
import sqlalchemy as sa
from sqlalchemy import Connection
from sqlalchemy.dialects import sqlite

from klachtflow.definition import Procedure, loads_procedure
from klachtflow.engine import Case, Conditions, Engine
from klachtflow.engine._replay import replay_events
from klachtflow.engine._seal import Sealer, compiled_encoder
from klachtflow.engine.case import GENESIS, json_value
from klachtflow.exceptions import (
    ImportConflict,
    ImportLineInvalid,
    KlachtflowError,
    ProcedureNotForOrganisation,
    UntrustedCase,
)
from klachtflow.rules.calendar import AtwCalendar
from klachtflow.rules.clock import Clock
from klachtflow.storage import _rows
from klachtflow.storage import schema as t
from klachtflow.storage._collector import GC_THRESHOLDS
from klachtflow.storage._statements import DriverStatement
from klachtflow.storage._transfer import CASE, PROCEDURE, head_of, parse_case
from klachtflow.storage.results import ImportRefusal, ImportResult

if TYPE_CHECKING:
    from klachtflow.storage.sql import SqlStore

__all__ = ["Settings", "import_lines"]

#: The tables a new case fills, in insert order (foreign keys first).
_TABLES = (
    t.cases,
    t.case_personal,
    t.case_parties,
    t.events,
    t.event_personal,
    t.deadlines,
)


#: ``json.dumps`` (the text SQLAlchemy's JSON type writes), its C encoder made once.
_JSON = compiled_encoder(json.JSONEncoder())


@attrs.frozen
class Settings:
    """What a verifying process needs to build the store's engines."""

    conditions: Conditions
    clock: Clock
    atw: AtwCalendar
    sealer: Sealer
    backdating: dt.timedelta | None
    dialect: str
    #: The organisation the cases are stored in ("" the default organisation).
    organisation: str = ""
    #: The procedures a scoped store may start cases on (None: any).
    procedures: frozenset[str] | None = None


@attrs.frozen
class _Verified:
    line: int
    case_id: str
    #: Per table of :data:`_TABLES`: its rows as driver-ready tuples.
    rows: tuple[list[tuple[Any, ...]], ...]
    case: Case | None  # kept only in-process (the outbox needs it)


@attrs.frozen
class _Pending:
    """A case line waiting for verification (or for an earlier line's fate)."""

    line: int
    text: str
    item: Mapping[str, Any]
    case_id: str
    version: int
    head: str
    #: The earlier line of this import with the same case id, if any.
    duplicate_of: int | None = None


class _Columns:
    """Per table and dialect: the columns a case's rows fill and how each value
    becomes what the driver takes (SQLAlchemy's bind processing for SQLite;
    JSON text for PostgreSQL's COPY)."""

    def __init__(self, dialect: str) -> None:
        self.dialect = dialect
        self.names: dict[str, list[str]] = {}
        self.sql: dict[str, str] = {}
        self._processors: dict[str, list[Any]] = {}

    def adopt(self, table: sa.Table, names: Sequence[str]) -> list[str]:
        """Fix the columns of ``table`` (in the order its rows are converted)."""
        if table.name in self.names:
            return self.names[table.name]
        statement = table.insert().values({n: sa.bindparam(n) for n in names})
        if self.dialect == "sqlite":
            driver = DriverStatement(statement, sqlite.dialect())
            ordered = [name for name, _ in driver.params]
            # SQLAlchemy's own processing, but JSON through one encoder made
            # once (the same text json.dumps writes, without its per-call setup).
            processors = [
                _JSON if isinstance(table.c[name].type, sa.JSON) else process
                for name, process in driver.params
            ]
            self.sql[table.name] = driver.sql
        else:
            ordered = list(names)
            processors = [
                _JSON
                if self.dialect == "postgresql" and isinstance(table.c[n].type, sa.JSON)
                else None
                for n in ordered
            ]
            self.sql[table.name] = (
                f"COPY {table.name} ({', '.join(ordered)}) FROM STDIN"
            )
        self.names[table.name] = ordered
        self._processors[table.name] = processors
        return ordered

    def convert(
        self, table: sa.Table, rows: Sequence[Mapping[str, Any]]
    ) -> list[tuple[Any, ...]]:
        if not rows:
            return []
        names = self.adopt(table, list(rows[0]))
        get = operator.itemgetter(*names)
        if len(names) == 1:  # pragma: no cover - every table has several columns
            return [(get(row),) for row in rows]
        fix = [(i, p) for i, p in enumerate(self._processors[table.name]) if p]
        if not fix:
            return [get(row) for row in rows]
        converted = []
        for row in rows:
            values = list(get(row))
            for i, process in fix:
                values[i] = process(values[i])
            converted.append(tuple(values))
        return converted


class _Verifier:
    """Replays case lines and builds their rows (in the store's process or a worker)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.texts: dict[str, str] = {}
        self.engines: dict[str, Engine] = {}
        self.columns = _Columns(settings.dialect)

    def learn(self, texts: Mapping[str, str]) -> None:
        for digest, text in texts.items():
            self.texts.setdefault(digest, text)

    def engine_for(self, digest: str) -> Engine:
        engine = self.engines.get(digest)
        if engine is None:
            text = self.texts.get(digest)
            if text is None:
                msg = f"procedure {digest} staat niet in de database of het bestand"
                raise ValueError(msg)
            s = self.settings
            engine = Engine(
                loads_procedure(text, source=f"<import {digest}>"),
                conditions=s.conditions,
                clock=s.clock,
                atw=s.atw,
                history_key=s.sealer,
                backdating=s.backdating,
            )
            self.engines[digest] = engine
        return engine

    def verify(
        self, line: int, source: str | Mapping[str, Any], *, keep_case: bool
    ) -> _Verified | ImportRefusal:
        """Replay one case line (its text, or its JSON object) and build its rows."""
        case_id: str | None = None
        try:
            item = json.loads(source) if isinstance(source, str) else source
            parsed = parse_case(item, line)
            case_id = parsed.id
            if parsed.procedure_digest != parsed.history[0].procedure_digest:
                raise UntrustedCase(
                    case_id, ["procedure_digest is niet die van de eerste gebeurtenis"]
                )
            case = replay_events(
                self.engine_for, None, parsed.id, parsed.parties, parsed.history
            )
            _leads_to(parsed, case)
            allowed = self.settings.procedures
            if allowed is not None and case.procedure not in allowed:
                raise ProcedureNotForOrganisation(
                    self.settings.organisation, case.procedure, sorted(allowed)
                )
            return _Verified(
                line, case.id, self.rows(case), case if keep_case else None
            )
        except KlachtflowError as error:
            return ImportRefusal(line, case_id, error.code, error.message)
        except (TypeError, ValueError, KeyError, AttributeError) as error:
            # A value of a JSON type the engine does not expect: refused, not a crash.
            invalid = ImportLineInvalid(line, f"niet na te spelen ({error})")
            return ImportRefusal(line, case_id, invalid.code, invalid.message)

    def rows(self, case: Case) -> tuple[list[tuple[Any, ...]], ...]:
        procedure = self.engine_for(case.procedure_digest).procedure
        events, private = _rows.event_rows(case, 0)
        by_table = (
            [
                _rows.case_row(
                    case, procedure, self.settings.sealer, self.settings.organisation
                )
            ],
            [_rows.personal_row(case)],
            _rows.party_rows(case),
            events,
            private,
            _rows.deadline_rows(case),
        )
        return tuple(
            self.columns.convert(table, rows)
            for table, rows in zip(_TABLES, by_table, strict=True)
        )


def _leads_to(parsed: Any, case: Case) -> None:
    """What the line says the history leads to must be what the replay made."""
    problems = []
    if parsed.procedure_digest != case.procedure_digest:
        problems.append("procedure_digest")
    if parsed.state is not None and parsed.state != case.state:
        problems.append("state")
    if parsed.version is not None and parsed.version != case.version:
        problems.append("version")
    if parsed.has_result and parsed.result != case.result:
        problems.append("result")
    if parsed.data is not None and parsed.data != {
        k: json_value(v) for k, v in case.data.items()
    }:
        problems.append("data")
    if dict(parsed.parties) != dict(case.parties):
        problems.append("parties")
    if problems:
        raise UntrustedCase(
            case.id,
            [f"{name} volgt niet uit de gebeurtenissen" for name in problems],
        )


# --------------------------------------------------------------------------- workers
# A worker process holds one _Verifier, made by the initializer (fork: the
# settings are inherited, not pickled; other start methods pickle them).

_WORKER: list[_Verifier] = []


def _start_worker(settings: Settings) -> None:
    # A worker is klachtflow's own process: its collector is tuned for bulk work.
    gc.set_threshold(*GC_THRESHOLDS)
    _WORKER[:] = [_Verifier(settings)]


def _verify_chunk(
    texts: Mapping[str, str], items: list[tuple[int, str]]
) -> tuple[list[_Verified | ImportRefusal], dict[str, list[str]]]:
    """Verify case lines in a worker: the outcomes, and the column order of the rows."""
    verifier = _WORKER[0]
    verifier.learn(texts)
    outcomes = [verifier.verify(line, text, keep_case=False) for line, text in items]
    return outcomes, verifier.columns.names


# --------------------------------------------------------------------------- the import


@attrs.define
class _Tally:
    imported: int = 0
    present: int = 0
    procedures: int = 0
    refused: list[ImportRefusal] = attrs.Factory(list)
    committed_through: int = 0
    #: Case id -> (line, newest hash) of its first line in this import.
    seen: dict[str, tuple[int, str]] = attrs.Factory(dict)
    #: Lines whose case is in the store (imported or present).
    landed: set[int] = attrs.Factory(set)


def _read_batches(
    lines: Iterable[str], batch_size: int, start_line: int
) -> Iterator[list[tuple[int, str]]]:
    batch: list[tuple[int, str]] = []
    for number, text in enumerate(lines, 1):
        if number < start_line or not text.strip():
            continue
        batch.append((number, text))
        if len(batch) >= batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


@attrs.define
class _Batch:
    size: int
    last_line: int
    procedures: list[Procedure]
    pending: list[_Pending]
    refused: list[ImportRefusal]
    present: int = 0
    results: Any = None  # AsyncResults (workers) or a list of outcomes


def import_lines(
    store: SqlStore,
    settings: Settings,
    lines: Iterable[str],
    *,
    batch_size: int,
    workers: int,
    atomic: bool,
    keep_going: bool,
    start_line: int,
    progress: Callable[[int], None] | None,
) -> ImportResult:
    """Import JSONL ``lines`` into ``store``; see the module docstring."""
    tally = _Tally()
    local = _Verifier(settings)
    with store._read() as connection:
        local.learn(
            dict(
                connection.execute(
                    sa.select(t.procedures.c.digest, t.procedures.c.text)
                ).all()
            )
        )
    use_pool = workers > 1 and not store.outbox
    complete = True
    with ExitStack() as stack:
        pool = None
        if use_pool:
            pool = stack.enter_context(
                multiprocessing.get_context("fork").Pool(
                    workers, initializer=_start_worker, initargs=(settings,)
                )
            )
        outer = stack.enter_context(store._write()) if atomic else None
        previous: _Batch | None = None
        for raw in _read_batches(lines, batch_size, start_line):
            batch = _prepare(store, outer, local, tally, raw)
            _dispatch(batch, local, pool, workers)
            if previous is not None and not _finish(store, local, tally, previous, outer, keep_going=keep_going, progress=progress):  # fmt: skip
                complete = False
                previous = None
                break
            previous = batch
        if previous is not None and not _finish(store, local, tally, previous, outer, keep_going=keep_going, progress=progress):  # fmt: skip
            complete = False
        if outer is not None and not complete:
            outer.rollback()
            tally.imported = tally.present = tally.procedures = 0
            tally.committed_through = 0
        if pool is not None:
            # Reap the workers and the pool's threads now: a process that goes on
            # (a server, a test run) keeps no zombies or stray threads behind.
            pool.terminate()
            pool.join()
    return ImportResult(
        imported=tally.imported,
        present=tally.present,
        refused=tuple(sorted(tally.refused, key=lambda r: r.line)),
        procedures=tally.procedures,
        committed_through=tally.committed_through,
        complete=complete,
    )


def _prepare(
    store: SqlStore,
    outer: Connection | None,
    local: _Verifier,
    tally: _Tally,
    raw: list[tuple[int, str]],
) -> _Batch:
    """Read the lines of a batch: procedures learnt, malformed lines refused,
    cases already stored (or earlier in the file) sorted out."""
    batch = _Batch(len(raw), raw[-1][0], [], [], [])
    fresh: list[_Pending] = []
    for line, text in raw:
        try:
            item = json.loads(text)
        except ValueError as error:
            invalid = ImportLineInvalid(line, f"geen JSON ({error})")
            batch.refused.append(
                ImportRefusal(line, None, invalid.code, invalid.message)
            )
            continue
        kind = item.get("soort") if isinstance(item, dict) else None
        try:
            if kind == PROCEDURE:
                procedure = _procedure(item, line)
                local.learn({procedure.digest: procedure.text})
                batch.procedures.append(procedure)
                continue
            if kind != CASE:
                raise ImportLineInvalid(line, "'soort' is niet 'procedure' of 'zaak'")
            head = head_of(item)
            if head is None:
                parse_case(item, line)  # says what is wrong
                raise ImportLineInvalid(line, "de zaak heeft geen geschiedenis")
        except ImportLineInvalid as error:
            case_id = item.get("id") if isinstance(item, dict) else None
            batch.refused.append(
                ImportRefusal(
                    line,
                    case_id if isinstance(case_id, str) else None,
                    error.code,
                    error.message,
                )
            )
            continue
        case_id, version, newest = head
        earlier = tally.seen.get(case_id)
        pending = _Pending(
            line, text, item, case_id, version, newest, earlier[0] if earlier else None
        )
        if earlier is None:
            tally.seen[case_id] = (line, newest)
            fresh.append(pending)
        batch.pending.append(pending)
    stored = _stored_heads(store, outer, fresh)
    kept = []
    for pending in batch.pending:
        if pending.duplicate_of is None and pending.case_id in stored:
            refusal = _sealed(pending, local.settings.sealer)
            if refusal is not None:
                batch.refused.append(refusal)
            elif _same_history(store, outer, pending, stored[pending.case_id]):
                batch.present += 1
                tally.landed.add(pending.line)
            else:
                conflict = ImportConflict(pending.line, pending.case_id)
                batch.refused.append(
                    ImportRefusal(
                        pending.line, pending.case_id, conflict.code, conflict.message
                    )
                )
            continue
        kept.append(pending)
    batch.pending = kept
    return batch


def _procedure(item: Mapping[str, Any], line: int) -> Procedure:
    digest, text = item.get("digest"), item.get("tekst")
    if not isinstance(digest, str) or not isinstance(text, str):
        raise ImportLineInvalid(line, "een procedure heeft 'digest' en 'tekst'")
    try:
        procedure = loads_procedure(text, source=f"<regel {line}>")
    except KlachtflowError as error:
        raise ImportLineInvalid(
            line, f"de procedure is ongeldig: {error.message}"
        ) from None
    if procedure.digest != digest:
        raise ImportLineInvalid(line, "de digest is niet die van de tekst")
    return procedure


@contextmanager
def _reading(store: SqlStore, outer: Connection | None) -> Iterator[Connection]:
    """The whole-file transaction (atomic), else a read of its own."""
    if outer is not None:
        yield outer
        return
    with store._read() as connection:
        yield connection


#: An import of at least this many cases is followed by ``ANALYZE`` (PostgreSQL).
ANALYZE_AFTER = 1000


def analyze(engine: sa.Engine) -> None:
    """``ANALYZE`` the tables an import writes (PostgreSQL; nothing elsewhere).

    The planner then plans on the tables as they are now, not as they were
    before the import (nearly empty): without it, finding the deadlines due on
    a day among a million took 343 ms instead of 8 (bench/bench_store.py due).
    """
    if engine.dialect.name != "postgresql":
        return
    names = ", ".join(table.name for table in _TABLES)
    with engine.connect() as connection:
        connection.exec_driver_sql(f"ANALYZE {names}")
        connection.commit()


def _stored_heads(
    store: SqlStore, outer: Connection | None, pending: Sequence[_Pending]
) -> dict[str, tuple[int, str]]:
    if not pending:
        return {}
    ids = [p.case_id for p in pending]
    found: dict[str, tuple[int, str]] = {}
    with _reading(store, outer) as connection:
        for row in _heads_of(connection, ids):
            # A case of another organisation is never "already present" for this
            # one: it has no history here, so the line conflicts (ImportConflict).
            found[row[0]] = (int(row[1]), row[2]) if row[3] == store._org else (-1, "")
    return found


def _heads_of(connection: Connection, ids: list[str]) -> Iterator[Sequence[Any]]:
    """(id, version, head_hash, organisation) of the stored cases among ``ids``.

    On PostgreSQL one array parameter, never prepared on the server: psycopg
    prepares a statement after five runs, and the plan PostgreSQL then keeps
    for it was made while the table was nearly empty: a sequential scan, per
    batch, of a table the import keeps growing (40,000 cases took 43 s instead
    of 16). Planned per run, the lookup uses the primary key.
    """
    c = t.cases.c
    if connection.dialect.name == "postgresql":
        dbapi = connection.connection.dbapi_connection
        assert dbapi is not None  # noqa: S101 - inside an open connection
        cursor = dbapi.cursor()
        try:
            cursor.execute(  # type: ignore[call-arg]
                f"SELECT id, version, head_hash, organisation FROM {t.cases.name} "  # noqa: S608 - our own table name
                "WHERE id = ANY(%s)",
                [ids],
                prepare=False,
            )
            yield from cursor.fetchall()
        finally:
            cursor.close()
        return
    for start in range(0, len(ids), 500):
        yield from connection.execute(
            sa.select(c.id, c.version, c.head_hash, c.organisation).where(
                c.id.in_(ids[start : start + 500])
            )
        )


def _same_history(
    store: SqlStore,
    outer: Connection | None,
    pending: _Pending,
    stored: tuple[int, str],
) -> bool:
    """Whether the stored case has this line's newest hash (at the line's version:
    it may have been fired on since). With :func:`_sealed` that is its history."""
    version, head = stored
    if version == pending.version:
        return head == pending.head
    if version < pending.version:
        return False
    with _reading(store, outer) as connection:
        hash_then = connection.execute(
            sa.select(t.events.c.hash).where(
                t.events.c.case_id == pending.case_id, t.events.c.seq == pending.version
            )
        ).scalar()
    return bool(hash_then == pending.head)


def _sealed(pending: _Pending, sealer: Sealer) -> ImportRefusal | None:
    """Check a line that is not replayed (its case is already there) on its own:
    every event's seal and personal commitment recomputed, the chain linked.

    Then its newest hash stands for its whole history, and a line with an
    edited event is refused instead of counted as present.
    """
    try:
        parsed = parse_case(pending.item, pending.line)
        previous = GENESIS
        for number, event in enumerate(parsed.history, 1):
            if (
                event.seq != number
                or event.case_id != parsed.id
                or event.prev_hash != previous
                or event.format < 2
                or event.key_id != sealer.key_id
                or event.compute_hash(sealer) != event.hash
                or event.compute_personal(parsed.parties) != event.personal
            ):
                raise UntrustedCase(
                    parsed.id,
                    [f"gebeurtenis {number} ({event.action}) is niet zoals verzegeld"],
                )
            previous = event.hash
    except KlachtflowError as error:
        return ImportRefusal(pending.line, pending.case_id, error.code, error.message)
    return None


def _dispatch(batch: _Batch, local: _Verifier, pool: Any, workers: int) -> None:
    """Start verifying the batch's new cases (duplicates wait for their first line)."""
    new = [p for p in batch.pending if p.duplicate_of is None]
    if pool is None:
        batch.results = [local.verify(p.line, p.item, keep_case=True) for p in new]
        return
    todo = [(p.line, p.text) for p in new]
    size = max(1, -(-len(todo) // workers))
    batch.results = [
        pool.apply_async(_verify_chunk, (local.texts, todo[i : i + size]))
        for i in range(0, len(todo), size)
    ]


def _finish(
    store: SqlStore,
    local: _Verifier,
    tally: _Tally,
    batch: _Batch,
    outer: Connection | None,
    *,
    keep_going: bool,
    progress: Callable[[int], None] | None,
) -> bool:
    """Write a verified batch; False (nothing of it written) when it was refused."""
    outcomes: list[_Verified | ImportRefusal] = []
    if batch.results and not isinstance(batch.results[0], _Verified | ImportRefusal):
        for result in batch.results:
            chunk, names = result.get()
            outcomes += chunk
            for table in _TABLES:
                if table.name in names:
                    local.columns.adopt(table, names[table.name])
    else:
        outcomes = list(batch.results or [])
    refused = list(batch.refused)
    verified: list[_Verified] = []
    for outcome in outcomes:
        if isinstance(outcome, ImportRefusal):
            refused.append(outcome)
        else:
            verified.append(outcome)
    good = {v.line for v in verified}
    present = batch.present
    for pending in batch.pending:
        if pending.duplicate_of is None:
            continue
        first = pending.duplicate_of
        first_head = tally.seen.get(pending.case_id, (0, ""))[1]
        refusal = _sealed(pending, local.settings.sealer)
        if refusal is not None:
            refused.append(refusal)
        elif first in tally.landed or first in good:
            if first_head == pending.head:
                present += 1
            else:
                error = ImportConflict(pending.line, pending.case_id)
                refused.append(
                    ImportRefusal(
                        pending.line, pending.case_id, error.code, error.message
                    )
                )
        else:
            invalid = ImportLineInvalid(
                pending.line,
                f"zaak '{pending.case_id}' staat ook op regel {first}, die geweigerd is",
            )
            refused.append(
                ImportRefusal(
                    pending.line, pending.case_id, invalid.code, invalid.message
                )
            )
    tally.refused += refused
    if refused and not keep_going:
        return False
    if outer is not None:
        _write(store, local.columns, outer, batch.procedures, verified)
    else:
        with store._write() as connection:
            _write(store, local.columns, connection, batch.procedures, verified)
    tally.landed.update(good)
    tally.imported += len(verified)
    tally.present += present
    tally.procedures += len(batch.procedures)
    tally.committed_through = batch.last_line
    if progress is not None:
        progress(batch.size)
    return True


def _write(
    store: SqlStore,
    columns: _Columns,
    connection: Connection,
    procedures: Sequence[Procedure],
    verified: Sequence[_Verified],
) -> None:
    """The rows of verified cases, table by table, in the caller's transaction."""
    for procedure in procedures:
        store._ensure_procedure(connection, procedure)
    if not verified:
        return
    for index, table in enumerate(_TABLES):
        rows = [row for v in verified for row in v.rows[index]]
        if rows:
            _insert(connection, columns, table, rows)
    if store.outbox:
        from klachtflow.storage import _outbox  # noqa: PLC0415 - only with an outbox

        cases = [v.case for v in verified if v.case is not None]
        _outbox.record(connection, cases, after=0, store=store)


def _insert(
    connection: Connection,
    columns: _Columns,
    table: sa.Table,
    rows: list[tuple[Any, ...]],
) -> None:
    """Insert driver-ready rows: executemany (SQLite), COPY (PostgreSQL)."""
    dialect = connection.dialect.name
    if dialect not in ("sqlite", "postgresql"):
        names = columns.names[table.name]
        connection.execute(
            table.insert(), [dict(zip(names, r, strict=True)) for r in rows]
        )
        return
    dbapi = connection.connection.dbapi_connection
    assert dbapi is not None  # noqa: S101 - inside an open transaction
    cursor = dbapi.cursor()
    try:
        if dialect == "sqlite":
            cursor.executemany(columns.sql[table.name], rows)
        else:
            with cursor.copy(columns.sql[table.name]) as copy:
                for row in rows:
                    copy.write_row(row)
    finally:
        cursor.close()
