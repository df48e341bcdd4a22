"""Generated documentation of the procedure language (public, for tools and docs)."""

from __future__ import annotations

from klachtflow.definition._spec import json_schema, markdown_reference

__all__ = ["json_schema", "markdown_reference"]
