"""Detection: a stored case is read only if its rows verify.

:func:`inspect_rows` rebuilds a case from its rows and checks everything an
attacker with write access to the database could change:

- the hash chain, under the store's key (:func:`verify_history`): every
  event's content, order, case, moments and personal commitment, and every
  field of the case (status, version, procedure, result, data, term clocks)
  against the events;
- the case row's head (newest event hash, sealed with the key) against the
  events, so a deleted newest event is caught;
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


def removal_mac(
    sealer: Sealer, case_id: str, on: Any, reason: str, removed: Mapping[str, Any]
) -> str:
    """The seal over one removal record."""
    return sealer.mac("verwijdering", case_id, on, reason, dict(removed))


def sealed_removals(
    connection: Connection, case_id: str, sealer: Sealer
) -> tuple[list[Removal], set[int], list[str]]:
    """The case's removal records, the events they cover, and bad seals."""
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


def inspect_rows(
    connection: Connection,
    rows: CaseRows,
    *,
    engine_for: Callable[[str], Engine],
    sealer: Sealer,
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
    report = verify_history(case, key=sealer)
    problems = list(report.problems)
    head = rows.case.get("head_hash") or ""
    if head or any(e.format >= 2 for e in case.history):
        if head != case.history[-1].hash:
            problems.append(
                "de zaakregel noemt een andere laatste gebeurtenis dan er is "
                "(gebeurtenissen verwijderd of toegevoegd?)"
            )
        if rows.case.get("head_mac") != _rows.head_mac(
            sealer, case_id, int(rows.case["version"]), head
        ):
            problems.append("het zegel van de zaakregel klopt niet")
    problems += _deadline_problems(case, rows.deadlines, engine)
    removals: list[Removal] = []
    if report.erased or case.history[0].actor == "geanonimiseerd":
        removals, covered, bad = sealed_removals(connection, case_id, sealer)
        problems += bad
        missing = [seq for seq in report.erased if seq not in covered]
        if missing:
            problems.append(
                "de persoonsgegevens van gebeurtenis "
                + ", ".join(str(s) for s in missing)
                + " ontbreken zonder geregistreerde verwijdering"
            )
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
