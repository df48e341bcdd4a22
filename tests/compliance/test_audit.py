"""Audit of case histories: what actually happened, against Awb hoofdstuk 9."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs
import pytest

from klachtflow import (
    Actor,
    Case,
    Engine,
    Procedure,
    builtin_procedure,
    loads_procedure,
    open_store,
)
from klachtflow.adapters.cli import main
from klachtflow.compliance.audit import InvalidPeriod, audit_case, parse_period
from klachtflow.definition.model import Duration
from klachtflow.definition.templates import template_text
from klachtflow.engine.case import FrozenMap
from klachtflow.rules.clocks import ExtensionStep

KLAGER = Actor("b.jansen", roles={"klager"})
SMIT = Actor("j.smit", roles={"behandelaar"})
COORDINATOR = Actor("m.devries", roles={"klachtencoordinator"})
HANDLER = Actor("a.bakker", roles={"behandelaar"})
COLLEGE = Actor("college", roles={"bestuursorgaan"})
TODAY = dt.date(2026, 11, 22)
CLOSING: dict[str, Any] = {
    "bevindingen": "b",
    "oordeel": "gegrond",
    "conclusies": "c",
    "ombudsman_verwijzing": "Nationale ombudsman, binnen een jaar",
    "verbetermaatregelen": "geen",
}


def at(day: int) -> dt.datetime:
    """10:00 UTC on day ``day`` after Monday 2 March 2026."""
    return dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC) + dt.timedelta(days=day)


def formal(engine: Engine) -> Case:
    case = engine.start(
        actor=KLAGER,
        parties={"klager": ["b.jansen"], "beklaagde": ["j.smit"]},
        at=at(0),
        case_id="A-1",
    )
    return engine.fire(
        case,
        "registreer_klaagschrift",
        actor=COORDINATOR,
        at=at(0),
        data={
            "schriftelijk": True,
            "datum_ontvangst": "2026-03-02",
            "omschrijving_gedraging": "x",
            "naam_adres_klager": "y",
            "dagtekening": "2026-03-01",
        },
    )


def handled(
    engine: Engine,
    *,
    day: int,
    handler: Actor = HANDLER,
    closing: dict[str, Any] | None = None,
) -> Case:
    case = engine.fire(
        formal(engine),
        "bevestig_ontvangst",
        actor=COORDINATOR,
        at=at(1),
        data={"datum_ontvangstbevestiging": "2026-03-03"},
    )
    case = engine.fire(
        case,
        "stuur_afschrift",
        actor=handler,
        at=at(2),
        data={"datum_afschrift": "2026-03-04"},
    )
    case = engine.fire(
        case, "hoor_partijen", actor=handler, at=at(10), data={"hoorverslag": "v"}
    )
    return engine.fire(
        case, "handel_af", actor=COLLEGE, at=at(day), data=closing or CLOSING
    )


def codes(case: Case, procedure: Procedure) -> list[str]:
    return [f.code for f in audit_case(case, procedure, today=TODAY)]


@pytest.fixture(scope="module")
def procedure() -> Procedure:
    return builtin_procedure("gemeente-awb")


@pytest.fixture
def engine(procedure: Procedure) -> Engine:
    return Engine(procedure, backdating=None)


class TestHistories:
    def test_on_time_is_clean(self, engine: Engine, procedure: Procedure) -> None:
        """Handled within six weeks, with everything in place: no findings."""
        assert [] == codes(handled(engine, day=30), procedure)

    def test_decided_after_the_term(self, engine: Engine, procedure: Procedure) -> None:
        """Awb 9:11: handled seven weeks after receipt, without extension."""
        case = handled(engine, day=49)
        (finding,) = audit_case(case, procedure, today=TODAY)

        assert ("AUDIT-9:11-01", "fout") == (finding.code, finding.severity)
        assert "Awb 9:11 lid 1 (BWBR0005537)" == str(finding.basis)

    def test_extended_in_time_is_not_late(
        self, engine: Engine, procedure: Procedure
    ) -> None:
        """With a verdaging of four weeks, seven weeks is on time."""
        case = engine.fire(
            formal(engine),
            "bevestig_ontvangst",
            actor=COORDINATOR,
            at=at(1),
            data={"datum_ontvangstbevestiging": "2026-03-03"},
        )
        case = engine.fire(
            case,
            "verdaag",
            actor=COLLEGE,
            at=at(20),
            data={"reden_verdaging": "x"},
            notified=["klager", "beklaagde"],
        )
        case = engine.fire(
            case,
            "stuur_afschrift",
            actor=HANDLER,
            at=at(21),
            data={"datum_afschrift": "2026-03-23"},
        )
        case = engine.fire(
            case, "hoor_partijen", actor=HANDLER, at=at(30), data={"hoorverslag": "v"}
        )
        case = engine.fire(case, "handel_af", actor=COLLEGE, at=at(49), data=CLOSING)

        assert [] == codes(case, procedure)

    def test_late_extension(self, engine: Engine, procedure: Procedure) -> None:
        """A verdaging recorded after the term expired (the engine now refuses one;
        an imported history may hold it) is a fout, and does not extend the term."""
        case = engine.fire(
            formal(engine),
            "bevestig_ontvangst",
            actor=COORDINATOR,
            at=at(1),
            data={"datum_ontvangstbevestiging": "2026-03-03"},
        )
        late = ExtensionStep(
            Duration.parse("4 weken"),
            dt.date(2026, 4, 16),
            ("klager", "beklaagde"),
            late=True,
        )
        clock = attrs.evolve(case.clocks["afhandeling"], extensions=(late,))
        forged = attrs.evolve(case, clocks={**case.clocks, "afhandeling": clock})
        found = codes(forged, procedure)

        assert "AUDIT-9:11-03" in found
        assert "AUDIT-OPEN-AWB-9:11-01" in found

    def test_extension_beyond_the_maximum(
        self, engine: Engine, procedure: Procedure
    ) -> None:
        """An imported history with eight weeks of verdaging is reported."""
        case = formal(engine)
        clock = attrs.evolve(
            case.clocks["afhandeling"],
            extensions=(
                ExtensionStep(
                    Duration.parse("8 weken"),
                    dt.date(2026, 3, 20),
                    ("klager", "beklaagde"),
                ),
            ),
        )
        forged = attrs.evolve(case, clocks={**case.clocks, "afhandeling": clock})

        assert "AUDIT-9:11-02" in codes(forged, procedure)

    def test_refusal_too_late(self, engine: Engine, procedure: Procedure) -> None:
        """Awb 9:8 lid 3: refused five weeks after receipt."""
        case = engine.fire(
            formal(engine),
            "bevestig_ontvangst",
            actor=COORDINATOR,
            at=at(1),
            data={"datum_ontvangstbevestiging": "2026-03-03"},
        )
        case = engine.fire(
            case,
            "weiger_behandeling",
            actor=COLLEGE,
            at=at(35),
            data={
                "weigergrond": "bezwaar_mogelijk",
                "ombudsman_verwijzing": "Nationale ombudsman",
            },
        )

        assert ["AUDIT-9:8-01"] == codes(case, procedure)

    def test_refusal_without_acknowledgement(self) -> None:
        """Awb 9:6: under a version that allowed refusing before confirming receipt."""
        text = template_text("gemeente-awb").replace(
            "    omschrijving: Kan na de ontvangstbevestiging (Awb 9:6), binnen vier weken na ontvangst.\n    van: formele_klacht.onderzoek",
            "    van: [formele_klacht.ontvangen, formele_klacht.onderzoek]",
        )
        lax = loads_procedure(text)
        case = Engine(lax, backdating=None).fire(
            formal(Engine(lax, backdating=None)),
            "weiger_behandeling",
            actor=COLLEGE,
            at=at(10),
            data={
                "weigergrond": "bezwaar_mogelijk",
                "ombudsman_verwijzing": "Nationale ombudsman",
            },
        )

        assert ["AUDIT-9:6-01"] == codes(case, lax)

    def test_beklaagde_as_handler(self) -> None:
        """Awb 9:7: under a procedure version without separation, the beklaagde handled."""
        text = template_text("gemeente-awb").replace(
            "      - niet_partij: beklaagde\n", "      - niet_partij: gemachtigde\n"
        )
        lax = loads_procedure(text)
        case = handled(Engine(lax, backdating=None), day=30, handler=SMIT)

        assert ["AUDIT-9:7-01", "AUDIT-9:7-01"] == codes(case, lax)

    def test_closing_notice_without_referral(self) -> None:
        """Awb 9:12 lid 2: a closing notice that does not name the ombudsman.

        The engine refuses such a notice; an imported history may hold one.
        """
        procedure = builtin_procedure("gemeente-awb")
        case = handled(Engine(procedure, backdating=None), day=30)
        data = {k: v for k, v in case.data.items() if k != "ombudsman_verwijzing"}
        forged = attrs.evolve(case, data=FrozenMap(data))

        assert ["AUDIT-9:12-01"] == codes(forged, procedure)


class TestPeriods:
    @pytest.mark.parametrize(
        ("text", "first", "last"),
        [
            ("2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
            ("2026-H1", dt.date(2026, 1, 1), dt.date(2026, 6, 30)),
            ("2026-h2", dt.date(2026, 7, 1), dt.date(2026, 12, 31)),
            ("2026-Q3", dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
            ("2026-Q4", dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        ],
    )
    def test_parse(self, text: str, first: dt.date, last: dt.date) -> None:
        """Years, halves and quarters."""
        assert (first, last) == parse_period(text)

    @pytest.mark.parametrize("text", ["26", "2026-Q5", "2026-H3", "Q3-2026"])
    def test_invalid(self, text: str) -> None:
        """Anything else is InvalidPeriod with a hint."""
        with pytest.raises(InvalidPeriod):
            parse_period(text)


class TestAuditCommand:
    def test_audit_reports_per_case_and_summary(
        self, engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """klachtflow audit lists each violation with its article, then a summary; exit 1."""
        url = f"sqlite:///{tmp_path / 'audit.db'}"
        with open_store(url, backdating=None) as store:
            store.add_procedure(engine.procedure)
            store.add(handled(engine, day=49))
        code = main(["audit", "--db", url, "--periode", "2026-Q1"])
        out = capsys.readouterr().out

        assert 1 == code
        assert "A-1:" in out
        assert "(AUDIT-9:11-01, Awb 9:11 lid 1 (BWBR0005537))" in out
        assert "1 zaak getoetst (periode 2026-Q1); 1 met bevindingen." in out

    def test_audit_of_another_period_is_clean(
        self, engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Cases opened outside the period are not audited; exit 0."""
        url = f"sqlite:///{tmp_path / 'audit.db'}"
        with open_store(url, backdating=None) as store:
            store.add_procedure(engine.procedure)
            store.add(handled(engine, day=49))

        assert 0 == main(["audit", "--db", url, "--periode", "2026-Q2"])
        assert "0 zaken getoetst" in capsys.readouterr().out

    def test_audit_date_decides_what_is_overdue(
        self, engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--op: an open case is late only once its term has passed by the audit date."""
        url = f"sqlite:///{tmp_path / 'audit.db'}"
        with open_store(url, backdating=None) as store:
            store.add_procedure(engine.procedure)
            store.add(formal(engine))

        assert 0 == main(["audit", "--db", url, "--op", "2026-03-20"])
        capsys.readouterr()
        assert 1 == main(
            ["audit", "--db", url, "--op", "2026-06-01", "--format", "json"]
        )
        assert "AUDIT-OPEN-AWB-9:11-01" in capsys.readouterr().out

    def test_invalid_audit_date_is_refused(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--op with something that is no date is refused with a hint, no traceback."""
        url = f"sqlite:///{tmp_path / 'audit.db'}"
        with open_store(url, upgrade_schema=True):
            pass

        assert 0 != main(["audit", "--db", url, "--op", "morgen"])
        assert "'morgen' is geen datum" in capsys.readouterr().err
