"""The argument checks of the engine's and the store's public methods.

Each function checks the arguments of one public method (the names in the
refusals are ``method(parameter)``) with the rules and limits of
:mod:`klachtflow.rules._arguments`, and returns what the method needs
normalised (person ids). A refusal is an
:class:`~klachtflow.exceptions.InvalidArgument`, raised before anything is
decided, hashed or stored; the methods call these in their first line.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from klachtflow.definition.model import Duration, Procedure
from klachtflow.engine.case import Case, Event
from klachtflow.engine.conditions import Conditions
from klachtflow.exceptions import InvalidArgument
from klachtflow.rules._arguments import (
    MAX_ID_LENGTH,
    MAX_ITEMS,
    check_date,
    check_instance,
    check_int,
    check_mapping,
    check_moment,
    check_name,
    check_names,
    check_person,
    check_text,
    check_values,
    plain_names,
)
from klachtflow.rules._renamed import RENAMED, renamed
from klachtflow.rules.calendar import AtwCalendar
from klachtflow.rules.permissions import Actor

__all__ = [
    "FIRE_KEYWORDS",
    "START_KEYWORDS",
    "actor",
    "case",
    "case_list",
    "cases",
    "check_data",
    "check_names",
    "engine",
    "explain",
    "find",
    "fire",
    "keywords",
    "lease",
    "limit",
    "listeners",
    "migrate",
    "monitoring",
    "new_id",
    "now",
    "open_store",
    "parties",
    "period",
    "procedure",
    "renamed_keywords",
    "restore",
    "start",
]

#: The keyword arguments of ``Engine.start`` and ``Engine.fire`` (for the
#: store's ``start`` and ``fire``, which pass them on).
START_KEYWORDS = frozenset({"actor", "parties", "data", "at", "reason", "case_id"})
FIRE_KEYWORDS = frozenset(
    {
        "data",
        "reason",
        "at",
        "consent",
        "notified",
        "extension",
        "postponed_until",
        "letter",
    }
)


def keywords(method: str, given: Mapping[str, Any], known: frozenset[str]) -> None:
    """Refuse keyword arguments ``method`` does not have."""
    unknown = sorted(set(given) - known)
    if unknown:
        raise InvalidArgument(
            parameter=f"{method}({unknown[0]})",
            value=given[unknown[0]],
            expected=f"one of the keyword arguments {', '.join(sorted(known))}",
            detail=f"{method} has no argument '{unknown[0]}'",
        )


def renamed_keywords(
    method: str,
    given: Mapping[str, Any],
    known: frozenset[str],
    *,
    stacklevel: int = 5,
) -> dict[str, Any]:
    """``given`` with deprecated names replaced by their new ones (warning once
    each); refuses keyword arguments ``method`` does not have.

    The default ``stacklevel`` suits a store method behind ``@translated``.
    """
    legacy = {k: v for k, v in given.items() if k not in known and k in RENAMED}
    rest = {k: v for k, v in given.items() if k not in legacy}
    keywords(method, rest, known)
    if not legacy:
        return rest
    values = renamed(
        method,
        legacy,
        {name: rest.get(name) for name in known},
        stacklevel=stacklevel,
    )
    moved = {RENAMED[old] for old in legacy}
    return {k: v for k, v in values.items() if k in rest or k in moved}


def case(parameter: str, value: Any) -> Case:
    """A :class:`Case`."""
    return check_instance(
        parameter, value, Case, "a Case (from Engine.start or a store)"
    )


def actor(parameter: str, value: Any) -> Actor:
    """An :class:`Actor`."""
    return check_instance(
        parameter,
        value,
        Actor,
        "an Actor, e.g. Actor('m.devries', roles={'behandelaar'})",
    )


def cases(parameter: str, value: Any) -> Iterator[Case]:
    """The cases of an iterable, each checked as it comes."""
    if isinstance(value, Case) or not isinstance(value, Iterable):
        raise InvalidArgument(
            parameter=parameter, value=value, expected="an iterable of Case values"
        )
    for index, item in enumerate(value):
        yield case(f"{parameter}[{index}]", item)


def default_id() -> str:
    """The default case id: a random UUID (version 4)."""
    return str(uuid.uuid4())


def new_id(factory: Callable[[], Any]) -> str:
    """A case id from ``Engine(id_factory)``, if it is a valid name."""
    return str(check_name("Engine(id_factory)()", factory()))


def now(clock: Any) -> dt.datetime:
    """What the engine's clock says now, if it is a moment in range."""
    moment = clock.now()
    return check_moment("clock.now()", moment)  # type: ignore[no-any-return]


