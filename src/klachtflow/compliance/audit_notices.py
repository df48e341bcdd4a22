"""The audit of assignments and letters in a case's history (issue #17 items 3 and 6).

Reads what the engine sealed: the assignment as the change of the
assignment's field by the assigning action, and the letter in the event's
``inputs``. The engine refuses each of these breaches; the audit finds them in
histories written before a procedure declared them, or outside the engine.

Awb 9:7 lid 1 (BWBR0005537): "De behandeling van de klacht geschiedt door een
persoon die niet bij de gedraging betrokken is geweest." Awb 9:12 lid 1: "Het
bestuursorgaan stelt de klager schriftelijk en gemotiveerd in kennis van de
bevindingen van het onderzoek naar de klacht, zijn oordeel daarover alsmede
van de eventuele conclusies die het daaraan verbindt."
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from klachtflow.compliance._history import anonymised, respondents
from klachtflow.compliance.model import AuditFinding
from klachtflow.definition.model import Action, LegalBasis, Procedure
from klachtflow.engine import Case
from klachtflow.engine._notices import letter_of, letter_problems
from klachtflow.rules.assignment import assigned_to, assignment_fields
from klachtflow.rules.permissions import normalise_id

__all__ = ["audit_notices", "letters"]

_AWB = "BWBR0005537"
_9_7 = LegalBasis(wet="Awb", artikel="9:7", lid=1, bwb=_AWB)


def _basis(action: Action) -> LegalBasis:
    notice = action.notice
    if notice is not None and notice.basis:
        return notice.basis[0]
    if action.basis:
        return action.basis[0]
    return LegalBasis(regeling="de procedure", toelichting=f"actie '{action.name}'")


def letters(case: Case) -> list[tuple[int, str, dict[str, Any]]]:
    """Every letter the history records: (seq, action, letter) in order."""
    out = []
    for event in case.history:
        letter = letter_of(event.inputs)
        if letter is not None:
            out.append((event.seq, event.action, letter))
    return out


def _letter_findings(case: Case, p: Procedure) -> Iterator[AuditFinding]:
    performed: set[str] = set()
    data: dict[str, Any] = {}
    for event in case.history:
        action = p.actions.get(event.action)
        for name, (_, new) in event.changes.items():
            data[name] = new
        notice = action.notice if action is not None else None
        if action is not None and notice is not None:
            letter = letter_of(event.inputs)
            if letter is None:
                yield AuditFinding(
                    case.id,
                    "AUDIT-BRIEF-01",
                    "fout",
                    f"'{event.action}' op {event.legal_date.isoformat()} zonder vastgelegde "
                    f"brief ({notice.title or 'brief'} aan {', '.join(notice.recipients)}).",
                    _basis(action),
                    event.legal_date,
                )
            else:
                problems = letter_problems(
                    notice, letter, frozenset(performed), data, event.legal_date
                )
                if problems:
                    yield AuditFinding(
                        case.id,
                        "AUDIT-BRIEF-02",
                        "fout",
                        f"De brief bij '{event.action}' op {event.legal_date.isoformat()}: "
                        f"{'; '.join(problems)}.",
                        _basis(action),
                        event.legal_date,
                    )
        performed.add(event.action)


def _assignment_findings(case: Case, p: Procedure) -> Iterator[AuditFinding]:
    fields = assignment_fields(p)
    if not fields:
        return
    respondent = respondents(case, p)
    data: dict[str, Any] = {}
    for event in case.history:
        action = p.actions.get(event.action)
        if action is not None and event.role in action.assigned_only:
            who = assigned_to(p, event.role, data)
            if who is None or who != normalise_id(event.actor):
                yield AuditFinding(
                    case.id,
                    "AUDIT-TOEW-01",
                    "fout",
                    f"'{event.action}' op {event.legal_date.isoformat()} als {event.role} "
                    f"uitgevoerd door {event.actor}, niet door de toegewezen {event.role} "
                    f"({who or 'niemand toegewezen'}).",
                    _9_7,
                    event.legal_date,
                )
        for name, (_, new) in event.changes.items():
            data[name] = new
            if (
                name in fields
                and isinstance(new, str)
                and normalise_id(new) in respondent
            ):
                yield AuditFinding(
                    case.id,
                    "AUDIT-TOEW-02",
                    "fout",
                    f"Op {event.legal_date.isoformat()} is {new} toegewezen, die partij is "
                    "in deze zaak (de beklaagde).",
                    _9_7,
                    event.legal_date,
                )


def audit_notices(
    case: Case, procedure: Procedure, *, today: dt.date
) -> Iterator[AuditFinding]:
    """The findings on letters and assignments in the history of ``case``."""
    del today  # the history alone says what was sent and who was assigned
    yield from _letter_findings(case, procedure)
    if not anonymised(case):
        yield from _assignment_findings(case, procedure)
