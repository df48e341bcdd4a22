"""Organisations: every case belongs to one, and the registry of organisations.

Every case stored before this revision belongs to the store's default
organisation (``kf_cases.organisation = ''``): its head seal stays valid
unchanged, so the upgrade loses nothing and needs no key.

Revision ID: 0006_organisations
Revises: 0005_claim_lease
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0006_organisations"
down_revision = "0005_claim_lease"
branch_labels = None
depends_on = None

_JSON = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    """Add kf_cases.organisation (default '') with its index, and kf_organisations."""
    with op.batch_alter_table("kf_cases") as batch:
        batch.add_column(
            sa.Column("organisation", sa.String(20), nullable=False, server_default="")
        )
        batch.create_index(
            "ix_kf_cases_organisation", ["organisation", "opened_on"], unique=False
        )
    op.create_table(
        "kf_organisations",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("procedures", _JSON, nullable=False),
        sa.Column("closing_days", _JSON, nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    """Drop the registry and the column (every case then is the default one's)."""
    op.drop_table("kf_organisations")
    with op.batch_alter_table("kf_cases") as batch:
        batch.drop_index("ix_kf_cases_organisation")
        batch.drop_column("organisation")
