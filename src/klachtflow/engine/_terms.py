"""Apply an action's effects on term clocks: start, stop, suspend, resume,
extend and further delay, plus starts and stops on entering or leaving states.

Pure functions over the clocks of a case; the engine calls :func:`apply`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from klachtflow.definition.model import (
    Action,
    Duration,
    Procedure,
    TermAnchor,
    TriggerKind,
)
from klachtflow.exceptions import TermError
from klachtflow.rules.calendar import AtwCalendar, WorkingCalendar
from klachtflow.rules.clocks import TermClock, calendar_for

__all__ = ["TermInputs", "apply", "calendars_for", "start_clocks"]


class TermInputs:
    """What the caller of ``fire`` supplies for term effects."""

    __slots__ = ("consent", "extension", "notified", "until")

    def __init__(
        self,
        *,
        notified: Iterable[str] | None = None,
        extension: Duration | None = None,
        until: dt.date | None = None,
        consent: Mapping[str, str | None] | None = None,
    ) -> None:
        self.notified = tuple(notified or ())
        self.extension = extension
        self.until = until
        self.consent = dict(consent or {})


def _start_day(
    procedure: Procedure, name: str, data: Mapping[str, Any], today: dt.date
) -> dt.date:
    field = procedure.terms[name].from_field
    value = data.get(field) if field else None
    return (
        value
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime)
        else today
    )


def _start(
    procedure: Procedure,
    clocks: dict[str, TermClock],
    name: str,
    started: dt.date,
    *,
    calendars: dict[str, WorkingCalendar],
    log: dict[str, str],
) -> None:
    current = clocks.get(name)
    if current is not None and current.stopped_on is None:
        return  # already running: a start trigger does not restart it
    term = procedure.terms[name]
    clocks[name] = TermClock(term, started, calendar=calendars[name])
    log[name] = f"gestart op {started.isoformat()}"
    # Chained terms start when this one runs out (termijn_verstreken).
    for other in procedure.terms.values():
        if any(
            t.kind is TriggerKind.TERMIJN_VERSTREKEN and t.name == name
            for t in other.start
        ):
            deadline = clocks[name].deadline()
            anchor = (
                deadline.end
                if other.anchor is TermAnchor.GEKOPPELD
                else deadline.raw_end
            )
            _start(procedure, clocks, other.name, anchor, calendars=calendars, log=log)


def _stop(
    clocks: dict[str, TermClock], name: str, on: dt.date, log: dict[str, str]
) -> None:
    current = clocks.get(name)
    if current is not None and current.stopped_on is None:
        clocks[name] = current.stop(on)
        log[name] = f"gestopt op {on.isoformat()}"


def calendars_for(procedure: Procedure, atw: AtwCalendar) -> dict[str, WorkingCalendar]:
    """The calendar of every term, built once per engine."""
    return {
        name: calendar_for(procedure, term, atw=atw)
        for name, term in procedure.terms.items()
    }


def _lineage(path: str) -> list[str]:
    """The names of a leaf state and all its ancestors (from its dotted path)."""
    return path.split(".")


def start_clocks(
    procedure: Procedure,
    state: str,
    data: Mapping[str, Any],
    today: dt.date,
    calendars: dict[str, WorkingCalendar],
) -> tuple[dict[str, TermClock], dict[str, str]]:
    """Clocks that start when a case is created in ``state`` (entering it)."""
    clocks: dict[str, TermClock] = {}
    log: dict[str, str] = {}
    entered = set(_lineage(state))
    for name, term in procedure.terms.items():
        if any(
            t.kind is TriggerKind.BINNENKOMST and t.name in entered for t in term.start
        ):
            _start(
                procedure,
                clocks,
                name,
                _start_day(procedure, name, data, today),
                calendars=calendars,
                log=log,
            )
    return clocks, log


def apply(
    procedure: Procedure,
    action: Action,
    clocks: Mapping[str, TermClock],
    *,
    old_state: str,
    new_state: str,
    data: Mapping[str, Any],
    today: dt.date,
    inputs: TermInputs,
    calendars: dict[str, WorkingCalendar],
) -> tuple[dict[str, TermClock], dict[str, str]]:
    """The clocks after ``action`` moved a case from ``old_state`` to ``new_state``.

    Raises :class:`TermError` (nothing changed) when an extension or delay is
    not allowed or lacks what the law requires.
    """
    out = dict(clocks)
    log: dict[str, str] = {}
    before, after = _lineage(old_state), _lineage(new_state)
    moved = old_state != new_state
    exited = {s for s in before if s not in after} if moved else set()
    entered = {s for s in after if s not in before} if moved else set()

    def triggered(kind: TriggerKind, names: set[str], side: str) -> list[str]:
        return [
            term.name
            for term in procedure.terms.values()
            if any(t.kind is kind and t.name in names for t in getattr(term, side))
        ]

    # Stops first (an action may stop one term and start the next).
    for name in (
        *action.terms.stop,
        *triggered(TriggerKind.VERTREK, exited, "stop"),
        *triggered(TriggerKind.BINNENKOMST, entered, "stop"),
    ):
        _stop(out, name, today, log)
    for name in (
        *action.terms.start,
        *triggered(TriggerKind.BINNENKOMST, entered, "start"),
        *triggered(TriggerKind.VERTREK, exited, "start"),
    ):
        _start(
            procedure,
            out,
            name,
            _start_day(procedure, name, data, today),
            calendars=calendars,
            log=log,
        )
    for name in action.terms.suspend:
        if name in out and out[name].stopped_on is None:
            out[name] = out[name].suspend(today)
            log[name] = f"opgeschort op {today.isoformat()}"
    for name in action.terms.resume:
        if name in out and out[name].is_suspended:
            out[name] = out[name].resume(today)
            log[name] = f"hervat op {today.isoformat()}"
    _extend(procedure, action, clocks=out, today=today, inputs=inputs, log=log)
    _delay(action, out, today, inputs, log)
    return out, log


def _running(action_terms: Iterable[str], clocks: Mapping[str, TermClock]) -> list[str]:
    return [n for n in action_terms if n in clocks and clocks[n].stopped_on is None]


def _extend(
    procedure: Procedure,
    action: Action,
    *,
    clocks: dict[str, TermClock],
    today: dt.date,
    inputs: TermInputs,
    log: dict[str, str],
) -> None:
    if not action.terms.extend:
        return
    running = _running(action.terms.extend, clocks)
    if not running:
        msg = f"'{action.name}' verlengt {', '.join(action.terms.extend)}, maar die termijn loopt niet."
        raise TermError(
            msg, hint="Een termijn kan alleen verlengd worden zolang hij loopt."
        )
    for name in running:
        clock = clocks[name]
        spec = procedure.terms[name].extension
        duration = inputs.extension
        if duration is None and spec is not None:
            if clock.extensions:
                msg = f"'{name}' is al verlengd; geef aan met hoeveel (verlenging=...)."
                raise TermError(msg, hint=f"Het maximum is {spec.maximum} in totaal.")
            duration = spec.maximum
        if (
            duration is None
        ):  # pragma: no cover - the loader guarantees a verlenging (KF-D031)
            msg = f"De termijn '{name}' kan niet worden verlengd."
            raise TermError(
                msg, hint="Geef de termijn een 'verlenging' in de procedure."
            )
        clocks[name] = clock.extend(duration, today, notified=inputs.notified)
        log[name] = f"verlengd met {duration} tot {clocks[name].due(today).isoformat()}"


def _delay(
    action: Action,
    clocks: dict[str, TermClock],
    today: dt.date,
    inputs: TermInputs,
    log: dict[str, str],
) -> None:
    if not action.terms.delay:
        return
    running = _running(action.terms.delay, clocks)
    if not running:
        msg = f"'{action.name}' stelt {', '.join(action.terms.delay)} uit, maar die termijn loopt niet."
        raise TermError(msg, hint="Uitstel kan alleen zolang de termijn loopt.")
    if inputs.until is None:
        msg = f"Voor '{action.name}' is de nieuwe datum nodig."
        raise TermError(
            msg, hint="Geef uitstel_tot=datum mee (de met de klager afgesproken datum)."
        )
    for name in running:
        spec = clocks[name].term.extension
        written = spec is not None and spec.further is not None and spec.further.written
        # Written consent needs a reference to the document (Awb 9:11 lid 3).
        consented = [
            party for party, ref in inputs.consent.items() if ref or not written
        ]
        clocks[name] = clocks[name].delay(inputs.until, today, consent_of=consented)
        log[name] = f"uitgesteld tot {inputs.until.isoformat()}"
