"""The tables, in SQLAlchemy Core. Migrations in ``migrations/versions`` create them.

Personal data lives apart from the skeleton, so retention and erasure remove
it without touching what reports need:

- skeleton: ``kf_cases`` (state, dates, category, channel, result),
  ``kf_events`` (what happened when, with the hash chain), ``kf_deadlines``;
- personal: ``kf_case_personal`` (parties and case data), ``kf_case_parties``
  (who is party, for search and erasure), ``kf_event_personal`` (actor,
  reason, data changes, consent, notice);
- ``kf_organisations`` lists the organisations whose cases the store holds
  (each case row names its organisation);
- ``kf_procedures`` keeps every procedure version's YAML text by digest;
- ``kf_removals`` records what retention and erasure removed;
- ``kf_checkpoints`` anchors the histories: each checkpoint seals every event
  and removal written since the previous one (see ``storage/_anchor.py``).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB

__all__ = [
    "CLAIM_COLUMNS",
    "case_parties",
    "case_personal",
    "cases",
    "checkpoints",
    "deadlines",
    "event_personal",
    "events",
    "metadata",
    "organisations",
    "outbox",
    "procedures",
    "removals",
]

metadata = MetaData()
Json = JSON().with_variant(JSONB(), "postgresql")

procedures = Table(
    "kf_procedures",
    metadata,
    Column("digest", String(80), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("version", String(100), nullable=False),
    Column("text", Text, nullable=False),
    Column("stored_at", DateTime(timezone=True), nullable=False),
)

cases = Table(
    "kf_cases",
    metadata,
    Column("id", String(100), primary_key=True),
    Column(
        "procedure_digest",
        String(80),
        ForeignKey("kf_procedures.digest"),
        nullable=False,
    ),
    Column("procedure_name", String(200), nullable=False),
    Column("procedure_version", String(100), nullable=False),
    Column("state", String(300), nullable=False),
    Column("status", String(100), nullable=False),
    Column("version", Integer, nullable=False),
    Column("result", String(100)),
    Column("category", String(200)),
    Column("channel", String(200)),
    Column("domain", String(200)),
    Column("provider", String(200)),
    Column("formal", Boolean, nullable=False),
    Column("opened_at", String(40), nullable=False),
    Column("opened_on", Date, nullable=False),
    Column("updated_on", Date, nullable=False),
    Column("closed_on", Date),
    Column("retention_until", Date),
    Column("anonymised_on", Date),
    # Raised whenever retention or erasure changes the case's personal data,
    # which changes no version: readers that cache cases check both.
    Column("personal_rev", Integer, nullable=False, server_default="0"),
    # The hash of the newest event and a seal over (id, version, hash): a
    # case row rolled back to an older version without the key is detected.
    Column("head_hash", String(64), nullable=False, server_default=""),
    Column("head_mac", String(64), nullable=False, server_default=""),
    # The organisation (RSIN or OIN) the case belongs to (schema 0006); ""
    # is the store's default organisation, which every older case upgrades
    # to. Written once at start; the head seal covers it.
    Column("organisation", String(20), nullable=False, server_default=""),
    # What a report counts of the case (klachtflow.engine.lifecycle
    # .report_summary) as canonical JSON, and its seal over (id, version, head
    # hash, organisation, text) (schema 0007): a report reads this row
    # instead of replaying the history. NULL on rows written before 0007
    # until the case is saved again; a report checks those the full way.
    Column("summary", Text),
    Column("summary_mac", String(64)),
    Index("ix_kf_cases_status", "status"),
    Index("ix_kf_cases_category", "category"),
    Index("ix_kf_cases_opened_on", "opened_on"),
    Index("ix_kf_cases_retention", "retention_until"),
    Index("ix_kf_cases_organisation", "organisation", "opened_on"),
)

#: The organisations registered in the store (schema 0006): their name, the
#: procedures they may start cases on and their own closing days.
organisations = Table(
    "kf_organisations",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("procedures", Json, nullable=False),
    Column("closing_days", Json, nullable=False),
    Column("registered_at", DateTime(timezone=True), nullable=False),
)

events = Table(
    "kf_events",
    metadata,
    Column("case_id", String(100), ForeignKey("kf_cases.id"), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("action", String(100), nullable=False),
    Column("from_state", String(300)),
    Column("to_state", String(300), nullable=False),
    Column("role", String(100)),
    Column("at", String(40), nullable=False),
    Column("legal_date", Date, nullable=False),
    Column("procedure_digest", String(80), nullable=False),
    Column("procedure_name", String(200), nullable=False),
    Column("procedure_version", String(100), nullable=False),
    Column("result", String(100)),
    Column("terms", Json, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    # History format 2 (format 1 rows keep the defaults).
    Column("format", Integer, nullable=False, server_default="1"),
    Column("recorded_at", String(40)),
    Column("inputs", Json),
    Column("clocks", String(64), nullable=False, server_default=""),
    Column("key_id", String(32), nullable=False, server_default=""),
    Column("personal", String(64), nullable=False, server_default=""),
    # The checkpoint (kf_checkpoints.seq) that anchors this event; NULL until then.
    Column("checkpoint", Integer),
    Index("ix_kf_events_checkpoint", "checkpoint"),
)

event_personal = Table(
    "kf_event_personal",
    metadata,
    Column("case_id", String(100), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("actor", String(200), nullable=False),
    Column("reason", Text),
    Column("changes", Json, nullable=False),
    Column("consent", Json, nullable=False),
    Column("notified", Json, nullable=False),
    # The salt of the event's personal commitment; NULL once erasure removed
    # (or pseudonymised) the personal values.
    Column("salt", String(32)),
    Index("ix_kf_event_personal_actor", "actor"),
)

case_personal = Table(
    "kf_case_personal",
    metadata,
    Column("case_id", String(100), ForeignKey("kf_cases.id"), primary_key=True),
    Column("parties", Json, nullable=False),
    Column("data", Json, nullable=False),
)

case_parties = Table(
    "kf_case_parties",
    metadata,
    Column("case_id", String(100), ForeignKey("kf_cases.id"), primary_key=True),
    Column("role", String(100), primary_key=True),
    Column("person", String(200), primary_key=True),
    Index("ix_kf_case_parties_person", "person"),
)

deadlines = Table(
    "kf_deadlines",
    metadata,
    Column("case_id", String(100), ForeignKey("kf_cases.id"), primary_key=True),
    Column("term", String(100), primary_key=True),
    Column("due", Date, nullable=False),
    Column("open", Boolean, nullable=False),
    Column("suspended", Boolean, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("ledger", Json, nullable=False),
    Column("claimed_by", String(200)),
    Column("claimed_at", DateTime(timezone=True)),
    # The lease of a claim (schema 0003): when it runs out, the attempt it is
    # (a fencing token), and the due date whose reminder a worker completed.
    Column("claim_expires_at", DateTime(timezone=True)),
    Column("claim_attempt", Integer),
    Column("completed_due", Date),
    Index("ix_kf_deadlines_open_due", "open", "due"),
)

#: The columns of a deadline row that belong to its claim: a fire keeps them
#: while the due date stays the same and clears them when it changes.
CLAIM_COLUMNS = (
    "claimed_by",
    "claimed_at",
    "claim_expires_at",
    "claim_attempt",
    "completed_due",
)

removals = Table(
    "kf_removals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(100), nullable=False),
    Column("removed_on", Date, nullable=False),
    Column("reason", Text, nullable=False),
    Column("removed", Json, nullable=False),
    # A seal over the removal (so erasure cannot be faked to hide an edit) and
    # the checkpoint that anchors it.
    Column("mac", String(64), nullable=False, server_default=""),
    Column("checkpoint", Integer),
    Index("ix_kf_removals_case", "case_id"),
)

checkpoints = Table(
    "kf_checkpoints",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("made_at", String(40), nullable=False),
    Column("events", Integer, nullable=False),
    Column("removals", Integer, nullable=False),
    Column("root", String(64), nullable=False),
    Column("prev_root", String(64), nullable=False),
    Column("key_id", String(32), nullable=False),
    Column("mac", String(64), nullable=False),
)

#: The transactional outbox: one row per stored event (and per erasure),
#: written in the transaction that stores it; delivered by a worker that
#: claims rows with a lease (:mod:`klachtflow.storage._outbox`).
outbox = Table(
    "kf_outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(100), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("available_at", DateTime(timezone=True), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("lease_owner", String(200)),
    Column("lease_until", DateTime(timezone=True)),
    Column("delivered_at", DateTime(timezone=True)),
    Column("done", Json),
    Column("last_error", Text),
    UniqueConstraint("case_id", "seq", "kind", name="uq_kf_outbox_event"),
    Index("ix_kf_outbox_pending", "delivered_at", "available_at"),
    Index("ix_kf_outbox_case", "case_id", "id"),
)
