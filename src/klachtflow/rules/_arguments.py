"""The checks every public entry point runs on its arguments, and their limits.

One place for the rules that make an accepted value safe to hash, store and
read back equal on every backend (SQLite, PostgreSQL):

- **Text** (reasons, references, data values) is a ``str`` of at most
  :data:`MAX_TEXT_LENGTH` characters without NUL, unpaired surrogates or
  other control characters than tab, newline and carriage return. PostgreSQL
  refuses NUL in text and JSON, and no surrogate can be encoded as UTF-8, so
  both are refused everywhere, before anything is hashed.
- **Names** (case ids, roles, actions, terms, worker ids) are text of 1 to
  :data:`MAX_ID_LENGTH` characters without any control or format character,
  kept exactly as given.
- **Person ids** (an actor's id, the people of a party role) follow the name
  rule and are normalised by :func:`normalise_id`: Unicode NFKC, case folded,
  surrounding white space removed. ``"J.Smit"``, ``" j.smit"`` and the
  full-width ``"Ｊ.Ｓｍｉｔ"`` are one person, so the separation of duties of
  Awb 9:7 compares people, not spellings. They are stored normalised.
- **Moments** are timezone-aware ``datetime`` values between
  :data:`EARLIEST` and :data:`LATEST`; **dates** lie in the same range.

A refusal is an :class:`~klachtflow.exceptions.InvalidArgument` naming the
parameter, the value and what is expected. The storage schema's columns are
at least as wide as these limits (``tests/storage/test_arguments.py`` checks).
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from klachtflow.exceptions import InvalidArgument

__all__ = [
    "EARLIEST",
    "LATEST",
    "MAX_ID_LENGTH",
    "MAX_TEXT_LENGTH",
    "check_bool",
    "check_date",
    "check_instance",
    "check_int",
    "check_mapping",
    "check_moment",
    "check_name",
    "check_names",
    "check_person",
    "check_text",
    "check_value",
    "check_values",
    "normalise_id",
    "plain_names",
]

#: The longest id (case, person, role, action, term, worker), in characters.
MAX_ID_LENGTH = 100
#: The longest free text (a reason, a reference, a text value), in characters.
MAX_TEXT_LENGTH = 100_000
#: The earliest and (exclusive) latest moment and date klachtflow accepts:
#: wide enough for any case, far enough from the calendar's ends that terms
#: and retention periods of years can be added without overflow.
EARLIEST = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(3000, 1, 1, tzinfo=dt.UTC)
#: Numbers a data value may hold: integers within 53 bits (exact in JSON
#: everywhere) and floats whose shortest form has no exponent (PostgreSQL's
#: JSONB writes numbers without one, so those would not read back equal).
MAX_INT = 2**53
_FLOAT_RANGE = (1e-4, 1e16)

#: The most entries a list or mapping argument may have.
MAX_ITEMS = 1000

_FREE_CONTROLS = frozenset("\t\n\r")
_T = TypeVar("_T")


def _text_problem(value: str, *, name: bool) -> str | None:
    """Why ``value`` breaks the text (or, with ``name``, the name) rule, or None."""
    # Fast path: printable text has no control, format, private-use,
    # unassigned or surrogate code points (nor line separators).
    if value.isprintable():
        return None
    for index, char in enumerate(value):
        code = ord(char)
        if 0xD800 <= code <= 0xDFFF:
            return f"an unpaired surrogate U+{code:04X} at position {index}"
        if code == 0:
            return f"a NUL character at position {index}"
        category = unicodedata.category(char)
        if category == "Cc" and (name or char not in _FREE_CONTROLS):
            return f"a control character U+{code:04X} at position {index}"
        if name and category in ("Cf", "Co", "Cn", "Zl", "Zp"):
            return (
                f"an invisible or unassigned character U+{code:04X} at position {index}"
            )
    return None


def check_text(
    parameter: str,
    value: Any,
    *,
    optional: bool = False,
    max_length: int = MAX_TEXT_LENGTH,
) -> Any:
    """``value`` if it is acceptable text (or None when ``optional``)."""
    if value is None and optional:
        return None
    expected = "a str" + (" or None" if optional else "")
    if not isinstance(value, str):
        raise InvalidArgument(parameter=parameter, value=value, expected=expected)
    if len(value) > max_length:
        raise InvalidArgument(
            parameter=parameter,
            value=value,
            expected=f"text of at most {max_length} characters",
            detail=f"it has {len(value)}",
        )
    problem = _text_problem(value, name=False)
    if problem is not None:
        raise InvalidArgument(
            parameter=parameter,
            value=value,
            expected="text without NUL, unpaired surrogates or control characters",
            detail=f"it contains {problem}",
        )
    return value


def _is_name(value: Any) -> bool:
    """The common case of the name rule, without building any message."""
    return (
        (value.__class__ is str or isinstance(value, str))
        and len(value) <= MAX_ID_LENGTH
        and value.isprintable()
        and not value.isspace()
        and value != ""
    )


def check_name(parameter: str, value: Any, *, optional: bool = False) -> Any:
    """``value`` if it is an acceptable name (or None when ``optional``), unchanged."""
    if _is_name(value) or (value is None and optional):
        return value
    expected = f"a non-empty str of at most {MAX_ID_LENGTH} characters" + (
        " or None" if optional else ""
    )
    if not isinstance(value, str):
        raise InvalidArgument(parameter=parameter, value=value, expected=expected)
    if not value.strip() or len(value) > MAX_ID_LENGTH:
        raise InvalidArgument(
            parameter=parameter,
            value=value,
            expected=expected,
            detail=f"it has {len(value)} characters"
            if value.strip()
            else "it is blank",
        )
    problem = _text_problem(value, name=True)
    if problem is not None:
        raise InvalidArgument(
            parameter=parameter,
            value=value,
            expected="an id of visible characters",
            detail=f"it contains {problem}",
        )
    return value


def normalise_id(value: str) -> str:
    """A person id in its one comparable form: NFKC, case folded, stripped.

    The Unicode recipe for caseless identifier matching (NFKC of the case
    fold of NFKC). Raises nothing: check with :func:`check_person` first.
    """
    if value.isascii():  # NFKC leaves ASCII alone; its case fold is lower()
        return value.lower().strip()
    folded = unicodedata.normalize("NFKC", value).casefold()
    return unicodedata.normalize("NFKC", folded).strip()


def check_person(parameter: str, value: Any) -> str:
    """A person id, checked by the name rule and normalised (:func:`normalise_id`)."""
    if not _is_name(value):
        check_name(parameter, value)
    normal = normalise_id(value)
    if normal is value or (value.isascii() and normal):
        return normal  # ASCII: only case and surrounding space changed
    # Normalising can change the length or leave nothing: check once more.
    return str(check_name(parameter, normal))


def plain_names(value: Any, *, person: bool) -> tuple[str, ...] | None:
    """The common case of :func:`check_names` (a list of plain ids; for persons
    ASCII, normalised), or None to take the full check."""
    if value.__class__ not in _CONTAINERS or len(value) > MAX_ITEMS:
        return None
    out = []
    for item in value:
        if (
            item.__class__ is not str
            or not item
            or len(item) > MAX_ID_LENGTH
            or not item.isprintable()
            or item.isspace()
        ):
            return None
        if person:
            if not item.isascii():
                return None
            item = item.lower().strip()  # noqa: PLW2901 - the normal form
        out.append(item)
    return tuple(out)


_CONTAINERS = (list, tuple, set, frozenset)


def _plain_value(value: Any) -> bool:
    """The common case of :func:`check_value`: None, a bool, a small int, short
    printable text."""
    kind = value.__class__
    if value is None or kind is bool:
        return True
    if kind is int:
        return bool(-MAX_INT <= value <= MAX_INT)
    return kind is str and len(value) <= MAX_TEXT_LENGTH and value.isprintable()


def check_values(parameter: str, value: Mapping[str, Any]) -> None:
    """:func:`check_value` for every value of a mapping (keys already checked)."""
    for key, item in value.items():
        if not _plain_value(item):
            check_value(f"{parameter}[{key!r}]", item)


def check_names(
    parameter: str, value: Any, *, optional: bool = False, person: bool = False
) -> tuple[str, ...] | None:
    """An iterable of names (never a lone ``str``) as a tuple; persons normalised."""
    if value is None and optional:
        return None
    fast = plain_names(value, person=person)
    if fast is not None:
        return fast
    what = "person ids" if person else "names"
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise InvalidArgument(
            parameter=parameter,
            value=value,
            expected=f"a list or set of {what}",
            hint=f"Pass e.g. [{value!r}] for one." if isinstance(value, str) else None,
        )
    items = list(value)
    if len(items) > MAX_ITEMS:
        raise InvalidArgument(
            parameter=parameter,
            value=value,
            expected=f"at most {MAX_ITEMS} {what}",
            detail=f"it has {len(items)}",
        )
    check = check_person if person else check_name
    return tuple(check(f"{parameter}[{i}]", item) for i, item in enumerate(items))


def check_mapping(parameter: str, value: Any, *, optional: bool = False) -> Any:
    """``value`` if it is a mapping with name keys (or None when ``optional``)."""
    if value is None and optional:
        return None
    if value.__class__ is not dict and not isinstance(value, Mapping):
        raise InvalidArgument(
            parameter=parameter,
            value=value,
            expected="a mapping (dict)" + (" or None" if optional else ""),
        )
    if len(value) > MAX_ITEMS:
        raise InvalidArgument(
            parameter=parameter,
            value=value,
            expected=f"a mapping of at most {MAX_ITEMS} entries",
            detail=f"it has {len(value)}",
        )
    for key in value:
        if not _is_name(key):
            check_name(f"{parameter} key", key)
    return value


def check_value(parameter: str, value: Any) -> None:
    """A case data value: text, a whole or decimal number, a truth value, a date or
    moment in range, or None. (The procedure's field types are checked later.)"""
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, str):
        check_text(parameter, value)
    elif isinstance(value, int):
        if abs(value) > MAX_INT:
            raise InvalidArgument(
                parameter=parameter,
                value=value,
                expected="a whole number between -2**53 and 2**53",
            )
    elif isinstance(value, float):
        low, high = _FLOAT_RANGE
        negative_zero = value == 0 and math.copysign(1.0, value) < 0
        if (
            not math.isfinite(value)
            or negative_zero
            or (value != 0 and not low <= abs(value) < high)
        ):
            raise InvalidArgument(
                parameter=parameter,
                value=value,
                expected="a finite number written without exponent (0 or 0.0001 up "
                "to 1e16 in size; not -0.0)",
            )
    elif isinstance(value, dt.datetime):
        check_moment(parameter, value)
    elif isinstance(value, dt.date):
        check_date(parameter, value)
    # Anything else is refused by the field check (InvalidData), by field.


