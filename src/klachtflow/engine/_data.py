"""Case data supplied by hosts, checked against the procedure's ``gegevens``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from klachtflow.definition.model import DataField, FieldType, Procedure

__all__ = ["normalise_data"]


def _value(
    field: DataField, value: Any, procedure: Procedure
) -> tuple[Any, str | None]:
    """The value in its Python form, or a Dutch reason why it does not fit."""
    if value is None:
        return None, None
    kind = field.type
    if kind is FieldType.TEKST:
        return (value, None) if isinstance(value, str) else (None, "verwacht tekst")
    if kind is FieldType.GETAL:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return (value, None) if ok else (None, "verwacht een getal")
    if kind is FieldType.JA_NEE:
        return (
            (value, None)
            if isinstance(value, bool)
            else (None, "verwacht true of false")
        )
    if kind is FieldType.DATUM:
        if isinstance(value, dt.datetime):
            return None, "verwacht een datum, geen tijdstip"
        if isinstance(value, dt.date):
            return value, None
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value), None
            except ValueError:
                pass
        return None, "verwacht een datum (JJJJ-MM-DD)"
    if kind is FieldType.DATUM_TIJD:
        moment = value
        if isinstance(value, str):
            try:
                moment = dt.datetime.fromisoformat(value)
            except ValueError:
                return None, "verwacht een tijdstip (ISO 8601)"
        if isinstance(moment, dt.datetime) and moment.tzinfo is not None:
            return moment.astimezone(dt.UTC), None
        return None, "verwacht een tijdstip met tijdzone"
    choices = field.choices
    if choices is None and field.choices_from is not None:
        choices = procedure.registration.values(field.choices_from)
    if isinstance(value, str) and choices is not None and value in choices:
        return value, None
    return None, f"kies uit: {', '.join(choices or ())}"


def normalise_data(
    procedure: Procedure, supplied: Mapping[str, Any] | None
) -> tuple[dict[str, Any], dict[str, str]]:
    """Check supplied data; return (normalised values, problems by field)."""
    values: dict[str, Any] = {}
    problems: dict[str, str] = {}
    if not supplied:
        return values, problems
    for name, value in supplied.items():
        field = procedure.fields.get(name)
        if field is None:
            problems[name] = "onbekend gegeven in deze procedure"
            continue
        normalised, problem = _value(field, value, procedure)
        if problem is not None:
            problems[name] = f"{problem} (kreeg {value!r})"
        else:
            values[name] = normalised
    return values, problems
