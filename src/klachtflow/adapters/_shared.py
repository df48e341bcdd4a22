"""What several CLI modules share: exit codes, the --db option, opening a store, dates, output."""

from __future__ import annotations

import datetime as dt
import errno
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from klachtflow.exceptions import (
    CaseNotFound,
    DefinitionError,
    KlachtflowError,
    MissingDependency,
    StorageError,
    TermError,
)
from klachtflow.insight.diagram import GraphvizFailed, GraphvizMissing
from klachtflow.rules.api import parse_date
from klachtflow.rules.clock import SystemClock, legal_date

if TYPE_CHECKING:
    from klachtflow.storage import SqlStore

__all__ = [
    "DB_OPTION",
    "DEFAULT_DB",
    "EXIT_ERROR",
    "EXIT_FINDINGS",
    "EXIT_INTERRUPTED",
    "EXIT_INVALID",
    "EXIT_OK",
    "EXIT_RUNTIME",
    "EXIT_USAGE",
    "TEXT_OR_JSON",
    "DriverMissing",
    "OutputNotWritable",
    "cli_date",
    "cli_range",
    "exit_code_for",
    "open_db",
    "oserror_text",
    "plural",
    "today",
    "write_output",
]

#: Exit codes, each with one meaning (docs/reference/cli.md), as ruff and pytest do.
#: 0: done, nothing found.
EXIT_OK = 0
#: 1: done, and there are findings (check: the law is not met; audit: a case
#: has an error; verifieer: the history does not hold).
EXIT_FINDINGS = 1
#: 2: wrong usage or invalid input (unknown option, invalid procedure file,
#: bad date or period, unknown template or rule pack).
EXIT_USAGE = 2
#: 3: a problem at run time or in the environment (database unreachable, file
#: not writable, driver or Graphviz missing, an internal error).
EXIT_RUNTIME = 3
#: 130: interrupted (Ctrl-C), as shells count it.
EXIT_INTERRUPTED = 130
#: Older names: EXIT_ERROR was used for findings, EXIT_INVALID for invalid input.
EXIT_ERROR = EXIT_FINDINGS
EXIT_INVALID = EXIT_USAGE


class OutputNotWritable(KlachtflowError, OSError):
    """The file named with --uit cannot be written."""

    code = "KF-A001"
    exit_code = EXIT_RUNTIME

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(
            f"Kan niet schrijven naar '{path}': {reason}.",
            hint="Kies met --uit een bestaande map waarin u mag schrijven, "
            "of laat --uit weg om naar het scherm te schrijven.",
        )


class DriverMissing(KlachtflowError, ImportError):
    """The database URL names a driver that is not installed."""

    code = "KF-A002"
    exit_code = EXIT_RUNTIME

    def __init__(self, message: str, *, module: str) -> None:
        self.module = module
        super().__init__(
            message,
            hint="Installeer het stuurprogramma voor deze database (PostgreSQL: "
            'pip install "klachtflow[postgres]"), of gebruik sqlite:///klachtflow.db.',
        )


_OS_REASONS = {
    errno.ENOENT: "de map bestaat niet",
    errno.ENOTDIR: "een deel van het pad is geen map",
    errno.EISDIR: "dat is een map",
    errno.EACCES: "geen toestemming",
    errno.EPERM: "geen toestemming",
    errno.EROFS: "het bestandssysteem is alleen-lezen",
    errno.ENOSPC: "de schijf is vol",
}


def oserror_text(error: OSError) -> str:
    """The reason of an ``OSError`` in Dutch (English only for rare errors)."""
    return _OS_REASONS.get(error.errno or 0, error.strerror or str(error))


def plural(amount: int, singular: str, plural_form: str) -> str:
    """``1 zaak``, ``22 zaken``: the amount with the right form of the noun."""
    return f"{amount} {singular if amount == 1 else plural_form}"


def write_output(text: str, output: str | None) -> None:
    """``text`` to the screen, or to the file ``output`` (an OutputNotWritable if it can't)."""
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as error:
        raise OutputNotWritable(output, oserror_text(error)) from error
    click.echo(f"Geschreven: {output}", err=True)


def exit_code_for(error: BaseException) -> int:
    """The exit code for an error that ended a command (see the EXIT_* constants).

    An exception class may set ``exit_code`` itself; otherwise a problem of
    the environment (storage, a missing driver or tool, the file system)
    gives 3 and every other klachtflow error, being about the input, 2.
    """
    declared = getattr(error, "exit_code", None)
    if isinstance(declared, int):
        return declared
    if isinstance(error, DefinitionError | CaseNotFound):
        return EXIT_USAGE
    if isinstance(error, StorageError | MissingDependency | OSError):
        return EXIT_RUNTIME
    if isinstance(error, GraphvizMissing | GraphvizFailed):
        return EXIT_RUNTIME
    if isinstance(error, KlachtflowError):
        return EXIT_USAGE
    return EXIT_RUNTIME


