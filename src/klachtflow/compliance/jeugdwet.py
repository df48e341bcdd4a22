"""Rule pack ``jeugdwet``: klachten over jeugdhulp (Jeugdwet art 4.2.1, 4.1.9).

Steps are recognised by the article (and onderdeel) they cite, as in
:mod:`.awb9` (law.md §5.1).
"""

from __future__ import annotations

from collections.abc import Iterator

from klachtflow.compliance.awb9 import AWB
from klachtflow.compliance.model import Rule, Severity
from klachtflow.definition.model import (
    Action,
    Duration,
    LegalBasis,
    Procedure,
    SeparationKind,
    Unit,
)

__all__ = ["ART", "JW", "RULES", "citing"]

JW = "BWBR0034925"
ART = "4.2.1"
Yield = Iterator[tuple[str, tuple[str | int, ...]]]


def _art(
    artikel: str, lid: int | None = None, onderdeel: str | None = None
) -> LegalBasis:
    return LegalBasis(
        wet="Jeugdwet", artikel=artikel, lid=lid, onderdeel=onderdeel, bwb=JW
    )


def citing(
    basis: tuple[LegalBasis, ...], lid: int, onderdeel: str | None = None
) -> bool:
    """Whether any basis cites Jeugdwet 4.2.1 ``lid`` (and ``onderdeel``)."""
    return any(
        b.bwb == JW
        and b.artikel == ART
        and b.lid == lid
        and (onderdeel is None or b.onderdeel == onderdeel)
        for b in basis
    )


def _actions(p: Procedure, lid: int, onderdeel: str | None = None) -> list[Action]:
    return [a for a in p.actions.values() if citing(a.basis, lid, onderdeel)]


def _commission(p: Procedure) -> Yield:
    commission = {r.name for r in p.roles.values() if citing(r.basis, 2, "a")}
    if not commission:
        yield (
            "Er is geen rol voor de klachtencommissie (art 4.2.1 lid 2 onder a).",
            ("rollen",),
        )
    judgements = _actions(p, 2, "c")
    if not judgements:
        yield (
            "Er is geen actie voor het gemotiveerde oordeel van de commissie.",
            ("acties",),
        )
    for action in judgements:
        others = sorted(action.roles - commission)
        if others:
            yield (
                f"Het oordeel '{action.name}' kan ook gegeven worden door: {', '.join(others)}; "
                "alleen de klachtencommissie oordeelt.",
                ("acties", action.name, "wie"),
            )


def _beklaagde_excluded(p: Procedure) -> Yield:
    respondents = {
        r.name
        for r in p.roles.values()
        if r.is_party and r.generic not in ("initiator", "mede_initiator")
    }
    for action in dict.fromkeys([*_actions(p, 2, "c"), *_actions(p, 2, "e")]):
        guarded = any(
            rule.kind is SeparationKind.NIET_PARTIJ
            and respondents.intersection(rule.targets)
            for rule in action.separation
        )
        if not guarded:
            yield (
                f"De beklaagde is niet uitgesloten van '{action.name}' (art 4.2.1 lid 2 onder b).",
                ("acties", action.name),
            )


def _judgement_term(p: Procedure) -> Yield:
    if not any(citing(t.basis, 2, "c") for t in p.terms.values()):
        yield (
            "Er is geen termijn voor het oordeel van de klachtencommissie.",
            ("termijnen",),
        )


def _measures(p: Procedure) -> Yield:
    if not _actions(p, 5):
        yield (
            "Er is geen actie waarin de aanbieder de maatregelen meedeelt.",
            ("acties",),
        )
    terms = [t for t in p.terms.values() if citing(t.basis, 5)]
    if not any(t.duration == Duration(1, Unit.MAANDEN) for t in terms):
        yield (
            "Er is geen termijn van een maand voor de mededeling van maatregelen.",
            ("termijnen",),
        )


def _vertrouwenspersoon(p: Procedure) -> Yield:
    supporters = {
        r.name
        for r in p.roles.values()
        if any(b.bwb == JW and b.artikel == "4.1.9" for b in r.basis)
    }
    for action in [*_actions(p, 2, "c"), *_actions(p, 5)]:
        handling = sorted(supporters & action.roles)
        if handling:
            yield (
                f"De vertrouwenspersoon ({', '.join(handling)}) mag '{action.name}' niet doen: "
                "die steunt de klager en behandelt geen klacht.",
                ("acties", action.name, "wie"),
            )


def _no_awb_9_1(p: Procedure) -> Yield:
    for name, action in p.actions.items():
        if any(
            b.bwb == AWB and (b.artikel or "").startswith("9:") for b in action.basis
        ):
            yield (
                f"De actie '{name}' noemt Awb hoofdstuk 9, maar titel 9.1 geldt niet voor deze klachten.",
                ("acties", name, "grondslag"),
            )


FOUT, LET_OP = Severity.FOUT, Severity.WAARSCHUWING

RULES: tuple[Rule, ...] = (
    Rule(
        code="JW-4.2.1-01",
        pack="jeugdwet",
        basis=_art(ART, 2, "a"),
        severity=FOUT,
        title="Klachtencommissie oordeelt",
        fix="Geef een rol klachtencommissie (grondslag art 4.2.1 lid 2 onder a) en laat alleen die "
        "het oordeel geven (actie met grondslag lid 2 onder c).",
        check=_commission,
    ),
    Rule(
        code="JW-4.2.1-02",
        pack="jeugdwet",
        basis=_art(ART, 2, "b"),
        severity=FOUT,
        title="Beklaagde neemt niet deel",
        fix="Geef horen en oordeel 'scheiding: [{niet_partij: beklaagde}]'.",
        check=_beklaagde_excluded,
    ),
    Rule(
        code="JW-4.2.1-03",
        pack="jeugdwet",
        basis=_art(ART, 2, "c"),
        severity=FOUT,
        title="Termijn voor het oordeel",
        fix="Geef een termijn voor het oordeel met grondslag art 4.2.1 lid 2 onder c (de duur "
        "legt de regeling vast).",
        check=_judgement_term,
    ),
    Rule(
        code="JW-4.2.1-04",
        pack="jeugdwet",
        basis=_art(ART, 5),
        severity=FOUT,
        title="Maatregelen binnen een maand",
        fix="Voeg een actie en een termijn van '1 maand' toe met grondslag art 4.2.1 lid 5.",
        check=_measures,
    ),
    Rule(
        code="JW-4.1.9-01",
        pack="jeugdwet",
        basis=_art("4.1.9"),
        severity=FOUT,
        title="Vertrouwenspersoon behandelt niet",
        fix="Haal de vertrouwenspersoon weg uit 'wie' van oordeel en maatregelen.",
        check=_vertrouwenspersoon,
    ),
    Rule(
        code="JW-4.2.1-05",
        pack="jeugdwet",
        basis=_art(ART, 8),
        severity=LET_OP,
        title="Geen Awb titel 9.1",
        fix="Verwijs naar de Jeugdwet of de eigen regeling in plaats van Awb hoofdstuk 9.",
        check=_no_awb_9_1,
    ),
)
