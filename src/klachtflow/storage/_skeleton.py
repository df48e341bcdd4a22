"""Reading cases without their personal data, in bulk, for reports.

A skeleton is a :class:`~klachtflow.engine.Case` rebuilt from the tables that
retention and erasure leave alone (``kf_cases``, ``kf_events``,
``kf_deadlines``): states, dates, results and terms, with every actor
``geanonimiseerd`` and no parties or data. Reports read only these, so a name
cannot reach a report through them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from klachtflow.engine import Engine
from klachtflow.storage import _rows
from klachtflow.storage import schema as t
from klachtflow.storage._organisations import of_cases
from klachtflow.storage.results import Skeleton

__all__ = ["filled_fields", "grouped_by_case", "skeletons"]

CHUNK = 500


def _period(
    query: sa.Select[Any], opened_from: dt.date | None, opened_until: dt.date | None
) -> sa.Select[Any]:
    if opened_from is not None:
        query = query.where(t.cases.c.opened_on >= opened_from)
    if opened_until is not None:
        query = query.where(t.cases.c.opened_on <= opened_until)
    return query


def skeletons(
    connection: Connection,
    engine_for: Callable[[str], Engine],
    *,
    opened_from: dt.date | None,
    opened_until: dt.date | None,
    organisation: str | None = None,
) -> Iterator[Skeleton]:
    """Every case opened in the period, oldest first, without personal data."""
    query = _period(
        of_cases(
            sa.select(
                t.cases.c.id,
                t.cases.c.state,
                t.cases.c.version,
                t.cases.c.result,
                t.cases.c.procedure_digest,
                t.cases.c.category,
                t.cases.c.domain,
                t.cases.c.provider,
                t.cases.c.channel,
            ),
            organisation,
        ),
        opened_from,
        opened_until,
    ).order_by(t.cases.c.opened_on, t.cases.c.id)
    rows = connection.execute(query).mappings().all()
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        ids = [row["id"] for row in chunk]
        events = grouped_by_case(
            connection,
            sa.select(t.events)
            .where(t.events.c.case_id.in_(ids))
            .order_by(t.events.c.case_id, t.events.c.seq),
        )
        deadlines = grouped_by_case(
            connection, sa.select(t.deadlines).where(t.deadlines.c.case_id.in_(ids))
        )
        for row in chunk:
            case = _rows.case_from_rows(
                engine_for(row["procedure_digest"]),
                row,
                personal=None,
                events=events[row["id"]],
                event_personal=(),
                deadlines=deadlines[row["id"]],
            )
            yield Skeleton(
                case,
                {
                    "categorie": row["category"],
                    "domein": row["domain"],
                    "aanbieder": row["provider"],
                    "kanaal": row["channel"],
                },
            )


def grouped_by_case(
    connection: Connection, query: sa.Select[Any]
) -> Mapping[str, Sequence[Mapping[Any, Any]]]:
    """The rows of ``query`` (which selects ``case_id``) by case id, in query order."""
    return grouped_by_case_rows(connection.execute(query).mappings())


def grouped_by_case_rows(
    rows: Iterable[Mapping[Any, Any]],
) -> Mapping[str, Sequence[Mapping[Any, Any]]]:
    """``rows`` (each with a ``case_id``) by case id, in their order."""
    grouped: defaultdict[str, list[Mapping[Any, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row["case_id"]].append(row)
    return grouped


def filled_fields(
    connection: Connection,
    fields: Sequence[str],
    *,
    opened_from: dt.date | None,
    opened_until: dt.date | None,
    organisation: str | None = None,
) -> set[str]:
    """Ids of cases opened in the period with any of ``fields`` filled in.

    Only the fact that a field holds a value leaves the database, never the value.
    """
    if not fields:
        return set()
    data = t.case_personal.c.data
    filled = sa.or_(
        *(sa.func.coalesce(data[field].as_string(), "") != "" for field in fields)
    )
    query = _period(
        of_cases(
            sa.select(t.cases.c.id).select_from(
                t.cases.join(t.case_personal, t.case_personal.c.case_id == t.cases.c.id)
            ),
            organisation,
        ).where(filled),
        opened_from,
        opened_until,
    )
    return set(connection.execute(query).scalars())
