"""The engine enforces the run-time part of the law model, each refusal citing its article."""

from __future__ import annotations

import datetime as dt

import pytest

from klachtflow import Actor, Engine, builtin_procedure, loads_procedure
from klachtflow.compliance import check_procedure
from klachtflow.compliance.audit import audit_case
from klachtflow.definition.templates import template_text
from klachtflow.engine._law import ENFORCED
from klachtflow.exceptions import UnlawfulAction
from klachtflow.law import REGIMES, Layer
from klachtflow.rules.clock import FixedClock
from klachtflow.testing import assert_transition, make_case
from klachtflow.testing.walk import actor_for, fire_inputs

START = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)  # Mon 2 Mar 2026


def _at(days: int) -> dt.datetime:
    return START + dt.timedelta(days=days)


def _variant(template: str, old: str, new: str, *more: tuple[str, str]) -> Engine:
    text = template_text(template)
    for before, after in ((old, new), *more):
        assert before in text
        text = text.replace(before, after, 1)
    return Engine(loads_procedure(text), backdating=None)


def _fire(engine: Engine, case, action: str, *, days: int, **extra):  # type: ignore[no-untyped-def]
    procedure = engine.procedure
    kwargs = fire_inputs(procedure, case, action, _at(days).date())
    data = {**kwargs.pop("data"), **extra.pop("data", {})}
    kwargs = {**kwargs, **extra, "data": data}
    return engine.fire(
        case, action, actor=actor_for(procedure, action, case), at=_at(days), **kwargs
    )


class TestExtensionTiming:
    def test_awb_verdaging_within_the_six_weeks(self) -> None:
        """Awb 9:11 lid 2: the organ "kan de afhandeling voor ten hoogste vier weken verdagen"."""
        engine = Engine(builtin_procedure("gemeente-awb"), backdating=None)
        case = make_case(
            engine.procedure, state="formele_klacht.onderzoek", engine=engine, at=START
        )

        after = _fire(engine, case, "verdaag", days=40)

        assert after.clocks["afhandeling"].extensions

    def test_awb_verdaging_after_the_six_weeks_is_refused(self) -> None:
        """A verdaging after the term has passed is refused (🔶 the text sets no moment)."""
        engine = Engine(builtin_procedure("gemeente-awb"), backdating=None)
        case = make_case(
            engine.procedure, state="formele_klacht.onderzoek", engine=engine, at=START
        )

        with pytest.raises(UnlawfulAction) as refused:
            _fire(engine, case, "verdaag", days=50)

        assert "Awb 9:11 lid 2 (BWBR0005537)" == refused.value.article

    def test_wkkgz_extension_after_expiry_is_refused(self) -> None:
        """Wkkgz 17 lid 2: notice "voor het verstrijken van de termijn"."""
        engine = Engine(builtin_procedure("zorgaanbieder-wkkgz"), backdating=None)
        case = make_case(
            engine.procedure, state="klacht.onderzoek", engine=engine, at=START
        )

        with pytest.raises(UnlawfulAction) as refused:
            _fire(engine, case, "verleng", days=43)

        assert "Wkkgz art 17 lid 2 (BWBR0037173)" == refused.value.article

    def test_extension_beyond_the_law_cap_is_refused(self) -> None:
        """A procedure allowing six weeks still gets at most the four of Awb 9:11 lid 2."""
        engine = _variant(
            "gemeente-awb", "      maximaal: 4 weken", "      maximaal: 6 weken"
        )
        case = make_case(
            engine.procedure, state="formele_klacht.onderzoek", engine=engine, at=START
        )

        with pytest.raises(UnlawfulAction):
            _fire(engine, case, "verdaag", days=20, extension="6 weken")
        assert _fire(engine, case, "verdaag", days=20, extension="4 weken")

    def test_notice_to_whom_the_law_names(self) -> None:
        """Awb 9:11 lid 2: notice "aan de klager en aan degene op wiens gedraging de klacht betrekking heeft"."""
        engine = _variant(
            "gemeente-awb",
            "      melden_aan: [klager, beklaagde]",
            "      melden_aan: [klager]",
        )
        case = make_case(
            engine.procedure, state="formele_klacht.onderzoek", engine=engine, at=START
        )

        with pytest.raises(UnlawfulAction):
            _fire(engine, case, "verdaag", days=20, notified=["klager"])
        assert _fire(engine, case, "verdaag", days=20, notified=["klager", "beklaagde"])

    def test_further_delay_needs_the_klagers_written_consent(self) -> None:
        """Awb 9:11 lid 3: "voor zover de klager daarmee schriftelijk instemt"."""
        engine = _variant(
            "gemeente-awb",
            "        instemming_van: [klager]\n        schriftelijk: true",
            "        instemming_van: [klager]\n        schriftelijk: false",
            (
                "    instemming:\n      van: [klager]\n      schriftelijk: true\n",
                "    instemming:\n      van: [klager]\n      schriftelijk: false\n",
            ),
        )
        case = make_case(
            engine.procedure, state="formele_klacht.onderzoek", engine=engine, at=START
        )
        until = dt.date(2026, 6, 1)

        with pytest.raises(UnlawfulAction):
            _fire(
                engine,
                case,
                "stel_verder_uit",
                days=20,
                consent={"klager": None},
                postponed_until=until,
            )
        assert _fire(
            engine,
            case,
            "stel_verder_uit",
            days=20,
            consent={"klager": "brief 3 maart"},
            postponed_until=until,
        )


