"""Hypothesis strategies for hostile arguments: wrong types, hostile strings,
datetimes of every kind and nested garbage.

Mixed with valid but unusual values (capitals, combining marks, the longest
allowed ids), so the fuzz tests see successes too and can check that what
was accepted reads back equal and verified.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

#: Every code point, surrogates and NUL included.
ANY_CHARACTER = st.characters(codec=None, exclude_categories=())

SPECIAL_STRINGS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfff",
    "\ud83d\ude00",  # a surrogate pair as two code points: not UTF-8 either
    "\u200bj.smit",
    "j.smit\u200d",
    "\x1b[31mrood",
    "tab\there\nnewline",
    "J.Smit",
    " j.smit ",
    "Ｊ.Ｓｍｉｔ",
    "ǅ",
    "ß" * 60,  # casefolds to 120 characters
    "e\u0301" * 50,
    "x" * 100,
    "x" * 101,
    "x" * 201,
    "é" * 100_000,
    "é" * 100_001,
    "'; DROP TABLE kf_cases; --",
    "\U0001f600 klacht",
    "NaN",
    "2026-13-45",
    "9999-12-31",
    "0001-01-01",
    "6 weken",
    "999999999 jaar",
    "-1 dagen",
]

hostile_strings = st.one_of(
    st.sampled_from(SPECIAL_STRINGS),
    st.text(ANY_CHARACTER, max_size=40),
    st.text(max_size=20),
)

ZONES = st.sampled_from(
    [
        dt.UTC,
        dt.timezone(dt.timedelta(hours=14)),
        dt.timezone(-dt.timedelta(hours=23, minutes=59)),
        dt.timezone(dt.timedelta(hours=1)),
    ]
)

datetimes = st.one_of(
    st.datetimes(),  # naive
    st.datetimes(timezones=ZONES),  # aware, year 1 to 9999
    st.datetimes(
        min_value=dt.datetime(2020, 1, 1),  # noqa: DTZ001 - hypothesis wants naive bounds
        max_value=dt.datetime(2030, 1, 1),  # noqa: DTZ001
        timezones=ZONES,
    ),
    st.sampled_from(
        [
            dt.datetime(9999, 12, 31, 23, tzinfo=dt.UTC),
            dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1))),
            dt.datetime(2999, 12, 31, 23, 59, tzinfo=dt.UTC),
        ]
    ),
)

dates = st.one_of(
    st.dates(),
    st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 1, 1)),
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),
    st.binary(max_size=10),
    st.complex_numbers(),
    hostile_strings,
    datetimes,
    dates,
    st.just(dt.timedelta(days=1)),
    st.just(object()),
    st.just(Ellipsis),
)

garbage: st.SearchStrategy[Any] = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.frozensets(st.text(max_size=5), max_size=3),
        st.dictionaries(st.one_of(hostile_strings, st.integers()), inner, max_size=4),
    ),
    max_leaves=12,
)


def values_like(*valid: Any) -> st.SearchStrategy[Any]:
    """Garbage, or one of the valid values (so successes happen as well)."""
    return st.one_of(st.sampled_from(valid), garbage) if valid else garbage
