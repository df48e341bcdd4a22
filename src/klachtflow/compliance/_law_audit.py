"""Audit rules driven by the law model: what every regime's obligations say of a history.

Per obligation kind one generic audit, as in :mod:`._generic` for procedures:
a case still open past a fatal term (counting only lawful extensions), an
extension not told to whom the law names, a ground outside a closed list, a
hearing without report, a letter without its contents, an act that came too
early (an ingebrekestelling while the decision term ran), further delay
without the klager's consent. Codes are ``AUDIT-`` plus the obligation's code
(``AUDIT-OPEN-`` for an open case past a term).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

from klachtflow.compliance._generic import basis_of
from klachtflow.compliance._history import lawful_clock
from klachtflow.compliance.model import AuditFinding
from klachtflow.definition.model import Procedure
from klachtflow.definition.parties import ground_field, party_roles
from klachtflow.engine import Case
from klachtflow.engine._notices import letter_of
from klachtflow.law import REGIMES
from klachtflow.law.model import (
    Citation,
    ExtensionNotice,
    FurtherDelay,
    GroundList,
    HearingReport,
    Layer,
    Letter,
    Obligation,
    Term,
    TimingRule,
    cites,
)

__all__ = ["AUDITED", "law_audit"]


def _finding(
    case: Case, code: str, ob: Obligation, message: str, on: dt.date | None
) -> AuditFinding:
    return AuditFinding(case.id, code, ob.severity, message, basis_of(ob.citation), on)


def _empty(value: Any) -> bool:
    return value is None or value in ("", (), [])


#: Terms past which an open case is no finding here: the regime audit reports it
#: already (Jeugdwet lid 5), or the term only bounds an optional step (the four
#: weeks of Awb 9:8 lid 3 bound a refusal, not the handling).
_OPEN_ELSEWHERE = frozenset({"JW-4.2.1-04", "AWB-9:8-01"})


def _terms_citing(p: Procedure, *citations: Citation) -> frozenset[str]:
    """The procedure's terms that cite any of ``citations`` (made once per procedure)."""
    return p.derived(
        ("law-terms-citing", citations),
        lambda: frozenset(
            t.name for t in p.terms.values() if cites(t.basis, *citations)
        ),
    )


def _actions_citing(p: Procedure, *citations: Citation) -> frozenset[str]:
    """The procedure's actions that cite any of ``citations`` (made once per procedure)."""
    return p.derived(
        ("law-actions-citing", citations),
        lambda: frozenset(
            a.name for a in p.actions.values() if cites(a.basis, *citations)
        ),
    )


def _open(case: Case, p: Procedure, ob: Term, today: dt.date) -> Iterator[AuditFinding]:
    if not ob.fatal or ob.code in _OPEN_ELSEWHERE:
        return
    citing = _terms_citing(p, ob.citation)
    for name, clock in case.clocks.items():
        if name not in citing or clock.stopped_on is not None:
            continue
        due = lawful_clock(clock).due(today)
        if today > due:
            yield _finding(
                case,
                f"AUDIT-OPEN-{ob.code}",
                ob,
                f"Nog niet afgehandeld op {today.isoformat()}; de termijn '{name}' "
                f"verliep op {due.isoformat()} ({ob.citation}).",
                today,
            )


def _notice(case: Case, p: Procedure, ob: ExtensionNotice) -> Iterator[AuditFinding]:
    needed = set().union(*(party_roles(p, kind) for kind in ob.notify))
    citing = _terms_citing(p, ob.term)
    for name, clock in case.clocks.items():
        if name not in citing:
            continue
        for step in clock.extensions:
            missing = sorted(needed - set(step.notified))
            if missing:
                yield _finding(
                    case,
                    f"AUDIT-{ob.code}",
                    ob,
                    f"Verlenging van '{name}' op {step.on.isoformat()} niet gemeld aan "
                    f"{', '.join(missing)}.",
                    step.on,
                )


def _events(case: Case, p: Procedure, *citations: Any) -> Iterator[Any]:
    names = _actions_citing(p, *citations)
    return (e for e in case.history if e.action in names)


def _value(case: Case, event: Any, field: str) -> Any:
    change = event.changes.get(field)
    return change[1] if change is not None else case.data.get(field)


def _grounds(case: Case, p: Procedure, ob: GroundList) -> Iterator[AuditFinding]:
    for event in _events(case, p, ob.citation):
        action = p.actions[event.action]
        if not ob.asks_ground(action.basis):
            continue
        field, _ = ground_field(p, action)
        value = _value(case, event, field) if field else None
        if value is None or ob.ground_of(str(value)) is None:
            yield _finding(
                case,
                f"AUDIT-{ob.code}",
                ob,
                f"'{event.action}' op {event.legal_date.isoformat()} zonder grond uit de wet "
                f"(vastgelegd: {value!r}).",
                event.legal_date,
            )


