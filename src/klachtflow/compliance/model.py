"""Compliance rules and findings: data, with the article each one rests on."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable

import attrs

from klachtflow.definition.model import LegalBasis, Procedure

__all__ = ["AuditFinding", "Finding", "Rule", "Severity"]


class Severity(enum.Enum):
    """fout: the procedure does not comply; waarschuwing: check it."""

    FOUT = "fout"
    WAARSCHUWING = "waarschuwing"


@attrs.frozen
class Finding:
    """One way a procedure falls short of a rule, with where and what to do."""

    code: str
    severity: Severity
    message: str
    fix: str
    basis: LegalBasis
    path: tuple[str | int, ...] = ()
    line: int = 1
    column: int = 1

    @property
    def article(self) -> str:
        """The article as people cite it, e.g. 'Awb 9:11 lid 2 (BWBR0005537)'."""
        return str(self.basis)

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready mapping (``klachtflow check --format json``)."""
        return {
            "code": self.code,
            "ernst": self.severity.value,
            "melding": self.message,
            "oplossing": self.fix,
            "artikel": self.article,
            "bwb": self.basis.bwb,
            "url": self.basis.url,
            "pad": ".".join(str(p) for p in self.path),
            "regel": self.line,
            "kolom": self.column,
        }


Check = Callable[[Procedure], Iterable[tuple[str, tuple[str | int, ...]]]]


@attrs.frozen
class Rule:
    """A rule of a pack: stable code, article, severity, Dutch text and the check.

    The check yields (message, yaml path) for each shortcoming; the rule adds
    its code, severity, fix and basis.
    """

    code: str
    pack: str
    basis: LegalBasis
    severity: Severity
    title: str
    fix: str
    check: Check = attrs.field(repr=False)

    def apply(self, procedure: Procedure) -> list[Finding]:
        """The findings of this rule for ``procedure``."""
        return [
            Finding(self.code, self.severity, message, self.fix, self.basis, path)
            for message, path in self.check(procedure)
        ]


@attrs.frozen
class AuditFinding:
    """One violation in one case's history, with its article."""

    case_id: str
    code: str
    severity: str
    message: str
    basis: LegalBasis
    on: dt.date | None = None

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready mapping (``klachtflow audit --format json``)."""
        return {
            "zaak": self.case_id,
            "code": self.code,
            "ernst": self.severity,
            "melding": self.message,
            "artikel": str(self.basis),
            "url": self.basis.url,
            "datum": self.on.isoformat() if self.on else None,
        }
