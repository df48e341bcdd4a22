"""Engine.start_many: N starts in one call, all or nothing (issue #15)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klachtflow import (
    BatchItemRefused,
    Case,
    Engine,
    FixedClock,
    InvalidArgument,
    InvalidData,
    Procedure,
    builtin_procedure,
    verify_history,
)

from .conftest import KLAGER, PARTIES

PROCEDURE = builtin_procedure("gemeente-awb")
DATA = {"kanaal": "e-mail", "categorie": "bejegening"}
#: Fresh per event (random salts): everything else must be equal.
RANDOM = {"salt", "personal", "hash"}


def _engine(procedure: Procedure, clock: FixedClock, **kwargs: Any) -> Engine:
    counter = iter(range(10**6))
    return Engine(
        procedure, clock=clock, id_factory=lambda: f"Z-{next(counter)}", **kwargs
    )


def _comparable(case: Case) -> dict[str, Any]:
    values = attrs.asdict(case, recurse=False)
    values["history"] = [
        {k: v for k, v in attrs.asdict(e, recurse=False).items() if k not in RANDOM}
        for e in case.history
    ]
    return values


@settings(max_examples=25, deadline=None)
@given(
    items=st.lists(
        st.fixed_dictionaries(
            {"parties": st.just(PARTIES)},
            optional={
                "data": st.fixed_dictionaries(
                    {}, optional={"kanaal": st.sampled_from(["e-mail", "telefoon"])}
                ),
                "reason": st.text("abc de", min_size=1, max_size=10).filter(str.strip),
            },
        ),
        max_size=6,
    )
)
def test_start_many_gives_the_cases_of_n_starts(items: list[dict[str, Any]]) -> None:
    """Same ids, states, data, clocks, events (but the random salts); every
    history verifies, and the cases share nothing mutable."""
    clock = FixedClock(pendulum.datetime(2026, 3, 2, 10, tz="Europe/Amsterdam"))
    one, many = _engine(PROCEDURE, clock), _engine(PROCEDURE, clock)
    expected = [
        one.start(
            actor=KLAGER,
            parties=item["parties"],
            data=item.get("data"),
            reason=item.get("reason"),
        )
        for item in items
    ]
    made = many.start_many(items, actor=KLAGER)
    assert [_comparable(c) for c in made] == [_comparable(c) for c in expected]
    for case in made:
        assert verify_history(case).valid


def test_start_many_takes_case_ids_and_moments(
    procedure: Procedure, clock: FixedClock
) -> None:
    engine = _engine(procedure, clock)
    earlier = clock.now() - dt.timedelta(days=1)
    made = engine.start_many(
        [
            {"parties": PARTIES, "case_id": "K-1"},
            {"parties": PARTIES, "at": earlier, "data": DATA},
        ],
        actor=KLAGER,
    )
    assert ["K-1", "Z-0"] == [c.id for c in made]
    assert made[1].history[0].at == earlier
    assert made[1].history[0].legal_date == earlier.date()


def test_a_failing_item_is_named_and_nothing_is_returned_or_told(
    procedure: Procedure, clock: FixedClock
) -> None:
    heard: list[str] = []
    engine = _engine(procedure, clock, listeners=[lambda e, c: heard.append(c.id)])
    items: list[dict[str, Any]] = [
        {"parties": PARTIES, "data": DATA},
        {"parties": PARTIES, "data": {"kanaal": 12}},
        {"parties": PARTIES},
    ]
    with pytest.raises(BatchItemRefused) as info:
        engine.start_many(items, actor=KLAGER)
    assert 1 == info.value.index
    assert isinstance(info.value.error, InvalidData)
    assert info.value.__cause__ is info.value.error
    assert "Zaak 1 van de reeks" in info.value.message
    assert [] == heard
    made = engine.start_many(items[:1], actor=KLAGER)
    assert [made[0].id] == heard


@pytest.mark.parametrize(
    "items",
    [
        "zaak",
        {"parties": PARTIES},
        7,
        [7],
        [{"data": DATA}],
        [{"parties": PARTIES, "x": 1}],
    ],
)
def test_wrong_items_are_refused_with_the_index(engine: Engine, items: Any) -> None:
    with pytest.raises((InvalidArgument, BatchItemRefused)) as info:
        engine.start_many(items, actor=KLAGER)
    if isinstance(info.value, BatchItemRefused):
        assert 0 == info.value.index
        assert isinstance(info.value.error, InvalidArgument)


def test_start_many_refuses_a_wrong_actor(engine: Engine) -> None:
    with pytest.raises(InvalidArgument):
        engine.start_many([{"parties": PARTIES}], actor="b.jansen")  # type: ignore[arg-type]


def test_cases_of_one_batch_share_their_term_clocks(engine: Engine) -> None:
    first, second = engine.start_many(
        [{"parties": PARTIES}, {"parties": PARTIES}], actor=KLAGER
    )
    assert first.clocks is second.clocks
    assert first.clocks == engine.start(actor=KLAGER, parties=PARTIES).clocks
