"""``procedure_machine``: a hypothesis state machine for any procedure.

    from klachtflow import load_procedure
    from klachtflow.testing.stateful import procedure_machine

    TestMyProcedure = procedure_machine(load_procedure("klacht.yaml")).TestCase

Rules fire the actions the graph allows (with made-up actors and data) and,
now and then, let time pass. Invariants after every step: the procedure
complies with its rule packs; the state is declared; ``version ==
len(history)``; the history verifies; a refused action changes nothing;
``allowed_actions`` agrees with what ``fire`` accepts; and the audit finds no
structural violation (a handler who was the beklaagde, a formal end without
acknowledgement, a closing notice without ombudsman referral).
"""

from __future__ import annotations

from collections.abc import Callable

import attrs
import pendulum
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from klachtflow.compliance.audit import audit_case
from klachtflow.definition.model import Procedure
from klachtflow.engine import Engine, verify_history
from klachtflow.exceptions import KlachtflowError
from klachtflow.rules.clock import FixedClock
from klachtflow.rules.permissions import Actor
from klachtflow.testing.walk import (
    assert_compliant,
    fire_inputs,
    make_case,
    parties_for,
)

__all__ = ["STRUCTURAL_AUDIT_CODES", "procedure_machine"]

#: Audit codes the engine itself must prevent under a compliant procedure.
STRUCTURAL_AUDIT_CODES = frozenset({"AUDIT-9:7-01", "AUDIT-9:6-01", "AUDIT-9:12-01"})


def _check(condition: bool, message: str) -> None:
    # Explicit, so the invariants hold under ``python -O`` too.
    __tracebackhide__ = True
    if not condition:
        raise AssertionError(message)


def procedure_machine(
    procedure: Procedure,
    *,
    engine_factory: Callable[[Procedure, FixedClock], Engine] | None = None,
    packs: list[str] | None = None,
) -> type[RuleBasedStateMachine]:
    """A RuleBasedStateMachine subclass that walks ``procedure``."""
    assert_compliant(procedure, packs=packs)
    factory = engine_factory or (lambda p, clock: Engine(p, clock=clock))
    parties = parties_for(procedure)
    names = sorted(procedure.actions)
    actors = [Actor(f"{role}.1", roles={role}) for role in sorted(procedure.roles)]
    # Someone who is a party and also holds every organisation role: separation must bite.
    staff = [r for r, spec in procedure.roles.items() if not spec.is_party]
    for role, ids in parties.items():
        actors.append(Actor(ids[0], roles={role, *staff}))

    class ProcedureMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.clock = FixedClock(
                pendulum.datetime(2026, 1, 5, 9, tz="Europe/Amsterdam")
            )
            self.engine = factory(procedure, self.clock)
            self.case = make_case(procedure, engine=self.engine, parties=parties)

        @rule(days=st.integers(min_value=0, max_value=10))
        def time_passes(self, days: int) -> None:
            self.clock.advance(days=days)

        @rule(actor=st.sampled_from(actors), data=st.data())
        def act(self, actor: Actor, data: st.DataObject) -> None:
            allowed = self.engine.allowed_actions(self.case, actor)
            action = data.draw(
                st.sampled_from([*allowed, *names])
                if allowed
                else st.sampled_from(names)
            )
            before = attrs.evolve(self.case)
            today = self.clock.now().date()
            try:
                after = self.engine.fire(
                    self.case,
                    action,
                    actor=actor,
                    **fire_inputs(procedure, self.case, action, today),
                )
            except KlachtflowError as error:
                _check(
                    action not in allowed,
                    f"{action!r} allowed for {actor.id} but refused: {error}",
                )
                _check(before == self.case, f"a refused {action!r} changed the case")
                return
            _check(
                action in allowed, f"{action!r} accepted for {actor.id} but not allowed"
            )
            self.case = after

        @invariant()
        def state_is_declared(self) -> None:
            leaves = {s.path for s in procedure.states.values() if not s.children}
            _check(self.case.state in leaves, f"undeclared state {self.case.state!r}")

        @invariant()
        def version_is_history_length(self) -> None:
            _check(
                self.case.version == len(self.case.history),
                f"version {self.case.version} but {len(self.case.history)} events",
            )

        @invariant()
        def history_verifies(self) -> None:
            report = verify_history(self.case)
            _check(report.valid, f"history does not verify: {report.problems}")

        @invariant()
        def no_structural_violation(self) -> None:
            today = self.clock.now().date()
            found = [
                f.code
                for f in audit_case(self.case, procedure, today=today)
                if f.code in STRUCTURAL_AUDIT_CODES
            ]
            _check(not found, f"audit findings {found}")

    ProcedureMachine.__name__ = f"ProcedureMachine_{procedure.name.replace('-', '_')}"
    return ProcedureMachine
