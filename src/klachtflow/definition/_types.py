"""Structural types of the procedure language.

Each type checks a value read from YAML, reports problems with a stable code
and a Dutch message (the loader adds file:line:column), returns the value
normalised (or :data:`INVALID`), and renders itself as JSON Schema. The
language itself is declared with these types in :mod:`._spec`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Mapping
from difflib import get_close_matches
from typing import Any

import attrs

from klachtflow.definition.model import DURATION_PATTERN, Duration

__all__ = [
    "INVALID",
    "NAME_PATTERN",
    "REGISTRY",
    "Boolean",
    "Date",
    "DurationType",
    "Integer",
    "Key",
    "ListOf",
    "MapOf",
    "Name",
    "Obj",
    "Ref",
    "Report",
    "Scalar",
    "Text",
    "Type",
    "name_hint",
]

NAME_PATTERN = r"^[a-z][a-z0-9_]*$"


class _Invalid:
    """Marker for a value that failed its structural check (already reported)."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()

Report = Callable[[str, tuple[str | int, ...], str, str | None, bool], None]


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "ja/nee-waarde"
    if isinstance(value, int | float):
        return "getal"
    if isinstance(value, dt.date):
        return "datum"
    if isinstance(value, list):
        return "lijst"
    if isinstance(value, dict):
        return "blok met sleutels"
    if value is None:
        return "lege waarde"
    return "tekst"


def _shown(value: object) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


class Type:
    """Base of the structural types; ``schema`` renders JSON Schema."""

    description = ""

    def check(self, value: Any, path: tuple[str | int, ...], report: Report) -> Any:
        raise NotImplementedError

    def schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def wrong(
        self,
        value: Any,
        path: tuple[str | int, ...],
        report: Report,
        expected: str,
        hint: str | None = None,
    ) -> Any:
        report(
            "KF-D008",
            path,
            f"verwacht {expected}, maar dit is een {_type_name(value)} ({_shown(value)}).",
            hint,
            False,
        )
        return INVALID


@attrs.frozen
class Text(Type):
    """Free text, optionally limited to a list of values or a pattern."""

    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    pattern_hint: str | None = None
    allow_int: bool = True

    def check(self, value: Any, path: tuple[str | int, ...], report: Report) -> Any:
        if isinstance(value, int) and not isinstance(value, bool) and self.allow_int:
            value = str(value)
        if not isinstance(value, str):
            hint = (
                "Zet de waarde tussen aanhalingstekens, bijvoorbeeld '1.0'."
                if isinstance(value, int | float | dt.date)
                else None
            )
            return self.wrong(value, path, report, "tekst", hint)
        if self.enum is not None and value not in self.enum:
            close = get_close_matches(value, self.enum, n=1)
            choices = ", ".join(self.enum)
            report(
                "KF-D010",
                path,
                f"'{value}' is geen toegestane waarde; kies uit: {choices}.",
                f"Bedoelde u '{close[0]}'?" if close else None,
                False,
            )
            return INVALID
        if self.pattern is not None and not re.match(self.pattern, value):
            report(
                "KF-D010",
                path,
                f"'{value}' heeft niet de juiste vorm.",
                self.pattern_hint,
                False,
            )
            return INVALID
        return value

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "string"}
        if self.enum is not None:
            out["enum"] = list(self.enum)
        elif self.allow_int and self.pattern is None:
            out["type"] = ["string", "integer"]
        if self.pattern is not None:
            out["pattern"] = self.pattern
        return out


def name_hint(value: str) -> str | None:
    """Suggest a valid name for an invalid one ("Klachten Coördinator" → ...)."""
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    candidate = "".join(c if c.isalnum() else "_" for c in folded.lower()).strip("_")
    while "__" in candidate:
        candidate = candidate.replace("__", "_")
    if candidate and candidate[0].isalpha() and candidate != value:
        return f"Gebruik bijvoorbeeld '{candidate}'."
    return (
        "Een naam begint met een kleine letter en bevat alleen kleine letters "
        "a-z, cijfers en _ (geen spaties, streepjes of accenten)."
    )


@attrs.frozen
class Name(Type):
    """An identifier: lower-case a-z, digits and underscores, starting with a letter."""

    def check(self, value: Any, path: tuple[str | int, ...], report: Report) -> Any:
        if not isinstance(value, str):
            return self.wrong(value, path, report, "een naam")
        if not re.match(NAME_PATTERN, value):
            report(
                "KF-D009",
                path,
                f"'{value}' is geen geldige naam.",
                name_hint(value),
                False,
            )
            return INVALID
        return value

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": NAME_PATTERN}


