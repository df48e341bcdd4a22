"""Render a :class:`~klachtflow.insight.report.Report` as md, html, csv, json or a yearly publication.

Markdown and HTML share one list of :class:`Section` values, so they always
say the same; the numbers in every format are written by
:mod:`klachtflow.insight._format`. HTML comes from Jinja2 templates with
autoescape (``insight/templates``); a municipality can put its own
``base.html.j2`` or ``style.css.j2`` in a folder and pass it as ``templates``
(``klachtflow rapport --sjabloon MAP``). The built-in page is one
self-contained file: inline CSS, no scripts, a Content-Security-Policy that
forbids every external request, and a print layout for A4.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import jinja2
from markupsafe import Markup

from klachtflow.exceptions import KlachtflowError
from klachtflow.insight import _charts
from klachtflow.insight import _format as nl
from klachtflow.insight.report import Count, Report, Row, TrendPoint

__all__ = [
    "REPORT_FORMATS",
    "InvalidTemplates",
    "NotAYear",
    "Section",
    "as_dict",
    "html_document",
    "markdown_document",
    "render_report",
    "sections",
]

#: ``klachtflow rapport --format``; ``awb-9-12a`` is the yearly publication of
#: Awb 9:12a, ``jeugdwet-4-3-1`` the yearly report of Jeugdwet art. 4.3.1.
REPORT_FORMATS = ("md", "html", "csv", "json", "awb-9-12a", "jeugdwet-4-3-1")
AWB = "BWBR0005537"
JEUGDWET = "BWBR0034925"
AWB_9_12A = "https://wetten.overheid.nl/BWBR0005537/#Hoofdstuk9_Titeldeel9.1_Afdeling9.1.2_Artikel9:12a"


class NotAYear(KlachtflowError, ValueError):
    """A yearly publication (Awb 9:12a, Jeugdwet 4.3.1) covers a calendar year."""

    code = "KF-I002"


class InvalidTemplates(KlachtflowError, ValueError):
    """A template folder (``--sjabloon``) that is missing or does not render."""

    code = "KF-I005"


@attrs.frozen
class Section:
    """One part of a document: a heading, sentences, bullets, a table, a code block.

    ``numeric`` lists the table columns that hold numbers (right-aligned);
    every other column is text (left-aligned). ``layout="list"`` shows each
    row as a small block with its own heading, for tables too wide for a page.
    ``notes`` are footnotes under the table. ``figure`` is an SVG shown in HTML
    in place of ``code`` (e.g. a diagram whose Mermaid text Markdown shows).
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
    numeric: tuple[int, ...] = ()
    caption: str | None = None
    notes: tuple[str, ...] = ()
    layout: str = "table"


def _rows(rows: Sequence[Row], whole: Count) -> tuple[tuple[str, ...], ...]:
    return tuple((r.title, nl.count(r.count), nl.share(r.count, whole)) for r in rows)


def _table_or_none(section: Section) -> Section:
    """A section without rows says so instead of showing an empty table."""
    if section.rows or not section.headers:
        return section
    return attrs.evolve(
        section,
        lines=(*section.lines, "Geen klachten in deze periode."),
        headers=(),
        notes=(),
    )


def _delta(now: Count, before: Count) -> str:
    if now.value is None or before.value is None:
        return nl.NOT_COMPUTABLE
    diff = now.value - before.value
    return f"{'+' if diff > 0 else ''}{nl.number(diff)}"


def _trend_label(point: TrendPoint) -> str:
    return (
        point.period if point.partial is None else f"{point.period} ({point.partial})"
    )


def _comparison(report: Report) -> str:
    previous = report.previous
    if previous is None:
        return "Er is geen eerdere periode met klachten om mee te vergelijken."
    current = report.trend[-1]
    if current.partial is not None or previous.partial is not None:
        which = current if current.partial is not None else previous
        return (
            f"Geen verschil berekend met {previous.period}: {which.period} is "
            f"onvolledig ({which.partial}), dus de aantallen zijn niet vergelijkbaar."
        )
    return (
        f"Verschil met {previous.period}: "
        f"{_delta(report.received, previous.received)} ontvangen."
    )


