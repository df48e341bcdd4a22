"""``klachtflow.termijn``: compute one deadline by hand, as the CLI does."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from klachtflow.definition.model import Direction, Duration, TermAnchor
from klachtflow.exceptions import InvalidArgument, KlachtflowError, TermError
from klachtflow.rules import _renamed
from klachtflow.rules._arguments import (
    EARLIEST,
    LATEST,
    MAX_ID_LENGTH,
    check_bool,
    check_date,
    check_instance,
    check_text,
)
from klachtflow.rules.calendar import ATW, WorkingCalendar
from klachtflow.rules.terms import (
    Deadline,
    compute,
    compute_quick,
    extend,
    quick_deadline,
    quick_rule,
)

__all__ = ["parse_date", "parse_duration", "termijn"]

#: The dates ``check_date`` accepts: from ``_FIRST`` up to ``_AFTER``.
_FIRST, _AFTER = EARLIEST.date(), LATEST.date()


def parse_date(value: str | dt.date) -> dt.date:
    """An ISO date (``2026-03-16``) or a date; :class:`TermError` otherwise.

    A value that is neither text nor a date raises :class:`InvalidArgument`.
    """
    if not isinstance(value, str | dt.date):
        raise InvalidArgument(
            parameter="parse_date(value)",
            value=value,
            expected="an ISO date str or a date",
        )
    if isinstance(value, dt.datetime):
        msg = f"Verwacht een datum, geen tijdstip ({value.isoformat()})."
        raise TermError(msg, hint="Geef de datum van de gebeurtenis, bijv. 2026-03-16.")
    if isinstance(value, str):
        return _date_text(value)
    if value.__class__ is dt.date and _FIRST <= value < _AFTER:
        return value
    day: dt.date = check_date("parse_date(value)", value)
    return day


@lru_cache(maxsize=4096)
def _date_text(value: str) -> dt.date:
    """A checked ISO date text as a date (cached: dates are immutable; a
    refusal raises and is not cached)."""
    check_text("parse_date(value)", value, max_length=MAX_ID_LENGTH)
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        msg = f"'{value}' is geen datum."
        raise TermError(msg, hint="Schrijf JJJJ-MM-DD, bijv. 2026-03-16.") from None
    checked: dt.date = check_date("parse_date(value)", day)
    return checked


def parse_duration(value: str | Duration) -> Duration:
    """A duration as in YAML ("6 weken"); :class:`TermError` otherwise.

    A value that is neither text nor a Duration raises :class:`InvalidArgument`.
    """
    if isinstance(value, Duration):
        return value
    if type(value) is str:
        return _duration_text(value)
    check_text("parse_duration(value)", value, max_length=MAX_ID_LENGTH)
    return _duration_text(value)


@lru_cache(maxsize=1024)
def _duration_text(value: str) -> Duration:
    """A checked duration text as a Duration (cached: a Duration is frozen;
    a refusal raises and is not cached)."""
    check_text("parse_duration(value)", value, max_length=MAX_ID_LENGTH)
    try:
        return Duration.parse(value)
    except ValueError:
        msg = f"'{value}' is geen duur."
        raise TermError(
            msg,
            hint="Schrijf een getal en een eenheid, bijv. '6 weken', '5 werkdagen', '1 jaar'.",
        ) from None


@lru_cache(maxsize=1024)
def _text_term(value: str) -> tuple[Duration, Any]:
    """A duration text and its compiled forward Atw term on the Atw calendar
    (None when it has none), cached; a refusal raises and is not cached."""
    length = _duration_text(value)
    return length, quick_rule(length, ATW)


def termijn(
    start: str | dt.date,
    duration: str | Duration | None = None,
    *,
    extension: str | Duration | None = None,
    anchor: str | TermAnchor = TermAnchor.GEKOPPELD,
    atw: bool = True,
    backward: bool = False,
    calendar: WorkingCalendar = ATW,
    **renamed: Any,
) -> Deadline:
    """The deadline of a term of ``duration`` after the event on ``start``.

    ``start`` is the day of the event, which is not counted. ``atw=False``
    switches the Algemene termijnenwet off; ``backward=True`` counts backwards
    (never extended, Atw art 1 lid 2). ``extension`` chains an extension,
    anchored on the Atw-extended end (``gekoppeld``) or the raw end
    (``conservatief``). ``calendar`` is the working-day calendar.

    The Dutch keyword names ``duur``, ``verlenging``, ``anker``, ``terug`` and
    ``kalender`` are deprecated aliases until 0.3.0.

    >>> termijn("2026-03-16", "6 weken").end
    datetime.date(2026, 4, 28)
    """
    if (
        duration.__class__ is str
        and extension is None
        and atw is True
        and backward is False
        and calendar is ATW
        and anchor is TermAnchor.GEKOPPELD
        and not renamed
    ):
        # The common call ("6 weken" after a day, Atw, forward): one cached
        # lookup of the text's compiled term.
        day = parse_date(start)
        length, quick = _text_term(duration)
        if quick is not None:
            try:
                return quick_deadline(day, length, quick)
            except (OverflowError, ValueError):
                pass  # refused below, with the message of the general path
    if renamed:
        given = _renamed.renamed(
            "termijn",
            renamed,
            {
                "duration": duration,
                "extension": extension,
                "anchor": None if anchor is TermAnchor.GEKOPPELD else anchor,
                "backward": backward or None,
                "calendar": None if calendar is ATW else calendar,
            },
        )
        duration, extension = given["duration"], given["extension"]
        anchor = TermAnchor.GEKOPPELD if given["anchor"] is None else given["anchor"]
        backward = bool(given["backward"]) if given["backward"] is not None else False
        calendar = ATW if given["calendar"] is None else given["calendar"]
    if duration is None:
        raise InvalidArgument(
            parameter="termijn(duration)",
            value=duration,
            expected="a duration such as '6 weken' (a str or Duration)",
        )
    day = parse_date(start)
    length = parse_duration(duration)
    more = parse_duration(extension) if extension is not None else None
    check_bool("termijn(atw)", atw)
    check_bool("termijn(backward)", backward)
    check_instance(
        "termijn(calendar)", calendar, WorkingCalendar, "a WorkingCalendar (e.g. ATW)"
    )
    if not isinstance(anchor, str | TermAnchor):
        raise InvalidArgument(
            parameter="termijn(anchor)",
            value=anchor,
            expected="'gekoppeld' or 'conservatief' (a str or TermAnchor)",
        )
    try:
        mode = TermAnchor(anchor) if isinstance(anchor, str) else anchor
    except ValueError:
        msg = f"'{anchor}' is geen anker."
        raise TermError(msg, hint="Kies gekoppeld of conservatief.") from None
    direction = Direction.TERUG if backward else Direction.VOORUIT
    try:
        return _compute(day, length, more, mode, direction, atw, calendar)
    except (OverflowError, ValueError) as error:
        if isinstance(error, KlachtflowError):
            raise
        msg = f"De termijn van {length} na {day.isoformat()} valt buiten de kalender."
        raise TermError(
            msg, hint="Kies een kortere duur of een andere datum."
        ) from None


def _compute(  # noqa: PLR0917 - the arguments of termijn, checked
    day: dt.date,
    duration: Duration,
    extension: Duration | None,
    mode: TermAnchor,
    direction: Direction,
    atw: bool,
    kalender: WorkingCalendar,
) -> Deadline:
    terug = direction is Direction.TERUG
    if extension is None and atw and not terug:
        return compute_quick(day, duration, calendar=kalender)
    deadline = compute(
        day,
        duration,
        calendar=kalender,
        atw=None if atw else False,
        direction=direction,
    )
    if extension is not None:
        if terug:
            msg = "Een terugrekenende termijn kan niet worden verlengd."
            raise TermError(msg, hint="Laat --verlenging weg of reken vooruit.")
        deadline = extend(
            deadline,
            extension,
            anchor=mode,
            calendar=kalender,
            atw=None if atw else False,
        )
    return deadline
