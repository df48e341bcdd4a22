"""Warnings before a term ends, addressed to a role (YAML ``waarschuwing_aan``).

A term with ``waarschuwing: 5 werkdagen`` warns from the fifth working day
before its due date (on the term's own calendar). The deadline rows hold the
due date; the warning period and its roles come from the case's procedure, so
no schema change is needed: per stored procedure and warning term, the last
due date whose warning has begun is computed on the term's calendar, and the
database selects the rows due from the peildatum up to it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy import Connection

from klachtflow.definition import Procedure
from klachtflow.definition.model import Direction, Duration, Term, Unit
from klachtflow.rules.calendar import AtwCalendar, WorkingCalendar
from klachtflow.rules.clocks import calendar_for, warning_start
from klachtflow.rules.terms import add_duration
from klachtflow.storage import schema as t
from klachtflow.storage._organisations import of_cases
from klachtflow.storage.results import DueWarning

__all__ = ["due_warnings"]

#: Calendar days added to a forward count so a term whose due date rolls past
#: holidays and closing days is still read; the exact day is checked per row.
_SLACK = dt.timedelta(days=21)


def _last_warned_due(
    on: dt.date, term: Term, calendar: WorkingCalendar
) -> dt.date | None:
    """The latest due date whose warning has begun on ``on`` (``None``: none has).

    The first warning day never decreases as the due date moves later, so the
    due dates warned about on ``on`` are exactly ``on`` up to this one.
    """
    warning = term.warning
    if warning is None:  # pragma: no cover - only warning terms are asked
        return None
    span = (
        Duration(warning.amount * 2 + 7, Unit.DAGEN)
        if warning.unit is Unit.WERKDAGEN
        else warning
    )
    until = add_duration(on, span, direction=Direction.VOORUIT) + _SLACK
    last = None
    day = on
    while day <= until:
        start = warning_start(term, day, calendar)
        if start is None or start > on:
            break
        last = day
        day += dt.timedelta(days=1)
    return last


def due_warnings(
    connection: Connection,
    on: dt.date,
    *,
    procedure: Callable[[str], Procedure],
    atw: AtwCalendar,
    role: str | None = None,
    limit: int | None = None,
    organisation: str | None = None,
) -> list[DueWarning]:
    """Open, running deadlines whose warning period has begun on ``on``.

    Only terms with a ``waarschuwing``; with ``role``, only those addressed to
    it. A deadline already past its due date is overdue, not warned about.
    Earliest due date first. The database selects the rows (per term, the due
    dates from ``on`` to the last one warned about); Python only names them.
    ``organisation`` limits them to that organisation's cases (None: all).
    """
    d, c = t.deadlines.c, t.cases.c
    digests = connection.execute(sa.select(t.procedures.c.digest)).scalars().all()
    found: list[DueWarning] = []
    for digest in digests:
        spec = procedure(digest)
        calendars: dict[str, WorkingCalendar] = {}
        ranges = []
        for name, term in spec.terms.items():
            if term.warning is None or (
                role is not None and role not in term.warning_to
            ):
                continue
            calendars[name] = calendar_for(spec, term, atw=atw)
            last = _last_warned_due(on, term, calendars[name])
            if last is not None:
                ranges.append(sa.and_(d.term == name, d.due.between(on, last)))
        if not ranges:
            continue
        query = of_cases(
            sa.select(d.case_id, d.term, d.due, d.kind)
            .join(t.cases, c.id == d.case_id)
            .where(
                c.procedure_digest == digest,
                d.open.is_(True),
                d.suspended.is_(False),
                sa.or_(*ranges),
            )
            .order_by(d.due, d.case_id, d.term),
            organisation,
        )
        if limit is not None:
            query = query.limit(limit)
        starts: dict[tuple[str, dt.date], dt.date | None] = {}
        for case_id, name, due, kind in connection.execute(query):
            term = spec.terms[name]
            key = (name, due)
            if key not in starts:
                starts[key] = warning_start(term, due, calendars[name])
            start = starts[key]
            if start is not None:
                found.append(
                    DueWarning(
                        case_id=case_id,
                        term=name,
                        due=due,
                        kind=kind,
                        warning_from=start,
                        roles=term.warning_to,
                    )
                )
    found.sort(key=lambda w: (w.due, w.case_id, w.term))
    return found if limit is None else found[:limit]