def legend(cells: Sequence[str], threshold: int) -> tuple[str, ...]:
    """The footnotes that explain each mark among ``cells``, and only those."""
    present = set(cells)
    notes = []
    if f"<{threshold}" in present:
        notes.append(
            f"<{threshold}: een aantal van 1 tot en met {threshold - 1}, "
            "verborgen zodat niemand herkenbaar is."
        )
    if nl.HIDDEN_MARK in present:
        notes.append(
            f"{nl.HIDDEN_MARK}: verborgen om een klein aantal elders in dezelfde tabel "
            "te beschermen; het echte aantal kan groot zijn."
        )
    if nl.NOT_COMPUTABLE in present:
        notes.append(
            f"{nl.NOT_COMPUTABLE}: niet te berekenen, omdat het aantal of het totaal "
            "verborgen of 0 is."
        )
    return tuple(notes)


def _with_notes(section: Section, threshold: int) -> Section:
    cells = [cell for row in section.rows for cell in row[1:]]
    return attrs.evolve(section, notes=(*section.notes, *legend(cells, threshold)))


def _period_line(report: Report) -> str:
    r = report
    line = (
        f"Klachten ontvangen in {r.period.label} "
        f"({nl.date(r.period.first)} tot en met {nl.date(r.period.last)}), "
        f"stand op {nl.date(r.on)}."
    )
    if r.running:
        line += f" De periode loopt nog: dit zijn de cijfers tot {nl.date(r.on)}."
    start = r.registration_start
    if start is not None and r.period.last < start:
        line += (
            f" De registratie begon op {nl.date(start)}: deze periode ligt daarvoor, "
            "dus er zijn geen cijfers."
        )
    elif r.empty:
        line += " In deze periode zijn geen klachten ontvangen."
    return line


