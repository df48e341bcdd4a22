"""What the semantic checks share: how an unknown name is reported, and where a state is in the YAML."""

from __future__ import annotations

from collections.abc import Iterable
from difflib import get_close_matches

from klachtflow.definition._build import Finding, YamlPath, state_yaml_path
from klachtflow.definition.model import (
    Procedure,
)

__all__ = ["NOUN", "state_known", "state_path", "unknown"]


#: kind → (adjective + noun for "unknown ...", noun for "declare a ...").
NOUN = {
    "status": ("onbekende status", "status"),
    "rol": ("onbekende rol", "rol"),
    "actie": ("onbekende actie", "actie"),
    "termijn": ("onbekende termijn", "termijn"),
    "gegeven": ("onbekend gegeven", "gegeven"),
    "resultaat": ("onbekend resultaat", "resultaat"),
    "kalender": ("onbekende kalender", "kalender"),
}


def unknown(kind: str, ref: str, known: Iterable[str], path: YamlPath) -> Finding:
    options = sorted(known)
    close = get_close_matches(ref, options, n=1, cutoff=0.6)
    if close:
        hint = f"Bedoelde u '{close[0]}'?"
    elif options:
        shown = ", ".join(options[:12]) + (", ..." if len(options) > 12 else "")
        hint = f"Bekende namen: {shown}."
    else:
        hint = f"Declareer eerst een {NOUN[kind][1]} met deze naam."
    return ("KF-D004", path, f"{NOUN[kind][0]} '{ref}'.", hint, False)


def state_known(procedure: Procedure, ref: str) -> bool:
    try:
        procedure.state(ref)
    except KeyError:
        return False
    return True


def state_path(procedure: Procedure, name: str) -> YamlPath:
    return state_yaml_path(procedure.states[name].path)
