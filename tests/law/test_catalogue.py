"""The catalogue of laws and the Atw default from a term's legal basis."""

from __future__ import annotations

import datetime as dt

import pytest

from klachtflow import DefinitionError
from klachtflow.definition.model import LegalBasis
from klachtflow.law import REGIMES, Span, atw_default, find_law, suggest_law
from klachtflow.law.model import GroundList
from klachtflow.rules.clocks import TermClock, calendar_for
from klachtflow.testing import make_procedure

WKKGZ_NAMES = [
    "Wkkgz",
    "wkkgz",
    "Wet kwaliteit, klachten en geschillen zorg",
    "wet kwaliteit klachten en geschillen zorg",
    "BWBR0037173",
]


class TestFindLaw:
    @pytest.mark.parametrize("name", WKKGZ_NAMES)
    def test_abbreviation_full_name_and_bwb_id(self, name: str) -> None:
        """A law is known by its abbreviation, its full name and its BWB id."""
        law = find_law(name)

        assert law is not None
        assert "BWBR0037173" == law.bwb

    def test_unknown_name(self) -> None:
        """A name that is no law gives None, and a suggestion when one is close."""
        assert find_law("Wkgz") is None
        assert "Wkkgz" == suggest_law("Wkgz")
        assert suggest_law("Omgevingswet voor bomen") is None


def _term_procedure(grondslag: object, **term: object) -> dict[str, object]:
    return {
        "acties": {
            "handel_af": {
                "van": "ontvangen",
                "naar": "afgehandeld",
                "wie": ["behandelaar"],
            }
        },
        "termijnen": {
            "t": {
                "duur": "3 dagen",
                "start": [{"binnenkomst": "ontvangen"}],
                "grondslag": grondslag,
                **term,
            }
        },
    }


class TestLawNamesInProcedures:
    def test_full_name_resolves_to_the_bwb_id(self) -> None:
        """'Wet kwaliteit, klachten en geschillen zorg' cites the Wkkgz (BWBR0037173)."""
        procedure = make_procedure(
            grondslag=[
                {"wet": "Wet kwaliteit, klachten en geschillen zorg", "artikel": "17"}
            ]
        )

        assert "BWBR0037173" == procedure.basis[0].bwb

    def test_unknown_law_is_a_validation_issue_with_a_suggestion(self) -> None:
        """A misspelt law name is reported (KF-D043) with the nearest known name."""
        with pytest.raises(DefinitionError) as raised:
            make_procedure(grondslag=[{"wet": "Wkgz", "artikel": "17"}])

        issue = raised.value.issues[0]
        assert "KF-D043" == issue.code
        assert "Bedoelde u 'Wkkgz'?" == issue.hint
        assert issue.line > 1

    def test_unknown_law_with_its_own_bwb_id_is_accepted(self) -> None:
        """A law outside the catalogue may be cited with its BWB id."""
        procedure = make_procedure(
            grondslag=[{"wet": "Wet bescherming klokkenluiders", "bwb": "BWBR0037852"}]
        )

        assert "BWBR0037852" == procedure.basis[0].bwb

    def test_wrong_bwb_for_a_known_law(self) -> None:
        """'wet: Awb' with the Wkkgz BWB id is a contradiction (KF-D043)."""
        with pytest.raises(DefinitionError) as raised:
            make_procedure(grondslag=[{"wet": "Awb", "bwb": "BWBR0037173"}])

        assert "KF-D043" == raised.value.issues[0].code


