"""Sphinx configuration for the klachtflow documentation site.

Build: ``python -m sphinx -W --keep-going -b html docs build/docs`` (as .ci/run
does; warnings are errors). Pages are Markdown, read by MyST.
"""

from __future__ import annotations

from importlib.metadata import version as _version
from pathlib import Path as _Path

project = "klachtflow"
author = "klachtflow developers"
copyright = "klachtflow developers, EUPL-1.2"  # noqa: A001 - Sphinx's name
release = _version("klachtflow")
version = release

extensions = ["myst_parser", "sphinx.ext.autodoc", "sphinx.ext.intersphinx"]
source_suffix = {".md": "markdown"}
root_doc = "index"
language = "nl"
exclude_patterns = ["_build"]
myst_heading_anchors = 4
myst_enable_extensions = ["colon_fence", "attrs_inline", "attrs_block"]
html_theme = "furo"
html_title = "klachtflow"
html_static_path: list[str] = []

# The API reference (reference/python-api.md) is generated from the code.
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": True}

# Links to Python, attrs and SQLAlchemy. Each inventory is read from the
# project's site and, where that cannot be reached (CI and developer machines
# work offline), from the Debian documentation packages python3.11-doc,
# python-attr-doc and python-sqlalchemy-doc, which .ci/run installs.
_LOCAL_INVENTORIES = {
    "python": ("https://docs.python.org/3", "/usr/share/doc/python3.11/html/objects.inv"),
    "attrs": ("https://www.attrs.org/en/stable", "/usr/share/doc/python-attr-doc/html/objects.inv"),
    "sqlalchemy": (
        "https://docs.sqlalchemy.org/en/20",
        "/usr/share/doc/python-sqlalchemy-doc/html/objects.inv",
    ),
}
intersphinx_mapping = {
    name: (url, (None, local))
    for name, (url, local) in _LOCAL_INVENTORIES.items()
    if _Path(local).exists()  # without it offline, -W would fail on the fetch
}
intersphinx_timeout = 5
