"""What store queries return: small immutable records without personal data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from klachtflow.engine import Case

__all__ = [
    "CaseSummary",
    "Claim",
    "DueDeadline",
    "Removal",
    "Skeleton",
    "Statistics",
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
