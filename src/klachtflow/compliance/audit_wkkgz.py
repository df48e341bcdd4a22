"""Audit case histories against the Wkkgz (BWBR0037173), law.md §4.

As in the ``wkkgz`` pack, steps are recognised by the article they cite: the
schriftelijke mededeling cites art 17 lid 1, the klachtenfunctionaris role art
15, the route to the geschilleninstantie art 21 and its term art 22.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from klachtflow.compliance._history import (
    BreachWording,
    TermBreachKind,
    breach_findings,
    overdue_open,
)
from klachtflow.compliance.awb9 import cites
from klachtflow.compliance.model import AuditFinding
from klachtflow.definition.model import LegalBasis, Procedure, Term
from klachtflow.engine import Case
from klachtflow.rules.permissions import normalise_id

__all__ = ["audit_wkkgz"]

WKKGZ = "BWBR0037173"


def _art(artikel: str, lid: int | None = None) -> LegalBasis:
    return LegalBasis(wet="Wkkgz", artikel=artikel, lid=lid, bwb=WKKGZ)


def _citing(
    procedure: Procedure, artikel: str, lid: int | None = None
) -> frozenset[str]:
    return procedure.derived(
        ("wkkgz-actions-citing", artikel, lid),
        lambda: frozenset(
            a.name
            for a in procedure.actions.values()
            if cites(a.basis, artikel, lid=lid, bwb=WKKGZ)
        ),
    )


_WORDING_17 = {
    TermBreachKind.DECIDED_LATE: BreachWording(
        "AUDIT-WKKGZ-17-01",
        "fout",
        _art("17", 1),
        "Schriftelijke mededeling op {on}, na de termijn ({term}: {due}).",
    ),
    TermBreachKind.BEYOND_MAXIMUM: BreachWording(
        "AUDIT-WKKGZ-17-02",
        "fout",
        _art("17", 2),
        "Verlengd tot {due}, voorbij de vier weken ({maximum}).",
    ),
    TermBreachKind.EXTENDED_LATE: BreachWording(
        "AUDIT-WKKGZ-17-03",
        "fout",
        _art("17", 2),
        "Verlenging gemeld op {on}, na het verstrijken van de termijn ({term}); de wet "
        "eist melding daarvóór.",
    ),
}

_WORDING_22 = {
    TermBreachKind.DECIDED_LATE: BreachWording(
        "AUDIT-WKKGZ-22-01",
        "waarschuwing",
        _art("22", 1),
        "Geschilleninstantie: uitspraak op {on}, na zes maanden ({term}: {due}).",
    ),
}


def audit_wkkgz(
    case: Case, procedure: Procedure, *, today: dt.date, anonymised: bool = False
) -> Iterator[AuditFinding]:
    """Every violation of the Wkkgz in the history of ``case``.

    Yields nothing for a procedure that cites no Wkkgz article. For an
    ``anonymised`` case (every actor 'geanonimiseerd') who did what is gone, so
    the art 15 check is skipped.
    """
    notice = _citing(procedure, "17", 1)
    history = case.history

    # Art 17: the mededeling within six weeks, extended by at most four weeks
    # with written notice *before* the term expires (lid 2).
    yield from breach_findings(
        case,
        procedure,
        today=today,
        is_term=lambda term: cites(term.basis, "17", lid=1, bwb=WKKGZ),
        closing=notice,
        wording=_WORDING_17,
    )

    # Art 15: whoever acted as klachtenfunctionaris in this case did not decide it.
    functionaris_roles = procedure.derived(
        "wkkgz-15-roles",
        lambda: frozenset(
            r.name for r in procedure.roles.values() if cites(r.basis, "15", bwb=WKKGZ)
        ),
    )
    functionarissen = (
        set()
        if anonymised
        else {normalise_id(e.actor) for e in history if e.role in functionaris_roles}
    )
    for event in history:
        if event.action in notice and normalise_id(event.actor) in functionarissen:
            yield AuditFinding(
                case.id,
                "AUDIT-WKKGZ-15-01",
                "fout",
                f"'{event.action}' is uitgevoerd door {event.actor}, die in deze zaak "
                "klachtenfunctionaris was; die helpt en bemiddelt, maar beslist niet.",
                _art("15"),
                event.legal_date,
            )

    # Art 21: before the mededeling, and while its term still runs, only grounds
    # a (the regeling was not followed) or c (complaining first was unreasonable)
    # can apply; b (the mededeling does not resolve it) cannot yet.
    dispute = _citing(procedure, "21")
    noticed = [e.legal_date for e in history if e.action in notice]
    handling_due = [
        clock.due(clock.stopped_on or today)
        for name, clock in case.clocks.items()
        if name in procedure.terms
        and cites(procedure.terms[name].basis, "17", lid=1, bwb=WKKGZ)
    ]
    for event in history:
        if event.action not in dispute:
            continue
        before_notice = not any(day <= event.legal_date for day in noticed)
        within_term = any(event.legal_date <= due for due in handling_due)
        if before_notice and within_term:
            yield AuditFinding(
                case.id,
                "AUDIT-WKKGZ-21-01",
                "waarschuwing",
                f"Geschil voorgelegd op {event.legal_date.isoformat()}, vóór de "
                "schriftelijke mededeling en binnen de termijn daarvan: controleer of "
                "grond a of c van art 21 lid 1 van toepassing is.",
                _art("21", 1),
                event.legal_date,
            )

    # Art 22: the geschilleninstantie rules within six months of submission.
    def ruling_term(term: Term) -> bool:
        return cites(term.basis, "22", bwb=WKKGZ)

    yield from breach_findings(
        case,
        procedure,
        today=today,
        is_term=ruling_term,
        closing=_citing(procedure, "20"),
        wording=_WORDING_22,
    )
    for _, due in overdue_open(case, procedure, today=today, is_term=ruling_term):
        yield AuditFinding(
            case.id,
            "AUDIT-WKKGZ-22-01",
            "waarschuwing",
            f"Geschilleninstantie: nog geen uitspraak op {today.isoformat()}, na zes "
            f"maanden ({due.isoformat()}).",
            _art("22", 1),
            today,
        )
