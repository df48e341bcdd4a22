"""Audit bezwaar cases against Awb 7:10 and 7:5 (BWBR0005537), law.md §2.

As in the ``awb-bezwaar`` pack, steps are recognised by the article they cite:
the decision term 7:10 lid 1, the decision 7:11 or 7:12, the hearing 7:2, and
the party role of whoever prepared the contested besluit 7:5.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from klachtflow.compliance._history import (
    BreachWording,
    TermBreachKind,
    breach_findings,
    respondents,
)
from klachtflow.compliance.awb9 import AWB, cites
from klachtflow.compliance.model import AuditFinding
from klachtflow.definition.model import LegalBasis, Procedure
from klachtflow.engine import Case
from klachtflow.rules.permissions import normalise_id

__all__ = ["audit_bezwaar"]


def _art(artikel: str, lid: int | None = None) -> LegalBasis:
    return LegalBasis(wet="Awb", artikel=artikel, lid=lid, bwb=AWB)


_WORDING_7_10 = {
    TermBreachKind.DECIDED_LATE: BreachWording(
        "AUDIT-7:10-01",
        "fout",
        _art("7:10", 1),
        "Beslist op {on}, na de beslistermijn ({term}: {due}); let op de dwangsom (4:17).",
    ),
    TermBreachKind.BEYOND_MAXIMUM: BreachWording(
        "AUDIT-7:10-02",
        "fout",
        _art("7:10", 3),
        "Verdaagd tot {due}, voorbij zes weken ({maximum}) zonder instemming voor "
        "verder uitstel.",
    ),
    TermBreachKind.EXTENDED_LATE: BreachWording(
        "AUDIT-7:10-03",
        "fout",
        _art("7:10", 3),
        "Verdaagd op {on}, nadat de beslistermijn ({term}) al verstreken was.",
    ),
}


def audit_bezwaar(
    case: Case, procedure: Procedure, *, today: dt.date, anonymised: bool = False
) -> Iterator[AuditFinding]:
    """Every violation of Awb 7:10 and 7:5 in the history of ``case``.

    Yields nothing for a procedure without a 7:10 term. For an ``anonymised``
    case the check on who heard is skipped.
    """

    decisions = procedure.derived(
        "bezwaar-decisions",
        lambda: frozenset(
            a.name
            for a in procedure.actions.values()
            if cites(a.basis, "7:11") or cites(a.basis, "7:12")
        ),
    )
    yield from breach_findings(
        case,
        procedure,
        today=today,
        is_term=lambda term: cites(term.basis, "7:10", lid=1),
        closing=decisions,
        wording=_WORDING_7_10,
    )

    if anonymised:
        return
    preparer_roles = procedure.derived(
        "bezwaar-preparer-roles",
        lambda: frozenset(
            r.name
            for r in procedure.roles.values()
            if r.is_party and cites(r.basis, "7:5")
        ),
    )
    preparers = respondents(case, procedure, preparer_roles)
    hearings = procedure.derived(
        "bezwaar-hearings",
        lambda: frozenset(
            a.name for a in procedure.actions.values() if cites(a.basis, "7:2")
        ),
    )
    for event in case.history:
        if event.action in hearings and normalise_id(event.actor) in preparers:
            yield AuditFinding(
                case.id,
                "AUDIT-7:5-01",
                "fout",
                f"'{event.action}' is uitgevoerd door wie het besluit voorbereidde "
                f"({event.actor}).",
                _art("7:5", 1),
                event.legal_date,
            )
