"""Render a :class:`~klachtflow.insight.report.Report` as md, html, csv, json or the 9:12a publication.

Markdown and HTML share one list of sections, so they always say the same;
HTML adds SVG charts and is one self-contained file (inline CSS, no scripts, a
Content-Security-Policy that forbids every external request) that prints well.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping, Sequence
from html import escape
from typing import Any

import attrs

from klachtflow.exceptions import KlachtflowError
from klachtflow.insight import _charts
from klachtflow.insight.report import Count, Report, Row

__all__ = [
    "REPORT_FORMATS",
    "Section",
    "as_dict",
    "html_document",
    "html_page",
    "markdown_document",
    "render_report",
    "sections",
]

#: ``klachtflow rapport --format``; ``awb-9-12a`` is the yearly publication.
REPORT_FORMATS = ("md", "html", "csv", "json", "awb-9-12a")
AWB = "BWBR0005537"
AWB_9_12A = "https://wetten.overheid.nl/BWBR0005537/#Hoofdstuk9_Titeldeel9.1_Afdeling9.1.2_Artikel9:12a"


@attrs.frozen
class Section:
    """One part of a document: a heading, sentences, bullets, a table, a code block.

    ``figure`` is an SVG shown in HTML in place of ``code`` (e.g. a diagram whose
    Mermaid text Markdown shows instead).
    """

    key: str
    title: str
    lines: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    bullets: tuple[str, ...] = ()
    code: str | None = None
    code_language: str = ""
    figure: str | None = None


def _n(value: int | float) -> str:
    """Dutch number: 14.490, 12,5."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"{int(value):,}".replace(",", ".")


def _c(count: Count) -> str:
    return str(count) if count.value is None else _n(count.value)


def _pct(part: Count, whole: Count) -> str:
    share = part.share_of(whole)
    return "—" if share is None else f"{_n(round(100 * share, 1))}%"


def _rows(rows: Sequence[Row], whole: Count) -> tuple[tuple[str, ...], ...]:
    return tuple((r.title, _c(r.count), _pct(r.count, whole)) for r in rows)


def _table_or_none(section: Section) -> Section:
    """A section without rows says so instead of showing an empty table."""
    if section.rows or not section.headers:
        return section
    return attrs.evolve(
        section, lines=(*section.lines, "Geen klachten in deze periode."), headers=()
    )


def _delta(now: Count, before: Count) -> str:
    if now.value is None or before.value is None:
        return "—"
    diff = now.value - before.value
    return f"{'+' if diff > 0 else ''}{_n(diff)}"