def check_data(parameter: str, value: Any) -> Mapping[str, Any] | None:
    """Case data: a mapping of field names to values that can be stored as given."""
    check_mapping(parameter, value, optional=True)
    if value:
        check_values(parameter, value)
    return value  # type: ignore[no-any-return]


def parties(parameter: str, value: Any) -> dict[str, tuple[str, ...]]:
    """Party roles to person ids (normalised); a lone str is refused, not split."""
    check_mapping(parameter, value)
    out: dict[str, tuple[str, ...]] = {}
    for role, ids in value.items():
        fast = plain_names(ids, person=True)
        if fast is not None:
            out[role] = fast
            continue
        if isinstance(ids, str):
            raise InvalidArgument(
                parameter=f"{parameter}[{role!r}]",
                value=ids,
                expected="a list of person ids",
                hint=f"Write {{{role!r}: [{ids!r}]}} for one person.",
            )
        out[role] = check_names(f"{parameter}[{role!r}]", ids, person=True) or ()
    return out


def _consents(parameter: str, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, Mapping):
        check_mapping(parameter, value)
        for role, reference in value.items():
            check_text(f"{parameter}[{role!r}]", reference, optional=True)
    else:
        check_names(parameter, value)


def _duration(parameter: str, value: Any) -> None:
    if value is not None and not isinstance(value, Duration):
        check_text(parameter, value, max_length=MAX_ID_LENGTH)


def _day(parameter: str, value: Any) -> None:
    if isinstance(value, str):
        check_text(parameter, value, max_length=MAX_ID_LENGTH)
    else:
        check_date(parameter, value, optional=True)


def engine(built: Any) -> None:
    """The fields of ``Engine(...)`` (the listeners are checked by their converter)."""
    procedure, conditions, clock = built.procedure, built.conditions, built.clock
    atw, on_listener_error = built.atw, built.on_listener_error
    id_factory = built.id_factory
    check_instance(
        "Engine(procedure)",
        procedure,
        Procedure,
        "a Procedure (load_procedure, loads_procedure or builtin_procedure)",
    )
    check_instance(
        "Engine(conditions)", conditions, Conditions, "a Conditions registry"
    )
    if not callable(getattr(clock, "now", None)):
        raise InvalidArgument(
            parameter="Engine(clock)",
            value=clock,
            expected="a clock with a now() method (SystemClock, FixedClock)",
        )
    check_instance("Engine(atw)", atw, AtwCalendar, "an AtwCalendar (e.g. ATW)")
    for name, function in (
        ("on_listener_error", on_listener_error),
        ("id_factory", id_factory),
    ):
        if not callable(function):
            raise InvalidArgument(
                parameter=f"Engine({name})", value=function, expected="a callable"
            )


def listeners(value: Any) -> tuple[Callable[..., Any], ...]:
    """``Engine(listeners)``: callables."""
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidArgument(
            parameter="Engine(listeners)",
            value=value,
            expected="an iterable of callables (event, case) -> None",
        )
    found = tuple(value)
    for index, listener in enumerate(found):
        if not callable(listener):
            raise InvalidArgument(
                parameter=f"Engine(listeners)[{index}]",
                value=listener,
                expected="a callable (event, case) -> None",
            )
    return found


