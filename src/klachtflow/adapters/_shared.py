"""What several CLI modules share: the --db option, opening a store, dates."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from klachtflow.exceptions import StorageError, TermError
from klachtflow.rules.api import parse_date
from klachtflow.rules.clock import SystemClock, legal_date

if TYPE_CHECKING:
    from klachtflow.storage import SqlStore

__all__ = [
    "DB_OPTION",
    "DEFAULT_DB",
    "EXIT_ERROR",
    "EXIT_INVALID",
    "EXIT_OK",
    "TEXT_OR_JSON",
    "cli_date",
    "open_db",
    "today",
]

#: Exit codes (docs/reference/cli.md): success; a klachtflow error at run time;
#: wrong usage or a procedure file that is not valid.
EXIT_OK = 0
EXIT_ERROR = 1
EXIT_INVALID = 2

DEFAULT_DB = "sqlite:///klachtflow.db"
DB_OPTION = click.option(
    "--db",
    "url",
    envvar="KLACHTFLOW_DB",
    default=DEFAULT_DB,
    show_default=True,
    help="Database-URL (of omgevingsvariabele KLACHTFLOW_DB).",
)

#: ``--format text|json`` for commands whose output people and pipelines read.
TEXT_OR_JSON = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text voor mensen, json voor pijplijnen.",
)


def cli_date(value: str | None, name: str) -> dt.date | None:
    """A JJJJ-MM-DD option value as a date; a TermError naming the option otherwise."""
    if value is None:
        return None
    try:
        return parse_date(value)
    except TermError as error:
        msg = f"{name}: {error.message}"
        raise TermError(msg, hint=error.hint) from None


def open_db(
    url: str, *, upgrade_schema: bool | None = None, must_exist: bool = False
) -> SqlStore:
    """Open the store at ``url``.

    With ``must_exist`` a SQLite file that is not there is an error rather than
    a new, empty database (a typo in --db would otherwise report nothing).
    Storage brings SQLAlchemy and alembic: imported only by the commands that
    use a database, so 'klachtflow validate' and friends start fast.
    """
    from klachtflow.storage import open_store  # noqa: PLC0415

    if must_exist:
        _require_sqlite_file(url)
    return open_store(
        url, upgrade_schema=upgrade_schema, history_key=history_key_from_env()
    )


#: The environment variable that holds the history key for the CLI.
HISTORY_KEY_ENV = "KLACHTFLOW_SLEUTEL"


def history_key_from_env() -> str | None:
    """The history key the host put in ``KLACHTFLOW_SLEUTEL`` (None: unkeyed)."""
    return os.environ.get(HISTORY_KEY_ENV) or None


def _require_sqlite_file(url: str) -> None:
    import sqlalchemy as sa  # noqa: PLC0415 - only the database commands need it

    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError:
        return  # open_store reports a malformed URL
    database = parsed.database
    if (
        parsed.get_backend_name() == "sqlite"
        and database not in (None, "", ":memory:")
        and not Path(database).exists()
    ):
        msg = f"De database {database} bestaat niet."
        raise StorageError(
            msg,
            hint="Controleer --db (of KLACHTFLOW_DB), of maak een database met "
            "'klachtflow demo' of 'klachtflow db upgrade'.",
        )


def today() -> dt.date:
    """Today's legal date (Europe/Amsterdam)."""
    return legal_date(SystemClock().now())
