"""The engine: permissions, separation of duties, consent, data, terms, audit."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import attrs
import pendulum
import pytest
from transitions.core import MachineError

from klachtflow import (
    Actor,
    Case,
    ConditionContext,
    ConditionNotMet,
    Conditions,
    ConsentMissing,
    Engine,
    Event,
    FixedClock,
    InvalidData,
    MigrationError,
    MissingData,
    NotPermitted,
    Procedure,
    ProcedureMismatch,
    SeparationOfDutiesViolation,
    TermError,
    TransitionNotAllowed,
    UnknownAction,
    UnknownCondition,
    builtin_procedure,
    loads_procedure,
    verify_history,
)
from klachtflow.definition.templates import template_text
from klachtflow.rules.clocks import ClockState
from klachtflow.testing import make_procedure

from .conftest import (
    BEHANDELAAR,
    BEKLAAGDE,
    COORDINATOR,
    FUNCTIONARIS,
    KLAAGSCHRIFT,
    KLAGER,
    ORGAAN,
    PARTIES,
    VERTROUWENSPERSOON,
)


class TestStart:
    def test_new_case(self, case: Case, procedure: Procedure) -> None:
        """A new case is in the start state, version 1, pinned to the procedure."""
        assert ("onvrede", 1) == (case.state, case.version)
        assert (procedure.name, procedure.version, procedure.digest) == (
            case.procedure,
            case.procedure_version,
            case.procedure_digest,
        )
        assert {"klager": ("b.jansen",), "beklaagde": ("j.smit",)} == dict(case.parties)
        assert "start" == case.history[0].action
        assert verify_history(case)

    def test_terms_on_entering_the_start_state(self, case: Case) -> None:
        """eerste_contact (5 werkdagen, local rule) starts with the case."""
        (status,) = case.deadlines

        assert ("eerste_contact", dt.date(2026, 3, 9), ClockState.LOPEND) == (
            status.name,
            status.due,
            status.state,
        )

    def test_unknown_party_role(self, engine: Engine) -> None:
        """Parties must be party roles of the procedure."""
        with pytest.raises(InvalidData, match="behandelaar"):
            engine.start(actor=KLAGER, parties={"behandelaar": ["x"]})

    def test_actor_without_any_role(self, engine: Engine) -> None:
        """Someone with no role in the procedure cannot open a case."""
        with pytest.raises(NotPermitted):
            engine.start(actor=Actor("x", roles={"bezoeker"}), parties=PARTIES)

    def test_explicit_at_and_id(self, engine: Engine, clock: FixedClock) -> None:
        """start takes an explicit timestamp and id (imports); legal date in Amsterdam."""
        at = dt.datetime(2026, 3, 31, 22, 30, tzinfo=dt.UTC)
        clock.at = at
        case = engine.start(actor=KLAGER, parties=PARTIES, at=at, case_id="Z-1")

        assert "Z-1" == case.id
        assert dt.date(2026, 4, 1) == case.history[0].legal_date

    def test_naive_timestamp_is_refused(self, engine: Engine) -> None:
        """A timestamp without timezone is a programmer error."""
        with pytest.raises(ValueError, match="timezone-aware"):
            engine.start(actor=KLAGER, parties=PARTIES, at=dt.datetime(2026, 3, 2, 10))  # noqa: DTZ001


class TestFire:
    def test_fire_returns_a_new_version(self, engine: Engine, case: Case) -> None:
        """fire returns a new case with version + 1 and one more event; the old is unchanged."""
        after = engine.fire(
            case, "plan_gesprek", actor=COORDINATOR, reason="telefonisch verzoek"
        )

        assert ("gesprek", 2, 2) == (after.state, after.version, len(after.history))
        assert ("onvrede", 1) == (case.state, case.version)
        assert "telefonisch verzoek" == after.history[-1].reason
        assert "klachtencoordinator" == after.history[-1].role

    def test_nested_states(self, formal: Case) -> None:
        """Hierarchical states: a formal complaint lives in formele_klacht.onderzoek."""
        assert "formele_klacht.onderzoek" == formal.state
        assert "onderzoek" == formal.status

    def test_action_from_parent_state(self, engine: Engine, formal: Case) -> None:
        """An action declared on the parent (verdaag) works from a nested state."""
        after = engine.fire(
            formal,
            "verdaag",
            actor=ORGAAN,
            data={"reden_verdaging": "advies nodig"},
            notified=["klager", "beklaagde"],
        )

        assert formal.state == after.state

    def test_unknown_action(self, engine: Engine, case: Case) -> None:
        """An unknown action is UnknownAction with a suggestion."""
        with pytest.raises(UnknownAction) as info:
            engine.fire(case, "plan_gesprekk", actor=COORDINATOR)

        assert "Bedoelde u 'plan_gesprek'?" == info.value.hint

    def test_transition_not_allowed_lists_what_is(
        self, engine: Engine, case: Case
    ) -> None:
        """An action that is not possible here lists the ones that are."""
        with pytest.raises(TransitionNotAllowed) as info:
            engine.fire(case, "handel_af", actor=ORGAAN)

        assert "plan_gesprek" in info.value.allowed
        assert "handel_af" not in info.value.allowed

    def test_not_permitted(self, engine: Engine, case: Case) -> None:
        """A role that may not perform the action is NotPermitted, naming the roles needed."""
        with pytest.raises(NotPermitted) as info:
            engine.fire(case, "plan_gesprek", actor=KLAGER)

        assert ("behandelaar", "klachtencoordinator") == info.value.required_roles

    def test_party_role_requires_being_that_party(
        self, engine: Engine, case: Case
    ) -> None:
        """Holding the role 'klager' is not enough: the actor must be this case's klager."""
        other = Actor("x.iemand", roles={"klager"})
        with pytest.raises(NotPermitted, match="geen klager"):
            engine.fire(case, "trek_in", actor=other)

    def test_missing_data(self, engine: Engine, case: Case) -> None:
        """Required data that is absent is MissingData naming the fields."""
        with pytest.raises(MissingData) as info:
            engine.fire(
                case,
                "registreer_klaagschrift",
                actor=COORDINATOR,
                data={"schriftelijk": True},
            )

        assert {
            "datum_ontvangst",
            "omschrijving_gedraging",
            "naam_adres_klager",
            "dagtekening",
        } == set(info.value.fields)

    def test_invalid_data(self, engine: Engine, case: Case) -> None:
        """Data of the wrong type or unknown fields are InvalidData per field."""
        with pytest.raises(InvalidData) as info:
            engine.fire(
                case,
                "plan_gesprek",
                actor=COORDINATOR,
                data={
                    "kanaal": "postduif",
                    "onbekend": 1,
                    "datum_gedraging": "gisteren",
                },
            )

        assert {"kanaal", "onbekend", "datum_gedraging"} == set(info.value.problems)

    def test_data_check(self, engine: Engine, case: Case) -> None:
        """Awb 9:4: only a written complaint enters the formal track (controle)."""
        with pytest.raises(ConditionNotMet) as info:
            engine.fire(
                case,
                "registreer_klaagschrift",
                actor=COORDINATOR,
                data={**KLAAGSCHRIFT, "schriftelijk": False},
            )

        assert ("schriftelijk is True",) == info.value.failed

    def test_refused_fire_changes_nothing(self, engine: Engine, case: Case) -> None:
        """After any refusal the case is equal to what it was."""
        before = attrs.evolve(case)
        for action, actor in (
            ("handel_af", ORGAAN),
            ("plan_gesprek", KLAGER),
            ("nope", KLAGER),
        ):
            with pytest.raises(Exception):  # noqa: B017, PT011 - any refusal
                engine.fire(case, action, actor=actor)

        assert before == case


