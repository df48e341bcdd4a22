"""Shared fixtures only; klachtflow has no globals to reset."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

from klachtflow.definition import template_text

# Speed is measured in bench/, never asserted in tests (2 shared cores): no
# Hypothesis deadline and no "too slow" health check anywhere in the suite.
settings.register_profile(
    "klachtflow", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("klachtflow")


@pytest.fixture(scope="session")
def gemeente_text() -> str:
    """The YAML text of the gemeente-awb template."""
    return template_text("gemeente-awb")


pytest_plugins = ["pytester"]
