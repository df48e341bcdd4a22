"""Audit case histories against Jeugdwet art 4.2.1 (BWBR0034925), law.md §5.1.

As in the ``jeugdwet`` pack, steps are recognised by the article, lid and
onderdeel they cite: the oordeel cites lid 2 onder c, a new term lid 2 onder d,
the measures lid 5.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from klachtflow.compliance._history import TermBreachKind, respondents, term_breaches
from klachtflow.compliance.jeugdwet import ART, JW, citing
from klachtflow.compliance.model import AuditFinding
from klachtflow.definition.model import LegalBasis, Procedure
from klachtflow.engine import Case

__all__ = ["audit_jeugdwet"]


def _art(lid: int, onderdeel: str | None = None) -> LegalBasis:
    return LegalBasis(wet="Jeugdwet", artikel=ART, lid=lid, onderdeel=onderdeel, bwb=JW)


def audit_jeugdwet(
    case: Case, procedure: Procedure, *, today: dt.date, anonymised: bool = False
) -> Iterator[AuditFinding]:
    """Every violation of Jeugdwet 4.2.1 in the history of ``case``.

    Yields nothing for a procedure that cites no Jeugdwet 4.2.1. For an
    ``anonymised`` case the check on who took part is skipped.
    """

    def finding(
        code: str, severity: str, message: str, basis: LegalBasis, on: dt.date | None
    ) -> AuditFinding:
        return AuditFinding(case.id, code, severity, message, basis, on)

    def actions(lid: int, onderdeel: str | None = None) -> set[str]:
        return {
            a.name
            for a in procedure.actions.values()
            if citing(a.basis, lid, onderdeel)
        }

    # Lid 2 onder c/d: the oordeel within the regeling's term, or a reasoned new one.
    for breach in term_breaches(
        case,
        procedure,
        today=today,
        is_term=lambda term: citing(term.basis, 2, "c"),
        closing=actions(2, "c"),
    ):
        if breach.kind is TermBreachKind.DECIDED_LATE:
            yield finding(
                "AUDIT-JW-4.2.1-01",
                "fout",
                f"Oordeel op {breach.on.isoformat()}, na de termijn van de regeling "
                f"({breach.term}: {breach.due.isoformat()}) zonder nieuwe termijn.",
                _art(2, "c"),
                breach.on,
            )
        elif breach.kind is TermBreachKind.BEYOND_MAXIMUM:
            yield finding(
                "AUDIT-JW-4.2.1-02",
                "fout",
                f"Nieuwe termijn tot {breach.due.isoformat()}, voorbij het maximum van de "
                f"regeling ({breach.maximum}).",
                _art(2, "d"),
                breach.on,
            )
        else:
            yield finding(
                "AUDIT-JW-4.2.1-03",
                "waarschuwing",
                f"Nieuwe termijn gemeld op {breach.on.isoformat()}, nadat de termijn "
                f"({breach.term}) al verstreken was.",
                _art(2, "d"),
                breach.on,
            )

    # Lid 5: the provider reports measures within one month after the oordeel.
    for breach in term_breaches(
        case,
        procedure,
        today=today,
        is_term=lambda term: citing(term.basis, 5),
        closing=actions(5),
    ):
        if breach.kind is TermBreachKind.DECIDED_LATE:
            yield finding(
                "AUDIT-JW-4.2.1-04",
                "fout",
                f"Maatregelen meegedeeld op {breach.on.isoformat()}, later dan een maand "
                f"na het oordeel ({breach.due.isoformat()}).",
                _art(5),
                breach.on,
            )
        else:
            yield finding(
                "AUDIT-JW-4.2.1-04",
                "waarschuwing",
                f"Afwijking van de maand voor de maatregelen ({breach.term}, "
                f"{breach.on.isoformat()}): controleer de motivering en de nieuwe termijn.",
                _art(5),
                breach.on,
            )
    for name, clock in case.clocks.items():
        term = procedure.terms.get(name)
        if term is not None and citing(term.basis, 5) and clock.stopped_on is None:
            due = clock.due(today)
            if today > due:
                yield finding(
                    "AUDIT-JW-4.2.1-04",
                    "fout",
                    f"Nog geen maatregelen meegedeeld; de maand na het oordeel verliep op "
                    f"{due.isoformat()}.",
                    _art(5),
                    today,
                )

    # Lid 2 onder b: the beklaagde takes no part in the handling.
    if anonymised:
        return
    respondent = respondents(case, procedure)
    handling = actions(2)
    for event in case.history:
        if event.action in handling and event.actor in respondent:
            yield finding(
                "AUDIT-JW-4.2.1-05",
                "fout",
                f"'{event.action}' is uitgevoerd door de beklaagde ({event.actor}).",
                _art(2, "b"),
                event.legal_date,
            )
