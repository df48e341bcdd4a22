"""Plain-language explanations generated from the procedure, so they never drift from it.

``burger``: what happens with a complaint, which terms apply and who can help,
in plain Dutch (taalniveau B1: short sentences, common words, "u", no article
numbers). ``medewerker``: the permission table, the terms table with the legal
basis, and the diagram.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable

from klachtflow.definition.model import (
    Action,
    Duration,
    Procedure,
    Role,
    Term,
    TermKind,
    TriggerKind,
)
from klachtflow.exceptions import KlachtflowError
from klachtflow.insight.diagram import GraphvizMissing, cite, diagram
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
    return str(duration)


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
    can_do = [a.title for a in procedure.actions.values() if mine.intersection(a.roles)]
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


def _trigger(text: str, kind: TriggerKind) -> str:
    return {
        TriggerKind.ACTIE: f"actie {text}",
        TriggerKind.BINNENKOMST: f"binnenkomst {text}",
        TriggerKind.VERTREK: f"vertrek uit {text}",
        TriggerKind.TERMIJN_VERSTREKEN: f"termijn {text} verstreken",
    }[kind]


def _action_rules(action: Action) -> str:
    rules = []
    for rule in action.separation:
        basis = ", ".join(cite(b) for b in rule.basis)
        rules.append(
            f"niet door {', '.join(rule.targets)} ({rule.kind.value})"
            + (f" [{basis}]" if basis else "")
        )
    if action.consent is not None:
        rules.append(f"instemming van {', '.join(action.consent.parties)}")
    if action.conditions:
        rules.append(f"voorwaarden: {', '.join(action.conditions)}")
    if action.required:
        rules.append(f"vereist: {', '.join(action.required)}")
    return "; ".join(rules) or "—"


def _staff(procedure: Procedure, which: Callable[[str], str | None]) -> list[Section]:
    def title_of(ref: str) -> str:
        return procedure.states[ref].title if ref in procedure.states else ref

    actions = tuple(
        (
            action.title,
            ", ".join(title_of(s) for s in action.sources),
            title_of(action.target) if action.target else "(blijft)",
            ", ".join(sorted(action.roles)),
            _action_rules(action),
            ", ".join(cite(b) for b in action.basis) or "—",
        )
        for action in procedure.actions.values()
    )
    roles = tuple(
        (
            role.title,
            role.kind.value,
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
            str(term.duration),
            term.kind.value,
            "; ".join(_trigger(t.name, t.kind) for t in term.start),
            "; ".join(_trigger(t.name, t.kind) for t in term.stop) or "—",
            (
                f"ten hoogste {term.extension.maximum} ({term.extension.action})"
                if term.extension
                else "—"
            ),
            f"{term.calendar}{'' if term.atw else ', zonder Atw'}",
            "; ".join(
                cite(b)
                + (f" ({b.bwb})" if b.bwb else "")
                + (f" {b.url}" if b.url else "")
                for b in term.basis
            )
            or "—",
        )
        for term in procedure.terms.values()
    )
    try:
        figure: str | None = diagram(procedure, "svg", which=which)
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
            ("Actie", "Van", "Naar", "Rollen", "Regels", "Grondslag"),
            actions,
        ),
        Section(
            "rollen",
            "Rollen",
            (),
            ("Rol", "Soort", "Mag", "Grondslag"),
            roles,
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
                "Start",
                "Stopt",
                "Verdaging",
                "Kalender",
                "Grondslag",
            ),
            terms,
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
    voor: str = "burger",
    fmt: str = "md",
    *,
    which: Callable[[str], str | None] = shutil.which,
) -> str:
    """Explain ``procedure`` to ``voor`` (burger or medewerker) as ``fmt`` (md or html)."""
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
    return html_document(title, parts)
