"""Moving a case to another procedure (version): an explicit, audited event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs

from klachtflow.definition.model import Procedure
from klachtflow.engine import _terms
from klachtflow.engine.case import Case, Event
from klachtflow.exceptions import MigrationError
from klachtflow.rules.calendar import AtwCalendar
from klachtflow.rules.clock import legal_date
from klachtflow.rules.clocks import TermClock
from klachtflow.rules.permissions import Actor

__all__ = ["migrate_case"]


def migrate_case(
    case: Case,
    *,
    to: Procedure,
    state_map: Mapping[str, str],
    actor: Actor,
    reden: str | None,
    moment: dt.datetime,
    atw: AtwCalendar,
) -> Case:
    """``case`` pinned to ``to``, one ``migratie`` event later (see ``Engine.migrate``)."""
    target = state_map.get(case.state) or state_map.get(case.status) or case.status
    try:
        new_state = to.states[to.entry_leaf(to.state(target).name)].path
    except KeyError:
        raise MigrationError(
            case_id=case.id,
            state=target,
            procedure=f"{to.name} {to.version}",
            known=[s.path for s in to.states.values() if not s.children],
        ) from None
    clocks: dict[str, TermClock] = {}
    log: dict[str, str] = {}
    calendars = _terms.TermRules.build(to, atw).calendars
    for name, clock in case.clocks.items():
        if name in to.terms:
            clocks[name] = attrs.evolve(
                clock, term=to.terms[name], calendar=calendars[name]
            )
            log[name] = "overgenomen"
        else:
            log[name] = "vervallen (niet in de nieuwe procedure)"
    changes = {
        "procedure": (
            f"{case.procedure} {case.procedure_version} {case.procedure_digest}",
            f"{to.name} {to.version} {to.digest}",
        )
    }
    event = Event.sealed(
        case.version + 1,
        "migratie",
        case.state,
        new_state,
        actor.id,
        None,
        moment,
        legal_date(moment),
        to.name,
        to.version,
        to.digest,
        case.history[-1].hash,
        changes,
        reden,
        {},
        (),
        None,
        log,
    )
    return attrs.evolve(
        case,
        procedure=to.name,
        procedure_version=to.version,
        procedure_digest=to.digest,
        state=new_state,
        version=case.version + 1,
        history=(*case.history, event),
        clocks=clocks,
        visibility={
            n: f.visible_to for n, f in to.fields.items() if f.visible_to is not None
        },
    )
