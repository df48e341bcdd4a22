"""Streaming reads over many cases, for reports and audits: memory stays bounded.

The case rows are read through one cursor that fetches ``CHUNK`` rows at a
time (a server-side cursor on PostgreSQL, ``stream_results``; SQLite's cursor
is lazy), and per chunk what else is needed of just those cases. Nothing holds
more than a chunk.

A report counts the rows it reads, so it checks them first
(:func:`checked_skeletons`). A case row carries the sealed report summary of
its case (schema 0007): the facts a report counts, with the registration
values and which data fields are filled, sealed over the case id, version,
newest event and organisation. The report reads a case through it when the
seal verifies, the row's opening date and procedure digest are the summary's,
the row's newest event is the one the events table ends with (a row rolled
back to an older, validly sealed copy is not), and the case's personal data
was never erased or purged (``personal_rev`` 0). Every other case (no summary:
stored before 0007; erased; or ``full=True``: every case) is inspected in full,
as on load, a chunk at a time, and its facts are made from the verified case.
What does not verify is yielded with its problems.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy import Connection

from klachtflow.engine import Case
from klachtflow.engine._seal import Sealer
from klachtflow.engine.lifecycle import ReportSummary, read_summary
from klachtflow.storage import _rows
from klachtflow.storage import schema as t
from klachtflow.storage._organisations import of_cases
from klachtflow.storage.results import IntegrityReport

__all__ = [
    "CHUNK",
    "REGISTRATION",
    "CheckedSkeleton",
    "case_chunks",
    "case_ids",
    "checked_skeletons",
]

CHUNK = 1000

#: The registration values by data field, and the case row's columns holding them.
REGISTRATION = _rows.REGISTRATION_COLUMNS


@attrs.frozen
class CheckedSkeleton:
    """What a report reads of one case, after checking it.

    ``summary`` holds what a report counts of the case: the row's sealed
    summary, or the summary of the case as inspected in full (``inspected``);
    None when the rows do not verify, and ``problems`` says why (empty when
    they verify). ``registration`` holds the registration values by dimension,
    ``measures`` whether any of the measure fields is filled in.
    """

    case_id: str
    procedure_digest: str
    state: str
    result: str | None
    registration: Mapping[str, str | None]
    measures: bool = False
    problems: tuple[str, ...] = ()
    summary: ReportSummary | None = None
    inspected: bool = False


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
    t.cases.c.organisation,
    t.cases.c.opened_on,
    t.cases.c.personal_rev,
    t.cases.c.summary,
    t.cases.c.summary_mac,
)


def case_chunks(
    connection: Connection, query: sa.Select[Any]
) -> Iterator[Sequence[Mapping[Any, Any]]]:
    """The rows of ``query`` in chunks of :data:`CHUNK`, never all at once."""
    result = connection.execute(query, execution_options={"yield_per": CHUNK})
    yield from result.mappings().partitions(CHUNK)


def _head_is_newest() -> sa.ColumnElement[bool]:
    """Whether the row's head is the newest event there is: the event at its
    version has its head hash and none comes after it (two index lookups)."""
    events = t.events.c
    head = sa.exists().where(
        events.case_id == t.cases.c.id,
        events.seq == t.cases.c.version,
        events.hash == t.cases.c.head_hash,
    )
    later = sa.exists().where(
        events.case_id == t.cases.c.id, events.seq == t.cases.c.version + 1
    )
    return sa.and_(head, sa.not_(later))


#: The full inspection of a chunk of cases: by id, the case (None if
#: unreadable) and what does not verify; cases no longer there are left out.
InspectMany = Callable[[list[str]], Mapping[str, tuple[Case | None, IntegrityReport]]]


def checked_skeletons(
    connection: Connection,
    *,
    inspect_many: InspectMany,
    summary_of: Callable[[Case, Mapping[Any, Any]], ReportSummary],
    sealer: Sealer,
    opened_from: dt.date | None,
    opened_until: dt.date | None,
    measure_fields: Sequence[str] = (),
    organisation: str | None = None,
    full: bool = False,
) -> Iterator[CheckedSkeleton]:
    """Every case opened in the period, oldest first, checked (module docstring).

    ``inspect_many`` inspects a chunk of cases in full (as ``store.inspect``),
    ``summary_of`` makes the summary of a verified case and its row;
    ``organisation`` limits the cases to that organisation's (None: all).
    ``full``: inspect every case, also where its row has a sealed summary.
    """
    query = of_cases(
        sa.select(*_CASE_COLUMNS, _head_is_newest().label("newest")), organisation
    )
    if opened_from is not None:
        query = query.where(t.cases.c.opened_on >= opened_from)
    if opened_until is not None:
        query = query.where(t.cases.c.opened_on <= opened_until)
    query = query.order_by(t.cases.c.opened_on, t.cases.c.id)
    measures = frozenset(measure_fields)
    for chunk in case_chunks(connection, query):
        summaries: dict[str, ReportSummary] = {}
        if not full:
            for row in chunk:
                summary = _sealed_summary(row, sealer)
                if summary is not None:
                    summaries[row["id"]] = summary
        slow = [row["id"] for row in chunk if row["id"] not in summaries]
        inspected = inspect_many(slow) if slow else {}
        for row in chunk:
            case_id = row["id"]
            problems: tuple[str, ...] = ()
            summary = summaries.get(case_id)
            if summary is None:
                if case_id not in inspected:
                    continue  # pragma: no cover - one snapshot: not removed meanwhile
                case, report = inspected[case_id]
                if case is None or not report.valid:
                    problems = report.problems or ("?",)
                else:
                    summary = summary_of(case, row)
            yield CheckedSkeleton(
                case_id=case_id,
                procedure_digest=row["procedure_digest"],
                state=row["state"],
                result=summary.result if summary else row["result"],
                registration=dict(summary.registration) if summary else {},
                measures=bool(summary and measures.intersection(summary.filled)),
                problems=problems,
                summary=summary,
                inspected=case_id not in summaries,
            )


def _sealed_summary(row: Mapping[Any, Any], sealer: Sealer) -> ReportSummary | None:
    """The row's summary if the report may count the case through it: its seal
    verifies, it reads back, it names the row's opening date and procedure,
    the row's head is the newest event, and the personal data was never
    erased (module docstring); else None (inspect the case)."""
    text = row["summary"]
    if text is None or row["personal_rev"] or not row["newest"]:
        return None
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
    if (
        summary.opened_on != row["opened_on"]
        or summary.procedure_digest != row["procedure_digest"]
    ):
        return None
    return summary


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
    return _cuts(connection, query, column, parts=parts, least=least)


def opening_boundaries(
    connection: Connection,
    *,
    opened_from: dt.date,
    opened_until: dt.date,
    organisation: str | None,
    parts: int,
    least: int,
) -> list[dt.date]:
    """Opening dates that split the cases of the period into ``parts`` ranges
    of about as many cases (fewer when days hold many cases): each range runs
    from one date to the day before the next; none below ``least`` cases."""
    c = t.cases.c
    query = of_cases(
        sa.select(c.opened_on).where(
            c.opened_on >= opened_from, c.opened_on <= opened_until
        ),
        organisation,
    )
    return _cuts(
        connection, query, c.opened_on, parts=parts, least=least, above=opened_from
    )


def _cuts(
    connection: Connection,
    query: sa.Select[Any],
    column: Any,
    *,
    parts: int,
    least: int,
    above: Any = None,
) -> list[Any]:
    """The values of ``column`` at every ``1/parts`` of ``query``'s rows in its
    order, each greater than the one before (and than ``above``); none when
    the query has fewer than ``least`` rows."""
    total = int(
        connection.execute(
            sa.select(sa.func.count()).select_from(query.subquery())
        ).scalar_one()
    )
    if total < least or parts < 2:
        return []
    cuts: list[Any] = []
    for k in range(1, parts):
        cut = connection.execute(
            query.order_by(column).offset(k * total // parts).limit(1)
        ).scalar_one()
        if (above is None or cut > above) and (not cuts or cut > cuts[-1]):
            cuts.append(cut)
    return cuts
