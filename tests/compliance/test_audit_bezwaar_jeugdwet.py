"""Audit of bezwaar and jeugdhulp case histories.

Awb 7:10 lid 1: "Het bestuursorgaan beslist binnen zes weken ... gerekend vanaf de
dag na die waarop de termijn voor het indienen van het bezwaarschrift is
verstreken." Lid 3: "Het bestuursorgaan kan de beslissing voor ten hoogste zes
weken verdagen."
Awb 7:5 lid 1: the hearing is done by someone "die niet bij de voorbereiding van
het bestreden besluit betrokken is geweest".
Jeugdwet 4.2.1 lid 2 onder c: the oordeel "binnen een in de regeling vastgelegde
termijn na indiening"; lid 5: measures "binnen een maand na ontvangst van het
oordeel".
"""

from __future__ import annotations

import datetime as dt

from klachtflow import (
    Actor,
    Case,
    Engine,
    Procedure,
    builtin_procedure,
    loads_procedure,
)
from klachtflow.compliance.audit import audit_case
from klachtflow.definition.templates import template_text

TODAY = dt.date(2026, 11, 22)


def on(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T10:00:00+00:00")


def codes(case: Case, procedure: Procedure, today: dt.date = TODAY) -> list[str]:
    return [f.code for f in audit_case(case, procedure, today=today)]


# --------------------------------------------------------------------------- bezwaar

BEHANDELAAR = Actor("b.1", roles={"behandelaar"})
COLLEGE = Actor("college", roles={"bestuursorgaan"})
DECISION = {"beslissing": "ongegrond", "motivering": "m"}


def objection(engine: Engine, *, heard_by: Actor = BEHANDELAAR) -> Case:
    """Besluit bekendgemaakt Thu 5 March 2026: decide by Thu 28 May 2026."""
    case = engine.start(
        actor=BEHANDELAAR,
        parties={"indiener": ["i.1"], "voorbereider": ["v.1"]},
        data={"datum_bekendmaking": "2026-03-05"},
        at=on("2026-03-20"),
    )
    case = engine.fire(
        case, "neem_in_behandeling", actor=BEHANDELAAR, at=on("2026-03-23")
    )
    return engine.fire(
        case, "hoor", actor=heard_by, at=on("2026-04-20"), data={"hoorverslag": "v"}
    )


def test_bezwaar_decided_on_time_is_clean() -> None:
    procedure = builtin_procedure("bezwaar-awb")
    engine = Engine(procedure, backdating=None)
    case = engine.fire(
        objection(engine), "beslis", actor=COLLEGE, at=on("2026-05-28"), data=DECISION
    )

    assert [] == codes(case, procedure)


def test_bezwaar_decided_late() -> None:
    """7:10 lid 1: decided a day after the six weeks, without verdaging."""
    procedure = builtin_procedure("bezwaar-awb")
    engine = Engine(procedure, backdating=None)
    case = engine.fire(
        objection(engine), "beslis", actor=COLLEGE, at=on("2026-05-29"), data=DECISION
    )
    (finding,) = audit_case(case, procedure, today=TODAY)

    assert ("AUDIT-7:10-01", "fout") == (finding.code, finding.severity)
    assert "Awb 7:10 lid 1 (BWBR0005537)" == str(finding.basis)


def test_bezwaar_verdaagd_in_time_then_decided() -> None:
    """7:10 lid 3: verdaagd by six weeks before the term ended: 9 July is on time."""
    procedure = builtin_procedure("bezwaar-awb")
    engine = Engine(procedure, backdating=None)
    case = engine.fire(
        objection(engine),
        "verdaag",
        actor=COLLEGE,
        at=on("2026-05-20"),
        data={"reden_verdaging": "advies nodig"},
        notified=["indiener", "belanghebbende"],
    )
    case = engine.fire(
        case, "beslis", actor=COLLEGE, at=on("2026-07-09"), data=DECISION
    )

    assert [] == codes(case, procedure)


def test_bezwaar_heard_by_the_preparer() -> None:
    """7:5 lid 1: under a version without the separation, the preparer heard."""
    text = template_text("bezwaar-awb").replace(
        '      - niet_partij: voorbereider\n        grondslag: {wet: Awb, artikel: "7:5", lid: 1}\n',
        "      - niet_partij: indiener\n",
    )
    lax = loads_procedure(text)
    engine = Engine(lax, backdating=None)
    case = objection(engine, heard_by=Actor("v.1", roles={"behandelaar"}))

    assert ["AUDIT-7:5-01"] == codes(case, lax, dt.date(2026, 4, 21))


# --------------------------------------------------------------------------- jeugdwet

KLAGER = Actor("j.1", roles={"klager"})
COMMISSIE = Actor("commissie", roles={"klachtencommissie"})
AANBIEDER = Actor("aanbieder", roles={"jeugdhulpaanbieder"})
JUDGEMENT = {"oordeel": "gegrond", "motivering": "m", "aanbevelingen": "a"}


def complaint(engine: Engine) -> Case:
    """Filed Monday 2 March 2026: oordeel due Monday 13 April (six weeks)."""
    case = engine.start(
        actor=KLAGER,
        parties={"klager": ["j.1"], "beklaagde": ["h.1"]},
        at=on("2026-03-02"),
    )
    case = engine.fire(
        case,
        "dien_klacht_in",
        actor=KLAGER,
        at=on("2026-03-02"),
        data={"datum_indiening": "2026-03-02", "omschrijving_gedraging": "x"},
    )
    return engine.fire(
        case, "nodig_uit_voor_horen", actor=COMMISSIE, at=on("2026-03-09")
    )


def test_jeugdwet_on_time_is_clean() -> None:
    procedure = builtin_procedure("jeugdhulp-jeugdwet")
    engine = Engine(procedure, backdating=None)
    case = engine.fire(
        complaint(engine),
        "geef_oordeel",
        actor=COMMISSIE,
        at=on("2026-04-10"),
        data=JUDGEMENT,
    )
    case = engine.fire(
        case,
        "deel_maatregelen_mee",
        actor=AANBIEDER,
        at=on("2026-05-04"),
        data={"maatregelen": "m"},
    )

    assert [] == codes(case, procedure)


def test_jeugdwet_oordeel_late() -> None:
    """4.2.1 lid 2 onder c: the oordeel after the regeling's six weeks, no new term."""
    procedure = builtin_procedure("jeugdhulp-jeugdwet")
    engine = Engine(procedure, backdating=None)
    case = engine.fire(
        complaint(engine),
        "geef_oordeel",
        actor=COMMISSIE,
        at=on("2026-04-20"),
        data=JUDGEMENT,
    )

    found = codes(case, procedure, dt.date(2026, 4, 21))
    assert ["AUDIT-JW-4.2.1-01"] == found


def test_jeugdwet_measures_late_or_missing() -> None:
    """4.2.1 lid 5: measures more than a month after the oordeel, or none at all."""
    procedure = builtin_procedure("jeugdhulp-jeugdwet")
    engine = Engine(procedure, backdating=None)
    judged = engine.fire(
        complaint(engine),
        "geef_oordeel",
        actor=COMMISSIE,
        at=on("2026-04-10"),
        data=JUDGEMENT,
    )
    late = engine.fire(
        judged,
        "deel_maatregelen_mee",
        actor=AANBIEDER,
        at=on("2026-05-20"),
        data={"maatregelen": "m"},
    )

    assert ["AUDIT-JW-4.2.1-04"] == codes(late, procedure)
    assert [] == codes(judged, procedure, dt.date(2026, 5, 8))
    assert ["AUDIT-JW-4.2.1-04"] == codes(judged, procedure)


def test_jeugdwet_beklaagde_takes_part() -> None:
    """4.2.1 lid 2 onder b: under a version without separation, the beklaagde judged."""
    text = template_text("jeugdhulp-jeugdwet").replace(
        "      - niet_partij: beklaagde\n", "      - niet_partij: klager\n"
    )
    lax = loads_procedure(text)
    engine = Engine(lax, backdating=None)
    case = engine.fire(
        complaint(engine),
        "geef_oordeel",
        actor=Actor("h.1", roles={"klachtencommissie"}),
        at=on("2026-04-10"),
        data=JUDGEMENT,
    )

    assert ["AUDIT-JW-4.2.1-05"] == codes(case, lax, dt.date(2026, 4, 11))