class TestSeparationOfDuties:
    """Awb 9:7 lid 1: "De behandeling van een klacht geschiedt door een persoon die niet
    bij de gedraging waarop de klacht betrekking heeft, betrokken is geweest." """

    def test_beklaagde_may_not_handle(self, engine: Engine, formal: Case) -> None:
        """The beklaagde, though a behandelaar, may not send the copy (9:7 lid 1)."""
        with pytest.raises(SeparationOfDutiesViolation) as info:
            engine.fire(
                formal,
                "stuur_afschrift",
                actor=BEKLAAGDE,
                data={"datum_afschrift": "2026-03-04"},
            )

        assert "Awb 9:7 lid 1 (BWBR0005537)" in info.value.basis
        assert "niet_partij: beklaagde" == info.value.rule

    def test_lid_2_exception(self, engine: Engine, case: Case) -> None:
        """Awb 9:7 lid 2: a complaint about the organ itself may be handled by it,
        once someone other than the beklaagde recorded that it is."""
        about_the_organ = engine.fire(
            case,
            "registreer_klaagschrift",
            actor=COORDINATOR,
            data={**KLAAGSCHRIFT, "klacht_over_bestuursorgaan": True},
        )
        formal = engine.fire(
            about_the_organ,
            "bevestig_ontvangst",
            actor=COORDINATOR,
            data={"datum_ontvangstbevestiging": dt.date(2026, 3, 3)},
        )
        after = engine.fire(
            formal,
            "stuur_afschrift",
            actor=BEKLAAGDE,
            data={"datum_afschrift": "2026-03-04"},
        )

        assert "formele_klacht.horen" == after.state

    def test_the_beklaagde_cannot_declare_the_lid_2_exception(
        self, engine: Engine, formal: Case
    ) -> None:
        """Awb 9:7 lid 2 is judged on what the case said before the act, and never
        on what the beklaagde declared: not in the same act, nor in an earlier one."""
        with pytest.raises(SeparationOfDutiesViolation):
            engine.fire(
                formal,
                "stuur_afschrift",
                actor=BEKLAAGDE,
                data={
                    "datum_afschrift": "2026-03-04",
                    "klacht_over_bestuursorgaan": True,
                },
            )

    def test_not_the_performer_of_another_action(self, clock: FixedClock) -> None:
        """niet_uitvoerder_van: whoever prepared may not also decide."""
        procedure = make_procedure(
            statussen={
                "ontvangen": {"begin": True},
                "voorbereid": {},
                "afgehandeld": {"eind": True},
            },
            acties={
                "bereid_voor": {
                    "van": "ontvangen",
                    "naar": "voorbereid",
                    "wie": "behandelaar",
                },
                "handel_af": {
                    "van": "voorbereid",
                    "naar": "afgehandeld",
                    "wie": "behandelaar",
                    "scheiding": [{"niet_uitvoerder_van": "bereid_voor"}],
                },
            },
        )
        engine = Engine(procedure, clock=clock)
        one, two = (
            Actor("een", roles={"behandelaar"}),
            Actor("twee", roles={"behandelaar"}),
        )
        case = engine.fire(
            engine.start(actor=one, parties={}), "bereid_voor", actor=one
        )

        with pytest.raises(SeparationOfDutiesViolation, match="bereid_voor"):
            engine.fire(case, "handel_af", actor=one)
        assert "afgehandeld" == engine.fire(case, "handel_af", actor=two).state


