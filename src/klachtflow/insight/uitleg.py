"""Plain-language explanations generated from the procedure, so they never drift from it.

``burger``: what happens with a complaint, which terms apply and who can help,
in plain Dutch (taalniveau B1: short sentences, common words, "u", no article
numbers). ``medewerker``: the permission table, the terms table with the legal
basis, and the diagram.
"""

from __future__ import annotations

import re
import shutil
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path

from klachtflow.definition.model import (
    Action,
    Duration,
    Procedure,
    Role,
    RoleKind,
    SeparationKind,
    SeparationRule,
    Term,
    TermKind,
    TermTrigger,
    TriggerKind,
)
from klachtflow.definition.notices import NoticeCondition
from klachtflow.exceptions import KlachtflowError
from klachtflow.insight import _format as nl
from klachtflow.insight.diagram import GraphvizMissing, cite, diagram, role_titles
from klachtflow.insight.render import Section, html_document, markdown_document
from klachtflow.law import statutory_term

__all__ = ["AUDIENCES", "UITLEG_FORMATS", "helpers", "uitleg"]

AUDIENCES = ("burger", "medewerker")
UITLEG_FORMATS = ("md", "html")

#: What each kind of helper does, in B1 Dutch (seed 004: vertrouwenspersoon,
#: klachtenfunctionaris, ombudsman). Keyed by a word in the role's name.
_HELPERS = {
    "vertrouwenspersoon": (
        "De vertrouwenspersoon staat naast u. Hij of zij helpt u om uw klacht op "
        "te schrijven en kan meegaan naar een gesprek. Wat u vertelt, blijft tussen "
        "u en de vertrouwenspersoon. De vertrouwenspersoon beslist niet over uw klacht."
    ),
    "cliëntondersteuner": (
        "De cliëntondersteuner helpt u gratis. Hij of zij werkt niet voor de "
        "organisatie waarover u klaagt."
    ),
    "klachtenfunctionaris": (
        "De klachtenfunctionaris werkt bij de organisatie. Hij of zij zoekt samen "
        "met u en de medewerker naar een oplossing. De klachtenfunctionaris geeft "
        "geen oordeel over uw klacht."
    ),
    "ombudsman": (
        "Bent u niet tevreden over hoe uw klacht is behandeld? Dan kunt u naar de "
        "ombudsman gaan. De ombudsman is onafhankelijk. Dat kost niets."
    ),
    "geschil": (
        "Bent u het niet eens met de afhandeling van uw klacht? Dan kunt u naar de "
        "geschilleninstantie gaan. Die doet een uitspraak waaraan de zorgaanbieder "
        "zich moet houden."
    ),
    "commissie": (
        "Een onafhankelijke commissie kan uw klacht onderzoeken. U en de medewerker "
        "mogen dan allebei uw verhaal vertellen."
    ),
}


def helpers(procedure: Procedure) -> list[tuple[Role, str]]:
    """The roles in the procedure that help a complainant, with a B1 text for each."""
    found = []
    for role in procedure.roles.values():
        key = next(
            (k for k in _HELPERS if k in role.name or k in role.title.lower()), None
        )
        if key is not None:
            found.append((role, _HELPERS[key]))
    return found


def _period(duration: Duration) -> str:
    return nl.duration(duration)


def _complainant_roles(procedure: Procedure) -> set[str]:
    return {
        r.name
        for r in procedure.roles.values()
        if r.is_party and r.generic in ("initiator", "mede_initiator")
    }


def _statutory(term: Term) -> bool:
    """Whether the law itself sets this term (not the organisation's regulation)."""
    return any(
        (found := statutory_term(b.bwb, b.artikel, b.lid, b.onderdeel)) is not None
        and found.sets_term
        for b in term.basis
        if b.bwb
    )


