"""YAML mutations: whatever policy staff do to a file, the loader answers clearly.

Property: for any damaged copy of a template, ``loads_procedure`` either
returns a Procedure or raises DefinitionError whose issues all point inside
the file; no other exception ever escapes.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klachtflow import DefinitionError, Procedure, loads_procedure
from klachtflow.definition.templates import template_names, template_text

TEXTS = {name: template_text(name) for name in template_names()}


@st.composite
def mutated(draw: st.DrawFn) -> str:
    lines = TEXTS[draw(st.sampled_from(sorted(TEXTS)))].splitlines()
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        if not lines:
            break
        i = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        kind = draw(
            st.sampled_from(
                [
                    "delete",
                    "duplicate",
                    "indent",
                    "dedent",
                    "tab",
                    "swap",
                    "typo",
                    "truncate",
                    "junk",
                ]
            )
        )
        line = lines[i]
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, line)
        elif kind == "indent":
            lines[i] = " " + line
        elif kind == "dedent":
            lines[i] = line[1:]
        elif kind == "tab":
            lines[i] = "\t" + line.lstrip(" ")
        elif kind == "swap":
            j = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            lines[i], lines[j] = lines[j], line
        elif kind == "typo" and line.strip():
            k = draw(st.integers(min_value=0, max_value=len(line) - 1))
            lines[i] = line[:k] + draw(st.sampled_from("xq:-[{'\"&*!#")) + line[k + 1 :]
        elif kind == "truncate":
            lines = lines[:i]
        elif kind == "junk":
            lines[i] = draw(st.text(max_size=20))
    return "\n".join(lines) + "\n"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_templates_load_or_fail_clearly(text: str) -> None:
    """Every mutation yields a Procedure or a DefinitionError with in-file positions."""
    try:
        result = loads_procedure(text, source="m.yaml")
    except DefinitionError as error:
        line_count = text.count("\n") + 1
        for issue in error.issues:
            assert issue.code.startswith("KF-D")
            assert 1 <= issue.line <= line_count
            assert issue.column >= 1
            assert issue.message
    else:
        assert isinstance(result, Procedure)
