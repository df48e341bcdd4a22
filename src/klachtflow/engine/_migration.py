"""Moving a case to another procedure (version): an explicit, audited event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs

from klachtflow.definition.model import Procedure
from klachtflow.engine import _terms
from klachtflow.engine._seal import Sealer
from klachtflow.engine.case import Case, Event, ledgers_digest
from klachtflow.exceptions import MigrationError, MigrationRefused
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
    recorded_at: dt.datetime,
    atw: AtwCalendar,
    sealer: Sealer,
    salt: str | None = None,
) -> Case:
    """``case`` pinned to ``to``, one ``migratie`` event later (see ``Engine.migrate``).

    Only a role that ``to`` names under ``migratie: wie:`` may migrate, and only
    to another procedure or version; the event records who, why, and the
    status mapping.
    """
    if (to.name, to.version) == (case.procedure, case.procedure_version):
        raise MigrationRefused(
            case_id=case.id,
            message=f"Zaak {case.id} loopt al onder {to.name} {to.version}; "
            "migreren binnen dezelfde procedureversie kan niet.",
            hint="Migreer alleen naar een nieuwe versie (met een ander 'versie:').",
        )
    ids = {actor.id, sealer.pseudonym(actor.id)}
    if any(i in members for members in case.parties.values() for i in ids):
        raise MigrationRefused(
            case_id=case.id,
            message=f"{actor.id} is partij in zaak {case.id} en mag haar niet naar "
            "een andere procedureversie overzetten (Awb 9:7 lid 1).",
            hint="Laat een medewerker die niet bij de klacht betrokken is migreren.",
        )
    allowed = sorted(
        r
        for r in actor.roles & to.migrators
        if r in to.roles and not to.roles[r].is_party
    )
    if not allowed:
        raise MigrationRefused(
            case_id=case.id,
            message=f"{actor.id} mag zaak {case.id} niet naar {to.name} {to.version} "
            "overzetten"
            + (
                f": alleen {', '.join(sorted(to.migrators))}."
                if to.migrators
                else ": die versie noemt niemand onder 'migratie: wie:'."
            ),
            hint="Geef de nieuwe procedureversie 'migratie: {wie: [functioneel_beheerder]}' "
            "en laat iemand met die rol migreren.",
        )
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
    inputs = {
        "van_procedure": f"{case.procedure} {case.procedure_version} "
        f"{case.procedure_digest}",
        "van_status": case.state,
        "naar_status": new_state,
    }
    event = Event.record(
        sealer,
        case_id=case.id,
        seq=case.version + 1,
        action="migratie",
        from_state=case.state,
        to_state=new_state,
        actor=actor.id,
        role=allowed[0],
        at=moment,
        recorded_at=recorded_at,
        legal_date=legal_date(moment),
        procedure=to.name,
        procedure_version=to.version,
        procedure_digest=to.digest,
        prev_hash=case.history[-1].hash,
        reason=reden,
        terms=log,
        inputs=inputs,
        clocks=ledgers_digest(clocks),
        salt=salt,
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