def sections(report: Report) -> tuple[Section, ...]:
    """The report as sections, in the order people read them."""
    r, t = report, report.timeliness
    key = [
        ("Ontvangen klachten en signalen", _c(r.received)),
        ("Afgerond", _c(r.closed)),
        ("Nog in behandeling", _c(r.open)),
        (
            "Informeel afgerond (onvrede, gesprek of bemiddeling)",
            f"{_c(r.informal_end)} ({_pct(r.informal_end, r.closed)} van afgerond)",
        ),
        ("Formele klacht geworden", f"{_c(r.formal)} ({_pct(r.formal, r.received)})"),
        ("Met verbetermaatregelen", _c(r.measures)),
    ]
    if r.volume is not None:
        rate = r.rate
        key.append(
            (
                "Klachtratio",
                f"{_c(r.received)} op {_n(r.volume)} {r.volume_label}"
                + ("" if rate is None else f" = {_n(round(100 * rate, 2))}%"),
            )
        )
    out = [
        Section(
            "kerncijfers",
            "Kerncijfers",
            (
                f"Klachten ontvangen in {r.period.label} "
                f"({r.period.first.isoformat()} t/m {r.period.last.isoformat()}), "
                f"stand op {r.on.isoformat()}.",
            ),
            ("Cijfer", "Aantal"),
            tuple(key),
        ),
        Section(
            "fasen",
            "Verste fase bereikt",
            (
                "Elke klacht telt één keer, bij de verste fase die zij bereikte. "
                "Klachten die informeel eindigen, voorkomen een formele klacht.",
            ),
            ("Fase", "Aantal", "Aandeel"),
            _rows(r.stages, r.received),
        ),
        Section(
            "resultaten",
            "Resultaten",
            ("Van de afgeronde klachten.",),
            ("Resultaat", "Aantal", "Aandeel"),
            _rows(r.results, r.closed),
        ),
        Section(
            "tijdigheid",
            "Tijdigheid",
            (
                "Over afgeronde klachten waarin een wettelijke (fatale) termijn liep, "
                "zoals Awb 9:11 of Wkkgz art. 17; doorlooptijd in werkdagen "
                "volgens de Algemene termijnenwet.",
            ),
            ("Cijfer", "Waarde"),
            (
                ("Afgerond met een wettelijke termijn", _c(t.with_term)),
                (
                    "Binnen de termijn",
                    f"{_c(t.within)} ({_pct(t.within, t.with_term)})",
                ),
                ("Na de termijn", _c(t.late)),
                ("Nog open en over de termijn", _c(t.late_open)),
                ("Termijn verdaagd", _c(t.extended)),
                (
                    "Mediane doorlooptijd (werkdagen)",
                    "—" if t.median_workdays is None else _n(float(t.median_workdays)),
                ),
                (
                    "90e percentiel doorlooptijd (werkdagen)",
                    "—" if t.p90_workdays is None else _n(t.p90_workdays),
                ),
            ),
        ),
        Section(
            "tweede_lijn",
            "Tweede lijn en doorverwijzing",
            (
                "Klachten die naar de ombudsman, bezwaar of een geschilleninstantie gingen.",
            )
            if r.external
            else ("Geen klachten naar de tweede lijn in deze periode.",),
            ("Naar", "Aantal") if r.external else (),
            tuple((row.title, _c(row.count)) for row in r.external),
        ),
    ]
    previous = r.previous
    if previous is not None:
        out.append(
            Section(
                "trend",
                "Trend",
                (
                    f"Verschil met {previous.period}: {_delta(r.received, previous.received)} ontvangen.",
                ),
                ("Periode", "Ontvangen", "Formeel", "Informeel afgerond"),
                tuple(
                    (p.period, _c(p.received), _c(p.formal), _c(p.informal_end))
                    for p in r.trend
                ),
            )
        )
    if r.breakdown is not None:
        b = r.breakdown
        out.append(
            Section(
                "per",
                f"Per {b.dimension}",
                (
                    "Waarden die niet in de registratielijst van de procedure staan, "
                    "tellen als 'overig'.",
                ),
                (b.dimension.capitalize(), *(c.capitalize() for c in b.columns)),
                tuple((value, *(_c(c) for c in cells)) for value, cells in b.rows),
            )
        )
    out.append(
        Section(
            "verantwoording",
            "Verantwoording",
            (
                f"Deze rapportage is anoniem: zij bevat geen namen, kenmerken of vrije tekst, "
                f"en aantallen kleiner dan {r.threshold} (maar niet 0) zijn verborgen "
                f"('<{r.threshold}'), "
                f"zo nodig met een tweede cel, zodat niemand herkenbaar is.",
                "Registratie en jaarlijkse publicatie van klachten: Awb 9:12a "
                f"({AWB}).",
            ),
        )
    )
    return tuple(_table_or_none(section) for section in out)


# --------------------------------------------------------------------------- markdown


def _md_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    def numeric(column: int) -> bool:
        return column > 0 and all(row[column][:1] in "0123456789<—+-" for row in rows)

    lines = ["| " + " | ".join(cell(h) for h in headers) + " |"]
    lines.append(
        "|"
        + "|".join("---:" if numeric(i) else "---" for i in range(len(headers)))
        + "|"
    )
    lines.extend("| " + " | ".join(cell(c) for c in row) + " |" for row in rows)
    return lines


def markdown_document(title: str, parts: Sequence[Section]) -> str:
    """Sections as one Markdown document."""
    out = [f"# {title}", ""]
    for section in parts:
        out.extend([f"## {section.title}", ""])
        for line in section.lines:
            out.extend([line, ""])
        if section.bullets:
            out.extend([*(f"- {b}" for b in section.bullets), ""])
        if section.headers:
            out.extend([*_md_table(section.headers, section.rows), ""])
        if section.code is not None:
            out.extend(
                [f"```{section.code_language}", section.code.rstrip(), "```", ""]
            )
    return "\n".join(out).rstrip() + "\n"


def _markdown(report: Report) -> str:
    return markdown_document(
        f"Klachtenrapportage {report.period.label}", sections(report)
    )


