"""Calendar periods: a year (2026), a half year (2026-H1) or a quarter (2026-Q3).

Used by the audit (``klachtflow audit --periode``) and the reports
(``klachtflow rapport --periode``).
"""

from __future__ import annotations

import datetime as dt
import re

import attrs

from klachtflow.exceptions import KlachtflowError

__all__ = ["InvalidPeriod", "Period", "parse_period"]

_PARTS = {"J": 1, "H": 2, "Q": 4}


class InvalidPeriod(KlachtflowError, ValueError):
    """A period that is not 2026, 2026-H1 or 2026-Q3."""

    code = "KF-C002"

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__(
            f"'{text}' is geen periode.",
            hint="Schrijf een jaar (2026), een halfjaar (2026-H1) of een kwartaal (2026-Q3).",
        )


@attrs.frozen
class Period:
    """One calendar period; ``part`` counts from 1 within the year."""

    year: int
    kind: str  # "J" (jaar), "H" (halfjaar) or "Q" (kwartaal)
    part: int = 1

    @property
    def label(self) -> str:
        """As written on the command line: 2026, 2026-H1, 2026-Q3."""
        return (
            str(self.year)
            if self.kind == "J"
            else f"{self.year}-{self.kind}{self.part}"
        )

    @property
    def first(self) -> dt.date:
        """The first day of the period."""
        months = 12 // _PARTS[self.kind]
        return dt.date(self.year, (self.part - 1) * months + 1, 1)

    @property
    def last(self) -> dt.date:
        """The last day of the period."""
        return self.next().first - dt.timedelta(days=1)

    def next(self) -> Period:
        """The period right after this one."""
        if self.part == _PARTS[self.kind]:
            return Period(self.year + 1, self.kind, 1)
        return Period(self.year, self.kind, self.part + 1)

    def previous(self) -> Period:
        """The period right before this one (the base of the trend)."""
        if self.part == 1:
            return Period(self.year - 1, self.kind, _PARTS[self.kind])
        return Period(self.year, self.kind, self.part - 1)

    def preceding(self, count: int) -> tuple[Period, ...]:
        """``count`` periods ending with this one, oldest first."""
        periods = [self]
        while len(periods) < count:
            periods.append(periods[-1].previous())
        return tuple(reversed(periods))

    def contains(self, day: dt.date) -> bool:
        """True when ``day`` falls in the period."""
        return self.first <= day <= self.last


def parse_period(text: str) -> Period:
    """'2026', '2026-H1' or '2026-Q3' → :class:`Period`; :class:`InvalidPeriod` otherwise."""
    match = re.fullmatch(r"(\d{4})(?:-(H[12]|Q[1-4]))?", text.strip().upper())
    if match is None:
        raise InvalidPeriod(text)
    year = int(match.group(1))
    part = match.group(2)
    if part is None:
        return Period(year, "J")
    return Period(year, part[0], int(part[1]))
