"""Obligations of the law as frozen data: terms, hearings, letters, routes,
separation of duties and closed lists of grounds.

Nothing here runs: no I/O, no procedure walking. :mod:`klachtflow.compliance`
checks procedures and histories against these values, the engine compiles
their run-time part once per procedure, and the loader reads the Atw default
and law names from them. Every obligation cites its article (BWB id,
artikel, lid) and says which of the three layers enforce it
(:attr:`Obligation.layers`), so coverage can be counted, not claimed.

A step of a procedure is recognised by what it cites: the action that hears
the parties cites Awb 9:10 lid 1, the handling term cites 9:11 lid 1. A
:class:`Citation` without a lid matches every lid of its article.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Protocol

import attrs

__all__ = [
    "Bound",
    "Citation",
    "Cited",
    "Committee",
    "Consent",
    "Content",
    "Extension",
    "ExtensionNotice",
    "FurtherDelay",
    "Ground",
    "GroundList",
    "Hearing",
    "HearingReport",
    "Layer",
    "Letter",
    "NotApplicable",
    "Obligation",
    "Ombudsman",
    "Progress",
    "Registration",
    "RoleLimit",
    "Separation",
    "Span",
    "Start",
    "Step",
    "Suspension",
    "Term",
    "TimingRule",
    "cites",
]


class Layer(enum.Enum):
    """Who enforces an obligation: the procedure check, the engine, the audit."""

    CHECK = "check"
    ENGINE = "engine"
    AUDIT = "audit"


CHECK_ONLY = frozenset({Layer.CHECK})
CHECK_AUDIT = frozenset({Layer.CHECK, Layer.AUDIT})
ALL_LAYERS = frozenset(Layer)


@attrs.frozen
class Citation:
    """Where an obligation rests: ``Citation("BWBR0005537", "9:11", 2, wet="Awb")``."""

    bwb: str
    artikel: str
    lid: int | None = None
    onderdeel: str | None = None
    wet: str = ""

    def matches(
        self,
        bwb: str | None,
        artikel: str | None,
        lid: int | None,
        onderdeel: str | None,
    ) -> bool:
        """Whether a basis citing (bwb, artikel, lid, onderdeel) cites this article."""
        return (
            bwb == self.bwb
            and artikel == self.artikel
            and (self.lid is None or lid == self.lid)
            and (self.onderdeel is None or onderdeel == self.onderdeel)
        )

    def __str__(self) -> str:
        bare = ":" in self.artikel
        parts = [self.wet, self.artikel if bare else f"art {self.artikel}"]
        if self.lid is not None:
            parts.append(f"lid {self.lid}")
        if self.onderdeel:
            parts.append(f"onder {self.onderdeel}")
        return f"{' '.join(p for p in parts if p)} ({self.bwb})"


_DAYS_PER = {"dagen": (1, 1), "weken": (7, 7), "maanden": (28, 31), "jaren": (365, 366)}


@attrs.frozen
class Span:
    """A length as the law writes it: ``Span(6, "weken")``.

    Units: ``dagen``, ``werkdagen``, ``weken``, ``maanden``, ``jaren``.
    :meth:`fits_within` compares lengths of different units safely (a month
    is 28 to 31 days, a working day at least one day).
    """

    amount: int
    unit: str

    def _days(self) -> tuple[int, int]:
        if self.unit == "werkdagen":
            # N working days span at least N days; at most N plus two weekend
            # days per five and a holiday cluster of four.
            return self.amount, self.amount + 2 * ((self.amount + 4) // 5) + 4
        low, high = _DAYS_PER[self.unit]
        return self.amount * low, self.amount * high

    def fits_within(self, other: Span) -> bool:
        """True when this length is never longer than ``other``."""
        if self.unit == other.unit:
            return self.amount <= other.amount
        if {self.unit, other.unit} <= {"maanden", "jaren"}:
            months = {"maanden": 1, "jaren": 12}
            return self.amount * months[self.unit] <= other.amount * months[other.unit]
        return self._days()[1] <= other._days()[0]

    def __str__(self) -> str:
        singular = {"dagen": "dag", "werkdagen": "werkdag", "weken": "week"}
        singular |= {"maanden": "maand", "jaren": "jaar"}
        word = (
            singular[self.unit]
            if self.amount == 1 or self.unit == "jaren"
            else self.unit
        )
        return f"{self.amount} {word}"


class Bound(enum.Enum):
    """How a statutory length binds a procedure's own term."""

    #: The procedure may be quicker, never slower ("binnen zes weken").
    MAXIMUM = "maximum"
    #: The procedure may give more time, never less (the bezwaartermijn).
    MINIMUM = "minimum"
    #: The law fixes the length itself (42 dwangsom days, the two weeks of 4:17 lid 3).
    EXACT = "exact"


