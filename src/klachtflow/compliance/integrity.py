"""Integrity and timing as audit findings: a history that does not verify, and
events recorded later than they took effect.

A case whose stored rows do not verify cannot be judged on its terms: the
audit reports that as a ``fout`` and goes on with the other cases. Backdated
entries (``Event.recorded_at`` later than ``Event.at``) are judged on their
effective date, as the law counts terms from when things happened, and are
listed so an auditor can check the letter or note behind each one.

🔶 The law sets no rule for the integrity of a complaint file itself; the
findings cite the Archiefwet 1995 art 3 (BWBR0007376): archival records are
kept "in goede, geordende en toegankelijke staat". The backdating threshold
is configurable (default one day).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from klachtflow.compliance.model import AuditFinding
from klachtflow.definition.model import LegalBasis
from klachtflow.engine import Case

__all__ = ["ARCHIEFWET", "backdating_findings", "integrity_findings"]

#: Archiefwet 1995 art 3: records in good, ordered and accessible state.
ARCHIEFWET = LegalBasis(wet="Archiefwet 1995", artikel="3", bwb="BWBR0007376")


def integrity_findings(case_id: str, problems: Iterable[str]) -> list[AuditFinding]:
    """One ``fout`` per integrity problem of a stored case (``AUDIT-INT-01``)."""
    return [
        AuditFinding(
            case_id=case_id,
            code="AUDIT-INT-01",
            severity="fout",
            message=f"De opgeslagen zaak klopt niet met haar geschiedenis: {problem}.",
            basis=ARCHIEFWET,
        )
        for problem in problems
    ]


def backdating_findings(
    case: Case, *, threshold: dt.timedelta = dt.timedelta(days=1)
) -> list[AuditFinding]:
    """A ``waarschuwing`` per event recorded more than ``threshold`` after it
    took effect (``AUDIT-TIJD-01``); terms are judged on the effective date."""
    return [
        AuditFinding(
            case_id=case.id,
            code="AUDIT-TIJD-01",
            severity="waarschuwing",
            message=f"'{event.action}' is vastgelegd op "
            f"{event.recorded_at.date().isoformat() if event.recorded_at else '?'} "
            f"met als datum {event.legal_date.isoformat()} "
            f"({event.backdated_by.days} dagen teruggedateerd); termijnen zijn op "
            "die datum beoordeeld: controleer het stuk waarop zij berust.",
            basis=ARCHIEFWET,
            on=event.legal_date,
        )
        for event in case.history
        if event.backdated_by > threshold
    ]
