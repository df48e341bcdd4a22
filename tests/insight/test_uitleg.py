"""Explanations come from the YAML: plain Dutch for citizens, tables for staff."""

from __future__ import annotations

import re

import pytest

from klachtflow import loads_procedure
from klachtflow.definition import builtin_procedure, template_names, template_text
from klachtflow.exceptions import KlachtflowError
from klachtflow.insight import uitleg

from .browser import require_tool

GEMEENTE = builtin_procedure("gemeente-awb")
JARGON = (
    "bestuursorgaan",
    "BWBR",
    "artikel",
    "Awb",
    "klaagschrift",
    "verdaging",
    "Atw",
)


def _sentences(markdown: str) -> list[str]:
    body = [
        line.lstrip("- ")
        for line in markdown.splitlines()
        if line and not line.startswith("#")
    ]
    return [s for line in body for s in re.split(r"(?<=[.?!])\s+", line) if s.strip()]


@pytest.mark.parametrize("name", template_names())
class TestCitizen:
    def test_plain_language(self, name: str) -> None:
        """B1: short sentences (≤ 12 words on average, none over 25), no legal jargon."""
        procedure = builtin_procedure(name)
        text = uitleg(procedure, "burger")
        words = [len(s.split()) for s in _sentences(text)]
        own_words = "\n".join(
            line
            for line in text.splitlines()[1:]  # the title is the organisation's own
            if not any(s.title in line for s in procedure.states.values())
            and not any(a.title in line for a in procedure.actions.values())
            and not any(t.title in line for t in procedure.terms.values())
        )

        assert sum(words) / len(words) <= 12
        assert max(words) <= 25
        assert not [w for w in JARGON if w.lower() in own_words.lower()]

    def test_says_what_happens_and_how_long(self, name: str) -> None:
        """Every step with a status text and every term appears (9:24 with the ombudsman)."""
        procedure = builtin_procedure(name)
        text = uitleg(procedure, "burger")

        for state in procedure.states.values():
            if state.status_text:
                assert state.status_text in text
        for term in procedure.terms.values():
            if any(b.artikel == "9:24" for b in term.basis):
                # Awb 9:24: the citizen's year for the ombudsman, told with the ombudsman
                assert "tot een jaar nadat uw klacht is afgehandeld" in text
            else:
                assert f"{term.title}: binnen {term.duration}" in text


class TestCitizenGemeente:
    def test_names_who_can_help(self) -> None:
        """Seed 004: vertrouwenspersoon, klachtenfunctionaris and ombudsman, each explained."""
        text = uitleg(GEMEENTE, "burger")

        assert "De vertrouwenspersoon staat naast u" in text
        assert "De klachtenfunctionaris werkt bij de organisatie" in text
        assert "tot een jaar nadat uw klacht is afgehandeld" in text

    def test_never_drifts_from_the_yaml(self) -> None:
        """Change the handling term in the YAML and the explanation changes with it."""
        text = template_text("gemeente-awb")
        changed = loads_procedure(
            text.replace("duur: 6 weken", "duur: 5 weken", 1), source="g.yaml"
        )

        assert "binnen 6 weken" in uitleg(GEMEENTE, "burger")
        assert "binnen 5 weken" in uitleg(changed, "burger")


