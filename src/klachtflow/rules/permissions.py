"""WHO may do what: roles, parties, separation of duties, consent, data checks.

:func:`decide` is pure: it takes the facts of a case (state, parties, data,
who performed what) and returns a :class:`Decision` with every reason an
action is refused. The engine raises the matching exception; user interfaces
show the reasons without catching anything.

Awb 9:7 lid 1: "De behandeling van een klacht geschiedt door een persoon die
niet bij de gedraging waarop de klacht betrekking heeft, betrokken is geweest."
A procedure encodes it as ``scheiding: [{niet_partij: beklaagde}]``, with the
lid 2 exception (complaints about the organ itself) as ``tenzij``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from klachtflow.definition.model import (
    Action,
    DataCheck,
    Procedure,
    SeparationKind,
    SeparationRule,
)
from klachtflow.rules._arguments import (
    check_name,
    check_names,
    check_person,
    normalise_id,
)

__all__ = [
    "Actor",
    "Decision",
    "Reason",
    "ReasonKind",
    "check_passes",
    "decide",
    "normalise_id",
]


def _roles(value: Iterable[str]) -> frozenset[str]:
    if isinstance(value, str):
        return frozenset({check_name("Actor(rollen)", value)})
    return frozenset(check_names("Actor(rollen)", value) or ())


def _person(value: str) -> str:
    return check_person("Actor(id)", value)


def _same(person: str, people: Iterable[str]) -> bool:
    """Whether ``person`` (normalised) is one of ``people`` (normalised here too:
    ids stored before normalisation compare the same way)."""
    return any(person == p or person == normalise_id(p) for p in people)


@attrs.frozen
class Actor:
    """Someone who acts: a person or system id and the roles they hold.

    For party roles (klager, beklaagde) holding the role is not enough: the
    actor must also be that party on the case. The id is normalised
    (:func:`~klachtflow.rules._arguments.normalise_id`: NFKC, case folded,
    stripped), so ``Actor("J.Smit").id == "j.smit"``: Awb 9:7 compares people,
    not spellings. A wrong id or role raises
    :class:`~klachtflow.exceptions.InvalidArgument`.
    """

    id: str = attrs.field(converter=_person)
    rollen: frozenset[str] = attrs.field(converter=_roles, factory=frozenset)


class ReasonKind(enum.Enum):
    """Why an action is refused, in the order the engine reports them."""

    STATUS = "status"
    ROL = "rol"
    SCHEIDING = "scheiding"
    GEGEVENS = "gegevens"
    CONTROLE = "controle"
    INSTEMMING = "instemming"
    VOORWAARDE = "voorwaarde"


#: Reasons that depend on what the caller supplies with ``fire`` (data, consent),
#: not on the case itself; ``allowed_actions`` does not count them.
INPUT_KINDS = frozenset({ReasonKind.GEGEVENS, ReasonKind.INSTEMMING})


@attrs.frozen
class Reason:
    """One reason, with a Dutch message and the data behind it."""

    kind: ReasonKind
    message: str
    details: Mapping[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class Decision:
    """Whether an actor may perform an action now, and every reason if not.

    ``role`` is the role the actor would act in.
    """

    allowed: bool
    reasons: tuple[Reason, ...] = ()
    role: str | None = None

    def __bool__(self) -> bool:
        return self.allowed


def check_passes(check: DataCheck, data: Mapping[str, Any]) -> bool:
    """Whether a declarative data check holds for ``data``."""
    present = check.field in data and data[check.field] not in (None, "")
    if check.op == "aanwezig":
        return present is bool(check.value)
    if not present:
        return False
    value = data[check.field]
    if check.op == "in":
        return value in check.value
    return bool(value == check.value)


def _basis_text(rule: SeparationRule) -> tuple[str, ...]:
    return tuple(str(b) for b in rule.basis)


def _separation(
    rule: SeparationRule,
    actor: Actor,
    parties: Mapping[str, Iterable[str]],
    performers: Mapping[str, Iterable[str]],
    data: Mapping[str, Any],
) -> Reason | None:
    if rule.unless and all(check_passes(c, data) for c in rule.unless):
        return None
    if rule.kind is SeparationKind.NIET_PARTIJ:
        hit = [role for role in rule.targets if _same(actor.id, parties.get(role, ()))]
        if not hit:
            return None
        message = rule.message or (
            f"{actor.id} is in deze zaak {hit[0]} en mag deze actie daarom niet uitvoeren."
        )
    else:
        hit = [
            name for name in rule.targets if _same(actor.id, performers.get(name, ()))
        ]
        if not hit:
            return None
        message = rule.message or (
            f"{actor.id} voerde in deze zaak '{hit[0]}' uit en mag deze actie daarom "
            "niet ook uitvoeren."
        )
    return Reason(
        ReasonKind.SCHEIDING,
        message,
        {
            "regel": f"{rule.kind.value}: {', '.join(rule.targets)}",
            "grondslag": _basis_text(rule),
        },
    )


def _acting_role(
    procedure: Procedure,
    action: Action,
    actor: Actor,
    parties: Mapping[str, Iterable[str]],
) -> tuple[str | None, str]:
    """The role the actor acts in, or None with the detail why none fits."""
    candidates = sorted(actor.rollen & action.roles)
    not_party = []
    for role in candidates:
        spec = procedure.roles.get(role)
        if (
            spec is not None
            and spec.is_party
            and not _same(actor.id, parties.get(role, ()))
        ):
            not_party.append(role)
            continue
        return role, ""
    if not_party:
        return None, f"{actor.id} is in deze zaak geen {', '.join(not_party)}."
    return None, ""


def decide(
    procedure: Procedure,
    action: Action,
    actor: Actor,
    *,
    state: str,
    parties: Mapping[str, Iterable[str]],
    data: Mapping[str, Any],
    performers: Mapping[str, Iterable[str]],
    consents: Mapping[str, str | None] | None = None,
    inputs_pending: bool = False,
    valid_here: Iterable[str] | None = None,
) -> Decision:
    """Every reason ``actor`` may not perform ``action`` now (state, role,
    separation, data, checks, consent). Named conditions are evaluated by the
    engine.

    ``valid_here`` (the actions valid from ``state``) may be passed when the
    caller has it precomputed. ``data`` is the case data merged with what the
    caller supplies; with
    ``inputs_pending`` (for ``allowed_actions``) data checks on fields not yet
    on the case count as "to be supplied" and pass.
    """
    reasons: list[Reason] = []
    if valid_here is None:
        valid_here = {a.name for a in procedure.actions_from(state)}
    if action.name not in valid_here:
        reasons.append(
            Reason(
                ReasonKind.STATUS,
                f"'{action.name}' kan niet vanuit status '{procedure.states[state].path}'.",
                {"toegestaan": tuple(sorted(valid_here))},
            )
        )
    role, detail = _acting_role(procedure, action, actor, parties)
    if role is None:
        reasons.append(
            Reason(
                ReasonKind.ROL,
                f"{actor.id} heeft geen van de rollen {', '.join(sorted(action.roles))}."
                + (f" {detail}" if detail else ""),
                {"nodig": tuple(sorted(action.roles)), "detail": detail},
            )
        )
    for rule in action.separation:
        reason = _separation(rule, actor, parties, performers, data)
        if reason is not None:
            reasons.append(reason)
    missing = (
        [f for f in action.required if data.get(f) in (None, "")]
        if action.required and not inputs_pending
        else []
    )
    if missing:
        reasons.append(
            Reason(
                ReasonKind.GEGEVENS,
                f"Ontbrekende gegevens: {', '.join(missing)}.",
                {"velden": tuple(missing)},
            )
        )
    failed = (
        [
            str(check)
            for check in action.checks
            if not (inputs_pending and check.field not in data)
            and not check_passes(check, data)
        ]
        if action.checks
        else []
    )
    if failed:
        reasons.append(
            Reason(
                ReasonKind.CONTROLE,
                f"Niet voldaan aan: {'; '.join(failed)}.",
                {"controles": tuple(failed)},
            )
        )
    if action.consent is not None and not inputs_pending:
        lacking = [
            party
            for party in action.consent.parties
            if party not in (consents or {})
            or (action.consent.written and not (consents or {})[party])
        ]
        if lacking:
            reasons.append(
                Reason(
                    ReasonKind.INSTEMMING,
                    f"Instemming ontbreekt van: {', '.join(lacking)}.",
                    {
                        "partijen": tuple(lacking),
                        "schriftelijk": action.consent.written,
                        "grondslag": tuple(str(b) for b in action.consent.basis),
                    },
                )
            )
    return Decision(allowed=not reasons, reasons=tuple(reasons), role=role)