class TestConsent:
    def test_mediation_needs_both(self, engine: Engine, case: Case) -> None:
        """Bemiddeling only with instemming of klager and beklaagde."""
        with pytest.raises(ConsentMissing) as info:
            engine.fire(
                case, "start_bemiddeling", actor=FUNCTIONARIS, consent=["klager"]
            )

        assert ("beklaagde",) == info.value.missing
        after = engine.fire(
            case,
            "start_bemiddeling",
            actor=FUNCTIONARIS,
            consent=["klager", "beklaagde"],
        )
        assert "bemiddeling" == after.state
        assert {"klager": None, "beklaagde": None} == dict(after.history[-1].consent)

    def test_written_consent_needs_a_reference(
        self, engine: Engine, formal: Case
    ) -> None:
        """Awb 9:11 lid 3: further delay with the klager's *written* consent."""
        with pytest.raises(ConsentMissing) as info:
            engine.fire(
                formal,
                "stel_verder_uit",
                actor=ORGAAN,
                consent=["klager"],
                postponed_until="2026-06-30",
            )

        assert info.value.written
        after = engine.fire(
            formal,
            "stel_verder_uit",
            actor=ORGAAN,
            consent={"klager": "brief 2026-04-01"},
            postponed_until="2026-06-30",
        )
        assert dt.date(2026, 6, 30) == after.clocks["afhandeling"].due()