def sections(report: Report) -> tuple[Section, ...]:
    """The report as sections, in the order people read them."""
    r, t = report, report.timeliness
    key = [
        (
            "Ontvangen klachten en signalen",
            nl.count(r.received),
            nl.share(r.received, r.received),
        ),
        ("Afgerond", nl.count(r.closed), nl.share(r.closed, r.received)),
        ("Nog in behandeling", nl.count(r.open), nl.share(r.open, r.received)),
        (
            "Informeel afgerond (onvrede, gesprek of bemiddeling)",
            nl.count(r.informal_end),
            nl.share(r.informal_end, r.received),
        ),
        (
            "Formele klacht geworden",
            nl.count(r.formal),
            nl.share(r.formal, r.received),
        ),
        (
            "Met verbetermaatregelen",
            nl.count(r.measures),
            nl.share(r.measures, r.received),
        ),
    ]
    lines = [_period_line(r)]
    if r.volume is not None:
        lines.append(
            f"Klachtratio: {nl.count(r.received)} klachten op "
            f"{nl.number(r.volume)} {r.volume_label} = {nl.percent(r.rate)}."
        )
    out = [
        Section(
            "kerncijfers",
            "Kerncijfers",
            tuple(lines),
            ("Cijfer", "Aantal", "Aandeel van ontvangen"),
            tuple(key),
            numeric=(1, 2),
            caption=f"Kerncijfers {r.period.label}",
        ),
        Section(
            "fasen",
            "Verste fase bereikt",
            (
                "Elke klacht telt één keer, bij de verste fase die zij bereikte. "
                "Klachten die informeel eindigen, voorkomen een formele klacht.",
            ),
            ("Fase", "Aantal", "Aandeel van ontvangen"),
            _rows(r.stages, r.received),
            numeric=(1, 2),
            caption="Klachten naar verste fase",
        ),
        Section(
            "resultaten",
            "Resultaten",
            ("Van de afgeronde klachten.",),
            ("Resultaat", "Aantal", "Aandeel van afgerond"),
            _rows(r.results, r.closed),
            numeric=(1, 2),
            caption="Afgeronde klachten naar resultaat",
        ),
        Section(
            "tijdigheid",
            "Tijdigheid",
            (
                "Over afgeronde klachten waarin een wettelijke (fatale) termijn liep, "
                "zoals Awb 9:11 of Wkkgz art. 17; doorlooptijd in werkdagen "
                "volgens de Algemene termijnenwet.",
            ),
            ("Cijfer", "Waarde", "Aandeel"),
            (
                ("Afgerond met een wettelijke termijn", nl.count(t.with_term), ""),
                (
                    "Binnen de termijn",
                    nl.count(t.within),
                    nl.share(t.within, t.with_term),
                ),
                ("Na de termijn", nl.count(t.late), nl.share(t.late, t.with_term)),
                ("Nog open en over de termijn", nl.count(t.late_open), ""),
                ("Termijn verdaagd", nl.count(t.extended), ""),
                (
                    "Mediane doorlooptijd (werkdagen)",
                    nl.NOT_COMPUTABLE
                    if t.median_workdays is None
                    else nl.number(t.median_workdays, 1),
                    "",
                ),
                (
                    "90e percentiel doorlooptijd (werkdagen)",
                    nl.NOT_COMPUTABLE
                    if t.p90_workdays is None
                    else nl.number(t.p90_workdays),
                    "",
                ),
            ),
            numeric=(1, 2),
            caption="Tijdigheid van de afhandeling",
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
            tuple((row.title, nl.count(row.count)) for row in r.external),
            numeric=(1,),
            caption="Klachten naar de tweede lijn",
        ),
    ]
    if r.trend:
        out.append(
            Section(
                "trend",
                "Trend",
                (
                    "Vanaf de eerste periode met klachten. Een onvolledige periode "
                    "is gemarkeerd en wordt niet vergeleken.",
                    _comparison(r),
                ),
                ("Periode", "Ontvangen", "Formeel", "Informeel afgerond"),
                tuple(
                    (
                        _trend_label(p),
                        nl.count(p.received),
                        nl.count(p.formal),
                        nl.count(p.informal_end),
                    )
                    for p in r.trend
                ),
                numeric=(1, 2, 3),
                caption="Klachten per periode",
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
                tuple(
                    (value.capitalize(), *(nl.count(c) for c in cells))
                    for value, cells in b.rows
                ),
                numeric=tuple(range(1, len(b.columns) + 1)),
                caption=f"Klachten per {b.dimension}",
            )
        )
    out.append(
        Section(
            "verantwoording",
            "Verantwoording",
            (
                "Deze rapportage is anoniem: zij bevat geen namen, kenmerken of vrije tekst. "
                f"Aantallen van 1 tot en met {r.threshold - 1} zijn verborgen "
                f"('<{r.threshold}'). Waar één verborgen aantal uit het totaal "
                f"terug te rekenen zou zijn, is ook een tweede aantal verborgen "
                f"('{nl.HIDDEN_MARK}'), zodat niemand herkenbaar is.",
                "Percentages hebben één decimaal; '—' betekent: niet te berekenen.",
                f"Registratie en jaarlijkse publicatie van klachten: Awb 9:12a ({AWB}).",
            ),
        )
    )
    return tuple(_table_or_none(_with_notes(section, r.threshold)) for section in out)


# --------------------------------------------------------------------------- markdown


