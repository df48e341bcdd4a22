"""The history format: what an event's hash is taken over.

Stored hash chains depend on this format, so it is pinned twice: a known
event hashes to a known digest, and the fast encoder the engine uses gives
exactly the bytes of the documented one (``json.dumps`` of the hashed values
as one array, keys sorted, compact, UTF-8) for any values.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from klachtflow import Event
from klachtflow.engine._seal import canonical, hashed_values, json_value
from klachtflow.engine.case import FrozenMap

AT = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
KNOWN = Event.sealed(
    2,
    "plan_gesprek",
    "onvrede",
    "gesprek",
    "m.devries",
    "klachtencoordinator",
    AT,
    dt.date(2026, 3, 2),
    "gemeente-awb",
    "1.0",
    "sha256:" + "a" * 64,
    "b" * 64,
    {
        "kanaal": (None, "e-mail"),
        "datum": (dt.date(2026, 3, 1), dt.date(2026, 3, 2)),
        "n": (1, 2.5),
        "lijst": (None, ["x", True]),
    },
    'Reden met "quote" en é\n',
    {"klager": "brief-1", "beklaagde": None},
    ("klager", "beklaagde"),
    "gegrond",
    {"eerste_contact": "gestopt op 2026-03-02"},
)


def documented_hash(event: Event) -> str:
    values = list(event.payload().values())
    text = json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_a_known_event_keeps_its_known_hash() -> None:
    # Computed when the format was fixed; a change here breaks every stored chain.
    assert (
        KNOWN.hash == "318f2e4ee3b8ae0075b923fceb8a11bc6709c65004fd03d07add8bef6c0c5e9e"
    )
    assert KNOWN.compute_hash() == KNOWN.hash
    assert documented_hash(KNOWN) == KNOWN.hash


json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text()
    | st.dates()
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
optional_text = st.none() | st.text()


@given(
    seq=st.integers(min_value=1),
    names=st.lists(st.text(), min_size=8, max_size=8),
    optional=st.lists(optional_text, min_size=4, max_size=4),
    at=st.datetimes(timezones=st.just(dt.UTC)),
    changes=st.dictionaries(st.text(), st.tuples(json_values, json_values), max_size=4),
    consent=st.dictionaries(st.text(), optional_text, max_size=3),
    notified=st.lists(st.text(), max_size=3).map(tuple),
    terms=st.dictionaries(st.text(), st.text(), max_size=3),
)
def test_the_fast_encoder_writes_the_documented_json(  # noqa: PLR0917 - one strategy per field kind
    seq: int,
    names: list[str],
    optional: list[str | None],
    at: dt.datetime,
    changes: dict[str, tuple[Any, Any]],
    consent: dict[str, str | None],
    notified: tuple[str, ...],
    terms: dict[str, str],
) -> None:
    action, to_state, actor, procedure, version, digest, prev, _ = names
    from_state, role, reason, result = optional
    values = (
        seq,
        action,
        from_state,
        to_state,
        actor,
        role,
        at,
        at.date(),
        procedure,
        version,
        digest,
        prev,
        FrozenMap(changes),
        reason,
        FrozenMap(consent),
        notified,
        result,
        FrozenMap(terms),
    )
    # The documented form, spelled out here with plain JSON types.
    plain = [
        seq,
        action,
        from_state,
        to_state,
        actor,
        role,
        at.isoformat(),
        at.date().isoformat(),
        procedure,
        version,
        digest,
        prev,
        {k: [json_value(o), json_value(n)] for k, (o, n) in changes.items()},
        reason,
        dict(consent),
        list(notified),
        result,
        dict(terms),
    ]
    documented = json.dumps(
        plain, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    assert canonical(hashed_values(*values)) == documented
