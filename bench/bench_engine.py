"""Benchmark: starting and firing cases (issue #15 targets), next to the floor.

    python bench/bench_engine.py [N] [ROUNDS]   # default N = 100,000, 5 rounds

Targets: start 100k cases in memory (default clock and ids, intake data) in
< 1 s through ``Engine.start_many`` and < 2 KB per live case; one fire (every
check, the term clocks and the hash-chained audit event) at most 2x a bare
transitions trigger on the same machine, and at least 8x faster than
python-statemachine's ``send``.

Side by side, in one run, each operation timed in every round (the rounds
interleave the operations, so a burst of load on the shared machine hits all
alike); best and median of the rounds:

- klachtflow ``Engine.start`` (N calls) and ``Engine.start_many`` (one call);
- klachtflow ``Engine.fire`` of ``plan_gesprek`` (onvrede -> gesprek) on N
  started cases, each replaced by its new version;
- a bare ``trigger`` on the transitions machine klachtflow compiles (through
  its wrapper and lock), and straight on transitions' ``Event.trigger``;
- the action table the engine fires on (one lookup, no checks, no event);
- python-statemachine ``send("plan_gesprek")`` (if installed:
  ``pip install "klachtflow[bench]"``), a ``StateMachine`` per case;
- the floor: a dict lookup of ``(state, action)`` and building the tuple a
  fire returns at the least (what no state machine in Python can go below).

Once, after the rounds: memory per live case (tracemalloc) for ``start`` and
``start_many``, and transitions as its README shows (a ``Machine`` per case).
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import attrs
from transitions import Machine

from klachtflow import Actor, Engine, builtin_procedure
from klachtflow.engine._machine import _Token
from klachtflow.engine.case import Event, ledgers_digest

KLAGER = Actor("b.jansen", roles={"klager"})
COORDINATOR = Actor("m.devries", roles={"klachtencoordinator"})
PARTIES = {"klager": ["b.jansen"], "beklaagde": ["j.smit"]}
DATA = {"kanaal": "e-mail", "categorie": "bejegening"}


def timed(fn: Callable[[], Any]) -> float:
    gc.collect()
    began = time.perf_counter()
    fn()
    return time.perf_counter() - began


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


def _engine() -> Engine:
    """The engine as a host makes it: the default clock (the system's, in UTC)
    and the default ids (random UUIDs), as the issue's start target says."""
    return Engine(builtin_procedure("gemeente-awb"))


def untimed_gc(fn: Callable[[], Any]) -> float:
    """``timed`` with the garbage collector off, as ``timeit`` measures."""
    gc.collect()
    gc.disable()
    try:
        began = time.perf_counter()
        fn()
        return time.perf_counter() - began
    finally:
        gc.enable()


def _psm() -> Callable[[], Any] | None:
    try:
        from statemachine import State, StateMachine  # noqa: PLC0415 - optional
    except ImportError:
        return None

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

    return Complaint


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    engine = _engine()
    machine = engine._machine
    table = engine._table
    event = machine._machine.events["plan_gesprek"]
    complaint = _psm()
    items = [{"parties": PARTIES, "data": DATA} for _ in range(n)]
    sample = min(n, 20_000)  # python-statemachine machines per round
    floor_table = {("onvrede", "plan_gesprek"): "gesprek"}
    engine.start_many(items[:10], actor=KLAGER)  # warm every path once

    def start() -> None:
        for _ in range(n):
            engine.start(actor=KLAGER, parties=PARTIES, data=DATA)

    def start_many() -> None:
        engine.start_many(items, actor=KLAGER)

    def fire(cases: list[Any]) -> Callable[[], None]:
        def run() -> None:
            for i, case in enumerate(cases):
                cases[i] = engine.fire(case, "plan_gesprek", actor=COORDINATOR)

        return run

    def bare() -> None:
        for _ in range(n):
            machine.trigger("onvrede", "plan_gesprek", None)

    def raw() -> None:
        for _ in range(n):
            event.trigger(_Token("onvrede"), context=None)

    def on_table() -> None:
        for _ in range(n):
            table.fire("onvrede", "plan_gesprek", None)

    # The format-2 seal of one fire alone (salt, personal commitment, canonical
    # text, SHA-256, the clocks digest and the frozen Event): what a fire costs
    # beyond a state machine because its history proves itself.
    sample_case = engine.fire(
        engine.start(actor=KLAGER, parties=PARTIES, data=DATA),
        "plan_gesprek",
        actor=COORDINATOR,
    )
    made = sample_case.history[-1]
    sealed = {
        f.name: getattr(made, f.name)
        for f in attrs.fields(Event)
        if f.name not in {"hash", "format", "key_id", "personal", "salt"}
    }
    sealed["terms"] = made.terms
    sealer = engine.sealer

    def seal() -> None:
        for _ in range(n):
            Event.record(sealer, **sealed)
            ledgers_digest(sample_case.clocks)

    def floor() -> None:
        get = floor_table.get
        for _ in range(n):
            (True, get(("onvrede", "plan_gesprek")))

    results: dict[str, list[float]] = {}
    for _ in range(rounds):
        results.setdefault("start", []).append(timed(start) / n)
        results.setdefault("start_many", []).append(timed(start_many) / n)
        results.setdefault("start_many_nogc", []).append(untimed_gc(start_many) / n)
        cases = engine.start_many(items, actor=KLAGER)
        results.setdefault("fire", []).append(timed(fire(cases)) / n)
        cases = engine.start_many(items, actor=KLAGER)
        results.setdefault("fire_nogc", []).append(untimed_gc(fire(cases)) / n)
        del cases
        results.setdefault("bare", []).append(timed(bare) / n)
        results.setdefault("raw", []).append(timed(raw) / n)
        results.setdefault("table", []).append(timed(on_table) / n)
        results.setdefault("floor", []).append(timed(floor) / n)
        results.setdefault("seal", []).append(timed(seal) / n)
        if complaint is not None:
            machines = [complaint() for _ in range(sample)]

            def send(ms: list[Any] = machines) -> None:
                for m in ms:
                    m.send("plan_gesprek")

            results.setdefault("psm", []).append(timed(send) / sample)
            del machines

    best = {k: min(v) for k, v in results.items()}
    median = {k: statistics.median(v) for k, v in results.items()}
    labels = {
        "start": "klachtflow Engine.start (N calls)",
        "start_many": "klachtflow Engine.start_many (one call)",
        "start_many_nogc": "  the same, garbage collector off (as timeit)",
        "fire": "klachtflow Engine.fire (all checks + audit event)",
        "fire_nogc": "  the same, garbage collector off (as timeit)",
        "bare": "transitions trigger, klachtflow's machine + lock",
        "raw": "  straight on transitions' Event.trigger",
        "table": "klachtflow action table (lookup + target)",
        "floor": "floor: dict lookup + result tuple",
        "seal": "the format-2 seal of one fire alone (in the fire)",
        "psm": "python-statemachine send(plan_gesprek)",
    }
    print(f"Python {sys.version.split()[0]}; N = {n:,}; {rounds} rounds")
    print(f"{'':52} {'best':>10} {'median':>10}  (µs per operation)")
    for key, label in labels.items():
        if key in best:
            print(f"{label:52} {best[key] * 1e6:>10.2f} {median[key] * 1e6:>10.2f}")

    many = min(n, 20_000)
    mem_start = memory_per_item(
        lambda c: [
            engine.start(actor=KLAGER, parties=PARTIES, data=DATA) for _ in range(c)
        ],
        many,
    )
    mem_many = memory_per_item(
        lambda c: engine.start_many(items[:c], actor=KLAGER), many
    )
    mem_psm = (
        memory_per_item(lambda c: [complaint() for _ in range(c)], 2_000)
        if complaint is not None
        else float("nan")
    )

    # transitions as its README shows: one Machine per case (a small sample).
    procedure = engine.procedure
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

    readme = 500
    t_readme = timed(lambda: per_case_machines(readme)) / readme
    mem_readme = memory_per_item(per_case_machines, readme)
    print()
    print(f"{'memory per live case (tracemalloc)':52} {'':>10} {'bytes':>10}")
    print(f"{'klachtflow Engine.start':52} {'':>10} {mem_start:>10.0f}")
    print(f"{'klachtflow Engine.start_many':52} {'':>10} {mem_many:>10.0f}")
    print(
        f"{'python-statemachine: a StateMachine per case':52} {'':>10} {mem_psm:>10.0f}"
    )
    print(
        f"{'transitions: a Machine per case (README way)':52} {'':>10} {mem_readme:>10.0f}"
        f"   ({t_readme * 1e6:.0f} µs to make one)"
    )

    print()
    print(
        f"start_many: {best['start_many'] * 100_000:.3f} s per 100,000 cases best, "
        f"{median['start_many'] * 100_000:.3f} s median (target < 1 s); "
        f"start: {best['start'] * 100_000:.3f} s; {mem_many:.0f} B per live case "
        "(target < 2048)"
    )
    print(
        f"fire / bare trigger: {best['fire'] / best['bare']:.2f}x best, "
        f"{median['fire'] / median['bare']:.2f}x median (target <= 2x); "
        f"gc off {best['fire_nogc'] / best['bare']:.2f}x best; "
        f"/ Event.trigger: {best['fire'] / best['raw']:.2f}x"
    )
    if "psm" in best:
        print(
            f"python-statemachine send / fire: {best['psm'] / best['fire']:.2f}x best, "
            f"{median['psm'] / median['fire']:.2f}x median (target >= 8x)"
        )
    unsealed = best["fire_nogc"] - best["seal"]
    print(
        f"the seal is {best['seal'] * 1e6:.1f} µs of a fire's {best['fire_nogc'] * 1e6:.1f} µs "
        f"(gc off); the rest ({unsealed * 1e6:.1f} µs: permission, 9:7, guard, terms, "
        f"the new case) is {unsealed / best['bare']:.2f}x a bare trigger"
    )
    print(
        f"floor: the table is {best['table'] / best['floor']:.1f}x the dict-lookup "
        f"floor; a fire {best['fire'] / best['floor']:.0f}x it"
    )


if __name__ == "__main__":
    main()
