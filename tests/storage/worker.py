"""A separate process that writes to a store (for contention and crash tests).

python worker.py race URL CASE_ID START_AT      -> prints ready, waits for a line on
                                                    stdin, then ok|conflict
python worker.py loop URL CASE_IDS              -> fires forever, prints each version
python worker.py claim URL NAME NOW LEASE_S      -> claims all due deadlines, prints
                                                    each token, then sleeps forever
python worker.py drain URL NAME NOW START_AT     -> claims one at a time from START_AT
                                                    until none are left, prints tokens
"""

from __future__ import annotations

import datetime as dt
import sys
import time

from klachtflow import Actor, ConcurrentUpdate, FixedClock, open_store

COORDINATOR = Actor("m.devries", roles={"klachtencoordinator"})


def race(url: str, case_id: str, start_at: float) -> None:
    with open_store(url) as store:
        case = store.get(case_id)
        fired = store.engine_for(case.procedure_digest).fire(
            case, "neem_contact_op", actor=COORDINATOR
        )
        # A barrier: every process has read the case before any saves (a
        # sleep until START_AT alone let slow starters read the saved case).
        print("ready", flush=True)
        sys.stdin.readline()
        time.sleep(max(0.0, start_at - time.time()))
        try:
            store.save(fired, expected_version=case.version)
        except ConcurrentUpdate:
            print("conflict", flush=True)
        else:
            print("ok", flush=True)


def loop(url: str, case_ids: list[str]) -> None:
    with open_store(url) as store:
        n = 0
        while True:
            case_id = case_ids[n % len(case_ids)]
            try:
                case = store.fire(
                    case_id, "neem_contact_op", actor=COORDINATOR, reason=f"ronde {n}"
                )
            except ConcurrentUpdate:
                continue
            print(case.version, flush=True)
            n += 1


ON = dt.date(2026, 12, 31)


def claim(url: str, name: str, now: str, lease: float) -> None:
    clock = FixedClock(dt.datetime.fromisoformat(now))
    with open_store(url, clock=clock) as store:
        for got in store.claim_due(
            ON, worker=name, limit=1000, lease=dt.timedelta(seconds=lease)
        ):
            print(got.token, flush=True)
        print("claimed", flush=True)
        time.sleep(3600)  # "sends the reminders": killed before it completes


def drain(url: str, name: str, now: str, start_at: float) -> None:
    clock = FixedClock(dt.datetime.fromisoformat(now))
    with open_store(url, clock=clock) as store:
        time.sleep(max(0.0, start_at - time.time()))
        while True:
            got = store.claim_due(ON, worker=name, limit=1)
            if not got:
                return
            print(got[0].token, flush=True)


if __name__ == "__main__":
    mode, url = sys.argv[1], sys.argv[2]
    if mode == "race":
        race(url, sys.argv[3], float(sys.argv[4]))
    elif mode == "claim":
        claim(url, sys.argv[3], sys.argv[4], float(sys.argv[5]))
    elif mode == "drain":
        drain(url, sys.argv[3], sys.argv[4], float(sys.argv[5]))
    else:
        loop(url, sys.argv[3].split(","))
