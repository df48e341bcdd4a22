"""Cases and their audit trail: immutable values.

A :class:`Case` never changes; :meth:`Engine.fire` returns a new one with
``version + 1`` and one more :class:`Event`. Each event carries a hash over
its content and the previous event's hash, so :func:`verify_history` detects
any edited, removed or reordered event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from klachtflow.engine._seal import (
    FORMAT_TAG,
    HASHED,
    HASHED_V2,
    UNKEYED,
    Sealer,
    canonical,
    digest,
    hashed_values,
    is_pseudonym,
    json_string,
    json_value,
    new_salt,
    personal_commitment,
)
from klachtflow.rules.clock import legal_date as legal_date_of
from klachtflow.rules.clocks import ClockState, ClockStatus, TermClock, clock_ledger
from klachtflow.rules.permissions import Actor

__all__ = [
    "ANONYMOUS",
    "EMPTY",
    "GENESIS",
    "Case",
    "CaseView",
    "Event",
    "FrozenMap",
    "HistoryReport",
    "json_value",
    "ledgers_digest",
    "verify_history",
]

#: The actor of every event whose personal data was removed (retention, erasure);
#: storage writes it, the audit recognises it.
ANONYMOUS = "geanonimiseerd"

#: The "previous hash" of the first event of every case.
GENESIS = "0" * 64


class FrozenMap(dict[str, Any]):
    """A read-only dict: the mappings of cases and events.

    Every mutating method raises ``TypeError``. A subclass of dict instead of
    a ``MappingProxyType`` around a copy: one object per mapping, not two,
    which keeps a live case under 2 KB.
    """

    __slots__ = ()

    def _readonly(self, *args: object, **kwargs: object) -> None:
        msg = "case and event data are read-only; fire an action to change a case"
        raise TypeError(msg)

    __setitem__ = __delitem__ = _readonly
    clear = pop = popitem = setdefault = update = _readonly  # type: ignore[assignment]
    __ior__ = _readonly  # type: ignore[assignment]

    def __reduce__(self) -> tuple[type[FrozenMap], tuple[dict[str, Any]]]:
        return (FrozenMap, (dict(self),))

    def __repr__(self) -> str:
        return f"FrozenMap({dict.__repr__(self)})"


EMPTY: Mapping[str, Any] = FrozenMap()


def _frozen(value: Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(value, FrozenMap):
        return value
    return FrozenMap(value) if value else EMPTY


@attrs.frozen
class Event:
    """One fact in a case's history: who did what, when, why, and what changed.

    ``changes`` maps each data field to ``(old, new)`` in JSON form; ``terms``
    maps each term touched to what happened to it; ``consent`` the parties who
    consented (with a reference to the document, if any); ``notified`` who was
    told (e.g. of an extension).

    Events of history format 2 (every event klachtflow writes now) also carry
    the ``case_id``, the moment the event was ``recorded_at`` beside its
    effective moment ``at``, the term ``inputs`` of the action, a digest of the
    term ``clocks`` after it, the ``key_id`` of the key that sealed it, and a
    salted commitment (``personal``, with its ``salt``) to the personal values.
    ``salt`` is None once erasure removed the personal values. Format-1 events
    (stored before) keep verifying under their own rule.
    """

    seq: int
    action: str
    from_state: str | None
    to_state: str
    actor: str
    role: str | None
    at: dt.datetime
    legal_date: dt.date
    procedure: str
    procedure_version: str
    procedure_digest: str
    prev_hash: str
    hash: str
    changes: Mapping[str, tuple[Any, Any]] = attrs.field(
        default=EMPTY, converter=_frozen
    )
    reason: str | None = None
    consent: Mapping[str, str | None] = attrs.field(default=EMPTY, converter=_frozen)
    notified: tuple[str, ...] = ()
    result: str | None = None
    terms: Mapping[str, str] = attrs.field(default=EMPTY, converter=_frozen)
    case_id: str = ""
    format: int = 1
    recorded_at: dt.datetime | None = None
    inputs: Mapping[str, str] = attrs.field(default=EMPTY, converter=_frozen)
    clocks: str = ""
    key_id: str = ""
    salt: str | None = attrs.field(default=None, repr=False)
    personal: str = ""

    @property
    def backdated_by(self) -> dt.timedelta:
        """How long before it was recorded the event took effect (zero if not)."""
        if self.recorded_at is None or self.recorded_at <= self.at:
            return dt.timedelta(0)
        return self.recorded_at - self.at

    @property
    def erased(self) -> bool:
        """Whether erasure removed this event's personal values (format 2)."""
        return self.format >= 2 and self.salt is None

    def payload(self) -> dict[str, Any]:
        """Everything the hash covers, in JSON form (by format)."""
        if self.format >= 2:
            return dict(zip(HASHED_V2, self._values_v2(), strict=True))
        return dict(zip(HASHED, self._values(), strict=True))

    def _values_v2(self) -> list[Any]:
        at = self.at.isoformat()
        recorded = self.recorded_at
        return [
            FORMAT_TAG,
            self.case_id,
            self.seq,
            self.action,
            self.from_state,
            self.to_state,
            self.role,
            at,
            # Recorded when it took effect (every live fire): one isoformat.
            at
            if recorded is self.at
            else recorded.isoformat()
            if recorded is not None
            else None,
            self.legal_date.isoformat(),
            self.procedure,
            self.procedure_version,
            self.procedure_digest,
            self.prev_hash,
            self.result,
            self.terms,
            self.inputs,
            self.clocks,
            self.key_id,
            self.personal,
        ]

    def _values(self) -> list[Any]:
        return hashed_values(
            self.seq,
            self.action,
            self.from_state,
            self.to_state,
            self.actor,
            self.role,
            self.at,
            self.legal_date,
            self.procedure,
            self.procedure_version,
            self.procedure_digest,
            self.prev_hash,
            self.changes,
            self.reason,
            self.consent,
            self.notified,
            self.result,
            self.terms,
        )

    def compute_hash(self, sealer: Sealer = UNKEYED) -> str:
        """The hash this event should carry.

        Format 1: SHA-256 over the canonical JSON of every field but ``hash``.
        Format 2: the ``sealer``'s seal (HMAC-SHA256 when keyed) over
        :data:`~klachtflow.engine._seal.HASHED_V2`.
        """
        if self.format >= 2:
            return sealer.seal(canonical(self._values_v2()))
        return digest(canonical(self._values()))

    def compute_personal(
        self, parties: Mapping[str, tuple[str, ...]] | None = None
    ) -> str | None:
        """The commitment to the personal values (None when erased or format 1).

        ``parties`` are the case's parties, committed by the start event.
        """
        if self.format < 2 or self.salt is None:
            return None
        return personal_commitment(
            self.salt,
            self.actor,
            self.reason,
            self.changes,
            self.consent,
            self.notified,
            parties if self.seq == 1 else None,
        )

    @classmethod
    def record(
        cls,
        sealer: Sealer,
        *,
        case_id: str,
        seq: int,
        action: str,
        from_state: str | None,
        to_state: str,
        actor: str,
        role: str | None,
        at: dt.datetime,
        recorded_at: dt.datetime,
        legal_date: dt.date,
        procedure: str,
        procedure_version: str,
        procedure_digest: str,
        prev_hash: str,
        changes: Mapping[str, tuple[Any, Any]] = EMPTY,
        reason: str | None = None,
        consent: Mapping[str, str | None] = EMPTY,
        notified: tuple[str, ...] = (),
        result: str | None = None,
        terms: Mapping[str, str] = EMPTY,
        inputs: Mapping[str, str] = EMPTY,
        clocks: str = "",
        parties: Mapping[str, tuple[str, ...]] | None = None,
        salt: str | None = None,
    ) -> Event:
        """A new format-2 event, sealed by ``sealer``.

        ``parties`` (the start event's) are committed with the personal values;
        ``salt`` is fresh unless a replay passes the recorded one.
        """
        salt = salt or new_salt()
        personal = personal_commitment(
            salt, actor, reason, changes, consent, notified, parties
        )
        event = cls(
            seq,
            action,
            from_state,
            to_state,
            actor,
            role,
            at,
            legal_date,
            procedure,
            procedure_version,
            procedure_digest,
            prev_hash,
            "",
            changes,
            reason,
            consent,
            notified,
            result,
            terms,
            case_id,
            2,
            recorded_at,
            inputs,
            clocks,
            sealer.key_id,
            salt,
            personal,
        )
        object.__setattr__(event, "hash", event.compute_hash(sealer))
        return event

    @classmethod
    def sealed(  # noqa: PLR0917 - mirrors the fields, in hash order
        cls,
        seq: int,
        action: str,
        from_state: str | None,
        to_state: str,
        actor: str,
        role: str | None,
        at: dt.datetime,
        legal_date: dt.date,
        procedure: str,
        procedure_version: str,
        procedure_digest: str,
        prev_hash: str,
        changes: Mapping[str, tuple[Any, Any]],
        reason: str | None,
        consent: Mapping[str, str | None],
        notified: tuple[str, ...],
        result: str | None,
        terms: Mapping[str, str],
    ) -> Event:
        """Build a format-1 event with its hash (the format stored before
        format 2; kept so old histories can be checked and tests can make one)."""
        event = cls(
            seq,
            action,
            from_state,
            to_state,
            actor,
            role,
            at,
            legal_date,
            procedure,
            procedure_version,
            procedure_digest,
            prev_hash,
            "",
            changes,
            reason,
            consent,
            notified,
            result,
            terms,
        )
        object.__setattr__(event, "hash", event.compute_hash())
        return event


