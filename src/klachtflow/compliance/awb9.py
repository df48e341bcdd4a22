"""Rule pack ``awb9``: klachtbehandeling door een bestuursorgaan (Awb hoofdstuk 9).

A procedure says which step does what by citing the law: the action that
confirms receipt cites Awb 9:6, the handling term cites 9:11, and so on
(law.md §1). The rules look for those citations and check what the article
demands of the step. Texts are Dutch; each rule names its article.
"""

from __future__ import annotations

from collections.abc import Iterator

from klachtflow.compliance.model import Rule, Severity
from klachtflow.definition.model import (
    Action,
    Duration,
    FieldType,
    LegalBasis,
    Procedure,
    SeparationKind,
    TermKind,
    Unit,
)

__all__ = ["RULES", "cites", "missing_contents"]

AWB = "BWBR0005537"
Yield = Iterator[tuple[str, tuple[str | int, ...]]]


def _art(artikel: str, lid: int | None = None) -> LegalBasis:
    return LegalBasis(wet="Awb", artikel=artikel, lid=lid, bwb=AWB)


def cites(
    basis: tuple[LegalBasis, ...],
    artikel: str,
    *,
    lid: int | None = None,
    bwb: str = AWB,
) -> bool:
    """Whether any basis cites ``artikel`` (and ``lid``) of the law ``bwb`` (default Awb)."""
    return any(
        b.bwb == bwb and b.artikel == artikel and (lid is None or b.lid == lid)
        for b in basis
    )


def missing_contents(
    action: Action, contents: tuple[tuple[str, str], ...]
) -> list[str]:
    """Labels of ``(label, stem)`` contents that no required field of ``action`` names.

    A letter's contents are recognised by a stem in the field names, so
    ``ombudsman_verwijzing`` and ``verwijzing_ombudsman`` both count.
    """
    fields = " ".join(action.required)
    return [label for label, stem in contents if stem not in fields]


def _actions(
    procedure: Procedure, artikel: str, *, lid: int | None = None
) -> list[Action]:
    return [a for a in procedure.actions.values() if cites(a.basis, artikel, lid=lid)]


def _complainants(procedure: Procedure) -> set[str]:
    """Party roles that complain (ZGW initiator or mede_initiator): klager, gemachtigde."""
    return {
        r.name
        for r in procedure.roles.values()
        if r.is_party and r.generic in ("initiator", "mede_initiator")
    }


def _respondents(procedure: Procedure) -> set[str]:
    """Party roles complained about: the other parties (the beklaagde)."""
    return {r.name for r in procedure.roles.values() if r.is_party} - _complainants(
        procedure
    )


def _ends(procedure: Procedure, action: Action) -> bool:
    return action.target is not None and procedure.states[action.target].is_final


def _weeks(duration: Duration) -> int | None:
    if duration.unit is Unit.WEKEN:
        return duration.amount
    if duration.unit is Unit.DAGEN and duration.amount % 7 == 0:
        return duration.amount // 7
    return None


# --------------------------------------------------------------------------- checks


def _acknowledgement(p: Procedure) -> Yield:
    if not _actions(p, "9:6"):
        yield (
            "Er is geen actie die de ontvangst van het klaagschrift schriftelijk bevestigt.",
            ("acties",),
        )


def _separation(p: Procedure) -> Yield:
    respondents = _respondents(p)
    handling = [*_actions(p, "9:9"), *_actions(p, "9:10"), *_actions(p, "9:12")]
    for action in dict.fromkeys(handling):
        guarded = any(
            rule.kind is SeparationKind.NIET_PARTIJ
            and respondents.intersection(rule.targets)
            for rule in action.separation
        )
        if not guarded:
            yield (
                f"De actie '{action.name}' behandelt of beslist over de klacht, maar sluit de "
                "beklaagde niet uit.",
                ("acties", action.name),
            )


