"""klachtflow: Dutch complaint procedures as validated, law-citing state machines.

The public API is what ``__all__`` lists; anything with a leading underscore
may change without notice.
"""

from __future__ import annotations

from importlib.metadata import version
from typing import Any

from klachtflow import exceptions
from klachtflow.definition import (
    Procedure,
    builtin_procedure,
    load_procedure,
    loads_procedure,
    template_names,
)
from klachtflow.engine import (
    Case,
    CaseView,
    ConditionContext,
    Conditions,
    Engine,
    Event,
    verify_history,
)
from klachtflow.exceptions import (
    ConditionNotMet,
    ConsentMissing,
    DefinitionError,
    DefinitionIssue,
    InvalidData,
    KlachtflowError,
    MigrationError,
    MissingData,
    NotPermitted,
    ProcedureMismatch,
    SeparationOfDutiesViolation,
    TermError,
    TransitionError,
    TransitionNotAllowed,
    UnknownAction,
    UnknownCondition,
    UnknownTemplate,
)
from klachtflow.rules import (
    ATW,
    AtwCalendar,
    Deadline,
    FixedClock,
    OrganisationCalendar,
    SystemClock,
    TermClock,
    WorkingCalendar,
    termijn,
)
from klachtflow.rules.permissions import Actor, Decision

__all__ = [
    "ATW",
    "Actor",
    "AtwCalendar",
    "Case",
    "CaseView",
    "ConditionContext",
    "ConditionNotMet",
    "Conditions",
    "ConsentMissing",
    "Deadline",
    "Decision",
    "DefinitionError",
    "DefinitionIssue",
    "Engine",
    "Event",
    "FixedClock",
    "InvalidData",
    "KlachtflowError",
    "MigrationError",
    "MissingData",
    "NotPermitted",
    "OrganisationCalendar",
    "Procedure",
    "ProcedureMismatch",
    "SeparationOfDutiesViolation",
    "SystemClock",
    "TermClock",
    "TermError",
    "TransitionError",
    "TransitionNotAllowed",
    "UnknownAction",
    "UnknownCondition",
    "UnknownTemplate",
    "WorkingCalendar",
    "builtin_procedure",
    "exceptions",
    "load_procedure",
    "loads_procedure",
    "template_names",
    "termijn",
    "verify_history",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        return version("klachtflow")
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