class TestTerms:
    def test_registration_starts_the_statutory_terms(self, formal: Case) -> None:
        """Awb 9:11 (6 weeks) and 9:8 (4 weeks) run from the date of receipt."""
        due = {s.name: s.due for s in formal.deadlines}

        assert dt.date(2026, 4, 13) == due["afhandeling"]
        assert dt.date(2026, 3, 30) == due["weigering"]

    def test_extension_records_notice(self, engine: Engine, formal: Case) -> None:
        """Verdaging: the maximum by default, notice to klager and beklaagde recorded."""
        after = engine.fire(
            formal,
            "verdaag",
            actor=ORGAAN,
            data={"reden_verdaging": "x"},
            notified=["klager", "beklaagde"],
        )

        assert dt.date(2026, 5, 11) == after.clocks["afhandeling"].due()
        assert ("klager", "beklaagde") == after.history[-1].notified
        assert "verlengd met 4 weken" in after.history[-1].terms["afhandeling"]

    def test_extension_without_notice_is_refused(
        self, engine: Engine, formal: Case
    ) -> None:
        """Without notice to both, the extension is refused and nothing changes."""
        with pytest.raises(TermError, match="beklaagde"):
            engine.fire(
                formal,
                "verdaag",
                actor=ORGAAN,
                data={"reden_verdaging": "x"},
                notified=["klager"],
            )

    def test_second_extension_beyond_maximum(
        self, engine: Engine, formal: Case
    ) -> None:
        """A second extension past the maximum is refused."""
        once = engine.fire(
            formal,
            "verdaag",
            actor=ORGAAN,
            data={"reden_verdaging": "x"},
            notified=["klager", "beklaagde"],
        )
        with pytest.raises(TermError, match="maximum"):
            engine.fire(
                once,
                "verdaag",
                actor=ORGAAN,
                notified=["klager", "beklaagde"],
                extension="1 week",
            )

    def test_handling_stops_the_term_and_sets_the_result(
        self, engine: Engine, formal: Case
    ) -> None:
        """Afhandeling (9:12) stops the term, sets the result from 'oordeel', starts 9:24."""
        case = _to_judgement(engine, formal)
        done = engine.fire(
            case,
            "handel_af",
            actor=ORGAAN,
            data={
                "bevindingen": "b",
                "oordeel": "deels_gegrond",
                "conclusies": "c",
                "ombudsman_verwijzing": "Nationale ombudsman, binnen een jaar",
                "verbetermaatregelen": "training",
            },
        )
        states = {s.name: s.state for s in done.deadlines}
        (stopped,) = (s for s in done.stopped_deadlines if s.name == "afhandeling")

        assert "deels_gegrond" == done.result
        assert "afhandeling" not in states
        assert ClockState.GESTOPT == stopped.state
        assert stopped.working_days_left is None
        assert ClockState.LOPEND == states["ombudsman_verzoek"]

    def test_monitoring(self, engine: Engine, formal: Case) -> None:
        """overdue and due_within find the clocks that need attention."""
        assert [("afhandeling", dt.date(2026, 4, 13))] == [
            (s.name, s.due)
            for _, s in engine.overdue([formal], on=dt.date(2026, 4, 14))
            if s.name == "afhandeling"
        ]
        soon = {
            s.name for _, s in engine.due_within([formal], 10, on=dt.date(2026, 3, 25))
        }
        assert "weigering" in soon
        assert "afhandeling" not in soon


