"""The action table: a procedure's transitions machine, read out once.

:class:`~klachtflow.engine._machine.CompiledMachine` builds and validates one
transitions ``Machine`` per procedure; that machine defines what a fire does.
Triggering it per fire costs a lock, an ``EventData``, the callback lists and
eight ``logging.debug`` calls for what is, in a klachtflow machine, always the
same answer for the same ``(state, action)``. :class:`ActionTable` reads the
machine's ``events`` and their ``transitions`` once and keeps, per
``(state, action)``, the candidates transitions would try, in its order: the
destination (None: an internal transition, the state stays) and the named
conditions (with the outcome each must have). Firing on it is a dict lookup.

The table is immutable, so no lock is needed. A property test
(``tests/engine/test_compiled.py``) asserts over every built-in template that
for every ``(state, action)`` and every outcome of the named conditions the
table and a fresh transitions machine agree: the same target, or both refuse.

:class:`Permissions` precompiles the case-independent part of the permission
decision per ``(state, action)``: whether the action is valid from the state,
the roles it may be done in (sorted, party roles marked) and whether it has
required data, checks or consent. What depends on the case (the Awb 9:7 party
checks, the roles' party membership) stays dynamic; whatever is not a plain
"allowed" goes to :func:`~klachtflow.rules.permissions.decide`, so refusals
keep every reason they had.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from transitions import Machine

from klachtflow.definition.model import Action, Procedure

__all__ = ["ActionTable", "Candidate", "Permissions"]

#: One transition transitions would try: (destination or None, conditions),
#: each condition a (name, outcome it must have) pair.
Candidate = tuple[str | None, tuple[tuple[str, bool], ...]]

ConditionRunner = Callable[[str, Any], bool]


def _condition_name(func: Any) -> str:
    """The condition name behind a transitions condition callable.

    ``CompiledMachine`` registers each named condition as
    ``partial(_condition, run, name)``; a plain string (a model method name)
    is kept as it is.
    """
    if isinstance(func, partial):
        return str(func.args[-1])
    return str(func)


class ActionTable:
    """``(state, action) -> candidates``, read from a built transitions machine."""

    __slots__ = ("_run", "entries")

    def __init__(self, machine: Machine, run_condition: ConditionRunner) -> None:
        entries: dict[tuple[str, str], tuple[Candidate, ...]] = {}
        for action, event in machine.events.items():
            for source, transitions in event.transitions.items():
                entries[source, action] = tuple(
                    (
                        t.dest,
                        tuple(
                            (_condition_name(c.func), bool(c.target))
                            for c in t.conditions
                        ),
                    )
                    for t in transitions
                )
        self.entries: Mapping[tuple[str, str], tuple[Candidate, ...]] = entries
        self._run = run_condition

    def fire(self, state: str, action: str, context: Any) -> tuple[bool, str] | None:
        """(accepted, new state) as transitions' trigger gives it; None when
        transitions would raise (the action is not valid from ``state``).

        ``accepted`` is False when every candidate had a failing condition.
        """
        candidates = self.entries.get((state, action))
        if candidates is None:
            return None
        run = self._run
        for dest, conditions in candidates:
            for name, outcome in conditions:
                if bool(run(name, context)) is not outcome:
                    break
            else:
                return True, state if dest is None else dest
        return False, state


class Permissions:
    """The case-independent part of :func:`decide`, per ``(state, action)``.

    :meth:`role` returns the acting role when the decision is certainly
    "allowed" without looking further than the actor's roles and the case's
    parties, and None when the full decision must be taken (a refusal, or an
    action with separation rules, required data, checks, consent or an
    assigned-only role).
    """

    __slots__ = ("_actions", "_party_roles")

    def __init__(self, procedure: Procedure, valid_from: Mapping[str, frozenset[str]]):
        self._party_roles = frozenset(
            name for name, role in procedure.roles.items() if role.is_party
        )
        actions: dict[tuple[str, str], tuple[str, ...]] = {}
        for state, names in valid_from.items():
            for name in names:
                spec = procedure.actions[name]
                if _simple(spec):
                    actions[state, name] = tuple(sorted(spec.roles))
        self._actions = actions

    def role(
        self,
        state: str,
        action: str,
        roles: frozenset[str],
        parties: Mapping[str, tuple[str, ...]],
        actor: str,
    ) -> str | None:
        """The role ``actor`` acts in when the action is plainly allowed, else None.

        A party role counts only when the actor's id is among that party's ids
        exactly (anything else, e.g. an id stored before normalisation or a
        pseudonym, goes to the full decision).
        """
        ordered = self._actions.get((state, action))
        if ordered is None:
            return None
        for role in ordered:
            if role in roles:
                if role in self._party_roles and actor not in parties.get(role, ()):
                    return None
                return role
        return None


def _simple(action: Action) -> bool:
    """Whether only the state and the acting role decide ``action``.

    Not so with separation rules (Awb 9:7), required data, checks, consent, or
    roles only the assigned person may act in (``wie_toegewezen``): those read
    the case and go through the full decision.
    """
    return not (
        action.separation
        or action.required
        or action.checks
        or action.consent
        or action.assigned_only
    )
