"""Comparisons in ``controles`` (issue 17 item 4): dates against dates with a margin,
and one field against another."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from klachtflow import Actor, DefinitionError, Engine
from klachtflow.definition.model import DataCheck, Duration
from klachtflow.exceptions import ConditionNotMet
from klachtflow.rules.permissions import check_passes
from klachtflow.testing import make_procedure

YEAR = Duration.parse("1 jaar")


class TestCheckPasses:
    """Awb 9:8 lid 1 onder b: "langer dan een jaar voor indiening van de klacht"."""

    @pytest.mark.parametrize(
        ("conduct", "received", "holds"),
        [
            (dt.date(2025, 3, 1), dt.date(2026, 3, 2), True),
            (dt.date(2025, 3, 2), dt.date(2026, 3, 2), False),
            (dt.date(2025, 9, 1), dt.date(2026, 3, 2), False),
            (dt.date(2023, 2, 28), dt.date(2024, 2, 29), False),
        ],
    )
    def test_more_than_a_year_before(
        self, conduct: dt.date, received: dt.date, holds: bool
    ) -> None:
        """'datum_gedraging voor datum_ontvangst marge 1 jaar' holds only beyond the year."""
        check = DataCheck("datum_gedraging", "voor", "datum_ontvangst", YEAR)

        assert holds is check_passes(
            check, {"datum_gedraging": conduct, "datum_ontvangst": received}
        )

    def test_against_a_date(self) -> None:
        """A complaint from before the regulation's geldig_vanaf is found by 'voor: <datum>'."""
        check = DataCheck("datum_indiening", "voor", dt.date(2026, 1, 1))

        assert check_passes(check, {"datum_indiening": dt.date(2025, 12, 31)})
        assert not check_passes(check, {"datum_indiening": dt.date(2026, 1, 1)})

    def test_field_against_field(self) -> None:
        """The decision departs from the advice: 'oordeel anders_dan_veld advies_oordeel'."""
        differs = DataCheck("oordeel", "anders_dan_veld", "advies_oordeel")
        same = DataCheck("oordeel", "gelijk_aan_veld", "advies_oordeel")
        data = {"oordeel": "ongegrond", "advies_oordeel": "gegrond"}

        assert check_passes(differs, data)
        assert not check_passes(same, data)
        assert not check_passes(differs, {"oordeel": "ongegrond"})


def _refusal_procedure(check: dict[str, Any]) -> dict[str, Any]:
    return {
        "gegevens": {
            "datum_gedraging": {"type": "datum"},
            "datum_ontvangst": {"type": "datum"},
            "reden": {"type": "tekst"},
        },
        "acties": {
            "handel_af": {
                "van": "ontvangen",
                "naar": "afgehandeld",
                "wie": ["behandelaar"],
                "vereist": ["datum_gedraging", "datum_ontvangst"],
                "controles": [check],
            }
        },
    }


class TestInProcedures:
    def test_engine_refuses_when_the_conduct_is_recent(self) -> None:
        """Refusing on 9:8 lid 1 onder b needs conduct more than a year before receipt."""
        procedure = make_procedure(
            **_refusal_procedure(
                {
                    "veld": "datum_gedraging",
                    "voor": "datum_ontvangst",
                    "marge": "1 jaar",
                }
            )
        )
        engine = Engine(procedure)
        actor = Actor("b.1", roles={"behandelaar"})
        case = engine.start(actor=actor, parties={"klager": ["k.1"]})
        recent = {"datum_gedraging": "2025-09-01", "datum_ontvangst": "2026-03-02"}
        old = {"datum_gedraging": "2024-09-01", "datum_ontvangst": "2026-03-02"}

        with pytest.raises(ConditionNotMet):
            engine.fire(case, "handel_af", actor=actor, data=recent)
        assert (
            "afgehandeld"
            == engine.fire(case, "handel_af", actor=actor, data=old).status
        )

    def test_unknown_field_is_reported(self) -> None:
        """A comparison with an undeclared field is KF-D004 with a suggestion."""
        with pytest.raises(DefinitionError) as raised:
            make_procedure(
                **_refusal_procedure(
                    {"veld": "datum_gedraging", "voor": "datum_ontvangts"}
                )
            )

        assert ["KF-D004"] == [i.code for i in raised.value.issues]
        assert "datum_ontvangst" in (raised.value.issues[0].hint or "")

    def test_dates_only(self) -> None:
        """'voor' between a text and a date is KF-D042."""
        with pytest.raises(DefinitionError) as raised:
            make_procedure(
                **_refusal_procedure({"veld": "reden", "voor": "datum_ontvangst"})
            )

        assert ["KF-D042"] == [i.code for i in raised.value.issues]


def test_routing_names_a_role_of_the_action() -> None:
    """wie_alleen_als names roles from 'wie'; another role is KF-D004."""
    data = _refusal_procedure({"veld": "datum_gedraging", "voor": "datum_ontvangst"})
    data["acties"]["handel_af"]["wie_alleen_als"] = {
        "klager": [{"veld": "reden", "aanwezig": True}]
    }

    with pytest.raises(DefinitionError) as raised:
        make_procedure(**data)

    assert ["KF-D004"] == [i.code for i in raised.value.issues]
