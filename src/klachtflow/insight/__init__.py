"""WHAT a procedure and its cases tell people: reports, diagrams and explanations.

- :func:`build_report` turns the anonymous skeletons of stored cases into a
  :class:`Report` (signaleringsrapportage, Awb 9:12a registration), rendered by
  :func:`render_report` as Markdown, HTML, CSV, JSON or the 9:12a publication.
- :func:`diagram` draws a procedure as Mermaid, Graphviz DOT or SVG.
- :func:`uitleg` explains a procedure to citizens (B1) or staff.

Reports are anonymous by construction: they are built from
:class:`CaseFacts`, which has no place for a name, an id or free text, and
cells below a threshold are suppressed.
"""

from __future__ import annotations

from klachtflow.insight.diagram import (
    DIAGRAM_FORMATS,
    GraphvizFailed,
    GraphvizMissing,
    diagram,
)
from klachtflow.insight.facts import CaseFacts, case_facts
from klachtflow.insight.render import REPORT_FORMATS, NotAYear, render_report
from klachtflow.insight.report import (
    Count,
    InvalidReportOption,
    Report,
    ReportRowsTampered,
    build_report,
    report_from_facts,
)
from klachtflow.insight.uitleg import AUDIENCES, uitleg
from klachtflow.rules.period import Period, parse_period

__all__ = [
    "AUDIENCES",
    "DIAGRAM_FORMATS",
    "REPORT_FORMATS",
    "CaseFacts",
    "Count",
    "GraphvizFailed",
    "GraphvizMissing",
    "InvalidReportOption",
    "NotAYear",
    "Period",
    "Report",
    "ReportRowsTampered",
    "build_report",
    "case_facts",
    "diagram",
    "parse_period",
    "render_report",
    "report_from_facts",
    "uitleg",
]