class TestAtwDefault:
    """Atw art 1 lid 1: "Een in een wet gestelde termijn ..." - only statutory terms."""

    def test_statutory_term_gets_the_atw(self) -> None:
        """A term citing Awb 9:11 lid 1 gets the Atw when the YAML does not say."""
        assert atw_default([("BWBR0005537", "9:11", 1, None)], local=False)

    def test_local_term_does_not(self) -> None:
        """A term citing only the klachtenregeling does not."""
        assert not atw_default([], local=True)

    def test_article_that_sets_no_term(self) -> None:
        """Awb 9:6 sets no term, so a term citing it and the regeling is local."""
        assert not atw_default([("BWBR0005537", "9:6", None, None)], local=True)

    def test_statute_says_no(self) -> None:
        """Awb 4:17 lid 1: 'De Algemene termijnenwet is op laatstgenoemde termijn niet van toepassing.'"""
        assert not atw_default([("BWBR0005537", "4:17", 1, None)], local=False)

    def test_three_days_under_the_regeling_end_on_saturday(self) -> None:
        """3 days from Wed 23 Dec 2026 under the regeling end Sat 26 Dec, not Mon 28 Dec."""
        procedure = make_procedure(
            **_term_procedure([{"regeling": "Klachtenregeling"}])
        )
        term = procedure.terms["t"]
        clock = TermClock(
            term, dt.date(2026, 12, 23), calendar=calendar_for(procedure, term)
        )

        assert (False, False) == (term.atw, term.atw_stated)
        assert dt.date(2026, 12, 26) == clock.due()

    def test_three_days_under_a_statute_roll_to_monday(self) -> None:
        """The same 3 days set by a statute get Atw art 1 and 2: Mon 28 Dec 2026."""
        procedure = make_procedure(
            **_term_procedure([{"wet": "Wmo 2015", "artikel": "2.3.2", "lid": 2}])
        )
        term = procedure.terms["t"]
        clock = TermClock(
            term, dt.date(2026, 12, 23), calendar=calendar_for(procedure, term)
        )

        assert term.atw
        assert dt.date(2026, 12, 28) == clock.due()

    def test_regulation_may_switch_the_atw_on(self) -> None:
        """A regeling that says the Atw applies (atw: true) is followed."""
        procedure = make_procedure(
            **_term_procedure([{"regeling": "Klachtenregeling"}], atw=True)
        )

        assert procedure.terms["t"].atw


class TestSpan:
    @pytest.mark.parametrize(
        ("short", "long", "fits"),
        [
            (Span(4, "weken"), Span(6, "weken"), True),
            (Span(8, "weken"), Span(6, "weken"), False),
            (Span(4, "weken"), Span(1, "maanden"), True),
            (Span(5, "weken"), Span(1, "maanden"), False),
            (Span(30, "dagen"), Span(6, "weken"), True),
            (Span(6, "maanden"), Span(1, "jaren"), True),
            (Span(10, "werkdagen"), Span(4, "weken"), True),
        ],
    )
    def test_fits_within(self, short: Span, long: Span, fits: bool) -> None:
        """A length fits within another only when it can never be longer."""
        assert fits == short.fits_within(long)


def test_every_obligation_code_is_unique() -> None:
    """Codes are stable identifiers: one per obligation across all regimes."""
    codes = [o.code for r in REGIMES.values() for o in r.obligations]

    assert sorted(set(codes)) == sorted(codes)


class TestGroundList:
    """Awb 9:8: which actions must record a ground from the closed list."""

    AWB98 = next(o for o in REGIMES["awb9"].of(GroundList) if o.code == "AWB-9:8-02")

    def test_refusal_under_lid_1_asks_a_ground(self) -> None:
        """An action citing 9:8 lid 1 records its ground from the list."""
        basis = [LegalBasis(wet="Awb", artikel="9:8", lid=1, bwb="BWBR0005537")]

        assert self.AWB98.asks_ground(basis)

    def test_onderdeel_is_the_ground_and_lid_3_alone_asks_none(self) -> None:
        """9:8 lid 1 onder c names its ground itself; the notice of lid 3 alone asks none."""
        referral = [
            LegalBasis(
                wet="Awb", artikel="9:8", lid=1, onderdeel="c", bwb="BWBR0005537"
            )
        ]
        notice = [LegalBasis(wet="Awb", artikel="9:8", lid=3, bwb="BWBR0005537")]

        assert "1c" == self.AWB98.fixed_ground(referral)
        assert not self.AWB98.asks_ground(referral)
        assert not self.AWB98.asks_ground(notice)
