"""Detection: a stored case is read only if its rows verify.

:func:`inspect_rows` rebuilds a case from its rows and checks everything an
attacker with write access to the database could change:

- the hash chain, under the store's key (:func:`verify_history`): every
  event's content, order, case, moments and personal commitment, and every
  field of the case (status, version, procedure, result, data, term clocks)
  against the events;
- the case row's head (newest event hash and the case's organisation, sealed
  with the key) against the events, so a deleted newest event, or a case
  moved to another organisation, is caught;
- the deadline rows (due date, open) against the term clocks they belong to;
- every event whose personal values are gone against a sealed removal record
  (retention or erasure) that names it;
- rows the procedure cannot read (an unknown status, term or procedure).

A problem never raises here: it is reported, and the caller decides
(``store.get`` raises :class:`HistoryTampered`, ``store.inspect`` returns it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy import Connection

from klachtflow.engine import Case, Engine, verify_history
from klachtflow.engine._seal import Sealer
from klachtflow.engine.case import ANONYMOUS
from klachtflow.engine.lifecycle import read_summary, report_summary, summary_text
from klachtflow.exceptions import KlachtflowError
from klachtflow.storage import _rows
from klachtflow.storage import schema as t
from klachtflow.storage.results import IntegrityReport, Removal

__all__ = ["CaseRows", "inspect_rows", "removal_mac", "sealed_removals"]


@attrs.frozen
class CaseRows:
    """The stored rows of one case, as read."""

    case_id: str
    case: Mapping[Any, Any]
    events: Sequence[Mapping[Any, Any]]
    deadlines: Sequence[Mapping[Any, Any]]
    #: The (role, person) rows of the party index when read with the rest
    #: (a chunk of cases at once); None: read them when checking.
    parties: frozenset[tuple[str, str]] | None = None


def removal_mac(
    sealer: Sealer, case_id: str, on: Any, reason: str, removed: Mapping[str, Any]
) -> str:
    """The seal over one removal record."""
    return sealer.mac("verwijdering", case_id, on, reason, dict(removed))


#: The case row's columns that follow from the case (and are checked on load).
DERIVED = (
    "procedure_name",
    "procedure_version",
    "status",
    "category",
    "channel",
    "domain",
    "provider",
    "formal",
    "opened_at",
    "opened_on",
    "updated_on",
    "closed_on",
    "retention_until",
)
#: The sealed report summary (schema 0007), checked when the row has one.
SUMMARY = ("summary", "summary_mac")


def sealed_removals(
    connection: Connection, case_id: str, sealer: Sealer
) -> tuple[list[Removal], set[int], list[str]]:
    """The case's removal records (oldest first), the events they cover, and bad seals."""
    rows = connection.execute(
        sa.select(t.removals)
        .where(t.removals.c.case_id == case_id)
        .order_by(t.removals.c.id)
    ).mappings()
    removals: list[Removal] = []
    covered: set[int] = set()
    problems: list[str] = []
    for row in rows:
        removal = Removal(
            row["case_id"], row["removed_on"], row["reason"], row["removed"]
        )
        if row["mac"] != removal_mac(
            sealer, case_id, row["removed_on"], row["reason"], row["removed"]
        ):
            problems.append(
                f"de registratie van de verwijdering op {row['removed_on']} is "
                "gewijzigd of nagemaakt (zegel klopt niet)"
            )
            continue
        removals.append(removal)
        covered.update(
            int(seq) for seq in (row["removed"] or {}).get("gebeurtenissen", ())
        )
    return removals, covered, problems