def check_moment(parameter: str, value: Any, *, optional: bool = False) -> Any:
    """``value`` if it is a timezone-aware datetime in range (or None when ``optional``)."""
    if value is None and optional:
        return None
    if (
        value.__class__ is dt.datetime
        and value.tzinfo is dt.UTC
        and EARLIEST <= value < LATEST
    ):
        return value  # what clocks give: no conversion needed
    expected = "a timezone-aware datetime" + (" or None" if optional else "")
    if not isinstance(value, dt.datetime):
        raise InvalidArgument(parameter=parameter, value=value, expected=expected)
    try:
        offset = value.utcoffset()
        utc = None if offset is None else value.astimezone(dt.UTC)
    except (OverflowError, ValueError) as error:
        raise InvalidArgument(
            parameter=parameter,
            value=value,
            expected=f"a moment from {EARLIEST:%Y} up to {LATEST:%Y}",
            detail=str(error),
        ) from None
    if utc is None:
        raise InvalidArgument(
            parameter=parameter,
            value=value,
            expected=expected,
            detail="it has no timezone",
            hint="Use e.g. pendulum.datetime(2026, 3, 2, 10, tz='Europe/Amsterdam').",
        )
    if not EARLIEST <= utc < LATEST:
        raise InvalidArgument(
            parameter=parameter,
            value=value,
            expected=f"a moment from {EARLIEST:%Y} up to {LATEST:%Y}",
        )
    return value