def _md_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[int]
) -> list[str]:
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    lines = ["| " + " | ".join(cell(h) for h in headers) + " |"]
    lines.append(
        "|"
        + "|".join("---:" if i in numeric else "---" for i in range(len(headers)))
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
        if section.headers and section.layout == "list":
            for row in section.rows:
                out.extend([f"### {row[0]}", ""])
                out.extend(
                    f"- **{h}**: {c}"
                    for h, c in zip(section.headers[1:], row[1:], strict=True)
                )
                out.append("")
        elif section.headers:
            out.extend([*_md_table(section.headers, section.rows, section.numeric), ""])
        if section.headers and section.notes:
            out.extend([*(f"*{note}*  " for note in section.notes), ""])
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

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _environment(templates: Path | None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if templates is not None:
        if not templates.is_dir():
            msg = f"De sjabloonmap '{templates}' bestaat niet of is geen map."
            raise InvalidTemplates(
                msg,
                hint="Geef met --sjabloon een map met base.html.j2 en/of style.css.j2; "
                "zie docs/how-to/huisstijl.md.",
            )
        loaders.append(jinja2.FileSystemLoader(templates))
    loaders.append(jinja2.PackageLoader("klachtflow.insight", "templates"))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _trusted(markup: str) -> Markup:
    """Markup built by klachtflow itself, with every text in it escaped."""
    return Markup(markup)  # noqa: S704 - see the callers: our own escaped output


def html_document(
    title: str,
    parts: Sequence[Section],
    charts: Mapping[str, Callable[[], str]] | None = None,
    *,
    templates: Path | None = None,
    subtitle: str | None = None,
) -> str:
    """Sections as one HTML page from ``document.html.j2``.

    ``charts`` adds an SVG per section key (with the table as its text
    alternative); ``templates`` is a folder whose templates take precedence
    over the built-in ones.
    """
    charts = charts or {}
    env = _environment(templates)
    # Markup marks text as already safe HTML: the charts escape every text they
    # draw (_charts), the figure is Graphviz's SVG of escaped labels, and the
    # CSP is a constant. Everything else goes through autoescape.
    rendered = [
        {
            "section": section,
            "chart": _trusted(charts[section.key]())
            if section.key in charts and section.headers
            else None,
            "figure": _trusted(section.figure) if section.figure is not None else None,
        }
        for section in parts
    ]
    try:
        return env.get_template("document.html.j2").render(
            title=title, subtitle=subtitle, parts=rendered, csp=_trusted(_CSP)
        )
    except jinja2.TemplateError as error:
        where = getattr(error, "filename", None) or getattr(error, "name", None)
        line = getattr(error, "lineno", None)
        msg = (
            f"Het sjabloon{f' {where}' if where else ''}"
            f"{f', regel {line}' if line else ''} geeft een fout: {error}."
        )
        raise InvalidTemplates(
            msg,
            hint="Vergelijk uw sjabloon met het ingebouwde in klachtflow/insight/templates; "
            "gebruikte namen: title, subtitle, parts, csp.",
        ) from error


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
            "Trend per periode; * onvolledige periode",
            [p.period + (" *" if p.partial else "") for p in r.trend],
            [
                ("Ontvangen", [p.received for p in r.trend]),
                ("Formeel", [p.formal for p in r.trend]),
            ],
        ),
    }


def _html(report: Report, templates: Path | None) -> str:
    return html_document(
        f"Klachtenrapportage {report.period.label}",
        sections(report),
        _charts_for(report),
        templates=templates,
    )


# --------------------------------------------------------------------------- csv, json


def _count_json(count: Count) -> dict[str, Any]:
    data: dict[str, Any] = {
        "aantal": count.value,
        "verborgen": count.suppressed,
        "weergave": nl.count(count),
    }
    if count.suppressed:
        data["reden"] = (
            "beschermt een ander klein aantal" if count.secondary else "klein aantal"
        )
    return data


def as_dict(report: Report) -> dict[str, Any]:
    """The report as JSON-ready data; a hidden count has ``"aantal": null`` and a ``reden``."""
    r, t = report, report.timeliness
    return {
        "periode": r.period.label,
        "van": r.period.first.isoformat(),
        "tot_en_met": r.period.last.isoformat(),
        "peildatum": r.on.isoformat(),
        "loopt_nog": r.running,
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
                "onvolledig": p.partial,
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
        else {
            "aantal": r.volume,
            "eenheid": r.volume_label,
            "ratio": r.rate,
            "weergave": nl.percent(r.rate),
        },
        "grondslag": {"wet": "Awb", "artikel": "9:12a", "bwb": AWB},
    }


