"""The naming rule (docs/reference/python-api.md): English Python parameters.

The Dutch names of 0.1 still work until 0.3.0, each with a DeprecationWarning
that names the new one; giving both is refused; a misspelt keyword is a
klachtflow InvalidArgument, never a bare TypeError. ``SqlStore.fire`` takes the
Case as ``Engine.fire`` does (or its id) and refuses a Case the store has moved
on from.
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any

import pytest

import klachtflow
from klachtflow import (
    Actor,
    ConcurrentUpdate,
    Engine,
    ErasureGround,
    FixedClock,
    InvalidArgument,
    SqlStore,
    builtin_procedure,
    termijn,
)
from klachtflow.rules._renamed import REMOVED_IN, RENAMED

KLAGER = Actor("b.jansen", roles={"klager"})
COORDINATOR = Actor("m.devries", roles={"klachtencoordinator"})
COLLEGE = Actor("college", roles={"bestuursorgaan"})
PARTIES = {"klager": ["b.jansen"], "beklaagde": ["j.smit"]}
DATA = {"kanaal": "e-mail", "categorie": "bejegening"}
PROCEDURE = builtin_procedure("gemeente-awb")

#: Dutch parameter names that the rule allows: legal citation parts and the
#: ZGW resource names as the standard spells them.
ALLOWED_DUTCH = {
    "wet",
    "artikel",
    "lid",
    "onderdeel",
    "regeling",
    "toelichting",
    "catalogus",
    "zaaktype",
    "statustypen",
    "roltypen",
    "resultaattypen",
    "eigenschappen",
}
DUTCH = {*RENAMED, "rol", "datum", "zaak", "persoon", "gegevens"} - {"case_id"}


def _public_parameters() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    modules = [
        "klachtflow",
        *(
            f"klachtflow.{m}"
            for m in (
                "rules",
                "engine",
                "storage",
                "compliance",
                "insight",
                "testing",
                "definition",
                "law",
                "zgw",
            )
        ),
    ]
    for name in modules:
        module = importlib.import_module(name)
        for public in getattr(module, "__all__", []):
            value = getattr(module, public)
            members = (
                [
                    (f"{public}.{a}", f)
                    for a, f in vars(value).items()
                    if callable(f) and (not a.startswith("_") or a == "__init__")
                ]
                if inspect.isclass(value)
                else [(public, value)]
                if callable(value)
                else []
            )
            for where, function in members:
                try:
                    signature = inspect.signature(function)
                except (TypeError, ValueError):
                    continue
                found.extend(
                    (f"{name}:{where}", p.name)
                    for p in signature.parameters.values()
                    if p.kind is not p.VAR_KEYWORD
                )
    return found


def test_no_public_signature_has_a_dutch_parameter() -> None:
    """The rule holds for every public signature (old names only via **renamed)."""
    bad = [(w, p) for w, p in _public_parameters() if p in DUTCH - ALLOWED_DUTCH]
    assert [] == bad


def _engine(clock: FixedClock) -> Engine:
    return Engine(PROCEDURE, clock=clock)


def _started(engine: Engine) -> Any:
    return engine.start(actor=KLAGER, parties=PARTIES, data=DATA, case_id="Z-1")


@pytest.mark.parametrize(
    ("call", "old", "new"),
    [
        (
            lambda e, c: e.fire(c, "plan_gesprek", actor=COORDINATOR, reden="x"),
            "reden",
            "reason",
        ),
        (
            lambda e, c: e.start(actor=KLAGER, parties=PARTIES, data=DATA, reden="x"),
            "reden",
            "reason",
        ),
        (
            lambda e, c: e.explain(c, "plan_gesprek", COORDINATOR, instemming=[]),
            "instemming",
            "consent",
        ),
        (lambda e, c: Actor("x", rollen={"klager"}), "rollen", "roles"),
        (lambda e, c: termijn("2026-03-16", duur="6 weken"), "duur", "duration"),
        (
            lambda e, c: termijn("2026-03-16", "6 weken", terug=True),
            "terug",
            "backward",
        ),
    ],
)
def test_old_names_warn_and_still_work(
    clock: FixedClock, call: Any, old: str, new: str
) -> None:
    engine = _engine(clock)
    case = _started(engine)
    with pytest.warns(
        DeprecationWarning, match=rf"\({old}=\.\.\.\).*{REMOVED_IN}.*\({new}="
    ) as caught:
        call(engine, case)
    assert caught[0].filename == __file__  # the warning points at the caller


def test_an_old_name_gives_the_same_case_as_the_new(clock: FixedClock) -> None:
    engine = _engine(clock)
    case = _started(engine)
    new = engine.fire(case, "plan_gesprek", actor=COORDINATOR, reason="telefonisch")
    with pytest.warns(DeprecationWarning, match="reason"):
        old = engine.fire(case, "plan_gesprek", actor=COORDINATOR, reden="telefonisch")
    assert new.history[-1].reason == old.history[-1].reason == "telefonisch"
    assert new.state == old.state


def test_the_attribute_rollen_warns() -> None:
    with pytest.warns(DeprecationWarning, match="Actor.roles"):
        assert {"klager"} == KLAGER.rollen


def test_both_names_are_refused(clock: FixedClock) -> None:
    engine = _engine(clock)
    case = _started(engine)
    with pytest.raises(InvalidArgument, match="both 'reden' and 'reason'"):
        engine.fire(case, "plan_gesprek", actor=COORDINATOR, reason="a", reden="b")
    with pytest.raises(InvalidArgument, match="both 'rollen' and 'roles'"):
        Actor("x", roles={"a"}, rollen={"b"})


def test_a_misspelt_keyword_is_a_klachtflow_error(clock: FixedClock) -> None:
    engine = _engine(clock)
    case = _started(engine)
    with pytest.raises(InvalidArgument, match="fire has no argument 'reaon'") as info:
        engine.fire(case, "plan_gesprek", actor=COORDINATOR, reaon="x")
    assert isinstance(info.value, klachtflow.KlachtflowError)
    with pytest.raises(InvalidArgument, match="termijn has no argument 'kalendr'"):
        termijn("2026-03-16", "6 weken", kalendr=None)


# ------------------------------------------------------------------ the store


def test_store_fire_takes_the_case_or_its_id(store: SqlStore) -> None:
    case = store.start(
        PROCEDURE, actor=KLAGER, parties=PARTIES, data=DATA, case_id="Z-1"
    )
    by_case = store.fire(case, "plan_gesprek", actor=COORDINATOR, reason="tel")
    assert "gesprek" == by_case.state
    by_id = store.fire("Z-1", "neem_contact_op", actor=COORDINATOR)
    assert by_case.version + 1 == by_id.version


def test_store_fire_refuses_a_case_it_has_moved_on_from(store: SqlStore) -> None:
    """Firing on the Case a user looked at means: on that version."""
    seen = store.start(
        PROCEDURE, actor=KLAGER, parties=PARTIES, data=DATA, case_id="Z-1"
    )
    store.fire("Z-1", "plan_gesprek", actor=COORDINATOR)  # someone else acted
    with pytest.raises(ConcurrentUpdate) as info:
        store.fire(seen, "plan_gesprek", actor=COORDINATOR)
    assert (1, 2) == (info.value.expected_version, info.value.actual_version)
    assert 2 == store.get("Z-1").version  # nothing written


def test_store_fire_refuses_a_stale_case_from_another_store(
    store: SqlStore, url: str, clock: FixedClock
) -> None:
    """Also when this store's cache is stale (the write came from elsewhere)."""
    if url == "sqlite://":
        pytest.skip("an in-memory database cannot be opened twice")
    seen = store.start(
        PROCEDURE, actor=KLAGER, parties=PARTIES, data=DATA, case_id="Z-1"
    )
    with klachtflow.open_store(url, clock=clock) as other:
        other.fire("Z-1", "plan_gesprek", actor=COORDINATOR)
    with pytest.raises(ConcurrentUpdate):
        store.fire(seen, "plan_gesprek", actor=COORDINATOR)


def test_store_old_names_warn(store: SqlStore) -> None:
    store.start(PROCEDURE, actor=KLAGER, parties=PARTIES, data=DATA, case_id="Z-1")
    with pytest.warns(DeprecationWarning, match=r"fire\(case_id=") as caught:
        store.fire(case_id="Z-1", action="plan_gesprek", actor=COORDINATOR)
    assert caught[0].filename == __file__
    with pytest.warns(DeprecationWarning, match=r"fire\(reden=") as caught:
        store.fire("Z-1", "neem_contact_op", actor=COORDINATOR, reden="x")
    assert caught[0].filename == __file__
    with pytest.warns(DeprecationWarning, match=r"start\(reden=") as caught:
        store.start(PROCEDURE, actor=KLAGER, parties=PARTIES, data=DATA, reden="x")
    assert caught[0].filename == __file__


def test_erase_person_old_name_warns(store: SqlStore) -> None:
    store.start(PROCEDURE, actor=KLAGER, parties=PARTIES, data=DATA, case_id="Z-1")
    with pytest.warns(DeprecationWarning, match=r"erase_person\(grond=") as caught:
        store.erase_person("b.jansen", grond=ErasureGround.INTREKKING)
    assert caught[0].filename == __file__
