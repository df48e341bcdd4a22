"""WHAT a procedure is: the YAML language, its loader and the immutable IR.

Pure and immutable; imports neither transitions nor pendulum.
"""

from __future__ import annotations

from klachtflow.definition.loader import load_procedure, loads_procedure
from klachtflow.definition.model import (
    Action,
    DataField,
    Duration,
    LegalBasis,
    Procedure,
    Result,
    Role,
    State,
    Term,
)
from klachtflow.definition.templates import (
    builtin_procedure,
    template_names,
    template_text,
)

__all__ = [
    "Action",
    "DataField",
    "Duration",
    "LegalBasis",
    "Procedure",
    "Result",
    "Role",
    "State",
    "Term",
    "builtin_procedure",
    "load_procedure",
    "loads_procedure",
    "template_names",
    "template_text",
]
