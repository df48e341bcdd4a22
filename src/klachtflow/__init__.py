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
from klachtflow.exceptions import (
    DefinitionError,
    DefinitionIssue,
    KlachtflowError,
    TermError,
    UnknownTemplate,
)
from klachtflow.rules import (
    AtwCalendar,
    Deadline,
    OrganisationCalendar,
    TermClock,
    WorkingCalendar,
    termijn,
)

__all__ = [
    "AtwCalendar",
    "Deadline",
    "DefinitionError",
    "DefinitionIssue",
    "KlachtflowError",
    "OrganisationCalendar",
    "Procedure",
    "TermClock",
    "TermError",
    "UnknownTemplate",
    "WorkingCalendar",
    "builtin_procedure",
    "exceptions",
    "load_procedure",
    "loads_procedure",
    "template_names",
    "termijn",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        return version("klachtflow")
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
