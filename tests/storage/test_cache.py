"""The store's read cache: bounded, least recently used first, thread-safe.

One store may serve several threads (a web server's workers); its cache must
then never fail on a case another thread just evicted or invalidated. Seen
before this cache had its own lock: ``KeyError`` from ``move_to_end`` in
``test_threads_fire_through_the_store[postgresql]``.
"""

from __future__ import annotations

import random
import sys
import threading

import pendulum

from klachtflow import Actor, Case, Engine, FixedClock, builtin_procedure
from klachtflow.storage._cache import CaseCache

ENGINE = Engine(
    builtin_procedure("gemeente-awb"),
    clock=FixedClock(pendulum.datetime(2026, 3, 2, 10, tz="Europe/Amsterdam")),
)
KLAGER = Actor("b.jansen", roles={"klager"})


def case(case_id: str) -> Case:
    return ENGINE.start(actor=KLAGER, parties={"klager": ["b.jansen"]}, case_id=case_id)


def test_bounded_and_least_recently_used_first() -> None:
    cache = CaseCache(2)
    a, b, c = case("A"), case("B"), case("C")
    cache.put(a, 1)
    cache.put(b, 1)
    assert cache.get("A") == ((1, 1), a)  # A is now the most recently used
    cache.put(c, 3)

    assert 2 == len(cache)
    assert cache.get("B") is None
    assert cache.get("C") == ((1, 3), c)
    cache.drop("C")
    cache.drop("C")  # dropping what is gone is fine
    assert cache.get("C") is None


def test_threads_never_trip_over_each_other() -> None:
    cases = [case(f"Z-{i}") for i in range(8)]
    cache = CaseCache(4)
    errors: list[BaseException] = []

    def hammer(seed: int) -> None:
        rnd = random.Random(seed)  # noqa: S311 - a reproducible mix, not a secret
        try:
            for _ in range(20_000):
                chosen = rnd.choice(cases)
                operation = rnd.random()
                if operation < 0.4:
                    cache.get(chosen.id)
                elif operation < 0.8:
                    cache.put(chosen, rnd.randint(1, 3))
                else:
                    cache.drop(chosen.id)
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=hammer, args=(n,)) for n in range(4)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)

    assert [] == errors
    assert len(cache) <= 4
