"""A handful of generic checks, driven by the law model (:mod:`klachtflow.law`).

One function per kind of obligation ("every term citing X respects its
bound", "every letter citing Y holds its contents", …); :func:`rules_for`
turns a regime's obligations into the :class:`~.model.Rule` values of a
pack. A step of a procedure is recognised by the article it cites.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator

from klachtflow.compliance.model import Rule, Severity
from klachtflow.definition.model import (
    Action,
    Duration,
    LegalBasis,
    Procedure,
    SeparationKind,
    TermKind,
    TriggerKind,
    Unit,
)
from klachtflow.definition.model import Term as ProcedureTerm
from klachtflow.definition.parties import ground_field, party_roles
from klachtflow.law.model import (
    Bound,
    Citation,
    Committee,
    Consent,
    Extension,
    ExtensionNotice,
    FurtherDelay,
    GroundList,
    Hearing,
    HearingReport,
    Letter,
    NotApplicable,
    Obligation,
    Ombudsman,
    Progress,
    Registration,
    RoleLimit,
    Separation,
    Span,
    Start,
    Step,
    Suspension,
    Term,
    TimingRule,
    cites,
)
from klachtflow.law.regimes import Regime, awb

__all__ = [
    "CHECKS",
    "basis_of",
    "cites",
    "ground_field",
    "missing_contents",
    "party_roles",
    "rules_for",
    "span_of",
]

Yield = Iterator[tuple[str, tuple[str | int, ...]]]


# --------------------------------------------------------------------------- helpers


def basis_of(citation: Citation) -> LegalBasis:
    """The :class:`LegalBasis` a finding cites for ``citation``."""
    return LegalBasis(
        wet=citation.wet or None,
        artikel=citation.artikel,
        lid=citation.lid,
        onderdeel=citation.onderdeel,
        bwb=citation.bwb,
    )


def span_of(duration: Duration) -> Span | None:
    """The law model's length for a procedure's duration (``None`` for hours)."""
    if duration.unit is Unit.UREN:
        return None
    return Span(duration.amount, duration.unit.value)


def _exact(span: Span, law: Span) -> bool:
    return span.fits_within(law) and law.fits_within(span)


def missing_contents(
    action: Action, contents: Iterable[tuple[str, tuple[str, ...]]]
) -> list[str]:
    """Labels of contents that no required field, nor the contents of the action's
    letter (``brief.inhoud``), names by a stem."""
    letter = action.notice.contents if action.notice is not None else ()
    fields = " ".join((*action.required, *letter))
    return [label for label, stems in contents if not any(s in fields for s in stems)]


def _actions(p: Procedure, *citations: Citation) -> list[Action]:
    return [a for a in p.actions.values() if cites(a.basis, *citations)]


def _terms(p: Procedure, *citations: Citation) -> list[ProcedureTerm]:
    return [t for t in p.terms.values() if cites(t.basis, *citations)]


def _ends(p: Procedure, action: Action) -> bool:
    return action.target is not None and p.states[action.target].is_final


def _where(action: Action, citation: Citation) -> str | None:
    """The onderdeel of the basis by which ``action`` cites ``citation``."""
    return next(
        (
            b.onderdeel
            for b in action.basis
            if citation.matches(b.bwb, b.artikel, b.lid, b.onderdeel) and b.onderdeel
        ),
        None,
    )


# --------------------------------------------------------------------------- checks


def _term(ob: Term, p: Procedure) -> Yield:
    if (
        ob.only_if_cited
        and not _actions(p, *ob.only_if_cited)
        and not _terms(p, *ob.only_if_cited)
    ):
        return
    terms = _terms(p, ob.citation)
    if not terms:
        if ob.required:
            yield (
                f"Er is geen termijn voor: {ob.title.lower()} ({ob.citation}).",
                ("termijnen",),
            )
        return
    committee = bool(ob.committee) and (
        bool(_actions(p, *ob.committee))
        or any(cites(r.basis, *ob.committee) for r in p.roles.values())
    )
    # The committee's length is for the term its route starts; when no action
    # starts one, the committee handles every complaint under the one term.
    routed = (
        {name for a in _actions(p, *ob.committee) for name in a.terms.start}
        if committee
        else set()
    )
    for term in terms:
        path: tuple[str | int, ...] = ("termijnen", term.name)
        span = span_of(term.duration)
        on_route = committee and (not routed or term.name in routed)
        allowed = (
            *ob.lengths,
            *((ob.with_committee,) if ob.with_committee and on_route else ()),
        )
        if not ob.local_length and span is not None and allowed:
            yield from _length(
                ob, term, span=span, allowed=allowed, committee=on_route, path=path
            )
        if ob.fatal and term.kind is not TermKind.FATAAL:
            yield f"De termijn '{term.name}' is geen fatale termijn.", (*path, "soort")
        if ob.atw and not term.atw and not term.duration.atw_excluded:
            yield (
                f"Bij de termijn '{term.name}' is de Algemene termijnenwet uitgezet; het is "
                "een wettelijke termijn.",
                (*path, "atw"),
            )
        if not ob.atw and term.atw:
            yield (
                f"Bij de termijn '{term.name}' geldt de Algemene termijnenwet niet.",
                (*path, "atw"),
            )
        yield from _start(ob, p, term, path)


def _length(
    ob: Term,
    term: ProcedureTerm,
    *,
    span: Span,
    allowed: tuple[Span, ...],
    committee: bool,
    path: tuple[str | int, ...],
) -> Yield:
    said = " of ".join(str(a) for a in allowed)
    if ob.bound is Bound.MAXIMUM and not any(span.fits_within(a) for a in allowed):
        extra = ""
        if ob.with_committee and not committee and span.fits_within(ob.with_committee):
            extra = f"; {ob.with_committee} alleen met een adviescommissie"
        yield (
            f"De termijn '{term.name}' is {term.duration}; de wet zegt ten hoogste {said}{extra}.",
            (*path, "duur"),
        )
    elif ob.bound is Bound.MINIMUM and not any(a.fits_within(span) for a in allowed):
        yield (
            f"De termijn '{term.name}' is {term.duration}; de wet geeft ten minste {said}.",
            (*path, "duur"),
        )
    elif ob.bound is Bound.EXACT and not any(_exact(span, a) for a in allowed):
        yield (
            f"De termijn '{term.name}' is {term.duration}; de wet zegt {said}.",
            (*path, "duur"),
        )


_ACKNOWLEDGEMENT = awb("9:6")


def _start(
    ob: Term, p: Procedure, term: ProcedureTerm, path: tuple[str | int, ...]
) -> Yield:
    if ob.start in (Start.RECEIPT, Start.FILING):
        starters = [a for a in p.actions.values() if term.name in a.terms.start]
        wrong = [a.name for a in starters if cites(a.basis, _ACKNOWLEDGEMENT)]
        if wrong or "bevestig" in (term.from_field or ""):
            yield (
                f"De termijn '{term.name}' loopt vanaf de ontvangstbevestiging; de wet laat "
                f"hem lopen vanaf de {ob.start.value}.",
                (*path, "vanaf_veld" if term.from_field else "start"),
            )
    if ob.start is Start.AFTER_TERM and ob.after is not None:
        before = {t.name for t in _terms(p, ob.after)}
        chained = any(
            t.kind is TriggerKind.TERMIJN_VERSTREKEN and t.name in before
            for t in term.start
        )
        if not chained:
            yield (
                f"De termijn '{term.name}' begint niet na afloop van de termijn van {ob.after}.",
                (*path, "start"),
            )


def _extension(ob: Extension, p: Procedure) -> Yield:
    for term in _terms(p, ob.term):
        if term.extension is None:
            continue
        span = span_of(term.extension.maximum)
        if span is None or not span.fits_within(ob.maximum):
            yield (
                f"De verlenging van '{term.name}' mag {term.extension.maximum} duren; de wet "
                f"zegt ten hoogste {ob.maximum} in totaal.",
                ("termijnen", term.name, "verlenging", "maximaal"),
            )


def _notice(ob: ExtensionNotice, p: Procedure) -> Yield:
    needed = set().union(*(party_roles(p, kind) for kind in ob.notify))
    for term in _terms(p, ob.term):
        if term.extension is None:
            continue
        if term.extension.after_expiry and ob.before_expiry_statutory:
            yield (
                f"De verlenging van '{term.name}' mag ook na het verstrijken; de wet eist "
                f"melding vóór het verstrijken ({ob.citation}).",
                ("termijnen", term.name, "verlenging", "ook_na_verstrijken"),
            )
        missing = sorted(needed - set(term.extension.notify))
        if missing:
            yield (
                f"Van de verlenging van '{term.name}' krijgen niet alle betrokkenen bericht "
                f"(ontbreekt: {', '.join(missing)}).",
                ("termijnen", term.name, "verlenging", "melden_aan"),
            )


def _further(ob: FurtherDelay, p: Procedure) -> Yield:
    needed = set().union(*(party_roles(p, kind) for kind in ob.consent_of))
    for term in _terms(p, ob.term):
        further = term.extension.further if term.extension else None
        if further is None:
            continue
        path = ("termijnen", term.name, "verlenging", "verder_uitstel")
        if not ob.allowed:
            yield f"De wet kent geen verder uitstel van '{term.name}'.", path
            continue
        missing = sorted(needed - set(further.consent_of))
        if missing or (ob.written and not further.written):
            kind = "schriftelijke " if ob.written else ""
            yield (
                f"Verder uitstel van '{term.name}' vraagt niet de {kind}instemming van "
                f"{', '.join(missing) or 'de klager'}.",
                path,
            )


def _grounds(ob: GroundList, p: Procedure) -> Yield:
    onderdelen = {g.onderdeel for g in ob.grounds}
    for action in _actions(p, ob.citation):
        path: tuple[str | int, ...] = ("acties", action.name)
        fixed = ob.fixed_ground(action.basis)
        if fixed is not None and fixed not in onderdelen:
            yield (
                f"De actie '{action.name}' noemt een grond die {ob.citation} niet kent.",
                path,
            )
        if not ob.asks_ground(action.basis):
            continue
        name, choices = ground_field(p, action)
        if name is None:
            yield (
                f"De actie '{action.name}' legt geen grond vast ({ob.citation}).",
                (*path, "vereist"),
            )
        elif choices is None:
            yield (
                f"De actie '{action.name}' legt de grond vast als vrije tekst ('{name}'); de "
                f"wet kent een gesloten lijst ({ob.citation}).",
                ("gegevens", name),
            )
        else:
            outside = [c for c in choices if ob.ground_of(c) is None]
            if outside:
                yield (
                    f"De gronden {', '.join(outside)} van '{name}' staan niet in "
                    f"{ob.citation}.",
                    ("gegevens", name),
                )


def _hearing(ob: Hearing, p: Procedure) -> Yield:
    hearings = [
        a
        for a in _actions(p, ob.citation)
        if ob.waiver is None or not cites(a.basis, ob.waiver)
    ]
    if not hearings:
        yield f"Er is geen actie waarin wordt gehoord ({ob.citation}).", ("acties",)


def _report(ob: HearingReport, p: Procedure) -> Yield:
    for action in _actions(p, *ob.hearing):
        if not any(ob.stem in f for f in action.required):
            yield (
                f"De actie '{action.name}' hoort, maar legt geen verslag vast ({ob.citation}).",
                ("acties", action.name, "vereist"),
            )


def _letter(ob: Letter, p: Procedure) -> Yield:
    letters = _actions(p, *(ob.acts or (ob.citation,)))
    if not letters and ob.required:
        yield f"Er is geen actie voor: {ob.title.lower()} ({ob.citation}).", ("acties",)
    for action in letters:
        missing = missing_contents(action, ((c.label, c.stems) for c in ob.contents))
        if missing:
            yield (
                f"'{action.name}' legt niet vast: {', '.join(missing)} ({ob.citation}).",
                ("acties", action.name, "vereist"),
            )
        if ob.closes and not _ends(p, action):
            yield (
                f"'{action.name}' leidt niet naar een eindstatus.",
                ("acties", action.name, "naar"),
            )


def _separation(ob: Separation, p: Procedure) -> Yield:
    respondents: frozenset[str]
    if ob.respondent is not None:
        respondents = frozenset(
            r.name
            for r in p.roles.values()
            if r.is_party and cites(r.basis, ob.respondent)
        )
        if not respondents:
            yield f"Er is geen partij-rol met grondslag {ob.respondent}.", ("rollen",)
            return
    else:
        respondents = party_roles(p, "beklaagde")
    for action in dict.fromkeys(_actions(p, *ob.acts)):
        if not any(not p.roles[r].is_party for r in action.roles if r in p.roles):
            continue  # only the parties act (the klager withdraws, asks the ombudsman)
        guarded = any(
            rule.kind is SeparationKind.NIET_PARTIJ
            and respondents.intersection(rule.targets)
            for rule in action.separation
        )
        if not guarded:
            yield (
                f"De actie '{action.name}' is een handeling van behandeling, maar sluit "
                f"{', '.join(sorted(respondents))} niet uit ({ob.citation}).",
                ("acties", action.name),
            )


def _committee(ob: Committee, p: Procedure) -> Yield:
    route = _actions(p, *ob.recognised_by)
    if not route and not any(
        cites(r.basis, *ob.recognised_by) for r in p.roles.values()
    ):
        return
    spans = [span_of(t.duration) for t in _terms(p, ob.term)]
    if not any(
        s is not None and s.fits_within(ob.length) and s != Span(0, "dagen")
        for s in spans
    ):
        yield (
            f"Er is een adviescommissie, maar geen termijn van ten hoogste {ob.length} "
            f"({ob.term}).",
            ("termijnen",),
        )
    for action in _actions(p, ob.advice) if ob.advice else ():
        if not any("verslag" in f for f in action.required):
            yield (
                f"De commissie adviseert in '{action.name}' zonder te horen: er is geen "
                f"hoorverslag ({ob.citation}).",
                ("acties", action.name, "vereist"),
            )


def _ombudsman(ob: Ombudsman, p: Procedure) -> Yield:
    overdue = {t.name for t in _terms(p, ob.overdue)} if ob.overdue else set()
    for action in _actions(p, *ob.route):
        early = [s for s in action.sources if not p.states[s].is_final]
        # Awb 9:24 lid 1 onder b: once handling should have ended, the klager
        # may go; the action must then wait for every handling term.
        waits = bool(overdue) and overdue <= set(action.after_expiry)
        if early and not waits:
            yield (
                f"De actie '{action.name}' verwijst naar de ombudsman vóór de interne "
                f"afhandeling (vanuit {', '.join(early)}).",
                ("acties", action.name, "van"),
            )


def _step(ob: Step, p: Procedure) -> Yield:
    steps = _actions(p, ob.citation)
    if not steps:
        yield f"Er is geen actie voor: {ob.title.lower()} ({ob.citation}).", ("acties",)
    if ob.records:
        for action in steps:
            if not _ends(p, action) and not action.required and not action.checks:
                yield (
                    f"De actie '{action.name}' legt niet vast wanneer en wat er is ingediend.",
                    ("acties", action.name),
                )


def _consent(ob: Consent, p: Procedure) -> Yield:
    needed = set().union(*(party_roles(p, kind) for kind in ob.parties))
    for action in _actions(p, ob.citation):
        if not _ends(p, action):
            continue
        consent = action.consent
        if consent is None or not needed.intersection(consent.parties):
            yield (
                f"De actie '{action.name}' sluit de klacht informeel af zonder instemming van "
                "de klager.",
                ("acties", action.name),
            )


def _role_limit(ob: RoleLimit, p: Procedure) -> Yield:
    limited = {r.name for r in p.roles.values() if cites(r.basis, ob.role)}
    if not limited and ob.role_required:
        yield f"Er is geen rol met grondslag {ob.role}.", ("rollen",)
    acts = _actions(p, *ob.acts)
    if ob.only and not acts:
        yield (
            f"Er is geen actie met grondslag {' of '.join(map(str, ob.acts))}.",
            ("acties",),
        )
    for action in acts:
        wrong = (
            sorted(action.roles - limited)
            if ob.only
            else sorted(action.roles & limited)
        )
        if wrong:
            verb = "mag alleen" if ob.only else "mag niet"
            yield (
                f"'{action.name}' kan gedaan worden door {', '.join(wrong)}; {verb} door de "
                f"rol met grondslag {ob.role}.",
                ("acties", action.name, "wie"),
            )


def _suspension(ob: Suspension, p: Procedure) -> Yield:
    for term in _terms(p, ob.term):
        suspends = [a for a in p.actions.values() if term.name in a.terms.suspend]
        if not term.suspendable or not suspends:
            yield (
                f"De termijn '{term.name}' kan niet worden opgeschort.",
                ("termijnen", term.name),
            )


def _registration(ob: Registration, p: Procedure) -> Yield:
    if not p.registration.categories:
        yield "Er zijn geen categorieën om klachten te registreren.", ("registratie",)


def _progress(ob: Progress, p: Procedure) -> Yield:
    if not (
        any(s.informs for s in p.states.values())
        or any(a.informs for a in p.actions.values())
    ):
        yield "De klager krijgt nergens bericht over de voortgang.", ("statussen",)


def _not_applicable(ob: NotApplicable, p: Procedure) -> Yield:
    for name, action in p.actions.items():
        if any(
            b.bwb == ob.bwb and (b.artikel or "").startswith(ob.prefix)
            for b in action.basis
        ):
            yield (
                f"De actie '{name}' noemt een artikel dat hier niet geldt ({ob.citation}).",
                ("acties", name, "grondslag"),
            )


def _timing(ob: TimingRule, p: Procedure) -> Yield:
    acts = _actions(p, ob.act)
    if acts and not _terms(p, ob.term):
        yield (
            f"'{acts[0].name}' hangt af van de termijn van {ob.term}, maar die termijn ontbreekt.",
            ("termijnen",),
        )


Check = Callable[[Obligation, Procedure], Yield]

#: The generic check for each kind of obligation.
CHECKS: dict[type[Obligation], Callable[..., Yield]] = {
    Term: _term,
    Extension: _extension,
    ExtensionNotice: _notice,
    FurtherDelay: _further,
    GroundList: _grounds,
    Hearing: _hearing,
    HearingReport: _report,
    Letter: _letter,
    Separation: _separation,
    Committee: _committee,
    Ombudsman: _ombudsman,
    Step: _step,
    Consent: _consent,
    RoleLimit: _role_limit,
    Suspension: _suspension,
    Registration: _registration,
    Progress: _progress,
    NotApplicable: _not_applicable,
    TimingRule: _timing,
}


def rules_for(regime: Regime, pack: str) -> tuple[Rule, ...]:
    """The rules of ``pack``: one per obligation of ``regime``, checked generically."""
    return tuple(
        Rule(
            code=ob.code,
            pack=pack,
            basis=basis_of(ob.citation),
            severity=Severity(ob.severity),
            title=ob.title,
            fix=ob.fix,
            check=functools.partial(CHECKS[type(ob)], ob),
        )
        for ob in regime.obligations
    )
