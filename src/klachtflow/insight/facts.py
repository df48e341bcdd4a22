"""The anonymous facts of one case that reports count.

:class:`CaseFacts` has fields for dates, stages, results, registration values
and term outcomes only: no name, id, actor or free text fits in it. Registration
values that the procedure does not list (``registratie``) become ``overig``, so
a name typed into a category cannot reach a report either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs

from klachtflow.definition.model import Procedure, TermKind
from klachtflow.engine import Case
from klachtflow.engine.lifecycle import (
    EXTERNAL,
    FORMAL,
    ReportSummary,
    informal_stages,
    report_summary,
)
from klachtflow.rules import ATW, WorkingCalendar
from klachtflow.rules.clocks import TermClock

__all__ = [
    "DIMENSIONS",
    "EXTERNAL",
    "FORMAL",
    "OTHER",
    "CaseFacts",
    "case_facts",
    "informal_stages",
    "summary_facts",
]

#: Report dimensions (``--per``) and the ``registratie`` list each is checked against.
DIMENSIONS: Mapping[str, str] = {
    "categorie": "categorieen",
    "domein": "domeinen",
    "aanbieder": "aanbieders",
    "kanaal": "kanalen",
}
#: A registration value the procedure does not list.
OTHER = "overig"
UNKNOWN = "onbekend"


@attrs.frozen
class CaseFacts:
    """What a report may know about one case.

    ``stage`` is the furthest stage the case reached: the name of an informal
    state (``onvrede``, ``gesprek``, ``bemiddeling``, ...), ``formeel`` or
    ``extern``; ``external`` the first external state it entered (the ombudsman,
    bezwaar, a geschilleninstantie) and ``external_title`` its title.
    ``timely`` is None when no fatal term ran, else whether every
    fatal term was met; ``workdays`` the handling time in Atw working days.
    """

    procedure: str
    opened_on: dt.date
    stage: str
    stage_title: str
    formal: bool
    dimensions: Mapping[str, str]
    closed_on: dt.date | None = None
    result: str | None = None
    result_title: str | None = None
    external: str | None = None
    external_title: str | None = None
    timely: bool | None = None
    late_open: bool = False
    extended: bool = False
    workdays: int | None = None
    measures: bool = False

    @property
    def closed(self) -> bool:
        """True when the case is in an end state."""
        return self.closed_on is not None

    @property
    def informal_end(self) -> bool:
        """Closed without ever becoming a formal complaint or going outside."""
        return self.closed and self.stage not in (FORMAL, EXTERNAL)


def _dimensions(
    case_row: Mapping[str, str | None], procedure: Procedure
) -> dict[str, str]:
    out: dict[str, str] = {}
    for dimension, list_name in DIMENSIONS.items():
        value = case_row.get(dimension)
        if value is None:
            out[dimension] = UNKNOWN
        elif value in procedure.registration.values(list_name):
            out[dimension] = value
        else:
            out[dimension] = OTHER
    return out


def case_facts(
    case: Case,
    procedure: Procedure,
    *,
    on: dt.date,
    registration: Mapping[str, str | None],
    measures: bool = False,
    calendar: WorkingCalendar = ATW,
) -> CaseFacts:
    """The facts of ``case`` as they stand on ``on``.

    ``registration`` holds the case's registration values by dimension
    (categorie, domein, aanbieder, kanaal) as the store keeps them; ``measures``
    whether improvement measures were recorded.
    """
    fatal = {
        name: clock
        for name, clock in case.clocks.items()
        if clock.term.kind is TermKind.FATAAL
    }
    return summary_facts(
        report_summary(case, procedure),
        procedure,
        fatal,
        on=on,
        registration=registration,
        measures=measures,
        calendar=calendar,
    )


def summary_facts(
    summary: ReportSummary,
    procedure: Procedure,
    fatal: Mapping[str, TermClock],
    *,
    on: dt.date,
    registration: Mapping[str, str | None],
    measures: bool = False,
    calendar: WorkingCalendar = ATW,
) -> CaseFacts:
    """The facts on ``on`` of a case with ``summary``; ``fatal`` its fatal terms'
    clocks (rebuilt from ``summary.fatal``, or the case's own)."""
    stage, external, closed = summary.stage, summary.external, summary.closed_on
    opened = summary.opened_on
    running = [clock for clock in fatal.values() if clock.started <= on]
    met = [
        clock.stopped_on <= clock.due(clock.stopped_on)
        for clock in running
        if clock.stopped_on is not None
    ]
    running_late = any(c.stopped_on is None and c.due(on) < on for c in running)
    title = (
        "Formele klacht"
        if stage == FORMAL
        else "Extern (tweede lijn)"
        if stage == EXTERNAL
        else procedure.states[stage].title
        if stage in procedure.states
        else stage
    )
    result = procedure.results.get(summary.result) if summary.result else None
    return CaseFacts(
        procedure=procedure.name,
        opened_on=opened,
        stage=stage,
        stage_title=title,
        formal=summary.formal,
        dimensions=_dimensions(registration, procedure),
        closed_on=closed,
        result=summary.result if result is not None else None,
        result_title=result.title if result is not None else None,
        external=external,
        external_title=procedure.states[external].title if external else None,
        timely=(all(met) and not running_late) if met else None,
        late_open=running_late and closed is None,
        extended=any(c.extensions for c in running),
        workdays=calendar.workdays_between(opened, closed) if closed else None,
        measures=measures,
    )
