"""Hypothesis strategies for procedures: dates, actors and valid paths.

Import this module only in tests; it imports hypothesis.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from klachtflow.definition.model import Procedure
from klachtflow.exceptions import KlachtflowError
from klachtflow.rules.permissions import Actor

__all__ = ["InvalidStrategyArgument", "actors", "dates", "event_paths"]


class InvalidStrategyArgument(KlachtflowError, ValueError):
    """A strategy was given arguments it cannot satisfy (raised when drawn)."""

    code = "KF-T002"


def dates(
    *,
    min_value: dt.date = dt.date(2000, 1, 1),
    max_value: dt.date = dt.date(2099, 12, 31),
) -> st.SearchStrategy[dt.date]:
    """Calendar dates; the Atw tables cover these years quickly."""
    return st.dates(min_value=min_value, max_value=max_value)


def actors(procedure: Procedure) -> st.SearchStrategy[Actor]:
    """Actors holding one or two roles of the procedure (ids ``<role>.1``)."""
    roles = sorted(procedure.roles)
    return st.lists(st.sampled_from(roles), min_size=1, max_size=2, unique=True).map(
        lambda chosen: Actor(f"{chosen[0]}.1", roles=set(chosen))
    )


@st.composite
def _paths(
    draw: st.DrawFn, procedure: Procedure, min_size: int, max_size: int
) -> list[str]:
    leaf = procedure.entry_leaf(procedure.initial)
    path: list[str] = []
    while len(path) < max_size:
        options = [a.name for a in procedure.actions_from(leaf)]
        if not options:
            break
        if len(path) >= min_size and draw(st.integers(0, 4)) == 0:
            break
        action = procedure.actions[draw(st.sampled_from(sorted(options)))]
        path.append(action.name)
        if action.target is not None:
            leaf = procedure.entry_leaf(action.target)
    if len(path) < min_size:
        msg = f"No path of {min_size} actions from {procedure.initial!r}; the walk ended at {leaf!r}."
        raise InvalidStrategyArgument(msg, hint="Lower min_size.")
    return path


def _invalid(message: str) -> st.SearchStrategy[list[str]]:
    """A strategy that raises when drawn (hypothesis' "deferred errors")."""

    def fail(_: object) -> list[str]:
        raise InvalidStrategyArgument(message, hint="Check min_size and max_size.")

    return st.just(None).map(fail)


def event_paths(
    procedure: Procedure, *, min_size: int = 0, max_size: int | None = None
) -> st.SearchStrategy[list[str]]:
    """Sequences of action names that the state graph allows from the start state.

    Only the graph is followed: roles, data and consent are for the caller
    (see :func:`klachtflow.testing.fire_inputs`).
    """
    upper = 20 if max_size is None else max_size
    if min_size < 0 or upper < min_size:
        msg = f"Need 0 <= min_size <= max_size (got {min_size}, {max_size})."
        return _invalid(msg)
    return _paths(procedure, min_size, upper)