class TestDefaultNotice:
    def test_ingebrekestelling_before_the_decision_term_is_refused(self) -> None:
        """Awb 4:17 lid 3 and 6:12 lid 2: only once the term for the decision has passed."""
        engine = Engine(
            builtin_procedure("bezwaar-awb"), clock=FixedClock(START), backdating=None
        )
        case = make_case(engine.procedure, state="behandeling", engine=engine, at=START)
        actor = actor_for(engine.procedure, "ontvang_ingebrekestelling", case)

        assert "ontvang_ingebrekestelling" not in engine.allowed_actions(case, actor)
        clock = engine.clock
        assert isinstance(clock, FixedClock)
        clock.advance(days=30)
        with pytest.raises(UnlawfulAction) as refused:
            _fire(engine, case, "ontvang_ingebrekestelling", days=30)
        assert "Awb 4:17 lid 3 (BWBR0005537)" == refused.value.article

    def test_dwangsom_runs_from_two_weeks_after_the_ingebrekestelling(self) -> None:
        """Awb 4:17 lid 3: the first dwangsom day is two weeks after the ingebrekestelling."""
        engine = Engine(builtin_procedure("bezwaar-awb"), backdating=None)
        case = make_case(engine.procedure, state="behandeling", engine=engine, at=START)
        due = case.clocks["beslistermijn"].due()
        received = due + dt.timedelta(days=3)
        days = (received - START.date()).days

        after = _fire(
            engine,
            case,
            "ontvang_ingebrekestelling",
            days=days,
            data={"datum_ingebrekestelling": received},
        )

        wait = after.clocks["dwangsom_wachttijd"]
        assert received == wait.started
        assert wait.due() == after.clocks["dwangsom"].started
        assert (wait.due() - received).days >= 14

    def test_ingebrekestelling_dated_before_the_end_is_refused(self) -> None:
        """A default notice dated while the term still ran does not count, even if recorded later."""
        engine = Engine(builtin_procedure("bezwaar-awb"), backdating=None)
        case = make_case(engine.procedure, state="behandeling", engine=engine, at=START)
        due = case.clocks["beslistermijn"].due()
        days = (due - START.date()).days + 5

        with pytest.raises(UnlawfulAction):
            _fire(
                engine,
                case,
                "ontvang_ingebrekestelling",
                days=days,
                data={"datum_ingebrekestelling": due},
            )


