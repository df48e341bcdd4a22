"""Injected clocks: where "now" comes from, and the legal date of a moment.

Nothing in klachtflow reads the system time except :class:`SystemClock`; tests
and imports pass a :class:`FixedClock` or explicit timestamps. Legal dates are
taken in Europe/Amsterdam: a complaint received at 23:30 UTC on 31 March is
received on 1 April (Awb 2:20 lets the electronic receipt moment count).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Protocol, runtime_checkable
from zoneinfo import ZoneInfo

import attrs

__all__ = [
    "LEGAL_TIMEZONE",
    "Clock",
    "FixedClock",
    "SystemClock",
    "legal_date",
    "to_utc",
]

LEGAL_TIMEZONE = "Europe/Amsterdam"
_AMSTERDAM = ZoneInfo(LEGAL_TIMEZONE)
#: Before this hour (UTC) a moment falls on the same date in Amsterdam.
_SAME_DAY_BEFORE = 22


@runtime_checkable
class Clock(Protocol):
    """Anything that tells the current moment as a timezone-aware datetime."""

    def now(self) -> dt.datetime:
        """The current moment, timezone-aware."""
        ...


def to_utc(moment: dt.datetime) -> dt.datetime:
    """A timezone-aware moment in UTC; naive datetimes are refused."""
    if moment.__class__ is dt.datetime and moment.tzinfo is dt.UTC:
        return moment  # already what comes out below (every engine moment)
    if moment.tzinfo is None or moment.utcoffset() is None:
        msg = (
            f"'at' must be a timezone-aware datetime (got {moment.isoformat()} without "
            "a timezone); use e.g. pendulum.datetime(..., tz='Europe/Amsterdam')."
        )
        raise ValueError(msg)
    utc = moment.astimezone(dt.UTC)
    # A plain stdlib datetime, whatever came in (pendulum, zoneinfo, ...).
    return dt.datetime(
        utc.year,
        utc.month,
        utc.day,
        utc.hour,
        utc.minute,
        utc.second,
        utc.microsecond,
        tzinfo=dt.UTC,
    )


def legal_date(moment: dt.datetime) -> dt.date:
    """The calendar date of ``moment`` in Europe/Amsterdam."""
    # zoneinfo caches the zone; pendulum's in_timezone re-reads it on every call,
    # which made this the hottest line of Engine.fire.
    if moment.tzinfo is dt.UTC and moment.hour < _SAME_DAY_BEFORE:
        # Amsterdam is never more than two hours ahead of UTC (and never
        # behind), so before 22:00 UTC the local date is the UTC date.
        return _day(moment.year, moment.month, moment.day)
    if moment.tzinfo is None or moment.utcoffset() is None:
        to_utc(moment)  # raises the clear error for naive datetimes
    local = moment.astimezone(_AMSTERDAM)
    return _day(local.year, local.month, local.day)


@lru_cache(maxsize=4096)
def _day(year: int, month: int, day: int) -> dt.date:
    # Cases of the same day share one date object (32 bytes per event saved).
    return dt.date(year, month, day)


@attrs.frozen
class SystemClock:
    """The real time, in UTC."""

    def now(self) -> dt.datetime:
        """The current moment."""
        return dt.datetime.now(dt.UTC)


@attrs.define
class FixedClock:
    """A clock that stands still until told to move: for tests and replays.

    >>> clock = FixedClock(pendulum.datetime(2026, 3, 16, 9, tz="Europe/Amsterdam"))
    >>> clock.advance(days=1).now().isoformat()
    '2026-03-17T08:00:00+00:00'
    """

    at: dt.datetime = attrs.field(converter=to_utc)

    def now(self) -> dt.datetime:
        """The fixed moment."""
        return self.at

    def advance(self, **delta: float) -> FixedClock:
        """Move forward by ``timedelta(**delta)``; returns the clock itself."""
        self.at = self.at + dt.timedelta(**delta)
        return self
