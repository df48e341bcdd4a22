"""klachtflow: Dutch complaint procedures as validated, law-citing state machines.

The public API is what ``__all__`` lists; anything with a leading underscore
may change without notice.
"""

from __future__ import annotations

from importlib.metadata import version
from typing import TYPE_CHECKING, Any

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
    CaseNotFound,
    ConcurrentUpdate,
    ConditionNotMet,
    ConsentMissing,
    DefinitionError,
    DefinitionIssue,
    InvalidData,
    KlachtflowError,
    MigrationError,
    MissingData,
    MissingDependency,
    NotPermitted,
    ProcedureMismatch,
    SchemaNotAtHead,
    SeparationOfDutiesViolation,
    StorageError,
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
    "CaseNotFound",
    "CaseView",
    "ConcurrentUpdate",
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
    "MissingDependency",
    "NotPermitted",
    "OrganisationCalendar",
    "Procedure",
    "ProcedureMismatch",
    "SchemaNotAtHead",
    "SeparationOfDutiesViolation",
    "SqlStore",
    "StorageError",
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
    "open_store",
    "template_names",
    "termijn",
    "verify_history",
]


if TYPE_CHECKING:  # storage pulls in SQLAlchemy and alembic: imported on first use
    from klachtflow.storage import SqlStore, open_store

_LAZY = {"SqlStore", "open_store"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from klachtflow import storage  # noqa: PLC0415 - lazy: keeps 'import klachtflow' fast

        return getattr(storage, name)
    if name == "__version__":
        return version("klachtflow")
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
