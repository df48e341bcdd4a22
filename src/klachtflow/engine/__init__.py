"""HOW a case moves: the only package that imports the transitions library.

Public: :class:`Engine`, :class:`Case`, :class:`Event`, :class:`Conditions`,
:class:`ConditionContext`, :func:`verify_history`. Nothing of transitions is
exposed.
"""

from __future__ import annotations

from klachtflow.engine.case import Case, CaseView, Event, HistoryReport, verify_history
from klachtflow.engine.conditions import ConditionContext, Conditions
from klachtflow.engine.engine import Engine, Listener

__all__ = [
    "Case",
    "CaseView",
    "ConditionContext",
    "Conditions",
    "Engine",
    "Event",
    "HistoryReport",
    "Listener",
    "verify_history",
]
