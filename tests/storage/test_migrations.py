"""Migrations: the shipped revisions build exactly the schema the code uses."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from klachtflow import SchemaNotAtHead, open_store
from klachtflow.adapters.cli import main
from klachtflow.storage import schema
from klachtflow.storage.migrate import current_revision, head_revision

from .conftest import POSTGRES_URL, backend_url


class TestMigrations:
    @pytest.mark.parametrize("backend", ["sqlite-file", "postgresql"])
    def test_migrations_match_the_tables(self, backend: str, tmp_path: Path) -> None:
        """After 'upgrade head' alembic finds no difference with schema.metadata."""
        url = backend_url(backend, tmp_path)
        open_store(url, upgrade_schema=True).close()
        engine = sa.create_engine(url)
        with engine.connect() as connection:
            diff = compare_metadata(
                MigrationContext.configure(connection), schema.metadata
            )
        engine.dispose()

        assert [] == diff

    def test_sqlite_upgrades_itself(self, tmp_path: Path) -> None:
        """The embedded default creates its schema on first open."""
        url = f"sqlite:///{tmp_path / 'nieuw.db'}"
        open_store(url).close()
        engine = sa.create_engine(url)

        assert head_revision() == current_revision(engine)
        engine.dispose()

    def test_postgres_behind_names_the_command(self, tmp_path: Path) -> None:
        """A PostgreSQL database that is behind raises SchemaNotAtHead with the command."""
        if POSTGRES_URL is None:
            pytest.skip("KLACHTFLOW_TEST_POSTGRES_URL is not set")
        url = backend_url("postgresql", tmp_path)
        with pytest.raises(SchemaNotAtHead) as info:
            open_store(url)

        assert info.value.current is None
        assert f"klachtflow db upgrade --db {url}" in (info.value.hint or "")

    def test_db_upgrade_command(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """klachtflow db upgrade brings a database to head, idempotently."""
        url = f"sqlite:///{tmp_path / 'cli.db'}"
        for _ in range(2):
            assert 0 == main(["db", "upgrade", "--db", url])

        assert "bijgewerkt" in capsys.readouterr().out
