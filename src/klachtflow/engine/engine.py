"""The engine: moves complaint cases through a procedure, refusing what the
procedure or the law does not allow, and recording who did what, when and why.

It runs on the transitions library (one compiled machine per procedure, shared
by all cases), but nothing of transitions leaks out of this package.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from klachtflow.definition.model import (
    Action,
    Duration,
    Procedure,
    SeparationKind,
    Unit,
)
from klachtflow.engine import _arguments, _batch, _law, _notices, _terms
from klachtflow.engine._compiled import ActionTable, Permissions
from klachtflow.engine._data import normalise_data
from klachtflow.engine._machine import CompiledMachine
from klachtflow.engine._migration import migrate_case
from klachtflow.engine._refusals import refusal
from klachtflow.engine._seal import UNKEYED, Sealer
from klachtflow.engine.case import (
    EMPTY,
    GENESIS,
    Case,
    Event,
    FrozenMap,
    json_value,
    ledgers_digest,
)
from klachtflow.engine.conditions import ConditionContext, Conditions
from klachtflow.exceptions import (
    AssignmentRefused,
    ConditionNotMet,
    InvalidData,
    MomentRefused,
    NotPermitted,
    ProcedureMismatch,
    TermError,
    TransitionNotAllowed,
    UnknownAction,
    UnknownCondition,
)
from klachtflow.rules import _renamed
from klachtflow.rules.api import parse_date, parse_duration
from klachtflow.rules.calendar import ATW, AtwCalendar
from klachtflow.rules.clock import Clock, SystemClock, legal_date, to_utc
from klachtflow.rules.clocks import (
    ClockState,
    ClockStatus,
    TermClock,
    clock_from_ledger,
)
from klachtflow.rules.permissions import (
    INPUT_KINDS,
    Actor,
    Decision,
    Reason,
    ReasonKind,
    decide,
)

__all__ = ["Engine", "Listener"]

_LOGGER = logging.getLogger("klachtflow.engine")

#: A listener receives each event after it is applied, with the new case.
Listener = Callable[[Event, Case], None]
ListenerErrorHandler = Callable[[Listener, Event, BaseException], None]


def _log_listener_error(listener: Listener, event: Event, error: BaseException) -> None:
    _LOGGER.error(
        "Listener %r failed on event %s (%s) of a case; the case is unaffected.",
        listener,
        event.seq,
        event.action,
        exc_info=error,
    )


def _listeners(values: Iterable[Listener]) -> tuple[Listener, ...]:
    return _arguments.listeners(values)


#: The term inputs of a fire that supplies none (most fires).
_NO_INPUTS = _terms.TermInputs()


@attrs.define(eq=False)
class Engine:
    """Moves cases through one procedure.

    >>> from klachtflow import Engine, Actor, builtin_procedure
    >>> engine = Engine(builtin_procedure("gemeente-awb"))

    ``conditions`` registers the named conditions the procedure uses;
    ``clock`` says what "now" is (a :class:`~klachtflow.rules.clock.FixedClock`
    in tests); ``listeners`` receive each event after it is applied;
    ``atw`` is the Atw calendar (pass one with newly designated days).
    """

    procedure: Procedure
    conditions: Conditions = attrs.field(factory=Conditions)
    clock: Clock = attrs.field(factory=SystemClock)
    listeners: tuple[Listener, ...] = attrs.field(default=(), converter=_listeners)
    atw: AtwCalendar = ATW
    on_listener_error: ListenerErrorHandler = _log_listener_error
    id_factory: Callable[[], str] = _arguments.default_id
    history_key: bytes | str | Sealer | None = attrs.field(default=None, repr=False)
    future_tolerance: dt.timedelta = dt.timedelta(minutes=5)
    backdating: dt.timedelta | None = dt.timedelta(days=30)
    _sealer: Sealer = attrs.field(init=False, repr=False)
    _machine: CompiledMachine = attrs.field(init=False, repr=False)
    _table: ActionTable = attrs.field(init=False, repr=False)
    _permissions: Permissions = attrs.field(init=False, repr=False)
    _term_rules: _terms.TermRules = attrs.field(init=False, repr=False)
    _law_rules: _law.LawRules = attrs.field(init=False, repr=False)
    _visibility: Mapping[str, frozenset[str]] = attrs.field(init=False, repr=False)
    _needs_performers: frozenset[str] = attrs.field(init=False, repr=False)
    _needs_setters: frozenset[str] = attrs.field(init=False, repr=False)
    _notice_rules: _notices.NoticeRules = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        _arguments.engine(self)
        key = self.history_key
        self._sealer = (
            key if isinstance(key, Sealer) else Sealer(key) if key else UNKEYED
        )
        missing = self.procedure.condition_names - set(self.conditions)
        if missing:
            raise UnknownCondition(
                missing, f"{self.procedure.name} {self.procedure.version}"
            )
        self._machine = CompiledMachine(self.procedure, self._run_condition)
        self._table = self._machine.table
        self._permissions = Permissions(self.procedure, self._machine.valid_from)
        self._term_rules = _terms.TermRules.build(self.procedure, self.atw)
        self._law_rules = _law.LawRules.build(self.procedure)
        self._notice_rules = _notices.NoticeRules.build(self.procedure)
        self._needs_performers = frozenset(
            a.name
            for a in self.procedure.actions.values()
            if any(r.kind is SeparationKind.NIET_UITVOERDER_VAN for r in a.separation)
        )
        self._needs_setters = frozenset(
            a.name
            for a in self.procedure.actions.values()
            if any(r.unless for r in a.separation)
        )
        self._visibility = {
            name: field.visible_to
            for name, field in self.procedure.fields.items()
            if field.visible_to is not None
        }

    # ------------------------------------------------------------------ helpers

    def _run_condition(self, name: str, context: ConditionContext) -> bool:
        return bool(self.conditions[name](context))

    def _moment(self, at: dt.datetime | None) -> dt.datetime:
        return to_utc(at if at is not None else _arguments.now(self.clock))

    @property
    def sealer(self) -> Sealer:
        """What seals this engine's events (keyed when a history key was given)."""
        return self._sealer

    def _moments(
        self,
        case_id: str,
        at: dt.datetime | None,
        previous: Event | None,
        recorded_at: dt.datetime | None = None,
        earliest: dt.datetime | None = None,
    ) -> tuple[dt.datetime, dt.datetime]:
        """(effective moment, moment of recording) of a new event, both checked.

        Time is monotone: an event takes effect no earlier than the previous
        one, at most ``future_tolerance`` after it is recorded, and at most
        ``backdating`` before it is recorded (None: any time before).
        """
        now = to_utc(_arguments.now(self.clock))
        recorded = to_utc(recorded_at) if recorded_at is not None else now
        moment = to_utc(at) if at is not None else recorded
        if recorded > now + self.future_tolerance:
            raise MomentRefused(
                case_id=case_id,
                at=recorded.isoformat(),
                kind="vastgelegd_in_toekomst",
                message=f"Zaak {case_id}: een gebeurtenis kan niet in de toekomst "
                f"zijn vastgelegd ({recorded.isoformat()}).",
                hint="Controleer de klok van de server.",
            )
        if earliest is not None and recorded < earliest:
            raise MomentRefused(
                case_id=case_id,
                at=recorded.isoformat(),
                kind="vastgelegd_in_verleden",
                message=f"Zaak {case_id}: de gebeurtenis is vastgelegd op "
                f"{recorded.isoformat()}, vóór nu: zo'n zaak kan alleen als "
                "geschiedenis worden ingelezen.",
                hint="Sla een zaak op direct nadat de engine haar maakte; lees "
                "zaken uit een ander systeem in met store.add_many(..., "
                "historical=True).",
            )
        if (
            moment > recorded + self.future_tolerance
            or moment > now + self.future_tolerance
        ):
            raise MomentRefused(
                case_id=case_id,
                at=moment.isoformat(),
                kind="toekomst",
                message=f"Zaak {case_id}: het tijdstip {moment.isoformat()} ligt in de toekomst.",
                hint="Leg een gebeurtenis vast wanneer zij plaatsvindt, niet vooruit.",
            )
        if previous is not None and moment < previous.at:
            raise MomentRefused(
                case_id=case_id,
                at=moment.isoformat(),
                kind="voor_vorige",
                message=f"Zaak {case_id}: het tijdstip {moment.isoformat()} ligt vóór de vorige "
                f"gebeurtenis ({previous.at.isoformat()}, {previous.action}).",
                hint="Gebeurtenissen volgen elkaar in de tijd op; kies een tijdstip "
                "na de vorige gebeurtenis.",
            )
        if (
            previous is not None
            and previous.recorded_at is not None
            and recorded < previous.recorded_at - self.future_tolerance
        ):
            raise MomentRefused(
                case_id=case_id,
                at=recorded.isoformat(),
                kind="vastgelegd_voor_vorige",
                message=f"Zaak {case_id}: vastgelegd vóór de vorige gebeurtenis.",
                hint="Controleer de klok van de server.",
            )
        if self.backdating is not None and recorded - moment > self.backdating:
            raise MomentRefused(
                case_id=case_id,
                at=moment.isoformat(),
                kind="te_ver_terug",
                message=f"Zaak {case_id}: het tijdstip {moment.isoformat()} ligt meer dan "
                f"{self.backdating.days} dagen vóór het moment van vastleggen.",
                hint="Terugdateren (bijv. een brief van gisteren, vandaag ingevoerd) "
                "mag binnen het venster van Engine(backdating=...); stel het ruimer "
                "in als uw organisatie dat zo afspreekt.",
            )
        return moment, recorded

    def _pinned(self, case: Case) -> None:
        p = self.procedure
        if (case.procedure, case.procedure_version, case.procedure_digest) != (
            p.name,
            p.version,
            p.digest,
        ):
            raise ProcedureMismatch(
                case_id=case.id,
                case_procedure=f"{case.procedure} {case.procedure_version} ({case.procedure_digest[:19]})",
                engine_procedure=f"{p.name} {p.version} ({p.digest[:19]})",
            )

    def _action(self, case: Case, name: str) -> Action:
        action = self.procedure.actions.get(name)
        if action is None:
            raise UnknownAction(
                case_id=case.id,
                state=case.state,
                action=name,
                known=self.procedure.actions,
            )
        return action

    def _notify(self, event: Event, case: Case) -> None:
        for listener in self.listeners:
            try:
                listener(event, case)
            except Exception as error:
                self.on_listener_error(listener, event, error)

    def _data(
        self, case_id: str, state: str, action: str, supplied: Mapping[str, Any] | None
    ) -> dict[str, Any]:
        values, problems = normalise_data(self.procedure, supplied)
        if problems:
            raise InvalidData(
                case_id=case_id, state=state, action=action, problems=problems
            )
        return values

    # ------------------------------------------------------------------ start

    def _start_clocks(
        self,
        state: str,
        values: Mapping[str, Any],
        moment: dt.datetime,
        memo: dict[Any, Any] | None,
    ) -> tuple[dt.date, Mapping[str, TermClock], Mapping[str, str], str]:
        """(legal date, clocks, term log, clocks digest) of a new case.

        A batch passes a ``memo``: cases started at the same moment, with the
        same values of the fields terms start from, share these (frozen)
        objects instead of each holding equal copies.
        """
        key: Any = None
        if memo is not None:
            key = (moment, *(values.get(f) for f in self._term_rules.from_fields))
            try:
                found = memo.get(key)
            except TypeError:  # an unhashable value: no sharing
                key = found = None
            if found is not None:
                return found  # type: ignore[no-any-return]
        today = legal_date(moment)
        clocks, log = self._term_rules.start_clocks(state, values, today)
        made = (
            today,
            FrozenMap(clocks) if clocks else EMPTY,
            FrozenMap(log) if log else EMPTY,
            ledgers_digest(clocks),
        )
        if key is not None and memo is not None:
            memo[key] = made
        return made

    def start(
        self,
        *,
        actor: Actor,
        parties: Mapping[str, Iterable[str]],
        data: Mapping[str, Any] | None = None,
        at: dt.datetime | None = None,
        reason: str | None = None,
        case_id: str | None = None,
        **renamed: Any,
    ) -> Case:
        """Open a case in the procedure's start state.

        ``parties`` maps party roles (klager, beklaagde, ...) to person ids.
        Terms that start on entering the start state begin now (or at ``at``:
        a complaint received by letter yesterday, entered today, within the
        ``backdating`` window). ``reason`` is recorded with the start event.
        (``reden`` is the deprecated name of ``reason``, until 0.3.0.)
        """
        if renamed:
            reason = _renamed.renamed("start", renamed, {"reason": reason})["reason"]
        parties = _arguments.start(
            actor_=actor,
            parties_=parties,
            data=data,
            at=at,
            reason=reason,
            case_id=case_id,
        )
        return self._start(
            actor=actor,
            parties=parties,
            data=data,
            at=at,
            reden=reason,
            case_id=case_id,
        )

    def _start(
        self,
        *,
        actor: Actor,
        parties: Mapping[str, Iterable[str]],
        data: Mapping[str, Any] | None,
        at: dt.datetime | None,
        reden: str | None,
        case_id: str | None,
        salt: str | None = None,
        recorded_at: dt.datetime | None = None,
        notify: bool = True,
        earliest: dt.datetime | None = None,
        memo: dict[Any, Any] | None = None,
    ) -> Case:
        case_id = case_id or _arguments.new_id(self.id_factory)
        state = self._machine.initial_state
        problems = {
            role: "geen partij-rol in deze procedure"
            for role in parties
            if role not in self.procedure.roles
            or not self.procedure.roles[role].is_party
        }
        if problems:
            raise InvalidData(
                case_id=case_id, state=state, action="start", problems=problems
            )
        if not actor.roles & self.procedure.roles.keys():
            raise NotPermitted(
                case_id=case_id,
                state=state,
                action="start",
                actor=actor.id,
                roles=actor.roles,
                required_roles=self.procedure.roles,
            )
        values = self._data(case_id, state, "start", data)
        owned = sorted(set(values) & set(self._notice_rules.owners))
        if owned:
            raise AssignmentRefused(
                case_id=case_id,
                state=state,
                action="start",
                field=owned[0],
                message=f"'{owned[0]}' legt een toewijzing vast; de start mag het niet zetten.",
                hint=f"Wijs toe met '{self._notice_rules.owners[owned[0]][0]}'.",
            )
        moment, recorded = self._moments(case_id, at, None, recorded_at, earliest)
        today, clocks, log, clocks_seal = self._start_clocks(
            state, values, moment, memo
        )
        members = {role: tuple(dict.fromkeys(ids)) for role, ids in parties.items()}
        role = min(actor.roles & self.procedure.roles.keys())
        p = self.procedure
        event = Event.record(
            self._sealer,
            case_id=case_id,
            seq=1,
            action="start",
            from_state=None,
            to_state=state,
            actor=actor.id,
            role=role,
            at=moment,
            recorded_at=recorded,
            legal_date=today,
            procedure=p.name,
            procedure_version=p.version,
            procedure_digest=p.digest,
            prev_hash=GENESIS,
            changes={k: (None, json_value(v)) for k, v in values.items()}
            if values
            else EMPTY,
            reason=reden,
            terms=log or EMPTY,
            clocks=clocks_seal,
            parties=members,
            salt=salt,
        )
        case = Case(
            case_id,
            p.name,
            p.version,
            p.digest,
            state,
            1,
            members,
            values,
            (event,),
            clocks,
            None,
            self._visibility,
        )
        if notify:
            self._notify(event, case)
        return case

    def start_many(
        self, items: Iterable[Mapping[str, Any]], *, actor: Actor
    ) -> list[Case]:
        """Open a case per item, all or none; the cases in the items' order.

        Each item is a mapping with the arguments of :meth:`start`:
        ``parties`` (required), and optionally ``data``, ``at``, ``reason``
        and ``case_id``; ``actor`` starts every case. The result equals
        ``[start(actor=actor, **item) ...]`` on a fixed clock; every case of
        a batch is recorded at the same moment (the clock is read once).

        The first item that cannot start raises :class:`BatchItemRefused`
        with its ``index`` and the ``error`` it raised; then no case is
        returned and listeners hear of none. Listeners hear of the cases
        after all were made.
        """
        return _batch.start_many(self, items, actor=actor)

    # ------------------------------------------------------------------ deciding

    def explain(
        self,
        case: Case,
        action: str,
        actor: Actor,
        *,
        data: Mapping[str, Any] | None = None,
        consent: Mapping[str, str | None] | Iterable[str] | None = None,
        at: dt.datetime | None = None,
        letter: Mapping[str, Any] | None = None,
        **renamed: Any,
    ) -> Decision:
        """Whether ``actor`` may perform ``action`` now, with every reason if not.

        Never raises for a refusal: for user interfaces that ask "may I?".
        ``data`` and ``consent`` are what the caller would pass to :meth:`fire`.
        (``instemming`` is the deprecated name of ``consent``, until 0.3.0.)
        """
        if renamed:
            consent = _renamed.renamed("explain", renamed, {"consent": consent})[
                "consent"
            ]
        _arguments.explain(case, action, actor, data=data, consent=consent, at=at)
        self._pinned(case)
        spec = self._action(case, action)
        values, problems = normalise_data(self.procedure, data)
        decision = self._decide(
            case, spec, actor, values, _consents(consent), pending=False
        )
        reasons = list(decision.reasons)
        if problems:
            reasons.append(
                Reason(
                    ReasonKind.GEGEVENS, "Ongeldige gegevens.", {"problemen": problems}
                )
            )
        if self._notice_rules.active(spec, values, letter):
            today = legal_date(self._moment(at))
            reasons.extend(self._notice_reasons(case, spec, values, letter, today)[0])
        if not reasons and spec.conditions:
            failed = self._failed_conditions(
                case, spec, actor, {**case.data, **values}, at
            )
            if failed:
                reasons.append(
                    Reason(
                        ReasonKind.VOORWAARDE,
                        f"Niet voldaan aan: {', '.join(failed)}.",
                        {"voorwaarden": failed},
                    )
                )
        if not reasons:
            today = legal_date(self._moment(at))
            merged = {**case.data, **values}
            sent = (
                _notices.normalise_letter(letter) if spec.notice is not None else None
            )
            fire = _law.Fire(
                case.parties,
                case.clocks,
                actor,
                merged,
                today,
                tuple(sent["inhoud"]) if sent else (),
            )
            reasons.extend(_law.reasons(self._law_rules, spec, fire))
        return Decision(allowed=not reasons, reasons=tuple(reasons), role=decision.role)

    def _decide(
        self,
        case: Case,
        action: Action,
        actor: Actor,
        values: Mapping[str, Any],
        consents: Mapping[str, str | None],
        *,
        pending: bool,
    ) -> Decision:
        return decide(
            self.procedure,
            action,
            actor,
            state=case.status,
            parties=case.parties,
            data={**case.data, **values} if values else case.data,
            performers=case.performers()
            if action.name in self._needs_performers
            else {},
            consents=consents,
            inputs_pending=pending,
            valid_here=self._machine.valid_from.get(case.state, frozenset()),
            aliases=(self._sealer.pseudonym(actor.id),) if case.pseudonymised else (),
            prior=case.data,
            setters=_setters(case) if action.name in self._needs_setters else None,
        )

    def _failed_conditions(
        self,
        case: Case,
        action: Action,
        actor: Actor,
        data: Mapping[str, Any],
        at: dt.datetime | None,
    ) -> tuple[str, ...]:
        context = ConditionContext(case, actor, action.name, data, self._moment(at))
        return tuple(
            name for name in action.conditions if not self._run_condition(name, context)
        )

    def allowed_actions(self, case: Case, actor: Actor) -> tuple[str, ...]:
        """The actions ``actor`` may perform now.

        Assumes the caller supplies with ``fire`` what only the caller can: the
        required data, the consents, notice of an extension to everyone it must
        go to. An extension is offered while at least one more day fits within
        the maximum; a further delay while the term runs.
        """
        _arguments.case("allowed_actions(case)", case)
        _arguments.actor("allowed_actions(actor)", actor)
        self._pinned(case)
        allowed = []
        today = legal_date(self.clock.now())
        for name in sorted(self._machine.valid_from.get(case.state, ())):
            action = self.procedure.actions[name]
            decision = self._decide(case, action, actor, {}, {}, pending=True)
            if any(r.kind not in INPUT_KINDS for r in decision.reasons):
                continue
            if action.conditions and self._failed_conditions(
                case, action, actor, case.data, None
            ):
                continue
            if (action.terms.extend or action.terms.delay) and not self._terms_feasible(
                case, action
            ):
                continue
            if (action.after_expiry or action.before_expiry) and _law.unmet_timing(
                action, case.clocks, today
            ):
                continue
            if action.role_checks and _law.unmet_routing(action, actor, case.data):
                continue
            if name in self._law_rules.timing and self._law_rules.timing_refusal(
                name, _law.Fire(case.parties, case.clocks, actor, case.data, today)
            ):
                continue
            allowed.append(name)
        return tuple(allowed)

    def _terms_feasible(self, case: Case, action: Action) -> bool:
        """Whether an extension or delay could succeed with the most modest inputs."""
        today = legal_date(self.clock.now())
        running = [
            case.clocks[n]
            for n in (*action.terms.extend, *action.terms.delay)
            if n in case.clocks and case.clocks[n].stopped_on is None
        ]
        parties = {
            p for c in running if c.term.extension for p in c.term.extension.notify
        }
        consent = {
            p: "instemming"
            for c in running
            if c.term.extension and c.term.extension.further
            for p in c.term.extension.further.consent_of
        }
        inputs = _terms.TermInputs(
            notified=parties,
            extension=Duration(1, Unit.DAGEN),
            until=max((c.due(today) for c in running), default=today)
            + dt.timedelta(days=1),
            consent=consent,
        )
        try:
            clocks, _ = self._term_rules.apply(
                action,
                case.clocks,
                old_state=case.state,
                new_state=case.state,
                data=case.data,
                today=today,
                inputs=inputs,
            )
        except TermError:
            return False
        after = _law.After(case.clocks, clocks, tuple(parties), consent)
        return self._law_rules.check_after(action.name, after) is None

    def _notice_reasons(
        self,
        case: Case,
        spec: Action,
        values: Mapping[str, Any],
        letter: Mapping[str, Any] | None,
        today: dt.date,
    ) -> tuple[list[Reason], Mapping[str, str]]:
        """Refusals of an assignment or letter, and the letter to seal."""
        return self._notice_rules.reasons(
            spec,
            values,
            letter,
            case.parties,
            case.data,
            _setters(case),
            frozenset(e.action for e in case.history),
            today,
        )

    # ------------------------------------------------------------------ fire

    def fire(
        self,
        case: Case,
        action: str,
        *,
        actor: Actor,
        data: Mapping[str, Any] | None = None,
        reason: str | None = None,
        at: dt.datetime | None = None,
        consent: Mapping[str, str | None] | Iterable[str] | None = None,
        notified: Iterable[str] | None = None,
        extension: str | Duration | None = None,
        postponed_until: str | dt.date | None = None,
        letter: Mapping[str, Any] | None = None,
        **renamed: Any,
    ) -> Case:
        """Perform ``action`` on ``case``; return the new case (``version + 1``).

        Refusals raise (nothing changes): :class:`UnknownAction`,
        :class:`TransitionNotAllowed`, :class:`NotPermitted`,
        :class:`SeparationOfDutiesViolation`, :class:`MissingData`,
        :class:`InvalidData`, :class:`ConditionNotMet`, :class:`ConsentMissing`,
        :class:`TermError`, :class:`MomentRefused`, :class:`NotAssigned`,
        :class:`AssignmentRefused`, :class:`LetterRefused`.

        ``reason`` is recorded with the event; ``consent`` records consent per
        party role (with a reference to the document when written consent is
        required); ``notified`` who was told of an extension; ``extension`` by
        how much (default: the maximum); ``postponed_until`` the agreed date of
        a further delay. ``letter`` is the letter an action with ``brief`` sent:
        ``{"verzonden_op": date, "aan": [roles], "inhoud": [...], "bijlagen":
        [...], "schriftelijk": bool}``, sealed in the event as a letter. ``at`` is
        when the action took effect: not before the previous event, and within
        the engine's ``backdating`` window before now.

        The Dutch names ``reden``, ``instemming``, ``gemeld_aan``,
        ``verlenging`` and ``uitstel_tot`` are deprecated aliases until 0.3.0.
        """
        if renamed:
            given = _renamed.renamed(
                "fire",
                renamed,
                {
                    "reason": reason,
                    "consent": consent,
                    "notified": notified,
                    "extension": extension,
                    "postponed_until": postponed_until,
                },
            )
            reason, consent = given["reason"], given["consent"]
            notified, extension = given["notified"], given["extension"]
            postponed_until = given["postponed_until"]
        _arguments.fire(
            case,
            action,
            actor_=actor,
            data=data,
            reason=reason,
            at=at,
            consent=consent,
            notified=notified,
            extension=extension,
            postponed_until=postponed_until,
        )
        return self._fire(
            case,
            action,
            actor=actor,
            data=data,
            reden=reason,
            at=at,
            instemming=consent,
            gemeld_aan=notified,
            verlenging=extension,
            uitstel_tot=postponed_until,
            letter=letter,
        )

    def _fire(
        self,
        case: Case,
        action: str,
        *,
        actor: Actor,
        data: Mapping[str, Any] | None,
        reden: str | None,
        at: dt.datetime | None,
        instemming: Mapping[str, str | None] | Iterable[str] | None,
        gemeld_aan: Iterable[str] | None,
        verlenging: str | Duration | None,
        uitstel_tot: str | dt.date | None,
        letter: Mapping[str, Any] | None = None,
        salt: str | None = None,
        recorded_at: dt.datetime | None = None,
        notify: bool = True,
        earliest: dt.datetime | None = None,
    ) -> Case:
        self._pinned(case)
        spec = self._action(case, action)
        values = self._data(case.id, case.state, action, data) if data else {}
        consents = _consents(instemming)
        # The plain "allowed" is precompiled per (state, action); anything
        # else (a refusal, 9:7 separation, data, checks, consent) is decided
        # in full, with every reason.
        role = self._permissions.role(
            case.state, action, actor.roles, case.parties, actor.id
        )
        if role is None:
            decision = self._decide(case, spec, actor, values, consents, pending=False)
            if not decision.allowed:
                raise refusal(case, spec, actor, decision)
            role = decision.role
        last = case.history[-1]
        moment, recorded = self._moments(case.id, at, last, recorded_at, earliest)
        merged = {**case.data, **values} if values else case.data
        # Only named conditions read the context; transitions passes it on.
        context = (
            ConditionContext(case, actor, action, merged, moment)
            if spec.conditions
            else None
        )
        fired = self._table.fire(case.state, action, context)
        if fired is None:
            raise TransitionNotAllowed(
                case_id=case.id,
                state=case.state,
                action=action,
                allowed=self._machine.valid_from.get(case.state, ()),
            )
        accepted, new_state = fired
        if not accepted:
            failed = self._failed_conditions(case, spec, actor, merged, moment)
            raise ConditionNotMet(
                case_id=case.id,
                state=case.state,
                action=action,
                failed=failed or spec.conditions,
            )
        today = legal_date(moment)
        notice_inputs: Mapping[str, str] = EMPTY
        if self._notice_rules.active(spec, values, letter):
            notice_reasons, notice_inputs = self._notice_reasons(
                case, spec, values, letter, today
            )
            if notice_reasons:
                raise refusal(case, spec, actor, Decision(False, tuple(notice_reasons)))
        if spec.after_expiry or spec.before_expiry or spec.role_checks:
            unmet = (
                *_law.unmet_timing(spec, case.clocks, today),
                *_law.unmet_routing(spec, actor, merged),
            )
            if unmet:
                raise ConditionNotMet(
                    case_id=case.id, state=case.state, action=action, failed=unmet
                )
        sent = _notices.letter_of(notice_inputs)
        if action in self._law_rules.before:
            _law.refuse(
                case,
                spec,
                self._law_rules.check_before(
                    action,
                    _law.Fire(
                        case.parties,
                        case.clocks,
                        actor,
                        merged,
                        today,
                        tuple(sent["inhoud"]) if sent else (),
                    ),
                ),
            )
        term_inputs: dict[str, str] = {}
        try:
            extension = parse_duration(verlenging) if verlenging is not None else None
            until = parse_date(uitstel_tot) if uitstel_tot is not None else None
            if extension is not None:
                term_inputs["verlenging"] = str(extension)
            if until is not None:
                term_inputs["uitstel_tot"] = until.isoformat()
            inputs = (
                _terms.TermInputs(
                    notified=gemeld_aan,
                    extension=extension,
                    until=until,
                    consent=consents,
                )
                if gemeld_aan or consents or term_inputs
                else _NO_INPUTS
            )
            clocks, log = self._term_rules.apply(
                spec,
                case.clocks,
                old_state=case.state,
                new_state=new_state,
                data=merged,
                today=today,
                inputs=inputs,
            )
        except TermError as error:
            msg = f"{action}: {error.message}"
            raise TermError(msg, hint=error.hint) from error
        if log and action in self._law_rules.after:
            _law.refuse(
                case,
                spec,
                self._law_rules.check_after(
                    action,
                    _law.After(case.clocks, clocks, tuple(gemeld_aan or ()), consents),
                ),
            )
        result = spec.result or (
            merged.get(spec.result_field) if spec.result_field else None
        )
        changes = (
            {
                k: (json_value(case.data.get(k)), json_value(v))
                for k, v in values.items()
                if case.data.get(k) != v
            }
            if values
            else EMPTY
        )
        p = self.procedure
        new_clocks = FrozenMap(clocks) if log else case.clocks
        event = Event.record(
            self._sealer,
            case_id=case.id,
            seq=case.version + 1,
            action=action,
            from_state=case.state,
            to_state=new_state,
            actor=actor.id,
            role=role,
            at=moment,
            recorded_at=recorded,
            legal_date=today,
            procedure=p.name,
            procedure_version=p.version,
            procedure_digest=p.digest,
            prev_hash=last.hash,
            changes=changes,
            reason=reden,
            consent=consents
            if consents and (spec.consent or spec.terms.delay)
            else EMPTY,
            notified=tuple(gemeld_aan) if gemeld_aan else (),
            result=result,
            terms=log or EMPTY,
            inputs={**term_inputs, **notice_inputs}
            if notice_inputs
            else term_inputs or EMPTY,
            clocks=last.clocks
            if not log and last.format >= 2
            else ledgers_digest(new_clocks),
            salt=salt,
        )
        new_case = Case(
            case.id,
            case.procedure,
            case.procedure_version,
            case.procedure_digest,
            new_state,
            case.version + 1,
            case.parties,
            FrozenMap(merged) if values else case.data,
            (*case.history, event),
            new_clocks,
            result if result is not None else case.result,
            case.visibility,
        )
        if notify:
            self._notify(event, new_case)
        return new_case

    # ------------------------------------------------------------------ versions

    def migrate(
        self,
        case: Case,
        *,
        to: Procedure,
        state_map: Mapping[str, str] | None = None,
        actor: Actor,
        reason: str | None = None,
        at: dt.datetime | None = None,
        **renamed: Any,
    ) -> Case:
        """Move a case explicitly to another procedure (version); an audited event.

        ``state_map`` maps the case's current status (name or dotted path) to a
        status of ``to``; without an entry the status must exist in ``to`` by
        the same name. Clocks of terms that ``to`` also has are kept (with the
        new term rules); others are stopped and recorded. Use an engine for
        ``to`` to fire the migrated case.

        Only an actor with a role that ``to`` names under ``migratie: wie:`` may
        migrate, and only to another procedure or version
        (:class:`MigrationRefused` otherwise). ``reason`` is recorded with the
        event (``reden`` is its deprecated name, until 0.3.0).
        """
        if renamed:
            reason = _renamed.renamed("migrate", renamed, {"reason": reason})["reason"]
        _arguments.migrate(
            case, to=to, state_map=state_map, actor_=actor, reason=reason, at=at
        )
        return self._migrate(
            case, to=to, state_map=state_map, actor=actor, reden=reason, at=at
        )

    def _migrate(
        self,
        case: Case,
        *,
        to: Procedure,
        state_map: Mapping[str, str] | None,
        actor: Actor,
        reden: str | None,
        at: dt.datetime | None,
        salt: str | None = None,
        recorded_at: dt.datetime | None = None,
        notify: bool = True,
        earliest: dt.datetime | None = None,
    ) -> Case:
        moment, recorded = self._moments(
            case.id, at, case.history[-1], recorded_at, earliest
        )
        migrated = migrate_case(
            case,
            to=to,
            state_map=state_map or {},
            actor=actor,
            reden=reden,
            moment=moment,
            recorded_at=recorded,
            atw=self.atw,
            sealer=self._sealer,
            salt=salt,
        )
        if notify:
            self._notify(migrated.history[-1], migrated)
        return migrated

    # ------------------------------------------------------------------ restoring

    def restore_case(
        self,
        *,
        case_id: str,
        state: str,
        version: int,
        parties: Mapping[str, Iterable[str]],
        data: Mapping[str, Any],
        history: Iterable[Event],
        clocks: Mapping[str, Mapping[str, Any]],
        result: str | None,
    ) -> Case:
        """Rebuild a case from stored facts (for storage backends).

        ``data`` may hold JSON forms (ISO dates); ``clocks`` maps each term to
        the ledger written by :func:`clock_ledger`. Nothing is re-run: no
        listeners, no conditions, no term computations beyond the ledger.
        """
        parties, history = _arguments.restore(
            case_id=case_id,
            state=state,
            version=version,
            parties_=parties,
            data=data,
            history=history,
            clocks=clocks,
            result=result,
        )
        values, _ = normalise_data(self.procedure, data)
        # Values that no longer fit (never for a pinned procedure) stay as stored.
        restored = {**data, **values}
        rebuilt = self.restore_clocks(clocks)
        return Case(
            case_id,
            self.procedure.name,
            self.procedure.version,
            self.procedure.digest,
            state,
            version,
            FrozenMap({role: tuple(ids) for role, ids in parties.items()}),
            FrozenMap(restored),
            tuple(history),
            FrozenMap(rebuilt),
            result,
            self._visibility,
        )

    def restore_clocks(
        self, ledgers: Mapping[str, Mapping[str, Any]]
    ) -> dict[str, TermClock]:
        """The term clocks rebuilt from their stored ledgers (:func:`clock_ledger`),
        as :meth:`restore_case` does; ledgers of terms the procedure lacks are left out."""
        return {
            name: clock_from_ledger(
                self.procedure.terms[name], ledger, self._term_rules.calendars[name]
            )
            for name, ledger in ledgers.items()
            if name in self.procedure.terms
        }

    # ------------------------------------------------------------------ monitoring

    def deadlines(
        self, case: Case, on: dt.date | None = None
    ) -> tuple[ClockStatus, ...]:
        """Every clock of ``case`` on ``on`` (default: today by the engine's clock)."""
        _arguments.case("deadlines(case)", case)
        _arguments.monitoring("deadlines", on=on)
        return case.deadlines_on(on or legal_date(self.clock.now()))

    def overdue(
        self, cases: Iterable[Case], *, on: dt.date | None = None
    ) -> list[tuple[Case, ClockStatus]]:
        """Every running clock past its due date on ``on``, with its case."""
        _arguments.monitoring("overdue", on=on)
        cases = _arguments.cases("overdue(cases)", cases)
        day = on or legal_date(self.clock.now())
        return [
            (case, status)
            for case in cases
            for status in case.deadlines_on(day)
            if status.state is ClockState.VERLOPEN
        ]

    def due_within(
        self, cases: Iterable[Case], days: int, *, on: dt.date | None = None
    ) -> list[tuple[Case, ClockStatus]]:
        """Every running clock due within ``days`` calendar days from ``on``."""
        _arguments.monitoring("due_within", on=on, days=days)
        cases = _arguments.cases("due_within(cases)", cases)
        day = on or legal_date(self.clock.now())
        limit = day + dt.timedelta(days=days)
        return [
            (case, status)
            for case in cases
            for status in case.deadlines_on(day)
            if status.state is ClockState.LOPEND and status.due <= limit
        ]


def _setters(case: Case) -> dict[str, str]:
    """Who set each data field last (its actor id), from the history."""
    found: dict[str, str] = {}
    for event in case.history:
        for name in event.changes:
            found[name] = event.actor
    return found


def _consents(
    given: Mapping[str, str | None] | Iterable[str] | None,
) -> dict[str, str | None]:
    if given is None:
        return {}
    if isinstance(given, Mapping):
        return dict(given)
    return dict.fromkeys(given)
