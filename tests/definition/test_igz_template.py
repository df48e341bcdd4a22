"""The Klachtenregeling IGZ (BWBR0022508) as a template: one path test per article.

Each test quotes or paraphrases the article (shared/reference/regulations.md §2.1)
and walks the template through the engine.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from klachtflow import Actor, Case, Engine, builtin_procedure
from klachtflow.exceptions import ConditionNotMet, MissingData, TransitionError
from klachtflow.rules.clock import FixedClock
from klachtflow.testing import assert_compliant, assert_transition, make_case

NAME = "klachtenregeling-igz"
START = dt.datetime(2025, 12, 31, 9, tzinfo=dt.UTC)  # Wed 31 Dec 2025


@pytest.fixture
def engine() -> Engine:
    return Engine(builtin_procedure(NAME), clock=FixedClock(START))


def _case(engine: Engine, state: str, **data: Any) -> Case:
    return make_case(
        engine.procedure, state=state, engine=engine, at=START, data=data or None
    )


def test_complies_with_awb_9() -> None:
    """The regulation is an Awb hoofdstuk 9 regulation: every awb9 rule passes."""
    assert_compliant(builtin_procedure(NAME))


def test_art_4_klaagschrift_contents(engine: Engine) -> None:
    """Art 4: signed, with name, address, date and a description of the conduct."""
    case = _case(engine, "onvrede")
    required = set(engine.procedure.actions["registreer_klaagschrift"].required)

    assert {"naam_adres_klager", "dagtekening", "omschrijving_gedraging"} <= required
    with pytest.raises(MissingData):
        engine.fire(
            case,
            "registreer_klaagschrift",
            actor=Actor("k.1", roles={"klachtencoordinator"}),
            data={"schriftelijk": True, "datum_ontvangst": "2025-12-31"},
        )


def test_art_5_acknowledgement_in_five_working_days(engine: Engine) -> None:
    """Art 5: "binnen vijf werkdagen" — a local term on the inspectie's working days.

    Received Wed 31 December 2025: 1 January is Nieuwjaarsdag (Atw art 3 lid 1),
    but 2 January 2026 is equated with a holiday only for statutory terms (Atw
    art 3 lid 3, Stcrt. 2025, 24713), so the fifth working day is Thu 8 January,
    not Fri 9 January.
    """
    case = _case(engine, "formele_klacht.ontvangen", datum_ontvangst=START.date())
    clock = case.clocks["ontvangstbevestiging"]

    assert clock.term.atw is False
    assert dt.date(2026, 1, 8) == clock.due()
    assert_transition(engine, case, "bevestig_ontvangst", to="formele_klacht.onderzoek")


def test_art_6_informal_resolution_at_any_stage(engine: Engine) -> None:
    """Art 6: informal resolution at any stage, recorded in writing, with the klager's consent."""
    for state in ("onvrede", "formele_klacht.onderzoek", "formele_klacht.horen"):
        case = _case(engine, state)
        after = assert_transition(engine, case, "los_informeel_op", to="opgelost")

        assert after.data["reactie_en_afspraken"]


def test_art_7_complaint_about_the_ig_goes_to_the_sg(engine: Engine) -> None:
    """Art 7: a complaint about the Inspecteur-Generaal is handled by the Secretaris-Generaal.

    One action routed by the beklaagde's function (``wie_alleen_als``), not one per route.
    """
    case = _case(
        engine,
        "formele_klacht.oordeelsvorming",
        functie_beklaagde="inspecteur_generaal",
    )
    ig = Actor("ig.1", roles={"inspecteur_generaal"})
    sg = Actor("sg.1", roles={"secretaris_generaal"})

    assert "handel_af" not in engine.allowed_actions(case, ig)
    assert "handel_af" in engine.allowed_actions(case, sg)
    with pytest.raises(ConditionNotMet):
        engine.fire(case, "handel_af", actor=ig, data=_closing())
    assert_transition(
        engine, case, "handel_af", to="afgehandeld", actor=sg, data=_closing()
    )


def test_art_7_staff_complaints_stay_with_the_ig(engine: Engine) -> None:
    """Art 7: a complaint about a medewerker is not the Secretaris-Generaal's."""
    case = _case(
        engine, "formele_klacht.oordeelsvorming", functie_beklaagde="medewerker"
    )
    sg = Actor("sg.1", roles={"secretaris_generaal"})

    assert not engine.explain(case, "handel_af", sg, data=_closing()).allowed


