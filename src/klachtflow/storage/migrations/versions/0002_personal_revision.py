"""Count changes to a case's personal data (retention, erasure), so caches can tell.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add kf_cases.personal_rev (0 for every existing case)."""
    with op.batch_alter_table("kf_cases") as batch:
        batch.add_column(
            sa.Column("personal_rev", sa.Integer, nullable=False, server_default="0")
        )


def downgrade() -> None:
    """Drop kf_cases.personal_rev."""
    with op.batch_alter_table("kf_cases") as batch:
        batch.drop_column("personal_rev")
