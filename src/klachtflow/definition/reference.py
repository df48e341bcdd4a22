"""Generated documentation of the procedure language (public, for tools and docs)."""

from __future__ import annotations

from klachtflow.definition._spec import json_schema
from klachtflow.definition._types import (
    REGISTRY,
    Boolean,
    Date,
    DurationType,
    Integer,
    ListOf,
    MapOf,
    Name,
    Obj,
    Ref,
    Scalar,
    Text,
    Type,
)

__all__ = ["json_schema", "markdown_reference"]


def _type_label(t: Type) -> str:
    if isinstance(t, Ref | Obj):
        return f"[{t.name}](#{t.name})"
    if isinstance(t, ListOf):
        inner = _type_label(t.item)
        return f"{inner} of lijst daarvan" if t.single else f"lijst van {inner}"
    if isinstance(t, MapOf):
        return f"blok: naam → {_type_label(t.value)}"
    if isinstance(t, Text) and t.enum:
        return " \\| ".join(f"`{v}`" for v in t.enum)
    return {
        Text: "tekst",
        Name: "naam",
        Integer: "geheel getal",
        Boolean: "`true` \\| `false`",
        Date: "datum (JJJJ-MM-DD)",
        DurationType: "duur (bijv. `6 weken`)",
        Scalar: "waarde",
    }[type(t)]


def markdown_reference() -> str:
    """The YAML reference page (``docs/reference/yaml.md``), generated from the spec."""
    lines = [
        "<!-- Gegenereerd uit src/klachtflow/definition/_spec.py; niet met de hand wijzigen.",
        "     Bijwerken: klachtflow schema --format markdown > docs/reference/yaml.md -->",
        "",
        "# Referentie: de proceduretaal (schema klachtflow/1)",
        "",
        "Voor: beleidsmedewerkers en ontwikkelaars. Elke sleutel van een procedurebestand,",
        "met type en betekenis. Een *naam* bestaat uit kleine letters a-z, cijfers en `_`",
        "en begint met een letter. Verplichte sleutels zijn **vet**.",
        "",
    ]
    order = ["procedure", *sorted(n for n in REGISTRY if n != "procedure")]
    for name in order:
        obj = REGISTRY[name]
        # The heading is the name itself, so GitHub and the Sphinx site (MyST
        # heading anchors) both give it the anchor #name that links use.
        lines += [f"## {name}", ""]
        if obj.title != name:
            lines += [f"*{obj.title}*", ""]
        if obj.one_of:
            keys = ", ".join(f"`{k}`" for k in obj.one_of)
            lines += [f"Precies één van: {keys}.", ""]
        lines += ["| sleutel | type | betekenis |", "| --- | --- | --- |"]
        for key in obj.keys:
            label = f"**`{key.name}`**" if key.required else f"`{key.name}`"
            lines.append(f"| {label} | {_type_label(key.type)} | {key.description} |")
        lines.append("")
    return "\n".join(lines)
