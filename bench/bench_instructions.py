"""Benchmark: CPU instructions per operation, counted by valgrind (issue 3).

    python bench/bench_instructions.py [N]      # default N = 2,000; needs valgrind

Wall-clock ratios on a shared 2-core machine swing by 30% from one run to the
next, which drowns the differences the issue 3 targets are about (fire at
most 2x a bare transitions trigger, at least 8x faster than
python-statemachine). Valgrind's callgrind counts the instructions a process
executes; the count hardly moves between runs, so a ratio of counts is a
stable stand-in for a ratio of times (it ignores cache misses, which favours
no side here: all operations work on a few objects at a time).

Each operation runs in its own process under valgrind twice: once with the
setup only, once with the setup and N operations. The difference divided by N
is the count per operation. Operations (as in ``bench_engine.py``):

- ``start``: ``Engine.start`` on ``gemeente-awb``, cases kept alive;
- ``fire``: ``Engine.fire(case, "plan_gesprek")`` on N started cases, each
  replaced by its new version;
- ``trigger``: the same transition as a bare trigger on the machine klachtflow
  compiled (through klachtflow's lock and wrapper);
- ``event``: the same, straight on transitions' ``Event.trigger``;
- ``start_many``: one ``Engine.start_many`` of N items;
- ``table``: the action table the engine fires on (lookup + target);
- ``floor``: a dict lookup of ``(state, action)`` and the result tuple;
- ``termijn``: ``klachtflow.termijn("2026-03-16", "6 weken")``;
- ``termijn_floor``: a dict lookup and ``date + timedelta``;
- ``psm``: python-statemachine ``send("plan_gesprek")`` on N machines (when
  installed: ``pip install "klachtflow[bench]"``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

OPERATIONS = (
    "start",
    "start_many",
    "fire",
    "trigger",
    "event",
    "table",
    "floor",
    "termijn",
    "termijn_floor",
    "psm",
)


def _setup(operation: str, n: int) -> Callable[[], Any]:
    """Prepare ``n`` operations; return the function that runs them."""
    import pendulum  # noqa: PLC0415 - the parent process needs none of this

    from klachtflow import Actor, Engine, FixedClock, builtin_procedure  # noqa: PLC0415
    from klachtflow.engine._machine import _Token  # noqa: PLC0415

    klager = Actor("b.jansen", roles={"klager"})
    coordinator = Actor("m.devries", roles={"klachtencoordinator"})
    parties = {"klager": ["b.jansen"], "beklaagde": ["j.smit"]}
    data = {"kanaal": "e-mail", "categorie": "bejegening"}
    clock = FixedClock(pendulum.datetime(2026, 3, 2, 10, tz="Europe/Amsterdam"))
    counter = iter(range(10**9))
    engine = Engine(
        builtin_procedure("gemeente-awb"),
        clock=clock,
        id_factory=lambda: f"Z-{next(counter)}",
    )
    # Warm every path once, so first-call work is in both counts alike.
    warm = engine.start(actor=klager, parties=parties, data=data)
    engine.fire(warm, "plan_gesprek", actor=coordinator)
    machine = engine._machine
    machine.trigger("onvrede", "plan_gesprek", None)

    if operation == "start":
        kept: list[Any] = []

        def start_cases() -> None:
            for _ in range(n):
                kept.append(engine.start(actor=klager, parties=parties, data=data))

        return start_cases
    if operation == "start_many":
        items = [{"parties": parties, "data": data} for _ in range(n)]
        made: list[Any] = []

        def start_batch() -> None:
            made.extend(engine.start_many(items, actor=klager))

        return start_batch
    if operation == "table":
        table = engine._table

        def on_table() -> None:
            for _ in range(n):
                table.fire("onvrede", "plan_gesprek", None)

        return on_table
    if operation == "floor":
        lookup = {("onvrede", "plan_gesprek"): "gesprek"}

        def floor() -> None:
            get = lookup.get
            for _ in range(n):
                (True, get(("onvrede", "plan_gesprek")))

        return floor
    if operation in ("termijn", "termijn_floor"):
        import datetime as dt  # noqa: PLC0415

        from klachtflow import termijn  # noqa: PLC0415

        termijn("2026-03-16", "6 weken")
        day, six = dt.date(2026, 3, 16), dt.timedelta(weeks=6)
        ends = {("2026-03-16", "6 weken"): day + six}

        def public() -> None:
            for _ in range(n):
                termijn("2026-03-16", "6 weken")

        def by_hand() -> None:
            for _ in range(n):
                ends.get(("2026-03-16", "6 weken"))
                day + six

        return public if operation == "termijn" else by_hand
    if operation == "fire":
        cases = [
            engine.start(actor=klager, parties=parties, data=data) for _ in range(n)
        ]

        def fire_cases() -> None:
            for i, case in enumerate(cases):
                cases[i] = engine.fire(case, "plan_gesprek", actor=coordinator)

        return fire_cases
    if operation == "trigger":

        def trigger_bare() -> None:
            for _ in range(n):
                machine.trigger("onvrede", "plan_gesprek", None)

        return trigger_bare
    if operation == "event":
        event = machine._machine.events["plan_gesprek"]

        def trigger_event() -> None:
            for _ in range(n):
                event.trigger(_Token("onvrede"), context=None)

        return trigger_event
    from statemachine import State, StateMachine  # noqa: PLC0415 - optional

    class Complaint(StateMachine):  # the first steps of the same walk
        onvrede = State(initial=True)
        gesprek = State()
        bemiddeling = State()
        opgelost = State(final=True)
        plan_gesprek = onvrede.to(gesprek)
        start_bemiddeling = onvrede.to(bemiddeling) | gesprek.to(bemiddeling)
        los_informeel_op = (
            onvrede.to(opgelost) | gesprek.to(opgelost) | bemiddeling.to(opgelost)
        )

    Complaint().send("plan_gesprek")
    machines = [Complaint() for _ in range(n)]

    def send_all() -> None:
        for m in machines:
            m.send("plan_gesprek")

    return send_all


def _child(operation: str, n: int, measure: bool) -> None:
    run = _setup(operation, n)
    if measure:
        run()


def _count(operation: str, n: int, measure: bool) -> int:
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        os.path.abspath(__file__),
        "--child",
        operation,
        str(n),
        "1" if measure else "0",
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 - fixed command
    found = re.search(r"Collected : ([\d,]+)", done.stderr)
    if done.returncode != 0 or found is None:
        msg = f"{operation}: valgrind failed:\n{done.stderr[-2000:]}"
        raise SystemExit(msg)
    return int(found.group(1).replace(",", ""))


def _per_operation(operation: str, n: int) -> int:
    return (_count(operation, n, True) - _count(operation, n, False)) // n


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        _child(sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1")
        return
    if shutil.which("valgrind") is None:
        msg = "valgrind not found: apt-get install valgrind"
        raise SystemExit(msg)
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000
    try:
        import statemachine  # noqa: F401, PLC0415 - only: is it there?

        operations: tuple[str, ...] = OPERATIONS
    except ImportError:
        print("python-statemachine not installed: pip install python-statemachine")
        operations = OPERATIONS[:-1]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        counts = dict(
            zip(
                operations,
                pool.map(lambda op: _per_operation(op, n), operations),
                strict=True,
            )
        )
    print(f"Python {sys.version.split()[0]}; N = {n:,}; instructions per operation")
    for operation, count in counts.items():
        print(f"  {operation:8} {count:>10,}")
    print()
    print(
        f"fire / bare trigger on the same machine: {counts['fire'] / counts['trigger']:.2f}x (target <= 2x)"
    )
    print(f"fire / transitions Event.trigger: {counts['fire'] / counts['event']:.2f}x")
    if "psm" in counts:
        print(
            f"python-statemachine send / klachtflow fire: {counts['psm'] / counts['fire']:.2f}x (target >= 8x)"
        )
    print(
        f"start: {counts['start']:,} instructions per case, "
        f"{counts['start'] / counts['trigger']:.2f}x a bare trigger; start_many "
        f"{counts['start_many']:,} ({counts['start'] / counts['start_many']:.2f}x fewer)"
    )
    print(
        f"floor (dict lookup + tuple): {counts['floor']:,}; table "
        f"{counts['table'] / counts['floor']:.1f}x it, fire {counts['fire'] / counts['floor']:.0f}x"
    )
    print(
        f"termijn: {counts['termijn']:,} instructions, "
        f"{counts['termijn'] / counts['termijn_floor']:.1f}x its floor (dict + date arithmetic)"
    )


if __name__ == "__main__":
    main()
