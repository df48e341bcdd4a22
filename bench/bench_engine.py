"""Benchmark: starting and firing cases (issue 3 targets).

    python bench/bench_engine.py [N]        # default N = 100,000

Targets: start N=100k cases in < 1 s total and < 2 KB per live case; one fire
per case (every check, the term clocks and the hash-chained audit event) at
most 2x a bare transitions trigger on the same machine, and at least 8x faster
than python-statemachine doing the same walk.

Side by side, one run:

- klachtflow ``Engine.start`` / ``Engine.fire`` on ``gemeente-awb``
  (fire = ``plan_gesprek``: onvrede -> gesprek);
- transitions as its README shows: a ``Machine`` per case (measured on a
  sample, memory by tracemalloc);
- a bare ``trigger`` on the same shared machine klachtflow compiles;
- python-statemachine (if installed): a ``StateMachine`` per case, the same
  states and event.
"""

from __future__ import annotations

import gc
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import pendulum
from transitions import Machine

from klachtflow import Actor, Engine, FixedClock, builtin_procedure
from klachtflow.engine._machine import _Token

KLAGER = Actor("b.jansen", roles={"klager"})
COORDINATOR = Actor("m.devries", roles={"klachtencoordinator"})
PARTIES = {"klager": ["b.jansen"], "beklaagde": ["j.smit"]}
DATA = {"kanaal": "e-mail", "categorie": "bejegening"}


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    began = time.perf_counter()
    result = fn()
    return time.perf_counter() - began, result


def memory_per_item(make: Callable[[int], list[Any]], n: int) -> float:
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    items = make(n)
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    used = sum(s.size_diff for s in after.compare_to(before, "filename"))
    del items
    return used / n


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    procedure = builtin_procedure("gemeente-awb")
    clock = FixedClock(pendulum.datetime(2026, 3, 2, 10, tz="Europe/Amsterdam"))
    counter = iter(range(10**9))
    engine = Engine(procedure, clock=clock, id_factory=lambda: f"Z-{next(counter)}")

    def start_all(count: int) -> list[Any]:
        return [
            engine.start(actor=KLAGER, parties=PARTIES, data=DATA) for _ in range(count)
        ]

    print(f"Python {sys.version.split()[0]}; N = {n:,}")
    print(f"{'':52} {'total':>9} {'per case':>11} {'memory/case':>12}")
    t_start, cases = timed(lambda: start_all(n))
    mem = memory_per_item(start_all, min(n, 20_000))
    print(
        f"{'klachtflow Engine.start':52} {t_start:>8.3f}s {t_start / n * 1e6:>9.2f}µs {mem:>10.0f} B"
    )

    # A host keeps the new version of a case and lets the old one go; that is
    # what the comparison lines below do too (python-statemachine changes its
    # machine in place, a bare trigger keeps nothing). Keeping every old version
    # alive as well costs extra garbage-collection passes over all live cases:
    # shown on its own line.
    t_keep, fired = timed(
        lambda: [engine.fire(c, "plan_gesprek", actor=COORDINATOR) for c in cases]
    )
    assert all(c.state == "gesprek" for c in fired)
    fired.clear()
    cases.clear()
    live = start_all(n)

    def fire_each() -> None:
        for i, case in enumerate(live):
            live[i] = engine.fire(case, "plan_gesprek", actor=COORDINATOR)

    t_fire, _ = timed(fire_each)
    assert all(c.state == "gesprek" for c in live)
    print(
        f"{'klachtflow Engine.fire (all checks + audit event)':52} {t_fire:>8.3f}s {t_fire / n * 1e6:>9.2f}µs"
    )
    print(
        f"{'  keeping every old version alive too':52} {t_keep:>8.3f}s {t_keep / n * 1e6:>9.2f}µs"
    )
    live.clear()

    machine = engine._machine
    t_bare, _ = timed(
        lambda: [machine.trigger("onvrede", "plan_gesprek", None) for _ in range(n)]
    )
    print(
        f"{'transitions trigger on the same shared machine':52} {t_bare:>8.3f}s {t_bare / n * 1e6:>9.2f}µs"
    )
    raw = machine._machine
    event = raw.events["plan_gesprek"]
    t_raw, _ = timed(
        lambda: [event.trigger(_Token("onvrede"), context=None) for _ in range(n)]
    )
    print(
        f"{'  (without klachtflow lock/wrapper)':52} {t_raw:>8.3f}s {t_raw / n * 1e6:>9.2f}µs"
    )

    # transitions as its README shows: one Machine per case.
    flat_states = [s.path for s in procedure.states.values() if not s.children]
    flat_transitions = [
        {
            "trigger": a.name,
            "source": [
                p
                for p in flat_states
                if p.split(".")[0] in a.sources
                or p in [procedure.states[s].path for s in a.sources]
            ],
            "dest": procedure.states[a.target].path if a.target else None,
        }
        for a in procedure.actions.values()
    ]

    class Model:
        pass

    def per_case_machines(count: int) -> list[Any]:
        out = []
        for _ in range(count):
            model = Model()
            Machine(
                model=model,
                states=flat_states,
                transitions=flat_transitions,
                initial="onvrede",
            )
            out.append(model)
        return out

    sample = min(n, 5_000)
    t_tr, models = timed(lambda: per_case_machines(sample))
    mem_tr = memory_per_item(per_case_machines, min(sample, 2_000))
    print(
        f"{'transitions: a Machine per case (sample ' + format(sample, ',') + ')':52} {t_tr / sample * n:>8.3f}s {t_tr / sample * 1e6:>9.2f}µs {mem_tr:>10.0f} B"
    )
    t_trf, _ = timed(lambda: [m.plan_gesprek() for m in models])
    print(f"{'  its trigger':52} {'':>9} {t_trf / sample * 1e6:>9.2f}µs")

    try:
        from statemachine import State, StateMachine  # noqa: PLC0415 - optional comparison
    except ImportError:
        print("python-statemachine not installed: pip install python-statemachine")
        return

    class Complaint(StateMachine):  # the same first steps of the walk
        onvrede = State(initial=True)
        gesprek = State()
        bemiddeling = State()
        opgelost = State(final=True)
        plan_gesprek = onvrede.to(gesprek)
        start_bemiddeling = onvrede.to(bemiddeling) | gesprek.to(bemiddeling)
        los_informeel_op = (
            onvrede.to(opgelost) | gesprek.to(opgelost) | bemiddeling.to(opgelost)
        )

    t_psm, machines = timed(lambda: [Complaint() for _ in range(sample)])
    mem_psm = memory_per_item(
        lambda c: [Complaint() for _ in range(c)], min(sample, 2_000)
    )
    print(
        f"{'python-statemachine: a StateMachine per case (sample)':52} {t_psm / sample * n:>8.3f}s {t_psm / sample * 1e6:>9.2f}µs {mem_psm:>10.0f} B"
    )
    t_psmf, _ = timed(lambda: [m.send("plan_gesprek") for m in machines])
    print(f"{'  its send(plan_gesprek)':52} {'':>9} {t_psmf / sample * 1e6:>9.2f}µs")

    per_fire = t_fire / n
    print()
    print(
        f"start: {t_start / n * 100_000:.3f} s per 100,000 cases (target < 1 s); {mem:.0f} B per live case (target < 2048)"
    )
    print(
        f"fire / bare trigger on the same machine: {per_fire / (t_bare / n):.2f}x (target <= 2x)"
    )
    print(
        f"python-statemachine send / klachtflow fire: {(t_psmf / sample) / per_fire:.2f}x (target >= 8x)"
    )


if __name__ == "__main__":
    main()