def _refusal_term(p: Procedure) -> Yield:
    if not _actions(p, "9:8"):
        return
    terms = [t for t in p.terms.values() if cites(t.basis, "9:8")]
    if not terms:
        yield (
            "Er is een actie om een klacht niet te behandelen (9:8), maar geen termijn van "
            "vier weken voor die mededeling.",
            ("termijnen",),
        )
    for term in terms:
        if _weeks(term.duration) != 4:
            yield (
                f"De termijn '{term.name}' voor niet-behandelen is {term.duration}, de wet "
                "zegt vier weken.",
                ("termijnen", term.name, "duur"),
            )


def _copy(p: Procedure) -> Yield:
    if not _actions(p, "9:9"):
        yield (
            "Er is geen actie die de beklaagde een afschrift van het klaagschrift stuurt.",
            ("acties",),
        )


def _hearing(p: Procedure) -> Yield:
    if not [a for a in _actions(p, "9:10") if not cites(a.basis, "9:10", lid=2)]:
        yield "Er is geen actie waarin klager en beklaagde worden gehoord.", ("acties",)


def _hearing_waived(p: Procedure) -> Yield:
    waivers = _actions(p, "9:10", lid=2)
    if not waivers:
        yield (
            "Er is geen actie om met een grond af te zien van horen; zonder die actie moet "
            "altijd worden gehoord.",
            ("acties",),
        )
    # A ground is a choice or a text; a date or a yes/no records no reason.
    grounds = {FieldType.KEUZE, FieldType.TEKST}
    for action in waivers:
        if not any(p.fields[f].type in grounds for f in action.required):
            yield (
                f"De actie '{action.name}' ziet af van horen zonder de grond vast te leggen "
                "(een keuze- of tekstgegeven).",
                ("acties", action.name),
            )


def _handling_term(p: Procedure) -> Yield:
    terms = [t for t in p.terms.values() if cites(t.basis, "9:11")]
    if not any(_weeks(t.duration) == 6 for t in terms):
        yield "Er is geen afhandeltermijn van zes weken na ontvangst.", ("termijnen",)
    for term in terms:
        path: tuple[str | int, ...] = ("termijnen", term.name)
        if _weeks(term.duration) not in (6, 10):
            yield (
                f"De afhandeltermijn '{term.name}' is {term.duration}; de wet zegt zes weken, "
                "of tien met een klachtadviescommissie.",
                (*path, "duur"),
            )
        if term.kind is not TermKind.FATAAL:
            yield (
                f"De afhandeltermijn '{term.name}' is geen fatale termijn.",
                (*path, "soort"),
            )
        if not term.atw:
            yield (
                f"Bij de afhandeltermijn '{term.name}' is de Algemene termijnenwet uitgezet.",
                (*path, "atw"),
            )


def _extension(p: Procedure) -> Yield:
    # Awb 9:11 lid 2: notice "aan de klager en aan degene op wiens gedraging de
    # klacht betrekking heeft"; a gemachtigde acts for the klager.
    complainants = _complainants(p)
    principal = {
        r for r in complainants if p.roles[r].generic == "initiator"
    } or complainants
    needed = principal | _respondents(p)
    for term in p.terms.values():
        if not cites(term.basis, "9:11") or term.extension is None:
            continue
        path: tuple[str | int, ...] = ("termijnen", term.name, "verlenging")
        weeks = _weeks(term.extension.maximum)
        if weeks is None or weeks > 4:
            yield (
                f"De verdaging van '{term.name}' mag {term.extension.maximum} duren; de wet "
                "zegt ten hoogste vier weken.",
                (*path, "maximaal"),
            )
        missing = sorted(needed - set(term.extension.notify))
        if missing:
            yield (
                f"Van de verdaging van '{term.name}' krijgen niet alle betrokkenen bericht "
                f"(ontbreekt: {', '.join(missing)}).",
                (*path, "melden_aan"),
            )


def _further_delay(p: Procedure) -> Yield:
    complainants = _complainants(p)
    for term in p.terms.values():
        if not cites(term.basis, "9:11") or term.extension is None:
            continue
        further = term.extension.further
        if further is None:
            continue
        path = ("termijnen", term.name, "verlenging", "verder_uitstel")
        if not complainants.intersection(further.consent_of) or not further.written:
            yield (
                f"Verder uitstel van '{term.name}' vraagt niet de schriftelijke instemming "
                "van de klager.",
                path,
            )


