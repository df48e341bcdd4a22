"""Small procedures built in memory, for tests of hosts and of klachtflow itself."""

from __future__ import annotations

import copy
import json
from typing import Any

from klachtflow.definition import Procedure, loads_procedure
from klachtflow.exceptions import InvalidArgument

__all__ = ["MINIMAL", "make_procedure", "make_procedure_text"]

#: The smallest useful procedure: one start state, one action, one end state.
MINIMAL: dict[str, Any] = {
    "schema": "klachtflow/1",
    "naam": "minimaal",
    "titel": "Minimale procedure",
    "versie": "1",
    "geldig_vanaf": "2026-01-01",
    "regime": "eigen",
    "rollen": {
        "klager": {"soort": "partij", "omschrijving_generiek": "initiator"},
        "behandelaar": {"soort": "organisatie", "omschrijving_generiek": "behandelaar"},
    },
    "statussen": {
        "ontvangen": {"begin": True},
        "afgehandeld": {"eind": True},
    },
    "acties": {
        "handel_af": {
            "van": "ontvangen",
            "naar": "afgehandeld",
            "wie": ["behandelaar"],
        },
    },
}


def make_procedure_text(**overrides: Any) -> str:
    """YAML text (in JSON form, which YAML reads) of :data:`MINIMAL` with top-level keys replaced.

    A key given as ``None`` is removed, so tests can build invalid procedures
    too: ``make_procedure_text(statussen=None)``.
    """
    data = copy.deepcopy(MINIMAL)
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    try:
        text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
        text.encode("utf-8")
    except (TypeError, ValueError) as error:
        raise InvalidArgument(
            parameter="make_procedure_text(**overrides)",
            value=overrides,
            expected="values that can be written as YAML (text, numbers, lists, "
            "mappings with text keys)",
            detail=str(error),
        ) from None
    return text


def make_procedure(**overrides: Any) -> Procedure:
    """A validated :class:`Procedure` from :data:`MINIMAL` with top-level keys replaced."""
    return loads_procedure(make_procedure_text(**overrides), source="<make_procedure>")
