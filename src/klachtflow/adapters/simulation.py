"""Simulated complaint cases for ``klachtflow demo``: realistic paths, actors and dates.

Every case goes through the real engine (every check, every term, every
event); only the choices are random. With the same seed the same cases come
out, and a case id that is already stored is skipped, so the demo can be run
again on the same database.

The mix follows the seeds: most dissatisfaction is resolved informally (a
gesprek, sometimes bemiddeling); some becomes a formal complaint, a few of
which are extended, late, refused, referred to bezwaar or to the ombudsman.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from typing import Any

from klachtflow.definition import Procedure
from klachtflow.engine import Case, Engine
from klachtflow.exceptions import KlachtflowError
from klachtflow.rules.clock import FixedClock
from klachtflow.rules.permissions import Actor

__all__ = ["case_ids", "simulate_case"]

_AMSTERDAM_OFFSET = dt.timedelta(hours=1)


def case_ids(seed: int, count: int) -> list[str]:
    """The ids of the demo cases for this seed."""
    return [f"demo-{seed}-{i:06d}" for i in range(count)]


class _Walk:
    """One case on its way, with a clock that only moves forward."""

    def __init__(
        self,
        engine: Engine,
        rng: random.Random,
        opened: dt.datetime,
        today: dt.date,
        until: dt.datetime,
    ) -> None:
        self.engine = engine
        self.rng = rng
        self.at = opened
        self.today = today
        self.until = until
        self.case: Case | None = None

    def _past(self) -> bool:
        return self.at.date() <= self.today and self.at <= self.until

    def later(self, low: int, high: int) -> bool:
        """Move on by low..high days (office hours); False when that is past today."""
        self.at += dt.timedelta(
            days=self.rng.randint(low, high), minutes=self.rng.randint(0, 300)
        )
        return self._past()

    def fire(self, action: str, actor: Actor, **kwargs: Any) -> bool:
        """Fire if the moment is not in the future; False (and the case stays) otherwise."""
        if not self._past() or self.case is None:
            return False
        _set_clock(self.engine, self.at)
        try:
            self.case = self.engine.fire(
                self.case, action, actor=actor, at=self.at, **kwargs
            )
        except KlachtflowError:
            return False
        return True


def _set_clock(engine: Engine, moment: dt.datetime) -> None:
    """Simulated time: each event is recorded at the moment it happens."""
    if isinstance(engine.clock, FixedClock):
        engine.clock.at = moment


def simulation_engine(engine: Engine) -> Engine:
    """An engine like ``engine`` with a clock of its own that the simulation
    moves with each event, so simulated events are recorded when they happen
    (not backdated) and the caller's clock is never touched."""
    return Engine(
        engine.procedure,
        conditions=engine.conditions,
        clock=FixedClock(engine.clock.now()),
        atw=engine.atw,
        history_key=engine.sealer,
    )


def simulate_case(
    engine: Engine,
    case_id: str,
    *,
    seed: int,
    today: dt.date,
    until: dt.datetime | None = None,
) -> Case:
    """One simulated case, deterministic for (seed, case_id).

    Nothing happens after ``until`` (default: the engine's now), so every
    event is in the past of whoever stores the cases.
    """
    until = until or engine.clock.now()
    return _simulate_case(
        simulation_engine(engine), case_id, seed=seed, today=today, until=until
    )


def _simulate_case(
    engine: Engine, case_id: str, *, seed: int, today: dt.date, until: dt.datetime
) -> Case:
    rng = random.Random(f"{seed}:{case_id}")  # noqa: S311 - simulation, not security
    procedure = engine.procedure
    opened = dt.datetime.combine(
        today - dt.timedelta(days=rng.randint(0, 365)), dt.time(8, 30), tzinfo=dt.UTC
    ) + dt.timedelta(minutes=rng.randint(0, 480))
    klager = f"inwoner-{rng.randint(1, 10**6):07d}"
    beklaagde = f"medewerker-{rng.randint(1, 40):02d}"
    staff = [
        f"medewerker-{i:02d}"
        for i in range(1, 41)
        if f"medewerker-{i:02d}" != beklaagde
    ]
    coordinator = Actor(
        f"coordinator-{rng.randint(1, 3)}", roles={"klachtencoordinator"}
    )
    handler = Actor(rng.choice(staff), roles={"behandelaar"})
    college = Actor("college", roles={"bestuursorgaan"})
    functionaris = Actor(
        f"klachtenfunctionaris-{rng.randint(1, 2)}", roles={"klachtenfunctionaris"}
    )
    committee = Actor("adviescommissie", roles={"adviescommissie"})
    complainant = Actor(klager, roles={"klager"})
    reg = procedure.registration
    opened = min(opened, until)
    walk = _Walk(engine, rng, opened, today, until)
    _set_clock(engine, opened)
    walk.case = engine.start(
        actor=complainant,
        parties={"klager": [klager], "beklaagde": [beklaagde]},
        data={
            "kanaal": rng.choice(reg.channels),
            "categorie": rng.choice(reg.categories),
            "domein": rng.choice(reg.domains),
        },
        at=opened,
        case_id=case_id,
    )
    path = rng.random()
    if path < 0.50:
        _informal(walk, coordinator, handler)
    elif path < 0.60:
        _mediation(walk, functionaris)
    elif path < 0.63:
        if walk.later(1, 10):
            walk.fire("trek_in", complainant, reason="klager ziet ervan af")
    else:
        _formal(
            walk,
            procedure,
            coordinator=coordinator,
            handler=handler,
            college=college,
            committee=committee,
            complainant=complainant,
        )
    return walk.case


