"""Facts from a case's history that every audit needs.

What happened to a handling term (late, over-extended, late notice), shared by
the audits of Awb 9:11, 7:10, Wkkgz 17 and Jeugdwet 4.2.1, which word the same
failures differently and cite different articles; who the respondents are; and
whether a case was anonymised.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterator, Mapping
from collections.abc import Set as AbstractSet

import attrs

from klachtflow.compliance.model import AuditFinding
from klachtflow.definition.model import LegalBasis, Procedure, Term, Unit
from klachtflow.engine import Case
from klachtflow.engine.case import ANONYMOUS
from klachtflow.law import REGIMES
from klachtflow.law.model import Extension, ExtensionNotice, Span, cites
from klachtflow.rules.clocks import TermClock
from klachtflow.rules.permissions import normalise_id

__all__ = [
    "BreachWording",
    "TermBreach",
    "TermBreachKind",
    "anonymised",
    "breach_findings",
    "late_extension_allowed",
    "lawful_clock",
    "overdue_open",
    "respondents",
    "term_breaches",
]


class TermBreachKind(enum.Enum):
    """The three ways a handling term is broken."""

    DECIDED_LATE = "decided_late"
    BEYOND_MAXIMUM = "beyond_maximum"
    EXTENDED_LATE = "extended_late"


@attrs.frozen
class TermBreach:
    """One breach: which term, what kind, on which date, and the dates involved."""

    term: str
    kind: TermBreachKind
    on: dt.date
    due: dt.date
    maximum: dt.date | None = None


def _days(span: Span) -> int | None:
    return {"dagen": 1, "weken": 7}.get(span.unit, 0) * span.amount or None


def late_extension_allowed(term: Term) -> bool:
    """Whether the procedure allows extending ``term`` after it has passed.

    Only where the law is silent on when (Awb 9:11 lid 2, 7:10 lid 3): a term
    under Wkkgz 17 lid 2, which demands notice before expiry, never.
    """
    if term.extension is None or not term.extension.after_expiry:
        return False
    return not any(
        o.before_expiry_statutory
        for r in REGIMES.values()
        for o in r.of(ExtensionNotice)
        if cites(term.basis, o.term)
    )


def lawful_clock(clock: TermClock) -> TermClock:
    """The clock with only the extensions the law allows.

    An extension after the term had passed does not extend it where the law
    (or klachtflow's reading of it) wants notice before expiry, and what
    goes beyond the law's cap does not count either: the decision is then
    judged against the term without them.
    """
    term = clock.term
    if not clock.extensions:
        return clock
    notices = [
        o
        for r in REGIMES.values()
        for o in r.of(ExtensionNotice)
        if cites(term.basis, o.term)
    ]
    caps = [
        o.maximum
        for r in REGIMES.values()
        for o in r.of(Extension)
        if cites(term.basis, o.term)
    ]
    late_allowed = late_extension_allowed(term)
    kept = []
    used = 0
    probe = attrs.evolve(clock, extensions=())
    for step in clock.extensions:
        if notices and step.on > probe.due(step.on) and not late_allowed:
            continue
        d = step.duration
        days = (
            d.amount * 7
            if d.unit is Unit.WEKEN
            else d.amount
            if d.unit is Unit.DAGEN
            else None
        )
        cap = min((c for c in (_days(c) for c in caps) if c is not None), default=None)
        if cap is not None and days is not None and used + days > cap:
            continue
        used += days or 0
        kept.append(step)
        probe = attrs.evolve(clock, extensions=tuple(kept))
    return probe if len(kept) != len(clock.extensions) else clock


def term_breaches(
    case: Case,
    procedure: Procedure,
    *,
    today: dt.date,
    is_term: Callable[[Term], bool],
    closing: AbstractSet[str],
) -> Iterator[TermBreach]:
    """Breaches of every term for which ``is_term`` holds.

    A decision (an action in ``closing`` on the day the clock stopped) after the
    due date, a due date past the extension maximum without further delay by
    consent, and an extension announced after the term had expired.
    """
    for name, recorded in case.clocks.items():
        term = procedure.terms.get(name)
        if term is None or not is_term(term):
            continue
        clock = lawful_clock(recorded)
        stopped = clock.stopped_on
        decided = next(
            (
                e.legal_date
                for e in case.history
                if e.action in closing and e.legal_date == stopped
            ),
            None,
        )
        due = clock.due(stopped or today)
        if decided is not None and decided > due:
            yield TermBreach(name, TermBreachKind.DECIDED_LATE, decided, due)
        maximum = recorded.maximum_due()
        claimed = recorded.due(stopped or today)
        if maximum is not None and not recorded.delays and claimed > maximum:
            yield TermBreach(
                name, TermBreachKind.BEYOND_MAXIMUM, claimed, claimed, maximum
            )
        for step in recorded.extensions:
            if step.late and not late_extension_allowed(term):
                yield TermBreach(name, TermBreachKind.EXTENDED_LATE, step.on, due)


def respondents(
    case: Case, procedure: Procedure, roles: AbstractSet[str] | None = None
) -> set[str]:
    """People who are a party to ``case`` other than the complainant's side.

    With ``roles``, only parties in those roles (e.g. the *voorbereider*).
    Ids are normalised (:func:`~klachtflow.rules.permissions.normalise_id`);
    compare ``normalise_id(event.actor)`` with them.
    """
    return {
        normalise_id(person)
        for role, ids in case.parties.items()
        if (spec := procedure.roles.get(role)) is not None
        and spec.is_party
        and spec.generic not in ("initiator", "mede_initiator")
        and (roles is None or role in roles)
        for person in ids
    }


def anonymised(case: Case) -> bool:
    """True when who did what is gone (retention or erasure)."""
    return not case.parties and all(e.actor == ANONYMOUS for e in case.history)


@attrs.frozen
class BreachWording:
    """How one law words one kind of breach: code, severity, article and message.

    ``message`` is a format string with ``{on}``, ``{due}``, ``{term}`` and
    ``{maximum}`` (ISO dates).
    """

    code: str
    severity: str
    basis: LegalBasis
    message: str


def breach_findings(
    case: Case,
    procedure: Procedure,
    *,
    today: dt.date,
    is_term: Callable[[Term], bool],
    closing: AbstractSet[str],
    wording: Mapping[TermBreachKind, BreachWording],
) -> Iterator[AuditFinding]:
    """The breaches of :func:`term_breaches` as findings, in the law's own words.

    A kind without wording is not reported (a law may not regulate it).
    """
    for breach in term_breaches(
        case, procedure, today=today, is_term=is_term, closing=closing
    ):
        words = wording.get(breach.kind)
        if words is None:
            continue
        message = words.message.format(
            on=breach.on.isoformat(),
            due=breach.due.isoformat(),
            term=breach.term,
            maximum=breach.maximum.isoformat() if breach.maximum else "",
        )
        yield AuditFinding(
            case.id, words.code, words.severity, message, words.basis, breach.on
        )


def overdue_open(
    case: Case, procedure: Procedure, *, today: dt.date, is_term: Callable[[Term], bool]
) -> Iterator[tuple[str, dt.date]]:
    """(term, due) for every running clock of such a term that expired before ``today``."""
    for name, clock in case.clocks.items():
        term = procedure.terms.get(name)
        if term is None or not is_term(term) or clock.stopped_on is not None:
            continue
        due = lawful_clock(clock).due(today)
        if today > due:
            yield name, due
