"""Validate request bodies against the component schemas of the ZGW OpenAPI files."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from openapi_schema_validator import OAS30WriteValidator

SPEC = Path(__file__).resolve().parent / "spec"
#: Catalogi API version → the Zaken API version published with it.
ZAKEN_FOR = {"1.3": "zaken-1.5.1", "1.4": "zaken-1.7.0"}
CATALOGI_FOR = {"1.3": "catalogi-1.3.1", "1.4": "catalogi-1.4.0"}


@cache
def _document(stem: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SPEC / f"{stem}.json").read_text("utf-8"))
    return data


@cache
def _validator(stem: str, schema: str) -> Any:
    document = _document(stem)
    return OAS30WriteValidator(
        {"$ref": f"#/components/schemas/{schema}", "components": document["components"]}
    )


def errors(stem: str, schema: str, body: Any) -> list[str]:
    """Every schema violation of ``body`` as a request (readOnly fields not required)."""
    validator = _validator(stem, schema)
    return sorted(
        f"{'.'.join(str(p) for p in e.absolute_path) or '<body>'}: {e.message}"
        for e in validator.iter_errors(body)
    )
