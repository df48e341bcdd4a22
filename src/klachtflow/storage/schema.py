"""The tables, in SQLAlchemy Core. Migrations in ``migrations/versions`` create them.

Personal data lives apart from the skeleton, so retention and erasure remove
it without touching what reports need:

- skeleton: ``kf_cases`` (state, dates, category, channel, result),
  ``kf_events`` (what happened when, with the hash chain), ``kf_deadlines``;
- personal: ``kf_case_personal`` (parties and case data), ``kf_case_parties``
  (who is party, for search and erasure), ``kf_event_personal`` (actor,
  reason, data changes, consent, notice);
- ``kf_procedures`` keeps every procedure version's YAML text by digest;
- ``kf_removals`` records what retention and erasure removed.
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
)
from sqlalchemy.dialects.postgresql import JSONB

__all__ = [
    "CLAIM_COLUMNS",
    "case_parties",
    "case_personal",
    "cases",
    "deadlines",
    "event_personal",
    "events",
    "metadata",
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
    Index("ix_kf_cases_status", "status"),
    Index("ix_kf_cases_category", "category"),
    Index("ix_kf_cases_opened_on", "opened_on"),
    Index("ix_kf_cases_retention", "retention_until"),
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
    Index("ix_kf_removals_case", "case_id"),
)