def _closing_notice(p: Procedure) -> Yield:
    closing = _actions(p, "9:12")
    if not closing:
        yield (
            "Er is geen actie die de klacht schriftelijk en gemotiveerd afhandelt.",
            ("acties",),
        )
    for action in closing:
        missing = missing_contents(
            action,
            (
                ("bevindingen", "bevinding"),
                ("oordeel", "oordeel"),
                ("conclusies", "conclusie"),
                ("verwijzing naar de ombudsman", "ombudsman"),
            ),
        )
        if missing:
            yield (
                f"De afhandeling '{action.name}' legt niet vast: {', '.join(missing)}.",
                ("acties", action.name, "vereist"),
            )
        if not _ends(p, action):
            yield (
                f"De afhandeling '{action.name}' leidt niet naar een eindstatus.",
                ("acties", action.name, "naar"),
            )


def _registration(p: Procedure) -> Yield:
    if not p.registration.categories:
        yield "Er zijn geen categorieën om klachten te registreren.", ("registratie",)


def _satisfaction(p: Procedure) -> Yield:
    complainants = _complainants(p)
    for action in _actions(p, "9:5"):
        if not _ends(p, action):
            continue
        consent = action.consent
        if consent is None or not complainants.intersection(consent.parties):
            yield (
                f"De actie '{action.name}' sluit de klacht informeel af zonder instemming "
                "van de klager.",
                ("acties", action.name),
            )


def _ombudsman_after_handling(p: Procedure) -> Yield:
    for action in dict.fromkeys([*_actions(p, "9:18"), *_actions(p, "9:20")]):
        early = [s for s in action.sources if not p.states[s].is_final]
        if early:
            yield (
                f"De actie '{action.name}' verwijst naar de ombudsman vóór de interne "
                f"afhandeling (vanuit {', '.join(early)}).",
                ("acties", action.name, "van"),
            )


def _ombudsman_year(p: Procedure) -> Yield:
    if not (_actions(p, "9:18") or _actions(p, "9:20")):
        return
    terms = [t for t in p.terms.values() if cites(t.basis, "9:24")]
    if not terms:
        yield (
            "Er is geen termijn van een jaar voor een verzoek aan de ombudsman.",
            ("termijnen",),
        )
    for term in terms:
        if term.duration != Duration(1, Unit.JAREN):
            yield (
                f"De ombudsmantermijn '{term.name}' is {term.duration}; de wet zegt een jaar.",
                ("termijnen", term.name, "duur"),
            )


def _every_action_cites(p: Procedure) -> Yield:
    for action in p.actions.values():
        if not action.basis:
            yield (
                f"De actie '{action.name}' noemt geen grondslag.",
                ("acties", action.name),
            )


FOUT, LET_OP = Severity.FOUT, Severity.WAARSCHUWING

