"""Report figures counted one case at a time: counters, never a list of cases.

:class:`Tally` takes :class:`~klachtflow.insight.facts.CaseFacts` one by one
and keeps only what the report shows (counts per key, the handling times as
a histogram for the median and 90th percentile), so a report over a million
cases holds a few hundred numbers. :func:`skeleton_facts` makes the facts of
a case from what a streamed, checked read gives
(:class:`~klachtflow.storage._stream.CheckedSkeleton`) without rebuilding the
whole case.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import attrs

from klachtflow.insight.facts import EXTERNAL, CaseFacts, summary_facts
from klachtflow.rules import ATW, WorkingCalendar
from klachtflow.rules.period import Period

if TYPE_CHECKING:
    from klachtflow.engine import Engine
    from klachtflow.storage._stream import CheckedSkeleton

__all__ = ["Tally", "skeleton_facts"]


def skeleton_facts(
    skeleton: CheckedSkeleton,
    engine: Engine,
    *,
    on: dt.date,
    calendar: WorkingCalendar = ATW,
) -> CaseFacts:
    """The facts of a checked skeleton, as :func:`case_facts` gives for the case.

    Read from the skeleton's summary (sealed, or made from the case inspected
    in full); only the fatal terms' clocks are rebuilt, the facts count no
    others. A skeleton whose rows do not verify has no facts: ``ValueError``.
    """
    summary = skeleton.summary
    if summary is None:
        msg = f"case {skeleton.case_id} does not verify: it has no facts"
        raise ValueError(msg)
    return summary_facts(
        summary,
        engine.procedure,
        engine.restore_clocks(summary.fatal),
        on=on,
        registration=skeleton.registration,
        measures=skeleton.measures,
        calendar=calendar,
    )


def _nth(histogram: Mapping[int, int], index: int) -> int:
    """The ``index``-th smallest value (0-based) of a histogram of values."""
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if index < seen:
            return value
    msg = "index beyond the histogram"
    raise IndexError(msg)


@attrs.define
class _Group:
    """Counts per key in first-seen order, with the first title seen."""

    counts: dict[str, int] = attrs.field(factory=dict)
    titles: dict[str, str] = attrs.field(factory=dict)

    def add(self, key: str | None, title: str) -> None:
        if key is None:
            return
        self.counts[key] = self.counts.get(key, 0) + 1
        self.titles.setdefault(key, title)

    def merge(self, other: _Group) -> None:
        """Add ``other``'s counts, its new keys after this one's."""
        for key, amount in other.counts.items():
            self.counts[key] = self.counts.get(key, 0) + amount
            self.titles.setdefault(key, other.titles[key])


@attrs.define
class Tally:
    """The report's counters over the cases of ``period`` and its trend periods."""

    period: Period
    trend_periods: Sequence[Period]
    dimension: str | None = None
    received: int = 0
    closed: int = 0
    informal_end: int = 0
    formal: int = 0
    measures: int = 0
    procedures: dict[str, None] = attrs.field(factory=dict)
    stages: _Group = attrs.field(factory=_Group)
    results: _Group = attrs.field(factory=_Group)
    external: _Group = attrs.field(factory=_Group)
    measured: int = 0
    within: int = 0
    late_open: int = 0
    extended: int = 0
    workdays: Counter[int] = attrs.field(factory=Counter)
    #: Per dimension value, in first-seen order: received, informal end,
    #: formal, external, late.
    breakdown: dict[str, list[int]] = attrs.field(factory=dict)
    #: Per trend period: received, formal, informal end.
    trend: list[list[int]] = attrs.field(factory=list)
    _current: tuple[dt.date, dt.date] = attrs.field(
        init=False, default=(dt.date.min, dt.date.min)
    )

    bounds: list[tuple[dt.date, dt.date]] = attrs.field(init=False, factory=list)

    def __attrs_post_init__(self) -> None:
        self.trend = [[0, 0, 0] for _ in self.trend_periods]
        self.bounds = [(p.first, p.last) for p in self.trend_periods]
        self._current = (self.period.first, self.period.last)

    def add(self, fact: CaseFacts) -> None:
        """Count one case."""
        opened = fact.opened_on
        for index, (first, last) in enumerate(self.bounds):
            if first <= opened <= last:
                point = self.trend[index]
                point[0] += 1
                point[1] += fact.formal
                point[2] += fact.informal_end
        first, last = self._current
        if not first <= opened <= last:
            return
        self.received += 1
        self.closed += fact.closed
        self.informal_end += fact.informal_end
        self.formal += fact.formal
        self.measures += fact.measures
        self.procedures.setdefault(fact.procedure, None)
        self.stages.add(fact.stage, fact.stage_title)
        self.results.add(fact.result, fact.result_title or fact.result or "")
        self.external.add(fact.external, fact.external_title or "")
        if fact.closed and fact.timely is not None:
            self.measured += 1
            self.within += bool(fact.timely)
        if fact.workdays is not None:
            self.workdays[fact.workdays] += 1
        self.late_open += fact.late_open
        self.extended += fact.extended
        if self.dimension is not None:
            row = self.breakdown.setdefault(fact.dimensions[self.dimension], [0] * 5)
            row[0] += 1
            row[1] += fact.informal_end
            row[2] += fact.formal
            row[3] += fact.stage == EXTERNAL
            row[4] += fact.timely is False or fact.late_open

    def merge(self, other: Tally) -> None:
        """Add the counts of ``other``, a tally of the same report over cases
        that come after this one's (a later range of opening dates): the
        result is the tally of both ranges counted in one pass."""
        if (other.period, other.trend_periods, other.dimension) != (
            self.period,
            self.trend_periods,
            self.dimension,
        ):
            msg = "only tallies of the same report merge"
            raise ValueError(msg)
        for name in (
            "received",
            "closed",
            "informal_end",
            "formal",
            "measures",
            "measured",
            "within",
            "late_open",
            "extended",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for key in other.procedures:
            self.procedures.setdefault(key, None)
        self.stages.merge(other.stages)
        self.results.merge(other.results)
        self.external.merge(other.external)
        self.workdays.update(other.workdays)
        for key, row in other.breakdown.items():
            mine = self.breakdown.setdefault(key, [0] * len(row))
            mine[:] = [a + b for a, b in zip(mine, row, strict=True)]
        for mine, theirs in zip(self.trend, other.trend, strict=True):
            mine[:] = [a + b for a, b in zip(mine, theirs, strict=True)]

    @property
    def days(self) -> int:
        """How many cases have a handling time."""
        return sum(self.workdays.values())

    def median_workdays(self) -> float:
        """The median handling time (as :func:`statistics.median`)."""
        n = self.days
        if n % 2:
            return _nth(self.workdays, n // 2)
        return (_nth(self.workdays, n // 2 - 1) + _nth(self.workdays, n // 2)) / 2

    def percentile_workdays(self, fraction: float) -> int:
        """The handling time at ``fraction`` (nearest rank)."""
        return _nth(self.workdays, max(0, math.ceil(fraction * self.days) - 1))
