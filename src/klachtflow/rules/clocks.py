"""Term clocks on a case: start, suspend, resume, extend, delay with consent, stop.

A :class:`TermClock` is an immutable ledger. Every change returns a new clock;
the due date is always *derived* from the ledger (never stored as the only
truth), so a suspension adds exactly the days actually suspended and an
extension can be checked against the procedure's maximum at any time.

The legal rules behind it:

- Awb 9:11 lid 2: "Het bestuursorgaan kan de afhandeling voor ten hoogste vier
  weken verdagen. Van de verdaging wordt schriftelijk mededeling gedaan aan de
  klager en aan degene op wiens gedraging de klacht betrekking heeft."
- Awb 9:11 lid 3: "Verder uitstel is mogelijk voor zover de klager daarmee
  schriftelijk instemt."
- Wkkgz art 17 lid 2: extension "met ten hoogste vier weken" with notice
  "voor het verstrijken van de termijn" — hence a late extension is recorded as
  late, for the audit to report.
- Awb 7:10 lid 2: a suspension adds the suspended days ("wordt opgeschort").
  🔶 Convention: the days suspended are ``(resume date - suspend date)`` in
  calendar days.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache, partial
from typing import Any

import attrs

from klachtflow.definition.model import (
    Calendar,
    Direction,
    Duration,
    LegalBasis,
    Procedure,
    Term,
    TermAnchor,
    Unit,
)
from klachtflow.exceptions import TermError
from klachtflow.rules.calendar import (
    ATW,
    AtwCalendar,
    OrganisationCalendar,
    WorkingCalendar,
)
from klachtflow.rules.terms import (
    Deadline,
    add_duration,
    apply_atw,
    atw_applies,
    compute,
    extend,
    quick_rule,
)

__all__ = [
    "ClockState",
    "ClockStatus",
    "DelayStep",
    "ExtensionStep",
    "Suspension",
    "TermClock",
    "calendar_for",
    "clock_from_ledger",
    "clock_ledger",
    "organisation_calendar",
    "warning_start",
]


class ClockState(enum.Enum):
    """The state of a clock on a given day."""

    LOPEND = "lopend"
    OPGESCHORT = "opgeschort"
    GESTOPT = "gestopt"
    VERLOPEN = "verlopen"


@attrs.frozen
class Suspension:
    """A period in which the clock stood still; ``end`` is ``None`` while it lasts."""

    start: dt.date
    end: dt.date | None = None
    reason: str | None = None

    def days(self, on: dt.date | None = None) -> int:
        """Calendar days suspended (up to ``on`` for a suspension that still lasts)."""
        end = self.end if self.end is not None else on
        return max(0, (end - self.start).days) if end is not None else 0


@attrs.frozen
class ExtensionStep:
    """One extension (verdaging) with who was notified and whether it came late."""

    duration: Duration
    on: dt.date
    notified: tuple[str, ...] = ()
    late: bool = False
    reason: str | None = None


@attrs.frozen
class DelayStep:
    """Further delay beyond the maximum, to an agreed date, with recorded consent."""

    until: dt.date
    on: dt.date
    consent_of: tuple[str, ...]
    reason: str | None = None


@attrs.frozen
class ClockStatus:
    """What ``case.deadlines`` shows for one clock on one day.

    ``working_days_left`` is None for a stopped clock: nothing is left to count.
    ``warning`` is true from ``warning_from`` (the term's ``waarschuwing``
    before the due date) while the clock runs; ``warning_to`` names the roles
    the warning is addressed to (YAML ``waarschuwing_aan``).
    """

    name: str
    title: str
    due: dt.date
    state: ClockState
    working_days_left: int | None
    warning: bool
    kind: str
    basis: tuple[str, ...]
    deadline: Deadline = attrs.field(repr=False)
    warning_from: dt.date | None = None
    warning_to: tuple[str, ...] = ()


def calendar_for(
    procedure: Procedure, term: Term, *, atw: AtwCalendar = ATW
) -> WorkingCalendar:
    """The calendar a term counts on: the Atw calendar, or an organisation calendar.

    ``atw`` lets a host pass an Atw calendar with newly designated days.
    """
    if term.calendar == "atw":
        return atw
    spec = procedure.calendars[term.calendar]
    return organisation_calendar(spec, atw=atw)


@lru_cache(maxsize=64)
def organisation_calendar(
    spec: Calendar, *, atw: AtwCalendar = ATW
) -> OrganisationCalendar:
    """The working calendar of a procedure's ``kalenders.<naam>``, on ``atw``.

    Both are immutable, so one calendar serves every engine of the same
    ``kalenders`` entry (cached): its day tables are built once, not per engine.
    """
    return OrganisationCalendar.from_days(
        spec.name,
        spec.closing_days,
        base=atw,
        good_friday=spec.good_friday,
        designated_days=spec.designated_days,
    )


def warning_start(
    term: Term, due: dt.date, calendar: WorkingCalendar
) -> dt.date | None:
    """The first day of ``term``'s warning period before ``due``, if it warns.

    ``waarschuwing: 5 werkdagen`` is the fifth working day before ``due`` on
    the term's own calendar; other units count back in calendar time.
    """
    warning = term.warning
    if warning is None:
        return None
    if warning.unit is Unit.WERKDAGEN:
        return calendar.add_workdays(due, -warning.amount)
    return add_duration(due, warning, calendar=calendar, direction=Direction.TERUG)


def _combined(durations: Iterable[Duration]) -> list[Duration]:
    """Extensions in steps count as one: 2 + 2 weeks is 4 weeks from the first end.

    Chaining each step from an Atw-extended end would add the rolled-forward
    days more than once. Days and weeks add up; other units stay separate steps.
    """
    out: list[Duration] = []
    for duration in durations:
        last = out[-1] if out else None
        days = {Unit.DAGEN: 1, Unit.WEKEN: 7}
        if last is not None and last.unit in days and duration.unit in days:
            total = (
                last.amount * days[last.unit] + duration.amount * days[duration.unit]
            )
            out[-1] = (
                Duration(total // 7, Unit.WEKEN)
                if total % 7 == 0
                else Duration(total, Unit.DAGEN)
            )
        elif last is not None and last.unit is duration.unit:
            out[-1] = Duration(last.amount + duration.amount, last.unit)
        else:
            out.append(duration)
    return out


@attrs.frozen
class TermClock:
    """An immutable clock: a term, the day it started and every change since."""

    term: Term
    started: dt.date
    calendar: WorkingCalendar = attrs.field(default=ATW, eq=False, repr=False)
    suspensions: tuple[Suspension, ...] = ()
    extensions: tuple[ExtensionStep, ...] = ()
    delays: tuple[DelayStep, ...] = ()
    stopped_on: dt.date | None = None

    @property
    def name(self) -> str:
        """The term's name in the procedure."""
        return self.term.name

    # ------------------------------------------------------------------ the date

    def _base(self, on: dt.date | None) -> Deadline:
        term = self.term
        base = compute(
            self.started,
            term.duration,
            calendar=self.calendar,
            atw=term.atw,
            direction=term.direction,
            basis=term.basis,
        )
        suspended = sum(s.days(on) for s in self.suspensions)
        if not suspended:
            return base
        raw = base.raw_end + dt.timedelta(days=suspended)
        end, shifts = (
            apply_atw(self.started, raw, calendar=self.calendar.atw)
            if base.atw
            else (raw, ())
        )
        return attrs.evolve(
            base,
            raw_end=raw,
            end=end,
            shifts=shifts,
            atw_note=f"{base.atw_note} Opgeschort: {suspended} dag(en) erbij.",
        )

    def _extended(self, deadline: Deadline, duration: Duration) -> Deadline:
        term = self.term
        basis = term.extension.basis if term.extension else ()
        return extend(
            deadline,
            duration,
            anchor=term.anchor,
            calendar=self.calendar,
            atw=term.atw,
            basis=basis,
        )

    def deadline(self, on: dt.date | None = None) -> Deadline:
        """The current deadline; an ongoing suspension counts up to ``on``."""
        result = self._base(on)
        for duration in _combined(step.duration for step in self.extensions):
            result = self._extended(result, duration)
        for delay in self.delays:
            result = Deadline(
                start=result.end,
                duration=Duration((delay.until - result.end).days, Unit.DAGEN),
                raw_end=delay.until,
                end=delay.until,
                atw=False,
                atw_note="Verder uitstel tot de afgesproken datum, met instemming van "
                + ", ".join(delay.consent_of)
                + ".",
                calendar=result.calendar,
                basis=self._further_basis(),
                previous=result,
                anchor_mode=TermAnchor.GEKOPPELD,
                label=f"Verder uitgesteld tot {delay.until.isoformat()} (vastgelegd op {delay.on.isoformat()}).",
            )
        return result

    def _further_basis(self) -> tuple[LegalBasis, ...]:
        spec = self.term.extension
        return (
            spec.further.basis if spec is not None and spec.further is not None else ()
        )

    def due(self, on: dt.date | None = None) -> dt.date:
        """The legal end date."""
        if not (self.suspensions or self.extensions or self.delays):
            try:
                rule = _due_rule(self.term, self.calendar)
            except TypeError:  # a host's calendar that cannot be hashed: no cache
                rule = None
            if rule is not None:
                return rule(self.started)
        return self.deadline(on).end

    def maximum_due(self) -> dt.date | None:
        """The latest end the extension maximum allows (``None`` without extension)."""
        if self.term.extension is None:
            return None
        return self._extended(self._base(None), self.term.extension.maximum).end

    # ------------------------------------------------------------------ changes

    def _require_running(self, what: str) -> None:
        # A chained term may be changed before it starts (e.g. a repair requested
        # during the bezwaartermijn); only a stopped term is final.
        if self.stopped_on is not None:
            msg = f"De termijn '{self.name}' is gestopt op {self.stopped_on}; {what} kan niet meer."
            raise TermError(msg, hint="Een gestopte termijn verandert niet meer.")

    @property
    def is_suspended(self) -> bool:
        """True while a suspension lasts."""
        return bool(self.suspensions) and self.suspensions[-1].end is None

    def suspend(self, on: dt.date, *, reason: str | None = None) -> TermClock:
        """Suspend from ``on``; only for terms with ``opschortbaar: true``."""
        self._require_running("opschorten")
        if not self.term.suspendable:
            msg = f"De termijn '{self.name}' kan niet worden opgeschort."
            raise TermError(
                msg,
                hint="Alleen termijnen met 'opschortbaar: true' kunnen worden opgeschort.",
            )
        if self.is_suspended:
            msg = f"De termijn '{self.name}' is al opgeschort sinds {self.suspensions[-1].start}."
            raise TermError(msg, hint="Hervat de termijn eerst.")
        # 🔶 Days before the term starts are not days of the term: a suspension
        # requested earlier counts from the start (Awb 7:10 lid 2 suspends "de termijn").
        start = max(on, self.started)
        return attrs.evolve(
            self, suspensions=(*self.suspensions, Suspension(start, reason=reason))
        )

    def resume(self, on: dt.date) -> TermClock:
        """End the current suspension on ``on``; its days are added to the term."""
        self._require_running("hervatten")
        if not self.is_suspended:
            msg = f"De termijn '{self.name}' is niet opgeschort."
            raise TermError(
                msg, hint="Alleen een opgeschorte termijn kan worden hervat."
            )
        last = self.suspensions[-1]
        # A suspension that began before the term did counts from the term's
        # start, so resuming before that start adds no days.
        end = max(on, last.start)
        return attrs.evolve(
            self, suspensions=(*self.suspensions[:-1], attrs.evolve(last, end=end))
        )

    def extend(
        self,
        duration: Duration,
        on: dt.date,
        *,
        notified: Iterable[str] = (),
        reason: str | None = None,
    ) -> TermClock:
        """Extend by ``duration``; refused beyond the procedure's maximum.

        Everyone the procedure says must be told (``melden_aan``) must be in
        ``notified``. An extension after the term expired is recorded as late.
        """
        self._require_running("verlengen")
        spec = self.term.extension
        if spec is None:
            msg = f"De termijn '{self.name}' kan niet worden verlengd."
            raise TermError(
                msg, hint="De procedure geeft voor deze termijn geen 'verlenging'."
            )
        told = tuple(notified)
        missing = [role for role in spec.notify if role not in told]
        if missing:
            msg = f"Bij verlenging van '{self.name}' moet bericht gaan naar: {', '.join(missing)}."
            raise TermError(
                msg, hint="Leg vast wie van de verlenging bericht kreeg (melden_aan)."
            )
        late = on > self.due(on)
        candidate = attrs.evolve(
            self,
            extensions=(
                *self.extensions,
                ExtensionStep(duration, on, told, late, reason),
            ),
        )
        maximum = self.maximum_due()
        if maximum is not None and candidate.due(on) > maximum:
            used = ", ".join(str(s.duration) for s in self.extensions) or "nog niets"
            msg = (
                f"Verlenging van '{self.name}' met {duration} gaat voorbij het maximum van "
                f"{spec.maximum} (al verlengd: {used}); uiterste datum {maximum.isoformat()}."
            )
            raise TermError(
                msg,
                hint="Verder uitstel kan alleen met (schriftelijke) instemming van "
                + (", ".join(spec.further.consent_of) if spec.further else "de klager")
                + ".",
            )
        return candidate

    def delay(
        self,
        until: dt.date,
        on: dt.date,
        *,
        consent_of: Iterable[str],
        reason: str | None = None,
    ) -> TermClock:
        """Further delay to ``until``, only with the consent the procedure requires."""
        self._require_running("uitstellen")
        spec = self.term.extension
        if spec is None or spec.further is None:
            msg = f"Voor de termijn '{self.name}' is verder uitstel niet mogelijk."
            raise TermError(
                msg, hint="De procedure geeft geen 'verder_uitstel' voor deze termijn."
            )
        given = tuple(consent_of)
        missing = [role for role in spec.further.consent_of if role not in given]
        if missing:
            msg = f"Verder uitstel van '{self.name}' vraagt instemming van: {', '.join(missing)}."
            raise TermError(
                msg, hint="Leg de (schriftelijke) instemming vast voordat u uitstelt."
            )
        if until <= self.due(on):
            msg = f"Uitstel tot {until} is geen uitstel: de termijn loopt al tot {self.due(on)}."
            raise TermError(msg, hint="Kies een datum na het huidige einde.")
        return attrs.evolve(
            self, delays=(*self.delays, DelayStep(until, on, given, reason))
        )

    def stop(self, on: dt.date) -> TermClock:
        """Stop the clock (the term is met, or no longer relevant)."""
        if self.stopped_on is not None:
            return self
        closed = self
        if self.is_suspended:
            closed = self.resume(max(on, self.suspensions[-1].start))
        # The constructor, not attrs.evolve: a stop runs on many fires and
        # evolve costs twice as much.
        return TermClock(
            closed.term,
            closed.started,
            closed.calendar,
            closed.suspensions,
            closed.extensions,
            closed.delays,
            on,
        )

    # ------------------------------------------------------------------ reading

    def state(self, on: dt.date) -> ClockState:
        """lopend, opgeschort, gestopt or verlopen on day ``on``."""
        if self.stopped_on is not None and self.stopped_on <= on:
            return ClockState.GESTOPT
        if self.is_suspended:
            return ClockState.OPGESCHORT
        if on > self.due(on):
            return ClockState.VERLOPEN
        return ClockState.LOPEND

    def working_days_left(self, on: dt.date) -> int:
        """Working days from ``on`` (exclusive) to the due date; negative when overdue."""
        due = self.due(on)
        if due >= on:
            return self.calendar.workdays_between(on, due)
        return -self.calendar.workdays_between(due, on)

    def warning_from(self, on: dt.date | None = None) -> dt.date | None:
        """The first day of the warning period (``waarschuwing``), if any."""
        return warning_start(self.term, self.due(on), self.calendar)

    def status(self, on: dt.date) -> ClockStatus:
        """The clock as ``case.deadlines`` shows it on day ``on``."""
        deadline = self.deadline(on)
        state = self.state(on)
        start_warning = self.warning_from(on)
        return ClockStatus(
            name=self.name,
            title=self.term.title,
            due=deadline.end,
            state=state,
            working_days_left=None
            if state is ClockState.GESTOPT
            else self.working_days_left(on),
            warning=state is ClockState.LOPEND
            and start_warning is not None
            and start_warning <= on,
            kind=self.term.kind.value,
            basis=tuple(str(b) for b in self.term.basis),
            deadline=deadline,
            warning_from=start_warning,
            warning_to=self.term.warning_to,
        )


