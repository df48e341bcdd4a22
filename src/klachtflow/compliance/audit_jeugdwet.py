"""Audit case histories against Jeugdwet art 4.2.1 (BWBR0034925), law.md §5.1.

As in the ``jeugdwet`` pack, steps are recognised by the article, lid and
onderdeel they cite: the oordeel cites lid 2 onder c, a new term lid 2 onder d,
the measures lid 5.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from klachtflow.compliance._history import (
    BreachWording,
    TermBreachKind,
    breach_findings,
    overdue_open,
    respondents,
)
from klachtflow.compliance.jeugdwet import ART, JW, citing
from klachtflow.compliance.model import AuditFinding
from klachtflow.definition.model import LegalBasis, Procedure
from klachtflow.engine import Case
from klachtflow.rules.permissions import normalise_id

__all__ = ["audit_jeugdwet"]


def _art(lid: int, onderdeel: str | None = None) -> LegalBasis:
    return LegalBasis(wet="Jeugdwet", artikel=ART, lid=lid, onderdeel=onderdeel, bwb=JW)


_WORDING_OORDEEL = {
    TermBreachKind.DECIDED_LATE: BreachWording(
        "AUDIT-JW-4.2.1-01",
        "fout",
        _art(2, "c"),
        "Oordeel op {on}, na de termijn van de regeling ({term}: {due}) zonder nieuwe "
        "termijn.",
    ),
    TermBreachKind.BEYOND_MAXIMUM: BreachWording(
        "AUDIT-JW-4.2.1-02",
        "fout",
        _art(2, "d"),
        "Nieuwe termijn tot {due}, voorbij het maximum van de regeling ({maximum}).",
    ),
    TermBreachKind.EXTENDED_LATE: BreachWording(
        "AUDIT-JW-4.2.1-03",
        "waarschuwing",
        _art(2, "d"),
        "Nieuwe termijn gemeld op {on}, nadat de termijn ({term}) al verstreken was.",
    ),
}
_DEVIATION = BreachWording(
    "AUDIT-JW-4.2.1-04",
    "waarschuwing",
    _art(5),
    "Afwijking van de maand voor de maatregelen ({term}, {on}): controleer de "
    "motivering en de nieuwe termijn.",
)
_WORDING_MAATREGELEN = {
    TermBreachKind.DECIDED_LATE: BreachWording(
        "AUDIT-JW-4.2.1-04",
        "fout",
        _art(5),
        "Maatregelen meegedeeld op {on}, later dan een maand na het oordeel ({due}).",
    ),
    TermBreachKind.BEYOND_MAXIMUM: _DEVIATION,
    TermBreachKind.EXTENDED_LATE: _DEVIATION,
}


def audit_jeugdwet(
    case: Case, procedure: Procedure, *, today: dt.date, anonymised: bool = False
) -> Iterator[AuditFinding]:
    """Every violation of Jeugdwet 4.2.1 in the history of ``case``.

    Yields nothing for a procedure that cites no Jeugdwet 4.2.1. For an
    ``anonymised`` case the check on who took part is skipped.
    """

    def actions(lid: int, onderdeel: str | None = None) -> frozenset[str]:
        return procedure.derived(
            ("jeugdwet-4.2.1-actions", lid, onderdeel),
            lambda: frozenset(
                a.name
                for a in procedure.actions.values()
                if citing(a.basis, lid, onderdeel)
            ),
        )

    # Lid 2 onder c/d: the oordeel within the regeling's term, or a reasoned new one.
    yield from breach_findings(
        case,
        procedure,
        today=today,
        is_term=lambda term: citing(term.basis, 2, "c"),
        closing=actions(2, "c"),
        wording=_WORDING_OORDEEL,
    )

    # Lid 5: the provider reports measures within one month after the oordeel.
    yield from breach_findings(
        case,
        procedure,
        today=today,
        is_term=lambda term: citing(term.basis, 5),
        closing=actions(5),
        wording=_WORDING_MAATREGELEN,
    )
    for _, due in overdue_open(
        case, procedure, today=today, is_term=lambda term: citing(term.basis, 5)
    ):
        yield AuditFinding(
            case.id,
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
        if event.action in handling and normalise_id(event.actor) in respondent:
            yield AuditFinding(
                case.id,
                "AUDIT-JW-4.2.1-05",
                "fout",
                f"'{event.action}' is uitgevoerd door de beklaagde ({event.actor}).",
                _art(2, "b"),
                event.legal_date,
            )
