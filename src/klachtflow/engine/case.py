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

from klachtflow.engine._seal import HASHED, canonical, digest, hashed_values, json_value
from klachtflow.rules.clocks import ClockState, ClockStatus, TermClock
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

    def payload(self) -> dict[str, Any]:
        """Everything the hash covers, in JSON form (all fields but ``hash``)."""
        return dict(zip(HASHED, self._values(), strict=True))

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

    def compute_hash(self) -> str:
        """SHA-256 over the canonical JSON of every field but ``hash``."""
        return digest(canonical(self._values()))

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
        """Build an event with its hash (computed once, from the same values)."""
        seal = digest(
            canonical(
                hashed_values(
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
                    changes,
                    reason,
                    consent,
                    notified,
                    result,
                    terms,
                )
            )
        )
        return cls(
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
            seal,
            changes,
            reason,
            consent,
            notified,
            result,
            terms,
        )


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
        for role in actor.rollen & allowed:
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
    """The result of :func:`verify_history`: truthy when the trail is intact."""

    valid: bool
    problems: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self.valid


def verify_history(case: Case) -> HistoryReport:
    """Check the hash chain, the sequence numbers and ``version == len(history)``.

    Any edited, removed, inserted or reordered event breaks the chain.
    """
    problems: list[str] = []
    previous = GENESIS
    for index, event in enumerate(case.history, start=1):
        if event.seq != index:
            problems.append(f"gebeurtenis {index} heeft volgnummer {event.seq}")
        if event.prev_hash != previous:
            problems.append(f"gebeurtenis {event.seq} sluit niet aan op de vorige")
        if event.compute_hash() != event.hash:
            problems.append(f"gebeurtenis {event.seq} is gewijzigd (hash klopt niet)")
        previous = event.hash
    if case.version != len(case.history):
        problems.append(
            f"versie {case.version} maar {len(case.history)} gebeurtenissen"
        )
    if case.history and case.history[-1].to_state != case.state:
        problems.append("de status van de zaak volgt niet uit de laatste gebeurtenis")
    return HistoryReport(valid=not problems, problems=tuple(problems))
