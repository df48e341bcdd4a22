"""The run-time part of the law model, compiled once per procedure.

:class:`LawRules` reads the obligations of every regime in
:mod:`klachtflow.law` that the procedure's actions and terms cite and keeps,
per action, what the engine must refuse: an extension after the term has
passed or beyond the law's cap or without notice to whom the law names, a
further delay without the klager's (written) consent, an ingebrekestelling
before the decision term has passed, a ground outside the law's closed list,
a hearing without report, a letter without its contents, an act of handling
by the person complained about. Each refusal cites its article.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from klachtflow.definition.model import (
    Action,
    FieldType,
    Procedure,
    SeparationKind,
)
from klachtflow.definition.parties import ground_field, party_roles
from klachtflow.exceptions import UnlawfulAction
from klachtflow.law import REGIMES
from klachtflow.law.model import (
    Citation,
    Extension,
    ExtensionNotice,
    FurtherDelay,
    GroundList,
    HearingReport,
    Layer,
    Letter,
    Obligation,
    Separation,
    Span,
    TimingRule,
    cites,
)
from klachtflow.rules.clocks import TermClock
from klachtflow.rules.permissions import Actor, Reason, ReasonKind, check_passes

__all__ = [
    "ENFORCED",
    "After",
    "Fire",
    "LawRefusal",
    "LawRules",
    "reasons",
    "refuse",
    "unmet_routing",
    "unmet_timing",
]


@attrs.frozen
class LawRefusal:
    """Why the law refuses an action: the article, the reason and what to do."""

    article: str
    reason: str
    hint: str


@attrs.frozen
class Fire:
    """What a check of one fire sees."""

    case_parties: Mapping[str, tuple[str, ...]]
    clocks: Mapping[str, TermClock]
    actor: Actor
    data: Mapping[str, Any]
    today: dt.date
    #: The contents of the letter sent with this fire (``brief.inhoud``).
    letter: tuple[str, ...] = ()


@attrs.frozen
class After:
    """What a check after the term effects sees."""

    before: Mapping[str, TermClock]
    after: Mapping[str, TermClock]
    notified: tuple[str, ...]
    consent: Mapping[str, str | None]


BeforeCheck = Callable[[Fire], LawRefusal | None]
AfterCheck = Callable[[After], LawRefusal | None]


def _article(ob: Obligation) -> str:
    return str(ob.citation)


def _empty(value: Any) -> bool:
    return value is None or value in ("", (), [])


def _days(span: Span) -> int | None:
    if span.unit == "dagen":
        return span.amount
    if span.unit == "weken":
        return span.amount * 7
    return None


def _total_fits(steps: tuple[Any, ...], cap: Span) -> bool:
    """Whether the extensions in ``steps`` together stay within ``cap``."""
    spans = [Span(step.duration.amount, step.duration.unit.value) for step in steps]
    cap_days = _days(cap)
    days = [_days(s) for s in spans]
    if cap_days is not None and all(d is not None for d in days):
        return sum(d or 0 for d in days) <= cap_days
    if all(s.unit == cap.unit for s in spans):
        return sum(s.amount for s in spans) <= cap.amount
    return len(spans) == 1 and spans[0].fits_within(cap)


# --------------------------------------------------------------------------- compilers


def _terms_citing(p: Procedure, citation: Citation) -> set[str]:
    return {t.name for t in p.terms.values() if cites(t.basis, citation)}


def _grounds(p: Procedure, ob: GroundList, action: Action) -> BeforeCheck | None:
    if not ob.asks_ground(action.basis):
        return None
    field, _ = ground_field(p, action)
    if field is None:
        return None

    def check(fire: Fire) -> LawRefusal | None:
        value = fire.data.get(field)
        if value is None or ob.ground_of(str(value)) is not None:
            return None
        listed = ", ".join(g.code for g in ob.grounds)
        return LawRefusal(
            _article(ob),
            f"'{value}' is geen grond uit de wet",
            f"Kies een van de gronden van de wet: {listed}.",
        )

    return check


def _contents(
    p: Procedure, ob: Obligation, labels: tuple[tuple[str, tuple[str, ...]], ...]
) -> BeforeCheck | None:
    """Each content for which the procedure has a field must be filled in."""
    present = [
        (label, [f for f in p.fields if any(stem in f for stem in stems)])
        for label, stems in labels
    ]
    present = [(label, fields) for label, fields in present if fields]
    if not present:
        return None

    def check(fire: Fire) -> LawRefusal | None:
        missing = [
            label
            for label, fields in present
            if all(_empty(fire.data.get(f)) for f in fields)
            and not any(s in c for s in dict(labels)[label] for c in fire.letter)
        ]
        if not missing:
            return None
        return LawRefusal(
            _article(ob),
            f"niet vastgelegd: {', '.join(missing)}",
            "Geef deze inhoud mee in data={...}; de wet eist haar.",
        )

    return check


def _separation(p: Procedure, ob: Separation, action: Action) -> BeforeCheck | None:
    if any(r.kind is SeparationKind.NIET_PARTIJ for r in action.separation):
        return (
            None  # the procedure says it (with its exceptions); permissions enforce it
        )
    if not any(r in p.roles and not p.roles[r].is_party for r in action.roles):
        return None
    roles: frozenset[str]
    if ob.respondent is not None:
        roles = frozenset(
            r.name
            for r in p.roles.values()
            if r.is_party and cites(r.basis, ob.respondent)
        )
    else:
        roles = party_roles(p, "beklaagde")

    def check(fire: Fire) -> LawRefusal | None:
        people = {
            person for role in roles for person in fire.case_parties.get(role, ())
        }
        if fire.actor.id not in people:
            return None
        return LawRefusal(
            _article(ob),
            f"{fire.actor.id} is de persoon over wie geklaagd wordt (of die het besluit "
            "voorbereidde)",
            "Laat iemand die niet bij de gedraging betrokken was deze handeling doen.",
        )

    return check


def _timing(p: Procedure, ob: TimingRule, action: Action) -> BeforeCheck:
    terms = _terms_citing(p, ob.term)
    day_fields = [
        p.terms[t].from_field
        for t in action.terms.start
        if t in p.terms
        and p.terms[t].from_field
        and p.fields.get(p.terms[t].from_field or "") is not None
        and p.fields[p.terms[t].from_field or ""].type is FieldType.DATUM
    ]

    def check(fire: Fire) -> LawRefusal | None:
        day = fire.today
        for name in day_fields:
            value = fire.data.get(name or "")
            if isinstance(value, dt.date):
                day = value
        clocks = [fire.clocks[t] for t in terms if t in fire.clocks]
        running = [c for c in clocks if c.stopped_on is None]
        if ob.after:
            if any(day > c.due(day) for c in running):
                return None
            due = min((c.due(day) for c in running), default=None)
            when = (
                f"de termijn loopt tot {due.isoformat()}"
                if due
                else "de termijn loopt niet"
            )
            return LawRefusal(
                _article(ob),
                f"{when}; pas daarna kan dit (op {day.isoformat()})",
                "Leg dit vast na het verstrijken van de termijn.",
            )
        if any(day <= c.due(day) for c in running):
            return None
        return LawRefusal(
            _article(ob),
            "de termijn is verstreken",
            "Dit kan alleen zolang de termijn loopt.",
        )

    return check


def _extension(p: Procedure, ob: Extension, action: Action) -> AfterCheck | None:
    names = set(action.terms.extend) & _terms_citing(p, ob.term)
    if not names:
        return None

    def check(after: After) -> LawRefusal | None:
        for name in names:
            clock = after.after.get(name)
            if clock is not None and not _total_fits(clock.extensions, ob.maximum):
                return LawRefusal(
                    _article(ob),
                    f"de termijn '{name}' wordt langer verlengd dan {ob.maximum} in totaal",
                    "Verleng binnen het wettelijk maximum; verder uitstel vraagt instemming.",
                )
        return None

    return check


def _notice(p: Procedure, ob: ExtensionNotice, action: Action) -> AfterCheck | None:
    names = set(action.terms.extend) & _terms_citing(p, ob.term)
    if not names:
        return None
    needed = set().union(*(party_roles(p, kind) for kind in ob.notify))

    def check(after: After) -> LawRefusal | None:
        for name in names:
            clock, old = after.after.get(name), after.before.get(name)
            if clock is None:
                continue
            new = clock.extensions[len(old.extensions) if old else 0 :]
            local = (
                clock.term.extension is not None and clock.term.extension.after_expiry
            )
            allowed_late = local and not ob.before_expiry_statutory
            if not allowed_late and any(step.late for step in new):
                reading = (
                    ""
                    if ob.before_expiry_statutory
                    else " (keuze van klachtflow: de wet zegt niet wanneer, maar een "
                    "verdaging na afloop verdaagt niets)"
                )
                return LawRefusal(
                    _article(ob),
                    f"de termijn '{name}' is al verstreken{reading}",
                    "Verleng vóór het einde van de termijn; daarna is de beslissing te laat.",
                )
            missing = sorted(needed - set(after.notified))
            if missing:
                return LawRefusal(
                    _article(ob),
                    f"geen bericht van de verlenging aan {', '.join(missing)}",
                    f"Geef notified=[{', '.join(sorted(needed))}] mee.",
                )
        return None

    return check


def _further(p: Procedure, ob: FurtherDelay, action: Action) -> AfterCheck | None:
    names = set(action.terms.delay) & _terms_citing(p, ob.term)
    if not names or not ob.allowed:
        return None
    klager = party_roles(p, "klager")

    def check(after: After) -> LawRefusal | None:
        given = {
            role
            for role, ref in after.consent.items()
            if role in klager and (ref or not ob.written)
        }
        if given:
            return None
        kind = "schriftelijke " if ob.written else ""
        return LawRefusal(
            _article(ob),
            f"verder uitstel zonder {kind}instemming van de klager",
            "Geef consent={'klager': 'brief van ...'} mee"
            + (" met een verwijzing naar het document." if ob.written else "."),
        )

    return check


def _compile(
    p: Procedure, ob: Obligation, action: Action
) -> tuple[BeforeCheck | None, AfterCheck | None]:
    if isinstance(ob, GroundList) and cites(action.basis, ob.citation):
        return _grounds(p, ob, action), None
    if isinstance(ob, Letter) and cites(action.basis, *(ob.acts or (ob.citation,))):
        return _contents(p, ob, tuple((c.label, c.stems) for c in ob.contents)), None
    if isinstance(ob, HearingReport) and cites(action.basis, *ob.hearing):
        return _contents(p, ob, (("het verslag van het horen", (ob.stem,)),)), None
    if isinstance(ob, Separation) and cites(action.basis, *ob.acts):
        return _separation(p, ob, action), None
    if isinstance(ob, TimingRule) and cites(action.basis, ob.act):
        return _timing(p, ob, action), None
    if isinstance(ob, Extension):
        return None, _extension(p, ob, action)
    if isinstance(ob, ExtensionNotice):
        return None, _notice(p, ob, action)
    if isinstance(ob, FurtherDelay):
        return None, _further(p, ob, action)
    return None, None


#: The kinds of obligation whose run-time part the engine enforces.
ENFORCED: frozenset[type[Obligation]] = frozenset(
    {
        GroundList,
        Letter,
        HearingReport,
        Separation,
        TimingRule,
        Extension,
        ExtensionNotice,
        FurtherDelay,
    }
)


def unmet_timing(
    action: Action, clocks: Mapping[str, TermClock], today: dt.date
) -> tuple[str, ...]:
    """The procedure's own timing preconditions of ``action`` that fail today.

    ``pas_na_verstrijken``: none of the terms may be running and unexpired;
    ``alleen_voor_verstrijken``: one of them must be.
    """
    failed = []
    for name in action.after_expiry:
        clock = clocks.get(name)
        if clock is not None and clock.stopped_on is None and today <= clock.due(today):
            failed.append(
                f"de termijn '{name}' loopt nog (tot {clock.due(today).isoformat()})"
            )
    if action.before_expiry and not any(
        (clock := clocks.get(name)) is not None
        and clock.stopped_on is None
        and today <= clock.due(today)
        for name in action.before_expiry
    ):
        failed.append(
            f"de termijn {' of '.join(repr(n) for n in action.before_expiry)} loopt niet "
            "meer of is verstreken"
        )
    return tuple(failed)


def unmet_routing(
    action: Action, actor: Actor, data: Mapping[str, Any]
) -> tuple[str, ...]:
    """Why none of the actor's roles may act here under ``wie_alleen_als``.

    Empty when a role of the actor in ``wie`` has no routing checks, or has
    checks that all pass on ``data``.
    """
    if not action.role_checks:
        return ()
    routed = dict(action.role_checks)
    roles = sorted(actor.roles & action.roles)
    if any(all(check_passes(c, data) for c in routed.get(r, ())) for r in roles):
        return ()
    return tuple(
        f"{r} alleen als {' en '.join(str(c) for c in routed[r])}"
        for r in roles
        if r in routed
    )


@attrs.frozen
class LawRules:
    """Per action, the law's checks before and after its term effects."""

    before: Mapping[str, tuple[BeforeCheck, ...]]
    after: Mapping[str, tuple[AfterCheck, ...]]
    timing: Mapping[str, tuple[BeforeCheck, ...]]

    @classmethod
    def build(cls, procedure: Procedure) -> LawRules:
        """Compile the engine-enforced obligations the procedure's articles bring in."""
        before: dict[str, list[BeforeCheck]] = {}
        after: dict[str, list[AfterCheck]] = {}
        timing: dict[str, list[BeforeCheck]] = {}
        obligations = [
            ob
            for r in REGIMES.values()
            for ob in r.obligations
            if Layer.ENGINE in ob.layers
        ]
        for action in procedure.actions.values():
            for ob in obligations:
                pre, post = _compile(procedure, ob, action)
                if pre is not None:
                    before.setdefault(action.name, []).append(pre)
                    if isinstance(ob, TimingRule):
                        timing.setdefault(action.name, []).append(pre)
                if post is not None:
                    after.setdefault(action.name, []).append(post)
        return cls(
            before={k: tuple(v) for k, v in before.items()},
            after={k: tuple(v) for k, v in after.items()},
            timing={k: tuple(v) for k, v in timing.items()},
        )

    def check_before(self, action: str, fire: Fire) -> LawRefusal | None:
        """The first refusal of the checks that need no term effects."""
        return next((r for c in self.before.get(action, ()) if (r := c(fire))), None)

    def check_after(self, action: str, after: After) -> LawRefusal | None:
        """The first refusal of the checks on the clocks after the term effects."""
        return next((r for c in self.after.get(action, ()) if (r := c(after))), None)

    def timing_refusal(self, action: str, fire: Fire) -> LawRefusal | None:
        """The first refusal of the timing rules alone (for allowed_actions)."""
        return next((r for c in self.timing.get(action, ()) if (r := c(fire))), None)


def refuse(case: Any, action: Action, refused: LawRefusal | None) -> None:
    """Raise :class:`UnlawfulAction` for a refusal of the law (nothing changes)."""
    if refused is not None:
        raise UnlawfulAction(
            case_id=case.id,
            state=case.state,
            action=action.name,
            article=refused.article,
            reason=refused.reason,
            hint=refused.hint,
        )


def reasons(rules: LawRules, action: Action, fire: Fire) -> list[Reason]:
    """Timing preconditions and the law's refusals, as ``Engine.explain`` reports them."""
    unmet = (
        *unmet_timing(action, fire.clocks, fire.today),
        *unmet_routing(action, fire.actor, fire.data),
    )
    found = (
        [Reason(ReasonKind.VOORWAARDE, f"Niet voldaan aan: {'; '.join(unmet)}.", {})]
        if unmet
        else []
    )
    refused = rules.check_before(action.name, fire)
    if refused is not None:
        found.append(
            Reason(
                ReasonKind.VOORWAARDE,
                f"{refused.reason} ({refused.article}).",
                {"artikel": refused.article},
            )
        )
    return found
