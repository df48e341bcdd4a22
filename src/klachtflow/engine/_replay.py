"""One door: a case is accepted only if the engine itself produces it.

:func:`replay` re-derives every new event of a case from the case before it,
through the same ``start``/``fire``/``migrate`` code paths the engine uses
(the recorded actor in its recorded role, data, reason, consent, notice, term
inputs, moments and salt), and compares what comes out with what was given,
event by event and field by field. Storage calls it before it writes a case it
did not make itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import attrs

from klachtflow.engine._notices import letter_of
from klachtflow.engine.case import Case, Event, ledgers_digest
from klachtflow.exceptions import KlachtflowError, UntrustedCase
from klachtflow.rules.permissions import Actor

if TYPE_CHECKING:
    from klachtflow.engine.engine import Engine

__all__ = ["replay", "replay_events"]

_CASE_FIELDS = (
    "procedure",
    "procedure_version",
    "procedure_digest",
    "state",
    "version",
    "parties",
    "data",
    "result",
)


def _differences(given: Event, produced: Event) -> list[str]:
    return [
        f.name
        for f in attrs.fields(Event)
        if getattr(given, f.name) != getattr(produced, f.name)
    ]


def _actor(event: Event) -> Actor:
    return _actor_in_role(event.actor, event.role)


@lru_cache(maxsize=4096)
def _actor_in_role(person: str, role: str | None) -> Actor:
    """The recorded actor in the recorded role (an Actor is immutable: an
    import replays the same few handlers thousands of times)."""
    return Actor(person, roles=frozenset({role} if role else ()))


def _step(  # noqa: PLR0917 - one replayed event and what it needs
    engine_for: Callable[[str], Engine],
    current: Case | None,
    case_id: str,
    parties: Mapping[str, tuple[str, ...]],
    event: Event,
    earliest: dt.datetime | None,
) -> Case:
    new_values = {k: new for k, (_old, new) in event.changes.items()}
    if event.action == "start":
        if current is not None:
            msg = "een tweede start"
            raise ValueError(msg)
        return engine_for(event.procedure_digest)._start(
            actor=_actor(event),
            parties=parties,
            data=new_values or None,
            at=event.at,
            reden=event.reason,
            case_id=case_id,
            salt=event.salt,
            recorded_at=event.recorded_at,
            notify=False,
            earliest=earliest,
        )
    if current is None:
        msg = "de zaak begint niet met start"
        raise ValueError(msg)
    engine = engine_for(current.procedure_digest)
    if event.action == "migratie":
        return engine._migrate(
            current,
            to=engine_for(event.procedure_digest).procedure,
            state_map={current.state: event.inputs.get("naar_status", event.to_state)},
            actor=_actor(event),
            reden=event.reason,
            at=event.at,
            salt=event.salt,
            recorded_at=event.recorded_at,
            notify=False,
            earliest=earliest,
        )
    return engine._fire(
        current,
        event.action,
        actor=_actor(event),
        data=new_values or None,
        reden=event.reason,
        at=event.at,
        instemming=dict(event.consent) or None,
        gemeld_aan=event.notified or None,
        verlenging=event.inputs.get("verlenging"),
        uitstel_tot=event.inputs.get("uitstel_tot"),
        letter=letter_of(event.inputs),
        salt=event.salt,
        recorded_at=event.recorded_at,
        notify=False,
        earliest=earliest,
    )


def replay_events(
    engine_for: Callable[[str], Engine],
    stored: Case | None,
    case_id: str,
    parties: Mapping[str, tuple[str, ...]],
    events: Sequence[Event],
    *,
    earliest: dt.datetime | None = None,
) -> Case:
    """The case the engine makes by replaying ``events`` (at least one) on ``stored``.

    Every event is re-derived through ``start``/``fire``/``migrate`` and must
    equal the given one field by field (its hash, and so its seal, included);
    :class:`UntrustedCase` names the first that does not. The caller compares
    what the events lead to (state, data, clocks) with what it was given.
    """
    current = stored
    for event in events:
        if event.format < 2 or event.salt is None:
            raise UntrustedCase(
                case_id,
                [
                    f"gebeurtenis {event.seq} ({event.action}) is niet door deze "
                    "versie van klachtflow gemaakt"
                ],
            )
        try:
            produced = _step(engine_for, current, case_id, parties, event, earliest)
        except UntrustedCase:
            raise
        except (KlachtflowError, ValueError) as error:
            message = getattr(error, "message", str(error))
            raise UntrustedCase(
                case_id,
                [
                    f"gebeurtenis {event.seq} ({event.action}) volgt niet uit de "
                    f"procedure: {message}"
                ],
            ) from error
        made = produced.history[-1]
        # attrs equality compares the same fields; name them only on a mismatch.
        if made != event:
            differing = _differences(event, made)
            raise UntrustedCase(
                case_id,
                [
                    f"gebeurtenis {event.seq} ({event.action}) wijkt af in "
                    + (", ".join(differing) or "haar velden")
                ],
            )
        current = produced
    if current is None:
        raise UntrustedCase(case_id, ["de zaak heeft geen gebeurtenissen"])
    return current


def replay(
    engine_for: Callable[[str], Engine],
    stored: Case | None,
    case: Case,
    *,
    earliest: dt.datetime | None = None,
) -> Case:
    """``case`` re-derived from ``stored`` (None for a new case) by the engine.

    Raises :class:`UntrustedCase` naming every event or field that does not
    follow; returns the case the engine produced (equal to ``case``). With
    ``earliest``, an event recorded before that moment is refused too (a case
    made long ago and saved now would otherwise escape the backdating window).
    """
    after = stored.version if stored is not None else 0
    if stored is not None and case.history[:after] != stored.history:
        raise UntrustedCase(
            case.id, ["de eerdere gebeurtenissen zijn niet die van de opgeslagen zaak"]
        )
    if stored is not None and case.id != stored.id:
        raise UntrustedCase(case.id, [f"dit is niet zaak {stored.id}"])
    if len(case.history) <= after:
        raise UntrustedCase(case.id, ["de zaak heeft geen nieuwe gebeurtenissen"])
    current = replay_events(
        engine_for,
        stored,
        case.id,
        case.parties,
        case.history[after:],
        earliest=earliest,
    )
    problems = [
        f"{name} volgt niet uit de gebeurtenissen"
        for name in _CASE_FIELDS
        if getattr(case, name) != getattr(current, name)
    ]
    if ledgers_digest(case.clocks) != ledgers_digest(current.clocks):
        problems.append("de termijnen volgen niet uit de gebeurtenissen")
    if problems:
        raise UntrustedCase(case.id, problems)
    return current