RULES: tuple[Rule, ...] = (
    Rule(
        code="AWB-9:6-01",
        pack="awb9",
        basis=_art("9:6"),
        severity=FOUT,
        title="Ontvangstbevestiging",
        fix="Voeg een actie toe die de ontvangst schriftelijk bevestigt, met grondslag Awb 9:6.",
        check=_acknowledgement,
    ),
    Rule(
        code="AWB-9:7-01",
        pack="awb9",
        basis=_art("9:7", 1),
        severity=FOUT,
        title="Behandelaar niet betrokken",
        fix="Geef elke actie die behandelt of beslist 'scheiding: [{niet_partij: beklaagde}]'.",
        check=_separation,
    ),
    Rule(
        code="AWB-9:8-01",
        pack="awb9",
        basis=_art("9:8", 3),
        severity=FOUT,
        title="Niet behandelen binnen vier weken",
        fix="Geef een termijn van '4 weken' na ontvangst met grondslag Awb 9:8 lid 3.",
        check=_refusal_term,
    ),
    Rule(
        code="AWB-9:9-01",
        pack="awb9",
        basis=_art("9:9"),
        severity=FOUT,
        title="Afschrift aan beklaagde",
        fix="Voeg een actie toe die de beklaagde een afschrift stuurt, met grondslag Awb 9:9.",
        check=_copy,
    ),
    Rule(
        code="AWB-9:10-01",
        pack="awb9",
        basis=_art("9:10", 1),
        severity=FOUT,
        title="Horen",
        fix="Voeg een actie toe waarin klager en beklaagde worden gehoord (Awb 9:10 lid 1).",
        check=_hearing,
    ),
    Rule(
        code="AWB-9:10-02",
        pack="awb9",
        basis=_art("9:10", 2),
        severity=LET_OP,
        title="Afzien van horen met grond",
        fix="Voeg een actie toe om af te zien van horen die de grond vastlegt (vereist: [...]).",
        check=_hearing_waived,
    ),
    Rule(
        code="AWB-9:11-01",
        pack="awb9",
        basis=_art("9:11", 1),
        severity=FOUT,
        title="Afhandeltermijn",
        fix="Geef een fatale termijn van '6 weken' na ontvangst (of '10 weken' met een "
        "klachtadviescommissie) met grondslag Awb 9:11 lid 1.",
        check=_handling_term,
    ),
    Rule(
        code="AWB-9:11-02",
        pack="awb9",
        basis=_art("9:11", 2),
        severity=FOUT,
        title="Verdaging",
        fix="Beperk 'verlenging.maximaal' tot '4 weken' en meld aan klager en beklaagde.",
        check=_extension,
    ),
    Rule(
        code="AWB-9:11-03",
        pack="awb9",
        basis=_art("9:11", 3),
        severity=FOUT,
        title="Verder uitstel met instemming",
        fix="Geef 'verder_uitstel' met 'instemming_van: [klager]' en 'schriftelijk: true'.",
        check=_further_delay,
    ),
    Rule(
        code="AWB-9:12-01",
        pack="awb9",
        basis=_art("9:12"),
        severity=FOUT,
        title="Afhandeling",
        fix="Laat de afhandeling bevindingen, oordeel, conclusies en de verwijzing naar de "
        "ombudsman vastleggen (vereist) en naar een eindstatus leiden.",
        check=_closing_notice,
    ),
    Rule(
        code="AWB-9:12a-01",
        pack="awb9",
        basis=_art("9:12a"),
        severity=LET_OP,
        title="Registratie",
        fix="Vul 'registratie.categorieen' zodat klachten geregistreerd en jaarlijks "
        "gepubliceerd kunnen worden.",
        check=_registration,
    ),
    Rule(
        code="AWB-9:5-01",
        pack="awb9",
        basis=_art("9:5"),
        severity=FOUT,
        title="Opgelost naar tevredenheid",
        fix="Geef de informele afsluiting 'instemming: {van: [klager]}'.",
        check=_satisfaction,
    ),
    Rule(
        code="AWB-9:20-01",
        pack="awb9",
        basis=_art("9:20"),
        severity=FOUT,
        title="Ombudsman na interne klachtbehandeling",
        fix="Laat de verwijzing naar de ombudsman alleen vanuit een eindstatus vertrekken.",
        check=_ombudsman_after_handling,
    ),
    Rule(
        code="AWB-9:24-01",
        pack="awb9",
        basis=_art("9:24", 1),
        severity=FOUT,
        title="Een jaar voor de ombudsman",
        fix="Geef een termijn van '1 jaar' na de afhandeling met grondslag Awb 9:24 lid 1.",
        check=_ombudsman_year,
    ),
    Rule(
        code="KF-GRAAF-01",
        pack="awb9",
        basis=LegalBasis(regeling="klachtflow", artikel="grondslag"),
        severity=LET_OP,
        title="Grondslag bij elke actie",
        fix="Noem bij elke actie een grondslag (een artikel of de eigen regeling).",
        check=_every_action_cites,
    ),
)