def _term_sentences(procedure: Procedure, term: Term) -> list[str]:
    sentences = [f"{term.title}: binnen {_period(term.duration)}."]
    chained = [
        procedure.terms[t.name].title
        for t in term.start
        if t.kind is TriggerKind.TERMIJN_VERSTREKEN and t.name in procedure.terms
    ]
    if chained:
        sentences.append(
            f"Deze termijn begint pas als de termijn '{chained[0]}' voorbij is."
        )
    if _statutory(term):
        sentences.append("Deze termijn staat in de wet.")
    elif term.kind is TermKind.STREEF:
        sentences.append("Dit is een afspraak van ons. Het is geen termijn uit de wet.")
    else:
        sentences.append("Deze termijn staat in onze klachtenregeling, niet in de wet.")
    extension = term.extension
    if extension is not None:
        sentences.append(
            f"Lukt dat niet? Dan mogen we de termijn verlengen, met in totaal ten "
            f"hoogste {_period(extension.maximum)}."
        )
        if _complainant_roles(procedure).intersection(extension.notify):
            sentences.append(
                "Dat laten we u schriftelijk weten, voordat de termijn voorbij is."
            )
        if extension.further is not None:
            sentences.append("Nog langer wachten mag alleen als u daarmee instemt.")
    return sentences


def _cites_9_24(term: Term) -> bool:
    return any(b.wet == "Awb" and b.artikel == "9:24" for b in term.basis)


def _noun(procedure: Procedure) -> str:
    """What the citizen filed: a bezwaar under regime bezwaar, else a klacht."""
    return "bezwaar" if procedure.regime == "bezwaar" else "klacht"


def _citizen_action(procedure: Procedure, action: Action, noun: str) -> str:
    """What a complainant can do, said to them ("U kunt ..."), not the office's name for it.

    Derived from where the action leads: into the formal procedure, out to an
    external body, or to an end without a judgement (withdrawal).
    """
    target = procedure.states.get(action.target or "")
    if target is None:
        return f"{action.title}."
    tags = set(target.tags)
    parent = target.parent
    while parent is not None and parent in procedure.states:
        tags |= procedure.states[parent].tags
        parent = procedure.states[parent].parent
    words = f"{target.name} {target.title} {action.name}".lower()
    if "extern" in tags and "ombudsman" in words:
        return (
            f"Naar de ombudsman gaan, als u niet tevreden bent over hoe wij uw {noun} "
            "hebben behandeld."
        )
    if "extern" in tags and "geschil" in words:
        return (
            "Naar de geschilleninstantie gaan, als u het niet eens bent met de afloop."
        )
    if "extern" in tags:
        return f"Uw {noun} voorleggen aan: {_in_sentence(target.title)}."
    if "formeel" in tags:
        return (
            f"Uw {noun} op papier of per e-mail indienen, met uw naam, adres, de datum "
            "en wat er is gebeurd. Dan behandelen wij uw klacht volgens de wet."
            if noun == "klacht"
            else f"Uw {noun} op papier of per e-mail indienen."
        )
    if target.is_final and ("intrek" in words or "trek_in" in words):
        return f"Uw {noun} intrekken. Dat kan op elk moment."
    return f"{action.title}."