class TestGroundsAndLetters:
    def test_hearing_skipped_on_an_unlisted_ground_is_refused(self) -> None:
        """Awb 9:10 lid 2 lists three grounds; 'werkdruk' is none of them."""
        engine = _variant(
            "gemeente-awb",
            "    waarden: [kennelijk_ongegrond, klager_ziet_af, geen_reactie_binnen_termijn]",
            "    waarden: [werkdruk, kennelijk_ongegrond, klager_ziet_af, geen_reactie_binnen_termijn]",
        )
        case = make_case(
            engine.procedure, state="formele_klacht.horen", engine=engine, at=START
        )

        with pytest.raises(UnlawfulAction) as refused:
            _fire(
                engine,
                case,
                "zie_af_van_horen",
                days=10,
                data={"grond_niet_horen": "werkdruk"},
            )
        assert "Awb 9:10 lid 2 (BWBR0005537)" == refused.value.article
        assert _fire(
            engine,
            case,
            "zie_af_van_horen",
            days=10,
            data={"grond_niet_horen": "klager_ziet_af"},
        )

    def test_refusal_on_six_months_is_refused(self) -> None:
        """Awb 9:8 lid 1 onder b says more than a year, not six months."""
        engine = _variant(
            "gemeente-awb",
            "      - ouder_dan_een_jaar\n",
            "      - ouder_dan_zes_maanden\n",
        )
        case = make_case(
            engine.procedure, state="formele_klacht.onderzoek", engine=engine, at=START
        )

        with pytest.raises(UnlawfulAction):
            _fire(
                engine,
                case,
                "weiger_behandeling",
                days=10,
                data={"weigergrond": "ouder_dan_zes_maanden"},
            )

    def test_closing_letter_without_the_ombudsman_is_refused(self) -> None:
        """Awb 9:12 lid 2: the notice names the ombudsman and the term."""
        engine = _variant(
            "gemeente-awb",
            "    vereist: [bevindingen, oordeel, conclusies, ombudsman_verwijzing, verbetermaatregelen]",
            "    vereist: [bevindingen, oordeel, conclusies, verbetermaatregelen]",
        )
        case = make_case(
            engine.procedure,
            state="formele_klacht.oordeelsvorming",
            engine=engine,
            at=START,
        )

        with pytest.raises(UnlawfulAction) as refused:
            _fire(engine, case, "handel_af", days=20)
        assert "ombudsman" in refused.value.reason
        assert _fire(
            engine,
            case,
            "handel_af",
            days=20,
            data={
                "bevindingen": "b",
                "oordeel": "gegrond",
                "conclusies": "c",
                "verbetermaatregelen": "v",
                "ombudsman_verwijzing": "Nationale ombudsman, binnen een jaar",
            },
        )

    def test_hearing_without_report_is_refused(self) -> None:
        """Awb 9:10 lid 3: "Van het horen wordt een verslag gemaakt"."""
        engine = _variant("gemeente-awb", "    vereist: [hoorverslag]\n", "")
        case = make_case(
            engine.procedure, state="formele_klacht.horen", engine=engine, at=START
        )

        with pytest.raises(UnlawfulAction):
            _fire(engine, case, "hoor_partijen", days=10)


class TestSeparation:
    def test_beklaagde_may_not_choose_the_handler(self) -> None:
        """Awb 9:7 lid 1, also where the procedure forgot to say so."""
        engine = _variant(
            "gemeente-awb",
            "    wie: [klachtencoordinator, bestuursorgaan]\n    scheiding:\n      - niet_partij: beklaagde\n"
            "        tenzij:\n          - {veld: klacht_over_bestuursorgaan, is: true}\n"
            '        grondslag: {wet: Awb, artikel: "9:7", lid: 1}\n    vereist: [behandelaar]',
            "    wie: [klachtencoordinator, bestuursorgaan]\n    vereist: [behandelaar]",
        )
        case = make_case(
            engine.procedure, state="formele_klacht.onderzoek", engine=engine, at=START
        )
        insider = Actor(
            case.parties["beklaagde"][0], frozenset({"klachtencoordinator"})
        )

        with pytest.raises(UnlawfulAction):
            engine.fire(
                case,
                "wijs_behandelaar_aan",
                actor=insider,
                data={"behandelaar": "x"},
                at=_at(5),
            )
        assert_transition(
            engine, case, "wijs_behandelaar_aan", to="formele_klacht.onderzoek"
        )


def test_engine_layer_claims_match_the_enforced_kinds() -> None:
    """Every obligation the model says the engine enforces is of a kind the engine compiles."""
    claimed = {
        type(o)
        for r in REGIMES.values()
        for o in r.obligations
        if Layer.ENGINE in o.layers
    }

    assert claimed == set(ENFORCED)


def test_explain_reports_the_laws_refusal() -> None:
    """explain() says why the law refuses, with the article (Awb 4:17 lid 3)."""
    engine = Engine(
        builtin_procedure("bezwaar-awb"), clock=FixedClock(START), backdating=None
    )
    case = make_case(engine.procedure, state="behandeling", engine=engine, at=START)
    actor = actor_for(engine.procedure, "ontvang_ingebrekestelling", case)

    decision = engine.explain(
        case,
        "ontvang_ingebrekestelling",
        actor,
        data={"datum_ingebrekestelling": _at(30).date()},
        at=_at(30),
    )

    assert not decision.allowed
    assert "Awb 4:17 lid 3" in decision.reasons[0].message


