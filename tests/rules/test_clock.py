"""Injected clocks and the legal date of a moment (Europe/Amsterdam)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from klachtflow.rules.clock import FixedClock, SystemClock, legal_date, to_utc

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# hypothesis bounds are naive; the strategy adds the time zone.
FROM_1900 = dt.datetime(1900, 1, 1)  # noqa: DTZ001
FROM_1970 = dt.datetime(1970, 1, 1)  # noqa: DTZ001
UNTIL_2100 = dt.datetime(2100, 1, 1)  # noqa: DTZ001
UNTIL_2200 = dt.datetime(2200, 1, 1)  # noqa: DTZ001
NAIVE = dt.datetime(2026, 3, 2, 10)  # noqa: DTZ001 - the mistake under test


def test_a_receipt_late_in_the_evening_counts_on_the_amsterdam_date() -> None:
    # Awb 2:20 lid 1: "Een elektronisch bericht [...] geldt als ontvangen op het
    # tijdstip waarop het bericht het systeem voor gegevensverwerking heeft
    # bereikt" - taken in Dutch time, so 23:30 UTC on 31 March is 1 April.
    assert legal_date(dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.UTC)) == dt.date(
        2026, 4, 1
    )
    # Winter time: 23:30 UTC on 5 January is 00:30 on 6 January.
    assert legal_date(dt.datetime(2026, 1, 5, 23, 30, tzinfo=dt.UTC)) == dt.date(
        2026, 1, 6
    )
    # Summer time: 22:00 UTC is already midnight.
    assert legal_date(dt.datetime(2026, 7, 1, 22, 0, tzinfo=dt.UTC)) == dt.date(
        2026, 7, 2
    )
    assert legal_date(dt.datetime(2026, 7, 1, 21, 59, tzinfo=dt.UTC)) == dt.date(
        2026, 7, 1
    )


@given(
    st.datetimes(
        min_value=FROM_1900,
        max_value=UNTIL_2200,
        timezones=st.just(dt.UTC),
    )
)
def test_the_legal_date_is_the_amsterdam_date_for_any_utc_moment(
    moment: dt.datetime,
) -> None:
    assert legal_date(moment) == moment.astimezone(AMSTERDAM).date()


@given(
    st.datetimes(
        min_value=FROM_1970,
        max_value=UNTIL_2100,
        timezones=st.sampled_from(
            [dt.UTC, AMSTERDAM, ZoneInfo("America/New_York"), ZoneInfo("Asia/Tokyo")]
        ),
    )
)
def test_any_aware_moment_gets_its_amsterdam_date(moment: dt.datetime) -> None:
    assert legal_date(moment) == moment.astimezone(AMSTERDAM).date()
    assert legal_date(to_utc(moment)) == legal_date(moment)


def test_naive_moments_are_refused_with_a_hint() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        legal_date(NAIVE)
    with pytest.raises(ValueError, match=r"pendulum\.datetime"):
        to_utc(NAIVE)


def test_to_utc_gives_a_plain_utc_datetime() -> None:
    moment = to_utc(pendulum.datetime(2026, 3, 2, 10, tz="Europe/Amsterdam"))
    assert type(moment) is dt.datetime
    assert moment.tzinfo is dt.UTC
    assert moment == dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    assert to_utc(moment) is moment


def test_clocks_give_utc_moments() -> None:
    now = SystemClock().now()
    assert now.tzinfo is not None
    assert now.utcoffset() == dt.timedelta(0)
    fixed = FixedClock(pendulum.datetime(2026, 3, 16, 9, tz="Europe/Amsterdam"))
    assert fixed.now() == dt.datetime(2026, 3, 16, 8, tzinfo=dt.UTC)
    assert fixed.advance(days=1).now() == dt.datetime(2026, 3, 17, 8, tzinfo=dt.UTC)
