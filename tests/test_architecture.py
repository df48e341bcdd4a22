"""The layer rule of the house style, enforced by parsing imports with ast.

exceptions ← law ← definition ← rules ← engine ← storage ← compliance ← insight ← zgw ← adapters; testing may
import anything; nothing imports testing or adapters; transitions only in the
engine, yaml only in definition._yaml, psycopg only in storage.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "klachtflow"
LAYERS = [
    "exceptions",
    "law",
    "definition",
    "rules",
    "engine",
    "storage",
    "compliance",
    "insight",
    "zgw",
    "adapters",
]


def _layer(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "klachtflow":
        return None
    return parts[1] if len(parts) > 1 else "klachtflow"


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return found


def _modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC.parent).with_suffix("")
        out.append((".".join(rel.parts).removesuffix(".__init__"), path))
    return out


@pytest.mark.parametrize(("module", "path"), _modules(), ids=str)
class TestImportDirection:
    def test_layers_import_only_downwards(self, module: str, path: Path) -> None:
        """A layer imports only itself and the layers below it."""
        own = _layer(module)
        if own in (None, "klachtflow", "testing", "__main__"):
            return
        allowed = set(LAYERS[: LAYERS.index(own) + 1]) if own in LAYERS else set()
        bad = [
            imported
            for imported in _imports(path)
            if (layer := _layer(imported)) is not None
            and layer != "klachtflow"
            and layer not in allowed
        ]

        assert [] == bad

    def test_third_party_boundaries(self, module: str, path: Path) -> None:
        """transitions, yaml, psycopg and httpx are each imported in one place only."""
        owners = {
            "transitions": "klachtflow.engine",
            "yaml": "klachtflow.definition._yaml",
            "psycopg": "klachtflow.storage",
            "httpx": "klachtflow.zgw",
        }
        bad = [
            imported
            for imported in _imports(path)
            for lib, owner in owners.items()
            if imported.split(".")[0] == lib and not module.startswith(owner)
        ]

        assert [] == bad


def test_nothing_imports_testing_or_adapters() -> None:
    """Only the CLI entry points and the testing kit itself reach the outer ring."""
    offenders = [
        module
        for module, path in _modules()
        if _layer(module) not in ("testing", "adapters", "__main__")
        and any(_layer(i) in ("testing", "adapters") for i in _imports(path))
    ]

    assert [] == offenders
