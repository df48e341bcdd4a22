"""Deadline claims with a lease: at-least-once delivery with an idempotency key.

A claim is a worker's until its lease runs out, it is completed or released,
or the due date changes. Tests run on every backend; the ones with several
processes (two racing workers, a worker killed with SIGKILL after claiming)
on a SQLite file and on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pendulum
import pytest

from klachtflow import (
    Actor,
    ClaimLost,
    FixedClock,
    InvalidArgument,
    SqlStore,
    builtin_procedure,
    open_store,
)
from klachtflow.storage import Claim, DueDeadline

WORKER = Path(__file__).with_name("worker.py")
KLAGER = Actor("b.jansen", roles={"klager"})
COORDINATOR = Actor("m.devries", roles={"klachtencoordinator"})
COLLEGE = Actor("college", roles={"bestuursorgaan"})
PROCEDURE = builtin_procedure("gemeente-awb")
ON = dt.date(2026, 12, 31)
LEASE = dt.timedelta(minutes=5)
KLAAGSCHRIFT = {
    "schriftelijk": True,
    "datum_ontvangst": "2026-03-02",
    "omschrijving_gedraging": "x",
    "naam_adres_klager": "B. Jansen",
    "dagtekening": "2026-03-01",
}


def seed(store: SqlStore, count: int = 3) -> set[str]:
    """Open ``count`` cases; the keys of every deadline due by ON."""
    for i in range(count):
        store.start(
            PROCEDURE,
            actor=KLAGER,
            parties={"klager": ["b.jansen"], "beklaagde": ["j.smit"]},
            case_id=f"Z-{i}",
        )
    due = [*store.overdue(ON), *store.due(ON)]
    return {Claim(d.case_id, d.term, d.due, d.kind).key for d in due}


def keys(claims: list[Claim]) -> set[str]:
    return {c.key for c in claims}


class TestLease:
    def test_a_claim_holds_for_its_lease_then_is_handed_out_again(
        self, store: SqlStore, clock: FixedClock
    ) -> None:
        """Within the lease nobody else gets the deadline; after it, the next
        claim gets it as attempt 2 with the same idempotency key."""
        due = seed(store)
        first = store.claim_due(ON, worker="w1", limit=100, lease=LEASE)
        during = store.claim_due(ON, worker="w2", limit=100, lease=LEASE)
        clock.advance(minutes=5)
        after = store.claim_due(ON, worker="w2", limit=100, lease=LEASE)

        assert due == keys(first)
        assert {1} == {c.attempt for c in first}
        assert [] == during
        assert due == keys(after)
        assert {2} == {c.attempt for c in after}
        assert {"w2"} == {c.claimed_by for c in after}
        assert {c.token for c in first}.isdisjoint({c.token for c in after})

    def test_the_late_worker_cannot_complete_a_claim_taken_over(
        self, store: SqlStore, clock: FixedClock
    ) -> None:
        """The worker whose lease ran out and was taken over gets ClaimLost; the
        new holder completes, and that due date is never handed out again."""
        seed(store, 1)
        old = store.claim_due(ON, worker="w1", limit=1, lease=LEASE)[0]
        clock.advance(minutes=6)
        new = store.claim_due(ON, worker="w2", limit=1, lease=LEASE)[0]

        with pytest.raises(ClaimLost) as lost:
            store.complete_claim(old)
        store.complete_claim(new)
        clock.advance(days=1)

        assert (old.key, 1, "w1") == (lost.value.key, lost.value.attempt, "w1")
        assert new.key == old.key
        assert new.key not in keys(
            store.claim_due(ON, worker="w3", limit=100, lease=LEASE)
        )

    def test_completing_after_the_lease_is_accepted_while_nobody_took_over(
        self, store: SqlStore, clock: FixedClock
    ) -> None:
        """A slow worker may still complete when no one claimed in between."""
        seed(store, 1)
        claim = store.claim_due(ON, worker="w1", limit=1, lease=LEASE)[0]
        clock.advance(minutes=30)
        store.complete_claim(claim)

        assert claim.key not in keys(
            store.claim_due(ON, worker="w2", limit=100, lease=LEASE)
        )

    def test_release_hands_the_deadline_out_again_at_once(
        self, store: SqlStore
    ) -> None:
        """A released claim is claimable immediately, as the next attempt; a
        second release of the same claim is ClaimLost."""
        seed(store, 1)
        claim = store.claim_due(ON, worker="w1", limit=1, lease=LEASE)[0]
        store.release_claim(claim)
        again = store.claim_due(ON, worker="w2", limit=1, lease=LEASE)[0]

        assert (claim.key, 2) == (again.key, again.attempt)
        with pytest.raises(ClaimLost):
            store.release_claim(claim)

    def test_a_new_due_date_is_a_new_key_and_frees_the_claim(
        self, store: SqlStore
    ) -> None:
        """An extension (verdaging) changes the due date: the old claim is lost
        and the deadline is due again under a new key, as attempt 1."""
        seed(store, 1)
        store.fire(
            "Z-0", "registreer_klaagschrift", actor=COORDINATOR, data=KLAAGSCHRIFT
        )
        store.fire(
            "Z-0",
            "bevestig_ontvangst",
            actor=COORDINATOR,
            data={"datum_ontvangstbevestiging": "2026-03-03"},
        )
        claimed = {
            c.term: c for c in store.claim_due(ON, worker="w1", limit=100, lease=LEASE)
        }
        store.complete_claim(claimed["weigering"])
        store.fire(
            "Z-0",
            "verdaag",
            actor=COLLEGE,
            data={"reden_verdaging": "x"},
            notified=["klager", "beklaagde"],
        )
        again = {
            c.term: c for c in store.claim_due(ON, worker="w2", limit=100, lease=LEASE)
        }

        assert "afhandeling" in again
        assert again["afhandeling"].due > claimed["afhandeling"].due
        assert again["afhandeling"].key != claimed["afhandeling"].key
        assert 1 == again["afhandeling"].attempt
        assert "weigering" not in again  # completed, due date unchanged
        with pytest.raises(ClaimLost):
            store.complete_claim(claimed["afhandeling"])

    def test_renewing_keeps_the_claim_past_its_first_lease(
        self, store: SqlStore, clock: FixedClock
    ) -> None:
        """A renewed claim is nobody else's until the new expiry; once taken over
        it cannot be renewed."""
        seed(store, 1)
        claim = store.claim_due(ON, worker="w1", limit=1, lease=LEASE)[0]
        clock.advance(minutes=4)
        renewed = store.renew_claim(claim, lease=LEASE)
        clock.advance(minutes=4)  # past the first lease, within the renewal
        during = store.claim_due(ON, worker="w2", limit=1, lease=LEASE)
        clock.advance(minutes=2)
        taken = store.claim_due(ON, worker="w2", limit=1, lease=LEASE)

        assert renewed.expires_at is not None
        assert claim.expires_at is not None
        assert renewed.expires_at - claim.expires_at == dt.timedelta(minutes=4)
        assert [] == during
        assert [claim.key] == [c.key for c in taken]
        with pytest.raises(ClaimLost):
            store.renew_claim(renewed)

    def test_claims_are_due_deadlines_with_a_key(self, store: SqlStore) -> None:
        """A Claim is a DueDeadline; key and token have the documented form."""
        seed(store, 1)
        claim = store.claim_due(ON, worker="w1", limit=1, lease=LEASE)[0]

        assert isinstance(claim, DueDeadline)
        assert f"{claim.case_id}/{claim.term}/{claim.due.isoformat()}" == claim.key
        assert f"{claim.key}#1" == claim.token
        assert claim.expires_at is not None

    @pytest.mark.parametrize(
        "lease",
        [dt.timedelta(0), dt.timedelta(seconds=-1), dt.timedelta(days=2), 600, None],
    )
    def test_a_lease_must_be_a_positive_timedelta(
        self, store: SqlStore, lease: object
    ) -> None:
        """A lease of zero, below zero, over a day or not a timedelta is refused."""
        with pytest.raises(InvalidArgument) as refused:
            store.claim_due(ON, worker="w1", lease=lease)  # type: ignore[arg-type]

        assert "claim_due(lease)" == refused.value.parameter

    def test_complete_and_release_take_a_claim(self, store: SqlStore) -> None:
        """Anything but a Claim is refused."""
        with pytest.raises(InvalidArgument):
            store.complete_claim("Z-0/afhandeling/2026-04-14#1")  # type: ignore[arg-type]
        with pytest.raises(InvalidArgument):
            store.release_claim(None)  # type: ignore[arg-type]


NOW = pendulum.datetime(2026, 3, 2, 10, tz="Europe/Amsterdam")


def worker(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


class TestProcesses:
    def test_a_worker_killed_after_claiming_loses_nothing(
        self, shared_url: str
    ) -> None:
        """A worker claims everything and is killed with SIGKILL before it
        completes: after the lease the deadlines are handed out again with the
        same keys (attempt 2); before it, nobody else gets them."""
        with open_store(shared_url, clock=FixedClock(NOW), upgrade_schema=True) as s:
            due = seed(s, 4)
        proc = worker("claim", shared_url, "doomed", NOW.isoformat(), "60")
        assert proc.stdout is not None
        tokens = []
        while (line := proc.stdout.readline().strip()) != "claimed":
            assert line, proc.stderr.read() if proc.stderr else ""
            tokens.append(line)
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=30)
        clock = FixedClock(NOW)
        with open_store(shared_url, clock=clock) as store:
            during = store.claim_due(ON, worker="heir", limit=100)
            clock.advance(seconds=61)
            after = store.claim_due(ON, worker="heir", limit=100)
            for claim in after:
                store.complete_claim(claim)

        assert -signal.SIGKILL == proc.returncode
        assert due == {t.rsplit("#", 1)[0] for t in tokens}
        assert [] == during
        assert due == keys(after)
        assert {2} == {c.attempt for c in after}

    def test_two_workers_racing_never_hold_the_same_deadline(
        self, shared_url: str
    ) -> None:
        """Two processes claim one at a time from the same moment: every
        deadline goes to exactly one of them, and together they get all."""
        with open_store(shared_url, clock=FixedClock(NOW), upgrade_schema=True) as s:
            due = seed(s, 30)
        start_at = str(time.time() + 3.0)
        procs = [
            worker("drain", shared_url, f"w{i}", NOW.isoformat(), start_at)
            for i in range(2)
        ]
        got: list[list[str]] = []
        for proc in procs:
            out, err = proc.communicate(timeout=120)
            assert 0 == proc.returncode, err
            got.append(out.split())
        everything = [t.rsplit("#", 1)[0] for tokens in got for t in tokens]

        assert sorted(due) == sorted(everything)  # all of them, none twice
