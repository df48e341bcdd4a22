"""Benchmark: what a letter (``brief``) and an assigned handler (``wie_toegewezen``) add to a fire.

    python bench/bench_notices.py [N]        # default N = 2,000 fires per variant

Side by side, one run, on ``sociaal-domein-stichtse-vecht``: the same action on
the same case, once as the template declares it and once with the element
removed from the YAML:

- ``bevestig_ontvangst`` with its ``brief`` (the letter checked and sealed) vs
  without (no letter);
- ``hoor_partijen`` with ``wie_toegewezen: [behandelaar]`` (fired by the
  assigned behandelaar) vs without.

Each variant: best and median of 5 rounds of N fires; the ratio is
with / without.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from collections.abc import Callable

from klachtflow import Actor, Engine, FixedClock, loads_procedure
from klachtflow.definition.templates import template_text
from klachtflow.testing import make_case

START = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
TEXT = template_text("sociaal-domein-stichtse-vecht")
LETTER = (
    "    brief:\n      titel: Ontvangstbevestiging\n      aan: [klager]\n"
    '      schriftelijk: true\n      grondslag: {wet: Awb, artikel: "9:6"}\n'
)
ASSIGNED = "    wie: [behandelaar, bestuursorgaan]\n    wie_toegewezen: [behandelaar]\n    vereist: [hoorverslag]"
COORDINATOR = Actor("c.1", roles={"klachtencoordinator"})
HANDLER = Actor("h.1", roles={"behandelaar"})


def rounds(fn: Callable[[], object], n: int) -> tuple[float, float]:
    times = []
    for _ in range(5):
        began = time.perf_counter()
        for _ in range(n):
            fn()
        times.append((time.perf_counter() - began) / n * 1e6)
    return min(times), statistics.median(times)


def measure(
    text: str, n: int, *, letter: bool
) -> tuple[tuple[float, float], tuple[float, float]]:
    """(bevestig_ontvangst, hoor_partijen) timings under the procedure ``text``."""
    today = START.date()
    procedure = loads_procedure(text)
    engine = Engine(procedure, clock=FixedClock(START))
    received = make_case(procedure, state="formele_klacht.ontvangen", engine=engine)
    sent_letter = {"verzonden_op": today, "aan": ["klager"]} if letter else None
    sent = rounds(
        lambda: engine.fire(
            received, "bevestig_ontvangst", actor=COORDINATOR, letter=sent_letter
        ),
        n,
    )
    hearing = make_case(procedure, state="formele_klacht.onderzoek", engine=engine)
    hearing = engine.fire(
        hearing, "wijs_behandelaar_aan", actor=COORDINATOR, data={"behandelaar": "h.1"}
    )
    hearing = engine.fire(
        hearing,
        "stuur_afschrift",
        actor=HANDLER,
        letter={
            "verzonden_op": today,
            "aan": ["beklaagde"],
            "bijlagen": ["klaagschrift"],
        },
    )
    heard = rounds(
        lambda: engine.fire(
            hearing, "hoor_partijen", actor=HANDLER, data={"hoorverslag": "..."}
        ),
        n,
    )
    return sent, heard


def main(n: int) -> None:
    plain_text = TEXT.replace(LETTER, "", 1).replace(
        ASSIGNED,
        "    wie: [behandelaar, bestuursorgaan]\n    vereist: [hoorverslag]",
        1,
    )
    assert plain_text != TEXT
    l1, h1 = measure(TEXT, n, letter=True)
    l0, h0 = measure(plain_text, n, letter=False)
    rows = [("met", l1, h1), ("zonder", l0, h0)]
    print(f"{n} fires per round, 5 rounds; microseconds per fire (best / median)")
    for label, sent, heard in rows:
        print(
            f"  {label:7} brief: {sent[0]:7.1f} / {sent[1]:7.1f}   "
            f"toegewezen: {heard[0]:7.1f} / {heard[1]:7.1f}"
        )
    print(
        f"  ratio   brief: {l1[0] / l0[0]:.2f}x / {l1[1] / l0[1]:.2f}x   "
        f"toegewezen: {h1[0] / h0[0]:.2f}x / {h1[1] / h0[1]:.2f}x"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
