"""From a refused decision to the exception ``Engine.fire`` raises.

A decision may hold several reasons; the exception reports the first in this
order: status, role, assignment, separation of duties, data, checks, consent,
letter.
"""

from __future__ import annotations

from klachtflow.definition.model import Action
from klachtflow.engine.case import Case
from klachtflow.exceptions import (
    AssignmentRefused,
    ConditionNotMet,
    ConsentMissing,
    LetterRefused,
    MissingData,
    NotAssigned,
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
    ReasonKind.TOEWIJZING,
    ReasonKind.SCHEIDING,
    ReasonKind.GEGEVENS,
    ReasonKind.CONTROLE,
    ReasonKind.INSTEMMING,
    ReasonKind.BRIEF,
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
    if reason.kind is ReasonKind.TOEWIJZING and "veld" in details:
        return AssignmentRefused(
            **where,
            field=details["veld"],
            message=reason.message,
            hint=details["hint"],
            basis=details.get("grondslag", ()),
        )
    if reason.kind is ReasonKind.TOEWIJZING:
        return NotAssigned(
            **where,
            actor=actor.id,
            role=details["rol"],
            assigned=details["toegewezen"],
            assigning=details["toewijzing"],
        )
    if reason.kind is ReasonKind.BRIEF:
        return LetterRefused(
            **where, problems=details["problemen"], basis=details.get("grondslag", ())
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
