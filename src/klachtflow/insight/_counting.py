"""Counting a report's cases: in this process, or in several at once.

:func:`count_range` streams the checked skeletons of the cases opened in one
range of dates into a :class:`~klachtflow.insight._tally.Tally`.
:func:`count` splits the report's dates into ``processes`` ranges of about
as many cases each and counts each range in a forked process (each with its
own database connections, reading the same database), then merges the tallies
in date order: the cases are met in the order one process would meet them,
so the report is the same, figure for figure and in its order of first
appearance. See :mod:`klachtflow.storage._forked` for what forking needs (an
in-memory SQLite store is counted in this process).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs

from klachtflow.insight._tally import Tally, skeleton_facts
from klachtflow.storage._forked import can_fork, forked_map
from klachtflow.storage._stream import opening_boundaries

if TYPE_CHECKING:
    from klachtflow.engine import Engine
    from klachtflow.rules.period import Period
    from klachtflow.storage import SqlStore

__all__ = ["Counted", "count", "count_range"]

#: Below this many cases one process counts them: forking costs more.
PARALLEL_FROM = 20_000
_DAY = dt.timedelta(days=1)


@attrs.define
class Counted:
    """One range's count: the tally, the procedure digests met (in order) and
    the cases that did not verify."""

    tally: Tally
    digests: list[str]
    tampered: list[str]


@attrs.frozen
class _Job:
    period: Period
    trend: tuple[Period, ...]
    per: str | None
    first: dt.date
    last: dt.date
    on: dt.date
    measure_fields: tuple[str, ...]
    full: bool


def count_range(store: SqlStore, job: _Job) -> Counted:
    """Count the cases opened from ``job.first`` through ``job.last``."""
    engines: dict[str, Engine] = {}
    counted = Counted(Tally(job.period, job.trend, job.per), [], [])
    for skeleton in store.checked_skeletons(
        opened_from=job.first,
        opened_until=job.last,
        measure_fields=job.measure_fields,
        full=job.full,
    ):
        if skeleton.problems:
            counted.tampered.append(skeleton.case_id)
            continue
        engine = engines.get(skeleton.procedure_digest)
        if engine is None:
            engine = engines[skeleton.procedure_digest] = store.engine_for(
                store.procedure(skeleton.procedure_digest)
            )
            counted.digests.append(skeleton.procedure_digest)
        counted.tally.add(
            skeleton_facts(skeleton, engine, on=job.on, calendar=store.atw)
        )
    return counted


def _boundaries(
    store: SqlStore, first: dt.date, last: dt.date, processes: int
) -> list[dt.date]:
    """Dates that split the cases opened in [first, last] into ``processes``
    ranges of about as many cases (fewer ranges when days hold many cases)."""
    with store._read() as connection:
        return opening_boundaries(
            connection,
            opened_from=first,
            opened_until=last,
            organisation=store._org,
            parts=processes,
            least=PARALLEL_FROM,
        )


def merge(parts: Sequence[Counted]) -> Counted:
    """The counts of consecutive date ranges as one count, in range order."""
    whole = parts[0]
    for part in parts[1:]:
        whole.tally.merge(part.tally)
        whole.digests += [d for d in part.digests if d not in whole.digests]
        whole.tampered += part.tampered
    return whole


def count(
    store: SqlStore,
    *,
    period: Period,
    trend: Sequence[Period],
    per: str | None,
    first: dt.date,
    on: dt.date,
    measure_fields: Sequence[str],
    full: bool,
    processes: int,
) -> Counted:
    """The report's count over the cases opened from ``first`` through the
    period's end, in ``processes`` processes (module docstring)."""
    job = _Job(
        period, tuple(trend), per, first, period.last, on, tuple(measure_fields), full
    )
    cuts = (
        _boundaries(store, first, period.last, processes)
        if processes > 1 and can_fork(store)
        else []
    )
    if not cuts:
        return count_range(store, job)
    starts = [first, *cuts]
    ends = [cut - _DAY for cut in cuts] + [period.last]
    jobs = [
        attrs.evolve(job, first=start, last=end)
        for start, end in zip(starts, ends, strict=True)
    ]
    return merge(forked_map(store, count_range, jobs))
