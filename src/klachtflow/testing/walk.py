"""Drive cases through a procedure in tests: actors, data and paths made up for you.

The helpers fill in what an action needs (an actor with a permitted role who is
not excluded, the required data, every consent, notice of an extension), so a
test can say *what* should happen and not repeat how.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from typing import Any

from klachtflow.compliance import check_procedure
from klachtflow.definition.model import DataField, FieldType, Procedure
from klachtflow.engine import Case, Engine, _arguments
from klachtflow.exceptions import InvalidArgument, KlachtflowError
from klachtflow.rules._arguments import check_date, check_instance, check_name
from klachtflow.rules.assignment import assigned_to
from klachtflow.rules.clock import FixedClock
from klachtflow.rules.permissions import Actor

__all__ = [
    "actor_for",
    "assert_compliant",
    "assert_transition",
    "fire_inputs",
    "make_case",
    "parties_for",
    "path_to",
    "sample_value",
]


def _procedure(function: str, procedure: Any) -> Procedure:
    return check_instance(f"{function}(procedure)", procedure, Procedure, "a Procedure")


def _known(parameter: str, value: Any, procedure: Procedure, kind: str) -> str:
    """``value`` if it names an action (``kind="action"``) or state of ``procedure``."""
    check_name(parameter, value)
    known = procedure.actions if kind == "action" else None
    try:
        if known is None:
            procedure.state(value)
        elif value not in known:
            raise KeyError(value)
    except KeyError:
        raise InvalidArgument(
            parameter=parameter,
            value=value,
            expected=f"the name of a{'n' if kind == 'action' else ''} {kind} of "
            f"{procedure.name}",
        ) from None
    return str(value)


def _party_roles(procedure: Procedure) -> list[str]:
    return [name for name, role in procedure.roles.items() if role.is_party]


def parties_for(procedure: Procedure) -> dict[str, list[str]]:
    """One person per party role: ``{"klager": ["klager.1"], ...}``."""
    _procedure("parties_for", procedure)
    return {role: [f"{role}.1"] for role in _party_roles(procedure)}


def sample_value(procedure: Procedure, field: DataField, today: dt.date) -> Any:
    """A valid value for ``field``: text, 1, today, true or the first choice."""
    _procedure("sample_value", procedure)
    check_instance("sample_value(field)", field, DataField, "a DataField")
    check_date("sample_value(today)", today)
    if field.type is FieldType.TEKST:
        return "tekst"
    if field.type is FieldType.GETAL:
        return 1
    if field.type is FieldType.DATUM:
        return today
    if field.type is FieldType.DATUM_TIJD:
        return dt.datetime(today.year, today.month, today.day, 12, tzinfo=dt.UTC)
    if field.type is FieldType.JA_NEE:
        return True
    choices = field.choices or procedure.registration.values(field.choices_from or "")
    return choices[0]


def actor_for(procedure: Procedure, action: str, case: Case | None = None) -> Actor:
    """An actor allowed to perform ``action``: a permitted role, not excluded.

    Party roles are played by the case's party; organisation roles by
    ``<role>.1``, who is never a party.
    """
    _known("actor_for(action)", action, _procedure("actor_for", procedure), "action")
    if case is not None:
        _arguments.case("actor_for(case)", case)
    spec = procedure.actions[action]
    excluded = {t for rule in spec.separation for t in rule.targets}
    for role in sorted(spec.roles):
        if role in spec.assigned_only:
            # Only the assigned person may act in this role (wie_toegewezen).
            who = assigned_to(procedure, role, case.data) if case is not None else None
            if who is not None:
                return Actor(who, roles={role})
            continue
        if procedure.roles[role].is_party:
            members = case.parties.get(role) if case is not None else None
            if members and role not in excluded:
                return Actor(members[0], roles={role})
            continue
        return Actor(f"{role}.1", roles={role})
    msg = f"No actor can perform {action!r} in this test setup (roles: {sorted(spec.roles)})."
    raise AssertionError(msg)


def fire_inputs(
    procedure: Procedure, case: Case, action: str, today: dt.date
) -> dict[str, Any]:
    """Keyword arguments for ``Engine.fire`` that satisfy data, consent and notice.

    An assigning action (``wijs_toe``) assigns the role's test actor
    (``<role>.1``); an action with a ``brief`` gets a letter sent today with
    every recipient, content and attachment it declares.
    """
    _procedure("fire_inputs", procedure)
    _arguments.case("fire_inputs(case)", case)
    _known("fire_inputs(action)", action, procedure, "action")
    check_date("fire_inputs(today)", today)
    spec = procedure.actions[action]
    data: dict[str, Any] = {}
    for name in spec.required:
        if case.data.get(name) in (None, ""):
            data[name] = sample_value(procedure, procedure.fields[name], today)
    for check in spec.checks:
        if check.field in case.data or check.field in data:
            continue
        if check.op == "is":
            data[check.field] = check.value
        elif check.op == "in":
            data[check.field] = check.value[0]
        elif check.value:
            data[check.field] = sample_value(
                procedure, procedure.fields[check.field], today
            )
    if spec.result_field is not None and spec.result_field not in data:
        data[spec.result_field] = sample_value(
            procedure, procedure.fields[spec.result_field], today
        )
    if spec.assigns is not None:  # the role's test actor becomes the assignee
        data[spec.assigns.field] = f"{spec.assigns.role}.1"
    kwargs: dict[str, Any] = {"data": data}
    if spec.notice is not None:
        kwargs["letter"] = {
            "verzonden_op": today,
            "aan": list(spec.notice.recipients),
            "inhoud": list(spec.notice.contents),
            "bijlagen": [a.name for a in spec.notice.attachments],
            "schriftelijk": spec.notice.written,
        }
    parties = _party_roles(procedure)
    if spec.consent is not None or spec.terms.delay:
        kwargs["consent"] = {role: f"instemming van {role}" for role in parties}
    if spec.terms.extend:
        kwargs["notified"] = parties
        extended = [
            c for n, c in case.clocks.items() if n in spec.terms.extend and c.extensions
        ]
        if extended:  # the maximum is (partly) used: ask for the smallest step
            kwargs["extension"] = "1 dag"
    if spec.terms.delay:
        dues = [c.due(today) for c in case.clocks.values() if c.stopped_on is None]
        kwargs["postponed_until"] = max([today, *dues]) + dt.timedelta(days=30)
    return kwargs


def path_to(procedure: Procedure, state: str) -> list[str]:
    """The shortest list of actions from the start state into ``state`` (name or path).

    Actions that wait on a term (``pas_na_verstrijken``, ``alleen_voor_verstrijken``)
    are taken from an end state (where the terms have stopped) before any
    other path, and from elsewhere only when nothing else reaches ``state``,
    since a made-up case fires every step on one day.
    """
    __tracebackhide__ = True  # pytest shows the caller's line, not this helper
    _known("path_to(state)", state, _procedure("path_to", procedure), "state")
    for timed in ("never", "from_end", "always"):
        try:
            return _path_to(procedure, state, timed=timed)
        except AssertionError:
            if timed == "always":
                raise
    raise AssertionError(state)  # pragma: no cover - the loop returns or raises


def _path_to(procedure: Procedure, state: str, *, timed: str) -> list[str]:
    target = procedure.state(state)
    goals = {
        s
        for s in procedure.descendants(target.name)
        if not procedure.states[s].children
    }
    start = procedure.entry_leaf(procedure.initial)
    previous: dict[str, tuple[str, str] | None] = {start: None}
    queue = deque([start])
    while queue:
        leaf = queue.popleft()
        if leaf in goals:
            steps: list[str] = []
            while previous[leaf] is not None:
                leaf, action = previous[leaf]  # type: ignore[misc]
                steps.append(action)
            return steps[::-1]
        for action in procedure.actions_from(leaf):
            if action.target is None:
                continue
            waits = bool(action.after_expiry or action.before_expiry)
            if waits and (
                timed == "never"
                or (timed == "from_end" and not procedure.states[leaf].is_final)
            ):
                continue
            nxt = procedure.entry_leaf(action.target)
            if nxt not in previous:
                previous[nxt] = (leaf, action.name)
                queue.append(nxt)
    msg = f"State {state!r} cannot be reached from {procedure.initial!r}."
    raise AssertionError(msg)


def make_case(
    procedure: Procedure,
    *,
    state: str | None = None,
    engine: Engine | None = None,
    at: dt.datetime | None = None,
    parties: dict[str, list[str]] | None = None,
    data: dict[str, Any] | None = None,
) -> Case:
    """A case in ``state`` (default: the start state), reached by really firing actions.

    Every step goes through the engine, so the case has a real, verifiable
    history and running terms. Without an ``engine``, the case is recorded
    at ``at`` (an engine with a clock standing there), so a case in the past
    is not a backdated one.
    """
    _procedure("make_case", procedure)
    if state is not None:
        _known("make_case(state)", state, procedure, "state")
    if engine is not None:
        check_instance("make_case(engine)", engine, Engine, "an Engine or None")
    if engine is None:
        engine = Engine(procedure, clock=FixedClock(at)) if at else Engine(procedure)
    moment = at or engine.clock.now()
    starter = next(
        (
            Actor(f"{r}.1", roles={r})
            for r, role in procedure.roles.items()
            if not role.is_party
        ),
        Actor("start.1", roles=set(procedure.roles)),
    )
    case = engine.start(
        actor=starter, parties=parties or parties_for(procedure), data=data, at=moment
    )
    for action in path_to(procedure, state) if state else []:
        today = case.history[-1].legal_date
        case = engine.fire(
            case,
            action,
            actor=actor_for(procedure, action, case),
            at=moment,
            **fire_inputs(procedure, case, action, today),
        )
    return case


def assert_transition(
    engine: Engine,
    case: Case,
    action: str,
    *,
    to: str,
    actor: Actor | None = None,
    **fire_kwargs: Any,
) -> Case:
    """Fire ``action`` and assert the case lands in ``to`` (name or dotted path).

    Missing actor, data and consents are made up as in :func:`make_case`.
    Returns the new case; raises ``AssertionError`` with the refusal otherwise.
    The helper's own frames are hidden from pytest's report.
    """
    __tracebackhide__ = True
    check_instance("assert_transition(engine)", engine, Engine, "an Engine")
    _arguments.case("assert_transition(case)", case)
    _known("assert_transition(action)", action, engine.procedure, "action")
    _known("assert_transition(to)", to, engine.procedure, "state")
    if actor is not None:
        _arguments.actor("assert_transition(actor)", actor)
    fire_kwargs = _arguments.renamed_keywords(
        "assert_transition", fire_kwargs, _arguments.FIRE_KEYWORDS, stacklevel=4
    )
    procedure = engine.procedure
    today = case.history[-1].legal_date
    kwargs = {**fire_inputs(procedure, case, action, today), **fire_kwargs}
    try:
        after = engine.fire(
            case, action, actor=actor or actor_for(procedure, action, case), **kwargs
        )
    except KlachtflowError as error:
        msg = f"{action!r} was refused from {case.state!r}: {error}"
        raise AssertionError(msg) from None  # the refusal is in the message
    expected = procedure.state(to)
    if after.status != expected.name:
        msg = f"{action!r} led to {after.state!r}, expected {expected.path!r}."
        raise AssertionError(msg)
    return after


def assert_compliant(procedure: Procedure, *, packs: list[str] | None = None) -> None:
    """Assert the procedure has no finding of severity fout in its rule packs."""
    __tracebackhide__ = True
    _procedure("assert_compliant", procedure)
    if packs is not None:
        _arguments.check_names("assert_compliant(packs)", packs)
    report = check_procedure(procedure, packs=packs)
    if not report.compliant:
        lines = [
            f"{procedure.source}:{f.line}:{f.column} {f.code} ({f.article}): {f.message}"
            for f in report.errors
        ]
        msg = "The procedure does not comply:\n" + "\n".join(lines)
        raise AssertionError(msg)
