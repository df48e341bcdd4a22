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

import calendar
import datetime as dt
import enum
import warnings
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from klachtflow.definition.model import (
    Action,
    DataCheck,
    Duration,
    Procedure,
    SeparationKind,
    SeparationRule,
    Unit,
)
from klachtflow.rules import _renamed
from klachtflow.rules._arguments import (
    check_name,
    check_names,
    check_person,
    normalise_id,
)
from klachtflow.rules.assignment import assigned_to, assigning_actions

__all__ = [
    "Actor",
    "Decision",
    "Reason",
    "ReasonKind",
    "check_passes",
    "decide",
    "normalise_id",
    "party_exclusion",
]


def _roles(value: Iterable[str]) -> frozenset[str]:
    if isinstance(value, str):
        return frozenset({check_name("Actor(roles)", value)})
    return frozenset(check_names("Actor(roles)", value) or ())


def _person(value: str) -> str:
    return check_person("Actor(id)", value)


def _same(person: str, people: Iterable[str]) -> bool:
    """Whether ``person`` (normalised) is one of ``people`` (normalised here too:
    ids stored before normalisation compare the same way)."""
    return any(person == p or person == normalise_id(p) for p in people)


@attrs.frozen(init=False)
class Actor:
    """Someone who acts: a person or system id and the roles they hold.

    ``Actor("m.devries", roles={"behandelaar"})``; ``rollen`` is the
    deprecated name of ``roles`` (as keyword and attribute), until 0.3.0.

    For party roles (klager, beklaagde) holding the role is not enough: the
    actor must also be that party on the case. The id is normalised
    (:func:`~klachtflow.rules._arguments.normalise_id`: NFKC, case folded,
    stripped), so ``Actor("J.Smit").id == "j.smit"``: Awb 9:7 compares people,
    not spellings. A wrong id or role raises
    :class:`~klachtflow.exceptions.InvalidArgument`.
    """

    id: str = attrs.field(converter=_person)
    roles: frozenset[str] = attrs.field(converter=_roles, factory=frozenset)

    def __init__(
        self, id: str, roles: Iterable[str] | None = None, **renamed: Any
    ) -> None:
        if renamed:
            roles = _renamed.renamed("Actor", renamed, {"roles": roles})["roles"]
        self.__attrs_init__(id, () if roles is None else roles)

    @property
    def rollen(self) -> frozenset[str]:
        """Deprecated: the roles (use :attr:`roles`; removed in 0.3.0)."""
        warnings.warn(
            f"Actor.rollen is deprecated and will be removed in klachtflow "
            f"{_renamed.REMOVED_IN}; use Actor.roles",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.roles


class ReasonKind(enum.Enum):
    """Why an action is refused, in the order the engine reports them."""

    STATUS = "status"
    ROL = "rol"
    SCHEIDING = "scheiding"
    GEGEVENS = "gegevens"
    CONTROLE = "controle"
    INSTEMMING = "instemming"
    VOORWAARDE = "voorwaarde"
    #: The actor has the role, but the case is assigned to someone else.
    TOEWIJZING = "toewijzing"
    #: The letter the action sends is missing or incomplete.
    BRIEF = "brief"


#: Reasons that depend on what the caller supplies with ``fire`` (data, consent),
#: not on the case itself; ``allowed_actions`` does not count them.
INPUT_KINDS = frozenset({ReasonKind.GEGEVENS, ReasonKind.INSTEMMING, ReasonKind.BRIEF})


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


def _shift(day: dt.date, duration: Duration, sign: int) -> dt.date:
    """``day`` moved by ``duration`` (months and years clip to the month's end)."""
    n = duration.amount * sign
    if duration.unit in (Unit.MAANDEN, Unit.JAREN):
        months = n * (12 if duration.unit is Unit.JAREN else 1)
        index = day.year * 12 + day.month - 1 + months
        year, month = divmod(index, 12)
        last = calendar.monthrange(year, month + 1)[1]
        return dt.date(year, month + 1, min(day.day, last))
    days = n * 7 if duration.unit is Unit.WEKEN else n
    return day + dt.timedelta(days=days)


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def check_passes(check: DataCheck, data: Mapping[str, Any]) -> bool:
    """Whether a declarative data check holds for ``data``.

    ``voor``/``na`` compare dates (with the other field's date when the value
    names a field), shifted by the margin: ``datum_gedraging voor
    datum_ontvangst marge 1 jaar`` holds when the conduct lies more than a year
    before receipt (Awb 9:8 lid 1 onder b). A comparison with an empty field
    does not hold.
    """
    present = check.field in data and data[check.field] not in (None, "")
    if check.op == "aanwezig":
        return present is bool(check.value)
    if not present:
        return False
    value = data[check.field]
    other = check.other_field
    if other is not None:
        if data.get(other) in (None, ""):
            return False
        against = data[other]
    else:
        against = check.value
    if check.op in ("voor", "na"):
        mine, theirs = _as_date(value), _as_date(against)
        if mine is None or theirs is None:
            return False
        if check.margin is not None:
            theirs = _shift(theirs, check.margin, -1 if check.op == "voor" else 1)
        return mine < theirs if check.op == "voor" else mine > theirs
    if check.op == "gelijk_aan_veld":
        return bool(value == against)
    if check.op == "anders_dan_veld":
        return bool(value != against)
    if check.op == "in":
        return value in check.value
    return bool(value == check.value)


def _basis_text(rule: SeparationRule) -> tuple[str, ...]:
    return tuple(str(b) for b in rule.basis)


def _is(ids: frozenset[str], members: Iterable[str]) -> bool:
    """Whether any of the actor's ids (its id, its pseudonym) is among ``members``
    (normalised here too, so ids stored before normalisation compare the same)."""
    return any(_same(i, members) for i in ids)


def _separation(  # noqa: PLR0917 - the facts one rule reads
    rule: SeparationRule,
    actor: Actor,
    parties: Mapping[str, Iterable[str]],
    performers: Mapping[str, Iterable[str]],
    data: Mapping[str, Any],
    ids: frozenset[str],
    setters: Mapping[str, str],
) -> Reason | None:
    if rule.unless and all(check_passes(c, data) for c in rule.unless):
        # The exception (e.g. Awb 9:7 lid 2) holds only on what the case said
        # before this action, and never when a target of the rule declared it.
        declared_by = {setters[c.field] for c in rule.unless if c.field in setters}
        if not (
            rule.kind is SeparationKind.NIET_PARTIJ
            and any(
                who in parties.get(role, ())
                for who in declared_by
                for role in rule.targets
            )
        ):
            return None
    if rule.kind is SeparationKind.NIET_PARTIJ:
        hit = [role for role in rule.targets if _is(ids, parties.get(role, ()))]
        if not hit:
            return None
        message = rule.message or (
            f"{actor.id} is in deze zaak {hit[0]} en mag deze actie daarom niet uitvoeren."
        )
    else:
        hit = [name for name in rule.targets if _is(ids, performers.get(name, ()))]
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


def party_exclusion(
    action: Action,
    person: Actor,
    parties: Mapping[str, Iterable[str]],
    prior: Mapping[str, Any],
    setters: Mapping[str, str],
) -> Reason | None:
    """The first ``niet_partij`` rule of ``action`` that excludes ``person``.

    Used for the person an action assigns (Awb 9:7 lid 1): the rule that keeps
    the beklaagde from acting keeps them from being assigned too, with the
    same exceptions judged on ``prior``.
    """
    for rule in action.separation:
        if rule.kind is not SeparationKind.NIET_PARTIJ:
            continue
        reason = _separation(
            rule, person, parties, {}, prior, frozenset({person.id}), setters
        )
        if reason is not None:
            return reason
    return None


def _acting_role(  # noqa: PLR0917 - the facts of one decision
    procedure: Procedure,
    action: Action,
    actor: Actor,
    parties: Mapping[str, Iterable[str]],
    ids: frozenset[str],
    blocked: Mapping[str, str | None],
) -> tuple[str | None, str]:
    """The role the actor acts in, or None with the detail why none fits.

    ``blocked`` roles are assigned to someone else (or nobody yet).
    """
    candidates = sorted(actor.roles & action.roles)
    not_party = []
    for role in candidates:
        if role in blocked:
            continue
        spec = procedure.roles.get(role)
        if spec is not None and spec.is_party and not _is(ids, parties.get(role, ())):
            not_party.append(role)
            continue
        return role, ""
    if not_party:
        return None, f"{actor.id} is in deze zaak geen {', '.join(not_party)}."
    return None, ""


def _blocked(
    procedure: Procedure,
    action: Action,
    ids: frozenset[str],
    data: Mapping[str, Any],
) -> dict[str, str | None]:
    """Roles of ``wie_toegewezen`` the actor may not act in → who is assigned."""
    blocked: dict[str, str | None] = {}
    for role in action.assigned_only:
        who = assigned_to(procedure, role, data)
        if who is None or not _is(ids, (who,)):
            blocked[role] = who
    return blocked


def _not_assigned(
    procedure: Procedure,
    action: Action,
    actor: Actor,
    role: str,
    blocked: Mapping[str, str | None],
) -> Reason:
    who = blocked[role]
    message = f"{actor.id} is niet de toegewezen {role}" + (
        f"; dat is {who}." if who else f"; er is nog geen {role} toegewezen."
    )
    return Reason(
        ReasonKind.TOEWIJZING,
        message,
        {
            "rol": role,
            "toegewezen": who,
            "toewijzing": assigning_actions(procedure, role),
        },
    )


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
    aliases: Iterable[str] = (),
    prior: Mapping[str, Any] | None = None,
    setters: Mapping[str, str] | None = None,
) -> Decision:
    """Every reason ``actor`` may not perform ``action`` now (state, role,
    separation, data, checks, consent). Named conditions are evaluated by the
    engine.

    ``valid_here`` (the actions valid from ``state``) may be passed when the
    caller has it precomputed. ``data`` is the case data merged with what the
    caller supplies; with
    ``inputs_pending`` (for ``allowed_actions``) data checks on fields not yet
    on the case count as "to be supplied" and pass.

    ``aliases`` are other ids of the same actor: the engine passes the actor's
    pseudonym, so a party whose name erasure replaced is still recognised
    (Awb 9:7 keeps comparing the same person).

    The exceptions (``tenzij``) of separation rules are judged on ``prior``,
    the case data before this action (so the actor cannot declare them in the
    same act), and do not hold when ``setters`` (field -> who set it last)
    says a target of the rule declared them.
    """
    ids = frozenset((actor.id, *aliases))
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
    blocked = _blocked(procedure, action, ids, data if prior is None else prior)
    role, detail = _acting_role(procedure, action, actor, parties, ids, blocked)
    held = sorted(set(blocked) & actor.roles)
    if role is None and held:
        reasons.append(_not_assigned(procedure, action, actor, held[0], blocked))
    elif role is None:
        reasons.append(
            Reason(
                ReasonKind.ROL,
                f"{actor.id} heeft geen van de rollen {', '.join(sorted(action.roles))}."
                + (f" {detail}" if detail else ""),
                {"nodig": tuple(sorted(action.roles)), "detail": detail},
            )
        )
    for rule in action.separation:
        reason = _separation(
            rule,
            actor,
            parties,
            performers,
            data if prior is None else prior,
            ids,
            setters or {},
        )
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
