"""Database failures as :class:`~klachtflow.exceptions.StorageError`.

No SQLAlchemy, sqlite3 or psycopg exception reaches a caller of the store:
:func:`translated` wraps every public store method, and :func:`database_errors`
turns what the database (or its driver, or the file system under SQLite)
raised into a :class:`StorageError` with a Dutch message and hint, carrying the
original as ``__cause__`` (and ``.cause``). klachtflow's own errors pass
unchanged.
"""

from __future__ import annotations

import functools
import inspect
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import exc

from klachtflow.exceptions import KlachtflowError, StorageError

__all__ = ["database_errors", "is_database_error", "storage_error", "translated"]

_P = ParamSpec("_P")
_R = TypeVar("_R")


def is_database_error(error: BaseException) -> bool:
    """Whether ``error`` comes from the database layer (SQLAlchemy, a driver, files)."""
    if isinstance(error, exc.SQLAlchemyError | sqlite3.Error | OSError):
        return True
    # psycopg is optional; its errors are recognised without importing it.
    return type(error).__module__.split(".")[0] == "psycopg"


def _detail(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0][:200] if text else type(error).__name__


def storage_error(error: BaseException, where: str) -> StorageError:
    """The :class:`StorageError` for a database failure in ``where`` (a safe URL)."""
    detail = _detail(error)
    lowered = detail.lower()
    if "unable to open database file" in lowered or isinstance(error, OSError):
        message = (
            f"Het databasebestand van '{where}' kan niet worden geopend of aangemaakt."
        )
        hint = "Controleer of de map bestaat en of klachtflow er mag schrijven."
    elif "readonly" in lowered or "read-only" in lowered:
        message = f"De database '{where}' is alleen-lezen."
        hint = "Geef klachtflow schrijfrechten op het bestand en de map ervan."
    elif "locked" in lowered or "busy" in lowered:
        message = f"De database '{where}' is bezet door een andere schrijver."
        hint = "Probeer het opnieuw; duurt het lang, kijk dan welk proces de database vasthoudt."
    elif isinstance(error, exc.IntegrityError):
        message = f"De gegevens botsen met wat al in de database '{where}' staat."
        hint = "Lees de zaak opnieuw; bestaat ze al, gebruik dan save() in plaats van add()."
    elif isinstance(error, exc.DataError):
        message = f"De database '{where}' weigert een waarde."
        hint = "Controleer de ingevoerde waarden; meld het als klachtflow ze had moeten weigeren."
    elif isinstance(error, exc.ProgrammingError | exc.NoSuchTableError):
        message = f"Het schema van de database '{where}' past niet bij deze klachtflow."
        hint = f"Voer uit: klachtflow db upgrade --db {where}"
    elif isinstance(error, exc.OperationalError | exc.InterfaceError) or (
        type(error).__module__.startswith("psycopg")
    ):
        message = f"Geen verbinding met de database '{where}'."
        hint = "Controleer of de database draait, bereikbaar is en de inloggegevens kloppen."
    else:
        message = f"De database '{where}' gaf een fout."
        hint = "Probeer het opnieuw; blijft het, bekijk dan de oorzaak hieronder."
    failure = StorageError(f"{message.removesuffix('.')} ({detail}).", hint=hint)
    failure.cause = error  # type: ignore[attr-defined]
    return failure


@contextmanager
def database_errors(where: str | Callable[[], str]) -> Iterator[None]:
    """Turn database failures inside the block into :class:`StorageError`.

    ``where`` names the database (a safe URL), or computes it on failure.
    """
    try:
        yield
    except KlachtflowError:
        raise
    except Exception as error:
        if not is_database_error(error):
            raise
        name = where if isinstance(where, str) else where()
        raise storage_error(error, name) from error


def _where(store: Any) -> Callable[[], str]:
    def where() -> str:
        from klachtflow.storage._connect import url_for_messages  # noqa: PLC0415

        return url_for_messages(str(getattr(store, "url", "")))

    return where


def translated(method: Callable[_P, _R]) -> Callable[_P, _R]:
    """Decorate a store method so database failures become :class:`StorageError`."""
    if inspect.isgeneratorfunction(method):

        @functools.wraps(method)
        def generator(*args: Any, **kwargs: Any) -> Any:
            with database_errors(_where(args[0])):
                yield from method(*args, **kwargs)

        return generator

    @functools.wraps(method)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with database_errors(_where(args[0])):
            return method(*args, **kwargs)

    return wrapper
