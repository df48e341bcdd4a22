"""Rule pack ``wkkgz``: klachten en geschillen in de zorg (Wkkgz, BWBR0037173).

The obligations of :data:`klachtflow.law.regimes.WKKGZ_REGIME`, checked by
the generic checks of :mod:`._generic` (law.md §4).
"""

from __future__ import annotations

from klachtflow.compliance._generic import rules_for
from klachtflow.compliance.model import Rule
from klachtflow.law.regimes import WKKGZ_REGIME

__all__ = ["RULES"]

RULES: tuple[Rule, ...] = rules_for(WKKGZ_REGIME, "wkkgz")