def _citizen(procedure: Procedure) -> list[Section]:
    noun = _noun(procedure)
    steps = []
    for name, state in procedure.states.items():
        if state.is_final or state.parent is not None:
            continue
        texts = [
            procedure.states[n].status_text
            for n in procedure.descendants(name)
            if procedure.states[n].status_text
        ]
        if texts:
            steps.append(f"{state.title}: {' '.join(t for t in texts if t)}")
        else:
            steps.append(state.title + ".")
    ends = [
        f"{state.title}." + (f" {state.status_text}" if state.status_text else "")
        for state in procedure.states.values()
        if state.is_final
    ]
    # The year to go to the ombudsman (Awb 9:24) is the citizen's, not ours: it
    # is told with the ombudsman under "Wie kan u helpen?".
    ours = [t for t in procedure.terms.values() if not _cites_9_24(t)]
    fatal = [t for t in ours if t.kind is TermKind.FATAAL]
    own = [t for t in ours if t.kind is TermKind.STREEF]
    terms = [" ".join(_term_sentences(procedure, t)) for t in [*fatal, *own]]
    mine = _complainant_roles(procedure)
    can_do = list(
        dict.fromkeys(
            _citizen_action(procedure, a, noun)
            for a in procedure.actions.values()
            if mine.intersection(a.roles)
        )
    )
    help_lines = [
        f"{role.title.capitalize()}. {text.replace('uw klacht', f'uw {noun}')}"
        for role, text in helpers(procedure)
    ]
    ombudsman_year = any(_cites_9_24(t) for t in procedure.terms.values())
    # Awb 9:24 lid 1 onder b: the year also runs from when handling should
    # have ended, so an overdue complaint can go to the ombudsman too.
    handling = any(
        b.bwb == "BWBR0005537" and b.artikel == "9:11"
        for t in procedure.terms.values()
        for b in t.basis
    )
    overdue = (
        f" Handelen wij uw {noun} niet op tijd af? Dan kunt u ook naar de ombudsman, "
        "tot een jaar nadat de termijn voorbij is."
        if handling
        else ""
    )
    help_lines = [
        line
        + f" U kunt dat doen tot een jaar nadat uw {noun} is afgehandeld."
        + overdue
        if ombudsman_year and line.startswith("Ombudsman.")
        else line
        for line in help_lines
    ]
    parts = [
        Section(
            "wat_gebeurt_er",
            f"Wat gebeurt er met uw {noun}?",
            (
                "Bent u het niet eens met een besluit? Dan kunt u bezwaar maken. "
                "Wij kijken dan opnieuw naar het besluit."
                if noun == "bezwaar"
                else "Bent u niet tevreden? Zeg het ons. Vaak lossen we het samen snel op. "
                "Lukt dat niet, dan kunt u een klacht indienen.",
                f"Uw {noun} gaat door deze stappen:",
            ),
            bullets=tuple(steps),
        ),
        Section(
            "einde",
            "Hoe kan het aflopen?",
            (f"Uw {noun} eindigt op een van deze manieren:",),
            bullets=tuple(ends),
        ),
        Section(
            "termijnen",
            "Hoe lang duurt het?",
            () if terms else ("Voor deze procedure gelden geen vaste termijnen.",),
            bullets=tuple(terms),
        ),
    ]
    if can_do:
        parts.append(
            Section(
                "zelf_doen",
                "Wat kunt u zelf doen?",
                ("U kunt dit zelf doen:",),
                bullets=tuple(can_do),
            )
        )
    parts.append(
        Section(
            "hulp",
            "Wie kan u helpen?",
            ("U staat er niet alleen voor.",)
            if help_lines
            else ("Vraag ons gerust om uitleg. Wij helpen u verder.",),
            bullets=tuple(help_lines),
        )
    )
    return parts


# --------------------------------------------------------------------------- medewerker


def _audience(audience: str, deprecated: dict[str, str]) -> str:
    unknown = set(deprecated) - {"voor"}
    if unknown:
        msg = f"uitleg() got an unexpected keyword argument {sorted(unknown)[0]!r}"
        raise TypeError(msg)
    if "voor" not in deprecated:
        return audience
    warnings.warn(
        "uitleg(voor=...) is deprecated and will be removed in klachtflow 0.3; "
        "use uitleg(audience=...).",
        FutureWarning,
        stacklevel=3,
    )
    return deprecated["voor"]


