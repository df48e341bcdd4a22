"""Diagrams show every state (nested), every action with its roles, and the terms."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET

import pytest

from klachtflow.definition import builtin_procedure, template_names
from klachtflow.insight import diagram
from klachtflow.insight.diagram import GraphvizMissing, running_terms

from .browser import require_tool

GEMEENTE = builtin_procedure("gemeente-awb")


class TestTermsPerState:
    def test_handling_term_runs_through_the_formal_complaint(self) -> None:
        """Awb 9:11 lid 1: six weeks from receipt; it runs in every step until the decision."""
        terms = running_terms(GEMEENTE)

        for state in ("ontvangen", "onderzoek", "horen", "oordeelsvorming"):
            assert "afhandeling" in terms[state]
        assert "afhandeling" not in terms.get("onvrede", ())

    def test_advice_term_runs_only_with_the_committee(self) -> None:
        """Awb 9:11 lid 1: ten weeks when a klachtadviescommissie advises (afd. 9.1.3)."""
        terms = running_terms(GEMEENTE)

        assert ("afhandeling_advies",) == terms["advies"]
        assert "afhandeling_advies" not in terms["horen"]

    def test_chained_term_follows_the_term_it_waits_for(self) -> None:
        """Awb 7:10 lid 1: the beslistermijn starts when the bezwaartermijn ends and
        runs until the decision; never in a case already withdrawn."""
        terms = running_terms(builtin_procedure("bezwaar-awb"))

        assert "beslistermijn" in terms["behandeling"]
        assert "bezwaartermijn" not in terms["behandeling"]  # stopped on taking it up
        assert "beslist" not in terms
        # End states stop what ran into them: nothing runs in a withdrawn case.
        assert "ingetrokken" not in terms
        assert "niet_ontvankelijk" not in terms

    def test_a_term_started_in_an_end_state_runs_there(self) -> None:
        """Awb 9:24 lid 1: the ombudsman's year starts with the afhandeling."""
        terms = running_terms(GEMEENTE)

        assert ("ombudsman_verzoek",) == terms["afgehandeld"]


@pytest.mark.parametrize("name", template_names())
class TestEveryTemplate:
    def test_mermaid_names_every_state_and_action(self, name: str) -> None:
        """Each state is declared, composite states nest, each action names its roles by title."""
        procedure = builtin_procedure(name)
        text = diagram(procedure, "mermaid")

        assert text.startswith("stateDiagram-v2")
        for state in procedure.states.values():
            assert f" as {state.name}\n" in text
            if state.children:
                assert f"state {state.name} {{" in text
        for action in procedure.actions.values():
            assert action.title.replace(";", ",") in text
            for role in action.roles:
                assert procedure.roles[role].title in text

    def test_dot_renders_with_graphviz(self, name: str) -> None:
        """Graphviz accepts the DOT text and draws an SVG with every state title."""
        dot = require_tool("dot", "graphviz")
        procedure = builtin_procedure(name)
        done = subprocess.run(
            [dot, "-Tsvg"],
            input=diagram(procedure, "dot"),
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )

        assert "Warning" not in done.stderr
        root = ET.fromstring(diagram(procedure, "svg").encode())  # noqa: S314
        texts = " ".join(
            t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")
        )
        for state in procedure.states.values():
            assert state.title in texts


def test_svg_without_graphviz_says_what_to_do() -> None:
    """No 'dot' on the PATH: a clear error naming the package and the text formats."""
    with pytest.raises(GraphvizMissing) as info:
        diagram(GEMEENTE, "svg", which=lambda _: None)

    assert "graphviz" in (info.value.hint or "").lower()
    assert "--format mermaid" in (info.value.hint or "")
