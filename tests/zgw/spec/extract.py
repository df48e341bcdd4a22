"""Cut the ZGW OpenAPI files down to the component schemas the tests validate against.

Run from the repository root with the published files at hand:

    python tests/zgw/spec/extract.py ../shared/reference/zgw

Each output keeps the ``openapi`` and ``info`` blocks and, under
``components.schemas``, the named schemas with every schema they refer to.
Nothing is changed inside a schema. See SOURCES.md for origin and licence.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
WANTED = {
    "catalogi-1.3.1": [
        "ZaakTypeCreate",
        "StatusType",
        "RolType",
        "ResultaatTypeCreate",
        "Eigenschap",
    ],
    "catalogi-1.4.0": [
        "ZaakTypeCreate",
        "StatusType",
        "RolType",
        "ResultaatTypeCreate",
        "Eigenschap",
    ],
    "zaken-1.5.1": ["Zaak", "PatchedZaak", "Status", "Rol", "Resultaat"],
    "zaken-1.7.0": ["Zaak", "PatchedZaak", "Status", "Rol", "Resultaat"],
    "notificaties-2.0.0-alpha13": ["Event"],
}


def _refs(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            found.add(ref.rsplit("/", 1)[1])
        for value in node.values():
            found |= _refs(value)
    elif isinstance(node, list):
        for value in node:
            found |= _refs(value)
    return found


def extract(source: Path, names: list[str]) -> dict[str, Any]:
    """The trimmed document: the named schemas and their references."""
    document = yaml.safe_load(source.read_text("utf-8"))
    schemas = document["components"]["schemas"]
    keep: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in keep:
            continue
        keep.add(name)
        todo.extend(_refs(schemas[name]) - keep)
    return {
        "openapi": document["openapi"],
        "info": {k: document["info"][k] for k in ("title", "version")},
        "components": {"schemas": {n: schemas[n] for n in sorted(keep)}},
    }


def main(folder: str) -> None:
    """Write one JSON file per API version beside this script."""
    for stem, names in WANTED.items():
        trimmed = extract(Path(folder) / f"{stem}.openapi.yaml", names)
        (HERE / f"{stem}.json").write_text(
            json.dumps(trimmed, ensure_ascii=False, indent=1) + "\n", "utf-8"
        )


if __name__ == "__main__":
    main(sys.argv[1])
