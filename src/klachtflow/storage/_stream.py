"""Streaming reads over many cases, for reports and audits: memory stays bounded.

The case rows are read through one cursor that fetches ``CHUNK`` rows at a
time (a server-side cursor on PostgreSQL, ``stream_results``; SQLite's cursor
is lazy), and per chunk the events and deadlines of just those cases. Nothing
holds more than a chunk.

A report counts the rows it reads, so it checks them first, cheaply, without
rebuilding every case (:func:`checked_skeletons`). A case row carries the
sealed report summary of its case (schema 0007): the report checks that seal
(over the case id, version, newest event and organisation), the row's opening
date against the summary, and the registration columns (categorie, domein,
aanbieder, kanaal) against the case data in SQL, in the same query, so that
only the fact that they differ leaves the database. A row without a summary
(stored before 0007), or every row with ``full=True``, is checked through its
history: every event's seal recomputed from its row under the store's key, the
chain, the sealed head of the case row, the status, result and version against
the events, and the term ledgers against the clocks digest of the newest event.
A case that does not pass (or has format-1 events, or erased data) is
inspected in full, as on load; what still does not verify is yielded with its
problems.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy import Connection

from klachtflow.engine._seal import FORMAT_TAG, Sealer, canonical, clocks_digest
from klachtflow.engine.case import GENESIS
from klachtflow.engine.lifecycle import ReportSummary, read_summary
from klachtflow.storage import _rows
from klachtflow.storage import schema as t
from klachtflow.storage._organisations import of_cases
from klachtflow.storage._skeleton import grouped_by_case
from klachtflow.storage.results import IntegrityReport

__all__ = ["CHUNK", "CheckedSkeleton", "case_chunks", "case_ids", "checked_skeletons"]

CHUNK = 1000

#: The registration columns a report breaks down by, and their data fields.
REGISTRATION = {
    "categorie": "category",
    "domein": "domain",
    "aanbieder": "provider",
    "kanaal": "channel",
}


@attrs.frozen
class CheckedSkeleton:
    """What a report reads of one case, after checking it.

    ``steps`` holds (from_state, to_state, legal_date) per event, oldest first;
    ``ledgers`` the term ledgers by term; ``measures`` whether any of the
    measure fields is filled in. ``problems`` is empty when the rows verify.
    ``summary`` is the case row's sealed summary when the case was read through
    it (``steps`` and ``ledgers`` are then empty); None when it was checked
    the full way.
    """

    case_id: str
    procedure_digest: str
    state: str
    result: str | None
    steps: tuple[tuple[str | None, str, dt.date], ...]
    ledgers: Mapping[str, Mapping[str, Any]]
    registration: Mapping[str, str | None]
    measures: bool = False
    problems: tuple[str, ...] = ()
    summary: ReportSummary | None = None


_CASE_COLUMNS = (
    t.cases.c.id,
    t.cases.c.state,
    t.cases.c.version,
    t.cases.c.result,
    t.cases.c.procedure_digest,
    t.cases.c.category,
    t.cases.c.domain,
    t.cases.c.provider,
    t.cases.c.channel,
    t.cases.c.head_hash,
    t.cases.c.head_mac,
    t.cases.c.organisation,
    t.cases.c.opened_on,
    t.cases.c.summary,
    t.cases.c.summary_mac,
)
_EVENT_COLUMNS = tuple(
    t.events.c[name]
    for name in (
        "case_id",
        "seq",
        "action",
        "from_state",
        "to_state",
        "role",
        "at",
        "recorded_at",
        "legal_date",
        "procedure_name",
        "procedure_version",
        "procedure_digest",
        "prev_hash",
        "hash",
        "result",
        "terms",
        "inputs",
        "clocks",
        "key_id",
        "personal",
        "format",
    )
)


def case_chunks(
    connection: Connection, query: sa.Select[Any]
) -> Iterator[Sequence[Mapping[Any, Any]]]:
    """The rows of ``query`` in chunks of :data:`CHUNK`, never all at once."""
    result = connection.execute(query, execution_options={"yield_per": CHUNK})
    yield from result.mappings().partitions(CHUNK)


def _measured(fields: Sequence[str]) -> sa.ColumnElement[bool]:
    """Whether any of the measure ``fields`` is filled in (only that fact
    leaves SQL), over the case row joined with its data."""
    if not fields:
        return sa.false()
    data = t.case_personal.c.data
    return sa.or_(
        *(sa.func.coalesce(data[field].as_string(), "") != "" for field in fields)
    )


def _registration_differs() -> sa.ColumnElement[bool]:
    """Whether a registration column is not the case data's value, over the case
    row joined with its data.

    Cases without data (erased) count as differing: the full inspection checks
    those against the sealed removal record.
    """
    data = t.case_personal.c.data
    return sa.or_(
        data.is_(None),
        *(
            t.cases.c[column].is_distinct_from(data[field].as_string())
            for field, column in REGISTRATION.items()
        ),
    )


def _seal_values(event: Mapping[Any, Any]) -> list[Any]:
    """What a format-2 event's seal covers, from its row (as ``Event._values_v2``)."""
    return [
        FORMAT_TAG,
        event["case_id"],
        event["seq"],
        event["action"],
        event["from_state"],
        event["to_state"],
        event["role"],
        event["at"],
        event["recorded_at"],
        event["legal_date"].isoformat(),
        event["procedure_name"],
        event["procedure_version"],
        event["procedure_digest"],
        event["prev_hash"],
        event["result"],
        event["terms"] or {},
        event["inputs"] or {},
        event["clocks"] or "",
        event["key_id"] or "",
        event["personal"] or "",
    ]


