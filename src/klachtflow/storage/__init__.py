"""WHERE cases are kept: SQLAlchemy Core stores for SQLite (default) and PostgreSQL.

``open_store("sqlite:///klachtflow.db")`` or
``open_store("postgresql+psycopg://user@host/db")`` (extra ``klachtflow[postgres]``).
psycopg is imported only here, and only when a PostgreSQL URL is opened.
"""

from __future__ import annotations

from klachtflow.storage._organisations import Organisation
from klachtflow.storage._outbox import Outbox, OutboxRow
from klachtflow.storage.results import (
    CaseSummary,
    Checkpoint,
    Claim,
    DueDeadline,
    DueWarning,
    ErasureGround,
    ExportResult,
    ImportRefusal,
    ImportResult,
    IntegrityReport,
    Removal,
    Skeleton,
    Statistics,
    StoreReport,
    SummaryResult,
)
from klachtflow.storage.sql import SqlStore, open_store

__all__ = [
    "CaseSummary",
    "Checkpoint",
    "Claim",
    "DueDeadline",
    "DueWarning",
    "ErasureGround",
    "ExportResult",
    "ImportRefusal",
    "ImportResult",
    "IntegrityReport",
    "Organisation",
    "Outbox",
    "OutboxRow",
    "Removal",
    "Skeleton",
    "SqlStore",
    "Statistics",
    "StoreReport",
    "SummaryResult",
    "open_store",
]
