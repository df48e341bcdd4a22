"""Letters and assignments survive storage: saved (the store replays every event
through the engine), loaded back equal, and still verifying (SQLite and PostgreSQL)."""

from __future__ import annotations

import json

from klachtflow import Actor, builtin_procedure, verify_history
from klachtflow.storage.sql import SqlStore
from klachtflow.testing import make_case

PROCEDURE = builtin_procedure("sociaal-domein-stichtse-vecht")


def test_letter_and_assignment_round_trip(store: SqlStore) -> None:
    """Awb 9:6 ("bevestigt de ontvangst van het klaagschrift schriftelijk") and
    9:7 lid 1: the sealed letter and the assignment come back from the database."""
    engine = store.engine_for(PROCEDURE)
    today = engine.clock.now().date()
    case = make_case(PROCEDURE, state="formele_klacht.ontvangen", engine=engine)
    store.add(case)
    coordinator = Actor("c.1", roles={"klachtencoordinator"})
    acknowledged = engine.fire(
        case,
        "bevestig_ontvangst",
        actor=coordinator,
        letter={"verzonden_op": today, "aan": ["klager"]},
    )
    assigned = engine.fire(
        acknowledged,
        "wijs_behandelaar_aan",
        actor=coordinator,
        data={"behandelaar": "h.de.vries"},
    )
    store.save(assigned, expected_version=case.version)

    loaded = store.get(case.id)
    letter = json.loads(loaded.history[-2].inputs["brief"])

    assert assigned == loaded
    assert ["klager"] == letter["aan"]
    assert letter["schriftelijk"] is True
    assert "h.de.vries" == loaded.data["behandelaar"]
    assert verify_history(loaded)