def check_date(parameter: str, value: Any, *, optional: bool = False) -> Any:
    """``value`` if it is a date (not a datetime) in range (or None when ``optional``)."""
    if value is None and optional:
        return None
    expected = "a datetime.date (not a datetime)" + (" or None" if optional else "")
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise InvalidArgument(parameter=parameter, value=value, expected=expected)
    if not EARLIEST.date() <= value < LATEST.date():
        raise InvalidArgument(
            parameter=parameter,
            value=value,
            expected=f"a date from {EARLIEST:%Y} up to {LATEST:%Y}",
        )
    return value


def check_int(
    parameter: str,
    value: Any,
    *,
    minimum: int = 0,
    maximum: int = MAX_INT,
    optional: bool = False,
) -> Any:
    """``value`` if it is an int (not a bool) from ``minimum`` to ``maximum``."""
    if value is None and optional:
        return None
    expected = f"an int from {minimum} to {maximum}" + (" or None" if optional else "")
    if (
        not isinstance(value, int)
        or isinstance(value, bool)
        or not minimum <= value <= maximum
    ):
        raise InvalidArgument(parameter=parameter, value=value, expected=expected)
    return value


def check_bool(parameter: str, value: Any, *, optional: bool = False) -> Any:
    """``value`` if it is True or False (or None when ``optional``)."""
    if value is None and optional:
        return None
    if not isinstance(value, bool):
        raise InvalidArgument(
            parameter=parameter,
            value=value,
            expected="True or False" + (" or None" if optional else ""),
        )
    return value


def check_instance(
    parameter: str, value: Any, kind: type[_T] | tuple[type, ...], expected: str
) -> _T:
    """``value`` if it is an instance of ``kind``."""
    if not isinstance(value, kind):
        raise InvalidArgument(parameter=parameter, value=value, expected=expected)
    return value  # type: ignore[return-value]