# --------------------------------------------------------------------------- html

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2d3d;
max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
h1{font-size:1.7rem;border-bottom:3px solid #1b6ca8;padding-bottom:.3rem}
h2{font-size:1.25rem;margin-top:2rem;color:#1b6ca8}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
th,td{padding:.3rem .6rem;border-bottom:1px solid #d5dde5;text-align:right}
th:first-child,td:first-child{text-align:left}
th{background:#eef3f8}
svg.chart{width:100%;height:auto;max-width:44rem;display:block;margin:.5rem 0}
.note{color:#52606d;font-size:.9rem}
pre{background:#f4f6f8;padding:.6rem;overflow-x:auto;font-size:.8rem}
.figure svg{max-width:100%;height:auto}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}
section{break-inside:avoid}a{color:inherit;text-decoration:none}}
"""
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _charts_for(report: Report) -> Mapping[str, Callable[[], str]]:
    r = report
    return {
        "fasen": lambda: _charts.bars(
            "Verste fase bereikt", [(row.title, row.count) for row in r.stages]
        ),
        "tijdigheid": lambda: _charts.split_bar(
            "Tijdigheid",
            [
                ("Binnen de termijn", r.timeliness.within),
                ("Na de termijn", r.timeliness.late),
            ],
        ),
        "trend": lambda: _charts.columns(
            "Trend per periode",
            [p.period for p in r.trend],
            [
                ("Ontvangen", [p.received for p in r.trend]),
                ("Formeel", [p.formal for p in r.trend]),
            ],
        ),
    }


def _html_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def html_page(title: str, body: str) -> str:
    """A self-contained HTML page: inline CSS, no scripts, no external requests."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="nl"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head>"
        f"<body>{body}</body></html>\n"
    )


def html_document(
    title: str,
    parts: Sequence[Section],
    charts: Mapping[str, Callable[[], str]] | None = None,
) -> str:
    """Sections as one self-contained HTML page; ``charts`` adds an SVG per section key."""
    charts = charts or {}
    body = [f"<h1>{escape(title)}</h1>"]
    for section in parts:
        body.append(f'<section id="{section.key}"><h2>{escape(section.title)}</h2>')
        body.extend(f"<p>{escape(line)}</p>" for line in section.lines)
        if section.bullets:
            body.append(
                "<ul>"
                + "".join(f"<li>{escape(b)}</li>" for b in section.bullets)
                + "</ul>"
            )
        if section.key in charts and section.headers:
            body.append(charts[section.key]())
        if section.headers:
            body.append(_html_table(section.headers, section.rows))
        if section.figure is not None:
            body.append(f'<div class="figure">{section.figure}</div>')
        elif section.code is not None:
            body.append(f"<pre>{escape(section.code)}</pre>")
        body.append("</section>")
    return html_page(title, "".join(body))


def _html(report: Report) -> str:
    return html_document(
        f"Klachtenrapportage {report.period.label}",
        sections(report),
        _charts_for(report),
    )


# --------------------------------------------------------------------------- csv, json


def _count_json(count: Count) -> dict[str, Any]:
    return {"aantal": count.value, "verborgen": count.suppressed}


def as_dict(report: Report) -> dict[str, Any]:
    """The report as JSON-ready data; a hidden count is ``{"aantal": null, "verborgen": true}``."""
    r, t = report, report.timeliness
    return {
        "periode": r.period.label,
        "van": r.period.first.isoformat(),
        "tot_en_met": r.period.last.isoformat(),
        "peildatum": r.on.isoformat(),
        "drempel": r.threshold,
        "procedures": list(r.procedures),
        "ontvangen": _count_json(r.received),
        "afgerond": _count_json(r.closed),
        "open": _count_json(r.open),
        "informeel_afgerond": _count_json(r.informal_end),
        "formeel": _count_json(r.formal),
        "verbetermaatregelen": _count_json(r.measures),
        "fasen": {row.key: _count_json(row.count) for row in r.stages},
        "resultaten": {row.key: _count_json(row.count) for row in r.results},
        "tweede_lijn": {row.key: _count_json(row.count) for row in r.external},
        "tijdigheid": {
            "met_termijn": _count_json(t.with_term),
            "binnen_termijn": _count_json(t.within),
            "na_termijn": _count_json(t.late),
            "open_over_termijn": _count_json(t.late_open),
            "verdaagd": _count_json(t.extended),
            "mediaan_werkdagen": t.median_workdays,
            "p90_werkdagen": t.p90_workdays,
        },
        "trend": [
            {
                "periode": p.period,
                "ontvangen": _count_json(p.received),
                "formeel": _count_json(p.formal),
                "informeel_afgerond": _count_json(p.informal_end),
            }
            for p in r.trend
        ],
        "per": None
        if r.breakdown is None
        else {
            "indeling": r.breakdown.dimension,
            "rijen": [
                {
                    "waarde": value,
                    **{
                        column.replace(" ", "_"): _count_json(cell)
                        for column, cell in zip(r.breakdown.columns, cells, strict=True)
                    },
                }
                for value, cells in r.breakdown.rows
            ],
        },
        "volume": None
        if r.volume is None
        else {"aantal": r.volume, "eenheid": r.volume_label, "ratio": r.rate},
        "grondslag": {"wet": "Awb", "artikel": "9:12a", "bwb": AWB},
    }


def _flatten(prefix: str, value: Any) -> list[tuple[str, str, str]]:
    """(key, value, verborgen) rows from the JSON form; counts stay numbers."""
    if isinstance(value, dict) and set(value) == {"aantal", "verborgen"}:
        hidden = bool(value["verborgen"])
        return [
            (prefix, "" if hidden else str(value["aantal"]), "ja" if hidden else "nee")
        ]
    if isinstance(value, dict):
        return [
            row
            for key, item in value.items()
            for row in _flatten(f"{prefix}.{key}" if prefix else key, item)
        ]
    if isinstance(value, list):
        return [
            row
            for i, item in enumerate(value)
            for row in _flatten(
                f"{prefix}.{item.get('periode') or item.get('waarde') or i}"
                if isinstance(item, dict)
                else f"{prefix}.{i}",
                {k: v for k, v in item.items() if k not in ("periode", "waarde")}
                if isinstance(item, dict)
                else item,
            )
        ]
    return [(prefix, "" if value is None else str(value), "nee")]


def _csv(report: Report) -> str:
    """One row per figure: a dotted key, the number (empty when hidden), verborgen."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["sleutel", "waarde", "verborgen"])
    writer.writerows(_flatten("", as_dict(report)))
    return out.getvalue()


# --------------------------------------------------------------------------- 9:12a


class NotAYear(KlachtflowError, ValueError):
    """The Awb 9:12a publication covers a calendar year."""

    code = "KF-I002"


def _publication(report: Report) -> str:
    if report.period.kind != "J":
        msg = f"De publicatie volgens Awb 9:12a is jaarlijks; '{report.period.label}' is geen jaar."
        raise NotAYear(msg, hint=f"Gebruik --periode {report.period.year}.")
    r = report
    lines = [
        f"# Publicatie geregistreerde klachten {r.period.year}",
        "",
        "Het bestuursorgaan registreert de ingediende klaagschriften en publiceert "
        f"ze jaarlijks (Awb 9:12a, {AWB}; {AWB_9_12A}).",
        "",
        f"- Ontvangen klachten en signalen: {_c(r.received)}",
        f"- Daarvan informeel afgerond: {_c(r.informal_end)}",
        f"- Formele klachten (klaagschriften): {_c(r.formal)}",
        f"- Binnen de wettelijke termijn afgehandeld: {_c(r.timeliness.within)} "
        f"van {_c(r.timeliness.with_term)} ({_pct(r.timeliness.within, r.timeliness.with_term)})",
        f"- Termijn verdaagd: {_c(r.timeliness.extended)}",
        f"- Naar de tweede lijn: {', '.join(f'{row.title} {_c(row.count)}' for row in r.external) or 'geen'}",
        f"- Met verbetermaatregelen: {_c(r.measures)}",
        "",
        "## Afloop van de afgeronde klachten",
        "",
        *_md_table(
            ("Resultaat", "Aantal"), [(row.title, _c(row.count)) for row in r.results]
        ),
        "",
        f"Aantallen kleiner dan {r.threshold} (maar niet 0) zijn verborgen "
        f"('<{r.threshold}'). "
        f"Stand op {r.on.isoformat()}.",
    ]
    return "\n".join(lines) + "\n"


def render_report(report: Report, fmt: str = "md") -> str:
    """The report as text in ``fmt`` (one of :data:`REPORT_FORMATS`)."""
    renderers: dict[str, Callable[[Report], str]] = {
        "md": _markdown,
        "html": _html,
        "csv": _csv,
        "json": lambda r: json.dumps(as_dict(r), ensure_ascii=False, indent=2) + "\n",
        "awb-9-12a": _publication,
    }
    if fmt not in renderers:
        msg = f"Onbekend rapportformaat '{fmt}'."
        raise KlachtflowError(msg, hint=f"Kies uit: {', '.join(REPORT_FORMATS)}.")
    return renderers[fmt](report)