class TestEndStates:
    """The law says nothing of a term once a case is closed. klachtflow stops
    every clock that runs into an end state (``eind: true``) on that day, so a
    closed case shows no expired terms and leaves no worklist; a term that
    starts on that very step, or is declared ``loopt_door_na_einde``, runs on.
    """

    BEHANDELAAR = Actor("b.1", roles={"behandelaar"})
    INDIENER = Actor("i.1", roles={"indiener"})

    def objection(self, engine: Engine) -> Case:
        """Awb 6:7: "De termijn voor het indienen van een bezwaar- of
        beroepschrift bedraagt zes weken." Besluit bekendgemaakt 5 March."""
        return engine.start(
            actor=self.BEHANDELAAR,
            parties={"indiener": ["i.1"], "voorbereider": ["v.1"]},
            data={"datum_bekendmaking": "2026-03-05"},
            at=dt.datetime(2026, 3, 20, 10, tzinfo=dt.UTC),
        )

    def test_withdrawal_stops_the_bezwaartermijn(self) -> None:
        engine = Engine(builtin_procedure("bezwaar-awb"), backdating=None)
        case = self.objection(engine)
        withdrawn = engine.fire(
            case,
            "trek_in",
            actor=self.INDIENER,
            at=dt.datetime(2026, 3, 25, 10, tzinfo=dt.UTC),
        )
        states = {s.name: s.state for s in withdrawn.deadlines_on(dt.date(2027, 1, 1))}

        assert (
            "gestopt op 2026-03-25 (eindstatus bereikt)"
            == (withdrawn.history[-1].terms["bezwaartermijn"])
        )
        assert {
            "bezwaartermijn": ClockState.GESTOPT,
            "beslistermijn": ClockState.GESTOPT,
        } == states
        assert [] == engine.overdue([withdrawn], on=dt.date(2027, 1, 1))
        assert verify_history(withdrawn)

    def test_a_term_declared_to_run_on_keeps_running(self) -> None:
        text = template_text("bezwaar-awb").replace(
            "    vanaf_veld: datum_bekendmaking\n",
            "    vanaf_veld: datum_bekendmaking\n    loopt_door_na_einde: true\n",
        )
        engine = Engine(loads_procedure(text), backdating=None)
        withdrawn = engine.fire(
            self.objection(engine),
            "trek_in",
            actor=self.INDIENER,
            at=dt.datetime(2026, 3, 25, 10, tzinfo=dt.UTC),
        )
        states = {s.name: s.state for s in withdrawn.deadlines_on(dt.date(2027, 1, 1))}

        assert engine.procedure.terms["bezwaartermijn"].runs_on
        assert "bezwaartermijn" not in withdrawn.history[-1].terms
        assert ClockState.VERLOPEN == states["bezwaartermijn"]

    def test_the_ombudsman_year_starts_in_the_end_state_and_runs(
        self, engine: Engine, formal: Case
    ) -> None:
        """Awb 9:24 lid 1: the ombudsman handles a request made within a year
        after the afhandeling; the clock starting there is not stopped by it."""
        done = engine.fire(
            _to_judgement(engine, formal),
            "handel_af",
            actor=ORGAAN,
            data={
                "bevindingen": "b",
                "oordeel": "ongegrond",
                "conclusies": "c",
                "ombudsman_verwijzing": "Nationale ombudsman, binnen een jaar",
                "verbetermaatregelen": "geen",
            },
        )

        assert done.history[-1].terms["ombudsman_verzoek"].startswith("gestart op")
        assert ClockState.LOPEND == done.clocks["ombudsman_verzoek"].state(
            dt.date(2026, 12, 1)
        )


def _to_judgement(engine: Engine, formal: Case) -> Case:
    case = engine.fire(
        formal,
        "stuur_afschrift",
        actor=BEHANDELAAR,
        data={"datum_afschrift": "2026-03-04"},
    )
    return engine.fire(
        case, "hoor_partijen", actor=BEHANDELAAR, data={"hoorverslag": "verslag"}
    )


