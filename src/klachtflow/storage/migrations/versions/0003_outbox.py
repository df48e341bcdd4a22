"""The transactional outbox for notifications to ZGW and CloudEvents receivers.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

Json = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    """Create kf_outbox."""
    op.create_table(
        "kf_outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(100), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("available_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("lease_owner", sa.String(200)),
        sa.Column("lease_until", sa.DateTime(timezone=True)),
        sa.Column("delivered_at", sa.DateTime(timezone=True)),
        sa.Column("done", Json),
        sa.Column("last_error", sa.Text),
        sa.UniqueConstraint("case_id", "seq", "kind", name="uq_kf_outbox_event"),
    )
    op.create_index(
        "ix_kf_outbox_pending", "kf_outbox", ["delivered_at", "available_at"]
    )
    op.create_index("ix_kf_outbox_case", "kf_outbox", ["case_id", "id"])


def downgrade() -> None:
    """Drop kf_outbox."""
    op.drop_index("ix_kf_outbox_case", table_name="kf_outbox")
    op.drop_index("ix_kf_outbox_pending", table_name="kf_outbox")
    op.drop_table("kf_outbox")