class TestStaff:
    def test_tables_cover_every_action_role_and_term(self) -> None:
        """The permission table lists each action and role; terms carry their article and BWB id."""
        text = uitleg(GEMEENTE, "medewerker", which=lambda _: None)

        for action in GEMEENTE.actions.values():
            assert f"### {action.title}\n" in text
        for role in GEMEENTE.roles.values():
            assert f"| {role.title[:1].upper()}{role.title[1:]} |" in text
        assert "Awb 9:11 lid 1 (BWBR0005537)" in text
        assert "Awb 9:7 lid 1" in text
        assert "```mermaid\nstateDiagram-v2" in text

    def test_html_embeds_the_drawing(self) -> None:
        """With Graphviz the HTML holds the SVG; without it, the Mermaid text and a hint."""
        dot = require_tool("dot", "graphviz")
        with_svg = uitleg(GEMEENTE, "medewerker", "html", which=lambda _: dot)
        without = uitleg(GEMEENTE, "medewerker", "html", which=lambda _: None)

        assert "<svg" in with_svg
        assert "<svg" not in without
        assert "installeer Graphviz" in without

    @pytest.mark.parametrize(("voor", "fmt"), [("iedereen", "md"), ("burger", "pdf")])
    def test_unknown_choice(self, voor: str, fmt: str) -> None:
        """An unknown audience or format lists the choices."""
        with pytest.raises(KlachtflowError) as info:
            uitleg(GEMEENTE, voor, fmt)

        assert "Kies uit" in (info.value.hint or "")


class TestNaming:
    def test_old_keyword_still_works_with_a_warning(self) -> None:
        """uitleg(voor=...) is the old name of audience=: same page, a FutureWarning."""
        with pytest.warns(FutureWarning, match="use uitleg\\(audience=...\\)"):
            old = uitleg(GEMEENTE, voor="medewerker", which=lambda _: None)

        assert uitleg(GEMEENTE, audience="medewerker", which=lambda _: None) == old

    def test_unknown_keyword(self) -> None:
        """Any other unknown keyword is a TypeError, as Python would raise."""
        with pytest.raises(TypeError, match="unexpected keyword argument 'wie'"):
            uitleg(GEMEENTE, wie="burger")


class TestLegalWording:
    """What citizens read follows the law model (issue 13 item 6)."""

    def test_statutory_term_of_the_geschilleninstantie(self) -> None:
        """Wkkgz art 22 lid 1 sets the six months: not "een afspraak van ons"."""
        text = uitleg(builtin_procedure("zorgaanbieder-wkkgz"), "burger")
        line = next(x for x in text.splitlines() if "geschilleninstantie: binnen" in x)

        assert "staat in de wet" in line
        assert "afspraak van ons" not in line

    def test_own_term_is_an_agreement(self) -> None:
        """A term of the regulation only (5 werkdagen contact) is told as our own agreement."""
        text = uitleg(GEMEENTE, "burger")
        line = next(
            x for x in text.splitlines() if "Contact met de klager: binnen" in x
        )

        assert "afspraak van ons" in line

    def test_extension_cap_is_a_total(self) -> None:
        """Awb 9:11 lid 2 caps the total ("ten hoogste vier weken"), not one extension."""
        text = uitleg(GEMEENTE, "burger")

        assert "één keer" not in text
        assert "in totaal ten hoogste 4 weken" in text

    def test_staff_are_told_who_is_warned_and_what_the_calendar_skips(self) -> None:
        """The terms table names the warned role (waarschuwing_aan) and says a local
        calendar skips weekends and the art 3 lid 1 holidays, not the KB days."""
        text = uitleg(GEMEENTE, "medewerker", which=lambda _: None)

        assert "5 werkdagen vooraf, aan klachtencoördinator" in text.lower()
        assert "geen werkdag: weekenden en algemeen erkende feestdagen" in text
        assert "gelijkgestelde dagen" not in text

    def test_bezwaar_decision_term_starts_after_the_objection_term(self) -> None:
        """Awb 7:10 lid 1: "gerekend vanaf de dag na die waarop de termijn ... is verstreken"."""
        text = uitleg(builtin_procedure("bezwaar-awb"), "burger")
        line = next(x for x in text.splitlines() if "Beslissen op bezwaar: binnen" in x)

        assert (
            "begint pas als de termijn 'Termijn voor het indienen van bezwaar' voorbij is"
            in line
        )

    def test_overdue_klager_may_go_to_the_ombudsman(self) -> None:
        """Awb 9:24 lid 1 onder b: the year also runs from when handling should have ended."""
        text = uitleg(GEMEENTE, "burger")

        assert "niet op tijd af? Dan kunt u ook naar de ombudsman" in text