@attrs.frozen
class Integer(Type):
    """A whole number, optionally with a minimum."""

    minimum: int | None = None

    def check(self, value: Any, path: tuple[str | int, ...], report: Report) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            return self.wrong(value, path, report, "een geheel getal")
        if self.minimum is not None and value < self.minimum:
            report(
                "KF-D010",
                path,
                f"{value} is te klein; de kleinste toegestane waarde is {self.minimum}.",
                None,
                False,
            )
            return INVALID
        return value

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "integer"}
        if self.minimum is not None:
            out["minimum"] = self.minimum
        return out


@attrs.frozen
class Boolean(Type):
    """``true`` or ``false`` (``ja``, ``nee``, ``yes``, ``no`` are refused, not guessed)."""

    def check(self, value: Any, path: tuple[str | int, ...], report: Report) -> Any:
        if not isinstance(value, bool):
            hint = None
            if isinstance(value, str) and value.lower() in {
                "ja",
                "nee",
                "yes",
                "no",
                "on",
                "off",
                "waar",
                "onwaar",
            }:
                hint = "Schrijf true (ja) of false (nee)."
            return self.wrong(value, path, report, "true of false", hint)
        return value

    def schema(self) -> dict[str, Any]:
        return {"type": "boolean"}


@attrs.frozen
class Date(Type):
    """A calendar date, written JJJJ-MM-DD."""

    def check(self, value: Any, path: tuple[str | int, ...], report: Report) -> Any:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        return self.wrong(
            value, path, report, "een datum", "Schrijf JJJJ-MM-DD, bijv. 2026-01-01."
        )

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "date"}


@attrs.frozen
class DurationType(Type):
    """A duration as the law writes it: "6 weken", "5 werkdagen", "1 jaar"."""

    def check(self, value: Any, path: tuple[str | int, ...], report: Report) -> Any:
        if not isinstance(value, str):
            return self.wrong(
                value,
                path,
                report,
                "een duur zoals '6 weken'",
                "Schrijf het getal en de eenheid, bijv. '6 weken' of '5 werkdagen'.",
            )
        try:
            return Duration.parse(value)
        except ValueError:
            report(
                "KF-D010",
                path,
                f"'{value}' is geen geldige duur.",
                "Schrijf een getal en een eenheid: uur, dagen, werkdagen, weken, "
                "maanden of jaren (bijv. '6 weken').",
                False,
            )
            return INVALID

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": DURATION_PATTERN}


@attrs.frozen
class Scalar(Type):
    """A single value: text, number, true/false or a date."""

    def check(self, value: Any, path: tuple[str | int, ...], report: Report) -> Any:
        if isinstance(value, str | int | float | bool | dt.date):
            return value
        return self.wrong(
            value, path, report, "één waarde (tekst, getal of true/false)"
        )

    def schema(self) -> dict[str, Any]:
        return {"type": ["string", "number", "boolean"]}


@attrs.frozen
class ListOf(Type):
    """A list; with ``single`` a lone value counts as a list of one."""

    item: Type
    single: bool = True
    min_items: int = 1

    def check(self, value: Any, path: tuple[str | int, ...], report: Report) -> Any:
        if not isinstance(value, list):
            if self.single and value is not None:
                checked = self.item.check(value, path, report)
                return INVALID if checked is INVALID else [checked]
            return self.wrong(value, path, report, "een lijst")
        if len(value) < self.min_items:
            report(
                "KF-D008",
                path,
                f"de lijst moet ten minste {self.min_items} element(en) bevatten.",
                None,
                False,
            )
            return INVALID
        out = []
        for index, item in enumerate(value):
            checked = self.item.check(item, (*path, index), report)
            if checked is not INVALID:
                out.append(checked)
        return out

    def schema(self) -> dict[str, Any]:
        array: dict[str, Any] = {"type": "array", "items": self.item.schema()}
        if self.min_items:
            array["minItems"] = self.min_items
        if self.single:
            return {"anyOf": [self.item.schema(), array]}
        return array


