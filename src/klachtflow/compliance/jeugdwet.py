"""Rule pack ``jeugdwet``: klachten over jeugdhulp (Jeugdwet art 4.2.1, 4.1.9).

The obligations of :data:`klachtflow.law.regimes.JEUGDWET`, checked by the
generic checks of :mod:`._generic` (law.md §5.1).
"""

from __future__ import annotations

from klachtflow.compliance._generic import rules_for
from klachtflow.compliance.model import Rule
from klachtflow.definition.model import LegalBasis
from klachtflow.law.regimes import JEUGDWET, JW

__all__ = ["ART", "JW", "RULES", "citing"]

ART = "4.2.1"


def citing(
    basis: tuple[LegalBasis, ...], lid: int, onderdeel: str | None = None
) -> bool:
    """Whether any basis cites Jeugdwet 4.2.1 ``lid`` (and ``onderdeel``)."""
    return any(
        b.bwb == JW
        and b.artikel == ART
        and b.lid == lid
        and (onderdeel is None or b.onderdeel == onderdeel)
        for b in basis
    )


RULES: tuple[Rule, ...] = rules_for(JEUGDWET, "jeugdwet")
