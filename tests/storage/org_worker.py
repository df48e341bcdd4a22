"""A separate process working for one organisation (tests with several processes).

python org_worker.py URL ORGANISATION PREFIX COUNT START_AT
    starts COUNT cases PREFIX-0.. in the organisation's view, fires each, then
    claims and completes deadlines one at a time until none are left; prints one
    JSON line: the cases it started and the cases of every claim it got.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time

import pendulum

from klachtflow import Actor, FixedClock, builtin_procedure, open_store

KEY = b"organisaties-test-sleutel-32-byt"
COORDINATOR = Actor("m.devries", roles={"klachtencoordinator"})
PROCEDURE = builtin_procedure("gemeente-awb")
FAR = dt.date(2027, 1, 1)


def work(url: str, organisation: str, prefix: str, count: int, start_at: float) -> None:
    clock = FixedClock(pendulum.datetime(2026, 3, 2, 10, tz="Europe/Amsterdam"))
    with open_store(url, clock=clock, history_key=KEY) as store:
        view = store.scoped(organisation)
        time.sleep(max(0.0, start_at - time.time()))
        started = []
        for i in range(count):
            case_id = f"{prefix}-{i}"
            view.start(
                PROCEDURE,
                actor=Actor(f"klager.{prefix}.{i}", roles={"klager"}),
                parties={"klager": [f"klager.{prefix}.{i}"], "beklaagde": ["j.smit"]},
                data={"categorie": "bejegening"},
                case_id=case_id,
            )
            started.append(case_id)
            if i % 2:
                view.fire(started[i - 1], "neem_contact_op", actor=COORDINATOR)
        claimed = []
        while True:
            got = view.claim_due(FAR, worker=prefix, limit=1)
            if not got:
                break
            claimed.append(f"{got[0].case_id}/{got[0].term}")
            view.complete_claim(got[0])
        print(json.dumps({"started": started, "claimed": claimed}), flush=True)


if __name__ == "__main__":
    work(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5]))
