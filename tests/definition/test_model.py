"""The IR: durations as the law writes them, legal bases with links."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klachtflow.definition.model import Duration, LegalBasis, Unit
from klachtflow.testing import make_procedure


class TestDuration:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("6 weken", Duration(6, Unit.WEKEN)),
            ("1 week", Duration(1, Unit.WEKEN)),
            ("5 werkdagen", Duration(5, Unit.WERKDAGEN)),
            ("42 dagen", Duration(42, Unit.DAGEN)),
            ("1 maand", Duration(1, Unit.MAANDEN)),
            ("1 jaar", Duration(1, Unit.JAREN)),
            ("24 uur", Duration(24, Unit.UREN)),
            ("  6   Weken ", Duration(6, Unit.WEKEN)),
        ],
    )
    def test_parse(self, text: str, expected: Duration) -> None:
        """Durations are written as in law: a number and a Dutch unit."""
        assert expected == Duration.parse(text)

    @pytest.mark.parametrize(
        "text", ["6", "weken", "6 weekjes", "-1 dag", "1.5 week", ""]
    )
    def test_parse_refuses(self, text: str) -> None:
        """Anything else is a ValueError (the loader turns it into KF-D010)."""
        with pytest.raises(ValueError, match="geen geldige duur"):
            Duration.parse(text)

    @given(st.integers(min_value=0, max_value=10_000), st.sampled_from(list(Unit)))
    def test_round_trip(self, amount: int, unit: Unit) -> None:
        """str() gives text that parses back to the same duration."""
        duration = Duration(amount, unit)

        assert duration == Duration.parse(str(duration))


class TestAtwArticle4:
    """Atw art 4: "Deze wet geldt niet voor termijnen: a. omschreven in uren, in meer
    dan 90 dagen, in meer dan twaalf weken, in meer dan drie maanden, of in een of
    meer jaren" (BWBR0002448)."""

    @pytest.mark.parametrize(
        ("text", "excluded"),
        [
            ("24 uur", True),
            ("90 dagen", False),
            ("91 dagen", True),
            ("12 weken", False),
            ("13 weken", True),
            ("3 maanden", False),
            ("4 maanden", True),
            ("1 jaar", True),
            ("6 weken", False),
            ("42 dagen", False),
        ],
    )
    def test_exclusions(self, text: str, excluded: bool) -> None:
        """Hours, years and terms over 90 days / 12 weeks / 3 months have no Atw."""
        assert excluded is Duration.parse(text).atw_excluded


class TestLegalBasis:
    def test_url_is_a_juriconnect_link(self) -> None:
        """A statute basis links to the article on wetten.overheid.nl."""
        basis = LegalBasis(wet="Awb", artikel="9:11", lid=2, bwb="BWBR0005537")

        assert (
            "https://wetten.overheid.nl/jci1.3:c:BWBR0005537&artikel=9:11&lid=2"
            == basis.url
        )
        assert "Awb 9:11 lid 2 (BWBR0005537)" == str(basis)

    def test_local_rule_has_no_link(self) -> None:
        """A local rule has no BWB id and so no derived link."""
        basis = LegalBasis(regeling="Klachtenregeling gemeente", artikel="5")

        assert basis.url is None
        assert "Klachtenregeling gemeente art 5" == str(basis)

    def test_known_law_gets_its_bwb_id(self) -> None:
        """{wet: Awb} without bwb gets BWBR0005537 when loaded."""
        procedure = make_procedure(grondslag={"wet": "Wkkgz", "artikel": 17})

        assert "BWBR0037173" == procedure.basis[0].bwb
        assert "17" == procedure.basis[0].artikel