def _informal(walk: _Walk, coordinator: Actor, handler: Actor) -> None:
    who = walk.rng.choice([coordinator, handler])
    if walk.later(0, 6):
        walk.fire("neem_contact_op", who)
    if walk.later(0, 4):
        walk.fire("plan_gesprek", who)
    if walk.later(2, 15):
        walk.fire(
            "los_informeel_op",
            who,
            data={"oplossing": "uitleg en excuses"},
            consent=["klager"],
        )


def _mediation(walk: _Walk, functionaris: Actor) -> None:
    if walk.later(1, 7):
        walk.fire("start_bemiddeling", functionaris, consent=["klager", "beklaagde"])
    if walk.later(5, 25):
        walk.fire(
            "los_informeel_op",
            functionaris,
            data={"oplossing": "afspraken na bemiddeling"},
            consent=["klager"],
        )


def _formal(
    walk: _Walk,
    procedure: Procedure,
    *,
    coordinator: Actor,
    handler: Actor,
    college: Actor,
    committee: Actor,
    complainant: Actor,
) -> None:
    rng = walk.rng
    if not walk.later(0, 5):
        return
    received = walk.at.date()
    if not walk.fire(
        "registreer_klaagschrift",
        coordinator,
        data={
            "schriftelijk": True,
            "datum_ontvangst": received,
            "dagtekening": received - dt.timedelta(days=rng.randint(0, 3)),
            "omschrijving_gedraging": "gedraging zoals beschreven in het klaagschrift",
            "naam_adres_klager": "naam en adres volgens klaagschrift",
        },
    ):
        return
    if walk.later(1, 6):
        walk.fire(
            "bevestig_ontvangst",
            coordinator,
            data={"datum_ontvangstbevestiging": walk.at.date()},
        )
    exit_path = rng.random()
    if exit_path < 0.08:
        if walk.later(5, 20):
            walk.fire(
                "weiger_behandeling",
                college,
                data={
                    "weigergrond": rng.choice(
                        procedure.fields["weigergrond"].choices or ("bezwaar_mogelijk",)
                    ),
                    "ombudsman_verwijzing": "Nationale ombudsman, binnen een jaar",
                },
            )
        _maybe_ombudsman(walk, complainant, coordinator, chance=0.15)
        return
    if exit_path < 0.14:
        if walk.later(3, 15):
            walk.fire("verwijs_naar_bezwaar", coordinator)
        return
    if walk.later(0, 4):
        walk.fire("wijs_behandelaar_aan", coordinator, data={"behandelaar": handler.id})
    late = rng.random() < 0.10
    if rng.random() < 0.10:
        if walk.later(2, 8):
            walk.fire("vraag_advies", college)
        if walk.later(20, 40):
            walk.fire(
                "breng_advies_uit",
                committee,
                data={"hoorverslag": "verslag van de hoorzitting", "advies": "advies"},
            )
    else:
        if walk.later(2, 8):
            walk.fire(
                "stuur_afschrift", handler, data={"datum_afschrift": walk.at.date()}
            )
        if walk.later(5, 15):
            if rng.random() < 0.8:
                walk.fire(
                    "hoor_partijen",
                    handler,
                    data={"hoorverslag": "verslag van het horen"},
                )
            else:
                walk.fire(
                    "zie_af_van_horen",
                    handler,
                    data={"grond_niet_horen": "klager_ziet_af"},
                )
    if rng.random() < 0.15 and walk.later(1, 5):
        walk.fire(
            "verdaag",
            college,
            data={"reden_verdaging": "zorgvuldig onderzoek"},
            notified=["klager", "beklaagde"],
        )
    if walk.case is None:
        return
    dues = [
        c.due()
        for name, c in walk.case.clocks.items()
        if name.startswith("afhandeling") and c.stopped_on is None
    ]
    target = min(dues) if dues else walk.at.date()
    gap = (target - walk.at.date()).days
    if late:
        gap += rng.randint(3, 30)
    else:
        gap = max(0, gap - rng.randint(0, 10))
    walk.at += dt.timedelta(days=max(0, gap))
    walk.fire(
        "handel_af",
        college,
        data={
            "bevindingen": "bevindingen van het onderzoek",
            "oordeel": rng.choice(
                ["gegrond", "deels_gegrond", "ongegrond", "ongegrond"]
            ),
            "conclusies": "conclusies",
            "ombudsman_verwijzing": "Nationale ombudsman, binnen een jaar",
            "verbetermaatregelen": rng.choice(
                ["werkinstructie aangepast", "gesprek met team", "geen"]
            ),
        },
    )
    _maybe_ombudsman(walk, complainant, coordinator, chance=0.06)


def _maybe_ombudsman(
    walk: _Walk, complainant: Actor, coordinator: Actor, *, chance: float
) -> None:
    if walk.rng.random() >= chance or not walk.later(10, 60):
        return
    if walk.fire(
        "verwijs_naar_ombudsman",
        complainant,
        data={"datum_verzoek_ombudsman": walk.at.date()},
    ) and walk.later(60, 180):
        walk.fire(
            "rapport_ombudsman", coordinator, data={"oordeel_ombudsman": "behoorlijk"}
        )


def simulate(
    engine: Engine,
    ids: list[str],
    *,
    seed: int,
    today: dt.date,
    progress: Callable[[int], None] | None = None,
) -> Iterator[Case]:
    """Simulate the cases with these ids, one by one (nothing after the
    engine's now)."""
    until = engine.clock.now()
    engine = simulation_engine(engine)
    for case_id in ids:
        yield _simulate_case(engine, case_id, seed=seed, today=today, until=until)
        if progress is not None:
            progress(1)
