"""History format 2: keyed seals, salted personal commitments, anchors.

Existing events keep format 1 and verify under their own rule; new events are
written in format 2. Adds the columns format 2 needs, the case head seal, the
removal seal, and the checkpoint table that anchors histories.

Revision ID: 0004_integrity
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0004_integrity"
down_revision = "0003"
branch_labels = None
depends_on = None

Json = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    """Add the format-2 columns and kf_checkpoints."""
    with op.batch_alter_table("kf_cases") as batch:
        batch.add_column(
            sa.Column("head_hash", sa.String(64), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("head_mac", sa.String(64), nullable=False, server_default="")
        )
    with op.batch_alter_table("kf_events") as batch:
        batch.add_column(
            sa.Column("format", sa.Integer, nullable=False, server_default="1")
        )
        batch.add_column(sa.Column("recorded_at", sa.String(40)))
        batch.add_column(sa.Column("inputs", Json))
        batch.add_column(
            sa.Column("clocks", sa.String(64), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("key_id", sa.String(32), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("personal", sa.String(64), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("checkpoint", sa.Integer))
        batch.create_index("ix_kf_events_checkpoint", ["checkpoint"])
    with op.batch_alter_table("kf_event_personal") as batch:
        batch.add_column(sa.Column("salt", sa.String(32)))
    with op.batch_alter_table("kf_removals") as batch:
        batch.add_column(
            sa.Column("mac", sa.String(64), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("checkpoint", sa.Integer))
    op.create_table(
        "kf_checkpoints",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("made_at", sa.String(40), nullable=False),
        sa.Column("events", sa.Integer, nullable=False),
        sa.Column("removals", sa.Integer, nullable=False),
        sa.Column("root", sa.String(64), nullable=False),
        sa.Column("prev_root", sa.String(64), nullable=False),
        sa.Column("key_id", sa.String(32), nullable=False),
        sa.Column("mac", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    """Drop them again (format-2 events then no longer verify)."""
    op.drop_table("kf_checkpoints")
    with op.batch_alter_table("kf_removals") as batch:
        batch.drop_column("checkpoint")
        batch.drop_column("mac")
    with op.batch_alter_table("kf_event_personal") as batch:
        batch.drop_column("salt")
    with op.batch_alter_table("kf_events") as batch:
        batch.drop_index("ix_kf_events_checkpoint")
        for name in ("checkpoint", "personal", "key_id", "clocks", "inputs"):
            batch.drop_column(name)
        batch.drop_column("recorded_at")
        batch.drop_column("format")
    with op.batch_alter_table("kf_cases") as batch:
        batch.drop_column("head_mac")
        batch.drop_column("head_hash")
