"""Small, dependency-free SVG charts for the HTML report.

Each function returns one ``<svg>`` element as text with a ``viewBox`` (so it
scales and prints), a ``<title>`` for screen readers, and only escaped text.
A suppressed count draws no bar and is labelled as in the tables (``<5`` or
``x``), through :mod:`klachtflow.insight._format`.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from klachtflow.insight import _format as nl
from klachtflow.insight.report import Count

__all__ = ["bars", "columns", "split_bar"]

INK = "#1f2d3d"
COLOURS = ("#1b6ca8", "#e07b39", "#5b8c5a", "#8e5ea2")


def _svg(width: int, height: int, title: str, body: Sequence[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" '
        f'role="img" class="chart"><title>{escape(title)}</title>'
        + "".join(body)
        + "</svg>"
    )


def _label(count: Count) -> str:
    """A count as the tables write it: 43.677, <5 or x."""
    return nl.count(count)


def _text(
    x: float, y: float, text: str, *, anchor: str = "start", size: int = 12
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{INK}" '
        f'text-anchor="{anchor}">{escape(text)}</text>'
    )


def bars(title: str, rows: Sequence[tuple[str, Count]]) -> str:
    """Horizontal bars, one per row (the stage funnel, results)."""
    label_w, bar_w, row_h = 230, 330, 26
    top = max([r[1].value or 0 for r in rows] + [1])
    body = []
    for i, (label, count) in enumerate(rows):
        y = 8 + i * row_h
        body.append(_text(label_w - 8, y + 15, label, anchor="end"))
        if count.value:
            width = max(2.0, bar_w * count.value / top)
            body.append(
                f'<rect x="{label_w}" y="{y + 3}" width="{width:.1f}" height="16" '
                f'fill="{COLOURS[0]}"/>'
            )
        else:
            width = 0
        body.append(_text(label_w + width + 6, y + 15, _label(count)))
    return _svg(label_w + bar_w + 60, 16 + row_h * max(len(rows), 1), title, body)


def columns(
    title: str, periods: Sequence[str], series: Sequence[tuple[str, Sequence[Count]]]
) -> str:
    """Grouped vertical columns per period (the trend), with a legend."""
    height, base, group_w = 240, 200, 130
    top = max([c.value or 0 for _, counts in series for c in counts] + [1])
    bar_w = (group_w - 30) / max(len(series), 1)
    body = [
        f'<line x1="20" y1="{base}" x2="{20 + group_w * len(periods)}" y2="{base}" '
        f'stroke="{INK}" stroke-width="1"/>'
    ]
    for p, period in enumerate(periods):
        x0 = 30 + p * group_w
        for s, (_, counts) in enumerate(series):
            count = counts[p]
            h = 150 * (count.value or 0) / top
            x = x0 + s * bar_w
            if count.value:
                body.append(
                    f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bar_w - 4:.1f}" '
                    f'height="{h:.1f}" fill="{COLOURS[s % len(COLOURS)]}"/>'
                )
            body.append(
                _text(
                    x + (bar_w - 4) / 2,
                    base - h - 4,
                    _label(count),
                    anchor="middle",
                    size=11,
                )
            )
        body.append(_text(x0 + (group_w - 30) / 2, base + 18, period, anchor="middle"))
    for s, (name, _) in enumerate(series):
        x = 30 + s * 160
        body.append(
            f'<rect x="{x}" y="{height - 14}" width="12" height="12" '
            f'fill="{COLOURS[s % len(COLOURS)]}"/>'
        )
        body.append(_text(x + 18, height - 4, name))
    width = max(40 + group_w * len(periods), 40 + 160 * len(series))
    return _svg(width, height, title, body)


def split_bar(title: str, parts: Sequence[tuple[str, Count]]) -> str:
    """One bar split into parts (within term / late), with a legend."""
    width, bar_w = 620, 560
    total = sum(c.value or 0 for _, c in parts) or 1
    body = []
    x = 30.0
    for i, (_, count) in enumerate(parts):
        if count.value:
            w = bar_w * count.value / total
            body.append(
                f'<rect x="{x:.1f}" y="10" width="{w:.1f}" height="28" '
                f'fill="{COLOURS[i % len(COLOURS)]}"/>'
            )
            x += w
    for i, (name, count) in enumerate(parts):
        lx = 30 + i * 200
        body.append(
            f'<rect x="{lx}" y="52" width="12" height="12" '
            f'fill="{COLOURS[i % len(COLOURS)]}"/>'
        )
        body.append(_text(lx + 18, 62, f"{name}: {_label(count)}"))
    return _svg(width, 76, title, body)
