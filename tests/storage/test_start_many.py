"""SqlStore.start_many: a batch of new cases in one transaction (issue #15),
on every backend (SQLite in memory and on file, PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest

from klachtflow import (
    Actor,
    BatchItemRefused,
    InvalidData,
    SqlStore,
    StorageError,
    builtin_procedure,
    verify_history,
)

KLAGER = Actor("b.jansen", roles={"klager"})
COORDINATOR = Actor("m.devries", roles={"klachtencoordinator"})
PARTIES = {"klager": ["b.jansen"], "beklaagde": ["j.smit"]}
DATA = {"kanaal": "e-mail", "categorie": "bejegening"}
PROCEDURE = builtin_procedure("gemeente-awb")


def _items(n: int, **extra: Any) -> list[dict[str, Any]]:
    return [
        {"parties": PARTIES, "data": DATA, "case_id": f"B-{i}", **extra}
        for i in range(n)
    ]


def test_start_many_stores_every_case(store: SqlStore) -> None:
    made = store.start_many(PROCEDURE, _items(25), actor=KLAGER)
    assert 25 == store.count()
    for case in made:
        stored = store.get(case.id)
        assert stored == case
        assert verify_history(stored)
    # The stored cases fire like any other.
    fired = store.fire("B-3", "plan_gesprek", actor=COORDINATOR)
    assert "gesprek" == fired.state
    assert store.verify()


def test_a_refused_item_stores_nothing(store: SqlStore) -> None:
    items = _items(5)
    items[3] = {"parties": PARTIES, "data": {"kanaal": 12}, "case_id": "B-3"}
    with pytest.raises(BatchItemRefused) as info:
        store.start_many(PROCEDURE, items, actor=KLAGER)
    assert 3 == info.value.index
    assert isinstance(info.value.error, InvalidData)
    assert 0 == store.count()


def test_a_case_number_in_use_stores_nothing_of_the_batch(store: SqlStore) -> None:
    store.start(PROCEDURE, actor=KLAGER, parties=PARTIES, case_id="B-7")
    with pytest.raises(StorageError):
        store.start_many(PROCEDURE, _items(10), actor=KLAGER)
    assert 1 == store.count()
    assert store.existing([f"B-{i}" for i in range(10)]) == {"B-7"}


def test_an_empty_batch_stores_nothing(store: SqlStore) -> None:
    assert [] == store.start_many(PROCEDURE, [], actor=KLAGER)
    assert 0 == store.count()
