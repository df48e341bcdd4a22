"""The seal's fast paths write exactly the canonical text the encoder writes.

Stored chains depend on the canonical form (``klachtflow.engine._seal``): an
event's personal commitment, the clocks digest and a batch's default ids are
built without the JSON encoder on the common path (issue #15), and must give
the same bytes as the general path on every input, not only the common one.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from klachtflow import builtin_procedure
from klachtflow.definition.model import Duration
from klachtflow.engine._batch import uuids
from klachtflow.engine._seal import (
    clocks_digest,
    commitment,
    personal_commitment,
    personal_values,
)
from klachtflow.engine.case import EMPTY, FrozenMap, ledgers_digest
from klachtflow.engine.lifecycle import became_formal
from klachtflow.rules.clocks import (
    DelayStep,
    ExtensionStep,
    Suspension,
    TermClock,
    clock_ledger,
)

PROCEDURE = builtin_procedure("gemeente-awb")
TERMS = tuple(PROCEDURE.terms.values())

text = st.text(max_size=12)
names = st.text(min_size=1, max_size=12)
optional_text = st.none() | text
days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31))


@given(
    salt=st.text(alphabet="0123456789abcdef", min_size=32, max_size=32),
    actor=names,
    reason=optional_text,
    changes=st.dictionaries(names, st.tuples(optional_text, optional_text), max_size=2)
    | st.just(EMPTY),
    consent=st.dictionaries(names, optional_text, max_size=2) | st.just(EMPTY),
    notified=st.lists(names, max_size=2).map(tuple),
    parties=st.none() | st.dictionaries(names, st.lists(names, max_size=2).map(tuple)),
)
def test_the_personal_commitment_is_the_encoders(  # noqa: PLR0917 - one strategy per value
    salt: str,
    actor: str,
    reason: str | None,
    changes: dict[str, tuple[Any, Any]],
    consent: dict[str, str | None],
    notified: tuple[str, ...],
    parties: dict[str, tuple[str, ...]] | None,
) -> None:
    expected = commitment(
        salt, personal_values(actor, reason, changes, consent, notified, parties)
    )
    assert (
        personal_commitment(salt, actor, reason, changes, consent, notified, parties)
        == expected
    )


def test_an_actor_only_commitment_is_the_encoders_for_any_actor_text() -> None:
    # The fast path itself (no reason, changes, consent, notice, parties), with
    # text the encoder must escape: quotes, backslashes, control characters, é.
    for actor in ['a"b', "a\\b", "a\nb", "é.de.vries", "\x00", "m.devries"]:
        assert personal_commitment("0" * 32, actor, None, EMPTY, EMPTY, (), None) == (
            commitment("0" * 32, personal_values(actor, None, EMPTY, EMPTY, (), None))
        )


suspensions = st.lists(
    st.builds(Suspension, days, st.none() | days, optional_text), max_size=2
).map(tuple)
extensions = st.lists(
    st.builds(
        ExtensionStep,
        st.sampled_from([Duration.parse("4 weken"), Duration.parse("5 werkdagen")]),
        days,
        st.lists(names, max_size=2).map(tuple),
        st.booleans(),
        optional_text,
    ),
    max_size=2,
).map(tuple)
delays = st.lists(
    st.builds(
        DelayStep, days, days, st.lists(names, max_size=2).map(tuple), optional_text
    ),
    max_size=1,
).map(tuple)
clocks = st.builds(
    TermClock,
    st.sampled_from(TERMS),
    days,
    suspensions=suspensions | st.just(()),
    extensions=extensions | st.just(()),
    delays=delays | st.just(()),
    stopped_on=st.none() | days,
)


@given(st.dictionaries(names, clocks, max_size=4))
def test_the_clocks_digest_is_the_encoders(found: dict[str, TermClock]) -> None:
    expected = clocks_digest({name: clock_ledger(c) for name, c in found.items()})
    assert ledgers_digest(FrozenMap(found)) == expected


def test_batch_ids_are_random_version_4_uuids() -> None:
    made = list(uuids(2_000))
    assert len(set(made)) == len(made)
    for text_id in made:
        parsed = uuid.UUID(text_id)
        assert parsed.version == 4
        assert parsed.variant == uuid.RFC_4122
        assert str(parsed) == text_id
    # Each of the four variant nibbles occurs (the two low bits are random).
    assert {text_id[19] for text_id in made} == set("89ab")


def _became_formal_by_scanning(states: list[str]) -> bool:
    """The rule as written before the formal states were computed once."""
    tagged = {n for n, s in PROCEDURE.states.items() if "formeel" in s.tags}
    return any(tagged.intersection(state.split(".")) for state in states)


class _Event:
    def __init__(self, to_state: str) -> None:
        self.to_state = to_state


class _Case:
    def __init__(self, states: list[str]) -> None:
        self.history = tuple(_Event(s) for s in states)


# Events record the state's dotted path (``formele_klacht.ontvangen``).
PATHS = sorted(s.path for s in PROCEDURE.states.values())


@given(st.lists(st.sampled_from(PATHS), min_size=1, max_size=6))
def test_formal_states_mean_what_the_tags_say(states: list[str]) -> None:
    assert became_formal(_Case(states), PROCEDURE) is _became_formal_by_scanning(  # type: ignore[arg-type]
        states
    )


def test_a_state_nested_in_a_formal_state_is_formal() -> None:
    assert "formele_klacht.advies" in PROCEDURE.formal_states
    assert "onvrede" not in PROCEDURE.formal_states
    assert became_formal(_Case(["onvrede", "formele_klacht.ontvangen"]), PROCEDURE)  # type: ignore[arg-type]
    assert not became_formal(_Case(["onvrede", "gesprek"]), PROCEDURE)  # type: ignore[arg-type]
