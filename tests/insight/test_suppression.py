"""Small counts are suppressed so nobody can be recognised, also by subtraction."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from klachtflow.insight.report import Count, suppress


class TestSuppress:
    def test_small_counts_hidden(self) -> None:
        """Counts from 1 to threshold-1 are hidden; 0 and larger counts are shown."""
        cells = suppress([0, 1, 4, 5, 30, 2], 5)

        assert ["0", "<5", "<5", "5", "30", "<5"] == [str(c) for c in cells]

    def test_single_hidden_cell_takes_a_second_one(self) -> None:
        """With one hidden cell the total would give it away, so the smallest other goes too."""
        cells = suppress([3, 40, 12], 5)

        assert [None, 40, None] == [c.value for c in cells]

    def test_hidden_count_does_not_hold_its_value(self) -> None:
        """A suppressed Count cannot leak its value: there is none."""
        (cell,) = suppress([2], 5)

        assert Count(None, 5) == cell
        assert cell.suppressed
        assert cell.share_of(Count(10, 5)) is None

    @given(st.lists(st.integers(0, 60), max_size=12), st.integers(1, 11))
    def test_no_small_count_and_never_one_hidden_alone(
        self, values: list[int], threshold: int
    ) -> None:
        """No visible cell is below the threshold, and a lone hidden cell has company."""
        cells = suppress(values, threshold)
        hidden = [c for c in cells if c.suppressed]
        others = [v for v in values if v >= threshold]

        assert all(
            c.value is None or c.value == 0 or c.value >= threshold for c in cells
        )
        assert len(hidden) != 1 or not others
        assert [v for v, c in zip(values, cells, strict=True) if not c.suppressed] == [
            c.value for c in cells if not c.suppressed
        ]