@attrs.frozen
class CaseView:
    """What one actor may see of a case (confidential fields left out)."""

    id: str
    state: str
    version: int
    parties: Mapping[str, tuple[str, ...]]
    data: Mapping[str, Any]
    hidden: frozenset[str]
    history: tuple[Event, ...]


@attrs.frozen
class Case:
    """A complaint case: an immutable value pinned to one procedure version.

    ``state`` is the dotted path of the current (leaf) status; ``clocks`` the
    term clocks by term name. ``deadlines`` shows the clocks that still run
    (also suspended or overdue ones) as of the legal date of the last event,
    ``stopped_deadlines`` the ones that have stopped; :meth:`deadlines_on`
    shows every clock on another day.
    """

    id: str
    procedure: str
    procedure_version: str
    procedure_digest: str
    state: str
    version: int
    parties: Mapping[str, tuple[str, ...]] = attrs.field(converter=_frozen)
    data: Mapping[str, Any] = attrs.field(converter=_frozen)
    history: tuple[Event, ...]
    clocks: Mapping[str, TermClock] = attrs.field(default=EMPTY, converter=_frozen)
    result: str | None = None
    visibility: Mapping[str, frozenset[str]] = attrs.field(
        default=EMPTY, eq=False, repr=False
    )

    @property
    def status(self) -> str:
        """The name of the current (leaf) status."""
        return self.state.rpartition(".")[2]

    @property
    def pseudonymised(self) -> bool:
        """Whether erasure replaced any party or actor of this case by a pseudonym."""
        return any(
            is_pseudonym(i) for ids in self.parties.values() for i in ids
        ) or any(is_pseudonym(e.actor) for e in self.history)

    @property
    def last_event(self) -> Event:
        """The most recent event."""
        return self.history[-1]

    @property
    def deadlines(self) -> tuple[ClockStatus, ...]:
        """The deadlines that still count, as of the legal date of the last event.

        Running, suspended and overdue clocks; a stopped clock (its term was
        met or ended) is in :attr:`stopped_deadlines` instead.
        """
        return tuple(
            s
            for s in self.deadlines_on(self.history[-1].legal_date)
            if s.state is not ClockState.GESTOPT
        )

    @property
    def stopped_deadlines(self) -> tuple[ClockStatus, ...]:
        """The clocks that have stopped, as of the last event (no days left to count)."""
        return tuple(
            s
            for s in self.deadlines_on(self.history[-1].legal_date)
            if s.state is ClockState.GESTOPT
        )

    def deadlines_on(self, on: dt.date) -> tuple[ClockStatus, ...]:
        """Every term clock as it stands on day ``on``."""
        return tuple(clock.status(on) for clock in self.clocks.values())

    def performers(self) -> dict[str, frozenset[str]]:
        """For each action, the ids of the actors who performed it on this case."""
        found: dict[str, set[str]] = {}
        for event in self.history:
            found.setdefault(event.action, set()).add(event.actor)
        return {k: frozenset(v) for k, v in found.items()}

    def can_see(self, actor: Actor, field: str) -> bool:
        """Whether ``actor`` may see data field ``field`` (confidentiality)."""
        allowed = self.visibility.get(field)
        if allowed is None:
            return True
        for role in actor.roles & allowed:
            members = self.parties.get(role)
            if members is None or actor.id in members:
                return True
        return False

    def view_for(self, actor: Actor) -> CaseView:
        """The case as ``actor`` may see it: confidential fields (and their
        changes in the history) are left out unless the actor holds one of the
        roles the procedure names (a party role only for that party)."""
        hidden = frozenset(f for f in self.visibility if not self.can_see(actor, f))
        history = self.history
        if hidden:
            history = tuple(
                attrs.evolve(
                    e, changes={k: v for k, v in e.changes.items() if k not in hidden}
                )
                if hidden & e.changes.keys()
                else e
                for e in self.history
            )
        return CaseView(
            id=self.id,
            state=self.state,
            version=self.version,
            parties=self.parties,
            data=FrozenMap({k: v for k, v in self.data.items() if k not in hidden}),
            hidden=hidden,
            history=history,
        )


