"""Two organisations' workers in separate processes on one database: their
cases never mix (issue #15). PostgreSQL and a SQLite file."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from klachtflow import Organisation, open_store
from klachtflow.insight import build_report
from klachtflow.rules.period import parse_period

from .org_worker import FAR, KEY, PROCEDURE

WORKER = Path(__file__).with_name("org_worker.py")
A = Organisation(id="002220647", name="Gemeente A", procedures={PROCEDURE.name})
B = Organisation(id="111222333", name="Gemeente B", procedures={PROCEDURE.name})
COUNT = 12


def test_two_organisations_workers_never_mix(shared_url: str) -> None:
    """Two processes per organisation start, fire and claim at once; afterwards
    each organisation's find, due, claims, statistics and report hold its own
    cases only, and every case verifies."""
    with open_store(shared_url, upgrade_schema=True, history_key=KEY) as store:
        store.register_organisation(A)
        store.register_organisation(B)
    start_at = time.time() + 3.0
    jobs = {
        prefix: subprocess.Popen(
            [
                sys.executable,
                str(WORKER),
                shared_url,
                org.id,
                prefix,
                str(COUNT),
                str(start_at),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for prefix, org in (("A1", A), ("A2", A), ("B1", B), ("B2", B))
    }
    results = {}
    for prefix, proc in jobs.items():
        out, err = proc.communicate(timeout=300)
        assert 0 == proc.returncode, err
        results[prefix] = json.loads(out.strip().splitlines()[-1])

    with open_store(shared_url, history_key=KEY) as store:
        for org, prefixes in ((A, ("A1", "A2")), (B, ("B1", "B2"))):
            view = store.scoped(org.id)
            own = {c for p in prefixes for c in results[p]["started"]}
            claimed = [c for p in prefixes for c in results[p]["claimed"]]
            cases = {c.split("/")[0] for c in claimed}

            assert 2 * COUNT == len(own)
            assert own == {s.id for s in view.find()}
            assert cases <= own
            assert cases  # the workers did claim
            assert len(claimed) == len(set(claimed))  # each deadline once
            assert {d.case_id for d in view.overdue(FAR)} <= own
            assert [] == view.claim_due(FAR, worker="late")  # all completed
            assert 2 * COUNT == view.statistics(FAR).total == view.count()
            report = build_report(view, parse_period("2026"), on=FAR)
            assert 2 * COUNT == report.received.value
            assert own == {s.case.id for s in view.skeletons()}
            assert view.verify().valid
        assert 0 == store.count()  # the default organisation has none
        assert 4 * COUNT == store.verify().cases