def test_art_8_refusal_grounds_and_reasons(engine: Engine) -> None:
    """Art 8: only the listed grounds, with a reasoned written notice within 4 weeks."""
    procedure = engine.procedure
    action = procedure.actions["weiger_behandeling"]

    assert {"weigergrond", "motivering_weigering", "ombudsman_verwijzing"} <= set(
        action.required
    )
    assert "4 weken" == str(procedure.terms["weigering"].duration)
    case = _case(engine, "formele_klacht.onderzoek")
    assert_transition(engine, case, "weiger_behandeling", to="niet_in_behandeling")


def test_art_9_copy_to_the_beklaagde(engine: Engine) -> None:
    """Art 9: the beklaagde receives a copy of the klaagschrift and its attachments."""
    case = _case(engine, "formele_klacht.onderzoek")
    after = assert_transition(
        engine, case, "stuur_afschrift", to="formele_klacht.horen"
    )

    assert after.data["datum_afschrift"]


def test_art_10_hearing_of_both_with_report(engine: Engine) -> None:
    """Art 10: klager and beklaagde are heard and a report is made; skipped only on two grounds."""
    procedure = engine.procedure
    case = _case(engine, "formele_klacht.horen")

    assert ("kennelijk_ongegrond", "klager_ziet_af") == procedure.fields[
        "grond_niet_horen"
    ].choices
    assert_transition(
        engine, case, "hoor_partijen", to="formele_klacht.oordeelsvorming"
    )
    assert_transition(
        engine, case, "zie_af_van_horen", to="formele_klacht.oordeelsvorming"
    )


def test_art_11_committee_told_to_both_with_ten_weeks(engine: Engine) -> None:
    """Art 11 and 12: the committee route gets ten weeks; both parties are told in writing."""
    case = _case(engine, "formele_klacht.horen")
    after = assert_transition(engine, case, "vraag_advies", to="formele_klacht.advies")

    assert "10 weken" == str(after.clocks["afhandeling_advies"].term.duration)
    assert after.data["datum_mededeling_commissie"]


def test_art_12_verdaging_to_both(engine: Engine) -> None:
    """Art 12: verdaging by at most 4 weeks, with written notice to klager and beklaagde."""
    case = _case(engine, "formele_klacht.onderzoek")
    after = assert_transition(engine, case, "verdaag", to="formele_klacht.onderzoek")

    assert {"klager", "beklaagde"} <= set(after.history[-1].notified)


def test_art_13_departure_from_the_advice_is_reasoned(engine: Engine) -> None:
    """Art 13: departing from the committee's advice must be reasoned."""
    case = _case(engine, "formele_klacht.na_advies", advies_oordeel="gegrond")
    ig = Actor("ig.1", roles={"inspecteur_generaal"})
    departing = {**_closing(), "oordeel": "ongegrond"}

    with pytest.raises(TransitionError):
        engine.fire(case, "handel_af_volgens_advies", actor=ig, data=departing)
    with pytest.raises(MissingData):
        engine.fire(case, "handel_af_afwijkend", actor=ig, data=departing)
    after = engine.fire(
        case,
        "handel_af_afwijkend",
        actor=ig,
        data={**departing, "motivering_afwijking": "m"},
    )
    assert "afgehandeld" == after.status


def test_art_13_final_letter_names_the_ombudsman(engine: Engine) -> None:
    """Art 13: the final letter says how and by when to go to the Nationale ombudsman."""
    for name in (
        "handel_af",
        "handel_af_volgens_advies",
        "handel_af_afwijkend",
    ):
        assert "ombudsman_verwijzing" in engine.procedure.actions[name].required


def _closing() -> dict[str, Any]:
    return {
        "bevindingen": "b",
        "oordeel": "gegrond",
        "conclusies": "c",
        "ombudsman_verwijzing": "Nationale ombudsman, binnen een jaar",
    }


def test_art_7_the_coordinator_is_warned_before_the_term_ends(engine: Engine) -> None:
    """Art 7: the klachtencoördinator coordinates; the template warns that role five
    working days before the six weeks of art 12 end (``waarschuwing_aan``)."""
    case = _case(engine, "formele_klacht.onderzoek", datum_ontvangst=START.date())
    clock = case.clocks["afhandeling"]
    start = clock.warning_from()

    assert start is not None
    assert ("klachtencoordinator",) == clock.status(start).warning_to
    assert clock.status(start).warning
    assert not clock.status(start - dt.timedelta(days=1)).warning
