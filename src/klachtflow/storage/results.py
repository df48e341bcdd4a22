"""What store queries return: small immutable records without personal data."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from klachtflow.engine import Case

__all__ = [
    "CaseSummary",
    "Checkpoint",
    "Claim",
    "DueDeadline",
    "DueWarning",
    "ErasureGround",
    "ExportResult",
    "ImportRefusal",
    "ImportResult",
    "IntegrityReport",
    "Removal",
    "Skeleton",
    "Statistics",
    "StoreReport",
    "SummaryResult",
]


@attrs.frozen
class CaseSummary:
    """One line of a case list (no personal data)."""

    id: str
    status: str
    state: str
    version: int
    result: str | None
    category: str | None
    channel: str | None
    opened_on: dt.date
    closed_on: dt.date | None
    procedure: str
    procedure_version: str


@attrs.frozen
class DueDeadline:
    """A stored deadline that is due, overdue or claimed."""

    case_id: str
    term: str
    due: dt.date
    kind: str
    claimed_by: str | None = None


@attrs.frozen
class DueWarning:
    """A running deadline whose warning period has begun (:meth:`SqlStore.warnings`).

    ``warning_from`` is the first day of the warning (the term's
    ``waarschuwing`` before ``due``); ``roles`` are the roles it is addressed
    to (YAML ``waarschuwing_aan``), empty when the procedure names none.
    """

    case_id: str
    term: str
    due: dt.date
    kind: str
    warning_from: dt.date
    roles: tuple[str, ...] = ()


@attrs.frozen
class Claim(DueDeadline):
    """A deadline handed to one worker for a while (:meth:`SqlStore.claim_due`).

    The claim is the worker's until ``expires_at`` (its lease); then another
    worker may claim the same deadline again, as ``attempt`` + 1. ``key`` is
    the idempotency key of the reminder: the same for every attempt at the
    same due date (``case id/term/due date``), so whoever receives the
    reminder can drop a repeat. ``token`` (``key#attempt``) names this one
    claim; :meth:`SqlStore.complete_claim` and :meth:`SqlStore.release_claim`
    accept it only while no later attempt has taken over.
    """

    attempt: int = 1
    expires_at: dt.datetime | None = None

    @property
    def key(self) -> str:
        """The idempotency key: ``case id/term/due date``, the same for every attempt."""
        return f"{self.case_id}/{self.term}/{self.due.isoformat()}"

    @property
    def token(self) -> str:
        """This claim: the key and the attempt (``key#attempt``)."""
        return f"{self.key}#{self.attempt}"


@attrs.frozen
class Statistics:
    """Anonymous figures for a summary: counts, informal vs formal, timeliness."""

    total: int
    per_status: Mapping[str, int]
    formal: int
    informal: int
    closed: int
    average_days: float | None
    overdue: int
    overdue_fatal: int


@attrs.frozen
class Removal:
    """What retention or erasure removed from one case, and why."""

    case_id: str
    on: dt.date
    reason: str
    removed: Mapping[str, Any]


@attrs.frozen
class Skeleton:
    """A case without its personal data, and the registration values the store keeps.

    ``case`` has every actor ``geanonimiseerd`` and no parties or data;
    ``registration`` maps categorie, domein, aanbieder and kanaal to the
    stored value (or None).
    """

    case: Case
    registration: Mapping[str, str | None]


class ErasureGround(enum.Enum):
    """Why personal data is erased while a complaint is still being handled.

    The grounds of AVG art 17 lid 1 (the right to erasure). A case that is still
    being handled is otherwise kept: processing is then necessary for a legal
    obligation and a task in the public interest (art 17 lid 3 onder b), so
    ``erase_person`` refuses an open case without one of these.
    """

    NIET_MEER_NODIG = "art 17 lid 1 onder a: niet langer nodig voor het doel"
    INTREKKING = "art 17 lid 1 onder b: toestemming ingetrokken (klacht ingetrokken)"
    BEZWAAR = "art 17 lid 1 onder c: bezwaar tegen de verwerking (art 21)"
    ONRECHTMATIG = "art 17 lid 1 onder d: onrechtmatig verwerkt"
    WETTELIJKE_PLICHT = "art 17 lid 1 onder e: wettelijke plicht tot wissen"

    @property
    def text(self) -> str:
        """The ground as recorded (AVG, CELEX 32016R0679)."""
        return f"AVG {self.value}"


@attrs.frozen
class IntegrityReport:
    """What :meth:`SqlStore.inspect` found for one case (truthy when intact).

    ``problems`` (Dutch) say what does not verify; ``erased`` which events'
    personal values were removed, with ``removals`` the recorded removals that
    explain it; ``legacy`` the number of format-1 events; ``keyed`` whether
    the history was checked under a key; ``backdated`` events recorded later
    than they took effect.
    """

    case_id: str
    valid: bool
    problems: tuple[str, ...] = ()
    keyed: bool = False
    legacy: int = 0
    erased: tuple[int, ...] = ()
    removals: tuple[Removal, ...] = ()
    backdated: tuple[int, ...] = ()

    def __bool__(self) -> bool:
        return self.valid


@attrs.frozen
class Checkpoint:
    """An anchor of every history in a store, to keep outside the database.

    Each checkpoint seals, in order, every event and removal written since the
    previous one, chained to it by ``prev_root``. Export them (``as_json``) and
    keep them elsewhere; ``klachtflow verifieer --anker FILE`` then detects a
    truncated, deleted or rewritten history even by someone who holds the key
    and the database.
    """

    seq: int
    made_at: str
    events: int
    removals: int
    root: str
    prev_root: str
    key_id: str
    mac: str

    def as_json(self) -> dict[str, Any]:
        """The checkpoint as a JSON object (one line of an anchor file)."""
        return attrs.asdict(self)

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> Checkpoint:
        """A checkpoint read back from :meth:`as_json`."""
        names = [f.name for f in attrs.fields(cls)]
        return cls(**{name: value[name] for name in names})


@attrs.frozen
class StoreReport:
    """What ``verify`` found over a whole store: every case and the anchors."""

    cases: int
    problems: tuple[IntegrityReport, ...]
    anchor_problems: tuple[str, ...]
    checkpoints: int
    unanchored_events: int
    keyed: bool
    legacy_cases: int = 0
    erased_cases: int = 0

    @property
    def valid(self) -> bool:
        """Whether every case and every anchor verified."""
        return not self.problems and not self.anchor_problems

    def __bool__(self) -> bool:
        return self.valid


@attrs.frozen
class ImportRefusal:
    """One line of an import that was not stored: where, which case, and why."""

    line: int
    case_id: str | None
    code: str
    message: str


@attrs.frozen
class ImportResult:
    """What ``import_cases`` did.

    ``imported`` cases are new in the store, ``present`` were there already with
    the same history (skipped), ``refused`` were not stored, each with its line.
    Every line up to ``committed_through`` is settled: its case is in the store
    (imported or present) or it is among ``refused``. ``complete`` is False when
    the import stopped at a refused batch (nothing of that batch was written);
    run it again with ``start_line=committed_through + 1`` (or from the start:
    cases already present are skipped) after fixing the line.
    """

    imported: int
    present: int
    refused: tuple[ImportRefusal, ...]
    procedures: int
    committed_through: int
    complete: bool

    @property
    def ok(self) -> bool:
        """Whether every line was imported or already present."""
        return self.complete and not self.refused

    def __bool__(self) -> bool:
        return self.ok


@attrs.frozen
class ExportResult:
    """What ``export_cases`` wrote: cases, procedures, and cases left out
    (erased or of history format 1: no replay can accept them)."""

    cases: int
    procedures: int
    skipped: tuple[str, ...]


@attrs.frozen
class SummaryResult:
    """What ``summarise`` did: ``summarised`` case rows got their report summary;
    ``unverified`` cases did not verify and got none (their ids, in code-point
    order); ``remaining`` rows still have none (changed while it ran: they got
    theirs from that change)."""

    summarised: int
    unverified: tuple[str, ...] = ()
    remaining: int = 0

    @property
    def ok(self) -> bool:
        """Whether every case without a summary verified and got one."""
        return not self.unverified

    def __bool__(self) -> bool:
        return self.ok
