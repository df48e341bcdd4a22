"""One invariant over every template: what the engine lets through, the audit accepts.

Any history the engine produces through allowed fires (on any day) has no
audit ``fout`` of the kinds the engine enforces; the other direction (every
audit rule has a history that triggers it) is in ``test_law_audit.py``.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klachtflow import Actor, Engine, builtin_procedure, template_names
from klachtflow.compliance.audit import audit_case
from klachtflow.exceptions import KlachtflowError
from klachtflow.law import REGIMES, Layer
from klachtflow.rules.clock import FixedClock
from klachtflow.testing.walk import actor_for, fire_inputs, parties_for

#: Audit codes of what the engine refuses: the model's engine obligations, and
#: the regime audits of the same rules (late extension, handler, ombudsman).
ENFORCED_CODES = frozenset(
    {
        f"AUDIT-{o.code}"
        for r in REGIMES.values()
        for o in r.obligations
        if Layer.ENGINE in o.layers
    }
    | {
        "AUDIT-9:11-02",
        "AUDIT-9:11-03",
        "AUDIT-9:7-01",
        "AUDIT-9:12-01",
        "AUDIT-WKKGZ-17-02",
        "AUDIT-WKKGZ-17-03",
        "AUDIT-7:10-02",
        "AUDIT-7:10-03",
        "AUDIT-7:5-01",
        "AUDIT-JW-4.2.1-05",
        "AUDIT-BRIEF-01",
        "AUDIT-BRIEF-02",
        "AUDIT-TOEW-01",
        "AUDIT-TOEW-02",
    }
)
START = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
ENGINES = {
    name: Engine(builtin_procedure(name), clock=FixedClock(START))
    for name in template_names()
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(sorted(ENGINES)),
    steps=st.lists(st.tuples(st.integers(0, 40), st.integers(0, 30)), max_size=12),
)
def test_allowed_fires_leave_no_enforced_audit_fout(
    name: str, steps: list[tuple[int, int]]
) -> None:
    """Walk allowed actions on random days; the audit finds nothing the engine enforces."""
    engine = ENGINES[name]
    procedure = engine.procedure
    clock = FixedClock(START)
    engine.clock = clock
    starter = next(
        (r for r, role in procedure.roles.items() if not role.is_party),
        next(iter(procedure.roles)),
    )
    case = engine.start(
        actor=Actor(f"{starter}.1", roles={starter}), parties=parties_for(procedure)
    )
    for pick, gap in steps:
        clock.advance(days=gap)
        options = (
            [
                a
                for a in procedure.actions_from(case.status)
                if a.name
                in engine.allowed_actions(case, actor_for(procedure, a.name, case))
            ]
            if procedure.actions_from(case.status)
            else []
        )
        if not options:
            break
        action = options[pick % len(options)].name
        try:
            case = engine.fire(
                case,
                action,
                actor=actor_for(procedure, action, case),
                **fire_inputs(procedure, case, action, clock.now().date()),
            )
        except KlachtflowError:
            continue  # refused: nothing happened, which is what the invariant is about
    today = clock.now().date()
    wrong = [
        (f.code, f.message)
        for f in audit_case(case, procedure, today=today)
        if f.severity == "fout" and f.code in ENFORCED_CODES
    ]

    assert [] == wrong
