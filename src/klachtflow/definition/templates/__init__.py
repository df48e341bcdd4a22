"""Built-in procedure templates (YAML files shipped inside the package)."""

from __future__ import annotations

from importlib import resources

from klachtflow.definition.loader import loads_procedure
from klachtflow.definition.model import Procedure
from klachtflow.exceptions import UnknownTemplate

__all__ = ["builtin_procedure", "template_names", "template_text"]


def template_names() -> tuple[str, ...]:
    """Names of the built-in templates, sorted."""
    root = resources.files(__name__)
    return tuple(
        sorted(
            p.name.removesuffix(".yaml")
            for p in root.iterdir()
            if p.name.endswith(".yaml")
        )
    )


def template_text(name: str) -> str:
    """The YAML text of a built-in template; :class:`UnknownTemplate` if none."""
    if name not in template_names():
        raise UnknownTemplate(name, template_names())
    return resources.files(__name__).joinpath(f"{name}.yaml").read_text("utf-8")


def builtin_procedure(name: str) -> Procedure:
    """Load a built-in template as a :class:`Procedure`."""
    return loads_procedure(template_text(name), source=f"<sjabloon {name}>")