@lru_cache(maxsize=512)
def _due_rule(
    term: Term, calendar: WorkingCalendar
) -> Callable[[dt.date], dt.date] | None:
    """``start -> compute(start, term...).end`` compiled once per term and
    calendar (storage writes a due date on every save); None for a term that
    ``compute`` itself must count (backwards, or working days under the Atw)."""
    if term.direction is not Direction.VOORUIT:
        return None
    applies = atw_applies(term.duration, stated=term.atw)[0]
    if not applies:  # compute's end is then its raw end
        return partial(add_duration, duration=term.duration, calendar=calendar)
    quick = quick_rule(term.duration, calendar)  # the rule termijn compiles too
    return quick[0] if quick is not None else None


def clock_ledger(clock: TermClock) -> dict[str, Any]:
    """A JSON-ready record of a clock's ledger (what storage keeps)."""
    return {
        "started": clock.started.isoformat(),
        "suspensions": [
            [s.start.isoformat(), s.end.isoformat() if s.end else None, s.reason]
            for s in clock.suspensions
        ],
        "extensions": [
            [str(e.duration), e.on.isoformat(), list(e.notified), e.late, e.reason]
            for e in clock.extensions
        ],
        "delays": [
            [d.until.isoformat(), d.on.isoformat(), list(d.consent_of), d.reason]
            for d in clock.delays
        ],
        "stopped_on": clock.stopped_on.isoformat() if clock.stopped_on else None,
    }


def clock_from_ledger(
    term: Term, ledger: Mapping[str, Any], calendar: WorkingCalendar
) -> TermClock:
    """Rebuild a clock from :func:`clock_ledger`'s record."""
    day = dt.date.fromisoformat
    return TermClock(
        term,
        day(ledger["started"]),
        calendar=calendar,
        suspensions=tuple(
            Suspension(day(s), day(e) if e else None, r)
            for s, e, r in ledger["suspensions"]
        ),
        extensions=tuple(
            ExtensionStep(Duration.parse(d), day(on), tuple(n), late, r)
            for d, on, n, late, r in ledger["extensions"]
        ),
        delays=tuple(
            DelayStep(day(u), day(on), tuple(c), r) for u, on, c, r in ledger["delays"]
        ),
        stopped_on=day(ledger["stopped_on"]) if ledger["stopped_on"] else None,
    )
