"""Compile a Procedure into ONE transitions HierarchicalMachine, shared by all cases.

Settings (house style §3.7): no model attached (``model=None``), no
``to_<state>`` backdoors (``auto_transitions=False``), ``send_event=True`` so
callbacks receive EventData, invalid triggers raise. Cases are never added to
the machine: each fire uses a throw-away :class:`_Token` that only carries the
state, and ``trigger_event`` works on it directly, so nothing accumulates
(transitions issues #434, #379).

Nested states use ``.`` as separator through a subclass, never by changing the
library's class attribute globally.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from typing import Any

from transitions.core import MachineError
from transitions.extensions.nesting import HierarchicalMachine, NestedState

from klachtflow.definition.model import Procedure

__all__ = ["CompiledMachine", "MachineError"]


class _State(NestedState):
    separator = "."


class _Machine(HierarchicalMachine):
    state_cls = _State


class _Token:
    """The only object transitions ever sees: a mutable holder of the state."""

    __slots__ = ("state",)

    def __init__(self, state: str) -> None:
        self.state = state


ConditionRunner = Callable[[str, Any], bool]


class CompiledMachine:
    """A procedure compiled once; ``trigger`` moves a state, thread-safely."""

    def __init__(self, procedure: Procedure, run_condition: ConditionRunner) -> None:
        self.procedure = procedure

        def node(name: str) -> dict[str, Any]:
            state = procedure.states[name]
            spec: dict[str, Any] = {"name": name}
            if state.children:
                spec["children"] = [node(child) for child in state.children]
                spec["initial"] = next(
                    c for c in state.children if procedure.states[c].is_initial
                )
            return spec

        states = [node(n) for n, s in procedure.states.items() if s.parent is None]
        transitions = []
        for action in procedure.actions.values():
            conditions = [
                partial(_condition, run_condition, name) for name in action.conditions
            ]
            for source in action.sources:
                transitions.append(
                    {
                        "trigger": action.name,
                        "source": procedure.states[source].path,
                        "dest": procedure.states[action.target].path
                        if action.target
                        else None,
                        "conditions": conditions,
                    }
                )
        self._machine = _Machine(
            model=None,
            states=states,
            transitions=transitions,
            initial=procedure.initial,
            auto_transitions=False,
            send_event=True,
            ignore_invalid_triggers=False,
            queued=False,
            model_attribute="state",
        )
        self._lock = threading.Lock()
        # The leaf a case lands in when it enters each state, and the actions
        # valid from each leaf: derived once, read on every fire.
        self.entry = {
            name: procedure.states[procedure.entry_leaf(name)].path
            for name in procedure.states
        }
        self.valid_from = {
            procedure.states[name].path: frozenset(
                a.name for a in procedure.actions_from(name)
            )
            for name, state in procedure.states.items()
            if not state.children
        }

    @property
    def initial_state(self) -> str:
        """The dotted path of the leaf a new case starts in."""
        return self.entry[self.procedure.initial]

    @property
    def model_count(self) -> int:
        """Models attached to the shared machine: always zero."""
        return len(self._machine.models)

    def trigger(self, state: str, action: str, context: Any) -> tuple[bool, str]:
        """Fire ``action`` from ``state``; return (accepted, new state).

        ``False`` means a named condition failed. Raises ``MachineError`` when
        the action is not valid from ``state``.
        """
        token = _Token(state)
        with self._lock:
            accepted = self._machine.trigger_event(token, action, context=context)
        return bool(accepted), token.state

    def triggers(self, state: str) -> list[str]:
        """The actions transitions offers from ``state``."""
        with self._lock:
            return list(self._machine.get_triggers(state))

    def has_backdoors(self) -> bool:
        """Whether any ``to_<state>`` trigger exists (never, by construction)."""
        return any(name.startswith("to_") for name in self._machine.events)


def _condition(run: ConditionRunner, name: str, event_data: Any) -> bool:
    return run(name, event_data.kwargs["context"])