def _deadline_problems(
    case: Case, deadlines: Sequence[Mapping[Any, Any]], engine: Engine
) -> list[str]:
    problems: list[str] = []
    on = case.history[-1].legal_date
    stored = {row["term"]: row for row in deadlines}
    for term in sorted(stored.keys() - set(engine.procedure.terms)):
        # A migration closes the rows of terms the new version drops.
        if stored[term]["open"]:
            problems.append(f"termijn '{term}' bestaat niet in de procedure")
    for term, row in stored.items():
        clock = case.clocks.get(term)
        if clock is None:
            continue
        if (
            bool(row["suspended"]) != clock.is_suspended
            or row["kind"] != clock.term.kind.value
        ):
            problems.append(
                f"de opschorting of soort van termijn '{term}' volgt niet uit de termijn"
            )
        if row["due"] != clock.due(on):
            problems.append(
                f"de einddatum van termijn '{term}' ({row['due']}) volgt niet uit de "
                f"termijn ({clock.due(on)})"
            )
        if bool(row["open"]) != (clock.stopped_on is None):
            problems.append(f"of termijn '{term}' loopt, volgt niet uit de termijn")
    return problems


def _case_from(rows: CaseRows, engine: Engine) -> Case:
    row = rows.case
    personal = (
        None
        if row["parties"] is None
        else {"parties": row["parties"], "data": row["data"]}
    )
    return _rows.case_from_rows(
        engine,
        row,
        personal=personal,
        events=rows.events,
        event_personal=[e for e in rows.events if e["actor"] is not None],
        deadlines=rows.deadlines,
    )


def _row_problems(
    case: Case,
    rows: CaseRows,
    engine: Engine,
    sealer: Sealer,
    kept: Mapping[str, Any] | None,
) -> list[str]:
    """The case row's derived columns against the case (summaries, dates,
    retention); once the data is erased, the report columns against what the
    sealed removal record ``kept``."""
    expected = _rows.case_row(
        case, engine.procedure, sealer, rows.case.get("organisation") or ""
    )
    if kept is not None:
        expected.update(kept)
    wrong = [name for name in DERIVED if rows.case.get(name) != expected[name]]
    # A row written before schema 0007 has no summary yet (a report checks
    # such a case the full way); one that has it must be the case's own.
    if rows.case.get("summary") is not None or rows.case.get("summary_mac"):
        if rows.case.get("personal_rev") or kept is not None:
            expected.update(_erased_summary(case, rows, engine, sealer))
        wrong += [
            name
            for name in SUMMARY
            if rows.case.get(name) != expected[name] and name not in wrong
        ]
    if not wrong:
        return []
    return [f"de zaakregel wijkt af van de geschiedenis in: {', '.join(wrong)}"]


def _erased_summary(
    case: Case, rows: CaseRows, engine: Engine, sealer: Sealer
) -> dict[str, Any]:
    """The summary columns a row must hold once erasure or retention changed
    the case's data: its history's summary with the data facts (registration
    values, filled fields) as sealed before; a report reads such a case the
    full way, never through them."""
    try:
        stored = read_summary(str(rows.case["summary"]))
    except (ValueError, KeyError, TypeError):
        return {"summary": None, "summary_mac": None}  # unreadable: differs
    summary = attrs.evolve(
        report_summary(case, engine.procedure),
        registration=stored.registration,
        filled=stored.filled,
    )
    text = summary_text(summary)
    return {
        "summary": text,
        "summary_mac": _rows.summary_mac(
            sealer,
            case.id,
            case.version,
            case.history[-1].hash,
            rows.case.get("organisation") or "",
            text,
        ),
    }


#: Built once: a statement made per load costs more than running it.
_PARTY_INDEX = sa.select(t.case_parties.c.role, t.case_parties.c.person).where(
    t.case_parties.c.case_id == sa.bindparam("case_id")
)


def _party_index_problems(
    connection: Connection, case: Case, indexed: frozenset[tuple[str, str]] | None
) -> list[str]:
    """The search and erasure index of parties against the case's parties
    (``indexed``: the index rows, read already)."""
    if indexed is None:
        indexed = frozenset(
            (role, person)
            for role, person in connection.execute(_PARTY_INDEX, {"case_id": case.id})
        )
    parties = {(role, p) for role, ids in case.parties.items() for p in ids}
    if indexed == parties:
        return []
    return ["de partijenindex wijkt af van de partijen van de zaak"]


