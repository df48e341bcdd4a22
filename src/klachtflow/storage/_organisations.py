"""Organisations in one store: the registered value, the registry, the scope filters.

A supplier keeps many organisations' cases in one database. Every case row
names its organisation (``kf_cases.organisation``, schema 0006): an RSIN or an
OIN, or ``""`` for the store's default organisation (every case stored before
0006, and every case of a store that never registers an organisation). The
head seal of the row covers the organisation (:func:`~klachtflow.storage._rows.head_mac`),
so moving a case by editing the column is detected on load.

:meth:`SqlStore.scoped <klachtflow.storage.SqlStore.scoped>` gives a store that
sees one organisation only; the filters here are what its queries add.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy import Connection

from klachtflow.exceptions import InvalidArgument, OrganisationNotFound
from klachtflow.rules._arguments import check_date, check_name, check_text
from klachtflow.rules.calendar import ATW, AtwCalendar, OrganisationCalendar
from klachtflow.rules.identifiers import check_organisation_id
from klachtflow.storage import schema as t

__all__ = [
    "DEFAULT",
    "Organisation",
    "load",
    "of_case_ids",
    "of_cases",
    "register",
    "registered",
]

#: The default organisation's value in ``kf_cases.organisation``.
DEFAULT = ""


def _identifier(value: object) -> str:
    return check_organisation_id("Organisation(id)", value)


def _name(value: object) -> str:
    text: str = check_text("Organisation(name)", value, max_length=200)
    if not text.strip():
        raise InvalidArgument(
            parameter="Organisation(name)",
            value=value,
            expected="a name of 1 to 200 characters",
        )
    return text


def _procedures(value: object) -> frozenset[str]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidArgument(
            parameter="Organisation(procedures)",
            value=value,
            expected="a collection of procedure names",
        )
    return frozenset(
        check_name(f"Organisation(procedures)[{i}]", name)
        for i, name in enumerate(value)
    )


def _days(value: object) -> frozenset[dt.date]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidArgument(
            parameter="Organisation(closing_days)",
            value=value,
            expected="a collection of dates",
        )
    days = set()
    for i, day in enumerate(value):
        check_date(f"Organisation(closing_days)[{i}]", day)
        days.add(day)
    return frozenset(days)


@attrs.frozen
class Organisation:
    """An organisation whose complaints the store keeps.

    ``id`` is its RSIN (nine digits, elfproef; ZGW's ``bronorganisatie``) or
    its OIN (twenty digits). It may start cases only on the ``procedures``
    named (by procedure name, every version). ``closing_days`` are its own
    closing days (for local working-day rules; statutory terms count on the
    Atw calendar only): :meth:`calendar` builds its
    :class:`~klachtflow.rules.OrganisationCalendar`.
    """

    id: str = attrs.field(converter=_identifier)
    name: str = attrs.field(converter=_name)
    procedures: frozenset[str] = attrs.field(converter=_procedures, factory=frozenset)
    closing_days: frozenset[dt.date] = attrs.field(converter=_days, factory=frozenset)

    def calendar(
        self, name: str = "eigen", *, base: AtwCalendar = ATW
    ) -> OrganisationCalendar:
        """The organisation's working days: ``base`` minus its closing days."""
        return OrganisationCalendar.from_days(
            f"{self.name} ({name})", self.closing_days, base=base
        )

    def may_start(self, procedure: str) -> bool:
        """Whether the organisation may start cases on the procedure named ``procedure``."""
        return procedure in self.procedures


def _from_row(row: Any) -> Organisation:
    return Organisation(
        id=row["id"],
        name=row["name"],
        procedures=row["procedures"],
        closing_days=[dt.date.fromisoformat(d) for d in row["closing_days"]],
    )


def register(
    connection: Connection, organisation: Organisation, now: dt.datetime
) -> None:
    """Insert the organisation, or replace what is registered under its id."""
    values = {
        "name": organisation.name,
        "procedures": sorted(organisation.procedures),
        "closing_days": sorted(d.isoformat() for d in organisation.closing_days),
    }
    updated = connection.execute(
        t.organisations.update()
        .where(t.organisations.c.id == organisation.id)
        .values(**values)
    )
    if updated.rowcount == 0:
        connection.execute(
            t.organisations.insert().values(
                id=organisation.id, registered_at=now, **values
            )
        )


def load(connection: Connection, organisation: str) -> Organisation:
    """The registered organisation; :class:`OrganisationNotFound` if there is none."""
    row = (
        connection.execute(
            sa.select(t.organisations).where(t.organisations.c.id == organisation)
        )
        .mappings()
        .first()
    )
    if row is None:
        raise OrganisationNotFound(organisation)
    return _from_row(row)


def registered(connection: Connection) -> list[Organisation]:
    """Every registered organisation, by id."""
    rows = connection.execute(
        sa.select(t.organisations).order_by(t.organisations.c.id)
    ).mappings()
    return [_from_row(row) for row in rows]


def of_cases(query: sa.Select[Any], organisation: str | None) -> sa.Select[Any]:
    """``query`` over ``kf_cases`` limited to one organisation (None: all)."""
    if organisation is None:
        return query
    return query.where(t.cases.c.organisation == organisation)


def of_case_ids(column: Any, organisation: str | None) -> Any:
    """A condition: the case ``column`` names is the organisation's (None: true)."""
    if organisation is None:
        return sa.true()
    c = t.cases.c
    return sa.exists().where(c.id == column, c.organisation == organisation)
