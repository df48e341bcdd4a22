"""Each template's main paths, walked through the engine with the testing kit."""

from __future__ import annotations

import datetime as dt

import pytest

from klachtflow import Actor, Engine, builtin_procedure, template_names, verify_history
from klachtflow.rules.permissions import ReasonKind
from klachtflow.testing import assert_compliant, assert_transition, make_case

PATHS = {
    "bezwaar-awb": [
        ("ontvangen", "vraag_herstel", "herstel_verzuim"),
        ("herstel_verzuim", "verzuim_hersteld", "ontvangen"),
        ("herstel_verzuim", "verklaar_niet_ontvankelijk", "niet_ontvankelijk"),
        ("ontvangen", "neem_in_behandeling", "behandeling"),
        ("behandeling", "hoor", "beslissing_voorbereid"),
        ("behandeling", "zie_af_van_horen", "beslissing_voorbereid"),
        ("behandeling", "verdaag", "behandeling"),
        ("beslissing_voorbereid", "beslis", "beslist"),
        ("behandeling", "trek_in", "ingetrokken"),
    ],
    "jeugdhulp-jeugdwet": [
        ("onvrede", "bespreek", "gesprek"),
        ("gesprek", "los_op", "opgelost"),
        ("gesprek", "dien_klacht_in", "klacht.ingediend"),
        ("klacht.ingediend", "nodig_uit_voor_horen", "klacht.horen"),
        ("klacht.horen", "stel_nieuwe_termijn", "klacht.horen"),
        ("klacht.horen", "geef_oordeel", "oordeel_gegeven"),
        ("oordeel_gegeven", "deel_maatregelen_mee", "maatregelen_meegedeeld"),
        ("klacht.horen", "trek_in", "ingetrokken"),
    ],
    "gemeente-awb": [
        ("onvrede", "los_informeel_op", "opgelost"),
        ("onvrede", "start_bemiddeling", "bemiddeling"),
        ("bemiddeling", "registreer_klaagschrift", "formele_klacht.ontvangen"),
        ("formele_klacht.ontvangen", "bevestig_ontvangst", "formele_klacht.onderzoek"),
        ("formele_klacht.onderzoek", "weiger_behandeling", "niet_in_behandeling"),
        ("formele_klacht.onderzoek", "verwijs_naar_bezwaar", "doorverwezen_bezwaar"),
        ("formele_klacht.onderzoek", "vraag_advies", "formele_klacht.advies"),
        ("formele_klacht.advies", "breng_advies_uit", "formele_klacht.oordeelsvorming"),
        ("formele_klacht.horen", "zie_af_van_horen", "formele_klacht.oordeelsvorming"),
        ("formele_klacht.oordeelsvorming", "handel_af", "afgehandeld"),
        ("afgehandeld", "verwijs_naar_ombudsman", "ombudsman"),
        ("ombudsman", "rapport_ombudsman", "ombudsman_afgerond"),
        ("gesprek", "trek_in", "ingetrokken"),
    ],
    "sociaal-domein-stichtse-vecht": [
        ("onvrede", "neem_melding_aan", "onvrede"),
        ("onvrede", "neem_contact_op", "onvrede"),
        ("onvrede", "plan_gesprek", "gesprek"),
        ("gesprek", "los_informeel_op", "opgelost"),
        ("gesprek", "start_bemiddeling", "bemiddeling"),
        ("bemiddeling", "registreer_klaagschrift", "formele_klacht.ontvangen"),
        ("formele_klacht.oordeelsvorming", "handel_af", "afgehandeld"),
    ],
    "veilig-thuis": [
        ("onvrede", "plan_gesprek", "gesprek"),
        ("gesprek", "los_informeel_op", "opgelost"),
        ("gesprek", "registreer_klaagschrift", "formele_klacht.ontvangen"),
        ("formele_klacht.ontvangen", "bevestig_ontvangst", "formele_klacht.onderzoek"),
        ("formele_klacht.onderzoek", "stuur_afschrift", "formele_klacht.horen"),
        ("formele_klacht.horen", "hoor_partijen", "formele_klacht.oordeelsvorming"),
        ("formele_klacht.horen", "los_informeel_op", "opgelost"),
        ("formele_klacht.oordeelsvorming", "handel_af", "afgehandeld"),
        ("afgehandeld", "verwijs_naar_ombudsman", "ombudsman"),
    ],
    "klachtencoordinator-sociaal-domein": [
        ("onvrede", "verwijs_naar_aanbieder", "onvrede"),
        ("onvrede", "leg_terugkoppeling_vast", "onvrede"),
        ("onvrede", "los_informeel_op", "opgelost"),
        ("gesprek", "start_bemiddeling", "bemiddeling"),
        ("bemiddeling", "registreer_klaagschrift", "formele_klacht.ontvangen"),
        ("formele_klacht.ontvangen", "bevestig_ontvangst", "formele_klacht.onderzoek"),
        ("formele_klacht.horen", "hoor_partijen", "formele_klacht.oordeelsvorming"),
        ("formele_klacht.oordeelsvorming", "handel_af", "afgehandeld"),
        ("afgehandeld", "verwijs_naar_ombudsman", "ombudsman"),
    ],
    "vertrouwenspersoon-lsr": [
        ("aangemeld", "neem_contact_op", "aangemeld"),
        ("aangemeld", "informeer", "geinformeerd"),
        ("aangemeld", "verhelder", "verheldering"),
        ("verheldering", "ga_dialoog_aan", "dialoog"),
        ("dialoog", "los_op", "opgelost"),
        ("dialoog", "ondersteun_klacht", "ondersteuning"),
        ("ondersteuning", "registreer_signaal", "ondersteuning"),
        ("ondersteuning", "rond_klacht_af", "klacht_afgerond"),
        ("verheldering", "beeindig", "beeindigd"),
    ],
    "klachtenregeling-igz": [
        ("onvrede", "registreer_klaagschrift", "formele_klacht.ontvangen"),
        ("formele_klacht.ontvangen", "bevestig_ontvangst", "formele_klacht.onderzoek"),
        ("formele_klacht.onderzoek", "stuur_afschrift", "formele_klacht.horen"),
        ("formele_klacht.horen", "hoor_partijen", "formele_klacht.oordeelsvorming"),
        ("formele_klacht.oordeelsvorming", "handel_af", "afgehandeld"),
        ("formele_klacht.horen", "vraag_advies", "formele_klacht.advies"),
        ("formele_klacht.advies", "breng_advies_uit", "formele_klacht.na_advies"),
        ("formele_klacht.onderzoek", "los_informeel_op", "opgelost"),
        ("afgehandeld", "verwijs_naar_ombudsman", "bij_ombudsman"),
    ],
    "zorgaanbieder-wkkgz": [
        ("onvrede", "start_bemiddeling", "bemiddeling"),
        ("bemiddeling", "los_op", "opgelost"),
        ("onvrede", "dien_klacht_in", "klacht.ingediend"),
        ("klacht.ingediend", "onderzoek_klacht", "klacht.onderzoek"),
        ("klacht.onderzoek", "doe_mededeling", "afgehandeld"),
        ("afgehandeld", "leg_geschil_voor", "geschil"),
        ("geschil", "doe_uitspraak", "geschil_beslecht"),
        ("klacht.onderzoek", "trek_in", "ingetrokken"),
    ],
}


