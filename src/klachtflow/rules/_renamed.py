"""Keyword arguments renamed by the naming rule, accepted for one minor version.

The rule (``docs/reference/python-api.md``, "Naming"): Python parameters are
English; Dutch stays for what is Dutch by nature — YAML keys, legal values and
terms (``"instemming"`` as a refusal kind, ``"6 weken"``), the citation parts of
a legal basis (``wet``, ``artikel``, ``lid``) and the ZGW resource names as the
standard spells them (``zaaktype``, ``statustypen``).

klachtflow 0.2.0 renamed the Dutch keyword arguments of the engine and the
store. The old names still work until 0.3.0: each use warns with a
:class:`DeprecationWarning` that names the new one. Passing both names at once
is refused, since one of the two values would silently be lost.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

from klachtflow.exceptions import InvalidArgument

__all__ = ["REMOVED_IN", "RENAMED", "renamed"]

#: The release that drops the old names.
REMOVED_IN = "0.3.0"

#: Old keyword name → new keyword name, for every public signature.
RENAMED: Mapping[str, str] = {
    "reden": "reason",
    "instemming": "consent",
    "gemeld_aan": "notified",
    "verlenging": "extension",
    "uitstel_tot": "postponed_until",
    "rollen": "roles",
    "grond": "ground",
    "case_id": "case",
    "duur": "duration",
    "anker": "anchor",
    "terug": "backward",
    "kalender": "calendar",
}


def renamed(
    method: str,
    legacy: Mapping[str, Any],
    current: Mapping[str, Any],
    *,
    stacklevel: int = 3,
) -> dict[str, Any]:
    """``current`` (new name → value) with the old names in ``legacy`` moved in.

    ``current`` holds every new-name parameter of ``method`` with the value the
    caller gave (``None`` when not given). An old name warns and takes the
    place of its new name; an unknown name, or an old and a new name for the
    same parameter, raises :class:`~klachtflow.exceptions.InvalidArgument`.
    ``stacklevel`` points the warning at the caller of ``method``.
    """
    values = dict(current)
    for old in sorted(legacy):
        new = RENAMED.get(old)
        if new is None or new not in values:
            known = ", ".join(sorted(values))
            raise InvalidArgument(
                parameter=f"{method}({old})",
                value=legacy[old],
                expected=f"one of the keyword arguments {known}",
                detail=f"{method} has no argument '{old}'",
            )
        if values[new] is not None:
            raise InvalidArgument(
                parameter=f"{method}({old})",
                value=legacy[old],
                expected=f"only '{new}' (the new name of '{old}')",
                detail=f"both '{old}' and '{new}' were given",
                hint=f"Pass the value once, as '{new}'.",
            )
        warnings.warn(
            f"{method}({old}=...) is deprecated and will be removed in klachtflow "
            f"{REMOVED_IN}; use {method}({new}=...)",
            DeprecationWarning,
            stacklevel=stacklevel,
        )
        values[new] = legacy[old]
    return values
