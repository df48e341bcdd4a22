"""Shared fixtures only; klachtflow has no globals to reset."""

from __future__ import annotations

import pytest

from klachtflow.definition import template_text


@pytest.fixture(scope="session")
def gemeente_text() -> str:
    """The YAML text of the gemeente-awb template."""
    return template_text("gemeente-awb")


pytest_plugins = ["pytester"]
