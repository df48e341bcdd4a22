"""Every report format: readable, machine-readable, self-contained, and really rendered."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from klachtflow import SqlStore, open_store
from klachtflow.insight import (
    REPORT_FORMATS,
    Report,
    build_report,
    parse_period,
    render_report,
)
from klachtflow.insight.render import NotAYear

from .browser import render
from .conftest import TODAY, fill


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    url = f"sqlite:///{tmp_path_factory.mktemp('render') / 'r.db'}"
    store: SqlStore
    with open_store(url, upgrade_schema=True) as store:
        fill(store, 400, seed=3)
        return build_report(
            store, parse_period("2026"), on=TODAY, per="categorie", volume=14490
        )


class TestFormats:
    def test_markdown_has_every_section(self, report: Report) -> None:
        """Key figures, stages, results, timeliness, second line, trend, split, accountability."""
        text = render_report(report, "md")

        for heading in (
            "Kerncijfers",
            "Verste fase bereikt",
            "Resultaten",
            "Tijdigheid",
            "Tweede lijn",
            "Trend",
            "Per categorie",
            "Verantwoording",
        ):
            assert f"## {heading}" in text
        assert "14.490 meldingen" in text

    def test_json_hides_suppressed_values(self, report: Report) -> None:
        """Every hidden count is null in JSON, never the real number."""
        data = json.loads(render_report(report, "json"))
        hidden = re.findall(r'\{"aantal": (\w+), "verborgen": true', json.dumps(data))

        assert report.received.value == data["ontvangen"]["aantal"]
        assert hidden
        assert {"null"} == set(hidden)
        assert "9:12a" == data["grondslag"]["artikel"]

    def test_csv_is_one_figure_per_row(self, report: Report) -> None:
        """CSV rows are key, number (empty when hidden), verborgen."""
        rows = list(csv.DictReader(io.StringIO(render_report(report, "csv"))))
        by_key = {row["sleutel"]: row for row in rows}

        assert str(report.received.value) == by_key["ontvangen"]["waarde"]
        assert all(row["waarde"] == "" for row in rows if row["verborgen"] == "ja")

    def test_publication_is_yearly(self, report: Report) -> None:
        """Awb 9:12a: "De geregistreerde klachten worden jaarlijks gepubliceerd."."""
        text = render_report(report, "awb-9-12a")

        assert "Awb 9:12a" in text
        assert "BWBR0005537" in text

    def test_publication_refuses_a_quarter(self, tmp_path: Path) -> None:
        """A quarter is not a year: the 9:12a publication says which period to use."""
        with open_store(f"sqlite:///{tmp_path / 'q.db'}", upgrade_schema=True) as store:
            quarter = build_report(store, parse_period("2026-Q1"), on=TODAY)
        with pytest.raises(NotAYear) as info:
            render_report(quarter, "awb-9-12a")

        assert "--periode 2026" in (info.value.hint or "")

    def test_empty_period_renders_in_every_format(self, tmp_path: Path) -> None:
        """A period without complaints says so; no format fails or shows empty tables."""
        with open_store(f"sqlite:///{tmp_path / 'e.db'}", upgrade_schema=True) as store:
            empty = build_report(store, parse_period("2026"), on=TODAY)

        texts = {fmt: render_report(empty, fmt) for fmt in REPORT_FORMATS}

        assert "Geen klachten in deze periode." in texts["md"]
        assert "| Fase |" not in texts["md"]
        assert 0 == json.loads(texts["json"])["ontvangen"]["aantal"]


class TestHtml:
    def test_self_contained(self, report: Report) -> None:
        """No script, no external resource, a CSP that forbids loading anything."""
        html = render_report(report, "html")

        assert "<script" not in html
        assert not re.search(r'\b(src|href)="(https?:)?//', html)
        assert "default-src 'none'" in html
        assert "@media print" in html

    def test_charts_are_well_formed_svg(self, report: Report) -> None:
        """Trend, stage funnel and timeliness charts parse as SVG with a title."""
        html = render_report(report, "html")
        charts = re.findall(r"<svg.*?</svg>", html, re.S)

        assert 3 == len(charts)
        for chart in charts:
            root = ET.fromstring(chart)  # noqa: S314 - our own output
            assert root.find("{http://www.w3.org/2000/svg}title") is not None

    def test_renders_in_chromium(self, report: Report, tmp_path: Path) -> None:
        """Headless Chromium renders the page, prints it, and logs no errors or CSP refusals."""
        page = tmp_path / "rapport.html"
        page.write_text(render_report(report, "html"), encoding="utf-8")

        dom, log = render(page, tmp_path)

        assert "Klachtenrapportage 2026" in dom
        assert 3 == dom.count("<svg")
        assert not [
            line
            for line in log.splitlines()
            if "CONSOLE" in line or "Refused" in line or "Uncaught" in line
        ]
        assert (tmp_path / "page.png").stat().st_size > 10_000
        assert (tmp_path / "page.pdf").read_bytes().startswith(b"%PDF")
