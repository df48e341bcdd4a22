"""The rule reference page (``docs/reference/compliance.md``), made from the packs.

One table per pack (code, article, severity, rule, fix) and one table of the
obligations per regime with how many ``check``, the engine and ``audit``
enforce; ``tests/compliance`` checks that the page equals what this makes.
"""

from __future__ import annotations

from klachtflow.compliance.check import PACKS
from klachtflow.law import REGIMES

__all__ = ["coverage_table", "pack_tables"]


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def pack_tables() -> str:
    """The Markdown tables of every pack, in the order of :data:`PACKS`."""
    out: list[str] = []
    for name, rules in PACKS.items():
        out += [
            f"## Pakket `{name}`",
            "",
            "| code | artikel | ernst | regel | oplossing |",
        ]
        out.append("| --- | --- | --- | --- | --- |")
        for rule in rules:
            article = rule.basis.__str__()
            link = f"[{article}]({rule.basis.url})" if rule.basis.url else article
            out.append(
                f"| `{rule.code}` | {link} | {rule.severity.value} | {_cell(rule.title)} "
                f"| {_cell(rule.fix)} |"
            )
        out.append("")
    return "\n".join(out)


def coverage_table() -> str:
    """Obligations per regime, and how many each layer enforces."""
    lines = [
        "| regime | verplichtingen | `check` | engine | `audit` |",
        "| --- | --- | --- | --- | --- |",
    ]
    for regime in REGIMES.values():
        c = regime.coverage()
        lines.append(
            f"| {regime.name} | {c['verplichtingen']} | {c['check']} | {c['engine']} "
            f"| {c['audit']} |"
        )
    return "\n".join(lines) + "\n"
