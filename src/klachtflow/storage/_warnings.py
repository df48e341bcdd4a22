"""Warnings before a term ends, addressed to a role (YAML ``waarschuwing_aan``).

A term with ``waarschuwing: 5 werkdagen`` warns from the fifth working day
before its due date (on the term's own calendar). The deadline rows hold the
due date; the warning period and its roles come from the case's procedure, so
no schema change is needed: per stored procedure, the rows of its warning
terms due within a safe horizon are read, and the exact first warning day is
computed per row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy import Connection

from klachtflow.definition import Procedure
from klachtflow.definition.model import Direction, Duration, Term, Unit
from klachtflow.rules.calendar import AtwCalendar
from klachtflow.rules.clocks import calendar_for, warning_start
from klachtflow.rules.terms import add_duration
from klachtflow.storage import schema as t
from klachtflow.storage.results import DueWarning

__all__ = ["due_warnings"]

#: Calendar days added to a forward count so a term whose due date rolls past
#: holidays and closing days is still read; the exact day is checked per row.
_SLACK = dt.timedelta(days=21)


def _horizon(on: dt.date, warning: Duration) -> dt.date:
    """A due date beyond which a warning of ``warning`` cannot have started on ``on``."""
    span = (
        Duration(warning.amount * 2 + 7, Unit.DAGEN)
        if warning.unit is Unit.WERKDAGEN
        else warning
    )
    return add_duration(on, span, direction=Direction.VOORUIT) + _SLACK


def due_warnings(
    connection: Connection,
    on: dt.date,
    *,
    procedure: Callable[[str], Procedure],
    atw: AtwCalendar,
    role: str | None = None,
    limit: int | None = None,
) -> list[DueWarning]:
    """Open, running deadlines whose warning period has begun on ``on``.

    Only terms with a ``waarschuwing``; with ``role``, only those addressed to
    it. A deadline already past its due date is overdue, not warned about.
    Earliest due date first.
    """
    d, c = t.deadlines.c, t.cases.c
    digests = connection.execute(sa.select(t.procedures.c.digest)).scalars().all()
    found: list[DueWarning] = []
    for digest in digests:
        spec = procedure(digest)
        terms: dict[str, Term] = {
            name: term
            for name, term in spec.terms.items()
            if term.warning is not None and (role is None or role in term.warning_to)
        }
        if not terms:
            continue
        until = max(
            _horizon(on, term.warning) for term in terms.values() if term.warning
        )
        rows = connection.execute(
            sa.select(d.case_id, d.term, d.due, d.kind)
            .join(t.cases, c.id == d.case_id)
            .where(
                c.procedure_digest == digest,
                d.open.is_(True),
                d.suspended.is_(False),
                d.term.in_(sorted(terms)),
                d.due.between(on, until),
            )
        )
        calendars = {
            name: calendar_for(spec, term, atw=atw) for name, term in terms.items()
        }
        for case_id, name, due, kind in rows:
            term = terms[name]
            start = warning_start(term, due, calendars[name])
            if start is not None and start <= on:
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
