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

import attrs

from klachtflow.compliance.model import AuditFinding
from klachtflow.definition.model import LegalBasis, Procedure, Term
from klachtflow.engine import Case
from klachtflow.engine.case import ANONYMOUS
from klachtflow.rules.permissions import normalise_id

__all__ = [
    "BreachWording",
    "TermBreach",
    "TermBreachKind",
    "anonymised",
    "breach_findings",
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


def term_breaches(
    case: Case,
    procedure: Procedure,
    *,
    today: dt.date,
    is_term: Callable[[Term], bool],
    closing: set[str],
) -> Iterator[TermBreach]:
    """Breaches of every term for which ``is_term`` holds.

    A decision (an action in ``closing`` on the day the clock stopped) after the
    due date, a due date past the extension maximum without further delay by
    consent, and an extension announced after the term had expired.
    """
    for name, clock in case.clocks.items():
        term = procedure.terms.get(name)
        if term is None or not is_term(term):
            continue
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
        maximum = clock.maximum_due()
        if maximum is not None and not clock.delays and due > maximum:
            yield TermBreach(name, TermBreachKind.BEYOND_MAXIMUM, due, due, maximum)
        for step in clock.extensions:
            if step.late:
                yield TermBreach(name, TermBreachKind.EXTENDED_LATE, step.on, due)


def respondents(
    case: Case, procedure: Procedure, roles: set[str] | None = None
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
    closing: set[str],
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
        due = clock.due(today)
        if today > due:
            yield name, due