class Start(enum.Enum):
    """The event a statutory term runs from."""

    RECEIPT = "ontvangst"  # receipt of the klaagschrift (Awb 9:11 lid 1, 9:8 lid 3)
    FILING = "indiening"  # filing of the complaint (Wkkgz 17 lid 1)
    PUBLICATION = "bekendmaking"  # the day after bekendmaking (Awb 6:8 lid 1)
    AFTER_TERM = "na_termijn"  # the end of another term (Awb 7:10 lid 1)
    DEFAULT_NOTICE = (
        "ingebrekestelling"  # receipt of the ingebrekestelling (4:17 lid 3)
    )
    JUDGEMENT = "oordeel"  # receipt of the commissie's oordeel (Jeugdwet 4.2.1 lid 5)
    CLOSING = "afhandeling"  # the closing notice (Awb 9:24 lid 1 onder a)
    SUBMISSION = "voorlegging"  # submission to the geschilleninstantie (Wkkgz 22)
    ANY = "elk"  # the law names no start the procedure must follow


@attrs.frozen(kw_only=True)
class Obligation:
    """What every obligation has: a stable code, its article, words and enforcers.

    ``interpretation`` marks a reading where the text is silent (🔶 in
    law.md); ``severity`` is ``fout`` or ``waarschuwing``; ``fix`` says in
    Dutch what to change in a procedure.
    """

    code: str
    citation: Citation
    title: str
    fix: str
    severity: str = "fout"
    layers: frozenset[Layer] = CHECK_ONLY
    interpretation: bool = False


@attrs.frozen(kw_only=True)
class Term(Obligation):
    """A statutory term: its length(s), bound, start, fatality and the Atw.

    ``lengths`` are the lengths the law allows, ``with_committee`` the one
    that applies when the procedure routes through an advisory committee
    (``committee``); ``local_length`` says the regulation itself sets the
    length (Jeugdwet 4.2.1 lid 2 onder c), so only presence is checked.
    """

    lengths: tuple[Span, ...] = ()
    bound: Bound = Bound.MAXIMUM
    start: Start = Start.ANY
    after: Citation | None = None
    fatal: bool = True
    atw: bool = True
    required: bool = True
    with_committee: Span | None = None
    committee: tuple[Citation, ...] = ()
    local_length: bool = False
    only_if_cited: tuple[Citation, ...] = ()


@attrs.frozen(kw_only=True)
class Extension(Obligation):
    """How a term may be extended: the cap on the total, who is told and when."""

    term: Citation
    maximum: Span


@attrs.frozen(kw_only=True)
class ExtensionNotice(Obligation):
    """Who is told of an extension, and that it comes before the term ends.

    ``notify`` names party kinds: ``klager`` (the complainant, not a
    gemachtigde), ``beklaagde`` (the person complained about) and
    ``belanghebbenden`` (every other interested party). ``before_expiry_statutory``
    says whether the law itself demands notice before expiry (Wkkgz 17 lid 2)
    or klachtflow reads it so where the text is silent (Awb 9:11 lid 2 🔶).
    """

    term: Citation
    notify: tuple[str, ...] = ()
    before_expiry_statutory: bool = False


@attrs.frozen(kw_only=True)
class FurtherDelay(Obligation):
    """Delay beyond the cap: only with consent (of whom, written or not), or never."""

    term: Citation
    allowed: bool = True
    consent_of: tuple[str, ...] = ("klager",)
    written: bool = True


@attrs.frozen
class Ground:
    """One ground of a closed list: a code, its onderdeel and words that name it."""

    code: str
    onderdeel: str
    label: str
    words: tuple[str, ...]

    def named_by(self, value: str) -> bool:
        """Whether a procedure's choice value names this ground."""
        text = value.lower().replace("-", "_").replace(" ", "_")
        return text == self.code or any(w in text for w in self.words)


@attrs.frozen(kw_only=True)
class GroundList(Obligation):
    """A closed list of grounds (to refuse handling, to skip a hearing).

    An action citing ``citation`` must record its ground as a choice whose
    values each name a ground of the list; anything else is outside the law.
    """

    grounds: tuple[Ground, ...]

    def ground_of(self, value: str) -> Ground | None:
        """The ground ``value`` names, or ``None`` when it is outside the list."""
        return next((g for g in self.grounds if g.named_by(value)), None)

    def fixed_ground(self, basis: Iterable[Cited]) -> str | None:
        """The ground an action names by citing its onderdeel ("1c" for 9:8 lid 1 onder c)."""
        for b in basis:
            if b.onderdeel and self.citation.matches(
                b.bwb, b.artikel, b.lid, b.onderdeel
            ):
                lid = "" if self.citation.lid or b.lid is None else str(b.lid)
                return f"{lid}{b.onderdeel}"
        return None

    def asks_ground(self, basis: Iterable[Cited]) -> bool:
        """Whether an action with this basis must record a ground from the list.

        Not when it names its ground by an onderdeel, nor when it cites only
        another lid of the article (the notice of Awb 9:8 lid 3 on its own).
        """
        basis = list(basis)
        if not cites(basis, self.citation) or self.fixed_ground(basis) is not None:
            return False
        lids = {int(g.onderdeel[0]) for g in self.grounds if g.onderdeel[0].isdigit()}
        return not lids or any(
            self.citation.matches(b.bwb, b.artikel, b.lid, None) and b.lid in lids
            for b in basis
        )