def test_every_template_has_walked_paths() -> None:
    """No template without path tests."""
    assert set(template_names()) == set(PATHS)


@pytest.mark.parametrize(
    ("name", "start", "action", "target"),
    [(name, *step) for name, steps in PATHS.items() for step in steps],
)
def test_path(name: str, start: str, action: str, target: str) -> None:
    """From each state of a main path, the action leads where the procedure says."""
    procedure = builtin_procedure(name)
    engine = Engine(procedure)
    case = make_case(procedure, state=start, engine=engine)
    after = assert_transition(engine, case, action, to=target)

    assert verify_history(after)


@pytest.mark.parametrize("name", sorted(PATHS))
def test_template_complies(name: str) -> None:
    """Every template passes the rule packs of its regime."""
    assert_compliant(builtin_procedure(name))


def test_wkkgz_extension_and_term() -> None:
    """Wkkgz 17: six weeks after indiening, extension by at most four with notice."""
    procedure = builtin_procedure("zorgaanbieder-wkkgz")
    engine = Engine(procedure)
    case = make_case(procedure, state="klacht.onderzoek", engine=engine)
    due = case.clocks["afhandeling"].due()
    after = assert_transition(engine, case, "verleng", to="klacht.onderzoek")

    assert (after.clocks["afhandeling"].due() - due).days >= 28
    assert "klager" in after.history[-1].notified


def test_vertrouwenspersoon_never_handles_a_formal_complaint() -> None:
    """LSR practice: the vertrouwenspersoon supports, the organisation handles."""
    procedure = builtin_procedure("vertrouwenspersoon-lsr")
    formal = {n for n, s in procedure.states.items() if "formeel" in s.tags}
    into_formal = [a for a in procedure.actions.values() if a.target in formal]

    assert into_formal
    assert all("vertrouwenspersoon" not in a.roles for a in into_formal)
    engine = Engine(procedure)
    case = make_case(procedure, state="ondersteuning", engine=engine)
    vertrouwenspersoon = Actor("vp-1", frozenset({"vertrouwenspersoon"}))
    decision = engine.explain(case, "rond_klacht_af", vertrouwenspersoon)
    assert not decision.allowed


