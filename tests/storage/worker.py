"""A separate process that writes to a store (for contention and crash tests).

python worker.py race URL CASE_ID START_AT      -> prints ok|conflict
python worker.py loop URL CASE_IDS              -> fires forever, prints each version
"""

from __future__ import annotations

import sys
import time

from klachtflow import Actor, ConcurrentUpdate, open_store

COORDINATOR = Actor("m.devries", rollen={"klachtencoordinator"})


def race(url: str, case_id: str, start_at: float) -> None:
    with open_store(url) as store:
        case = store.get(case_id)
        fired = store.engine_for(case.procedure_digest).fire(
            case, "neem_contact_op", actor=COORDINATOR
        )
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
                    case_id, "neem_contact_op", actor=COORDINATOR, reden=f"ronde {n}"
                )
            except ConcurrentUpdate:
                continue
            print(case.version, flush=True)
            n += 1


if __name__ == "__main__":
    mode, url = sys.argv[1], sys.argv[2]
    if mode == "race":
        race(url, sys.argv[3], float(sys.argv[4]))
    else:
        loop(url, sys.argv[3].split(","))
