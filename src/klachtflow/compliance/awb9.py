"""Rule pack ``awb9``: klachtbehandeling door een bestuursorgaan (Awb hoofdstuk 9).

The rules are the obligations of :data:`klachtflow.law.regimes.AWB9`,
checked by the generic checks of :mod:`._generic`; a step is recognised by
the article it cites (the action that confirms receipt cites Awb 9:6, the
handling term 9:11). One rule is klachtflow's own: every action names a basis.
"""

from __future__ import annotations

from collections.abc import Iterator

from klachtflow.compliance._generic import missing_contents, rules_for
from klachtflow.compliance.model import Rule, Severity
from klachtflow.definition.model import LegalBasis, Procedure
from klachtflow.law.regimes import AWB, AWB9

__all__ = ["AWB", "RULES", "cites", "missing_contents"]


def cites(
    basis: tuple[LegalBasis, ...],
    artikel: str,
    *,
    lid: int | None = None,
    bwb: str = AWB,
) -> bool:
    """Whether any basis cites ``artikel`` (and ``lid``) of the law ``bwb`` (default Awb)."""
    return any(
        b.bwb == bwb and b.artikel == artikel and (lid is None or b.lid == lid)
        for b in basis
    )


def _every_action_cites(p: Procedure) -> Iterator[tuple[str, tuple[str | int, ...]]]:
    for action in p.actions.values():
        if not action.basis:
            yield (
                f"De actie '{action.name}' noemt geen grondslag.",
                ("acties", action.name),
            )


RULES: tuple[Rule, ...] = (
    *rules_for(AWB9, "awb9"),
    Rule(
        code="KF-GRAAF-01",
        pack="awb9",
        basis=LegalBasis(regeling="klachtflow", artikel="grondslag"),
        severity=Severity.WAARSCHUWING,
        title="Grondslag bij elke actie",
        fix="Noem bij elke actie een grondslag (een artikel of de eigen regeling).",
        check=_every_action_cites,
    ),
)