class TestOtherRegimes:
    def test_bezwaar_verdaging_after_the_decision_term(self) -> None:
        """Awb 7:10 lid 3: a verdaging after the beslistermijn has passed is refused (🔶)."""
        engine = Engine(builtin_procedure("bezwaar-awb"), backdating=None)
        case = make_case(engine.procedure, state="behandeling", engine=engine, at=START)
        late = (case.clocks["beslistermijn"].due() - START.date()).days + 3

        with pytest.raises(UnlawfulAction) as refused:
            _fire(engine, case, "verdaag", days=late)
        assert "Awb 7:10 lid 5 (BWBR0005537)" == refused.value.article

    def test_bezwaar_hearing_skipped_on_an_unlisted_ground(self) -> None:
        """Awb 7:3 lists five grounds to skip the hearing; 'werkdruk' is none of them."""
        engine = _variant(
            "bezwaar-awb",
            "volledig_tegemoetgekomen]",
            "volledig_tegemoetgekomen, werkdruk]",
        )
        case = make_case(engine.procedure, state="behandeling", engine=engine, at=START)

        with pytest.raises(UnlawfulAction) as refused:
            _fire(
                engine,
                case,
                "zie_af_van_horen",
                days=5,
                data={"grond_niet_horen": "werkdruk"},
            )
        assert "Awb 7:3 (BWBR0005537)" == refused.value.article

    def test_wkkgz_extension_beyond_four_weeks(self) -> None:
        """Wkkgz 17 lid 2: "met ten hoogste vier weken", whatever the procedure allows."""
        engine = _variant(
            "zorgaanbieder-wkkgz", "      maximaal: 4 weken", "      maximaal: 8 weken"
        )
        case = make_case(
            engine.procedure, state="klacht.onderzoek", engine=engine, at=START
        )

        with pytest.raises(UnlawfulAction) as refused:
            _fire(engine, case, "verleng", days=10, extension="6 weken")
        assert "Wkkgz art 17 lid 2 (BWBR0037173)" == refused.value.article

    def test_refusal_notice_without_the_ombudsman(self) -> None:
        """Awb 9:8 lid 3 declares 9:12 lid 2 applicable: the notice names the ombudsman."""
        engine = _variant(
            "gemeente-awb",
            "    vereist: [weigergrond, ombudsman_verwijzing]",
            "    vereist: [weigergrond]",
        )
        case = make_case(
            engine.procedure, state="formele_klacht.onderzoek", engine=engine, at=START
        )

        with pytest.raises(UnlawfulAction) as refused:
            _fire(engine, case, "weiger_behandeling", days=10)
        assert "ombudsman" in refused.value.reason


class TestLocalChoiceWhereTheLawIsSilent:
    """law.md 🔶: Awb 9:11 lid 2 sets no moment for the verdaging; a procedure may allow a
    late one (ook_na_verstrijken). Wkkgz 17 lid 2 demands notice before expiry: never."""

    LATE = (
        "      melden_aan: [klager, beklaagde]\n",
        "      melden_aan: [klager, beklaagde]\n      ook_na_verstrijken: true\n",
    )

    def test_awb_procedure_may_allow_a_late_verdaging(self) -> None:
        """With ook_na_verstrijken the engine accepts it, and the audit counts it."""
        engine = _variant("gemeente-awb", *self.LATE)
        case = make_case(
            engine.procedure, state="formele_klacht.onderzoek", engine=engine, at=START
        )
        after = _fire(engine, case, "verdaag", days=50)

        codes = {
            f.code for f in audit_case(after, engine.procedure, today=_at(55).date())
        }
        assert after.clocks["afhandeling"].extensions
        assert not codes & {"AUDIT-9:11-03", "AUDIT-OPEN-AWB-9:11-01"}
        assert "AWB-9:11-04" not in {
            f.code for f in check_procedure(engine.procedure).findings
        }

    def test_wkkgz_procedure_may_not(self) -> None:
        """check reports it (WKKGZ-17-04) and the engine still refuses."""
        engine = _variant(
            "zorgaanbieder-wkkgz",
            "      melden_aan: [klager]\n",
            "      melden_aan: [klager]\n      ook_na_verstrijken: true\n",
        )
        case = make_case(
            engine.procedure, state="klacht.onderzoek", engine=engine, at=START
        )

        assert "WKKGZ-17-04" in {
            f.code for f in check_procedure(engine.procedure).findings
        }
        with pytest.raises(UnlawfulAction):
            _fire(engine, case, "verleng", days=43)