@attrs.frozen(kw_only=True)
class Hearing(Obligation):
    """An action that hears the parties must exist (who is heard: ``parties``)."""

    parties: tuple[str, ...] = ("klager", "beklaagde")
    waiver: Citation | None = None


@attrs.frozen(kw_only=True)
class HearingReport(Obligation):
    """The hearing (``hearing``) records a report (a field named ``…verslag``)."""

    hearing: tuple[Citation, ...]
    stem: str = "verslag"


@attrs.frozen
class Content:
    """One required content of a letter, recognised by stems in field names."""

    label: str
    stems: tuple[str, ...]


@attrs.frozen(kw_only=True)
class Letter(Obligation):
    """A letter the law requires: its contents, whether it ends the case."""

    contents: tuple[Content, ...]
    acts: tuple[Citation, ...] = ()
    closes: bool = False
    required: bool = True
    recipients: tuple[str, ...] = ("klager",)


@attrs.frozen(kw_only=True)
class Separation(Obligation):
    """Acts of handling that must exclude the person complained about.

    An action citing one of ``acts`` and performed by an organisation role
    needs a ``niet_partij`` separation naming the respondent's party role;
    ``exception`` (Awb 9:7 lid 2) may lift it by a data check (``tenzij``).
    """

    acts: tuple[Citation, ...]
    exception: Citation | None = None
    respondent: Citation | None = None


@attrs.frozen(kw_only=True)
class Committee(Obligation):
    """An advisory committee route: its term and that the committee hears.

    ``recognised_by`` are the articles that put a procedure on the route;
    ``term`` the term citation and ``length`` the length it gets; ``advice``
    the action citing the advice, which must record the hearing report;
    ``departure`` the article that requires reasons to depart from the advice.
    """

    recognised_by: tuple[Citation, ...]
    term: Citation
    length: Span
    advice: Citation | None = None
    departure: Citation | None = None


@attrs.frozen(kw_only=True)
class Ombudsman(Obligation):
    """The second line: after the handling, or once handling should have ended.

    ``route`` is what the referral action cites; ``term`` the year of Awb
    9:24 lid 1; ``overdue`` the handling term whose expiry opens the route
    early (9:24 lid 1 onder b).
    """

    route: tuple[Citation, ...]
    term: Citation
    length: Span
    overdue: Citation | None = None


@attrs.frozen(kw_only=True)
class Step(Obligation):
    """An action citing ``citation`` must exist (acknowledge, copy, file, …).

    With ``records``, the action must also record something (required data
    or a data check): the date and content of a written complaint.
    """

    records: bool = False


@attrs.frozen(kw_only=True)
class Suspension(Obligation):
    """The term citing ``term`` can be suspended, and an action suspends it."""

    term: Citation


@attrs.frozen(kw_only=True)
class Registration(Obligation):
    """Complaints are registered by category (Awb 9:12a)."""


@attrs.frozen(kw_only=True)
class Progress(Obligation):
    """The klager is kept informed of progress (some state or action informs)."""


@attrs.frozen(kw_only=True)
class NotApplicable(Obligation):
    """Articles of another regime that do not apply (``prefix`` of law ``bwb``)."""

    bwb: str
    prefix: str


@attrs.frozen(kw_only=True)
class Consent(Obligation):
    """An action citing ``citation`` that ends the case needs the klager's consent."""

    parties: tuple[str, ...] = ("klager",)


@attrs.frozen(kw_only=True)
class RoleLimit(Obligation):
    """A role (recognised by ``role``) that may never, or alone may, do ``acts``."""

    role: Citation
    acts: tuple[Citation, ...]
    only: bool = False
    role_required: bool = True


@attrs.frozen(kw_only=True)
class TimingRule(Obligation):
    """An act allowed only before, or only after, a term has ended.

    ``act`` is what the action cites, ``term`` what the term cites; ``after``
    True means only once the term has passed (an ingebrekestelling), False
    only while it runs.
    """

    act: Citation
    term: Citation
    after: bool


class Cited(Protocol):
    """What a citing object has (a procedure's ``LegalBasis``)."""

    @property
    def bwb(self) -> str | None: ...
    @property
    def artikel(self) -> str | None: ...
    @property
    def lid(self) -> int | None: ...
    @property
    def onderdeel(self) -> str | None: ...


def cites(basis: Iterable[Cited], *citations: Citation) -> bool:
    """Whether any of ``basis`` cites any of ``citations``."""
    return any(
        c.matches(b.bwb, b.artikel, b.lid, b.onderdeel)
        for b in basis
        for c in citations
    )
