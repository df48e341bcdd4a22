"""WHEN and WHO: the Atw calendar, deadlines and term clocks, as pure functions.

May import :mod:`klachtflow.definition`; never the engine, storage or adapters.
"""

from __future__ import annotations

from klachtflow.rules.api import termijn
from klachtflow.rules.calendar import (
    ATW,
    AtwCalendar,
    OrganisationCalendar,
    WorkingCalendar,
    easter_sunday,
    load_designated_days,
)
from klachtflow.rules.clock import Clock, FixedClock, SystemClock, legal_date
from klachtflow.rules.clocks import ClockState, ClockStatus, TermClock, calendar_for
from klachtflow.rules.terms import Deadline, Shift, compute, due_date, extend

__all__ = [
    "ATW",
    "AtwCalendar",
    "Clock",
    "ClockState",
    "ClockStatus",
    "Deadline",
    "FixedClock",
    "OrganisationCalendar",
    "Shift",
    "SystemClock",
    "TermClock",
    "WorkingCalendar",
    "calendar_for",
    "compute",
    "due_date",
    "easter_sunday",
    "extend",
    "legal_date",
    "load_designated_days",
    "termijn",
]
