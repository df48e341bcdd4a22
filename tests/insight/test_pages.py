"""Every HTML page, rendered in headless Chromium, reads well at 1280 px.

Asserted on the rendered page, not on the HTML text: nothing is wider than
the window, text cells are left-aligned and number cells right-aligned, no
machine name (``formele_klacht``) is visible, no external reference is made,
and the page is marked up for assistive technology (WCAG 2.1 AA basics).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from klachtflow import SqlStore, open_store
from klachtflow.definition import builtin_procedure, template_names
from klachtflow.insight import build_report, parse_period, render_report, uitleg

from .browser import measure, require_tool
from .conftest import TODAY, fill

#: A table cell that holds a figure: 14.490, 36,0%, <5, x, +8 ("—" also means "none").
NUMBER = re.compile(r"^(?:[+-]?[\d.]+(?:,\d+)?%?|<\d+|x)$")
#: snake_case identifiers never belong in text for people.
MACHINE_NAME = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")


@pytest.fixture(scope="module")
def report_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('pages') / 'p.db'}"
    store: SqlStore
    with open_store(url, upgrade_schema=True) as store:
        fill(store, 300, seed=3)
        return {
            period: render_report(
                build_report(
                    store,
                    parse_period(period),
                    on=TODAY,
                    per="categorie" if period == "2026" else None,
                    volume=14490,
                ),
                "html",
            )
            for period in ("2026", "2026-Q3", "2020")
        }


def _pages() -> list[tuple[str, str]]:
    return [
        *(("rapport", period) for period in ("2026", "2026-Q3", "2020")),
        *(
            (f"uitleg-{voor}", name)
            for name in template_names()
            for voor in ("medewerker", "burger")
        ),
    ]


def _page(kind: str, which: str, report_pages: dict[str, str]) -> str:
    if kind == "rapport":
        return report_pages[which]
    voor = kind.removeprefix("uitleg-")
    return uitleg(builtin_procedure(which), voor, "html")


def _check_readable(probe: dict[str, Any]) -> None:
    assert probe["scrollWidth"] <= probe["clientWidth"], probe["wide"][:5]
    assert [] == probe["wide"][:5]
    for cell in probe["cells"]:
        text = cell["text"]
        if cell["numeric"]:
            assert "right" == cell["align"], cell
        else:
            assert cell["align"] in ("left", "start"), cell
        if NUMBER.match(text) and not cell["header"]:
            assert cell["numeric"], f"number shown as text: {cell}"
    assert [] == MACHINE_NAME.findall(probe["text"])
    assert [] == probe["refs"]
    assert [] == probe["blocked"]
    assert "nl" == probe["lang"]
    assert "H1" == probe["headings"][0]
    assert 1 == probe["headings"].count("H1")
    assert probe["charts"] == probe["chartTitles"]


@pytest.mark.parametrize(("kind", "which"), _pages())
def test_page_reads_well_at_1280(
    kind: str, which: str, report_pages: dict[str, str], tmp_path: Path
) -> None:
    """No overflow, text left and numbers right, titles only, nothing external."""
    require_tool("chromium", "chromium")
    probe = measure(_page(kind, which, report_pages), tmp_path)

    _check_readable(probe)


def test_report_tables_have_captions(
    report_pages: dict[str, str], tmp_path: Path
) -> None:
    """Each report table has a caption, and each chart a text alternative."""
    probe = measure(report_pages["2026"], tmp_path)

    assert probe["tables"] == probe["captions"]
    assert 3 == probe["charts"]


def test_report_marks_protective_suppression_apart(
    report_pages: dict[str, str],
) -> None:
    """In 2026-Q3 a large count hidden to protect a small one is 'x', not '<5'."""
    page = report_pages["2026-Q3"]

    assert '<td class="num">x</td>' in page
    assert (
        "verborgen om een klein aantal elders in dezelfde tabel te beschermen" in page
    )


@pytest.mark.parametrize("width", [800, 680])
@pytest.mark.parametrize("which", ["rapport", "medewerker"])
def test_narrow_window_does_not_overflow(
    report_pages: dict[str, str], tmp_path: Path, width: int, which: str
) -> None:
    """The widest pages fit 800 px (half a laptop) and 680 px (A4 between 15 mm margins)."""
    page = (
        report_pages["2026"]
        if which == "rapport"
        else uitleg(builtin_procedure("gemeente-awb"), "medewerker", "html")
    )
    probe = measure(page, tmp_path, width=width)

    assert probe["scrollWidth"] <= probe["clientWidth"], probe["wide"][:5]
    assert [] == probe["wide"][:5]