class TestConditions:
    @pytest.fixture
    def conditional(self) -> Procedure:
        return make_procedure(
            acties={
                "handel_af": {
                    "van": "ontvangen",
                    "naar": "afgehandeld",
                    "wie": "behandelaar",
                    "voorwaarden": ["dossier_compleet"],
                }
            }
        )

    def test_unregistered_condition(self, conditional: Procedure) -> None:
        """An engine refuses a procedure whose conditions the host did not register."""
        with pytest.raises(UnknownCondition) as info:
            Engine(conditional)

        assert ("dossier_compleet",) == info.value.missing

    def test_failed_condition_is_named(
        self, conditional: Procedure, clock: FixedClock
    ) -> None:
        """A False condition becomes ConditionNotMet naming it; True lets it pass."""
        conditions = Conditions()
        seen: list[ConditionContext] = []

        @conditions.register("dossier_compleet")
        def dossier_compleet(ctx: ConditionContext) -> bool:
            seen.append(ctx)
            return bool(ctx.data.get("compleet"))

        engine = Engine(conditional, conditions=conditions, clock=clock)
        actor = Actor("a", roles={"behandelaar"})
        case = engine.start(actor=actor, parties={})
        with pytest.raises(ConditionNotMet) as info:
            engine.fire(case, "handel_af", actor=actor)

        assert ("dossier_compleet",) == info.value.failed
        assert "handel_af" == seen[0].action
        assert not engine.explain(case, "handel_af", actor)
        assert () == engine.allowed_actions(case, actor)

    def test_duplicate_registration(self) -> None:
        """A condition name is registered once."""
        conditions = Conditions()
        conditions.add("x", lambda ctx: True)
        with pytest.raises(ValueError, match="already"):
            conditions.add("x", lambda ctx: True)


class TestExplainAndAllowed:
    def test_explain_lists_every_reason_without_raising(
        self, engine: Engine, formal: Case
    ) -> None:
        """explain gives Decision(allowed, reasons) for UIs: role and data together."""
        decision = engine.explain(formal, "stuur_afschrift", KLAGER)

        assert not decision.allowed
        assert {"rol", "gegevens"} == {r.kind.value for r in decision.reasons}

    def test_explain_allowed(self, engine: Engine, formal: Case) -> None:
        """With the data supplied, explain says yes and names the role."""
        decision = engine.explain(
            formal,
            "stuur_afschrift",
            BEHANDELAAR,
            data={"datum_afschrift": "2026-03-04"},
        )

        assert decision.allowed
        assert "behandelaar" == decision.role

    def test_allowed_actions_per_actor(self, engine: Engine, formal: Case) -> None:
        """Each actor sees only the actions they may perform now."""
        assert ("trek_in",) == engine.allowed_actions(formal, KLAGER)
        assert "stuur_afschrift" not in engine.allowed_actions(formal, BEKLAAGDE)
        assert "stuur_afschrift" in engine.allowed_actions(formal, BEHANDELAAR)
        assert {
            "verdaag",
            "stel_verder_uit",
            "vraag_advies",
            "weiger_behandeling",
        } <= set(engine.allowed_actions(formal, ORGAAN))


class TestAuditTrail:
    def test_every_event_records_the_facts(
        self, formal: Case, procedure: Procedure
    ) -> None:
        """Sequence, action, states, actor and role, times, data, procedure, hash chain."""
        event = formal.history[1]

        assert (
            2,
            "registreer_klaagschrift",
            "onvrede",
            "formele_klacht.ontvangen",
        ) == (
            event.seq,
            event.action,
            event.from_state,
            event.to_state,
        )
        assert ("m.devries", "klachtencoordinator") == (event.actor, event.role)
        assert event.at.tzinfo is not None
        assert dt.date(2026, 3, 2) == event.legal_date
        assert (None, "2026-03-02") == event.changes["datum_ontvangst"]
        assert procedure.digest == event.procedure_digest
        assert formal.history[0].hash == event.prev_hash

    @pytest.mark.parametrize(
        "tamper", ["edit", "remove", "reorder", "insert", "rehash-one"]
    )
    def test_tampering_is_detected(self, formal: Case, tamper: str) -> None:
        """Edited, removed, reordered or inserted events break verify_history."""
        history = list(formal.history)
        if tamper == "edit":
            history[1] = attrs.evolve(history[1], actor="iemand.anders")
        elif tamper == "remove":
            del history[1]
        elif tamper == "reorder":
            history[1], history[2] = history[2], history[1]
        elif tamper == "insert":
            history.insert(1, history[1])
        else:
            forged = attrs.evolve(history[1], actor="iemand.anders")
            history[1] = attrs.evolve(forged, hash=forged.compute_hash())
        report = verify_history(attrs.evolve(formal, history=tuple(history)))

        assert not report
        assert report.problems

    def test_intact_history(self, formal: Case) -> None:
        """An untouched case verifies."""
        assert verify_history(formal).valid