def _erasure_problems(
    case: Case, removals: Sequence[Removal], erased: Sequence[int]
) -> list[str]:
    """Erased events against what the sealed removal records say erasure left."""
    actors: dict[int, str] = {}
    parties: Mapping[str, Any] | None = None
    for removal in removals:
        actors.update(
            {int(k): v for k, v in (removal.removed.get("uitvoerders") or {}).items()}
        )
        if "partijen" in removal.removed:
            parties = removal.removed["partijen"]
    problems = []
    by_seq = {e.seq: e for e in case.history}
    for seq in erased:
        event = by_seq[seq]
        expected = actors.get(seq)
        if expected is None:
            expected = ANONYMOUS if event.actor == ANONYMOUS else None
        if expected is not None and event.actor != expected:
            problems.append(
                f"de uitvoerder van gewiste gebeurtenis {seq} is na het wissen gewijzigd"
            )
    if parties is not None and 1 in erased:
        current = {role: list(ids) for role, ids in case.parties.items()}
        if current != {role: list(ids) for role, ids in parties.items()}:
            problems.append("de partijen zijn na het wissen gewijzigd")
    return problems


def inspect_rows(
    connection: Connection,
    rows: CaseRows,
    *,
    engine_for: Callable[[str], Engine],
    sealer: Sealer,
    legacy_history: bool = True,
) -> tuple[Case | None, IntegrityReport]:
    """The case the rows hold (None if unreadable) and what does not verify."""
    case_id = rows.case_id
    try:
        engine = engine_for(rows.case["procedure_digest"])
        case = _case_from(rows, engine)
        engine.procedure.state(case.state)
    except (KlachtflowError, KeyError, ValueError, TypeError, AttributeError) as error:
        detail = getattr(error, "message", None) or repr(error)
        return None, IntegrityReport(
            case_id,
            valid=False,
            problems=(f"de opgeslagen rijen zijn onleesbaar: {detail}",),
            keyed=sealer.keyed,
        )
    if not case.history:  # a case row without events: never written by a store
        return None, IntegrityReport(
            case_id,
            valid=False,
            problems=("de zaakregel heeft geen gebeurtenissen",),
            keyed=sealer.keyed,
        )
    report = verify_history(case, key=sealer)
    problems = list(report.problems)
    if report.legacy and not legacy_history:
        problems.append(
            f"{report.legacy} gebeurtenissen hebben het oude, ongesleutelde formaat 1 "
            "in een gesleutelde store (teruggezet?); alleen een database van vóór "
            "formaat 2 opent u met legacy_history=True"
        )
    head = rows.case.get("head_hash") or ""
    if head or not legacy_history or any(e.format >= 2 for e in case.history):
        if head != case.history[-1].hash:
            problems.append(
                "de zaakregel noemt een andere laatste gebeurtenis dan er is "
                "(gebeurtenissen verwijderd of toegevoegd?)"
            )
        if rows.case.get("head_mac") != _rows.head_mac(
            sealer,
            case_id,
            int(rows.case["version"]),
            head,
            rows.case.get("organisation") or "",
        ):
            problems.append("het zegel van de zaakregel klopt niet")
    problems += _deadline_problems(case, rows.deadlines, engine)
    problems += _party_index_problems(connection, case, rows.parties)
    removals: list[Removal] = []
    kept: Mapping[str, Any] | None = None
    if report.erased or case.history[0].actor == ANONYMOUS:
        removals, covered, bad = sealed_removals(connection, case_id, sealer)
        problems += bad
        missing = [seq for seq in report.erased if seq not in covered]
        if missing:
            problems.append(
                "de persoonsgegevens van gebeurtenis "
                + ", ".join(str(s) for s in missing)
                + " ontbreken zonder geregistreerde verwijdering"
            )
        problems += _erasure_problems(case, removals, report.erased)
        for removal in removals:
            if "skelet" in removal.removed:
                kept = removal.removed["skelet"]
    problems += _row_problems(case, rows, engine, sealer, kept)
    return case, IntegrityReport(
        case_id,
        valid=not problems,
        problems=tuple(problems),
        keyed=sealer.keyed,
        legacy=report.legacy,
        erased=report.erased,
        removals=tuple(removals),
        backdated=report.backdated,
    )
