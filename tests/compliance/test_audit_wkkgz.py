"""Audit of case histories against the Wkkgz (BWBR0037173), on the zorgaanbieder template.

Art 17 lid 1: "De klager ontvangt zo spoedig mogelijk, doch uiterlijk binnen
zes weken na indiening van de klacht, een schriftelijke mededeling ..."
Art 17 lid 2: the zorgaanbieder may extend by at most four weeks, with written
notice to the klager before the term expires.
Art 22 lid 1: the geschilleninstantie rules "uiterlijk binnen zes maanden na
de voorlegging".
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import attrs
import pytest

from klachtflow import Actor, Case, Engine, Procedure, builtin_procedure
from klachtflow.compliance.audit import audit_case, audit_cases
from klachtflow.definition.model import Duration
from klachtflow.rules.clocks import ExtensionStep

TODAY = dt.date(2026, 11, 22)
KLAGER = Actor("c.visser", roles={"klager"})
FUNCTIONARIS = Actor("k.meijer", roles={"klachtenfunctionaris"})
BEHANDELAAR = Actor("l.bos", roles={"behandelaar"})
BESTUURDER = Actor("bestuurder", roles={"zorgaanbieder"})
INSTANTIE = Actor("geschillencommissie", roles={"geschilleninstantie"})
NOTICE: dict[str, Any] = {
    "oordeel": "gegrond",
    "beslissingen": "Excuses en een nieuw zorgplan.",
    "realisatietermijn_maatregelen": "binnen een maand",
    "verwijzing_geschilleninstantie": "Geschillencommissie Zorg",
}


def at(day: int) -> dt.datetime:
    """10:00 UTC on day ``day`` after Monday 2 March 2026 (the day of indiening)."""
    return dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC) + dt.timedelta(days=day)


@pytest.fixture(scope="module")
def procedure() -> Procedure:
    return builtin_procedure("zorgaanbieder-wkkgz")


@pytest.fixture
def engine(procedure: Procedure) -> Engine:
    return Engine(procedure, backdating=None)


def filed(engine: Engine) -> Case:
    case = engine.start(
        actor=KLAGER,
        parties={"klager": ["c.visser"], "beklaagde": ["d.arts"]},
        at=at(0),
        case_id="W-1",
    )
    case = engine.fire(
        case,
        "dien_klacht_in",
        actor=KLAGER,
        at=at(0),
        data={
            "schriftelijk": True,
            "datum_indiening": "2026-03-02",
            "omschrijving_gedraging": "x",
        },
    )
    return engine.fire(case, "onderzoek_klacht", actor=BEHANDELAAR, at=at(2))


def noticed(engine: Engine, case: Case, day: int, actor: Actor = BESTUURDER) -> Case:
    return engine.fire(case, "doe_mededeling", actor=actor, at=at(day), data=NOTICE)


def extended(engine: Engine, case: Case, day: int) -> Case:
    return engine.fire(
        case,
        "verleng",
        actor=BESTUURDER,
        at=at(day),
        data={"reden_verlenging": "Een deskundige moet worden gehoord."},
        notified=["klager"],
    )


def codes(case: Case, procedure: Procedure) -> list[str]:
    return [f.code for f in audit_case(case, procedure, today=TODAY)]


def test_on_time_is_clean(engine: Engine, procedure: Procedure) -> None:
    """A mededeling after five weeks: nothing to report."""
    assert [] == codes(noticed(engine, filed(engine), 35), procedure)


def test_mededeling_after_six_weeks(engine: Engine, procedure: Procedure) -> None:
    """Art 17 lid 1: seven weeks after indiening without extension."""
    (finding,) = audit_case(noticed(engine, filed(engine), 49), procedure, today=TODAY)

    assert ("AUDIT-WKKGZ-17-01", "fout") == (finding.code, finding.severity)
    assert "Wkkgz art 17 lid 1 (BWBR0037173)" == str(finding.basis)
    assert dt.date(2026, 4, 20) == finding.on


def test_extension_announced_in_time(engine: Engine, procedure: Procedure) -> None:
    """Art 17 lid 2: extended in week five, mededeling in week nine: on time."""
    case = extended(engine, filed(engine), 30)

    assert [] == codes(noticed(engine, case, 63), procedure)


def test_extension_announced_after_expiry(engine: Engine, procedure: Procedure) -> None:
    """Art 17 lid 2: the notice must come before the six weeks have passed.

    The engine refuses such an extension; an imported history may hold one,
    and then the late extension does not count: the mededeling is late too.
    """
    case = filed(engine)
    late = ExtensionStep(
        Duration.parse("4 weken"), at(45).date(), ("klager",), late=True
    )
    clock = attrs.evolve(case.clocks["afhandeling"], extensions=(late,))
    case = attrs.evolve(case, clocks={**case.clocks, "afhandeling": clock})
    found = codes(noticed(engine, case, 50), procedure)

    assert "AUDIT-WKKGZ-17-03" in found
    assert "AUDIT-WKKGZ-17-01" in found


def test_klachtenfunctionaris_who_decides(engine: Engine, procedure: Procedure) -> None:
    """Art 15: the person who mediated as klachtenfunctionaris does not decide."""
    case = engine.start(
        actor=KLAGER,
        parties={"klager": ["c.visser"], "beklaagde": ["d.arts"]},
        at=at(0),
        case_id="W-2",
    )
    case = engine.fire(
        case, "start_bemiddeling", actor=FUNCTIONARIS, at=at(0), consent=["klager"]
    )
    case = engine.fire(
        case,
        "dien_klacht_in",
        actor=KLAGER,
        at=at(1),
        data={
            "schriftelijk": True,
            "datum_indiening": "2026-03-03",
            "omschrijving_gedraging": "x",
        },
    )
    case = engine.fire(case, "onderzoek_klacht", actor=BEHANDELAAR, at=at(2))
    same_person = Actor("k.meijer", roles={"zorgaanbieder"})
    decided = noticed(engine, case, 30, actor=same_person)
    (finding,) = audit_case(decided, procedure, today=TODAY)

    assert "AUDIT-WKKGZ-15-01" == finding.code
    assert "k.meijer" in finding.message
    anonymised = attrs.evolve(
        decided,
        parties={},
        history=tuple(attrs.evolve(e, actor="geanonimiseerd") for e in decided.history),
    )
    assert [] == codes(anonymised, procedure)


def test_dispute_before_the_mededeling(engine: Engine, procedure: Procedure) -> None:
    """Art 21 lid 1: ground b needs a mededeling; before it, check a or c."""
    case = engine.fire(
        filed(engine),
        "leg_geschil_voor",
        actor=KLAGER,
        at=at(10),
        data={
            "datum_voorlegging": "2026-03-12",
            "grond_voorlegging": "klagen_niet_redelijk",
        },
    )
    (finding,) = audit_case(case, procedure, today=dt.date(2026, 4, 1))

    assert ("AUDIT-WKKGZ-21-01", "waarschuwing") == (finding.code, finding.severity)


def dispute(engine: Engine) -> Case:
    return engine.fire(
        noticed(engine, filed(engine), 30),
        "leg_geschil_voor",
        actor=KLAGER,
        at=at(40),
        data={
            "datum_voorlegging": "2026-04-11",
            "grond_voorlegging": "mededeling_lost_niet_op",
        },
    )


def test_dispute_after_the_mededeling_is_clean(
    engine: Engine, procedure: Procedure
) -> None:
    """Ground b after the mededeling, ruled within six months: nothing to report."""
    case = engine.fire(
        dispute(engine),
        "doe_uitspraak",
        actor=INSTANTIE,
        at=at(150),
        data={"uitspraak": "Gegrond."},
    )

    assert [] == codes(case, procedure)


def test_ruling_after_six_months(engine: Engine, procedure: Procedure) -> None:
    """Art 22 lid 1: a ruling seven months after submission, or none yet."""
    ruled = engine.fire(
        dispute(engine),
        "doe_uitspraak",
        actor=INSTANTIE,
        at=at(40 + 214),
        data={"uitspraak": "Gegrond."},
    )

    assert ["AUDIT-WKKGZ-22-01"] == codes(ruled, procedure)
    pending = dispute(engine)
    assert [] == [
        f.code for f in audit_case(pending, procedure, today=dt.date(2026, 9, 1))
    ]
    assert ["AUDIT-WKKGZ-22-01"] == codes(pending, procedure)


def test_the_report_mixes_regimes(engine: Engine, procedure: Procedure) -> None:
    """audit_cases applies the Wkkgz rules next to the Awb rules, per procedure."""
    late = noticed(engine, filed(engine), 49)
    report = audit_cases([(late, procedure)], today=TODAY)

    assert {"AUDIT-WKKGZ-17-01": 1} == report.summary


def test_every_audit_code_is_documented() -> None:
    """docs/reference/compliance.md lists every code the audit can report."""
    root = Path(__file__).resolve().parents[2]
    page = (root / "docs" / "reference" / "compliance.md").read_text("utf-8")
    sources = (root / "src" / "klachtflow" / "compliance").glob("audit*.py")
    emitted = {
        c for p in sources for c in re.findall(r'"(AUDIT-[^"]+)"', p.read_text())
    }

    assert len(emitted) >= 13
    assert [] == sorted(c for c in emitted if f"`{c}`" not in page)
