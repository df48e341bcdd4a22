"""Reports are anonymous by construction: planted names never come out, in any format."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pendulum
import pytest

from klachtflow import Actor, Case, Engine, FixedClock, SqlStore, open_store
from klachtflow.definition import builtin_procedure
from klachtflow.insight import REPORT_FORMATS, build_report, parse_period, render_report
from klachtflow.insight.facts import DIMENSIONS
from klachtflow.testing import actor_for, fire_inputs, path_to
from storage.conftest import backend_url

from .conftest import TODAY, fill

CANARY = "Kwartelkoning"
GEMEENTE = builtin_procedure("gemeente-awb")


def _canary_case(engine: Engine, number: int, goal: str) -> Case:
    """A case whose every person, reason and text field carries the canary."""
    klager = f"{CANARY} Klager {number}"
    case = engine.start(
        actor=Actor(klager, roles={"klager"}),
        parties={"klager": [klager], "beklaagde": [f"{CANARY} Beklaagde {number}"]},
        data={"kanaal": "e-mail", "categorie": "bejegening", "domein": "Wmo"},
    )
    for action in path_to(GEMEENTE, goal):
        inputs = fire_inputs(GEMEENTE, case, action, case.history[-1].legal_date)
        inputs["data"] = {
            k: f"{CANARY} tekst {number}"
            if GEMEENTE.fields[k].type.value == "tekst"
            else v
            for k, v in inputs.get("data", {}).items()
        }
        actor = actor_for(GEMEENTE, action, case)
        if not actor.id.startswith(CANARY):
            actor = Actor(f"{CANARY}-{actor.id}", roles=actor.roles)
        case = engine.fire(
            case, action, actor=actor, reason=f"{CANARY} reden {number}", **inputs
        )
    return case


@pytest.fixture(params=["sqlite-file", "postgresql"])
def canary_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlStore]:
    clock = FixedClock(pendulum.datetime(2026, 11, 22, 23, tz="Europe/Amsterdam"))
    with open_store(
        backend_url(str(request.param), tmp_path), clock=clock, upgrade_schema=True
    ) as store:
        fill(store, 120)
        engine = store.engine_for(GEMEENTE)
        for number, goal in enumerate(
            ["afgehandeld", "opgelost", "ombudsman", "horen"] * 3
        ):
            store.add(_canary_case(engine, number, goal))
        yield store


def test_canaries_never_appear(canary_store: SqlStore) -> None:
    """Names, actor ids, reasons, free text and case ids appear in no format, no split."""
    ids = [s.id for s in canary_store.find()]
    # Person ids are stored normalised (case folded): look for the folded canary.
    planted = [
        i for i in ids if CANARY.lower() in canary_store.get(i).parties["klager"][0]
    ]
    assert 12 == len(planted)
    assert any(CANARY in str(v) for v in canary_store.get(planted[0]).data.values())
    assert any(CANARY in (e.reason or "") for e in canary_store.get(planted[0]).history)
    for per in (None, *DIMENSIONS):
        report = build_report(
            canary_store, parse_period("2026"), on=TODAY, per=per, threshold=1
        )
        for fmt in REPORT_FORMATS:
            text = render_report(report, fmt)

            assert CANARY.lower() not in text.lower(), (per, fmt)
            assert not [i for i in ids if i in text], (per, fmt)


def test_report_reads_no_personal_table(canary_store: SqlStore) -> None:
    """The skeletons the report is built from carry no personal data at all."""
    skeletons = canary_store.skeletons(opened_from=dt.date(2026, 1, 1))

    assert skeletons
    for skeleton in skeletons:
        case = skeleton.case
        assert not case.parties
        assert not case.data
        assert {"geanonimiseerd"} == {e.actor for e in case.history}
        assert all(e.reason is None and not e.changes for e in case.history)
