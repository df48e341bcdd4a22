"""Organisation identifiers: the RSIN with its elfproef, the OIN."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klachtflow import InvalidArgument
from klachtflow.rules.identifiers import check_organisation_id, is_oin, is_rsin


def _check_digit(first8: str) -> int | None:
    """The ninth digit that makes ``first8`` pass the elfproef (None if none does)."""
    total = sum(w * int(d) for w, d in zip(range(9, 1, -1), first8, strict=True))
    last = total % 11
    return last if last < 10 else None


class TestRsin:
    def test_a_real_rsin_passes(self) -> None:
        """002220647 (the RSIN in the ZGW examples) passes the elfproef."""
        assert is_rsin("002220647")

    def test_one_changed_digit_fails(self) -> None:
        """The elfproef catches every single changed digit: 002220648 fails."""
        assert not is_rsin("002220648")

    @pytest.mark.parametrize(
        "value", ["00222064", "0022206470", "00222064a", 2220647, "", "000000000"]
    )
    def test_not_nine_digits_or_all_zero_fails(self, value: object) -> None:
        """Eight or ten digits, a letter, an int, empty, or the all-zero number."""
        assert not is_rsin(value)

    @given(st.text(alphabet="0123456789", min_size=8, max_size=8))
    def test_the_check_digit_decides(self, first8: str) -> None:
        """For any first eight digits, exactly the elfproef check digit passes."""
        digit = _check_digit(first8)
        passing = {d for d in range(10) if is_rsin(first8 + str(d))}
        expected = set() if digit is None or first8 + str(digit) == "0" * 9 else {digit}

        assert expected == passing

    @given(
        st.text(alphabet="0123456789", min_size=9, max_size=9),
        st.integers(0, 8),
        st.integers(1, 9),
    )
    def test_no_single_digit_change_keeps_it_valid(
        self, number: str, index: int, shift: int
    ) -> None:
        """Weights 9..2 and -1 are all non-zero mod 11: a changed digit always fails."""
        changed = (
            number[:index]
            + str((int(number[index]) + shift) % 10)
            + number[index + 1 :]
        )
        assert not (is_rsin(number) and is_rsin(changed))


class TestOin:
    def test_twenty_digits_pass(self) -> None:
        """An OIN is twenty digits (e.g. 00000001002220647000)."""
        assert is_oin("00000001002220647000")

    @pytest.mark.parametrize("value", ["0000000100222064700", "0000000100222064700a"])
    def test_other_lengths_or_letters_fail(self, value: str) -> None:
        assert not is_oin(value)


class TestCheck:
    def test_accepts_rsin_and_oin(self) -> None:
        assert "002220647" == check_organisation_id("p", "002220647")
        assert "00000001002220647000" == check_organisation_id(
            "p", "00000001002220647000"
        )

    def test_refuses_with_a_dutch_hint(self) -> None:
        with pytest.raises(InvalidArgument) as info:
            check_organisation_id("scoped(organisation)", "123456789")

        assert "scoped(organisation)" == info.value.parameter
        assert "RSIN" in (info.value.hint or "")
