"""Who is assigned to handle a case in a role (issue #17 item 3).

An action with ``wijs_toe: {rol: behandelaar, veld: behandelaar}`` records the
id of the assigned person in the data field; an action with
``wie_toegewezen: [behandelaar]`` may be performed in that role only by the
person the field names now. Awb 9:7 lid 1 (BWBR0005537): "De behandeling van
de klacht geschiedt door een persoon die niet bij de gedraging betrokken is
geweest": the person, not anyone who holds the role.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from klachtflow.definition.model import Action, Procedure
from klachtflow.rules._arguments import normalise_id

__all__ = ["assigned_to", "assigning_actions", "assignment_fields"]


def assigning_actions(procedure: Procedure, role: str) -> tuple[str, ...]:
    """The actions that assign ``role``, in declaration order."""
    return tuple(
        a.name
        for a in procedure.actions.values()
        if a.assigns is not None and a.assigns.role == role
    )


def assignment_fields(procedure: Procedure) -> dict[str, tuple[Action, ...]]:
    """Each data field that holds an assignment → the actions that may set it."""
    found: dict[str, list[Action]] = {}
    for action in procedure.actions.values():
        if action.assigns is not None:
            found.setdefault(action.assigns.field, []).append(action)
    return {k: tuple(v) for k, v in found.items()}


def assigned_to(procedure: Procedure, role: str, data: Mapping[str, Any]) -> str | None:
    """The (normalised) id of the person assigned to ``role``, or None."""
    for name in assigning_actions(procedure, role):
        assignment = procedure.actions[name].assigns
        value = data.get(assignment.field) if assignment is not None else None
        if isinstance(value, str) and value.strip():
            return normalise_id(value)
    return None