@attrs.frozen
class HistoryReport:
    """The result of :func:`verify_history`: truthy when the trail is intact.

    ``problems`` says in Dutch what does not verify. The rest describes an
    intact history: ``keyed`` whether it was checked with a key, ``legacy``
    how many events are of the old format 1 (unkeyed, personal data hashed),
    ``erased`` the events whose personal values erasure removed, and
    ``backdated`` the events recorded later than they took effect.
    """

    valid: bool
    problems: tuple[str, ...] = ()
    keyed: bool = False
    legacy: int = 0
    erased: tuple[int, ...] = ()
    backdated: tuple[int, ...] = ()

    def __bool__(self) -> bool:
        return self.valid


def _ledger_text(clock: TermClock) -> str:
    """``canonical(clock_ledger(clock))``; a clock that was never suspended,
    extended or delayed (most of them) is written without the encoder."""
    if clock.suspensions or clock.extensions or clock.delays:
        return canonical(clock_ledger(clock))
    stopped = f'"{clock.stopped_on.isoformat()}"' if clock.stopped_on else "null"
    return (
        f'{{"delays":[],"extensions":[],"started":"{clock.started.isoformat()}",'
        f'"stopped_on":{stopped},"suspensions":[]}}'
    )


def ledgers_digest(clocks: Mapping[str, TermClock]) -> str:
    """The digest of a case's term clocks, as format-2 events commit to it.

    The same text as ``clocks_digest({name: clock_ledger(c) ...})`` (keys
    sorted, compact), put together per clock; ``tests/engine/test_seal_fast_paths.py``
    checks both agree.
    """
    body = ",".join(
        f"{json_string(name)}:{_ledger_text(clocks[name])}" for name in sorted(clocks)
    )
    return digest(f"[{{{body}}}]")


