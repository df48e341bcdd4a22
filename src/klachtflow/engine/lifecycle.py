"""Facts about where a case stands in its procedure, shared by storage and reports.

When did it close, and did it ever become a formal complaint: both are read
from the history against the procedure's states (``eind``, ``kenmerken``).
"""

from __future__ import annotations

import datetime as dt

from klachtflow.definition.model import Procedure
from klachtflow.engine.case import Case

__all__ = ["became_formal", "closed_on"]


def closed_on(case: Case, procedure: Procedure) -> dt.date | None:
    """The legal date the case entered its current end state, if it is in one."""
    state = procedure.states.get(case.status)
    if state is None or not state.is_final:
        return None
    for event in reversed(case.history):
        if event.from_state != event.to_state:
            return event.legal_date
    return case.history[-1].legal_date


def became_formal(case: Case, procedure: Procedure) -> bool:
    """True when the case ever entered a state tagged ``formeel`` (or one inside it)."""
    formal = procedure.formal_states
    return any(e.to_state in formal for e in case.history)
