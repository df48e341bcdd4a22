"""Create SQLAlchemy engines for klachtflow: SQLite settings, PostgreSQL driver checks."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection, event, exc
from sqlalchemy.pool import StaticPool

from klachtflow.exceptions import InvalidArgument, MissingDependency, StorageError

__all__ = [
    "POOL_OPTIONS",
    "check_pool",
    "create_engine",
    "first_line",
    "safe_url",
    "url_for_messages",
]

#: The SQLAlchemy ``create_engine`` settings ``open_store(pool=...)`` passes on
#: (PostgreSQL): connection pool size and behaviour, and the driver's
#: ``connect_args`` (e.g. ``{"prepare_threshold": None}`` behind PgBouncer in
#: transaction mode).
POOL_OPTIONS = frozenset(
    {
        "pool_size",
        "max_overflow",
        "pool_timeout",
        "pool_recycle",
        "pool_pre_ping",
        "pool_use_lifo",
        "poolclass",
        "connect_args",
    }
)


def check_pool(pool: object) -> dict[str, Any]:
    """The pool settings as a dict; :class:`InvalidArgument` for anything else."""
    if pool is None:
        return {}
    if not isinstance(pool, dict) or not all(isinstance(k, str) for k in pool):
        raise InvalidArgument(
            parameter="open_store(pool)",
            value=pool,
            expected="a dict of SQLAlchemy pool settings or None",
        )
    unknown = sorted(set(pool) - POOL_OPTIONS)
    if unknown:
        raise InvalidArgument(
            parameter="open_store(pool)",
            value=pool,
            expected=f"only the settings {', '.join(sorted(POOL_OPTIONS))}",
            detail=f"unknown: {', '.join(unknown)}",
        )
    return dict(pool)


def _sqlite_setup(engine: sa.Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's 'begin' event decide how transactions start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        # Deleted and overwritten content is zeroed, so erased personal data
        # does not linger in free pages (AVG art 17).
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        write = connection.get_execution_options().get("klachtflow_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def create_engine(url: str, pool: dict[str, Any] | None = None) -> sa.Engine:
    """An engine for ``url``; ``pool`` (checked by :func:`check_pool`) for
    databases other than SQLite, whose settings klachtflow fixes."""
    try:
        parsed = sa.engine.make_url(url)
    except exc.ArgumentError as error:
        msg = f"'{url}' is geen geldige database-URL."
        raise StorageError(
            msg,
            hint="Bijvoorbeeld sqlite:///klachtflow.db of postgresql+psycopg://host/db",
        ) from error
    backend = parsed.get_backend_name()
    if backend == "postgresql" and parsed.get_driver_name() in (
        "psycopg",
        "psycopg2",
        "",
    ):
        try:
            import psycopg  # noqa: F401, PLC0415 - optional dependency, checked on use
        except ModuleNotFoundError as error:
            raise MissingDependency(extra="postgres", package="psycopg") from error
        if parsed.get_driver_name() != "psycopg":
            parsed = parsed.set(drivername="postgresql+psycopg")
    kwargs: dict[str, Any] = {}
    if pool and backend == "sqlite":
        raise InvalidArgument(
            parameter="open_store(pool)",
            value=pool,
            expected="None for SQLite (pool settings are for PostgreSQL)",
        )
    kwargs.update(pool or {})
    if backend == "sqlite":
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        if parsed.database in (None, "", ":memory:"):
            kwargs["poolclass"] = StaticPool
    try:
        engine = sa.create_engine(parsed, **kwargs)
    except ImportError as error:
        msg = (
            f"Het stuurprogramma voor '{parsed.drivername}' is niet geïnstalleerd "
            f"({error.name or error})."
        )
        raise StorageError(
            msg,
            hint="Installeer het stuurprogramma van deze database, of gebruik "
            'sqlite:/// of postgresql+psycopg:// (pip install "klachtflow[postgres]").',
        ) from error
    except (exc.ArgumentError, exc.NoSuchModuleError) as error:
        msg = f"De database '{url}' wordt niet ondersteund ({error})."
        raise StorageError(
            msg, hint="Gebruik sqlite:/// of postgresql+psycopg://"
        ) from error
    if backend == "sqlite":
        _sqlite_setup(engine)
    return engine


def safe_url(url: str) -> str:
    return sa.engine.make_url(url).render_as_string(hide_password=True)


def url_for_messages(url: str) -> str:
    """The URL without its password, for messages; never raises."""
    try:
        return safe_url(url)
    except Exception:
        return "<database>"


def first_line(error: BaseException) -> str:
    return str(getattr(error, "orig", error)).strip().splitlines()[0]