def _in_sentence(titles: str) -> str:
    """Titles inside a sentence: "Datum afschrift, Hoorverslag" → "datum afschrift, hoorverslag".

    Only the first letter of each title is lowered, and not in an abbreviation,
    so "Grond om niet te horen (Awb 7:3)" keeps its "Awb".
    """

    def lower_first(title: str) -> str:
        if len(title) > 1 and title[1].isupper():
            return title  # an abbreviation: "AVG", "ZGW"
        return title[:1].lower() + title[1:]

    return ", ".join(lower_first(t) for t in titles.split(", "))


def _human(name: str) -> str:
    """A name written for people: ``klager_bereikbaar`` → "klager bereikbaar"."""
    return name.replace("_", " ").replace(".", " ")


class _Titles:
    """Titles for every name in a procedure, so no page shows a machine name."""

    def __init__(self, procedure: Procedure) -> None:
        self.procedure = procedure

    def state(self, ref: str) -> str:
        try:
            return self.procedure.state(ref).title
        except KeyError:
            return _human(ref)

    def action(self, name: str) -> str:
        action = self.procedure.actions.get(name)
        return action.title if action is not None else _human(name)

    def term(self, name: str) -> str:
        term = self.procedure.terms.get(name)
        return term.title if term is not None else _human(name)

    def roles(self, names: Iterable[str]) -> str:
        return role_titles(self.procedure, names)

    def fields(self, names: Iterable[str]) -> str:
        fields = self.procedure.fields
        return ", ".join(fields[n].title if n in fields else _human(n) for n in names)

    def calendar(self, name: str) -> str:
        if name == "atw":
            return "Algemene termijnenwet"
        calendar = self.procedure.calendars.get(name)
        title = (calendar.title if calendar and calendar.title else None) or _human(
            name
        )
        if calendar is None:
            return title
        # A local calendar skips only what the regulation says (Atw art 3 lid 1 list).
        off = ["weekenden", "algemeen erkende feestdagen"]
        if calendar.good_friday:
            off.append("Goede Vrijdag")
        if calendar.designated_days:
            off.append("de bij koninklijk besluit gelijkgestelde dagen")
        if calendar.closing_days:
            off.append("eigen sluitingsdagen")
        return f"{title} (geen werkdag: {', '.join(off[:-1])} en {off[-1]})"

    def trigger(self, trigger: TermTrigger) -> str:
        return {
            TriggerKind.ACTIE: lambda n: f"actie '{self.action(n)}'",
            TriggerKind.BINNENKOMST: lambda n: f"binnenkomst in '{self.state(n)}'",
            TriggerKind.VERTREK: lambda n: f"vertrek uit '{self.state(n)}'",
            TriggerKind.TERMIJN_VERSTREKEN: lambda n: (
                f"termijn '{self.term(n)}' verstreken"
            ),
        }[trigger.kind](trigger.name)


_ROLE_KINDS = {
    RoleKind.PARTIJ: "partij in de zaak",
    RoleKind.ORGANISATIE: "binnen de organisatie",
}
_TERM_KINDS = {
    TermKind.FATAAL: "fatale termijn (uit de wet)",
    TermKind.STREEF: "streeftermijn (eigen afspraak)",
}


def _separation(rule: SeparationRule, titles: _Titles) -> str:
    basis = ", ".join(cite(b) for b in rule.basis)
    if rule.kind is SeparationKind.NIET_PARTIJ:
        text = f"niet door wie {_in_sentence(titles.roles(rule.targets))} is"
    else:
        done = ", ".join(f"'{titles.action(t)}'" for t in rule.targets)
        text = f"niet door wie {done} uitvoerde"
    return text + (f" ({basis})" if basis else "")


def _extenders(actions: tuple[str, ...], titles: _Titles) -> str:
    """', met de actie 'X'', or for several: the maximum holds for all together."""
    named = [f"'{titles.action(a)}'" for a in actions]
    if len(named) == 1:
        return f", met de actie {named[0]}"
    return (
        f", met de acties {', '.join(named[:-1])} of {named[-1]} "
        "(het maximum geldt voor alle verlengingen samen)"
    )


