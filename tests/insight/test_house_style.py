"""HTML comes from Jinja2 templates: escaped, overridable per municipality."""

from __future__ import annotations

from pathlib import Path

import pytest

from klachtflow.definition import builtin_procedure
from klachtflow.insight import parse_period, render_report, report_from_facts, uitleg
from klachtflow.insight.render import InvalidTemplates, NotAYear, Section, html_document
from klachtflow.insight.report import Report

from .test_report import fact
from .test_report_honest import ON

GEMEENTE = builtin_procedure("gemeente-awb")


class TestTemplates:
    def test_text_is_escaped(self) -> None:
        """Autoescape: text from a procedure cannot inject markup."""
        page = html_document(
            "<b>titel</b>", [Section("s", "Kop", ("<script>x</script>",))]
        )

        assert "<script>x</script>" not in page
        assert "&lt;script&gt;x&lt;/script&gt;" in page
        assert "<h1>&lt;b&gt;titel&lt;/b&gt;</h1>" in page

    def test_own_style_replaces_the_built_in_one(self, tmp_path: Path) -> None:
        """A folder with style.css.j2 changes the style and keeps the content."""
        (tmp_path / "style.css.j2").write_text("body{color:#123456}", encoding="utf-8")
        page = uitleg(GEMEENTE, "burger", "html", templates=tmp_path)

        assert "body{color:#123456}" in page
        assert "Wat gebeurt er met uw klacht?" in page
        assert "--accent" not in page

    def test_own_base_layout(self, tmp_path: Path) -> None:
        """A folder with base.html.j2 can put the municipality's header around it."""
        (tmp_path / "base.html.j2").write_text(
            '<html lang="nl"><body><p>Gemeente Voorbeeld</p>'
            "{% block content %}{% endblock %}</body></html>",
            encoding="utf-8",
        )
        facts = [fact() for _ in range(10)]
        page = render_report(
            report_from_facts(facts, parse_period("2026-Q3"), on=ON),
            "html",
            templates=tmp_path,
        )

        assert "<p>Gemeente Voorbeeld</p>" in page
        assert "Kerncijfers" in page

    def test_missing_folder(self, tmp_path: Path) -> None:
        """A template folder that does not exist is an error with a hint."""
        with pytest.raises(InvalidTemplates) as info:
            uitleg(GEMEENTE, "burger", "html", templates=tmp_path / "nee")

        assert "bestaat niet" in info.value.message
        assert info.value.hint

    def test_broken_template(self, tmp_path: Path) -> None:
        """A template with a syntax error names the file and line."""
        (tmp_path / "base.html.j2").write_text("<p>{% if %}</p>\n", encoding="utf-8")
        with pytest.raises(InvalidTemplates) as info:
            uitleg(GEMEENTE, "burger", "html", templates=tmp_path)

        assert "base.html.j2" in info.value.message
        assert "regel 1" in info.value.message


class TestPublications:
    def _year(self) -> Report:
        facts = [fact() for _ in range(30)] + [
            fact(stage="formeel", stage_title="Formele klacht", formal=True)
            for _ in range(8)
        ]
        return report_from_facts(
            facts, parse_period("2026"), on=ON, procedures=[GEMEENTE]
        )

    def test_awb_9_12a_lists_the_registered_complaints(self) -> None:
        """Awb 9:12a: registered klaagschriften, published yearly; running year is provisional."""
        text = render_report(self._year(), "awb-9-12a")

        assert "Awb 9:12a" in text
        assert "| Formele klachten (klaagschriften) | 8 |" in text
        assert "voorlopig" in text

    def test_jeugdwet_4_3_1_has_every_part(self) -> None:
        """Jeugdwet 4.3.1: parts d to j, the due date, and what must be filled in by hand."""
        text = render_report(self._year(), "jeugdwet-4-3-1")

        for part in "defghij":
            assert f"(onderdeel {part})" in text
        assert "vóór 1 juni 2027" in text
        assert "In te vullen door de jeugdhulpaanbieder" in text

    def test_jeugdwet_report_is_yearly(self) -> None:
        """A quarter is refused for the yearly report."""
        quarter = report_from_facts([fact()], parse_period("2026-Q3"), on=ON)
        with pytest.raises(NotAYear):
            render_report(quarter, "jeugdwet-4-3-1")
