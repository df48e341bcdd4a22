"""The sealed report summary of each case: kf_cases.summary and summary_mac.

Rows stored before this revision get NULL in both: a report checks those cases
the full way (every event's seal, the chain, the ledgers) until they are saved
again or summarised (``klachtflow db samenvatten``). The upgrade needs no key
and changes no seal.

Revision ID: 0007_case_summary
Revises: 0006_organisations
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_case_summary"
down_revision = "0006_organisations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add kf_cases.summary (text) and kf_cases.summary_mac, both NULL."""
    with op.batch_alter_table("kf_cases") as batch:
        batch.add_column(sa.Column("summary", sa.Text(), nullable=True))
        batch.add_column(sa.Column("summary_mac", sa.String(64), nullable=True))


def downgrade() -> None:
    """Drop both columns (reports then replay every history again)."""
    with op.batch_alter_table("kf_cases") as batch:
        batch.drop_column("summary_mac")
        batch.drop_column("summary")
