"""Rule pack ``awb-bezwaar``: bezwaar (Awb 6:7-7:15) and the dwangsom (4:17).

The obligations of :data:`klachtflow.law.regimes.BEZWAAR`, checked by the
generic checks of :mod:`._generic` (law.md §2).
"""

from __future__ import annotations

from klachtflow.compliance._generic import rules_for
from klachtflow.compliance.model import Rule
from klachtflow.law.regimes import BEZWAAR

__all__ = ["RULES"]

RULES: tuple[Rule, ...] = rules_for(BEZWAAR, "awb-bezwaar")