@attrs.frozen
class MapOf(Type):
    """A block of named entries (``rollen``, ``statussen``, ...)."""

    value: Type
    min_items: int = 0

    def check(self, value: Any, path: tuple[str | int, ...], report: Report) -> Any:
        if not isinstance(value, dict):
            if value is None and self.min_items == 0:
                return {}
            return self.wrong(value, path, report, "een blok met genoemde onderdelen")
        if len(value) < self.min_items:
            report(
                "KF-D007",
                path,
                "dit blok is leeg, maar moet ten minste één onderdeel bevatten.",
                None,
                False,
            )
        # Broken entries stay in the result as INVALID: their names are declared,
        # so references to them are not reported a second time as unknown.
        out = {}
        for key, item in value.items():
            Name().check(
                key, (*path, key), lambda c, p, m, h, _k: report(c, p, m, h, True)
            )
            out[key] = self.value.check(item, (*path, key), report)
        return out

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": "object",
            "propertyNames": {"pattern": NAME_PATTERN},
            "additionalProperties": self.value.schema(),
        }
        if self.min_items:
            out["minProperties"] = self.min_items
        return out


@attrs.frozen
class Key:
    """One key of an object, with the Dutch description used in schema and docs."""

    name: str
    type: Type
    description: str
    required: bool = False


REGISTRY: dict[str, Obj] = {}


@attrs.frozen
class Obj(Type):
    """A block with fixed keys; unknown keys are refused with a suggestion."""

    name: str
    title: str
    keys: tuple[Key, ...]
    one_of: tuple[str, ...] = ()

    def __attrs_post_init__(self) -> None:
        REGISTRY[self.name] = self

    @property
    def key_map(self) -> Mapping[str, Key]:
        return {k.name: k for k in self.keys}

    def check(self, value: Any, path: tuple[str | int, ...], report: Report) -> Any:
        if not isinstance(value, dict):
            return self.wrong(value, path, report, f"een blok ({self.title})")
        out, broken = self.check_keys(value, path, report)
        return INVALID if broken else out

    def check_keys(
        self, value: dict[str, Any], path: tuple[str | int, ...], report: Report
    ) -> tuple[dict[str, Any], bool]:
        """The valid part of ``value`` and whether a required part is missing or broken."""
        keys = self.key_map
        out: dict[str, Any] = {}
        broken = False
        for key, item in value.items():
            spec = keys.get(key)
            if spec is None:
                close = get_close_matches(key, list(keys), n=1, cutoff=0.6)
                allowed = ", ".join(keys)
                report(
                    "KF-D006",
                    (*path, key),
                    f"onbekende sleutel '{key}' in {self.title}.",
                    f"Bedoelde u '{close[0]}'?"
                    if close
                    else f"Toegestaan zijn: {allowed}.",
                    True,
                )
                continue
            checked = spec.type.check(item, (*path, key), report)
            if checked is INVALID:
                broken = broken or spec.required
                continue
            out[key] = checked
        for spec in self.keys:
            if spec.required and spec.name not in value:
                report(
                    "KF-D007",
                    path,
                    f"de verplichte sleutel '{spec.name}' ontbreekt in {self.title}.",
                    f"Voeg toe: {spec.name}: ... ({spec.description})",
                    True,
                )
                broken = True
        if self.one_of:
            present = [k for k in self.one_of if k in value]
            if len(present) != 1:
                options = ", ".join(self.one_of)
                report(
                    "KF-D015",
                    path,
                    f"{self.title} moet precies één van deze sleutels hebben: {options}"
                    + (f" (nu: {', '.join(present)})." if present else " (nu: geen)."),
                    None,
                    True,
                )
                broken = True
            elif present[0] not in out:  # the one key is there but broken
                broken = True
        return out, broken

    def schema(self) -> dict[str, Any]:
        return {"$ref": f"#/$defs/{self.name}"}

    def definition(self) -> dict[str, Any]:
        """The ``$defs`` entry of this object."""
        out: dict[str, Any] = {
            "title": self.title,
            "type": "object",
            "additionalProperties": False,
            "properties": {
                k.name: {**k.type.schema(), "description": k.description}
                for k in self.keys
            },
        }
        required = [k.name for k in self.keys if k.required]
        if required:
            out["required"] = required
        if self.one_of:
            out["oneOf"] = [{"required": [k]} for k in self.one_of]
        return out


@attrs.frozen
class Ref(Type):
    """A reference to an object declared elsewhere (allows recursion)."""

    name: str

    def check(self, value: Any, path: tuple[str | int, ...], report: Report) -> Any:
        return REGISTRY[self.name].check(value, path, report)

    def schema(self) -> dict[str, Any]:
        return {"$ref": f"#/$defs/{self.name}"}