def _notice_rule(action: Action, titles: _Titles) -> str:
    """The letter an action sends, as staff read it (issue #17 item 6)."""
    notice = action.notice
    if notice is None:
        return ""
    text = (
        f"verstuurt {'schriftelijk ' if notice.written else ''}"
        f"{notice.title.lower() if notice.title else 'een brief'} aan "
        f"{_in_sentence(titles.roles(notice.recipients))}"
    )
    if notice.contents:
        text += f", met {_in_sentence(', '.join(_human(c) for c in notice.contents))}"
    for attachment in notice.attachments:
        text += f", bijlage {_human(attachment.name)}"
        if attachment.required_if is not None:
            text += f" ({_condition(attachment.required_if, titles)})"
    if notice.required_if is not None:
        text += f" ({_condition(notice.required_if, titles)})"
    basis = ", ".join(cite(b) for b in notice.basis)
    return text + (f" ({basis})" if basis else "")


def _condition(condition: NoticeCondition, titles: _Titles) -> str:
    parts = []
    if condition.performed:
        done = " of ".join(f"'{titles.action(a)}'" for a in condition.performed)
        parts.append(f"als {done} is uitgevoerd")
    parts.extend(f"als {c}" for c in condition.checks)
    return " en ".join(parts)


def _action_rules(action: Action, titles: _Titles) -> str:
    rules = [_separation(rule, titles) for rule in action.separation]
    if action.assigns is not None:
        rules.append(
            f"wijst de {titles.roles((action.assigns.role,))} toe die de klacht "
            "behandelt (vastgelegd in de geschiedenis)"
        )
    for role in action.assigned_only:
        rules.append(f"alleen de toegewezen {titles.roles((role,))}")
    if action.notice is not None:
        rules.append(_notice_rule(action, titles))
    if action.consent is not None:
        rules.append(
            f"instemming van: {_in_sentence(titles.roles(action.consent.parties))}"
        )
    if action.conditions:
        rules.append(f"voorwaarden: {', '.join(_human(c) for c in action.conditions)}")
    if action.required:
        rules.append(f"vast te leggen: {_in_sentence(titles.fields(action.required))}")
    return "; ".join(rules) or "—"


def _basis_text(term: Term) -> str:
    return (
        "; ".join(
            cite(b) + (f" ({b.bwb})" if b.bwb else "") + (f", {b.url}" if b.url else "")
            for b in term.basis
        )
        or "eigen regeling"
    )