def _flatten(prefix: str, value: Any) -> list[tuple[str, str, str, str, str]]:
    """(key, value, weergave, verborgen, reden) rows from the JSON form."""
    if isinstance(value, dict) and "verborgen" in value and "aantal" in value:
        hidden = bool(value["verborgen"])
        return [
            (
                prefix,
                "" if hidden else str(value["aantal"]),
                str(value["weergave"]),
                "ja" if hidden else "nee",
                str(value.get("reden", "")),
            )
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
    if value is None:
        return [(prefix, "", "", "nee", "")]
    if isinstance(value, bool):
        return [(prefix, str(value).lower(), "ja" if value else "nee", "nee", "")]
    if isinstance(value, float):
        return [(prefix, repr(value), nl.number(value, 1), "nee", "")]
    if isinstance(value, int):
        return [(prefix, str(value), nl.number(value), "nee", "")]
    return [(prefix, str(value), str(value), "nee", "")]


def _csv(report: Report) -> str:
    """One row per figure: dotted key, number (empty when hidden), Dutch text, hidden, why."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["sleutel", "waarde", "weergave", "verborgen", "reden"])
    writer.writerows(_flatten("", as_dict(report)))
    return out.getvalue()


# --------------------------------------------------------------------------- yearly publications


def _legend_of(report: Report) -> tuple[str, ...]:
    cells = [
        nl.count(c)
        for c in (report.received, report.closed, report.open, report.formal)
    ]
    cells += [nl.count(r.count) for r in (*report.results, *report.external)]
    return legend(cells, report.threshold)


def _require_year(report: Report, law: str) -> None:
    if report.period.kind != "J":
        msg = f"De publicatie volgens {law} is jaarlijks; '{report.period.label}' is geen jaar."
        raise NotAYear(msg, hint=f"Gebruik --periode {report.period.year}.")


def _publication(report: Report) -> str:
    """Awb 9:12a: the registered klaagschriften, published yearly."""
    _require_year(report, "Awb 9:12a")
    r = report
    t = r.timeliness
    lines = [
        f"# Publicatie geregistreerde klachten {r.period.year}",
        "",
        "Het bestuursorgaan registreert de ingediende klaagschriften en publiceert "
        f"ze jaarlijks (Awb 9:12a, {AWB}; {AWB_9_12A}).",
        "",
        f"Periode: {nl.date(r.period.first)} tot en met {nl.date(r.period.last)}; "
        f"stand op {nl.date(r.on)}."
        + (" Het jaar loopt nog: deze cijfers zijn voorlopig." if r.running else ""),
        "",
        "## Geregistreerde klachten",
        "",
        *_md_table(
            ("Cijfer", "Aantal"),
            [
                ("Ontvangen klachten en signalen", nl.count(r.received)),
                ("Daarvan informeel afgerond", nl.count(r.informal_end)),
                ("Formele klachten (klaagschriften)", nl.count(r.formal)),
                ("Afgerond", nl.count(r.closed)),
                ("Nog in behandeling", nl.count(r.open)),
                ("Afgerond met een wettelijke termijn", nl.count(t.with_term)),
                (
                    f"Binnen de wettelijke termijn ({nl.share(t.within, t.with_term)})",
                    nl.count(t.within),
                ),
                ("Na de wettelijke termijn", nl.count(t.late)),
                ("Termijn verdaagd", nl.count(t.extended)),
                ("Met verbetermaatregelen", nl.count(r.measures)),
            ],
            (1,),
        ),
        "",
        "## Afloop van de afgeronde klachten",
        "",
        *_md_table(
            ("Resultaat", "Aantal"),
            [(row.title, nl.count(row.count)) for row in r.results],
            (1,),
        ),
        "",
        "## Tweede lijn",
        "",
        *(
            _md_table(
                ("Naar", "Aantal"),
                [(row.title, nl.count(row.count)) for row in r.external],
                (1,),
            )
            if r.external
            else ["Geen klachten naar de ombudsman of een andere tweede lijn."]
        ),
        "",
        *(f"*{note}*  " for note in _legend_of(r)),
        "",
        "Deze publicatie is anoniem: zij bevat geen namen, kenmerken of vrije tekst.",
    ]
    return "\n".join(lines) + "\n"


def _jeugdwet(report: Report) -> str:
    """Jeugdwet art. 4.3.1: the yearly report, with what the registration can tell."""
    _require_year(report, "Jeugdwet art. 4.3.1")
    r = report
    fill = (
        "*In te vullen door de jeugdhulpaanbieder: dit staat niet in de registratie.*"
    )
    due = f"1 juni {r.period.year + 1}"
    lines = [
        f"# Jaarverslag klachten {r.period.year} (Jeugdwet art. 4.3.1)",
        "",
        "De jeugdhulpaanbieder stelt jaarlijks een verslag op over de klachtenregeling "
        f"en maakt het binnen tien dagen na vaststelling en vóór {due} openbaar "
        f"(Jeugdwet art. 4.3.1, {JEUGDWET}). Het verslag gaat naar de ministers, "
        "de inspectie en de regionale cliëntenorganisaties.",
        "",
        f"Periode: {nl.date(r.period.first)} tot en met {nl.date(r.period.last)}; "
        f"stand op {nl.date(r.on)}."
        + (" Het jaar loopt nog: deze cijfers zijn voorlopig." if r.running else ""),
        "",
        "## Beschrijving van de klachtenregeling (onderdeel d)",
        "",
        f"Procedures: {', '.join(r.procedures) or 'geen klachten in dit jaar'}.",
        "",
        fill,
        "",
        "## Hoe de regeling onder de aandacht is gebracht (onderdeel e)",
        "",
        fill,
        "",
        "## Samenstelling van de klachtencommissie (onderdeel f)",
        "",
        fill,
        "",
        "## Werken binnen de waarborgen (onderdeel g)",
        "",
        fill,
        "",
        "## Aantal en aard van de behandelde klachten (onderdeel h)",
        "",
        *_md_table(
            ("Cijfer", "Aantal"),
            [
                ("Ontvangen klachten en signalen", nl.count(r.received)),
                ("Formele klachten", nl.count(r.formal)),
                ("Informeel afgerond", nl.count(r.informal_end)),
                ("Afgerond", nl.count(r.closed)),
                ("Nog in behandeling", nl.count(r.open)),
            ],
            (1,),
        ),
        "",
        *(
            [
                f"Naar {r.breakdown.dimension}:",
                "",
                *_md_table(
                    (r.breakdown.dimension.capitalize(), "Ontvangen"),
                    [
                        (value.capitalize(), nl.count(cells[0]))
                        for value, cells in r.breakdown.rows
                    ],
                    (1,),
                ),
                "",
            ]
            if r.breakdown is not None
            else ["De aard per categorie: draai met --per categorie.", ""]
        ),
        "## Strekking van de oordelen en aanbevelingen (onderdeel i)",
        "",
        *_md_table(
            ("Oordeel of afloop", "Aantal"),
            [(row.title, nl.count(row.count)) for row in r.results],
            (1,),
        ),
        "",
        "De aanbevelingen zelf staan niet in de registratie; vat ze hier samen.",
        "",
        "## Aard van de maatregelen (onderdeel j)",
        "",
        f"Klachten met vastgelegde verbetermaatregelen: {nl.count(r.measures)}.",
        "",
        "*Beschrijf hier de aard van de genomen maatregelen.*",
        "",
        *(f"*{note}*  " for note in _legend_of(r)),
    ]
    return "\n".join(lines) + "\n"


def render_report(
    report: Report, fmt: str = "md", *, templates: Path | None = None
) -> str:
    """The report as text in ``fmt`` (one of :data:`REPORT_FORMATS`).

    ``templates`` is a folder with a municipality's own HTML templates.
    """
    renderers: dict[str, Callable[[Report], str]] = {
        "md": _markdown,
        "html": lambda r: _html(r, templates),
        "csv": _csv,
        "json": lambda r: json.dumps(as_dict(r), ensure_ascii=False, indent=2) + "\n",
        "awb-9-12a": _publication,
        "jeugdwet-4-3-1": _jeugdwet,
    }
    if fmt not in renderers:
        msg = f"Onbekend rapportformaat '{fmt}'."
        raise KlachtflowError(msg, hint=f"Kies uit: {', '.join(REPORT_FORMATS)}.")
    return renderers[fmt](report)
