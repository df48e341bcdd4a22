"""Case ↔ rows. Named constructors live here, never on :class:`Case`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence, Set
from typing import Any

from klachtflow.definition.model import ArchiveNomination, Procedure, Unit
from klachtflow.engine import Case, Engine, Event
from klachtflow.engine._seal import Sealer, json_string
from klachtflow.engine.case import ANONYMOUS, json_value
from klachtflow.engine.lifecycle import report_summary, summary_text
from klachtflow.rules.clocks import clock_ledger
from klachtflow.rules.terms import add_duration
from klachtflow.storage import schema as t

__all__ = [
    "REGISTRATION_COLUMNS",
    "case_from_rows",
    "case_row",
    "deadline_rows",
    "event_rows",
    "head_mac",
    "party_rows",
    "personal_row",
    "summary_mac",
]


def retention_until(
    case: Case, procedure: Procedure, closed: dt.date | None
) -> dt.date | None:
    """Closing date + the result's bewaartermijn (Selectielijst); None if kept forever."""
    if closed is None or case.result is None:
        return None
    result = procedure.results.get(case.result)
    if result is None or result.archive is ArchiveNomination.BLIJVEND_BEWAREN:
        return None
    if result.retention is None or result.retention.unit in (Unit.UREN, Unit.WERKDAGEN):
        return None
    return add_duration(closed, result.retention)


#: The registration values (case data fields, report dimensions) and the
#: case row's columns that hold them.
REGISTRATION_COLUMNS = {
    "categorie": "category",
    "domein": "domain",
    "aanbieder": "provider",
    "kanaal": "channel",
}


def head_mac(
    sealer: Sealer, case_id: str, version: int, head: str, organisation: str = ""
) -> str:
    """The seal over a case row's head: id, version, newest event hash and the
    organisation the case belongs to.

    The default organisation ("") is sealed as before schema 0006, so every
    older row verifies unchanged; any other organisation is part of the seal,
    so moving a case to another organisation by editing its row is detected.
    """
    if not organisation:
        return sealer.mac("kop", case_id, version, head)
    return sealer.mac("kop", case_id, version, head, organisation)


def summary_mac(  # noqa: PLR0917 - the sealed values, in their order
    sealer: Sealer,
    case_id: str,
    version: int,
    head: str,
    organisation: str,
    text: str,
) -> str:
    """The seal over a case row's report summary: bound to the case, its version,
    its newest event and its organisation, so a summary copied from another
    case or an older version does not verify.

    ``sealer.mac("samenvatting", case_id, version, head, organisation, text)``,
    with the canonical array written directly (a report checks one per case;
    the same text: ``tests/storage/test_summaries.py`` checks it).
    """
    if type(version) is not int:  # the canonical form of anything else: the encoder
        return sealer.mac("samenvatting", case_id, version, head, organisation, text)
    return sealer.seal(
        f'["samenvatting",{json_string(case_id)},{version},{json_string(head)},'
        f"{json_string(organisation)},{json_string(text)}]"
    )


def case_row(
    case: Case, procedure: Procedure, sealer: Sealer, organisation: str = ""
) -> dict[str, Any]:
    """The skeleton row: nothing personal, everything reports need.

    The report columns (registration, formal, dates) are the report summary's,
    made once per row (every save writes one).
    """
    facts = report_summary(case, procedure)
    summary = summary_text(facts)
    head = case.history[-1].hash
    return {
        "id": case.id,
        "procedure_digest": case.procedure_digest,
        "procedure_name": case.procedure,
        "procedure_version": case.procedure_version,
        "state": case.state,
        "status": case.status,
        "version": case.version,
        "result": case.result,
        **{
            column: facts.registration[name]
            for name, column in REGISTRATION_COLUMNS.items()
        },
        "formal": facts.formal,
        "opened_at": case.history[0].at.isoformat(),
        "opened_on": facts.opened_on,
        "updated_on": case.history[-1].legal_date,
        "closed_on": facts.closed_on,
        "retention_until": retention_until(case, procedure, facts.closed_on),
        "head_hash": head,
        "head_mac": head_mac(sealer, case.id, case.version, head, organisation),
        "organisation": organisation,
        "summary": summary,
        "summary_mac": summary_mac(
            sealer, case.id, case.version, head, organisation, summary
        ),
    }