def start(
    *,
    actor_: Any,
    parties_: Any,
    data: Any,
    at: Any,
    reason: Any,
    case_id: Any,
) -> dict[str, tuple[str, ...]]:
    """``Engine.start``; returns the parties with normalised person ids."""
    actor("start(actor)", actor_)
    members = parties("start(parties)", parties_)
    check_data("start(data)", data)
    check_moment("start(at)", at, optional=True)
    check_text("start(reason)", reason, optional=True)
    check_name("start(case_id)", case_id, optional=True)
    return members


def fire(
    case_: Any,
    action: Any,
    *,
    actor_: Any,
    data: Any,
    reason: Any,
    at: Any,
    consent: Any,
    notified: Any,
    extension: Any,
    postponed_until: Any,
) -> None:
    """``Engine.fire``."""
    case("fire(case)", case_)
    check_name("fire(action)", action)
    actor("fire(actor)", actor_)
    check_data("fire(data)", data)
    check_text("fire(reason)", reason, optional=True)
    check_moment("fire(at)", at, optional=True)
    _consents("fire(consent)", consent)
    check_names("fire(notified)", notified, optional=True)
    _duration("fire(extension)", extension)
    _day("fire(postponed_until)", postponed_until)


def explain(
    case_: Any, action: Any, actor_: Any, *, data: Any, consent: Any, at: Any
) -> None:
    """``Engine.explain``."""
    case("explain(case)", case_)
    check_name("explain(action)", action)
    actor("explain(actor)", actor_)
    check_data("explain(data)", data)
    _consents("explain(consent)", consent)
    check_moment("explain(at)", at, optional=True)


def migrate(
    case_: Any, *, to: Any, state_map: Any, actor_: Any, reason: Any, at: Any
) -> None:
    """``Engine.migrate``."""
    case("migrate(case)", case_)
    check_instance("migrate(to)", to, Procedure, "a Procedure")
    check_mapping("migrate(state_map)", state_map, optional=True)
    for old, new in (state_map or {}).items():
        check_name(f"migrate(state_map)[{old!r}]", new)
    actor("migrate(actor)", actor_)
    check_text("migrate(reason)", reason, optional=True)
    check_moment("migrate(at)", at, optional=True)


def restore(
    *,
    case_id: Any,
    state: Any,
    version: Any,
    parties_: Any,
    data: Any,
    history: Any,
    clocks: Any,
    result: Any,
) -> tuple[dict[str, tuple[str, ...]], tuple[Event, ...]]:
    """``Engine.restore_case``; returns the parties and the events as tuples."""
    check_name("restore_case(case_id)", case_id)
    check_text("restore_case(state)", state, max_length=300)
    check_int("restore_case(version)", version, minimum=1)
    check_mapping("restore_case(parties)", parties_)
    members: dict[str, tuple[str, ...]] = {}
    for role, ids in parties_.items():
        if isinstance(ids, str):
            raise InvalidArgument(
                parameter=f"restore_case(parties)[{role!r}]",
                value=ids,
                expected="a list of person ids",
            )
        # Stored ids are kept as stored (they may predate normalisation).
        members[role] = check_names(f"restore_case(parties)[{role!r}]", ids) or ()
    check_mapping("restore_case(data)", data)
    if isinstance(history, str | bytes) or not isinstance(history, Iterable):
        raise InvalidArgument(
            parameter="restore_case(history)", value=history, expected="Event values"
        )
    events = tuple(history)
    for index, event in enumerate(events):
        check_instance(f"restore_case(history)[{index}]", event, Event, "an Event")
    check_mapping("restore_case(clocks)", clocks)
    for term, ledger in clocks.items():
        check_mapping(f"restore_case(clocks)[{term!r}]", ledger)
    check_name("restore_case(result)", result, optional=True)
    return members, events


def monitoring(method: str, *, on: Any, days: Any = 0) -> None:
    """``Engine.deadlines``, ``overdue``, ``due_within``: a date and a number of days."""
    check_date(f"{method}(on)", on, optional=True)
    check_int(f"{method}(days)", days, maximum=MAX_ITEMS * 100)


