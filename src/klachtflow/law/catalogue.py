"""The laws klachtflow knows: abbreviation, full name and BWB id.

A procedure may cite a law by any of the three (``wet: Wkkgz``,
``wet: Wet kwaliteit, klachten en geschillen zorg`` or ``bwb: BWBR0037173``);
:func:`find_law` resolves them all to one :class:`Law`, and
:func:`suggest_law` offers the nearest name for a misspelt one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from difflib import get_close_matches
from types import MappingProxyType

import attrs

__all__ = ["LAWS", "Law", "find_law", "law_by_bwb", "suggest_law"]


@attrs.frozen
class Law:
    """A statute: how it is abbreviated, its full name, its BWB id, other names."""

    abbreviation: str
    name: str
    bwb: str
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the law is recognised by (abbreviation, full name, aliases, BWB id)."""
        return (self.abbreviation, self.name, *self.aliases, self.bwb)


#: The catalogue, in the order law.md lists the laws.
LAWS: tuple[Law, ...] = (
    Law("Awb", "Algemene wet bestuursrecht", "BWBR0005537"),
    Law("Atw", "Algemene termijnenwet", "BWBR0002448"),
    Law(
        "Wkkgz",
        "Wet kwaliteit, klachten en geschillen zorg",
        "BWBR0037173",
        ("Wet kwaliteit klachten en geschillen zorg",),
    ),
    Law("Jeugdwet", "Jeugdwet", "BWBR0034925"),
    Law(
        "Wmo 2015",
        "Wet maatschappelijke ondersteuning 2015",
        "BWBR0035362",
        ("Wmo",),
    ),
    Law("Gemeentewet", "Gemeentewet", "BWBR0005416"),
    Law("Wno", "Wet Nationale ombudsman", "BWBR0003372"),
    Law("Participatiewet", "Participatiewet", "BWBR0015703"),
    Law("Archiefwet 1995", "Archiefwet 1995", "BWBR0007376", ("Archiefwet",)),
    Law(
        "Klachtenregeling IGZ",
        "Klachtenregeling Inspectie voor de Gezondheidszorg",
        "BWBR0022508",
        ("Klachtenregeling IGZ 2007",),
    ),
)


def _key(name: str) -> str:
    """Case, commas and repeated spaces do not matter: 'Wet  kwaliteit, Klachten …'."""
    return re.sub(r"[\s,]+", " ", name).strip().lower()


_INDEX: Mapping[str, Law] = MappingProxyType(
    {_key(name): law for law in LAWS for name in law.names}
)
_BY_BWB: Mapping[str, Law] = MappingProxyType({law.bwb: law for law in LAWS})


def find_law(name: str) -> Law | None:
    """The law called ``name`` (abbreviation, full name, alias or BWB id), or ``None``."""
    return _INDEX.get(_key(name))


def law_by_bwb(bwb: str) -> Law | None:
    """The law with BWB id ``bwb``, or ``None`` when klachtflow does not know it."""
    return _BY_BWB.get(bwb)


def suggest_law(name: str) -> str | None:
    """The known name nearest to ``name``, for a 'did you mean' hint."""
    names = [n for law in LAWS for n in law.names]
    by_key = {_key(n): n for n in names}
    close = get_close_matches(_key(name), list(by_key), n=1, cutoff=0.6)
    return by_key[close[0]] if close else None