class TestConfidentiality:
    """Seed 004: a vertrouwenspersoon's notes stay between them and the klager."""

    @pytest.fixture
    def noted(self, engine: Engine, case: Case) -> Case:
        return engine.fire(
            case,
            "neem_contact_op",
            actor=COORDINATOR,
            data={"notities_vertrouwenspersoon": "vertrouwelijk"},
        )

    def test_vertrouwenspersoon_and_klager_see_notes(self, noted: Case) -> None:
        """The vertrouwenspersoon and this case's klager see the field."""
        assert "notities_vertrouwenspersoon" in noted.view_for(VERTROUWENSPERSOON).data
        assert "notities_vertrouwenspersoon" in noted.view_for(KLAGER).data

    def test_others_do_not(self, noted: Case) -> None:
        """Staff, the beklaagde and another klager do not, not even in the history."""
        for actor in (COORDINATOR, BEKLAAGDE, Actor("x", roles={"klager"})):
            view = noted.view_for(actor)

            assert "notities_vertrouwenspersoon" not in view.data
            assert all(
                "notities_vertrouwenspersoon" not in e.changes for e in view.history
            )
            assert "notities_vertrouwenspersoon" in view.hidden


class TestListeners:
    def test_listeners_receive_each_event(
        self, procedure: Procedure, clock: FixedClock
    ) -> None:
        """Registered listeners get every applied event with the new case."""
        got: list[tuple[str, int]] = []
        engine = Engine(
            procedure,
            clock=clock,
            listeners=[lambda e, c: got.append((e.action, c.version))],
        )
        case = engine.start(actor=KLAGER, parties=PARTIES)
        engine.fire(case, "plan_gesprek", actor=COORDINATOR)

        assert [("start", 1), ("plan_gesprek", 2)] == got

    def test_failing_listener_never_breaks_the_case(
        self, procedure: Procedure, clock: FixedClock, caplog: pytest.LogCaptureFixture
    ) -> None:
        """A failing listener is reported; the case is returned intact; others still run."""
        failures: list[str] = []
        after: list[str] = []

        def broken(event: Event, case: Case) -> None:
            msg = "printer offline"
            raise RuntimeError(msg)

        engine = Engine(
            procedure,
            clock=clock,
            listeners=[broken, lambda e, c: after.append(e.action)],
            on_listener_error=lambda listener, event, error: failures.append(
                str(error)
            ),
        )
        case = engine.fire(
            engine.start(actor=KLAGER, parties=PARTIES),
            "plan_gesprek",
            actor=COORDINATOR,
        )

        assert ("gesprek", 2) == (case.state, case.version)
        assert ["printer offline", "printer offline"] == failures
        assert ["start", "plan_gesprek"] == after
        assert verify_history(case)

    def test_default_handler_logs(
        self, procedure: Procedure, clock: FixedClock, caplog: pytest.LogCaptureFixture
    ) -> None:
        """By default a listener failure is logged on 'klachtflow.engine'."""

        def broken(event: Event, case: Case) -> None:
            msg = "x"
            raise ValueError(msg)

        engine = Engine(procedure, clock=clock, listeners=[broken])
        with caplog.at_level(logging.ERROR, logger="klachtflow.engine"):
            engine.start(actor=KLAGER, parties=PARTIES)

        assert "Listener" in caplog.text


