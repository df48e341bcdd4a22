"""Whether the Algemene termijnenwet applies to a term, from its legal basis.

Atw art 1 lid 1 applies to "een in een wet gestelde termijn": a term the
statute sets. A term a klachtenregeling, a verordening or the organ itself
sets is not one (law.md §3.2), so the Atw applies to it only when its own
regulation says so (``atw: true`` in the YAML). The duration decides only the
exclusions of Atw art 4 (hours, years, more than twelve weeks …), which the
loader applies on top of this default.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from klachtflow.law.model import Citation, Term
from klachtflow.law.regimes import REGIMES, awb, jw, wkkgz

__all__ = ["STATUTORY_TERMS", "StatutoryTerm", "atw_default", "statutory_term"]


@attrs.frozen
class StatutoryTerm:
    """An article that sets a term (``atw`` as the law says), or sets none."""

    citation: Citation
    atw: bool
    sets_term: bool = True


_EXTRA = (
    # The Awb names no term for the acknowledgement (9:6): a term there is local.
    StatutoryTerm(awb("9:6"), atw=False, sets_term=False),
    # The "redelijke termijn" to say one wants to be heard is set by the organ.
    StatutoryTerm(awb("9:10", 2), atw=False, sets_term=False),
    # Jeugdwet 4.2.1 lid 2 onder c and d: the regeling sets the term.
    StatutoryTerm(jw(2, "c"), atw=False, sets_term=False),
    StatutoryTerm(jw(2, "d"), atw=False, sets_term=False),
    StatutoryTerm(jw(2), atw=False, sets_term=False),
    StatutoryTerm(awb("6:8"), atw=True),
    StatutoryTerm(awb("6:9"), atw=True),
    StatutoryTerm(awb("4:18"), atw=True),
    StatutoryTerm(wkkgz("22"), atw=False),
    StatutoryTerm(Citation("BWBR0035362", "2.3.2", wet="Wmo 2015"), atw=True),
    StatutoryTerm(Citation("BWBR0035362", "2.3.5", wet="Wmo 2015"), atw=True),
)


def _from_regimes() -> tuple[StatutoryTerm, ...]:
    out = []
    for regime in REGIMES.values():
        for term in regime.of(Term):
            out.append(
                StatutoryTerm(
                    term.citation, atw=term.atw, sets_term=not term.local_length
                )
            )
    return tuple(out)


#: Articles that set (or expressly do not set) a term, most specific first.
STATUTORY_TERMS: tuple[StatutoryTerm, ...] = tuple(
    sorted(
        (*_from_regimes(), *_EXTRA),
        key=lambda t: (t.citation.lid is None, t.citation.onderdeel is None),
    )
)

Basis = tuple[str | None, str | None, int | None, str | None]


def statutory_term(
    bwb: str | None, artikel: str | None, lid: int | None, onderdeel: str | None
) -> StatutoryTerm | None:
    """The catalogue entry a basis cites, the most specific one first."""
    return next(
        (
            t
            for t in STATUTORY_TERMS
            if t.citation.matches(bwb, artikel, lid, onderdeel)
        ),
        None,
    )


def atw_default(basis: Iterable[Basis], *, local: bool) -> bool:
    """Whether the Atw applies to a term with this basis, before Atw art 4.

    ``basis`` holds (bwb, artikel, lid, onderdeel) of each statute citation;
    ``local`` says the term also cites a local regulation. A known statutory
    term decides; an article known to set no term, or a term citing only a
    regulation, gives ``False``; any other statute article gives ``True``
    (Atw art 1: the statute sets it) unless a regulation is cited beside it.
    """
    found = [statutory_term(*b) for b in basis]
    setting = [t for t in found if t is not None and t.sets_term]
    if setting:
        return any(t.atw for t in setting)
    unknown = any(t is None for t in found)
    return unknown and not local
