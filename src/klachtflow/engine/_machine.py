"""Compile a Procedure into ONE transitions Machine, shared by all cases.

Settings (house style §3.7): no model attached (``model=None``), no
``to_<state>`` backdoors (``auto_transitions=False``), ``send_event=True`` so
callbacks receive EventData, invalid triggers raise. Cases are never added to
the machine: each fire uses a throw-away :class:`_Token` that only carries the
state, and the event is triggered on it directly, so nothing accumulates
(transitions issues #434, #379).

Nested states are compiled, not delegated: the machine's states are the leaf
paths (``formele_klacht.onderzoek``); an action declared on a parent state
becomes a transition from each leaf below it, and a transition into a parent
lands in its start child. The engine derives which states were entered and
left from the dotted paths. This keeps a fire on a flat ``Machine`` (about
13 µs here) instead of ``HierarchicalMachine`` (about 30 µs), with the same
behaviour for the procedures klachtflow accepts (no parallel states).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from typing import Any

from transitions import Machine
from transitions.core import MachineError

from klachtflow.definition.model import Procedure
from klachtflow.engine._compiled import ActionTable

__all__ = ["CompiledMachine", "MachineError"]


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

        leaves = [s for s in procedure.states.values() if not s.children]
        transitions = []
        for action in procedure.actions.values():
            conditions = [
                partial(_condition, run_condition, name) for name in action.conditions
            ]
            dest = (
                procedure.states[procedure.entry_leaf(action.target)].path
                if action.target
                else None
            )
            for source in action.sources:
                for leaf in procedure.descendants(source):
                    if procedure.states[leaf].children:
                        continue
                    transitions.append(
                        {
                            "trigger": action.name,
                            "source": procedure.states[leaf].path,
                            "dest": dest,
                            "conditions": conditions,
                        }
                    )
        self._machine = Machine(
            model=None,
            states=[s.path for s in leaves],
            transitions=transitions,
            initial=procedure.states[procedure.entry_leaf(procedure.initial)].path,
            auto_transitions=False,
            send_event=True,
            ignore_invalid_triggers=False,
            queued=False,
            model_attribute="state",
        )
        # The lock guards the transitions machine (``trigger``, ``triggers``);
        # the engine fires on ``table``, read from it once and immutable.
        self._lock = threading.Lock()
        self.table = ActionTable(self._machine, run_condition)
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
        """Fire ``action`` from ``state`` on transitions; return (accepted, new state).

        The reference semantics of :attr:`table` (the engine fires on the
        table; the property test compares the two).

        ``False`` means a named condition failed. Raises ``MachineError`` when
        the action is not valid from ``state``.
        """
        token = _Token(state)
        event = self._machine.events.get(action)
        if event is None:
            msg = f"unknown trigger {action!r}"
            raise MachineError(msg)
        with self._lock:
            accepted = event.trigger(token, context=context)
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
