"""The action table agrees with transitions, and the precompiled permission
with :func:`decide`, on every built-in template (issue #15)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klachtflow import Actor, Engine, builtin_procedure, template_names
from klachtflow.definition.model import Procedure
from klachtflow.engine._compiled import Permissions
from klachtflow.engine._machine import CompiledMachine, MachineError
from klachtflow.rules.permissions import decide
from klachtflow.testing import make_procedure

PROCEDURES = {name: builtin_procedure(name) for name in template_names()}


def _leaves(procedure: Procedure) -> list[str]:
    return [s.path for s in procedure.states.values() if not s.children]


def _reference(
    procedure: Procedure, state: str, action: str, outcomes: dict[str, bool]
) -> tuple[bool, str] | None:
    """What a fresh transitions machine does: (accepted, state) or None (refused)."""
    machine = CompiledMachine(procedure, lambda name, _ctx: outcomes.get(name, True))
    try:
        return machine.trigger(state, action, None)
    except MachineError:
        return None


@pytest.mark.parametrize("name", template_names())
@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_table_agrees_with_transitions_on_every_state_and_action(
    name: str, data: Any
) -> None:
    procedure = PROCEDURES[name]
    outcomes = data.draw(
        st.fixed_dictionaries(
            {c: st.booleans() for c in sorted(procedure.condition_names)}
        )
    )
    table = CompiledMachine(procedure, lambda n, _ctx: outcomes.get(n, True)).table
    for state in _leaves(procedure):
        for action in procedure.actions:
            assert table.fire(state, action, None) == _reference(
                procedure, state, action, outcomes
            ), (state, action)


CONDITIONAL = make_procedure(
    acties={
        "handel_af": {
            "van": "ontvangen",
            "naar": "afgehandeld",
            "wie": "behandelaar",
            "voorwaarden": ["dossier_compleet", "gehoord"],
        },
        "noteer": {"van": "ontvangen", "wie": "behandelaar"},
    }
)


@given(
    outcomes=st.fixed_dictionaries(
        {"dossier_compleet": st.booleans(), "gehoord": st.booleans()}
    )
)
def test_table_runs_the_named_conditions_as_transitions_does(
    outcomes: dict[str, bool],
) -> None:
    """Both conditions must hold; a failing one refuses the same way (False,
    the state unchanged); an action without target stays (internal)."""
    table = CompiledMachine(CONDITIONAL, lambda n, _ctx: outcomes[n]).table
    for state in _leaves(CONDITIONAL):
        for action in CONDITIONAL.actions:
            assert table.fire(state, action, None) == _reference(
                CONDITIONAL, state, action, outcomes
            )
    expected = all(outcomes.values())
    assert table.fire("ontvangen", "handel_af", None) == (
        expected,
        "afgehandeld" if expected else "ontvangen",
    )


def test_every_leaf_and_action_pair_is_in_the_table_exactly_when_valid() -> None:
    for procedure in PROCEDURES.values():
        machine = CompiledMachine(procedure, lambda _n, _c: True)
        for state, valid in machine.valid_from.items():
            in_table = {a for s, a in machine.table.entries if s == state}
            assert in_table == set(valid), (procedure.name, state)


ROLE_NAMES = sorted({r for p in PROCEDURES.values() for r in p.roles})


@pytest.mark.parametrize("name", template_names())
@settings(max_examples=40, deadline=None)
@given(
    roles=st.frozensets(st.sampled_from(ROLE_NAMES), max_size=3),
    is_party=st.booleans(),
    data=st.data(),
)
def test_precompiled_permission_agrees_with_decide(
    name: str, roles: frozenset[str], is_party: bool, data: Any
) -> None:
    procedure = PROCEDURES[name]
    machine = CompiledMachine(procedure, lambda _n, _c: True)
    permissions = Permissions(procedure, machine.valid_from)
    state = data.draw(st.sampled_from(_leaves(procedure)))
    action = data.draw(st.sampled_from(sorted(procedure.actions)))
    actor = Actor("p.de.vries", roles=roles or {"behandelaar"})
    parties = {
        r: (("p.de.vries",) if is_party else ("iemand.anders",))
        for r, spec in procedure.roles.items()
        if spec.is_party
    }
    role = permissions.role(state, action, actor.roles, parties, actor.id)
    decision = decide(
        procedure,
        procedure.actions[action],
        actor,
        state=state.rpartition(".")[2],
        parties=parties,
        data={},
        performers={},
        valid_here=machine.valid_from[state],
    )
    if role is not None:  # the fast path may only say "allowed", and rightly
        assert decision.allowed
        assert decision.role == role


def test_engine_fires_on_the_table_without_the_lock() -> None:
    engine = Engine(PROCEDURES["gemeente-awb"])
    machine = engine._machine
    case = engine.start(
        actor=Actor("b.jansen", roles={"klager"}),
        parties={"klager": ["b.jansen"], "beklaagde": ["j.smit"]},
    )
    with machine._lock:  # held: a fire that took the lock would deadlock
        fired = engine.fire(
            case,
            "plan_gesprek",
            actor=Actor("m.devries", roles={"klachtencoordinator"}),
        )
    assert fired.state == "gesprek"