class TestProcedureVersions:
    def test_other_version_is_refused(self, case: Case, clock: FixedClock) -> None:
        """A case pinned to one version cannot be fired with another."""
        changed = template_text("gemeente-awb").replace(
            'versie: "1.0.0"', 'versie: "1.1.0"'
        )
        other = Engine(loads_procedure(changed), clock=clock)
        with pytest.raises(ProcedureMismatch, match=r"1\.0\.0") as info:
            other.fire(case, "plan_gesprek", actor=COORDINATOR)

        assert "migreer" in (info.value.hint or "")

    def test_migration_is_an_audited_event(
        self, engine: Engine, formal: Case, clock: FixedClock
    ) -> None:
        """migrate pins the case to the new version, keeps clocks, and records itself."""
        newer = loads_procedure(
            template_text("gemeente-awb").replace('versie: "1.0.0"', 'versie: "1.1.0"')
        )
        migrated = engine.migrate(
            formal, to=newer, actor=COORDINATOR, reason="nieuwe regeling"
        )
        other = Engine(newer, clock=clock)

        assert ("1.1.0", formal.version + 1) == (
            migrated.procedure_version,
            migrated.version,
        )
        assert "migratie" == migrated.history[-1].action
        assert verify_history(migrated)
        assert (
            formal.clocks["afhandeling"].due() == migrated.clocks["afhandeling"].due()
        )
        assert (
            "formele_klacht.horen"
            == other.fire(
                migrated,
                "stuur_afschrift",
                actor=BEHANDELAAR,
                data={"datum_afschrift": "2026-03-04"},
            ).state
        )

    def test_migration_needs_a_state_map_for_unknown_states(
        self, engine: Engine, formal: Case
    ) -> None:
        """A status that the new procedure lacks needs an explicit state_map."""
        target = make_procedure(
            rollen={
                "klager": {"soort": "partij", "omschrijving_generiek": "initiator"},
                "behandelaar": {
                    "soort": "organisatie",
                    "omschrijving_generiek": "behandelaar",
                },
                "klachtencoordinator": {
                    "soort": "organisatie",
                    "omschrijving_generiek": "zaakcoordinator",
                },
            },
            migratie={"wie": ["klachtencoordinator"]},
        )
        with pytest.raises(MigrationError):
            engine.migrate(formal, to=target, actor=COORDINATOR)

        moved = engine.migrate(
            formal, to=target, state_map={"onderzoek": "ontvangen"}, actor=COORDINATOR
        )
        assert "ontvangen" == moved.state


class TestMachine:
    def test_one_machine_no_models_no_backdoors(
        self, engine: Engine, formal: Case
    ) -> None:
        """The shared machine holds no models and has no to_<state> triggers."""
        machine = engine._machine

        assert 0 == machine.model_count
        assert not machine.has_backdoors()

    def test_transitions_never_leaks(self, engine: Engine, case: Case) -> None:
        """Refusals are klachtflow exceptions, never transitions' MachineError."""
        with pytest.raises(TransitionNotAllowed) as info:
            engine.fire(case, "handel_af", actor=ORGAAN)

        assert not isinstance(info.value, MachineError)


def test_informal_resolution_end_to_end(engine: Engine, case: Case) -> None:
    """onvrede → gesprek → opgelost with the klager's consent (Awb 9:5)."""
    case = engine.fire(case, "plan_gesprek", actor=COORDINATOR)
    case = engine.fire(
        case,
        "los_informeel_op",
        actor=COORDINATOR,
        data={"oplossing": "excuses"},
        consent=["klager"],
    )

    assert ("opgelost", "opgelost") == (case.state, case.result)
    assert all(s.state is ClockState.GESTOPT for s in case.deadlines)


def test_clock_advances(engine: Engine, case: Case, clock: FixedClock) -> None:
    """Without 'at' the injected clock decides the time of each event."""
    clock.advance(days=3)
    after = engine.fire(case, "plan_gesprek", actor=COORDINATOR)

    assert dt.date(2026, 3, 5) == after.history[-1].legal_date
    assert pendulum.datetime(2026, 3, 5, 9, tz="UTC") == after.history[-1].at


class TestImmutability:
    def test_case_mappings_are_read_only(self, formal: Case) -> None:
        """Case data, parties, clocks and event changes cannot be changed in place."""
        mappings: list[Any] = [
            formal.data,
            formal.parties,
            formal.clocks,
            formal.history[1].changes,
        ]
        for mapping in mappings:
            with pytest.raises(TypeError, match="read-only"):
                mapping["x"] = 1
            with pytest.raises(TypeError, match="read-only"):
                mapping.update({"x": 1})

    def test_case_is_frozen(self, formal: Case) -> None:
        """Attributes of a case cannot be reassigned."""
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            formal.state = "afgehandeld"  # type: ignore[misc]
