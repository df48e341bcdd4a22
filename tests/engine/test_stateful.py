"""Stateful property test over every built-in template.

Random actors perform random actions (valid or not) on one case, with the
clock moving on. Invariants after every step: the state is declared;
``version == len(history)``; a refused fire leaves the case equal;
``allowed_actions`` equals exactly the set of actions ``fire`` accepts for
that actor (when the caller supplies data, consent and notice); the history
verifies.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import attrs
import pendulum
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from klachtflow import (
    Actor,
    Case,
    Engine,
    FixedClock,
    KlachtflowError,
    Procedure,
    builtin_procedure,
    template_names,
    verify_history,
)
from klachtflow.testing import fire_inputs, sample_value


def complete_data(
    procedure: Procedure, case: Case, action: str, today: dt.date
) -> dict[str, Any]:
    """Values for required and checked fields that the case does not have yet."""
    spec = procedure.actions[action]
    data: dict[str, Any] = {}
    for name in spec.required:
        if case.data.get(name) in (None, ""):
            data[name] = sample_value(procedure, procedure.fields[name], today)
    for check in spec.checks:
        if check.field in case.data:
            continue
        if check.op == "is":
            data[check.field] = check.value
        elif check.op == "in":
            data[check.field] = check.value[0]
        elif check.value:
            data[check.field] = sample_value(
                procedure, procedure.fields[check.field], today
            )
    if spec.assigns is not None:  # wijs_toe: the role's test actor is assigned
        data[spec.assigns.field] = f"{spec.assigns.role}.1"
    return data


def machine_for(name: str) -> type[RuleBasedStateMachine]:
    procedure = builtin_procedure(name)
    party_roles = [r for r, spec in procedure.roles.items() if spec.is_party]
    parties = {role: [f"{role}.1"] for role in party_roles}
    actors = [Actor(f"{role}.1", roles={role}) for role in procedure.roles]
    # Someone who is both the beklaagde and staff: separation of duties must bite.
    actors.append(
        Actor(
            "beklaagde.1",
            roles={"beklaagde", *(r for r in procedure.roles if r not in party_roles)},
        )
    )
    actors.append(Actor("niemand", roles={"bezoeker"}))
    consents = {role: f"document van {role}" for role in party_roles}
    # Actions that close a case are drawn rarely (rule 'close'), so walks go deep;
    # the random rule tries every other action, mostly to be refused.
    closing = {
        a.name
        for a in procedure.actions.values()
        if a.target is not None and procedure.states[a.target].is_final
    }

    class ProcedureMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.clock = FixedClock(
                pendulum.datetime(2026, 1, 5, 9, tz="Europe/Amsterdam")
            )
            self.engine = Engine(procedure, clock=self.clock)
            self.case = self.engine.start(actor=actors[0], parties=parties)

        @rule(days=st.integers(min_value=0, max_value=20))
        def time_passes(self, days: int) -> None:
            self.clock.advance(days=days)

        @rule(
            action=st.sampled_from(
                [*(a for a in procedure.actions if a not in closing), "bestaat_niet"]
            ),
            actor=st.sampled_from(actors),
        )
        def act(self, action: str, actor: Actor) -> None:
            self._try(action, actor)

        @rule(actor=st.sampled_from(actors), data=st.data())
        def act_allowed(self, actor: Actor, data: st.DataObject) -> None:
            # Random actions are mostly refused; also walk what is allowed.
            allowed = self.engine.allowed_actions(self.case, actor)
            onward = [a for a in allowed if a not in closing]
            if onward:
                self._try(data.draw(st.sampled_from(onward)), actor)

        @rule(actor=st.sampled_from(actors), data=st.data())
        def close(self, actor: Actor, data: st.DataObject) -> None:
            allowed = [
                a for a in self.engine.allowed_actions(self.case, actor) if a in closing
            ]
            if allowed and data.draw(st.integers(0, 9)) == 0:
                self._try(data.draw(st.sampled_from(allowed)), actor)

        def _later_than_every_due(self, today: dt.date) -> dt.date:
            dues = [
                c.due(today) for c in self.case.clocks.values() if c.stopped_on is None
            ]
            return max([today, *dues]) + dt.timedelta(days=30)

        def _try(self, action: str, actor: Actor) -> None:
            allowed = self.engine.allowed_actions(self.case, actor)
            snapshot = attrs.evolve(self.case)
            today = self.clock.now().date()
            data = (
                complete_data(procedure, self.case, action, today)
                if action in procedure.actions
                else {}
            )
            try:
                after = self.engine.fire(
                    self.case,
                    action,
                    actor=actor,
                    data=data,
                    consent=consents,
                    notified=party_roles,
                    extension="1 dag",
                    postponed_until=self._later_than_every_due(today),
                    letter=fire_inputs(procedure, self.case, action, today).get(
                        "letter"
                    )
                    if action in procedure.actions
                    else None,
                )
            except KlachtflowError as error:
                # A refusal is an outcome to check, not a failure to expect.
                refused = f"{action} allowed for {actor.id} but refused: {error}"
                assert action not in allowed, refused
                assert snapshot == self.case
                return
            assert action in allowed, (
                f"{action} accepted for {actor.id} but not in {allowed}"
            )
            assert after.version == self.case.version + 1
            event(f"accepted: {action}")
            self.case = after

        @invariant()
        def state_is_declared(self) -> None:
            assert self.case.state in {
                s.path for s in procedure.states.values() if not s.children
            }

        @invariant()
        def version_is_history_length(self) -> None:
            assert self.case.version == len(self.case.history)

        @invariant()
        def history_verifies(self) -> None:
            assert verify_history(self.case)

    ProcedureMachine.__name__ = f"Machine_{name.replace('-', '_')}"
    return ProcedureMachine


#: Examples per template: 60 keeps the README test command near three minutes
#: on two cores; KLACHTFLOW_STATEFUL_EXAMPLES=500 for a deeper run by hand.
EXAMPLES = int(os.environ.get("KLACHTFLOW_STATEFUL_EXAMPLES", "60"))

for _name in template_names():
    _machine = machine_for(_name)
    _machine.TestCase.settings = settings(
        max_examples=EXAMPLES,
        stateful_step_count=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    globals()[f"Test_{_name.replace('-', '_')}"] = _machine.TestCase