# --------------------------------------------------------------------------- store

#: The longest database URL :func:`open_store` accepts.
MAX_URL_LENGTH = 2000
#: The longest lease of a deadline claim.
MAX_LEASE = dt.timedelta(days=1)
#: The most deadlines one claim hands out, and the most rows a query returns.
MAX_LIMIT = 1_000_000


def open_store(
    *, url: Any, conditions: Any, clock: Any, atw: Any, upgrade_schema: Any
) -> None:
    """``open_store(...)``."""
    check_text("open_store(url)", url, max_length=MAX_URL_LENGTH)
    if not url.strip():
        raise InvalidArgument(
            parameter="open_store(url)",
            value=url,
            expected="a database URL, e.g. sqlite:///klachtflow.db",
        )
    if conditions is not None:
        check_instance(
            "open_store(conditions)", conditions, Conditions, "a Conditions registry"
        )
    if clock is not None and not callable(getattr(clock, "now", None)):
        raise InvalidArgument(
            parameter="open_store(clock)",
            value=clock,
            expected="a clock with a now() method (SystemClock, FixedClock)",
        )
    check_instance("open_store(atw)", atw, AtwCalendar, "an AtwCalendar (e.g. ATW)")
    if upgrade_schema is not None and not isinstance(upgrade_schema, bool):
        raise InvalidArgument(
            parameter="open_store(upgrade_schema)",
            value=upgrade_schema,
            expected="True, False or None",
        )


def procedure(parameter: str, value: Any, *, digest: bool = False) -> None:
    """A :class:`Procedure` (or, with ``digest``, also its digest as a str)."""
    if digest and isinstance(value, str):
        check_name(parameter, value)
    else:
        check_instance(parameter, value, Procedure, "a Procedure")


def case_list(parameter: str, value: Any) -> None:
    """A list or tuple of cases."""
    if not isinstance(value, list | tuple):
        raise InvalidArgument(
            parameter=parameter, value=value, expected="a list of Case values"
        )
    for index, item in enumerate(value):
        case(f"{parameter}[{index}]", item)


def limit(parameter: str, value: Any, *, optional: bool = True) -> None:
    """A number of rows: 1 up to :data:`MAX_LIMIT` (or None when ``optional``)."""
    check_int(parameter, value, minimum=1, maximum=MAX_LIMIT, optional=optional)


def lease(parameter: str, value: Any) -> dt.timedelta:
    """A lease: a positive timedelta of at most :data:`MAX_LEASE`."""
    if not isinstance(value, dt.timedelta) or not (
        dt.timedelta(0) < value <= MAX_LEASE
    ):
        raise InvalidArgument(
            parameter=parameter,
            value=value,
            expected="a datetime.timedelta above zero and at most one day",
            hint="E.g. lease=datetime.timedelta(minutes=10).",
        )
    return value


def find(
    *,
    status: Any,
    party: Any,
    category: Any,
    opened_from: Any,
    opened_until: Any,
    open_only: Any,
    limit_: Any,
) -> str | None:
    """``SqlStore.find``; returns the party's normalised person id."""
    check_name("find(status)", status, optional=True)
    check_text("find(category)", category, optional=True, max_length=MAX_ID_LENGTH)
    check_date("find(opened_from)", opened_from, optional=True)
    check_date("find(opened_until)", opened_until, optional=True)
    flag("find(open_only)", open_only)
    limit("find(limit)", limit_)
    return None if party is None else check_person("find(party)", party)


def flag(parameter: str, value: Any) -> None:
    """A yes-or-no option: True or False, nothing else (not 0, 1 or "ja")."""
    if not isinstance(value, bool):
        raise InvalidArgument(
            parameter=parameter, value=value, expected="True or False"
        )


def period(method: str, opened_from: Any, opened_until: Any) -> None:
    """An optional opening period of two dates."""
    check_date(f"{method}(opened_from)", opened_from, optional=True)
    check_date(f"{method}(opened_until)", opened_until, optional=True)