def row_checks(
    row: Mapping[Any, Any],
    events: Sequence[Mapping[Any, Any]],
    deadlines: Sequence[Mapping[Any, Any]],
    *,
    terms: frozenset[str],
    sealer: Sealer,
) -> bool:
    """True when the rows a report counts on verify; False: inspect in full."""
    if not events or len(events) != row["version"]:
        return False
    previous = GENESIS
    result = None
    for index, event in enumerate(events, start=1):
        if (
            event["format"] != 2
            or event["seq"] != index
            or event["case_id"] != row["id"]
            or event["prev_hash"] != previous
            or (event["key_id"] or "") != sealer.key_id
            or sealer.seal(canonical(_seal_values(event))) != event["hash"]
        ):
            return False
        previous = event["hash"]
        if event["result"] is not None:
            result = event["result"]
    last = events[-1]
    ledgers = {d["term"]: d["ledger"] for d in deadlines if d["term"] in terms}
    return bool(
        row["head_hash"] == previous
        and row["head_mac"]
        == _rows.head_mac(
            sealer, row["id"], row["version"], previous, row["organisation"] or ""
        )
        and row["state"] == last["to_state"]
        and row["procedure_digest"] == last["procedure_digest"]
        and row["result"] == result
        and last["clocks"] == clocks_digest(ledgers)
    )


def checked_skeletons(
    connection: Connection,
    *,
    terms_of: Callable[[str], frozenset[str]],
    inspect: Callable[[str], IntegrityReport],
    sealer: Sealer,
    opened_from: dt.date | None,
    opened_until: dt.date | None,
    measure_fields: Sequence[str] = (),
    organisation: str | None = None,
    full: bool = False,
) -> Iterator[CheckedSkeleton]:
    """Every case opened in the period, oldest first, checked (module docstring).

    ``terms_of`` gives the term names of a procedure digest, ``inspect`` the
    full inspection of one case (as ``store.inspect``); ``organisation`` limits
    the cases to that organisation's (None: all). ``full``: check every case's
    history the full way, also where its row has a sealed summary.
    """
    # One pass: the case rows with, from their data in SQL, only the facts
    # that a registration column differs and that measures are filled in.
    query = of_cases(
        sa.select(
            *_CASE_COLUMNS,
            _registration_differs().label("differs"),
            _measured(measure_fields).label("measured"),
        ).select_from(
            t.cases.outerjoin(
                t.case_personal, t.case_personal.c.case_id == t.cases.c.id
            )
        ),
        organisation,
    )
    if opened_from is not None:
        query = query.where(t.cases.c.opened_on >= opened_from)
    if opened_until is not None:
        query = query.where(t.cases.c.opened_on <= opened_until)
    query = query.order_by(t.cases.c.opened_on, t.cases.c.id)
    for chunk in case_chunks(connection, query):
        differs = {row["id"] for row in chunk if row["differs"]}
        measured = {row["id"] for row in chunk if row["measured"]}
        summaries: dict[str, ReportSummary | None] = {}
        for row in chunk:
            if not full and row["summary"] is not None and row["id"] not in differs:
                summaries[row["id"]] = _sealed_summary(row, sealer)
        slow = [row["id"] for row in chunk if summaries.get(row["id"]) is None]
        events = _full_rows(connection, slow, events=True)
        deadlines = _full_rows(connection, slow, events=False)
        for row in chunk:
            case_id = row["id"]
            registration = {
                field: row[column] for field, column in REGISTRATION.items()
            }
            summary = summaries.get(case_id)
            if summary is not None:
                yield CheckedSkeleton(
                    case_id=case_id,
                    procedure_digest=row["procedure_digest"],
                    state=row["state"],
                    result=summary.result,
                    steps=(),
                    ledgers={},
                    registration=registration,
                    measures=case_id in measured,
                    summary=summary,
                )
                continue
            mine = events.get(case_id, [])
            clocks = deadlines.get(case_id, [])
            problems: tuple[str, ...] = ()
            # A summary that does not verify is a changed row: the full
            # inspection names it. No summary (a row from before schema
            # 0007): the full check, as before.
            if (
                case_id in differs
                or case_id in summaries
                or not row_checks(
                    row,
                    mine,
                    clocks,
                    terms=terms_of(row["procedure_digest"]),
                    sealer=sealer,
                )
            ):
                report = inspect(case_id)
                problems = () if report.valid else report.problems or ("?",)
            yield CheckedSkeleton(
                case_id=case_id,
                procedure_digest=row["procedure_digest"],
                state=row["state"],
                result=row["result"],
                steps=tuple(
                    (e["from_state"], e["to_state"], e["legal_date"]) for e in mine
                ),
                ledgers={d["term"]: d["ledger"] for d in clocks},
                registration=registration,
                measures=case_id in measured,
                problems=problems,
            )