def test_every_signal_is_registered_anonymously() -> None:
    """LSR practice: a signal can be recorded in every status, without personal data."""
    procedure = builtin_procedure("vertrouwenspersoon-lsr")
    action = procedure.actions["registreer_signaal"]
    recorded = [procedure.fields[name] for name in action.required]

    assert set(action.sources) >= {
        n for n, s in procedure.states.items() if not s.is_final
    }
    assert recorded
    assert not any(f.personal or f.is_confidential for f in recorded)


def test_veilig_thuis_offers_a_conversation_for_every_complaint() -> None:
    """Veilig Thuis practice: no complaint is judged before a gesprek was offered."""
    procedure = builtin_procedure("veilig-thuis")
    judging = "oordeelsvorming"
    into_judging = [a for a in procedure.actions.values() if a.target == judging]

    assert into_judging
    assert all("datum_gesprek_aangeboden" in a.required for a in into_judging)
    mediators = {a.name for a in into_judging if "klachtenfunctionaris" in a.roles}
    assert mediators == {a.name for a in into_judging}


def test_veilig_thuis_records_improvements_on_every_outcome() -> None:
    """Veilig Thuis practice: every complaint is a signal to improve."""
    procedure = builtin_procedure("veilig-thuis")
    outcomes = [
        a for a in procedure.actions.values() if a.target in {"opgelost", "afgehandeld"}
    ]

    assert {a.target for a in outcomes} == {"opgelost", "afgehandeld"}
    assert all("verbetermaatregelen" in a.required for a in outcomes)


def test_coordinator_is_independent_of_whoever_is_complained_about() -> None:
    """Seed practice: no slager die zijn eigen vlees keurt (cf. Awb 9:7)."""
    procedure = builtin_procedure("klachtencoordinator-sociaal-domein")
    engine = Engine(procedure)
    case = make_case(procedure, state="formele_klacht.horen", engine=engine)
    provider = case.parties["betrokken_aanbieder"][0]
    coordinator = Actor("klachtencoordinator.1", frozenset({"klachtencoordinator"}))

    report = {"hoorverslag": "Klager en aanbieder gehoord."}

    assert engine.explain(case, "hoor_partijen", coordinator, data=report).allowed
    for role in ("klachtencoordinator", "behandelaar", "bestuursorgaan"):
        insider = Actor(provider, frozenset({role}))
        decision = engine.explain(case, "hoor_partijen", insider, data=report)
        assert [ReasonKind.SCHEIDING] == [r.kind for r in decision.reasons]


def test_referral_to_a_provider_keeps_the_case_with_the_coordinator() -> None:
    """Seed practice: referral between providers, not from pillar to post."""
    procedure = builtin_procedure("klachtencoordinator-sociaal-domein")
    referral = procedure.actions["verwijs_naar_aanbieder"]

    assert referral.target is None
    assert referral.roles == {"klachtencoordinator"}
    assert {"aanbieder", "afspraak_terugkoppeling"} <= set(referral.required)


STICHTSE_VECHT = "sociaal-domein-stichtse-vecht"


def test_stichtse_vecht_takes_every_channel_and_starts_informally() -> None:
    """Seed practice: "in de door betrokkenen gekozen vormen"; informal first."""
    procedure = builtin_procedure(STICHTSE_VECHT)
    intake = procedure.actions["neem_melding_aan"]
    start = next(
        s for s in procedure.states.values() if s.is_initial and s.parent is None
    )

    assert {"kanaal", "soort_melding"} <= set(intake.required)
    assert {"telefoon", "e-mail", "website_knop", "balie", "wijkteam"} <= set(
        procedure.registration.channels
    )
    assert "informeel" in start.tags
    consent = procedure.actions["start_bemiddeling"].consent
    assert consent is not None
    assert set(consent.parties) == {"klager", "beklaagde"}


def test_stichtse_vecht_contact_within_five_working_days() -> None:
    """Seed practice: contact within 5 werkdagen; recorded contact stops the clock."""
    procedure = builtin_procedure(STICHTSE_VECHT)
    engine = Engine(procedure)
    monday = dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC)
    case = make_case(procedure, engine=engine, at=monday)

    assert case.clocks["eerste_contact"].due() == dt.date(2026, 11, 30)
    after = assert_transition(engine, case, "neem_contact_op", to="onvrede")
    assert after.clocks["eerste_contact"].stopped_on is not None
