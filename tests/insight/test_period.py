"""Report periods: years, half years and quarters, and the ones before them."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klachtflow.insight import Period, parse_period
from klachtflow.rules.period import InvalidPeriod

periods = st.builds(
    lambda year, kind, part: Period(
        year, kind, min(part, {"J": 1, "H": 2, "Q": 4}[kind])
    ),
    st.integers(1990, 2100),
    st.sampled_from("JHQ"),
    st.integers(1, 4),
)


class TestParse:
    @pytest.mark.parametrize(
        ("text", "first", "last"),
        [
            ("2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
            ("2026-H1", dt.date(2026, 1, 1), dt.date(2026, 6, 30)),
            ("2026-h2", dt.date(2026, 7, 1), dt.date(2026, 12, 31)),
            ("2026-Q3", dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
            ("2024-Q1", dt.date(2024, 1, 1), dt.date(2024, 3, 31)),
        ],
    )
    def test_bounds(self, text: str, first: dt.date, last: dt.date) -> None:
        """Each form covers exactly its calendar days."""
        period = parse_period(text)

        assert (first, last) == (period.first, period.last)

    @pytest.mark.parametrize("text", ["2026-Q5", "26", "2026-M1", "Q3-2026", ""])
    def test_wrong_period_says_how(self, text: str) -> None:
        """A wrong period names itself and the forms that work."""
        with pytest.raises(InvalidPeriod) as info:
            parse_period(text)

        assert "2026-Q3" in (info.value.hint or "")


class TestSequence:
    def test_previous_of_first_quarter_is_last_of_year_before(self) -> None:
        """The trend of 2026-Q1 compares with 2025-Q4."""
        assert "2025-Q4" == parse_period("2026-Q1").previous().label

    @given(periods)
    def test_periods_tile_the_calendar(self, period: Period) -> None:
        """A period ends the day before the next one starts; previous undoes next."""
        assert period.last + dt.timedelta(days=1) == period.next().first
        assert period == period.next().previous()
        assert period == parse_period(period.label)

    @given(periods, st.integers(1, 8))
    def test_preceding_ends_with_the_period(self, period: Period, count: int) -> None:
        """preceding(n) is n consecutive periods, oldest first, ending with this one."""
        run = period.preceding(count)

        assert count == len(run)
        assert period == run[-1]
        assert all(a.next() == b for a, b in itertools.pairwise(run))
