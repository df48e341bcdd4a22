"""Report summaries for case rows stored before schema 0007 (``summarise``).

A case row written by this version carries its report summary, sealed
(:func:`~klachtflow.storage._rows.case_row`). Older rows have NULL until the
case is saved again; a report checks those the full way, which is correct but
slower. :func:`missing` lists them and :func:`write` gives one its summary,
only if the row is still the version that was verified (a fire in between
wrote its own).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import Connection

from klachtflow.definition.model import Procedure
from klachtflow.engine import Case
from klachtflow.engine._seal import Sealer
from klachtflow.storage import _rows
from klachtflow.storage import schema as t
from klachtflow.storage._organisations import of_cases

__all__ = ["count", "missing", "write"]


def missing(connection: Connection, organisation: str | None) -> list[str]:
    """The ids of the rows without a summary (of one organisation, or all)."""
    query = of_cases(
        sa.select(t.cases.c.id).where(t.cases.c.summary.is_(None)), organisation
    )
    return list(connection.execute(query.order_by(t.cases.c.id)).scalars())


def count(connection: Connection, organisation: str | None) -> int:
    """How many rows have no summary (of one organisation, or all)."""
    query = of_cases(
        sa.select(sa.func.count())
        .select_from(t.cases)
        .where(t.cases.c.summary.is_(None)),
        organisation,
    )
    return int(connection.execute(query).scalar_one())


def write(
    connection: Connection, case: Case, procedure: Procedure, sealer: Sealer
) -> bool:
    """Give ``case``'s row its sealed summary; False if the row changed since."""
    c = t.cases.c
    organisation = connection.execute(
        sa.select(c.organisation).where(c.id == case.id)
    ).scalar_one()
    row = _rows.case_row(case, procedure, sealer, organisation or "")
    done = connection.execute(
        t.cases.update()
        .where(
            c.id == case.id,
            c.version == case.version,
            c.head_hash == row["head_hash"],
            c.summary.is_(None),
        )
        .values(summary=row["summary"], summary_mac=row["summary_mac"])
    )
    return bool(done.rowcount)
