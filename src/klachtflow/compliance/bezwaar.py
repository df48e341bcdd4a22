"""Rule pack ``awb-bezwaar``: bezwaar (Awb 6:7-6:9, 7:2, 7:5, 7:10) and the dwangsom (4:17).

Steps are recognised by the article they cite, as in :mod:`.awb9` (law.md §2).
"""

from __future__ import annotations

from collections.abc import Iterator

from klachtflow.compliance.awb9 import AWB, cites
from klachtflow.compliance.model import Rule, Severity
from klachtflow.definition.model import (
    Action,
    Duration,
    LegalBasis,
    Procedure,
    SeparationKind,
    Term,
    TriggerKind,
    Unit,
)

__all__ = ["RULES"]

Yield = Iterator[tuple[str, tuple[str | int, ...]]]


def _art(artikel: str, lid: int | None = None) -> LegalBasis:
    return LegalBasis(wet="Awb", artikel=artikel, lid=lid, bwb=AWB)


def _terms(p: Procedure, artikel: str, lid: int | None = None) -> list[Term]:
    return [t for t in p.terms.values() if cites(t.basis, artikel, lid=lid)]


def _actions(p: Procedure, artikel: str, lid: int | None = None) -> list[Action]:
    return [a for a in p.actions.values() if cites(a.basis, artikel, lid=lid)]


def _weeks(duration: Duration) -> int | None:
    if duration.unit is Unit.WEKEN:
        return duration.amount
    if duration.unit is Unit.DAGEN and duration.amount % 7 == 0:
        return duration.amount // 7
    return None


def _objection_term(p: Procedure) -> Yield:
    if not any(_weeks(t.duration) == 6 for t in _terms(p, "6:7")):
        yield "Er is geen bezwaartermijn van zes weken (Awb 6:7).", ("termijnen",)


def _decision_term(p: Procedure) -> Yield:
    objection = {t.name for t in _terms(p, "6:7")}
    terms = _terms(p, "7:10", 1)
    if not terms:
        yield "Er is geen beslistermijn (Awb 7:10 lid 1).", ("termijnen",)
    for term in terms:
        path: tuple[str | int, ...] = ("termijnen", term.name)
        if _weeks(term.duration) not in (6, 12):
            yield (
                f"De beslistermijn '{term.name}' is {term.duration}; de wet zegt zes of twaalf weken.",
                (*path, "duur"),
            )
        chained = any(
            t.kind is TriggerKind.TERMIJN_VERSTREKEN and t.name in objection
            for t in term.start
        )
        if not chained:
            yield (
                f"De beslistermijn '{term.name}' begint niet na afloop van de bezwaartermijn.",
                (*path, "start"),
            )


def _suspension(p: Procedure) -> Yield:
    for term in _terms(p, "7:10", 1):
        suspends = [a for a in p.actions.values() if term.name in a.terms.suspend]
        if not term.suspendable or not suspends:
            yield (
                f"De beslistermijn '{term.name}' kan niet worden opgeschort voor herstel van een verzuim.",
                ("termijnen", term.name),
            )


def _extension(p: Procedure) -> Yield:
    filers = {
        r.name for r in p.roles.values() if r.is_party and r.generic == "initiator"
    }
    for term in _terms(p, "7:10", 1):
        if term.extension is None:
            continue
        path: tuple[str | int, ...] = ("termijnen", term.name, "verlenging")
        weeks = _weeks(term.extension.maximum)
        if weeks is None or weeks > 6:
            yield (
                f"De verdaging van '{term.name}' mag {term.extension.maximum} duren; ten hoogste zes weken.",
                (*path, "maximaal"),
            )
        if not filers.intersection(term.extension.notify):
            yield (
                f"Van de verdaging van '{term.name}' krijgt de indiener geen bericht (7:10 lid 5).",
                (*path, "melden_aan"),
            )


