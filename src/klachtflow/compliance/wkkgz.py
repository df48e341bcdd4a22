"""Rule pack ``wkkgz``: klachten en geschillen in de zorg (Wkkgz, BWBR0037173).

As in :mod:`.awb9`, steps are recognised by the article they cite: the
decision letter cites art 17 lid 1, the klachtenfunctionaris role art 15, the
route to the geschilleninstantie art 21 (law.md §4).
"""

from __future__ import annotations

from collections.abc import Iterator

from klachtflow.compliance.awb9 import cites, missing_contents
from klachtflow.compliance.model import Rule, Severity
from klachtflow.definition.model import (
    Action,
    Duration,
    LegalBasis,
    Procedure,
    SeparationKind,
    TermKind,
    Unit,
)

__all__ = ["RULES"]

WKKGZ = "BWBR0037173"
Yield = Iterator[tuple[str, tuple[str | int, ...]]]


def _art(artikel: str, lid: int | None = None) -> LegalBasis:
    return LegalBasis(wet="Wkkgz", artikel=artikel, lid=lid, bwb=WKKGZ)


def _actions(p: Procedure, artikel: str, *, lid: int | None = None) -> list[Action]:
    return [
        a for a in p.actions.values() if cites(a.basis, artikel, lid=lid, bwb=WKKGZ)
    ]


def _complainants(p: Procedure) -> set[str]:
    return {
        r.name
        for r in p.roles.values()
        if r.is_party and r.generic in ("initiator", "mede_initiator")
    }


def _weeks(duration: Duration) -> int | None:
    if duration.unit is Unit.WEKEN:
        return duration.amount
    if duration.unit is Unit.DAGEN and duration.amount % 7 == 0:
        return duration.amount // 7
    return None


def _formal_target(p: Procedure, action: Action) -> bool:
    if action.target is None:
        return False
    lineage = p.states[action.target].path.split(".")
    return any("formeel" in p.states[name].tags for name in lineage)


def _written(p: Procedure) -> Yield:
    filing = [a for a in _actions(p, "14") if _formal_target(p, a)]
    if not filing:
        yield "Er is geen actie om een schriftelijke klacht in te dienen.", ("acties",)
    for action in filing:
        if not action.required and not action.checks:
            yield (
                f"De actie '{action.name}' legt niet vast wanneer en wat er schriftelijk is ingediend.",
                ("acties", action.name),
            )


def _functionaris_never_decides(p: Procedure) -> Yield:
    functionaris = {r.name for r in p.roles.values() if cites(r.basis, "15", bwb=WKKGZ)}
    if not functionaris:
        yield "Er is geen rol voor de klachtenfunctionaris (art 15).", ("rollen",)
    for action in _actions(p, "17", lid=1):
        deciding = sorted(functionaris & action.roles)
        if deciding:
            yield (
                f"De klachtenfunctionaris ({', '.join(deciding)}) mag de mededeling "
                f"'{action.name}' niet doen: die rol beslist niet.",
                ("acties", action.name, "wie"),
            )


def _progress(p: Procedure) -> Yield:
    informs = any(s.informs for s in p.states.values()) or any(
        a.informs for a in p.actions.values()
    )
    if not informs:
        yield "De klager krijgt nergens bericht over de voortgang.", ("statussen",)


def _term(p: Procedure) -> Yield:
    terms = [t for t in p.terms.values() if cites(t.basis, "17", bwb=WKKGZ)]
    if not any(_weeks(t.duration) == 6 and t.kind is TermKind.FATAAL for t in terms):
        yield (
            "Er is geen fatale termijn van zes weken na indiening voor de mededeling.",
            ("termijnen",),
        )


def _extension(p: Procedure) -> Yield:
    complainants = _complainants(p)
    for term in p.terms.values():
        if not cites(term.basis, "17", bwb=WKKGZ) or term.extension is None:
            continue
        path: tuple[str | int, ...] = ("termijnen", term.name, "verlenging")
        weeks = _weeks(term.extension.maximum)
        if weeks is None or weeks > 4:
            yield (
                f"De verlenging van '{term.name}' mag {term.extension.maximum} duren; de wet "
                "zegt ten hoogste vier weken.",
                (*path, "maximaal"),
            )
        if not complainants.intersection(term.extension.notify):
            yield (
                f"Van de verlenging van '{term.name}' krijgt de klager geen bericht.",
                (*path, "melden_aan"),
            )