DEFAULT_DB = "sqlite:///klachtflow.db"
DB_OPTION = click.option(
    "--db",
    "url",
    envvar="KLACHTFLOW_DB",
    default=DEFAULT_DB,
    show_default=True,
    help="Database-URL (of omgevingsvariabele KLACHTFLOW_DB).",
)

#: ``--organisatie RSIN``: one organisation's cases only (store.scoped).
ORGANISATION_OPTION = click.option(
    "--organisatie",
    "organisation",
    envvar="KLACHTFLOW_ORGANISATIE",
    metavar="RSIN",
    help="Alleen de zaken van deze organisatie (RSIN of OIN; of "
    "KLACHTFLOW_ORGANISATIE).",
)

#: ``--format text|json`` for commands whose output people and pipelines read.
_F = TypeVar("_F", bound=Callable[..., Any])


def processes_option(work: str) -> Callable[[_F], _F]:
    """``--processen N``: how many processes do ``work`` (a Dutch phrase, e.g.
    "die de zaken tellen, elk een reeks ontvangstdatums"); None: the default."""
    return click.option(
        "--processen",
        "processes",
        type=click.IntRange(1, 64),
        default=None,
        help=f"Processen {work} (standaard: het aantal processorkernen, tot 8).",
    )


def processes_or_default(processes: int | None) -> int:
    """The number of processes asked for, or one per processor core (at most 8)."""
    return processes or min(os.cpu_count() or 1, 8)


TEXT_OR_JSON = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text voor mensen, json voor pijplijnen.",
)


def cli_range(
    first: dt.date | None, last: dt.date | None, names: tuple[str, str]
) -> None:
    """Refuse a range whose start lies after its end (``--van`` after ``--tot``)."""
    if first is not None and last is not None and first > last:
        msg = (
            f"{names[0]} {first.isoformat()} ligt na {names[1]} {last.isoformat()}: "
            "dat is een lege periode."
        )
        raise TermError(msg, hint=f"Draai {names[0]} en {names[1]} om.")


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

    _check_sqlite_file(url, must_exist=must_exist)
    try:
        return open_store(
            url, upgrade_schema=upgrade_schema, history_key=history_key_from_env()
        )
    except ModuleNotFoundError as error:
        msg = (
            f"Voor de database '{_redacted(url)}' ontbreekt het stuurprogramma "
            f"(Python-module '{error.name}')."
        )
        raise DriverMissing(msg, module=error.name or "?") from error


@contextmanager
def open_scoped(
    url: str, organisation: str | None, *, must_exist: bool = False
) -> Iterator[SqlStore]:
    """The store at ``url``, scoped to ``organisation`` when one is given
    (``store.scoped``); closed afterwards."""
    with open_db(url, must_exist=must_exist) as store:
        yield store if organisation is None else store.scoped(organisation)


#: The environment variable that holds the history key for the CLI.
HISTORY_KEY_ENV = "KLACHTFLOW_SLEUTEL"


def history_key_from_env() -> str | None:
    """The history key the host put in ``KLACHTFLOW_SLEUTEL`` (None: unkeyed)."""
    return os.environ.get(HISTORY_KEY_ENV) or None


def _redacted(url: str) -> str:
    import sqlalchemy as sa  # noqa: PLC0415

    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return url


def _check_sqlite_file(url: str, *, must_exist: bool) -> None:
    import sqlalchemy as sa  # noqa: PLC0415 - only the database commands need it

    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError:
        return  # open_store reports a malformed URL
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or database in (None, "", ":memory:"):
        return
    folder = Path(database).parent
    if not folder.is_dir():
        msg = f"De map '{folder}' van de database {database} bestaat niet."
        raise StorageError(
            msg,
            hint="Maak de map eerst aan, of kies met --db (of KLACHTFLOW_DB) een "
            "bestand in een bestaande map.",
        )
    if must_exist and not Path(database).exists():
        msg = f"De database {database} bestaat niet."
        raise StorageError(
            msg,
            hint="Controleer --db (of KLACHTFLOW_DB), of maak een database met "
            "'klachtflow demo' of 'klachtflow db upgrade'.",
        )


def today() -> dt.date:
    """Today's legal date (Europe/Amsterdam)."""
    return legal_date(SystemClock().now())
