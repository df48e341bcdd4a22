"""Easter comes from dateutil; it matches the computus klachtflow used before.

Atw art 3 lid 1 names tweede Paasdag, Hemelvaartsdag and tweede Pinksterdag,
all counted from Easter Sunday, so a wrong Easter moves four holidays.
"""

from __future__ import annotations

import datetime as dt

from klachtflow.rules.calendar import easter_sunday


def _meeus(year: int) -> dt.date:
    """The Meeus/Jones/Butcher computus (klachtflow's own before dateutil)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def test_dateutil_matches_the_computus_for_every_gregorian_year() -> None:
    """Same Easter Sunday for 1583 to 4099, the range the computus is known for."""
    assert [] == [y for y in range(1583, 4100) if easter_sunday(y) != _meeus(y)]


def test_known_dates() -> None:
    """Easter 2026 is 5 April, 2027 is 28 March (as published)."""
    assert dt.date(2026, 4, 5) == easter_sunday(2026)
    assert dt.date(2027, 3, 28) == easter_sunday(2027)