def _hearing(p: Procedure) -> Yield:
    if not _actions(p, "7:2", 1):
        yield (
            "Er is geen actie waarin belanghebbenden worden gehoord (Awb 7:2).",
            ("acties",),
        )


def _hearer_not_preparer(p: Procedure) -> Yield:
    preparers = {
        r.name for r in p.roles.values() if r.is_party and cites(r.basis, "7:5")
    }
    if not preparers:
        yield (
            "Er is geen partij-rol voor wie het besluit voorbereidde (Awb 7:5).",
            ("rollen",),
        )
        return
    for action in [*_actions(p, "7:2", 1), *_actions(p, "7:11")]:
        guarded = any(
            rule.kind is SeparationKind.NIET_PARTIJ
            and preparers.intersection(rule.targets)
            for rule in action.separation
        )
        if not guarded:
            yield (
                f"De actie '{action.name}' sluit de voorbereider van het besluit niet uit.",
                ("acties", action.name),
            )


def _penalty(p: Procedure) -> Yield:
    terms = _terms(p, "4:17", 1)
    if not terms:
        yield (
            "Er is geen dwangsomtermijn; de dwangsom geldt ook voor bezwaar (Awb 7:14).",
            ("termijnen",),
        )
    for term in terms:
        if term.duration != Duration(42, Unit.DAGEN) or term.atw:
            yield (
                f"De dwangsomtermijn '{term.name}' is 42 dagen, zonder Algemene termijnenwet (4:17 lid 1).",
                ("termijnen", term.name),
            )


FOUT, LET_OP = Severity.FOUT, Severity.WAARSCHUWING

RULES: tuple[Rule, ...] = (
    Rule(
        code="BZW-6:7-01",
        pack="awb-bezwaar",
        basis=_art("6:7"),
        severity=FOUT,
        title="Bezwaartermijn",
        fix="Geef een termijn van '6 weken' vanaf de bekendmaking met grondslag Awb 6:7.",
        check=_objection_term,
    ),
    Rule(
        code="BZW-7:10-01",
        pack="awb-bezwaar",
        basis=_art("7:10", 1),
        severity=FOUT,
        title="Beslistermijn",
        fix="Geef een termijn van '6 weken' (of '12 weken' met adviescommissie) met "
        "'start: [{termijn_verstreken: <bezwaartermijn>}]'.",
        check=_decision_term,
    ),
    Rule(
        code="BZW-7:10-02",
        pack="awb-bezwaar",
        basis=_art("7:10", 2),
        severity=FOUT,
        title="Opschorting bij herstel verzuim",
        fix="Maak de beslistermijn 'opschortbaar: true' en laat een actie haar opschorten.",
        check=_suspension,
    ),
    Rule(
        code="BZW-7:10-03",
        pack="awb-bezwaar",
        basis=_art("7:10", 3),
        severity=FOUT,
        title="Verdaging",
        fix="Beperk 'verlenging.maximaal' tot '6 weken' en meld aan de indiener.",
        check=_extension,
    ),
    Rule(
        code="BZW-7:2-01",
        pack="awb-bezwaar",
        basis=_art("7:2", 1),
        severity=FOUT,
        title="Horen",
        fix="Voeg een actie toe waarin wordt gehoord, met grondslag Awb 7:2.",
        check=_hearing,
    ),
    Rule(
        code="BZW-7:5-01",
        pack="awb-bezwaar",
        basis=_art("7:5", 1),
        severity=FOUT,
        title="Horen door wie niet voorbereidde",
        fix="Geef een partij-rol voor de voorbereider (grondslag 7:5) en sluit die uit bij horen en beslissen.",
        check=_hearer_not_preparer,
    ),
    Rule(
        code="BZW-4:17-01",
        pack="awb-bezwaar",
        basis=_art("4:17", 1),
        severity=LET_OP,
        title="Dwangsom",
        fix="Geef een dwangsomtermijn van '42 dagen' met 'atw: false' (Awb 4:17 lid 1).",
        check=_penalty,
    ),
)