def _letter(p: Procedure) -> Yield:
    letters = _actions(p, "17", lid=1)
    if not letters:
        yield (
            "Er is geen actie voor de schriftelijke mededeling (art 17 lid 1).",
            ("acties",),
        )
    for action in letters:
        missing = missing_contents(
            action,
            (
                ("oordeel", "oordeel"),
                ("beslissingen", "beslissing"),
                ("termijn van de maatregelen", "termijn"),
            ),
        )
        if missing:
            yield (
                f"De mededeling '{action.name}' legt niet vast: {', '.join(missing)}.",
                ("acties", action.name, "vereist"),
            )


def _independent_handling(p: Procedure) -> Yield:
    respondents = {r.name for r in p.roles.values() if r.is_party} - _complainants(p)
    for action in _actions(p, "17", lid=1):
        guarded = any(
            rule.kind is SeparationKind.NIET_PARTIJ
            and respondents.intersection(rule.targets)
            for rule in action.separation
        )
        if not guarded:
            yield (
                f"De mededeling '{action.name}' sluit de beklaagde zorgverlener niet uit.",
                ("acties", action.name),
            )


def _disputes(p: Procedure) -> Yield:
    if not _actions(p, "21"):
        yield "Er is geen weg naar de geschilleninstantie (art 18, 21).", ("acties",)
    for term in p.terms.values():
        if cites(term.basis, "22", bwb=WKKGZ) and (
            term.duration != Duration(6, Unit.MAANDEN) or term.atw
        ):
            yield (
                f"De termijn '{term.name}' van de geschilleninstantie is zes maanden, zonder Atw.",
                ("termijnen", term.name),
            )


FOUT, LET_OP = Severity.FOUT, Severity.WAARSCHUWING

RULES: tuple[Rule, ...] = (
    Rule(
        code="WKKGZ-14-01",
        pack="wkkgz",
        basis=_art("14"),
        severity=FOUT,
        title="Schriftelijke klacht",
        fix="Voeg een actie toe om schriftelijk te klagen (grondslag Wkkgz 14) die de datum vastlegt.",
        check=_written,
    ),
    Rule(
        code="WKKGZ-15-01",
        pack="wkkgz",
        basis=_art("15"),
        severity=FOUT,
        title="Klachtenfunctionaris beslist niet",
        fix="Geef een rol met grondslag Wkkgz 15 en laat die rol niet in 'wie' van de mededeling staan.",
        check=_functionaris_never_decides,
    ),
    Rule(
        code="WKKGZ-16-01",
        pack="wkkgz",
        basis=_art("16"),
        severity=LET_OP,
        title="Klager op de hoogte houden",
        fix="Zet 'informeren: true' bij statussen of acties waarover de klager bericht krijgt.",
        check=_progress,
    ),
    Rule(
        code="WKKGZ-16-02",
        pack="wkkgz",
        basis=_art("16"),
        severity=LET_OP,
        title="Onderzoek los van de beklaagde",
        fix="Geef de mededeling 'scheiding: [{niet_partij: beklaagde}]'.",
        check=_independent_handling,
    ),
    Rule(
        code="WKKGZ-17-01",
        pack="wkkgz",
        basis=_art("17", 1),
        severity=FOUT,
        title="Mededeling binnen zes weken",
        fix="Geef een fatale termijn van '6 weken' na indiening met grondslag Wkkgz 17 lid 1.",
        check=_term,
    ),
    Rule(
        code="WKKGZ-17-02",
        pack="wkkgz",
        basis=_art("17", 2),
        severity=FOUT,
        title="Verlenging",
        fix="Beperk 'verlenging.maximaal' tot '4 weken' en meld de verlenging aan de klager.",
        check=_extension,
    ),
    Rule(
        code="WKKGZ-17-03",
        pack="wkkgz",
        basis=_art("17", 1),
        severity=FOUT,
        title="Inhoud van de mededeling",
        fix="Laat de mededeling oordeel, beslissingen en de termijn van de maatregelen vastleggen (vereist).",
        check=_letter,
    ),
    Rule(
        code="WKKGZ-21-01",
        pack="wkkgz",
        basis=_art("21"),
        severity=FOUT,
        title="Geschilleninstantie",
        fix="Voeg een actie toe om het geschil voor te leggen (Wkkgz 21) en een termijn van "
        "'6 maanden' (Wkkgz 22).",
        check=_disputes,
    ),
)
