"""WHERE cases are kept: SQLAlchemy Core stores for SQLite and PostgreSQL.

Filled by the storage issue.
"""

from __future__ import annotations
