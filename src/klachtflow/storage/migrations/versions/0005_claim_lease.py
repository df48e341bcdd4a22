"""Deadline claims with a lease: when a claim runs out, its attempt, its completion.

A claim made before this revision has no lease; it counts as run out, so a
deadline claimed by a worker that has since died is handed out again.

Revision ID: 0005_claim_lease
Revises: 0004_integrity
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_claim_lease"
down_revision = "0004_integrity"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add kf_deadlines.claim_expires_at, claim_attempt and completed_due."""
    with op.batch_alter_table("kf_deadlines") as batch:
        batch.add_column(sa.Column("claim_expires_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("claim_attempt", sa.Integer))
        batch.add_column(sa.Column("completed_due", sa.Date))


def downgrade() -> None:
    """Drop the lease columns (claims then last until the due date changes)."""
    with op.batch_alter_table("kf_deadlines") as batch:
        batch.drop_column("completed_due")
        batch.drop_column("claim_attempt")
        batch.drop_column("claim_expires_at")
