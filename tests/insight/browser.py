"""Headless Chromium for rendering tests; required in CI, skipped elsewhere when missing."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

__all__ = ["chromium", "measure", "render", "require_tool"]


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


#: Runs inside the page copy: measures what a reader sees and records every
#: request the page's Content-Security-Policy blocks.
_PROBE = r"""
<script>
(function () {
  var blocked = [];
  document.addEventListener("securitypolicyviolation", function (e) {
    blocked.push(e.blockedURI + " (" + e.violatedDirective + ")");
  });
  window.__kfProbe = function () {
    var root = document.documentElement;
    var cells = [];
    document.querySelectorAll("table th, table td").forEach(function (cell) {
      cells.push({
        text: cell.innerText.trim(),
        align: getComputedStyle(cell).textAlign,
        numeric: cell.classList.contains("num"),
        header: cell.tagName === "TH",
      });
    });
    var wide = [];
    document.querySelectorAll("body *").forEach(function (el) {
      var box = el.getBoundingClientRect();
      if (box.right > root.clientWidth + 1 && !el.closest("details:not([open])")
          && !el.closest(".diagram")) {
        wide.push(el.tagName + "." + el.className + " right=" + Math.round(box.right));
      }
    });
    var refs = [];
    document.querySelectorAll("[src], link[href], object[data], iframe, embed")
      .forEach(function (el) { refs.push(el.outerHTML.slice(0, 120)); });
    document.querySelectorAll("style").forEach(function (el) {
      var found = el.textContent.match(/url\((?!["']?data:)[^)]*\)|@import/g);
      if (found) { refs = refs.concat(found); }
    });
    return {
      scrollWidth: root.scrollWidth,
      clientWidth: root.clientWidth,
      wide: wide,
      cells: cells,
      text: document.body.innerText,
      refs: refs,
      blocked: blocked,
      lang: root.getAttribute("lang"),
      headings: Array.prototype.map.call(
        document.querySelectorAll("h1, h2, h3"), function (h) { return h.tagName; }),
      tables: document.querySelectorAll("table").length,
      captions: document.querySelectorAll("table caption").length,
      charts: document.querySelectorAll("svg.chart").length,
      chartTitles: document.querySelectorAll("svg.chart > title").length,
    };
  };
  window.addEventListener("load", function () {
    document.body.setAttribute("data-kf-probe", JSON.stringify(window.__kfProbe()));
  });
})();
</script>
"""


def measure(page: str, out: Path, *, width: int = 1280) -> dict[str, Any]:
    """Render ``page`` at ``width`` px in Chromium and measure it (see ``_PROBE``).

    The copy that is measured keeps the page's CSP and only allows the inline
    probe script, so an external reference still shows up as blocked.
    """
    marker = '<meta http-equiv="Content-Security-Policy" content="'
    assert marker in page, "the page must carry a Content-Security-Policy"
    probed = page.replace(marker, marker + "script-src 'unsafe-inline'; ", 1)
    probed = probed.replace("<head>", "<head>" + _PROBE, 1)
    out.mkdir(parents=True, exist_ok=True)
    source = out / "page.html"
    source.write_text(probed, encoding="utf-8")
    base = [
        chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={out / 'profile'}",
        f"--window-size={width},2000",
    ]
    done = subprocess.run(
        [*base, "--virtual-time-budget=2000", "--dump-dom", source.resolve().as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    found = re.search(r'data-kf-probe="([^"]*)"', done.stdout)
    assert found is not None, f"the probe did not run: {done.stderr[-2000:]}"
    result: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return result