def _contents(
    case: Case,
    p: Procedure,
    ob: Obligation,
    acts: tuple[Any, ...],
    labels: list[tuple[str, tuple[str, ...]]],
) -> Iterator[AuditFinding]:
    for event in _events(case, p, *acts):
        sent = letter_of(event.inputs)
        written = sent["inhoud"] if sent else ()
        missing = [
            label
            for label, stems in labels
            if all(
                _empty(case.data.get(f)) for f in p.fields if any(s in f for s in stems)
            )
            and not any(s in c for s in stems for c in written)
        ]
        if missing:
            yield _finding(
                case,
                f"AUDIT-{ob.code}",
                ob,
                f"'{event.action}' op {event.legal_date.isoformat()} zonder: {', '.join(missing)}.",
                event.legal_date,
            )


#: Contents reported by an older, more specific code (AUDIT-9:12-01: the ombudsman).
_ELSEWHERE = {"AWB-9:12-01": {"verwijzing naar de ombudsman"}}


def _timing(case: Case, p: Procedure, ob: TimingRule) -> Iterator[AuditFinding]:
    terms = _terms_citing(p, ob.term)
    for event in _events(case, p, ob.act):
        clocks = [case.clocks[t] for t in terms if t in case.clocks]
        passed = any(
            event.legal_date > lawful_clock(c).due(event.legal_date) for c in clocks
        )
        if ob.after and not passed:
            yield _finding(
                case,
                f"AUDIT-{ob.code}",
                ob,
                f"'{event.action}' op {event.legal_date.isoformat()}, voordat de termijn van "
                f"{ob.term} verstreken was.",
                event.legal_date,
            )


def _further(case: Case, p: Procedure, ob: FurtherDelay) -> Iterator[AuditFinding]:
    if not ob.allowed:
        return
    klager = party_roles(p, "klager")
    citing = _terms_citing(p, ob.term)
    for name, clock in case.clocks.items():
        if name not in citing:
            continue
        for delay in clock.delays:
            if not klager.intersection(delay.consent_of):
                yield _finding(
                    case,
                    f"AUDIT-{ob.code}",
                    ob,
                    f"'{name}' uitgesteld tot {delay.until.isoformat()} zonder instemming van "
                    "de klager.",
                    delay.on,
                )


#: The kinds of obligation this module audits (with the per-regime audits).
AUDITED = frozenset(
    {Term, ExtensionNotice, GroundList, HearingReport, Letter, TimingRule, FurtherDelay}
)


#: One audited obligation of a procedure: (case, today, anonymised) -> findings.
_Check = Callable[[Case, dt.date, bool], Iterator[AuditFinding]]


def _checks(p: Procedure) -> tuple[_Check, ...]:
    """The checks of the audited obligations that can apply to ``p``: those
    whose acts or terms the procedure cites (any other check finds nothing in
    any case), in the order of the regimes and their obligations."""
    checks: list[_Check] = []
    for regime in REGIMES.values():
        for ob in regime.obligations:
            if Layer.AUDIT in ob.layers:
                check = _check(p, ob)
                if check is not None:
                    checks.append(check)
    return tuple(checks)


def _check(p: Procedure, ob: Obligation) -> _Check | None:
    """The check of one obligation for ``p``; None when nothing in ``p`` cites it."""
    if isinstance(ob, Term):
        if not _terms_citing(p, ob.citation):
            return None
        return lambda case, today, _: _open(case, p, ob, today)
    if isinstance(ob, ExtensionNotice):
        if not _terms_citing(p, ob.term):
            return None
        return lambda case, _, hidden: iter(()) if hidden else _notice(case, p, ob)
    if isinstance(ob, GroundList):
        if not _actions_citing(p, ob.citation):
            return None
        return lambda case, _, __: _grounds(case, p, ob)
    if isinstance(ob, HearingReport):
        if not _actions_citing(p, *ob.hearing):
            return None
        hearing: list[tuple[str, tuple[str, ...]]] = [
            ("het verslag van het horen", (ob.stem,))
        ]
        return lambda case, _, __: _contents(case, p, ob, ob.hearing, hearing)
    if isinstance(ob, Letter):
        acts = ob.acts or (ob.citation,)
        if not _actions_citing(p, *acts):
            return None
        skip = _ELSEWHERE.get(ob.code, set())
        labels = [(c.label, c.stems) for c in ob.contents if c.label not in skip]
        return lambda case, _, __: _contents(case, p, ob, acts, labels)
    if isinstance(ob, TimingRule):
        if not _actions_citing(p, ob.act):
            return None
        return lambda case, _, __: _timing(case, p, ob)
    if isinstance(ob, FurtherDelay):
        if not _terms_citing(p, ob.term):
            return None
        return lambda case, _, __: _further(case, p, ob)
    return None


def law_audit(
    case: Case, p: Procedure, *, today: dt.date, anonymised: bool
) -> Iterator[AuditFinding]:
    """The findings of every audited obligation the procedure's articles bring in.

    Which obligations can apply is worked out once per procedure (:func:`_checks`).
    """
    for check in p.derived("law-audit-checks", lambda: _checks(p)):
        yield from check(case, today, anonymised)
