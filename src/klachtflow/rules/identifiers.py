"""Organisation identifiers: the RSIN (elfproef) and the OIN.

An organisation that handles complaints is named by its RSIN (Rechtspersonen en
Samenwerkingsverbanden Informatienummer: nine digits that pass the elfproef,
the same number ZGW calls ``bronorganisatie``) or by its OIN (Organisatie-
identificatienummer of the Logius OIN-stelsel: twenty digits). One validator
for the library: the ZGW sinks and the organisations in the store use it.
"""

from __future__ import annotations

import re

from klachtflow.exceptions import InvalidArgument

__all__ = ["check_organisation_id", "is_oin", "is_rsin"]

_RSIN = re.compile(r"^[0-9]{9}$")
_OIN = re.compile(r"^[0-9]{20}$")
_ELEVEN = 11


def is_rsin(value: object) -> bool:
    """Nine digits passing the elfproef: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 ≡ 0 (mod 11).

    The all-zero number passes the sum but names nobody, so it is refused.
    """
    if not isinstance(value, str) or not _RSIN.match(value) or value == "0" * 9:
        return False
    digits = [int(c) for c in value]
    total = sum(weight * d for weight, d in zip(range(9, 1, -1), digits, strict=False))
    return (total - digits[8]) % _ELEVEN == 0


def is_oin(value: object) -> bool:
    """Twenty digits (the OIN-stelsel's format; its prefix says which register)."""
    return isinstance(value, str) and bool(_OIN.match(value))


def check_organisation_id(parameter: str, value: object) -> str:
    """``value`` if it is an RSIN or an OIN; :class:`InvalidArgument` otherwise."""
    if is_rsin(value) or is_oin(value):
        return str(value)
    raise InvalidArgument(
        parameter=parameter,
        value=value,
        expected="an RSIN (nine digits passing the elfproef) or an OIN (twenty digits)",
        hint="Geef het RSIN (bronorganisatie) of het OIN van de organisatie.",
    )
