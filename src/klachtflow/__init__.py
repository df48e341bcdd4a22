"""klachtflow: Dutch complaint procedures as validated, law-citing state machines.

The public API is what ``__all__`` lists; anything with a leading underscore
may change without notice. Names are imported on first use, so ``import
klachtflow`` stays cheap (the pytest plugin and the CLI rely on that): the
exceptions load at once, the engine (transitions) and storage (SQLAlchemy,
alembic) when first touched.
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import version
from typing import TYPE_CHECKING, Any

from klachtflow import exceptions
from klachtflow.exceptions import (
    AssignmentRefused,
    BatchItemRefused,
    CaseNotFound,
    CaseNotInOrganisation,
    ClaimLost,
    ConcurrentUpdate,
    ConditionNotMet,
    ConsentMissing,
    DefinitionError,
    DefinitionIssue,
    ErasureRefused,
    HistoryTampered,
    InvalidArgument,
    InvalidData,
    KlachtflowError,
    LetterRefused,
    MigrationError,
    MigrationRefused,
    MissingData,
    MissingDependency,
    MomentRefused,
    NotAssigned,
    NotPermitted,
    OrganisationNotFound,
    ProcedureMismatch,
    ProcedureNotForOrganisation,
    SchemaNotAtHead,
    SeparationOfDutiesViolation,
    StorageError,
    TermError,
    TransitionError,
    TransitionNotAllowed,
    UnknownAction,
    UnknownCondition,
    UnknownTemplate,
    UntrustedCase,
)

if TYPE_CHECKING:
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
    from klachtflow.storage import (
        Checkpoint,
        ErasureGround,
        IntegrityReport,
        Organisation,
        SqlStore,
        StoreReport,
        open_store,
    )

__all__ = [
    "ATW",
    "Actor",
    "AssignmentRefused",
    "AtwCalendar",
    "BatchItemRefused",
    "Case",
    "CaseNotFound",
    "CaseNotInOrganisation",
    "CaseView",
    "Checkpoint",
    "ClaimLost",
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
    "ErasureGround",
    "ErasureRefused",
    "Event",
    "FixedClock",
    "HistoryTampered",
    "IntegrityReport",
    "InvalidArgument",
    "InvalidData",
    "KlachtflowError",
    "LetterRefused",
    "MigrationError",
    "MigrationRefused",
    "MissingData",
    "MissingDependency",
    "MomentRefused",
    "NotAssigned",
    "NotPermitted",
    "Organisation",
    "OrganisationCalendar",
    "OrganisationNotFound",
    "Procedure",
    "ProcedureMismatch",
    "ProcedureNotForOrganisation",
    "SchemaNotAtHead",
    "SeparationOfDutiesViolation",
    "SqlStore",
    "StorageError",
    "StoreReport",
    "SystemClock",
    "TermClock",
    "TermError",
    "TransitionError",
    "TransitionNotAllowed",
    "UnknownAction",
    "UnknownCondition",
    "UnknownTemplate",
    "UntrustedCase",
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

#: Where each lazily imported public name lives.
_LAZY = {
    **dict.fromkeys(
        [
            "Procedure",
            "builtin_procedure",
            "load_procedure",
            "loads_procedure",
            "template_names",
        ],
        "klachtflow.definition",
    ),
    **dict.fromkeys(
        [
            "Case",
            "CaseView",
            "ConditionContext",
            "Conditions",
            "Engine",
            "Event",
            "verify_history",
        ],
        "klachtflow.engine",
    ),
    **dict.fromkeys(
        [
            "ATW",
            "AtwCalendar",
            "Deadline",
            "FixedClock",
            "OrganisationCalendar",
            "SystemClock",
            "TermClock",
            "WorkingCalendar",
            "termijn",
        ],
        "klachtflow.rules",
    ),
    **dict.fromkeys(["Actor", "Decision"], "klachtflow.rules.permissions"),
    **dict.fromkeys(
        [
            "Checkpoint",
            "ErasureGround",
            "IntegrityReport",
            "Organisation",
            "SqlStore",
            "StoreReport",
            "open_store",
        ],
        "klachtflow.storage",
    ),
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is not None:
        value = getattr(import_module(module), name)
        globals()[name] = value  # next time without __getattr__
        return value
    if name == "__version__":
        return version("klachtflow")
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    # Only the public API: not the helpers this module imports for itself
    # (Any, TYPE_CHECKING, import_module, version) nor what laziness caches.
    return sorted({*__all__, "__version__"})