def _sealer(key: bytes | str | Sealer | None) -> Sealer:
    if isinstance(key, Sealer):
        return key
    return Sealer(key) if key else UNKEYED


def _key_problem(event: Event, sealer: Sealer) -> str | None:
    if event.key_id == sealer.key_id:
        return None
    if event.key_id and not sealer.keyed:
        return (
            f"gebeurtenis {event.seq} is verzegeld met sleutel {event.key_id}; "
            "controleer met die sleutel"
        )
    if not event.key_id:
        return (
            f"gebeurtenis {event.seq} is niet met een sleutel verzegeld, terwijl "
            "de geschiedenis gesleuteld hoort te zijn (opnieuw berekend zonder sleutel?)"
        )
    return (
        f"gebeurtenis {event.seq} is verzegeld met een andere sleutel ({event.key_id})"
    )


def verify_history(
    case: Case, *, key: bytes | str | Sealer | None = None
) -> HistoryReport:
    """Check that ``case`` is exactly what its history says.

    The chain: sequence numbers, each event linked to the previous hash, each
    hash recomputed (format 2: under ``key`` when the history is keyed), every
    event of this case, effective dates never going back, each event starting
    where the previous one ended. The case: ``version == len(history)``, its
    status, procedure, result, data (where not erased) and term clocks as the
    events say. Any edited, removed, inserted, reordered or moved event, and
    any case field that does not follow from the events, is a problem.
    """
    sealer = _sealer(key)
    problems: list[str] = []
    erased: list[int] = []
    backdated: list[int] = []
    legacy = 0
    previous: Event | None = None
    seen_v2 = False
    for index, event in enumerate(case.history, start=1):
        if event.seq != index:
            problems.append(f"gebeurtenis {index} heeft volgnummer {event.seq}")
        if event.prev_hash != (previous.hash if previous else GENESIS):
            problems.append(f"gebeurtenis {event.seq} sluit niet aan op de vorige")
        if event.format >= 2:
            seen_v2 = True
            if event.case_id != case.id:
                problems.append(
                    f"gebeurtenis {event.seq} hoort bij zaak {event.case_id!r}, "
                    f"niet bij {case.id!r}"
                )
            key_problem = _key_problem(event, sealer)
            if key_problem:
                problems.append(key_problem)
            elif event.compute_hash(sealer) != event.hash:
                problems.append(
                    f"gebeurtenis {event.seq} is gewijzigd (zegel klopt niet)"
                )
            personal = event.compute_personal(case.parties)
            if personal is None:
                erased.append(event.seq)
            elif personal != event.personal:
                problems.append(
                    f"de persoonsgegevens van gebeurtenis {event.seq} zijn gewijzigd"
                )
            if event.recorded_at is None:
                problems.append(
                    f"gebeurtenis {event.seq} mist het moment van vastleggen"
                )
            elif event.backdated_by > dt.timedelta(0):
                backdated.append(event.seq)
        else:
            legacy += 1
            if seen_v2:
                problems.append(
                    f"gebeurtenis {event.seq} heeft het oude formaat na een gebeurtenis "
                    "in het nieuwe"
                )
            if event.compute_hash() != event.hash:
                problems.append(
                    f"gebeurtenis {event.seq} is gewijzigd (hash klopt niet)"
                )
        if previous is not None:
            if event.at < previous.at:
                problems.append(
                    f"gebeurtenis {event.seq} is gedateerd vóór gebeurtenis {previous.seq}"
                )
            if event.from_state != previous.to_state:
                problems.append(
                    f"gebeurtenis {event.seq} begint niet in de status waarin "
                    f"gebeurtenis {previous.seq} eindigde"
                )
        if event.legal_date != legal_date_of(event.at):
            problems.append(
                f"de wettelijke datum van gebeurtenis {event.seq} volgt niet uit "
                "het tijdstip"
            )
        previous = event
    problems += _case_problems(case, erased=bool(erased))
    return HistoryReport(
        valid=not problems,
        problems=tuple(problems),
        keyed=sealer.keyed,
        legacy=legacy,
        erased=tuple(erased),
        backdated=tuple(backdated),
    )


