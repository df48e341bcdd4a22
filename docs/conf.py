"""Sphinx configuration for the klachtflow documentation site.

Build: ``python -m sphinx -W --keep-going -b html docs build/docs`` (as .ci/run
does; warnings are errors). Pages are Markdown, read by MyST.
"""

from __future__ import annotations

from importlib.metadata import version as _version

project = "klachtflow"
author = "klachtflow developers"
copyright = "klachtflow developers, EUPL-1.2"  # noqa: A001 - Sphinx's name
release = _version("klachtflow")
version = release

extensions = ["myst_parser"]
source_suffix = {".md": "markdown"}
root_doc = "index"
language = "nl"
exclude_patterns = ["_build"]
myst_heading_anchors = 4
myst_enable_extensions = ["colon_fence", "attrs_inline", "attrs_block"]
html_theme = "alabaster"
html_title = "klachtflow"
html_static_path: list[str] = []
