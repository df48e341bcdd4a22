"""Benchmark: load + validate + build a procedure, against the bare PyYAML C loader.

Target (issue 2): a 200-line procedure in < 15 ms median.

    python bench/bench_load.py            # prints a table; no assertions

The baseline is ``yaml.load(text, Loader=yaml.CSafeLoader)`` on the same text:
parsing only, no checks, no positions, YAML 1.1 surprises included.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from functools import partial

import yaml

from klachtflow import loads_procedure
from klachtflow.definition.templates import template_text


def procedure_of_lines(target: int = 200) -> str:
    """A realistic procedure of about ``target`` lines: a chain of states and actions."""
    head = [
        "schema: klachtflow/1",
        "naam: bench",
        "titel: Benchmarkprocedure",
        'versie: "1"',
        "geldig_vanaf: 2026-01-01",
        "regime: awb9",
        "rollen:",
        "  klager: {soort: partij, omschrijving_generiek: initiator}",
        "  beklaagde: {soort: partij, omschrijving_generiek: belanghebbende}",
        "  behandelaar: {soort: organisatie, omschrijving_generiek: behandelaar}",
        "gegevens:",
        "  datum_ontvangst: {type: datum}",
        "  toelichting: {type: tekst}",
        "termijnen:",
        "  afhandeling:",
        "    duur: 6 weken",
        "    vanaf_veld: datum_ontvangst",
        "    start: {binnenkomst: stap_0}",
        "    grondslag: {wet: Awb, artikel: '9:11', lid: 1}",
        "statussen:",
    ]
    states: list[str] = []
    actions = ["acties:"]
    n = 0
    while len(head) + len(states) + len(actions) + 4 < target:
        states += [f"  stap_{n}:", f"    titel: Stap {n}", "    kenmerken: [formeel]"]
        if n == 0:
            states.append("    begin: true")
        actions += [
            f"  ga_{n}:",
            f"    van: stap_{n}",
            f"    naar: stap_{n + 1}",
            "    wie: [behandelaar]",
            "    vereist: [toelichting]",
            "    scheiding: [{niet_partij: beklaagde, grondslag: {wet: Awb, artikel: '9:7'}}]",
            f"    grondslag: {{wet: Awb, artikel: '9:{n % 12 + 1}'}}",
        ]
        n += 1
    states += [f"  stap_{n}:", "    eind: true"]
    return "\n".join(head + states + actions) + "\n"


def median_ms(fn: Callable[[], object], repeat: int = 200) -> float:
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    texts = {
        "200 regels (gegenereerd)": procedure_of_lines(200),
        "gemeente-awb (sjabloon)": template_text("gemeente-awb"),
    }
    print(
        f"Python {sys.version.split()[0]}, PyYAML {yaml.__version__}, libyaml: {yaml.__with_libyaml__}"
    )
    print(
        f"{'procedure':28} {'regels':>6} {'klachtflow ms':>14} {'CSafeLoader ms':>15} {'factor':>7}"
    )
    for name, text in texts.items():
        loads_procedure(text)  # must be valid
        ours = median_ms(partial(loads_procedure, text))
        base = median_ms(partial(yaml.load, text, Loader=yaml.CSafeLoader))
        lines = text.count("\n")
        print(f"{name:28} {lines:>6} {ours:>14.2f} {base:>15.2f} {ours / base:>7.1f}")


if __name__ == "__main__":
    main()
