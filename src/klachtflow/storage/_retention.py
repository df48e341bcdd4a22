"""Retention (Selectielijst) and erasure (AVG art 17): remove personal data, keep the skeleton.

Personal data lives apart from the event skeleton (``kf_case_personal``,
``kf_case_parties``, ``kf_event_personal``), so removing it leaves dates,
states, results and terms for reports. Each event commits to its personal
values by a salted hash; removal deletes the salt with the values, so the
history still verifies and says what was removed. Every removal is recorded in
``kf_removals`` with a seal (and later anchored by a checkpoint) naming the
events it touched, and ``personal_rev`` is raised so no cache keeps the old
data.

Erasure replaces the erased person's id by a stable pseudonym
(:meth:`Sealer.pseudonym`), so separation of duties (Awb 9:7) keeps comparing
the same person after the name is gone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from klachtflow.engine._seal import Sealer
from klachtflow.exceptions import ErasureRefused
from klachtflow.storage import _rows
from klachtflow.storage import schema as t
from klachtflow.storage._integrity import removal_mac
from klachtflow.storage._organisations import of_case_ids, of_cases
from klachtflow.storage.results import ErasureGround, Removal

__all__ = ["erase_person", "purge", "removals"]


def _record(
    connection: Connection,
    sealer: Sealer,
    *,
    case_id: str,
    on: dt.date,
    reason: str,
    removed: dict[str, Any],
) -> Removal:
    connection.execute(
        t.removals.insert().values(
            case_id=case_id,
            removed_on=on,
            reason=reason,
            removed=removed,
            mac=removal_mac(sealer, case_id, on, reason, removed),
        )
    )
    return Removal(case_id, on, reason, removed)


def _seqs(connection: Connection, case_id: str) -> list[int]:
    return [
        int(r[0])
        for r in connection.execute(
            sa.select(t.events.c.seq)
            .where(t.events.c.case_id == case_id)
            .order_by(t.events.c.seq)
        )
    ]


def _actors(connection: Connection, case_id: str) -> dict[str, str]:
    """The actor of each event (by seq, as text) as stored now."""
    ep = t.event_personal.c
    return {
        str(seq): actor
        for seq, actor in connection.execute(
            sa.select(ep.seq, ep.actor).where(ep.case_id == case_id).order_by(ep.seq)
        )
    }


#: The case row's columns that come from case data and stay for reports.
SKELETON = tuple(_rows.REGISTRATION_COLUMNS.values())


def _skeleton(connection: Connection, case_id: str) -> dict[str, Any]:
    """The report columns of the case row, as kept after the data goes."""
    row = connection.execute(
        sa.select(*(t.cases.c[name] for name in SKELETON)).where(
            t.cases.c.id == case_id
        )
    ).one()
    return dict(zip(SKELETON, row, strict=True))


def _bump(connection: Connection, case_id: str, **values: Any) -> None:
    connection.execute(
        t.cases.update()
        .where(t.cases.c.id == case_id)
        .values(personal_rev=t.cases.c.personal_rev + 1, **values)
    )


def _remove_personal(
    connection: Connection, sealer: Sealer, case_id: str, on: dt.date, reason: str
) -> Removal:
    """Retention: every personal value of the case goes (the skeleton stays)."""
    seqs = _seqs(connection, case_id)
    counts: dict[str, Any] = {
        "gegevens_en_partijen": connection.execute(
            t.case_personal.delete().where(t.case_personal.c.case_id == case_id)
        ).rowcount,
        "partijen_index": connection.execute(
            t.case_parties.delete().where(t.case_parties.c.case_id == case_id)
        ).rowcount,
        "gebeurtenis_details": connection.execute(
            t.event_personal.delete().where(t.event_personal.c.case_id == case_id)
        ).rowcount,
        "gebeurtenissen": seqs,
        "partijen": {},
        "uitvoerders": {},
        "skelet": _skeleton(connection, case_id),
    }
    _bump(connection, case_id, anonymised_on=on)
    return _record(
        connection, sealer, case_id=case_id, on=on, reason=reason, removed=counts
    )


def purge(
    connection: Connection,
    sealer: Sealer,
    on: dt.date,
    *,
    dry_run: bool,
    verify: Callable[[list[str]], None],
    organisation: str | None = None,
) -> list[Removal]:
    """Remove (or with ``dry_run`` list) personal data whose bewaartermijn passed
    (of one organisation's cases, or all)."""
    c = t.cases.c
    rows = connection.execute(
        of_cases(sa.select(c.id, c.result, c.retention_until), organisation)
        .where(
            c.retention_until.is_not(None),
            c.retention_until <= on,
            c.anonymised_on.is_(None),
        )
        .order_by(c.retention_until, c.id)
    ).all()
    verify([r[0] for r in rows])
    found = []
    for case_id, result, until in rows:
        reason = f"bewaartermijn verstreken op {until.isoformat()} (resultaat {result}; Selectielijst)"
        if dry_run:
            found.append(Removal(case_id, on, reason, {}))
        else:
            found.append(_remove_personal(connection, sealer, case_id, on, reason))
    return found


def _replace(value: Any, person: str, pseudonym: str) -> tuple[Any, bool]:
    """``value`` with every string equal to ``person`` replaced (deeply)."""
    if isinstance(value, str):
        return (pseudonym, True) if value == person else (value, False)
    if isinstance(value, list):
        parts = [_replace(v, person, pseudonym) for v in value]
        return [p for p, _ in parts], any(hit for _, hit in parts)
    if isinstance(value, Mapping):
        parts2 = {k: _replace(v, person, pseudonym) for k, v in value.items()}
        return {k: p for k, (p, _) in parts2.items()}, any(
            hit for _, hit in parts2.values()
        )
    return value, False


def _replace_in(
    values: Mapping[str, Any], fields: frozenset[str], person: str, pseudonym: str
) -> tuple[dict[str, Any], bool]:
    """``values`` (data, or data changes) with the id replaced in text fields only:
    a choice, date or number that happens to equal an id is not a person."""
    out: dict[str, Any] = {}
    hit = False
    for name, value in values.items():
        if name in fields:
            out[name], found = _replace(value, person, pseudonym)
            hit = hit or found
        else:
            out[name] = value
    return out, hit


def _erase_party(
    connection: Connection,
    sealer: Sealer,
    *,
    case_id: str,
    person: str,
    pseudonym: str,
    on: dt.date,
    reason: str,
) -> Removal:
    """The person is a party: the case's data and event details go; the
    person's id becomes the pseudonym (in parties and as actor)."""
    personal = connection.execute(
        sa.select(t.case_personal.c.parties).where(t.case_personal.c.case_id == case_id)
    ).first()
    if personal is not None:
        parties, _ = _replace(personal[0] or {}, person, pseudonym)
        connection.execute(
            t.case_personal.update()
            .where(t.case_personal.c.case_id == case_id)
            .values(parties=parties, data={})
        )
    connection.execute(
        t.case_parties.update()
        .where(t.case_parties.c.case_id == case_id, t.case_parties.c.person == person)
        .values(person=pseudonym)
    )
    ep = t.event_personal.c
    details = connection.execute(
        t.event_personal.update()
        .where(ep.case_id == case_id)
        .values(reason=None, changes={}, consent={}, notified=[], salt=None)
    ).rowcount
    connection.execute(
        t.event_personal.update()
        .where(ep.case_id == case_id, ep.actor == person)
        .values(actor=pseudonym)
    )
    _bump(connection, case_id, anonymised_on=on)
    removed: dict[str, Any] = {
        "gegevens": "alle",
        "gebeurtenis_details": details,
        "gepseudonimiseerd": pseudonym,
        "gebeurtenissen": _seqs(connection, case_id),
        # What erasure left, sealed with the record: the salts are gone, so
        # this is what later reads check the parties and actors against.
        "partijen": parties if personal is not None else {},
        "uitvoerders": _actors(connection, case_id),
        "skelet": _skeleton(connection, case_id),
    }
    return _record(
        connection, sealer, case_id=case_id, on=on, reason=reason, removed=removed
    )


def _erase_mentions(
    connection: Connection,
    sealer: Sealer,
    *,
    text_fields: frozenset[str],
    case_id: str,
    person: str,
    pseudonym: str,
    on: dt.date,
    reason: str,
) -> Removal | None:
    """The person acted (or is named in data): replace the id by the pseudonym."""
    ep = t.event_personal.c
    touched: list[int] = []
    for seq, actor, changes in connection.execute(
        sa.select(ep.seq, ep.actor, ep.changes)
        .where(ep.case_id == case_id)
        .order_by(ep.seq)
    ):
        new_changes, hit = _replace_in(changes or {}, text_fields, person, pseudonym)
        if actor != person and not hit:
            continue
        connection.execute(
            t.event_personal.update()
            .where(ep.case_id == case_id, ep.seq == seq)
            .values(
                actor=pseudonym if actor == person else actor,
                changes=new_changes,
                salt=None,
            )
        )
        touched.append(int(seq))
    row = connection.execute(
        sa.select(t.case_personal.c.data).where(t.case_personal.c.case_id == case_id)
    ).first()
    data_hit = False
    if row is not None:
        data, data_hit = _replace_in(row[0] or {}, text_fields, person, pseudonym)
        if data_hit:
            connection.execute(
                t.case_personal.update()
                .where(t.case_personal.c.case_id == case_id)
                .values(data=data)
            )
    if not touched and not data_hit:
        return None
    _bump(connection, case_id)
    removed: dict[str, Any] = {
        "uitvoerder_vervangen": len(touched),
        "gegevensvelden_vervangen": data_hit,
        "gepseudonimiseerd": pseudonym,
        "gebeurtenissen": touched,
        "uitvoerders": {
            k: v for k, v in _actors(connection, case_id).items() if int(k) in touched
        },
    }
    return _record(
        connection, sealer, case_id=case_id, on=on, reason=reason, removed=removed
    )


def _mentioned_in(connection: Connection, person: str) -> set[str]:
    """Cases where the person acted or whose data names them (exact id)."""
    ep = t.event_personal.c
    found = {
        r[0]
        for r in connection.execute(
            sa.select(ep.case_id).where(ep.actor == person).distinct()
        )
    }
    # Data fields that hold the id (e.g. the assigned handler): scanned in JSON
    # text, then checked exactly by _erase_mentions.
    like = f"%{person}%"
    cp = t.case_personal.c
    found |= {
        r[0]
        for r in connection.execute(
            sa.select(cp.case_id).where(sa.cast(cp.data, sa.Text).like(like))
        )
    }
    return found


def erase_person(
    connection: Connection,
    sealer: Sealer,
    person: str,
    day: dt.date,
    *,
    ground: ErasureGround | None,
    text_fields: Callable[[str], frozenset[str]],
    verify: Callable[[list[str]], None],
    organisation: str | None = None,
) -> list[Removal]:
    """Erase a person: pseudonymise them everywhere (in one organisation's
    cases, or all), and remove the personal data of the cases they are party
    to. Refuses open cases without a ground."""
    party_cases = sorted(
        {
            r[0]
            for r in connection.execute(
                sa.select(t.case_parties.c.case_id).where(
                    t.case_parties.c.person == person,
                    of_case_ids(t.case_parties.c.case_id, organisation),
                )
            )
        }
    )
    mentioned = _mentioned_in(connection, person) - set(party_cases)
    if organisation is not None and mentioned:
        mentioned &= set(
            connection.execute(
                sa.select(t.cases.c.id).where(
                    t.cases.c.id.in_(sorted(mentioned)),
                    t.cases.c.organisation == organisation,
                )
            ).scalars()
        )
    others = sorted(mentioned)
    affected = [*party_cases, *others]
    verify(affected)
    if ground is None and affected:
        still_open = [
            r[0]
            for r in connection.execute(
                sa.select(t.cases.c.id)
                .where(t.cases.c.id.in_(affected), t.cases.c.closed_on.is_(None))
                .order_by(t.cases.c.id)
            )
        ]
        if still_open:
            raise ErasureRefused(person, still_open)
    reason = "verzoek tot verwijdering (AVG art 17)" + (
        f"; grond: {ground.text}" if ground is not None else ""
    )
    pseudonym = sealer.pseudonym(person)
    found = [
        _erase_party(
            connection,
            sealer,
            case_id=cid,
            person=person,
            pseudonym=pseudonym,
            on=day,
            reason=reason,
        )
        for cid in party_cases
    ]
    for cid in others:
        removal = _erase_mentions(
            connection,
            sealer,
            text_fields=text_fields(cid),
            case_id=cid,
            person=person,
            pseudonym=pseudonym,
            on=day,
            reason=reason,
        )
        if removal is not None:
            found.append(removal)
    return found


def removals(
    connection: Connection, case_id: str | None, organisation: str | None = None
) -> list[Removal]:
    """The record of removals, oldest first (all, or for one case; of one
    organisation's cases, or all)."""
    query = (
        sa.select(t.removals)
        .where(of_case_ids(t.removals.c.case_id, organisation))
        .order_by(t.removals.c.id)
    )
    if case_id is not None:
        query = query.where(t.removals.c.case_id == case_id)
    return [
        Removal(r["case_id"], r["removed_on"], r["reason"], r["removed"])
        for r in connection.execute(query).mappings()
    ]
