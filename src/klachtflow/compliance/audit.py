"""Audit what actually happened: the law applied to case histories.

Where :mod:`.awb9` checks a procedure, this checks cases: a complaint decided
after its term without a valid extension, an extension beyond the maximum or
announced late, a handler who was the beklaagde, no acknowledgement, no
referral to the ombudsman in the closing notice, a refusal after four weeks;
the bezwaar, Wkkgz and Jeugdwet rules live in :mod:`.audit_bezwaar`,
:mod:`.audit_wkkgz` and :mod:`.audit_jeugdwet`. Steps are recognised by the legal
basis their actions cite, as in the packs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping

import attrs

from klachtflow.compliance._history import (
    BreachWording,
    TermBreachKind,
    anonymised,
    breach_findings,
    respondents,
)
from klachtflow.compliance._law_audit import law_audit
from klachtflow.compliance.audit_bezwaar import audit_bezwaar
from klachtflow.compliance.audit_jeugdwet import audit_jeugdwet
from klachtflow.compliance.audit_notices import audit_notices, letters
from klachtflow.compliance.audit_wkkgz import audit_wkkgz
from klachtflow.compliance.awb9 import cites
from klachtflow.compliance.model import AuditFinding
from klachtflow.definition.model import Action, LegalBasis, Procedure
from klachtflow.engine import Case
from klachtflow.law.model import Separation
from klachtflow.law.model import cites as law_cites
from klachtflow.law.regimes import AWB9
from klachtflow.rules.period import InvalidPeriod
from klachtflow.rules.period import parse_period as _parse_period
from klachtflow.rules.permissions import normalise_id

__all__ = [
    "AuditFinding",
    "AuditReport",
    "InvalidPeriod",
    "audit_case",
    "audit_cases",
    "parse_period",
]

AWB = "BWBR0005537"


@attrs.frozen
class AuditReport:
    """Findings over a set of cases, with a summary per code."""

    cases: int
    findings: tuple[AuditFinding, ...]

    @property
    def summary(self) -> dict[str, int]:
        """How many findings per code."""
        return dict(sorted(Counter(f.code for f in self.findings).items()))

    @property
    def cases_with_findings(self) -> int:
        """How many cases have at least one finding."""
        return len({f.case_id for f in self.findings})


def _art(artikel: str, lid: int | None = None) -> LegalBasis:
    return LegalBasis(wet="Awb", artikel=artikel, lid=lid, bwb=AWB)


def _citing(procedure: Procedure, artikel: str) -> frozenset[str]:
    return procedure.derived(
        ("awb-actions-citing", artikel),
        lambda: frozenset(
            a.name for a in procedure.actions.values() if cites(a.basis, artikel)
        ),
    )


def _handling(procedure: Procedure) -> Mapping[str, Action]:
    """The acts of handling of Awb 9:7 lid 1, as the law model lists them."""

    def compute() -> Mapping[str, Action]:
        acts = next(o for o in AWB9.of(Separation) if o.code == "AWB-9:7-01").acts
        return {
            a.name: a
            for a in procedure.actions.values()
            if law_cites(a.basis, *acts)
            and any(
                r in procedure.roles and not procedure.roles[r].is_party
                for r in a.roles
            )
        }

    return procedure.derived("awb-9:7-handling", compute)


_WORDING_9_11 = {
    TermBreachKind.DECIDED_LATE: BreachWording(
        "AUDIT-9:11-01",
        "fout",
        _art("9:11", 1),
        "Afgehandeld op {on}, na de termijn ({term}: {due}).",
    ),
    TermBreachKind.BEYOND_MAXIMUM: BreachWording(
        "AUDIT-9:11-02",
        "fout",
        _art("9:11", 2),
        "Verlengd tot {due}, voorbij het maximum ({maximum}).",
    ),
    TermBreachKind.EXTENDED_LATE: BreachWording(
        "AUDIT-9:11-03",
        "fout",
        _art("9:11", 2),
        "Verdaagd op {on}, nadat de termijn ({term}) al verstreken was.",
    ),
}


def audit_case(
    case: Case, procedure: Procedure, *, today: dt.date
) -> list[AuditFinding]:
    """Every violation of the law in the history of ``case``.

    Awb hoofdstuk 9 here; bezwaar (7:10, 7:5), the Wkkgz and Jeugdwet 4.2.1 in
    their own modules.

    Rules apply by the articles the procedure cites, so a Wkkgz procedure gets
    no Awb findings and the other way round.
    """
    hidden = anonymised(case)
    return [
        *_audit(case, procedure, today),
        *audit_bezwaar(case, procedure, today=today, anonymised=hidden),
        *audit_wkkgz(case, procedure, today=today, anonymised=hidden),
        *audit_jeugdwet(case, procedure, today=today, anonymised=hidden),
        *law_audit(case, procedure, today=today, anonymised=hidden),
        *audit_notices(case, procedure, today=today),
    ]


def _audit(case: Case, procedure: Procedure, today: dt.date) -> Iterator[AuditFinding]:
    actions = {e.action for e in case.history}
    closing = _citing(procedure, "9:12")
    refusal = _citing(procedure, "9:8")
    acknowledgement = _citing(procedure, "9:6")
    formal_end = actions & (closing | refusal)

    # 9:11: decided after the term, or an extension beyond the maximum / late.
    yield from breach_findings(
        case,
        procedure,
        today=today,
        is_term=lambda term: cites(term.basis, "9:11"),
        closing=closing,
        wording=_WORDING_9_11,
    )
    # 9:8: a refusal after four weeks.
    for name, clock in case.clocks.items():
        term = procedure.terms.get(name)
        if term is None or not cites(term.basis, "9:8"):
            continue
        refused = next(
            (e.legal_date for e in case.history if e.action in refusal), None
        )
        if refused is not None and refused > clock.due(refused):
            yield AuditFinding(
                case.id,
                "AUDIT-9:8-01",
                "fout",
                f"Niet in behandeling genomen op {refused.isoformat()}, na vier weken "
                f"({clock.due(refused).isoformat()}).",
                _art("9:8", 3),
                refused,
            )
    # 9:6: a formal end without acknowledgement of receipt.
    if formal_end and not actions & acknowledgement:
        yield AuditFinding(
            case.id,
            "AUDIT-9:6-01",
            "fout",
            "De klacht is formeel afgehandeld zonder schriftelijke ontvangstbevestiging.",
            _art("9:6"),
            None,
        )
    if anonymised(case):
        return  # who acted and what was written is gone: only the skeleton is audited
    # 9:7: a handler who was the beklaagde (unless the complaint is about the organ).
    handling = _handling(procedure)
    respondent = respondents(case, procedure)
    about_organ = case.data.get("klacht_over_bestuursorgaan") is True
    for event in case.history:
        if (
            event.action in handling
            and normalise_id(event.actor) in respondent
            and not about_organ
        ):
            yield AuditFinding(
                case.id,
                "AUDIT-9:7-01",
                "fout",
                f"'{event.action}' is uitgevoerd door de beklaagde ({event.actor}).",
                _art("9:7", 1),
                event.legal_date,
            )
    # 9:12 lid 2: the closing notice names the ombudsman.
    if actions & closing:
        referral = [
            k for k in case.data if re.search("ombudsman", k) and "verwijzing" in k
        ]
        # A letter (brief) whose contents name the ombudsman refers too.
        sent = any(
            "ombudsman" in content
            for _, action, letter in letters(case)
            if action in closing
            for content in letter["inhoud"]
        )
        if not sent and not any(case.data.get(k) for k in referral):
            yield AuditFinding(
                case.id,
                "AUDIT-9:12-01",
                "fout",
                "De afhandeling vermeldt niet bij welke ombudsman en binnen welke termijn de "
                "klager terecht kan.",
                _art("9:12", 2),
                None,
            )


def audit_cases(
    cases: Iterable[tuple[Case, Procedure]], *, today: dt.date
) -> AuditReport:
    """Audit each (case, procedure it ran under)."""
    findings: list[AuditFinding] = []
    count = 0
    for case, procedure in cases:
        count += 1
        findings.extend(audit_case(case, procedure, today=today))
    return AuditReport(cases=count, findings=tuple(findings))


def parse_period(text: str) -> tuple[dt.date, dt.date]:
    """'2026', '2026-H1' or '2026-Q3' → (first day, last day); see :mod:`klachtflow.rules.period`."""
    period = _parse_period(text)
    return period.first, period.last
