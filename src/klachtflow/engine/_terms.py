"""Apply an action's effects on term clocks: start, stop, suspend, resume,
extend and further delay, plus starts and stops on entering or leaving states.

:class:`TermRules` is derived once per engine (which terms react to which
state, the calendar of every term); :meth:`TermRules.apply` is pure over the
clocks of a case and raises :class:`TermError` without changing anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

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

__all__ = ["TermInputs", "TermRules"]

Table = Mapping[str, tuple[str, ...]]


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


@attrs.frozen
class _Plan:
    """The terms one action stops and starts between two leaves, in order;
    ``closes`` when the action moves the case into an end state."""

    stops: tuple[str, ...]
    starts: tuple[str, ...]
    closes: bool = False


_NOTHING = _Plan((), ())

#: What the log says of a clock stopped because the case reached an end state.
CLOSED = "gestopt op {day} (eindstatus bereikt)"


def _lineage(path: str) -> list[str]:
    """The names of a leaf state and all its ancestors (from its dotted path)."""
    return path.split(".")


def _tables(
    procedure: Procedure,
) -> dict[tuple[TriggerKind, str], dict[str, tuple[str, ...]]]:
    found: dict[tuple[TriggerKind, str], dict[str, list[str]]] = {}
    for term in procedure.terms.values():
        for side in ("start", "stop"):
            for trigger in getattr(term, side):
                if trigger.kind is not TriggerKind.ACTIE:
                    found.setdefault((trigger.kind, side), {}).setdefault(
                        trigger.name, []
                    ).append(term.name)
    return {
        key: {k: tuple(v) for k, v in table.items()} for key, table in found.items()
    }


@attrs.frozen
class TermRules:
    """The term rules of one procedure, ready for every fire."""

    procedure: Procedure
    calendars: Mapping[str, WorkingCalendar]
    enter_start: Table
    enter_stop: Table
    exit_start: Table
    exit_stop: Table
    chained: Table
    #: The data fields terms start from (``vanaf``), sorted.
    from_fields: tuple[str, ...] = ()
    # Filled as actions are fired: bounded by actions x leaves x leaves.
    _plans: dict[tuple[str, str, str], _Plan] = attrs.field(
        factory=dict, init=False, eq=False, repr=False
    )

    @classmethod
    def build(cls, procedure: Procedure, atw: AtwCalendar) -> TermRules:
        """Derive the rules of ``procedure``, counting on ``atw``."""
        tables = _tables(procedure)
        return cls(
            procedure=procedure,
            calendars={
                n: calendar_for(procedure, t, atw=atw)
                for n, t in procedure.terms.items()
            },
            enter_start=tables.get((TriggerKind.BINNENKOMST, "start"), {}),
            enter_stop=tables.get((TriggerKind.BINNENKOMST, "stop"), {}),
            exit_start=tables.get((TriggerKind.VERTREK, "start"), {}),
            exit_stop=tables.get((TriggerKind.VERTREK, "stop"), {}),
            chained=tables.get((TriggerKind.TERMIJN_VERSTREKEN, "start"), {}),
            from_fields=tuple(
                sorted({t.from_field for t in procedure.terms.values() if t.from_field})
            ),
        )

    # ------------------------------------------------------------------ parts

    def _start_day(self, name: str, data: Mapping[str, Any], today: dt.date) -> dt.date:
        field = self.procedure.terms[name].from_field
        value = data.get(field) if field else None
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        return today

    def _start(
        self,
        clocks: dict[str, TermClock],
        name: str,
        started: dt.date,
        log: dict[str, str],
    ) -> None:
        current = clocks.get(name)
        if current is not None and current.stopped_on is None:
            return  # already running: a start trigger does not restart it
        clocks[name] = TermClock(
            self.procedure.terms[name], started, calendar=self.calendars[name]
        )
        log[name] = f"gestart op {started.isoformat()}"
        # Chained terms start when this one runs out (termijn_verstreken).
        for other in self.chained.get(name, ()):
            deadline = clocks[name].deadline()
            chained = self.procedure.terms[other]
            anchor = (
                deadline.end
                if chained.anchor is TermAnchor.GEKOPPELD
                else deadline.raw_end
            )
            self._start(clocks, other, anchor, log)

    @staticmethod
    def _stop(
        clocks: dict[str, TermClock], name: str, on: dt.date, log: dict[str, str]
    ) -> None:
        current = clocks.get(name)
        if current is not None and current.stopped_on is None:
            clocks[name] = current.stop(on)
            log[name] = f"gestopt op {on.isoformat()}"

    def _plan(self, action: Action, old_state: str, new_state: str) -> _Plan:
        """Which terms ``action`` stops and starts between two leaves (cached)."""
        exited: list[str] = []
        entered: list[str] = []
        if old_state != new_state:
            before, after = _lineage(old_state), _lineage(new_state)
            exited = [s for s in before if s not in after]
            entered = [s for s in after if s not in before]

        def triggered(table: Table, states: list[str]) -> tuple[str, ...]:
            return tuple(name for state in states for name in table.get(state, ()))

        effects = action.terms
        status = new_state.rpartition(".")[2]
        plan = _Plan(
            closes=old_state != new_state and self.procedure.states[status].is_final,
            stops=(
                *effects.stop,
                *triggered(self.exit_stop, exited),
                *triggered(self.enter_stop, entered),
            ),
            starts=(
                *effects.start,
                *triggered(self.enter_start, entered),
                *triggered(self.exit_start, exited),
            ),
        )
        if not (
            plan.stops
            or plan.starts
            or plan.closes
            or effects.suspend
            or effects.resume
            or effects.extend
            or effects.delay
        ):
            plan = _NOTHING
        self._plans[action.name, old_state, new_state] = plan
        return plan

    # ------------------------------------------------------------------ public

    def start_clocks(
        self, state: str, data: Mapping[str, Any], today: dt.date
    ) -> tuple[dict[str, TermClock], dict[str, str]]:
        """Clocks that start when a case is created in ``state`` (entering it)."""
        clocks: dict[str, TermClock] = {}
        log: dict[str, str] = {}
        for entered in _lineage(state):
            for name in self.enter_start.get(entered, ()):
                self._start(clocks, name, self._start_day(name, data, today), log)
        return clocks, log

    def apply(
        self,
        action: Action,
        clocks: Mapping[str, TermClock],
        *,
        old_state: str,
        new_state: str,
        data: Mapping[str, Any],
        today: dt.date,
        inputs: TermInputs,
    ) -> tuple[Mapping[str, TermClock], dict[str, str]]:
        """The clocks after ``action`` moved a case from ``old_state`` to ``new_state``.

        Returns the clocks unchanged (the same mapping) and an empty log when
        nothing applies.
        """
        plan = self._plans.get((action.name, old_state, new_state))
        if plan is None:
            plan = self._plan(action, old_state, new_state)
        if plan is _NOTHING:
            return clocks, {}
        out = dict(clocks)
        log: dict[str, str] = {}
        # Stops first (an action may stop one term and start the next).
        for name in plan.stops:
            self._stop(out, name, today, log)
        for name in plan.starts:
            self._start(out, name, self._start_day(name, data, today), log)
        for name in action.terms.suspend:
            if name in out and out[name].stopped_on is None:
                out[name] = out[name].suspend(today)
                log[name] = f"opgeschort op {today.isoformat()}"
        for name in action.terms.resume:
            if name in out and out[name].is_suspended:
                out[name] = out[name].resume(today)
                log[name] = f"hervat op {today.isoformat()}"
        if action.terms.extend:
            self._extend(action, out, today, inputs, log)
        if action.terms.delay:
            self._delay(action, out, today, inputs, log)
        if plan.closes:
            self._close(clocks, out, plan.starts, today, log)
        return out, log

    @staticmethod
    def _close(
        before: Mapping[str, TermClock],
        clocks: dict[str, TermClock],
        started: tuple[str, ...],
        today: dt.date,
        log: dict[str, str],
    ) -> None:
        """Stop the clocks that ran into the end state the case now entered.

        The law says nothing of terms once a case is closed; a clock left
        running would show as expired and stay on every worklist (a
        bezwaartermijn after withdrawal). A term that starts on this very step
        (9:24's year for the ombudsman, from the afhandeling) or that is
        declared ``loopt_door_na_einde`` runs on.
        """
        for name, clock in before.items():
            current = clocks[name]
            if (
                clock.stopped_on is None
                and current.stopped_on is None
                and not current.term.runs_on
                and name not in started
            ):
                clocks[name] = current.stop(today)
                log[name] = CLOSED.format(day=today.isoformat())

    def _extend(
        self,
        action: Action,
        clocks: dict[str, TermClock],
        today: dt.date,
        inputs: TermInputs,
        log: dict[str, str],
    ) -> None:
        running = _running(action.terms.extend, clocks)
        if not running:
            msg = f"'{action.name}' verlengt {', '.join(action.terms.extend)}, maar die termijn loopt niet."
            raise TermError(
                msg, hint="Een termijn kan alleen verlengd worden zolang hij loopt."
            )
        for name in running:
            clock = clocks[name]
            spec = clock.term.extension
            duration = inputs.extension
            if duration is None and spec is not None:
                if clock.extensions:
                    msg = f"'{name}' is al verlengd; geef aan met hoeveel (extension=...)."
                    raise TermError(
                        msg, hint=f"Het maximum is {spec.maximum} in totaal."
                    )
                duration = spec.maximum
            if (
                duration is None
            ):  # pragma: no cover - the loader requires a verlenging (KF-D031)
                msg = f"De termijn '{name}' kan niet worden verlengd."
                raise TermError(
                    msg, hint="Geef de termijn een 'verlenging' in de procedure."
                )
            clocks[name] = clock.extend(duration, today, notified=inputs.notified)
            log[name] = (
                f"verlengd met {duration} tot {clocks[name].due(today).isoformat()}"
            )

    @staticmethod
    def _delay(
        action: Action,
        clocks: dict[str, TermClock],
        today: dt.date,
        inputs: TermInputs,
        log: dict[str, str],
    ) -> None:
        running = _running(action.terms.delay, clocks)
        if not running:
            msg = f"'{action.name}' stelt {', '.join(action.terms.delay)} uit, maar die termijn loopt niet."
            raise TermError(msg, hint="Uitstel kan alleen zolang de termijn loopt.")
        if inputs.until is None:
            msg = f"Voor '{action.name}' is de nieuwe datum nodig."
            raise TermError(
                msg,
                hint="Geef postponed_until=datum mee (de met de klager afgesproken datum).",
            )
        for name in running:
            spec = clocks[name].term.extension
            written = (
                spec is not None and spec.further is not None and spec.further.written
            )
            # Written consent needs a reference to the document (Awb 9:11 lid 3).
            consented = [
                party for party, ref in inputs.consent.items() if ref or not written
            ]
            clocks[name] = clocks[name].delay(inputs.until, today, consent_of=consented)
            log[name] = f"uitgesteld tot {inputs.until.isoformat()}"


def _running(names: Iterable[str], clocks: Mapping[str, TermClock]) -> list[str]:
    return [n for n in names if n in clocks and clocks[n].stopped_on is None]