def _sealed_summary(row: Mapping[Any, Any], sealer: Sealer) -> ReportSummary | None:
    """The row's summary if its seal verifies, it reads back and it names the
    opening date the row is selected by; else None (inspect the case)."""
    text = row["summary"]
    mac = _rows.summary_mac(
        sealer,
        row["id"],
        row["version"],
        row["head_hash"],
        row["organisation"] or "",
        text,
    )
    if mac != row["summary_mac"]:
        return None
    try:
        summary = read_summary(text)
    except (ValueError, KeyError, TypeError):  # sealed, so written by us: never
        return None
    return summary if summary.opened_on == row["opened_on"] else None


def _full_rows(
    connection: Connection, ids: list[str], *, events: bool
) -> Mapping[str, Sequence[Mapping[Any, Any]]]:
    """The events (or deadlines) of the cases ``ids`` that are checked in full."""
    if not ids:
        return {}
    if events:
        query = (
            sa.select(*_EVENT_COLUMNS)
            .where(t.events.c.case_id.in_(ids))
            .order_by(t.events.c.case_id, t.events.c.seq)
        )
    else:
        query = sa.select(
            t.deadlines.c.case_id, t.deadlines.c.term, t.deadlines.c.ledger
        ).where(t.deadlines.c.case_id.in_(ids))
    return grouped_by_case(connection, query)


def _ids_query(
    connection: Connection,
    opened_from: dt.date | None,
    opened_until: dt.date | None,
    organisation: str | None,
    *,
    id_from: str | None = None,
    id_before: str | None = None,
) -> tuple[sa.Select[Any], Any]:
    """The ids of the cases opened in the period (from ``id_from``, before
    ``id_before``), and the id column in code-point order to sort them by."""
    column: Any = t.cases.c.id
    if connection.dialect.name == "postgresql":
        column = column.collate("C")
    query = of_cases(sa.select(t.cases.c.id), organisation)
    if opened_from is not None:
        query = query.where(t.cases.c.opened_on >= opened_from)
    if opened_until is not None:
        query = query.where(t.cases.c.opened_on <= opened_until)
    if id_from is not None:
        query = query.where(column >= id_from)
    if id_before is not None:
        query = query.where(column < id_before)
    return query, column


def case_ids(
    connection: Connection,
    *,
    opened_from: dt.date | None,
    opened_until: dt.date | None,
    organisation: str | None = None,
    id_from: str | None = None,
    id_before: str | None = None,
) -> Iterator[str]:
    """The ids of the cases opened in the period, in code-point order, streamed.

    Code-point order on every backend (PostgreSQL's ``COLLATE "C"``; SQLite
    compares the UTF-8 bytes, the same order), so the order is the one
    Python's ``sorted`` gives. ``organisation`` limits them to that
    organisation's cases (None: all); ``id_from`` / ``id_before`` to the ids
    from the one and before the other.
    """
    query, column = _ids_query(
        connection,
        opened_from,
        opened_until,
        organisation,
        id_from=id_from,
        id_before=id_before,
    )
    for chunk in case_chunks(connection, query.order_by(column)):
        for row in chunk:
            yield row["id"]


def id_boundaries(
    connection: Connection,
    *,
    opened_from: dt.date | None,
    opened_until: dt.date | None,
    organisation: str | None,
    parts: int,
    least: int,
) -> list[str]:
    """Ids that split the cases of the period, in code-point order, into
    ``parts`` ranges of about as many cases; none below ``least`` cases."""
    query, column = _ids_query(connection, opened_from, opened_until, organisation)
    total = int(
        connection.execute(
            sa.select(sa.func.count()).select_from(query.subquery())
        ).scalar_one()
    )
    if total < least or parts < 2:
        return []
    cuts: list[str] = []
    for k in range(1, parts):
        cut = connection.execute(
            query.order_by(column).offset(k * total // parts).limit(1)
        ).scalar_one()
        if not cuts or cut > cuts[-1]:
            cuts.append(cut)
    return cuts
