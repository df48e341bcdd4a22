"""Public helpers for people who write and test procedures, and for host systems.

Usable without pytest: plain functions that raise ``AssertionError``.
``klachtflow.testing.strategies`` and ``klachtflow.testing.stateful`` import
hypothesis; the pytest plugin (``klachtflow.testing.pytest_plugin``) is
registered automatically and stays import-light, which is why the names
below are imported on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from klachtflow.rules.clock import FixedClock
    from klachtflow.testing.procedures import (
        MINIMAL,
        make_procedure,
        make_procedure_text,
    )
    from klachtflow.testing.walk import (
        actor_for,
        assert_compliant,
        assert_transition,
        fire_inputs,
        make_case,
        parties_for,
        path_to,
        sample_value,
    )

__all__ = [
    "MINIMAL",
    "FixedClock",
    "actor_for",
    "assert_compliant",
    "assert_transition",
    "fire_inputs",
    "make_case",
    "make_procedure",
    "make_procedure_text",
    "parties_for",
    "path_to",
    "sample_value",
]

_LAZY = {
    "FixedClock": "klachtflow.rules.clock",
    **dict.fromkeys(
        ["MINIMAL", "make_procedure", "make_procedure_text"],
        "klachtflow.testing.procedures",
    ),
    **dict.fromkeys(
        [
            "actor_for",
            "assert_compliant",
            "assert_transition",
            "fire_inputs",
            "make_case",
            "parties_for",
            "path_to",
            "sample_value",
        ],
        "klachtflow.testing.walk",
    ),
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
