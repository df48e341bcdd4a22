"""The initial schema: procedures, cases, events, deadlines, personal data apart.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

Json = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    """Create every table of schema 0001."""
    op.create_table(
        "kf_procedures",
        sa.Column("digest", sa.String(80), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("version", sa.String(100), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "kf_cases",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column(
            "procedure_digest",
            sa.String(80),
            sa.ForeignKey("kf_procedures.digest"),
            nullable=False,
        ),
        sa.Column("procedure_name", sa.String(200), nullable=False),
        sa.Column("procedure_version", sa.String(100), nullable=False),
        sa.Column("state", sa.String(300), nullable=False),
        sa.Column("status", sa.String(100), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("result", sa.String(100)),
        sa.Column("category", sa.String(200)),
        sa.Column("channel", sa.String(200)),
        sa.Column("domain", sa.String(200)),
        sa.Column("provider", sa.String(200)),
        sa.Column("formal", sa.Boolean, nullable=False),
        sa.Column("opened_at", sa.String(40), nullable=False),
        sa.Column("opened_on", sa.Date, nullable=False),
        sa.Column("updated_on", sa.Date, nullable=False),
        sa.Column("closed_on", sa.Date),
        sa.Column("retention_until", sa.Date),
        sa.Column("anonymised_on", sa.Date),
    )
    op.create_index("ix_kf_cases_status", "kf_cases", ["status"])
    op.create_index("ix_kf_cases_category", "kf_cases", ["category"])
    op.create_index("ix_kf_cases_opened_on", "kf_cases", ["opened_on"])
    op.create_index("ix_kf_cases_retention", "kf_cases", ["retention_until"])
    op.create_table(
        "kf_events",
        sa.Column(
            "case_id", sa.String(100), sa.ForeignKey("kf_cases.id"), primary_key=True
        ),
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("action", sa.String(100), nullable=False),
        sa.Column("from_state", sa.String(300)),
        sa.Column("to_state", sa.String(300), nullable=False),
        sa.Column("role", sa.String(100)),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("legal_date", sa.Date, nullable=False),
        sa.Column("procedure_digest", sa.String(80), nullable=False),
        sa.Column("procedure_name", sa.String(200), nullable=False),
        sa.Column("procedure_version", sa.String(100), nullable=False),
        sa.Column("result", sa.String(100)),
        sa.Column("terms", Json, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_table(
        "kf_event_personal",
        sa.Column("case_id", sa.String(100), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("changes", Json, nullable=False),
        sa.Column("consent", Json, nullable=False),
        sa.Column("notified", Json, nullable=False),
    )
    op.create_index("ix_kf_event_personal_actor", "kf_event_personal", ["actor"])
    op.create_table(
        "kf_case_personal",
        sa.Column(
            "case_id", sa.String(100), sa.ForeignKey("kf_cases.id"), primary_key=True
        ),
        sa.Column("parties", Json, nullable=False),
        sa.Column("data", Json, nullable=False),
    )
    op.create_table(
        "kf_case_parties",
        sa.Column(
            "case_id", sa.String(100), sa.ForeignKey("kf_cases.id"), primary_key=True
        ),
        sa.Column("role", sa.String(100), primary_key=True),
        sa.Column("person", sa.String(200), primary_key=True),
    )
    op.create_index("ix_kf_case_parties_person", "kf_case_parties", ["person"])
    op.create_table(
        "kf_deadlines",
        sa.Column(
            "case_id", sa.String(100), sa.ForeignKey("kf_cases.id"), primary_key=True
        ),
        sa.Column("term", sa.String(100), primary_key=True),
        sa.Column("due", sa.Date, nullable=False),
        sa.Column("open", sa.Boolean, nullable=False),
        sa.Column("suspended", sa.Boolean, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("ledger", Json, nullable=False),
        sa.Column("claimed_by", sa.String(200)),
        sa.Column("claimed_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_kf_deadlines_open_due", "kf_deadlines", ["open", "due"])
    op.create_table(
        "kf_removals",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(100), nullable=False),
        sa.Column("removed_on", sa.Date, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("removed", Json, nullable=False),
    )
    op.create_index("ix_kf_removals_case", "kf_removals", ["case_id"])


def downgrade() -> None:
    """Drop every table of schema 0001."""
    for table in (
        "kf_removals",
        "kf_deadlines",
        "kf_case_parties",
        "kf_case_personal",
        "kf_event_personal",
        "kf_events",
        "kf_cases",
        "kf_procedures",
    ):
        op.drop_table(table)
