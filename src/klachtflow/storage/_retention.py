"""Retention (Selectielijst) and erasure (AVG art 17): remove personal data, keep the skeleton.

Personal data lives apart from the event skeleton (``kf_case_personal``,
``kf_case_parties``, ``kf_event_personal``), so removing it leaves dates,
states, results and terms for reports. Every removal is recorded in
``kf_removals``, and ``personal_rev`` is raised so no cache keeps the old data.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import Connection

from klachtflow.engine.case import ANONYMOUS
from klachtflow.storage import schema as t
from klachtflow.storage.results import Removal

__all__ = ["erase_person", "purge", "removals"]


def _remove_personal(
    connection: Connection, case_id: str, on: dt.date, reason: str
) -> Removal:
    counts = {
        "gegevens_en_partijen": connection.execute(
            t.case_personal.delete().where(t.case_personal.c.case_id == case_id)
        ).rowcount,
        "partijen_index": connection.execute(
            t.case_parties.delete().where(t.case_parties.c.case_id == case_id)
        ).rowcount,
        "gebeurtenis_details": connection.execute(
            t.event_personal.delete().where(t.event_personal.c.case_id == case_id)
        ).rowcount,
    }
    connection.execute(
        t.cases.update()
        .where(t.cases.c.id == case_id)
        .values(anonymised_on=on, personal_rev=t.cases.c.personal_rev + 1)
    )
    connection.execute(
        t.removals.insert().values(
            case_id=case_id, removed_on=on, reason=reason, removed=counts
        )
    )
    return Removal(case_id, on, reason, counts)


def purge(connection: Connection, on: dt.date, *, dry_run: bool) -> list[Removal]:
    """Remove (or with ``dry_run`` list) personal data whose bewaartermijn passed."""
    c = t.cases.c
    rows = connection.execute(
        sa.select(c.id, c.result, c.retention_until)
        .where(
            c.retention_until.is_not(None),
            c.retention_until <= on,
            c.anonymised_on.is_(None),
        )
        .order_by(c.retention_until, c.id)
    ).all()
    removals = []
    for case_id, result, until in rows:
        reason = f"bewaartermijn verstreken op {until.isoformat()} (resultaat {result}; Selectielijst)"
        if dry_run:
            removals.append(Removal(case_id, on, reason, {}))
        else:
            removals.append(_remove_personal(connection, case_id, on, reason))
    return removals


def erase_person(connection: Connection, person_id: str, day: dt.date) -> list[Removal]:
    """Erase a person: all personal data of their cases, their name as actor elsewhere."""
    reason = "verzoek tot verwijdering (AVG art 17)"
    party_cases = [
        r[0]
        for r in connection.execute(
            sa.select(t.case_parties.c.case_id)
            .where(t.case_parties.c.person == person_id)
            .distinct()
        )
    ]
    removals = [
        _remove_personal(connection, cid, day, reason) for cid in sorted(party_cases)
    ]
    acted = connection.execute(
        sa.select(t.event_personal.c.case_id, sa.func.count())
        .where(t.event_personal.c.actor == person_id)
        .group_by(t.event_personal.c.case_id)
    ).all()
    for case_id, count in acted:
        connection.execute(
            t.event_personal.update()
            .where(
                t.event_personal.c.case_id == case_id,
                t.event_personal.c.actor == person_id,
            )
            .values(actor=ANONYMOUS)
        )
        connection.execute(
            t.cases.update()
            .where(t.cases.c.id == case_id)
            .values(personal_rev=t.cases.c.personal_rev + 1)
        )
        removed = {"uitvoerder_vervangen": count}
        connection.execute(
            t.removals.insert().values(
                case_id=case_id, removed_on=day, reason=reason, removed=removed
            )
        )
        removals.append(Removal(case_id, day, reason, removed))
    return removals


def removals(connection: Connection, case_id: str | None) -> list[Removal]:
    """The record of removals, oldest first (all, or for one case)."""
    query = sa.select(t.removals).order_by(t.removals.c.id)
    if case_id is not None:
        query = query.where(t.removals.c.case_id == case_id)
    return [
        Removal(r["case_id"], r["removed_on"], r["reason"], r["removed"])
        for r in connection.execute(query).mappings()
    ]
