"""Facts about where a case stands in its procedure, shared by storage and reports.

When did it close, and did it ever become a formal complaint: both are read
from the history against the procedure's states (``eind``, ``kenmerken``).
:func:`report_summary` gathers everything a report counts of a case that does
not depend on the report's date; the store seals it into the case row at every
write, so a report reads one verified row per case instead of replaying its
history (see :mod:`klachtflow.storage._stream`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

import attrs

from klachtflow.definition.model import Procedure, TermKind
from klachtflow.engine._seal import canonical
from klachtflow.engine.case import Case
from klachtflow.rules.clocks import clock_ledger

__all__ = [
    "EXTERNAL",
    "FORMAL",
    "REGISTRATION",
    "ReportSummary",
    "became_formal",
    "closed_on",
    "furthest_stage",
    "informal_stages",
    "is_filled",
    "read_summary",
    "report_summary",
    "summary_text",
]

#: Stage keys beyond the informal states.
FORMAL = "formeel"
EXTERNAL = "extern"


def closed_on(case: Case, procedure: Procedure) -> dt.date | None:
    """The legal date the case entered its current end state, if it is in one."""
    state = procedure.states.get(case.status)
    if state is None or not state.is_final:
        return None
    for event in reversed(case.history):
        if event.from_state != event.to_state:
            return event.legal_date
    return case.history[-1].legal_date


def became_formal(case: Case, procedure: Procedure) -> bool:
    """True when the case ever entered a state tagged ``formeel`` (or one inside it)."""
    formal = procedure.formal_states
    return any(e.to_state in formal for e in case.history)


def informal_stages(procedure: Procedure) -> tuple[str, ...]:
    """The top-level, non-final states tagged ``informeel``, in declaration order."""
    return tuple(
        name
        for name, state in procedure.states.items()
        if state.parent is None and not state.is_final and "informeel" in state.tags
    )


def furthest_stage(case: Case, procedure: Procedure) -> tuple[str, str | None]:
    """(furthest stage, first external state entered) of ``case``.

    The stage is ``extern`` once the case entered a state tagged ``extern`` (the
    ombudsman, bezwaar, a geschilleninstantie), else ``formeel`` once it became
    formal, else the furthest informal state it reached, else the top-level
    state it started in.
    """
    ladder = informal_stages(procedure)
    reached = -1
    external: str | None = None
    for event in case.history:
        for name in event.to_state.split("."):
            state = procedure.states.get(name)
            if state is None:
                continue
            if external is None and "extern" in state.tags:
                external = name
            if name in ladder:
                reached = max(reached, ladder.index(name))
    if external is not None:
        return EXTERNAL, external
    if became_formal(case, procedure):
        return FORMAL, None
    if reached >= 0:
        return ladder[reached], None
    return case.history[0].to_state.split(".", 1)[0], None


@attrs.frozen
class ReportSummary:
    """What a report counts of one case that does not depend on the report's date.

    ``fatal`` holds the ledgers (:func:`~klachtflow.rules.clocks.clock_ledger`)
    of the case's fatal terms with every free-text reason left out: a report
    computes from them whether each term was met, or is running late, on its
    own date. ``procedure_digest`` names the procedure version the facts are
    read under; ``registration`` the registration values by dimension
    (categorie, domein, aanbieder, kanaal: the values the case row's report
    columns hold); ``filled`` the names of the data fields with a value (so a
    report knows which cases recorded improvement measures without reading
    the data). Nothing in it names a person or quotes free text.
    """

    opened_on: dt.date
    stage: str
    external: str | None
    formal: bool
    closed_on: dt.date | None
    result: str | None
    fatal: Mapping[str, Mapping[str, Any]] = attrs.field(factory=dict)
    procedure_digest: str = ""
    registration: Mapping[str, str | None] = attrs.field(factory=dict)
    filled: tuple[str, ...] = ()


#: The registration dimensions a report breaks down by, in the case data.
REGISTRATION = ("categorie", "domein", "aanbieder", "kanaal")


def is_filled(value: Any) -> bool:
    """Whether a data value counts as filled in: not missing, null or ''."""
    return value is not None and value != ""


def _without_reasons(ledger: Mapping[str, Any]) -> dict[str, Any]:
    """A ledger with its free-text reasons (the last item of each step) as None."""
    out = dict(ledger)
    for key in ("suspensions", "extensions", "delays"):
        out[key] = [[*step[:-1], None] for step in ledger[key]]
    return out


def report_summary(case: Case, procedure: Procedure) -> ReportSummary:
    """The summary of ``case`` under its ``procedure`` (the one its digest names)."""
    stage, external = furthest_stage(case, procedure)
    return ReportSummary(
        opened_on=case.history[0].legal_date,
        stage=stage,
        external=external,
        formal=became_formal(case, procedure),
        closed_on=closed_on(case, procedure),
        result=case.result,
        fatal={
            name: _without_reasons(clock_ledger(clock))
            for name, clock in case.clocks.items()
            if clock.term.kind is TermKind.FATAAL
        },
        procedure_digest=case.procedure_digest,
        registration={
            name: value if isinstance(value := case.data.get(name), str) else None
            for name in REGISTRATION
        },
        filled=tuple(sorted(k for k, v in case.data.items() if is_filled(v))),
    )


def summary_text(summary: ReportSummary) -> str:
    """The canonical JSON text of ``summary``: what the case row keeps and seals."""
    return canonical(
        {
            "opened_on": summary.opened_on.isoformat(),
            "stage": summary.stage,
            "external": summary.external,
            "formal": summary.formal,
            "closed_on": summary.closed_on.isoformat() if summary.closed_on else None,
            "result": summary.result,
            "fatal": summary.fatal,
            "procedure_digest": summary.procedure_digest,
            "registration": summary.registration,
            "filled": summary.filled,
        }
    )


def read_summary(text: str) -> ReportSummary:
    """The summary :func:`summary_text` wrote.

    Raises ``ValueError``, ``KeyError`` or ``TypeError`` on a text it did not
    write; the store seals the text, so a caller checks the seal first.
    """
    value = json.loads(text)
    closed = value["closed_on"]
    return ReportSummary(
        opened_on=dt.date.fromisoformat(value["opened_on"]),
        stage=value["stage"],
        external=value["external"],
        formal=bool(value["formal"]),
        closed_on=dt.date.fromisoformat(closed) if closed else None,
        result=value["result"],
        fatal=value["fatal"],
        procedure_digest=value["procedure_digest"],
        registration=value["registration"],
        filled=tuple(value["filled"]),
    )