def personal_row(case: Case) -> dict[str, Any]:
    """Parties and case data: personal, kept apart."""
    return {
        "case_id": case.id,
        "parties": {role: list(ids) for role, ids in case.parties.items()},
        "data": {k: json_value(v) for k, v in case.data.items()},
    }


def party_rows(case: Case) -> list[dict[str, Any]]:
    """One row per (role, person), for search and erasure."""
    return [
        {"case_id": case.id, "role": role, "person": person}
        for role, ids in case.parties.items()
        for person in ids
    ]


def event_rows(
    case: Case, after: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Skeleton and personal rows of the events with ``seq > after``."""
    skeleton = []
    personal = []
    for event in case.history[after:]:
        skeleton.append(
            {
                "case_id": case.id,
                "seq": event.seq,
                "action": event.action,
                "from_state": event.from_state,
                "to_state": event.to_state,
                "role": event.role,
                "at": event.at.isoformat(),
                "legal_date": event.legal_date,
                "procedure_digest": event.procedure_digest,
                "procedure_name": event.procedure,
                "procedure_version": event.procedure_version,
                "result": event.result,
                "terms": dict(event.terms),
                "prev_hash": event.prev_hash,
                "hash": event.hash,
                "format": event.format,
                "recorded_at": event.recorded_at.isoformat()
                if event.recorded_at
                else None,
                "inputs": dict(event.inputs) if event.inputs else None,
                "clocks": event.clocks,
                "key_id": event.key_id,
                "personal": event.personal,
                "checkpoint": None,
            }
        )
        personal.append(
            {
                "case_id": case.id,
                "seq": event.seq,
                "actor": event.actor,
                "reason": event.reason,
                "changes": {k: [o, n] for k, (o, n) in event.changes.items()},
                "consent": dict(event.consent),
                "notified": list(event.notified),
                "salt": event.salt,
            }
        )
    return skeleton, personal


def deadline_rows(case: Case, terms: Set[str] | None = None) -> list[dict[str, Any]]:
    """One row per clock (or per clock of ``terms``): the due date (indexed)
    and the ledger to rebuild it."""
    on = case.history[-1].legal_date
    clocks = (
        case.clocks
        if terms is None
        else {name: clock for name, clock in case.clocks.items() if name in terms}
    )
    return [
        {
            "case_id": case.id,
            "term": name,
            "due": clock.due(on),
            "open": clock.stopped_on is None,
            "suspended": clock.is_suspended,
            "kind": clock.term.kind.value,
            "ledger": clock_ledger(clock),
            **dict.fromkeys(t.CLAIM_COLUMNS),
        }
        for name, clock in clocks.items()
    ]


def _event(row: Mapping[Any, Any], personal: Mapping[Any, Any] | None) -> Event:
    personal = personal or {}
    recorded = row.get("recorded_at")
    return Event(
        row["seq"],
        row["action"],
        row["from_state"],
        row["to_state"],
        personal.get("actor", ANONYMOUS),
        row["role"],
        dt.datetime.fromisoformat(row["at"]),
        row["legal_date"],
        row["procedure_name"],
        row["procedure_version"],
        row["procedure_digest"],
        row["prev_hash"],
        row["hash"],
        {k: (o, n) for k, (o, n) in (personal.get("changes") or {}).items()},
        personal.get("reason"),
        personal.get("consent") or {},
        tuple(personal.get("notified") or ()),
        row["result"],
        row["terms"] or {},
        row["case_id"],
        row.get("format") or 1,
        dt.datetime.fromisoformat(recorded) if recorded else None,
        row.get("inputs") or {},
        row.get("clocks") or "",
        row.get("key_id") or "",
        personal.get("salt"),
        row.get("personal") or "",
    )


def case_from_rows(
    engine: Engine,
    case: Mapping[Any, Any],
    *,
    personal: Mapping[Any, Any] | None,
    events: Sequence[Mapping[Any, Any]],
    event_personal: Iterable[Mapping[Any, Any]],
    deadlines: Iterable[Mapping[Any, Any]],
) -> Case:
    """Rebuild a case; anonymised parts come back empty (actor 'geanonimiseerd')."""
    by_seq = {row["seq"]: row for row in event_personal}
    return engine.restore_case(
        case_id=case["id"],
        state=case["state"],
        version=case["version"],
        parties=(personal or {}).get("parties") or {},
        data=(personal or {}).get("data") or {},
        history=[_event(row, by_seq.get(row["seq"])) for row in events],
        clocks={row["term"]: row["ledger"] for row in deadlines},
        result=case["result"],
    )
