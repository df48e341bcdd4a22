"""One Dutch way to write numbers, shares, dates and durations, for every output.

Tables, charts, CSV and JSON labels all go through these functions, so a
figure reads the same wherever it appears: ``14.490``, ``36,0%``,
``13 april 2026``, ``6 weken``. Dates and durations come from pendulum with
locale ``nl``.
"""

from __future__ import annotations

import datetime as dt

import pendulum

from klachtflow.definition.model import Duration, Unit
from klachtflow.insight.report import Count

__all__ = [
    "HIDDEN_MARK",
    "NOT_COMPUTABLE",
    "count",
    "date",
    "duration",
    "number",
    "percent",
    "share",
]

#: The mark of a count hidden to protect another, small, count (secondary
#: suppression). "x" is the mark Statistics Netherlands (CBS) uses for a
#: figure kept secret; "<5" is reserved for counts that really are below 5.
HIDDEN_MARK = "x"
#: A share or difference that cannot be computed (its total is hidden or 0).
NOT_COMPUTABLE = "—"

#: Units pendulum writes as given; it would turn "42 dagen" into "6 weken" and
#: "48 uur" into "2 dagen", which is not how the law counts them.
_PENDULUM_UNITS = {
    Unit.WEKEN: "weeks",
    Unit.MAANDEN: "months",
    Unit.JAREN: "years",
}


def number(value: float, decimals: int = 0) -> str:
    """A Dutch number: ``14.490``, ``-3``, ``12,5`` (``decimals`` after the comma)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def count(value: Count) -> str:
    """A count as the report shows it: ``72``, ``<5`` (small) or ``x`` (protective)."""
    if value.value is not None:
        return number(value.value)
    return HIDDEN_MARK if value.secondary else f"<{value.threshold}"


def percent(fraction: float | None) -> str:
    """A fraction as a Dutch percentage, always one decimal: ``36,0%``, ``4,2%``."""
    if fraction is None:
        return NOT_COMPUTABLE
    return f"{number(100 * fraction, 1)}%"


def share(part: Count, whole: Count) -> str:
    """``part`` as a percentage of ``whole``, or ``—`` when either is hidden or 0."""
    return percent(part.share_of(whole))


def date(day: dt.date) -> str:
    """A date as Dutch readers write it: ``13 april 2026``."""
    return pendulum.date(day.year, day.month, day.day).format(
        "D MMMM YYYY", locale="nl"
    )


def duration(length: Duration) -> str:
    """A term length in Dutch words: ``6 weken``, ``1 jaar``, ``5 werkdagen``."""
    unit = _PENDULUM_UNITS.get(length.unit)
    if unit is None:  # days, working days, hours: written as the law counts them
        return str(length)
    words: str = pendulum.duration(**{unit: length.amount}).in_words(locale="nl")
    return words if words.startswith(f"{length.amount} ") else str(length)
