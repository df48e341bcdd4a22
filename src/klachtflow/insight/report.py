"""The signaleringsrapportage: anonymous figures over the cases of a period.

Built from :class:`~klachtflow.insight.facts.CaseFacts` only, so names, ids and
free text never take part. Every count between 1 and ``threshold - 1`` is
suppressed (primary suppression); when a group would then show exactly one
suppressed cell next to its total, the smallest other non-zero cell is
suppressed too (secondary suppression), so no suppressed figure can be worked
out by subtraction. A suppressed :class:`Count` does not hold its value.

Which cases count: those *received* (opened) in the period, as they stand on
the peildatum ``on``. Awb 9:12a asks for the registered klaagschriften per
year; see :mod:`klachtflow.insight.render` for that publication.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import attrs

from klachtflow.engine import _arguments
from klachtflow.exceptions import KlachtflowError
from klachtflow.insight._counting import count
from klachtflow.insight._tally import Tally, _Group
from klachtflow.insight.facts import (
    DIMENSIONS,
    EXTERNAL,
    FORMAL,
    OTHER,
    UNKNOWN,
    CaseFacts,
    informal_stages,
)
from klachtflow.rules._arguments import check_int
from klachtflow.rules.period import Period

if TYPE_CHECKING:
    from klachtflow.definition.model import Procedure
    from klachtflow.storage import SqlStore

__all__ = [
    "MEASURE_FIELDS",
    "Breakdown",
    "Count",
    "InvalidReportOption",
    "Report",
    "ReportRowsTampered",
    "Row",
    "Timeliness",
    "TrendPoint",
    "build_report",
    "report_from_facts",
]

#: Data fields whose being filled in counts as "improvement measures recorded".
MEASURE_FIELDS = ("verbetermaatregelen", "maatregelen")
DEFAULT_THRESHOLD = 5
TREND_PERIODS = 4


class InvalidReportOption(KlachtflowError, ValueError):
    """A report option out of range (threshold, volume, dimension)."""

    code = "KF-I001"


class ReportRowsTampered(KlachtflowError):
    """Stored cases a report would count do not verify: no report is made.

    ``case_ids`` lists every such case; the message names the first few.
    A report over changed rows would print false numbers.
    """

    code = "KF-I010"

    def __init__(self, case_ids: Sequence[str]) -> None:
        self.case_ids = tuple(case_ids)
        shown = ", ".join(self.case_ids[:5])
        if len(self.case_ids) > 5:
            shown += f" en nog {len(self.case_ids) - 5}"
        noun = "zaak klopt" if len(self.case_ids) == 1 else "zaken kloppen"
        super().__init__(
            f"Geen rapport: {len(self.case_ids)} {noun} niet met hun geschiedenis "
            f"({shown}); de cijfers zouden onjuist zijn.",
            hint="Controleer de database met 'klachtflow verifieer' en herstel "
            "de zaken uit een back-up voordat u rapporteert.",
        )


@attrs.frozen
class Count:
    """A count as a report may show it: ``value`` is None when suppressed.

    ``secondary`` is True when the count is hidden not because it is small
    but so that a small count elsewhere in its group cannot be worked out by
    subtraction; it is then shown as ``x``, never as ``<5``.
    """

    value: int | None
    threshold: int
    secondary: bool = False

    @property
    def suppressed(self) -> bool:
        """True when the figure is hidden (small, or protecting another cell)."""
        return self.value is None

    def __str__(self) -> str:
        if self.value is not None:
            return str(self.value)
        return "x" if self.secondary else f"<{self.threshold}"

    def share_of(self, total: Count) -> float | None:
        """This count as a fraction of ``total``; None if either is hidden or zero."""
        if self.value is None or total.value is None or total.value == 0:
            return None
        return self.value / total.value


def suppress(values: Sequence[int], threshold: int) -> tuple[Count, ...]:
    """Primary and secondary suppression over one group of counts."""
    small = [0 < v < threshold for v in values]
    protecting = [False] * len(values)
    if sum(small) == 1:
        others = [(v, i) for i, v in enumerate(values) if v > 0 and not small[i]]
        if others:
            protecting[min(others)[1]] = True
    return tuple(
        Count(None, threshold, secondary=p) if s or p else Count(v, threshold)
        for v, s, p in zip(values, small, protecting, strict=True)
    )


def _one(value: int, threshold: int) -> Count:
    return suppress([value], threshold)[0]


@attrs.frozen
class Row:
    """One line of a grouped count: a stage, a result, an external referral."""

    key: str
    title: str
    count: Count


@attrs.frozen
class Timeliness:
    """Term figures over the closed cases in which a fatal term ran."""

    with_term: Count
    within: Count
    late: Count
    late_open: Count
    extended: Count
    median_workdays: float | None
    p90_workdays: int | None
    measured: int


@attrs.frozen
class TrendPoint:
    """The key figures of one period, for the trend."""

    period: str
    received: Count
    formal: Count
    informal_end: Count
    #: Why the period is not comparable with a full one ("loopt nog", or the
    #: registration began in it), or None for a complete period.
    partial: str | None = None


@attrs.frozen
class Breakdown:
    """Key figures per value of one dimension (``--per``)."""

    dimension: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[Count, ...]], ...]


@attrs.frozen
class Report:
    """Everything a signaleringsrapportage shows; see the module docstring."""

    period: Period
    on: dt.date
    threshold: int
    procedures: tuple[str, ...]
    received: Count
    closed: Count
    open: Count
    informal_end: Count
    formal: Count
    stages: tuple[Row, ...]
    results: tuple[Row, ...]
    external: tuple[Row, ...]
    timeliness: Timeliness
    measures: Count
    trend: tuple[TrendPoint, ...]
    breakdown: Breakdown | None = None
    volume: int | None = None
    volume_label: str = "meldingen"
    registration_start: dt.date | None = None

    @property
    def empty(self) -> bool:
        """True when no case was received in the period."""
        return self.received.value == 0

    @property
    def running(self) -> bool:
        """True when the period had not ended on the peildatum."""
        return self.period.last > self.on

    @property
    def rate(self) -> float | None:
        """Complaints per unit of volume (e.g. 130 on 14,490 reports), if known."""
        if self.volume is None or self.received.value is None:
            return None
        return self.received.value / self.volume

    @property
    def previous(self) -> TrendPoint | None:
        """The period before this one, for comparison."""
        return self.trend[-2] if len(self.trend) > 1 else None

    @property
    def secondary_suppression(self) -> bool:
        """True when some cell is hidden to protect another (shown as ``x``)."""
        return any(c.secondary for c in _all_counts(self))

    @property
    def primary_suppression(self) -> bool:
        """True when some cell is hidden because it is small (``<5``)."""
        return any(c.suppressed and not c.secondary for c in _all_counts(self))


def _all_counts(report: Report) -> list[Count]:
    t = report.timeliness
    counts = [
        report.received,
        report.closed,
        report.open,
        report.informal_end,
        report.formal,
        report.measures,
        t.with_term,
        t.within,
        t.late,
        t.late_open,
        t.extended,
    ]
    counts += [
        r.count
        for rows in (report.stages, report.results, report.external)
        for r in rows
    ]
    counts += [c for p in report.trend for c in (p.received, p.formal, p.informal_end)]
    if report.breakdown is not None:
        counts += [c for _, cells in report.breakdown.rows for c in cells]
    return counts


def _grouped(group: _Group, order: Sequence[str], threshold: int) -> tuple[Row, ...]:
    counts: dict[str, int] = dict.fromkeys(order, 0)
    counts.update(group.counts)
    keys = [k for k in counts if counts[k]]
    cells = suppress([counts[k] for k in keys], threshold)
    return tuple(
        Row(k, group.titles.get(k, k), cell)
        for k, cell in zip(keys, cells, strict=True)
    )


def _timeliness(tally: Tally, threshold: int) -> Timeliness:
    with_term, within_c, late = suppress(
        [tally.measured, tally.within, tally.measured - tally.within], threshold
    )
    enough = tally.days >= threshold
    return Timeliness(
        with_term=with_term,
        within=within_c,
        late=late,
        late_open=_one(tally.late_open, threshold),
        extended=_one(tally.extended, threshold),
        median_workdays=tally.median_workdays() if enough else None,
        p90_workdays=tally.percentile_workdays(0.9) if enough else None,
        measured=tally.days,
    )


def _breakdown(
    tally: Tally, dimension: str, order: Sequence[str], threshold: int
) -> Breakdown:
    columns = ("ontvangen", "informeel afgerond", "formeel", "extern", "te laat")
    values = list(dict.fromkeys([*order, *tally.breakdown]))
    values = [v for v in values if v not in (OTHER, UNKNOWN)] + [
        v for v in (OTHER, UNKNOWN) if v in values
    ]
    empty = [0] * len(columns)
    table = [
        [tally.breakdown.get(v, empty)[c] for v in values] for c in range(len(columns))
    ]
    cells = [suppress(column, threshold) for column in table]
    rows = tuple(
        (value, tuple(cells[c][r] for c in range(len(columns))))
        for r, value in enumerate(values)
        if table[0][r]
    )
    return Breakdown(dimension, columns, rows)


def _partial(period: Period, on: dt.date, start: dt.date | None) -> str | None:
    if period.last > on:
        return "loopt nog"
    if start is not None and period.first < start <= period.last:
        return "registratie begon in deze periode"
    return None


def _trend(
    tally: Tally, *, on: dt.date, start: dt.date | None, threshold: int
) -> tuple[TrendPoint, ...]:
    """The trend from the first period with cases (or only the report's period)."""
    points: list[TrendPoint] = []
    for p, (received, formal, informal_end) in zip(
        tally.trend_periods, tally.trend, strict=True
    ):
        if not received and not points and p != tally.period:
            continue  # before the first case: no zero years
        points.append(
            TrendPoint(
                p.label,
                _one(received, threshold),
                _one(formal, threshold),
                _one(informal_end, threshold),
                partial=_partial(p, on, start),
            )
        )
    return tuple(points)


def _check_period(period: Period, on: dt.date) -> None:
    if period.first > on:
        msg = (
            f"De periode {period.label} begint op {period.first.isoformat()}, "
            f"na de peildatum {on.isoformat()}: er kan nog niets in staan."
        )
        raise InvalidReportOption(
            msg,
            hint="Kies een periode tot en met vandaag, of geef een latere peildatum met --op.",
        )


def _check_options(threshold: int, volume: int | None, per: str | None) -> None:
    if threshold < 1:
        msg = f"De drempel moet minstens 1 zijn, niet {threshold}."
        raise InvalidReportOption(
            msg, hint="Gebruik de standaard 5, of hoger voor kleine aantallen."
        )
    if volume is not None and volume < 1:
        msg = f"Het volume moet een positief aantal zijn, niet {volume}."
        raise InvalidReportOption(
            msg,
            hint="Geef het aantal meldingen of contacten in de periode, bijv. 14490.",
        )
    if per is not None and per not in DIMENSIONS:
        msg = f"Onbekende indeling '{per}'."
        raise InvalidReportOption(msg, hint=f"Kies uit: {', '.join(DIMENSIONS)}.")


def report_from_facts(
    facts: Iterable[CaseFacts],
    period: Period,
    *,
    on: dt.date,
    procedures: Sequence[Procedure] = (),
    per: str | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    volume: int | None = None,
    volume_label: str = "meldingen",
    trend: int = TREND_PERIODS,
    registration_start: dt.date | None = None,
) -> Report:
    """The report for ``period`` from the facts of (at least) its trend periods.

    ``registration_start`` is the day the first case of the store was opened,
    when known: a period in which it falls is marked partial in the trend.
    A period that begins after ``on`` is an :class:`InvalidReportOption`.
    The facts are counted one by one (an iterator is never held in full).
    """
    _check_options(threshold, volume, per)
    _check_period(period, on)
    tally = Tally(period, period.preceding(trend), per)
    for fact in facts:
        tally.add(fact)
    return _report(
        tally,
        on=on,
        procedures=procedures,
        threshold=threshold,
        volume=volume,
        volume_label=volume_label,
        registration_start=registration_start,
    )


def _report(
    tally: Tally,
    *,
    on: dt.date,
    procedures: Sequence[Procedure],
    threshold: int,
    volume: int | None,
    volume_label: str,
    registration_start: dt.date | None,
) -> Report:
    ladder = [s for p in procedures for s in informal_stages(p)]
    stage_order = [*dict.fromkeys(ladder), FORMAL, EXTERNAL]
    result_order = [r for p in procedures for r in p.results]
    per = tally.dimension
    order: list[str] = []
    if per is not None:
        order = [v for p in procedures for v in p.registration.values(DIMENSIONS[per])]
    received, closed_c, open_c = suppress(
        [tally.received, tally.closed, tally.received - tally.closed], threshold
    )
    return Report(
        period=tally.period,
        on=on,
        threshold=threshold,
        procedures=tuple(tally.procedures),
        received=received,
        closed=closed_c,
        open=open_c,
        informal_end=_one(tally.informal_end, threshold),
        formal=_one(tally.formal, threshold),
        stages=_grouped(tally.stages, stage_order, threshold),
        results=_grouped(tally.results, list(dict.fromkeys(result_order)), threshold),
        external=_grouped(tally.external, (), threshold),
        timeliness=_timeliness(tally, threshold),
        measures=_one(tally.measures, threshold),
        trend=_trend(tally, on=on, start=registration_start, threshold=threshold),
        breakdown=(
            _breakdown(tally, per, list(dict.fromkeys(order)), threshold)
            if per is not None
            else None
        ),
        volume=volume,
        volume_label=volume_label,
        registration_start=registration_start,
    )


def _registration_start(store: SqlStore) -> dt.date | None:
    """The opening date of the first case the store holds: when registration
    began (the trend marks that period). The case is verified first: a row
    put in, or whose date was changed, does not move the start unnoticed."""
    first = store.find(limit=1)  # ordered by opening date
    if not first:
        return None
    case, report = store.inspect(first[0].id)
    if case is None or not report.valid:
        raise ReportRowsTampered([first[0].id])
    return first[0].opened_on


def build_report(
    store: SqlStore,
    period: Period,
    *,
    on: dt.date,
    per: str | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    volume: int | None = None,
    volume_label: str = "meldingen",
    trend: int = TREND_PERIODS,
    measure_fields: Sequence[str] = MEASURE_FIELDS,
    full_check: bool = False,
    processes: int = 1,
) -> Report:
    """The report for ``period`` from the cases in ``store``, as they stand on ``on``.

    Reads only the anonymous skeletons of the cases (no personal tables), plus
    which cases have improvement measures filled in (``measure_fields``),
    streamed a chunk at a time and counted as they come (memory stays flat).
    Every row counted is verified first (see
    :meth:`~klachtflow.storage.SqlStore.checked_skeletons`): a case through
    the sealed summary its row got when it was written (one seal per case,
    bound to its newest event), the registration columns against the case
    data; a case without a summary, or every case with ``full_check=True``,
    through its whole history (every event's seal, the chain, the ledgers).
    When any case does not verify, no report is made and
    :class:`ReportRowsTampered` names them.

    ``processes`` > 1 counts ranges of opening dates in that many forked
    processes and merges them: the same report, faster on a large store (see
    :mod:`klachtflow.insight._counting`; not from a process with threads of
    its own, and an in-memory SQLite store is counted in this process).
    """
    _arguments.flag("build_report(full_check)", full_check)
    check_int("build_report(processes)", processes, minimum=1, maximum=64)
    _check_options(threshold, volume, per)
    _check_period(period, on)
    counted = count(
        store,
        period=period,
        trend=period.preceding(trend),
        per=per,
        first=period.preceding(trend)[0].first,
        on=on,
        measure_fields=measure_fields,
        full=full_check,
        processes=processes,
    )
    if counted.tampered:
        raise ReportRowsTampered(counted.tampered)
    tally = counted.tally
    start = _registration_start(store)
    return _report(
        tally,
        on=on,
        procedures=[store.procedure(digest) for digest in counted.digests],
        threshold=threshold,
        volume=volume,
        volume_label=volume_label,
        registration_start=start,
    )
