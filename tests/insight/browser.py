"""Headless Chromium for rendering tests; required in CI, skipped elsewhere when missing."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

__all__ = ["chromium", "render", "require_tool"]


def require_tool(name: str, package: str) -> str:
    """The path of ``name``; CI fails without it, a developer machine skips."""
    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(
                f"{name} is missing: .ci/run must install the Debian package {package}"
            )
        pytest.skip(f"{name} is not installed (Debian package {package})")
    return found


def chromium() -> str:
    """The Chromium binary."""
    return require_tool("chromium", "chromium")


def render(html: Path, out: Path) -> tuple[str, str]:
    """Render ``html`` headless: (the DOM after load, Chromium's log); writes a PNG and a PDF."""
    base = [
        chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        f"--user-data-dir={out / 'profile'}",
        "--enable-logging=stderr",
        "--v=0",
    ]
    url = html.resolve().as_uri()
    dom = subprocess.run(
        [*base, "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    shot = subprocess.run(
        [*base, f"--screenshot={out / 'page.png'}", "--window-size=1000,2000", url],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    pdf = subprocess.run(
        [*base, f"--print-to-pdf={out / 'page.pdf'}", "--no-pdf-header-footer", url],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return dom.stdout, dom.stderr + shot.stderr + pdf.stderr
