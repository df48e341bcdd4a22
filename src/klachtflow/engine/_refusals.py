"""From a refused decision to the exception ``Engine.fire`` raises.

A decision may hold several reasons; the exception reports the first in this
order: status, role, separation of duties, data, checks, consent.
"""

from __future__ import annotations

from klachtflow.definition.model import Action
from klachtflow.engine.case import Case
from klachtflow.exceptions import (
    ConditionNotMet,
    ConsentMissing,
    MissingData,
    NotPermitted,
    SeparationOfDutiesViolation,
    TransitionError,
    TransitionNotAllowed,
)
from klachtflow.rules.permissions import Actor, Decision, ReasonKind

__all__ = ["refusal"]

_ORDER = (
    ReasonKind.STATUS,
    ReasonKind.ROL,
    ReasonKind.SCHEIDING,
    ReasonKind.GEGEVENS,
    ReasonKind.CONTROLE,
    ReasonKind.INSTEMMING,
)


def refusal(
    case: Case, action: Action, actor: Actor, decision: Decision
) -> TransitionError:
    """The exception for a refused fire: the first reason, in reporting order."""
    where = {"case_id": case.id, "state": case.state, "action": action.name}
    reason = min(decision.reasons, key=lambda r: _ORDER.index(r.kind))
    details = reason.details
    if reason.kind is ReasonKind.STATUS:
        return TransitionNotAllowed(**where, allowed=details["toegestaan"])
    if reason.kind is ReasonKind.ROL:
        return NotPermitted(
            **where,
            actor=actor.id,
            roles=actor.roles,
            required_roles=action.roles,
            detail=details.get("detail", ""),
        )
    if reason.kind is ReasonKind.SCHEIDING:
        return SeparationOfDutiesViolation(
            **where,
            actor=actor.id,
            rule=details["regel"],
            basis=details["grondslag"],
            message=reason.message,
        )
    if reason.kind is ReasonKind.GEGEVENS:
        return MissingData(**where, fields=details["velden"])
    if reason.kind is ReasonKind.CONTROLE:
        return ConditionNotMet(**where, failed=details["controles"])
    return ConsentMissing(
        **where,
        missing=details["partijen"],
        written=details["schriftelijk"],
        basis=details["grondslag"],
    )
