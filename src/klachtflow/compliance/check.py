"""Check a procedure against rule packs; locate each finding in the YAML."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

import attrs

from klachtflow.compliance import awb9, bezwaar, jeugdwet, wkkgz
from klachtflow.compliance.model import Finding, Rule, Severity
from klachtflow.definition.loader import locator
from klachtflow.definition.model import Procedure
from klachtflow.exceptions import KlachtflowError

__all__ = ["PACKS", "Report", "UnknownRulePack", "check_procedure", "packs_for"]

#: The rule packs by name.
PACKS: Mapping[str, tuple[Rule, ...]] = MappingProxyType(
    {
        "awb9": awb9.RULES,
        "awb-bezwaar": bezwaar.RULES,
        "jeugdwet": jeugdwet.RULES,
        "wkkgz": wkkgz.RULES,
    }
)

#: Which packs apply to a procedure's regime when none are named.
_DEFAULT = MappingProxyType(
    {
        "awb9": ("awb9",),
        "bezwaar": ("awb-bezwaar",),
        "jeugdwet": ("jeugdwet",),
        "wkkgz": ("wkkgz",),
    }
)


class UnknownRulePack(KlachtflowError, LookupError):
    """No rule pack by this name; ``known`` lists the packs there are."""

    code = "KF-C001"

    def __init__(self, name: str) -> None:
        self.name = name
        self.known = tuple(sorted(PACKS))
        super().__init__(
            f"Onbekend regelpakket '{name}'.",
            hint=f"Beschikbaar: {', '.join(self.known)}.",
        )


@attrs.frozen
class Report:
    """The findings for one procedure, sorted by position."""

    procedure: Procedure
    packs: tuple[str, ...]
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        """Findings of severity fout."""
        return tuple(f for f in self.findings if f.severity is Severity.FOUT)

    @property
    def compliant(self) -> bool:
        """True when there is no finding of severity fout."""
        return not self.errors


def packs_for(
    procedure: Procedure, names: Iterable[str] | None = None
) -> tuple[str, ...]:
    """The packs to apply: the named ones, or the default for the regime."""
    chosen = tuple(names) if names is not None else _DEFAULT.get(procedure.regime, ())
    for name in chosen:
        if name not in PACKS:
            raise UnknownRulePack(name)
    return chosen


def check_procedure(
    procedure: Procedure, *, packs: Iterable[str] | None = None
) -> Report:
    """Apply the rule packs to ``procedure``; positions come from its YAML text."""
    chosen = packs_for(procedure, packs)
    findings = [
        f for name in chosen for rule in PACKS[name] for f in rule.apply(procedure)
    ]
    locate = locator(procedure)
    findings = [
        attrs.evolve(f, line=line, column=column)
        for f in findings
        for line, column in [locate(f.path)]
    ]
    findings.sort(key=lambda f: (f.line, f.column, f.code))
    return Report(procedure=procedure, packs=chosen, findings=tuple(findings))
