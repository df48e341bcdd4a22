"""Named conditions: registered in Python by the host, named in YAML.

YAML never holds expressions (no eval): ``voorwaarden: [klager_gehoord]``
names a function the host registers::

    conditions = Conditions()

    @conditions.register("klager_gehoord")
    def klager_gehoord(ctx: ConditionContext) -> bool:
        return ctx.data.get("hoorverslag") is not None
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from klachtflow.rules.permissions import Actor

if TYPE_CHECKING:
    from klachtflow.engine.case import Case

__all__ = ["ConditionContext", "ConditionFunction", "Conditions"]


@attrs.frozen
class ConditionContext:
    """What a condition sees: the case before the action, the actor, the
    action, the data as it would be after the action, and the moment."""

    case: Case
    actor: Actor
    action: str
    data: Mapping[str, Any]
    at: dt.datetime


ConditionFunction = Callable[[ConditionContext], bool]


class Conditions:
    """A registry of named conditions for one engine (no global registry)."""

    def __init__(
        self, functions: Mapping[str, ConditionFunction] | None = None
    ) -> None:
        self._functions: dict[str, ConditionFunction] = dict(functions or {})

    def register(self, name: str) -> Callable[[ConditionFunction], ConditionFunction]:
        """Decorator: register the function under ``name``."""

        def decorate(function: ConditionFunction) -> ConditionFunction:
            self.add(name, function)
            return function

        return decorate

    def add(self, name: str, function: ConditionFunction) -> None:
        """Register ``function`` under ``name``; a name is registered once."""
        if name in self._functions:
            msg = f"Condition {name!r} is already registered."
            raise ValueError(msg)
        self._functions[name] = function

    def __contains__(self, name: object) -> bool:
        return name in self._functions

    def __iter__(self) -> Iterator[str]:
        return iter(self._functions)

    def __getitem__(self, name: str) -> ConditionFunction:
        return self._functions[name]
