"""Read work on a store in forked processes: one job each, results in job order.

Reports and audits over many cases split them into ranges (of opening dates,
of case ids) and read each range in a process of its own
(:func:`forked_map`). A forked process inherits the store, with its key,
calendar and organisation, and opens its own database connections; jobs and
results travel pickled. A :class:`~klachtflow.exceptions.KlachtflowError` in a
process reaches the caller as itself (or, if it cannot be pickled, as a
:class:`~klachtflow.exceptions.StorageError` with its message and hint).

On PostgreSQL every process reads the one snapshot the caller exported
(``pg_export_snapshot()``, held open until the processes are done, as
``pg_dump --jobs`` does): the ranges together are one consistent read, as in a
single process. SQLite has no shared snapshots: each process reads the
database as it is when its read begins (with one writer and WAL, a write that
commits meanwhile is seen by the ranges read after it).

Forking needs a database other processes can open (:func:`can_fork`: a
SQLite file or PostgreSQL, not an in-memory SQLite database) and a caller that
may fork: a process with threads of its own (a web server) keeps to one
process, as for ``import_cases``.
"""

from __future__ import annotations

import gc
import multiprocessing
import pickle
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from klachtflow.exceptions import KlachtflowError, StorageError
from klachtflow.storage._collector import GC_THRESHOLDS

if TYPE_CHECKING:
    from klachtflow.storage import SqlStore

__all__ = ["can_fork", "forked_map"]

_J = TypeVar("_J")
_R = TypeVar("_R")

#: The store of a forked process (set by the pool's initializer, then read).
_FORKED: list[SqlStore] = []


def can_fork(store: SqlStore) -> bool:
    """Whether other processes can open the store's database."""
    url = store.engine.url
    return url.get_backend_name() != "sqlite" or url.database not in (
        None,
        "",
        ":memory:",
    )


#: What pg_export_snapshot() returns, e.g. ``00000003-0000001B-1``.
_SNAPSHOT_ID = re.compile(r"[0-9A-F]+(-[0-9A-F]+)+")


def _start(store: SqlStore, snapshot: str | None) -> None:
    # The parent's connections stay the parent's: this process opens its own.
    store.engine.dispose(close=False)
    store._snapshot = snapshot
    gc.set_threshold(*GC_THRESHOLDS)
    _FORKED[:] = [store]


def _run(work: tuple[Callable[[SqlStore, Any], Any], Any]) -> Any:
    function, job = work
    try:
        return function(_FORKED[0], job)
    except KlachtflowError as error:
        try:
            pickle.loads(pickle.dumps(error))  # noqa: S301 - our own object
        except (pickle.PicklingError, TypeError, AttributeError):
            return StorageError(str(error), hint=error.hint)
        return error


def forked_map(
    store: SqlStore, function: Callable[[SqlStore, _J], _R], jobs: Sequence[_J]
) -> list[_R]:
    """``[function(store, job) for job in jobs]``, each job in a forked process.

    ``function`` must be a module-level function (it is sent by name).
    """
    context = multiprocessing.get_context("fork")
    with store._read() as connection:
        snapshot: str | None = None
        if connection.dialect.name == "postgresql" and store._snapshot is None:
            snapshot = str(
                connection.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one()
            )
            if not _SNAPSHOT_ID.fullmatch(
                snapshot
            ):  # pragma: no cover - PostgreSQL's own
                msg = f"PostgreSQL gaf een onverwachte snapshot-id: {snapshot!r}."
                raise StorageError(msg)
        # The snapshot lives as long as this transaction: until every process is done.
        with context.Pool(
            len(jobs), initializer=_start, initargs=(store, snapshot or store._snapshot)
        ) as pool:
            results: list[Any] = pool.map(
                _run, [(function, job) for job in jobs], chunksize=1
            )
            pool.close()
            pool.join()
    for result in results:
        if isinstance(result, KlachtflowError):
            raise result
    return results