def _case_problems(case: Case, *, erased: bool) -> list[str]:
    """What of the case's own fields does not follow from its events."""
    problems: list[str] = []
    if case.version != len(case.history):
        problems.append(
            f"versie {case.version} maar {len(case.history)} gebeurtenissen"
        )
    if not case.history:
        return [*problems, "de zaak heeft geen gebeurtenissen"]
    last = case.history[-1]
    if last.to_state != case.state:
        problems.append("de status van de zaak volgt niet uit de laatste gebeurtenis")
    if (last.procedure, last.procedure_version, last.procedure_digest) != (
        case.procedure,
        case.procedure_version,
        case.procedure_digest,
    ):
        problems.append(
            "de procedure van de zaak volgt niet uit de laatste gebeurtenis"
        )
    result = None
    for event in case.history:
        if event.result is not None:
            result = event.result
    if result != case.result:
        problems.append(
            f"het resultaat van de zaak ({case.result}) volgt niet uit de gebeurtenissen "
            f"({result})"
        )
    if not erased:
        data: dict[str, Any] = {}
        for event in case.history:
            if event.action == "migratie" and event.format < 2:
                continue
            for name, (_old, new) in event.changes.items():
                data[name] = new
        if data != {k: json_value(v) for k, v in case.data.items()}:
            problems.append("de gegevens van de zaak volgen niet uit de gebeurtenissen")
    if last.format >= 2 and last.clocks != ledgers_digest(case.clocks):
        problems.append("de termijnen van de zaak volgen niet uit de gebeurtenissen")
    return problems