def _embed(svg: str) -> str:
    """Graphviz SVG made fit for a page: no XML prolog, comments or node-id tooltips."""
    svg = re.sub(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|<!--.*?-->", "", svg, flags=re.S)
    svg = re.sub(r"<title>.*?</title>", "", svg, flags=re.S)
    svg = re.sub(r'\sid="[^"]*"', "", svg)  # the page shows the SVG twice
    return svg.replace(
        "<svg ", '<svg role="img" aria-label="Diagram van de procedure" ', 1
    )


def _staff(procedure: Procedure, which: Callable[[str], str | None]) -> list[Section]:
    titles = _Titles(procedure)
    actions = tuple(
        (
            action.title,
            ", ".join(titles.state(s) for s in action.sources),
            titles.state(action.target)
            if action.target
            else "blijft in dezelfde status",
            titles.roles(action.roles) or "—",
            _action_rules(action, titles),
            ", ".join(cite(b) for b in action.basis) or "—",
        )
        for action in procedure.actions.values()
    )
    roles = tuple(
        (
            role.title[:1].upper() + role.title[1:],
            _ROLE_KINDS[role.kind],
            ", ".join(
                a.title for a in procedure.actions.values() if role.name in a.roles
            )
            or "—",
            ", ".join(cite(b) for b in role.basis) or "—",
        )
        for role in procedure.roles.values()
    )
    terms = tuple(
        (
            term.title,
            nl.duration(term.duration),
            _TERM_KINDS[term.kind],
            "; ".join(titles.trigger(t) for t in term.start),
            "; ".join(titles.trigger(t) for t in term.stop) or "—",
            (
                f"ten hoogste {nl.duration(term.extension.maximum)}"
                + _extenders(term.extension.actions, titles)
                if term.extension
                else "—"
            ),
            (
                f"{nl.duration(term.warning)} vooraf"
                + (f", aan {titles.roles(term.warning_to)}" if term.warning_to else "")
                if term.warning
                else "—"
            ),
            titles.calendar(term.calendar)
            + ("" if term.atw else " (zonder Algemene termijnenwet)"),
            _basis_text(term),
        )
        for term in procedure.terms.values()
    )
    try:
        figure: str | None = _embed(diagram(procedure, "svg", which=which))
        note = "Het diagram toont statussen, acties met de rollen die ze mogen uitvoeren, en termijnen."
    except GraphvizMissing:
        figure = None
        note = (
            "Het diagram staat hieronder als Mermaid-tekst; installeer Graphviz "
            "voor een tekening."
        )
    return [
        Section(
            "acties",
            "Acties en bevoegdheden",
            ("Wie mag wat, vanuit welke status, en onder welke regels.",),
            ("Actie", "Vanuit", "Naar", "Wie mag dit", "Regels", "Grondslag"),
            actions,
            layout="list",
        ),
        Section(
            "rollen",
            "Rollen",
            (),
            ("Rol", "Soort", "Mag", "Grondslag"),
            roles,
            caption="Rollen en wat zij mogen",
        ),
        Section(
            "termijnen",
            "Termijnen",
            (
                "Fatale termijnen komen uit de wet; streeftermijnen zijn eigen afspraken. "
                "De Algemene termijnenwet (BWBR0002448) verlengt een termijn die op een "
                "zaterdag, zondag of feestdag eindigt.",
            ),
            (
                "Termijn",
                "Duur",
                "Soort",
                "Start bij",
                "Stopt bij",
                "Verdaging",
                "Waarschuwing",
                "Kalender",
                "Grondslag",
            ),
            terms,
            layout="list",
        ),
        Section(
            "diagram",
            "Diagram",
            (note,),
            code=diagram(procedure, "mermaid"),
            code_language="mermaid",
            figure=figure,
        ),
    ]


def uitleg(
    procedure: Procedure,
    audience: str = "burger",
    fmt: str = "md",
    *,
    which: Callable[[str], str | None] = shutil.which,
    templates: Path | None = None,
    **deprecated: str,
) -> str:
    """Explain ``procedure`` to ``audience`` (burger or medewerker) as ``fmt`` (md or html).

    ``templates`` is a folder with a municipality's own HTML templates
    (see :func:`klachtflow.insight.render.html_document`). The keyword
    ``voor=`` is the old name of ``audience`` (Python parameters are English;
    the audience values stay Dutch) and is removed in klachtflow 0.3.
    """
    voor = _audience(audience, deprecated)
    if voor not in AUDIENCES:
        msg = f"Onbekende doelgroep '{voor}'."
        raise KlachtflowError(msg, hint=f"Kies uit: {', '.join(AUDIENCES)}.")
    if fmt not in UITLEG_FORMATS:
        msg = f"Onbekend formaat '{fmt}' voor uitleg."
        raise KlachtflowError(msg, hint=f"Kies uit: {', '.join(UITLEG_FORMATS)}.")
    if voor == "burger":
        title = f"Uw {_noun(procedure)}: zo werkt het ({procedure.title})"
        parts = _citizen(procedure)
    else:
        title = (
            f"{procedure.title}: uitleg voor medewerkers (versie {procedure.version})"
        )
        parts = _staff(procedure, which)
    if fmt == "md":
        return markdown_document(title, parts)
    return html_document(title, parts, templates=templates)
