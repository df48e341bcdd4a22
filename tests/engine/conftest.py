"""Fixtures for engine tests: the gemeente-awb engine on a fixed clock, and actors."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pendulum
import pytest

from klachtflow import Actor, Case, Engine, FixedClock, Procedure, builtin_procedure

KLAGER = Actor("b.jansen", roles={"klager"})
BEKLAAGDE = Actor("j.smit", roles={"beklaagde", "behandelaar"})
COORDINATOR = Actor("m.devries", roles={"klachtencoordinator"})
BEHANDELAAR = Actor("a.bakker", roles={"behandelaar"})
ORGAAN = Actor("college", roles={"bestuursorgaan"})
FUNCTIONARIS = Actor("k.visser", roles={"klachtenfunctionaris"})
VERTROUWENSPERSOON = Actor("v.dam", roles={"vertrouwenspersoon"})

PARTIES = {"klager": ["b.jansen"], "beklaagde": ["j.smit"]}
KLAAGSCHRIFT: dict[str, Any] = {
    "schriftelijk": True,
    "datum_ontvangst": "2026-03-02",
    "omschrijving_gedraging": "onvriendelijk te woord gestaan",
    "naam_adres_klager": "B. Jansen, Dorpsstraat 1",
    "dagtekening": "2026-03-01",
}


@pytest.fixture(scope="session")
def procedure() -> Procedure:
    """The gemeente-awb template."""
    return builtin_procedure("gemeente-awb")


@pytest.fixture
def clock() -> FixedClock:
    """Monday 2 March 2026, 10:00 in Amsterdam."""
    return FixedClock(pendulum.datetime(2026, 3, 2, 10, tz="Europe/Amsterdam"))


@pytest.fixture
def engine(procedure: Procedure, clock: FixedClock) -> Engine:
    """An engine for gemeente-awb on the fixed clock."""
    return Engine(procedure, clock=clock)


@pytest.fixture
def case(engine: Engine) -> Case:
    """A new case in onvrede."""
    return engine.start(
        actor=KLAGER,
        parties=PARTIES,
        data={"kanaal": "e-mail", "categorie": "bejegening"},
    )


@pytest.fixture
def formal(engine: Engine, case: Case) -> Case:
    """A case with a registered written complaint, receipt confirmed (onderzoek)."""
    case = engine.fire(
        case, "registreer_klaagschrift", actor=COORDINATOR, data=KLAAGSCHRIFT
    )
    return engine.fire(
        case,
        "bevestig_ontvangst",
        actor=COORDINATOR,
        data={"datum_ontvangstbevestiging": dt.date(2026, 3, 3)},
    )
