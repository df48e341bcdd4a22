"""Audit case histories against the Wkkgz (BWBR0037173), law.md §4.

As in the ``wkkgz`` pack, steps are recognised by the article they cite: the
schriftelijke mededeling cites art 17 lid 1, the klachtenfunctionaris role art
15, the route to the geschilleninstantie art 21 and its term art 22.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from klachtflow.compliance._history import TermBreachKind, term_breaches
from klachtflow.compliance.awb9 import cites
from klachtflow.compliance.model import AuditFinding
from klachtflow.definition.model import LegalBasis, Procedure
from klachtflow.engine import Case

__all__ = ["audit_wkkgz"]

WKKGZ = "BWBR0037173"


def _art(artikel: str, lid: int | None = None) -> LegalBasis:
    return LegalBasis(wet="Wkkgz", artikel=artikel, lid=lid, bwb=WKKGZ)


def _citing(procedure: Procedure, artikel: str, lid: int | None = None) -> set[str]:
    return {
        a.name
        for a in procedure.actions.values()
        if cites(a.basis, artikel, lid=lid, bwb=WKKGZ)
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

    def finding(
        code: str, severity: str, message: str, basis: LegalBasis, on: dt.date | None
    ) -> AuditFinding:
        return AuditFinding(case.id, code, severity, message, basis, on)

    # Art 17: the mededeling within six weeks, extended by at most four weeks
    # with written notice *before* the term expires (lid 2).
    for breach in term_breaches(
        case,
        procedure,
        today=today,
        is_term=lambda term: cites(term.basis, "17", lid=1, bwb=WKKGZ),
        closing=notice,
    ):
        if breach.kind is TermBreachKind.DECIDED_LATE:
            yield finding(
                "AUDIT-WKKGZ-17-01",
                "fout",
                f"Schriftelijke mededeling op {breach.on.isoformat()}, na de termijn "
                f"({breach.term}: {breach.due.isoformat()}).",
                _art("17", 1),
                breach.on,
            )
        elif breach.kind is TermBreachKind.BEYOND_MAXIMUM:
            yield finding(
                "AUDIT-WKKGZ-17-02",
                "fout",
                f"Verlengd tot {breach.due.isoformat()}, voorbij de vier weken "
                f"({breach.maximum}).",
                _art("17", 2),
                breach.on,
            )
        else:
            yield finding(
                "AUDIT-WKKGZ-17-03",
                "fout",
                f"Verlenging gemeld op {breach.on.isoformat()}, na het verstrijken van de "
                f"termijn ({breach.term}); de wet eist melding daarvóór.",
                _art("17", 2),
                breach.on,
            )

    # Art 15: whoever acted as klachtenfunctionaris in this case did not decide it.
    functionaris_roles = {
        r.name for r in procedure.roles.values() if cites(r.basis, "15", bwb=WKKGZ)
    }
    functionarissen = (
        set()
        if anonymised
        else {e.actor for e in history if e.role in functionaris_roles}
    )
    for event in history:
        if event.action in notice and event.actor in functionarissen:
            yield finding(
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
            yield finding(
                "AUDIT-WKKGZ-21-01",
                "waarschuwing",
                f"Geschil voorgelegd op {event.legal_date.isoformat()}, vóór de "
                "schriftelijke mededeling en binnen de termijn daarvan: controleer of "
                "grond a of c van art 21 lid 1 van toepassing is.",
                _art("21", 1),
                event.legal_date,
            )

    # Art 22: the geschilleninstantie rules within six months of submission.
    for name, clock in case.clocks.items():
        term = procedure.terms.get(name)
        if term is None or not cites(term.basis, "22", bwb=WKKGZ):
            continue
        due = clock.due(clock.stopped_on or today)
        end = clock.stopped_on or today
        if end > due:
            state = "uitspraak" if clock.stopped_on else "nog geen uitspraak"
            yield finding(
                "AUDIT-WKKGZ-22-01",
                "waarschuwing",
                f"Geschilleninstantie: {state} op {end.isoformat()}, na zes maanden "
                f"({due.isoformat()}).",
                _art("22", 1),
                end,
            )
