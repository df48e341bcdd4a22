"""The storage conformance suite: the same tests on every backend."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
import sqlalchemy as sa

from klachtflow import (
    Actor,
    Case,
    CaseNotFound,
    ConcurrentUpdate,
    ErasureGround,
    ErasureRefused,
    FixedClock,
    NotPermitted,
    SqlStore,
    StorageError,
    TransitionNotAllowed,
    builtin_procedure,
    loads_procedure,
    open_store,
    verify_history,
)
from klachtflow.definition.templates import template_text
from klachtflow.storage import CaseSummary, schema
from klachtflow.testing import make_procedure

KLAGER = Actor("b.jansen", roles={"klager"})
COORDINATOR = Actor("m.devries", roles={"klachtencoordinator"})
HANDLER = Actor("a.bakker", roles={"behandelaar"})
COLLEGE = Actor("college", roles={"bestuursorgaan"})
PARTIES = {"klager": ["b.jansen"], "beklaagde": ["j.smit"]}
KLAAGSCHRIFT: dict[str, Any] = {
    "schriftelijk": True,
    "datum_ontvangst": "2026-03-02",
    "omschrijving_gedraging": "x",
    "naam_adres_klager": "B. Jansen",
    "dagtekening": "2026-03-01",
}
PROCEDURE = builtin_procedure("gemeente-awb")


def new_case(store: SqlStore, case_id: str = "Z-1", **data: Any) -> Case:
    return store.start(
        PROCEDURE,
        actor=KLAGER,
        parties=PARTIES,
        data={"kanaal": "e-mail", "categorie": "bejegening", **data},
        case_id=case_id,
    )


def count(store: SqlStore, table: sa.Table) -> int:
    with store.engine.connect() as connection:
        return int(
            connection.execute(
                sa.select(sa.func.count()).select_from(table)
            ).scalar_one()
        )


class TestRoundTrip:
    def test_add_and_get(self, store: SqlStore) -> None:
        """A stored case reads back equal, with an intact hash chain."""
        case = new_case(store)
        back = store.get("Z-1")

        assert case == back
        assert verify_history(back)
        assert dt.date(2026, 3, 9) == back.clocks["eerste_contact"].due()

    def test_fire_round_trip(self, store: SqlStore) -> None:
        """Fired cases, with clocks, data and consent, read back equal."""
        new_case(store)
        store.fire(
            "Z-1", "registreer_klaagschrift", actor=COORDINATOR, data=KLAAGSCHRIFT
        )
        store.fire(
            "Z-1",
            "bevestig_ontvangst",
            actor=COORDINATOR,
            data={"datum_ontvangstbevestiging": "2026-03-03"},
        )
        fired = store.fire(
            "Z-1",
            "verdaag",
            actor=COLLEGE,
            data={"reden_verdaging": "x"},
            notified=["klager", "beklaagde"],
        )
        back = store.get("Z-1")

        assert fired == back
        assert dt.date(2026, 3, 2) == back.data["datum_ontvangst"]
        assert dt.date(2026, 5, 11) == back.clocks["afhandeling"].due()
        assert verify_history(back)
        assert [e.action for e in store.history("Z-1")] == [
            "start",
            "registreer_klaagschrift",
            "bevestig_ontvangst",
            "verdaag",
        ]

    def test_unknown_case(self, store: SqlStore) -> None:
        """Reading or firing an unknown case raises CaseNotFound."""
        with pytest.raises(CaseNotFound):
            store.get("nope")
        with pytest.raises(CaseNotFound):
            store.fire("nope", "plan_gesprek", actor=COORDINATOR)

    def test_duplicate_add(self, store: SqlStore) -> None:
        """Adding a case id twice is refused."""
        case = new_case(store)
        with pytest.raises(StorageError, match="al in de database"):
            store.add(case)

    def test_procedure_text_by_digest(self, store: SqlStore) -> None:
        """Procedures are kept by digest with their YAML; each case reads back
        against exactly the procedure it ran under."""
        new_case(store)
        newer = loads_procedure(
            template_text("gemeente-awb").replace('versie: "1.0.0"', 'versie: "1.1.0"')
        )
        store.start(newer, actor=KLAGER, parties=PARTIES, case_id="Z-2")
        store._procedures.clear()
        store._engines.clear()

        assert "1.0.0" == store.get("Z-1").procedure_version
        assert "1.1.0" == store.get("Z-2").procedure_version
        assert PROCEDURE.digest == store.procedure(PROCEDURE.digest).digest


class TestConcurrency:
    def test_stale_save_is_refused_and_writes_nothing(self, store: SqlStore) -> None:
        """Two writers from the same version: one wins, the other gets ConcurrentUpdate."""
        case = new_case(store)
        engine = store.engine_for(PROCEDURE)
        first = engine.fire(case, "plan_gesprek", actor=COORDINATOR)
        second = engine.fire(case, "neem_contact_op", actor=COORDINATOR)
        store.save(first, expected_version=1)
        events = count(store, schema.events)
        with pytest.raises(ConcurrentUpdate) as info:
            store.save(second, expected_version=1)

        assert (1, 2) == (info.value.expected_version, info.value.actual_version)
        assert events == count(store, schema.events)
        assert "gesprek" == store.get("Z-1").state

    def test_refused_fire_writes_nothing(self, store: SqlStore) -> None:
        """A refused fire inside the store's transaction leaves the database as it was."""
        new_case(store)
        with pytest.raises(NotPermitted):
            store.fire("Z-1", "plan_gesprek", actor=KLAGER)

        assert 1 == store.get("Z-1").version
        assert 1 == count(store, schema.events)

    def test_threads_on_one_case(self, store: SqlStore, backend: str) -> None:
        """Eight threads save from the same version: exactly one wins."""
        if backend == "sqlite-memory":
            pytest.skip(
                "one in-memory connection is shared; threads are tested on files"
            )
        case = new_case(store)
        engine = store.engine_for(PROCEDURE)
        fired = [
            engine.fire(case, "neem_contact_op", actor=COORDINATOR, reason=str(i))
            for i in range(8)
        ]
        barrier = threading.Barrier(8)
        outcomes: list[str] = []

        def save(candidate: Case) -> None:
            barrier.wait()
            try:
                store.save(candidate, expected_version=1)
                outcomes.append("ok")
            except ConcurrentUpdate:
                outcomes.append("conflict")

        threads = [threading.Thread(target=save, args=(c,)) for c in fired]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert ["conflict"] * 7 + ["ok"] == sorted(outcomes)
        stored = store.get("Z-1")
        assert (2, 2) == (stored.version, len(stored.history))
        assert verify_history(stored)

    def test_threads_fire_through_the_store(
        self, store: SqlStore, backend: str
    ) -> None:
        """store.fire from many threads: every fire lands or conflicts; none is lost."""
        if backend == "sqlite-memory":
            pytest.skip(
                "one in-memory connection is shared; threads are tested on files"
            )
        new_case(store)
        landed: list[int] = []
        lock = threading.Lock()

        def worker(n: int) -> None:
            for _ in range(5):
                try:
                    case = store.fire(
                        "Z-1", "neem_contact_op", actor=COORDINATOR, reason=f"t{n}"
                    )
                except ConcurrentUpdate:
                    continue
                with lock:
                    landed.append(case.version)

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        stored = store.get("Z-1")

        assert 1 + len(landed) == stored.version == len(stored.history)
        assert sorted(landed) == list(range(2, stored.version + 1))
        assert verify_history(stored)


class TestQueries:
    @pytest.fixture
    def filled(self, store: SqlStore, clock: FixedClock) -> SqlStore:
        new_case(store, "Z-1")
        new_case(store, "Z-2", categorie="privacy")
        clock.advance(days=10)
        store.start(
            PROCEDURE, actor=KLAGER, parties={"klager": ["x.iemand"]}, case_id="Z-3"
        )
        store.fire(
            "Z-1", "registreer_klaagschrift", actor=COORDINATOR, data=KLAAGSCHRIFT
        )
        return store

    def test_find(self, filled: SqlStore) -> None:
        """Find by status, party, category and opening period."""

        def ids(found: list[CaseSummary]) -> list[str]:
            return [s.id for s in found]

        assert ["Z-1"] == ids(filled.find(status="ontvangen"))
        assert ["Z-1", "Z-2"] == ids(filled.find(party="b.jansen"))
        assert ["Z-3"] == ids(filled.find(party="x.iemand"))
        assert ["Z-2"] == ids(filled.find(category="privacy"))
        assert ["Z-3"] == ids(filled.find(opened_from=dt.date(2026, 3, 5)))
        assert ["Z-1", "Z-2"] == ids(filled.find(opened_until=dt.date(2026, 3, 5)))
        assert 3 == filled.count()

    def test_due_and_overdue(self, filled: SqlStore) -> None:
        """due(on, within) and overdue(on) read the stored due dates."""
        due = {(d.case_id, d.term) for d in filled.due(dt.date(2026, 3, 9), within=0)}
        overdue = {(d.case_id, d.term) for d in filled.overdue(dt.date(2026, 4, 14))}

        assert {("Z-2", "eerste_contact"), ("Z-1", "ontvangstbevestiging")} == due
        assert ("Z-1", "afhandeling") in overdue
        assert ("Z-1", "eerste_contact") not in overdue  # stopped on leaving onvrede

    def test_a_closed_case_leaves_no_open_deadline(self, store: SqlStore) -> None:
        """A bezwaar withdrawn during the bezwaartermijn: the clock stops on the
        end state, so its row is closed and no worklist shows it a year later."""
        store.start(
            builtin_procedure("bezwaar-awb"),
            actor=HANDLER,
            parties={"indiener": ["i.1"], "voorbereider": ["v.1"]},
            data={"datum_bekendmaking": "2026-03-02"},
            case_id="B-1",
        )
        assert {"bezwaartermijn", "beslistermijn"} == {
            d.term for d in store.due(dt.date(2026, 3, 2), within=365)
        }
        store.fire("B-1", "trek_in", actor=Actor("i.1", roles={"indiener"}))

        assert [] == store.overdue(dt.date(2027, 3, 2))
        assert [] == store.due(dt.date(2026, 3, 2), within=365)

    def test_claim_due_hands_each_deadline_once(
        self, filled: SqlStore, backend: str
    ) -> None:
        """Concurrent workers each get different deadlines; together all, none twice."""
        if backend == "sqlite-memory":
            pytest.skip(
                "one in-memory connection is shared; threads are tested on files"
            )
        on = dt.date(2026, 12, 31)
        expected = {(d.case_id, d.term) for d in filled.overdue(on)} | {
            (d.case_id, d.term) for d in filled.due(on)
        }
        claimed: list[tuple[str, str]] = []
        lock = threading.Lock()

        def worker(name: str) -> None:
            while True:
                got = filled.claim_due(on, worker=name, limit=1)
                if not got:
                    return
                with lock:
                    claimed.extend((d.case_id, d.term) for d in got)

        threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert len(claimed) == len(set(claimed))
        assert expected == set(claimed)
        assert [] == filled.claim_due(on, worker="late", limit=10)

    def test_claim_lasts_until_the_due_date_changes(self, store: SqlStore) -> None:
        """A fire that leaves a due date alone keeps its claim; an extension frees it."""
        new_case(store)
        store.fire(
            "Z-1", "registreer_klaagschrift", actor=COORDINATOR, data=KLAAGSCHRIFT
        )
        store.claim_due(dt.date(2026, 12, 31), worker="w1", limit=10)
        store.fire(
            "Z-1",
            "bevestig_ontvangst",
            actor=COORDINATOR,
            data={"datum_ontvangstbevestiging": "2026-03-03"},
        )
        kept = claims(store)
        store.fire(
            "Z-1",
            "verdaag",
            actor=COLLEGE,
            data={"reden_verdaging": "x"},
            notified=["klager", "beklaagde"],
        )
        after = claims(store)

        assert "w1" == kept["ontvangstbevestiging"]  # stopped, due unchanged
        assert "w1" == kept["afhandeling"]
        assert after["afhandeling"] is None  # extended: a new due date
        assert "w1" == after["weigering"]


def claims(store: SqlStore) -> dict[str, str | None]:
    d = schema.deadlines.c
    with store.engine.connect() as connection:
        rows = connection.execute(
            sa.select(d.term, d.claimed_by).where(d.case_id == "Z-1")
        )
        return {row.term: row.claimed_by for row in rows}


class TestRetention:
    @pytest.fixture
    def closed(self, store: SqlStore) -> SqlStore:
        new_case(store, "Z-1")
        store.fire(
            "Z-1",
            "los_informeel_op",
            actor=COORDINATOR,
            data={"oplossing": "excuses"},
            consent=["klager"],
        )
        new_case(store, "Z-2")
        return store

    def test_purge_after_the_retention_term(self, closed: SqlStore) -> None:
        """Selectielijst 13.1: 5 years after closing, personal data goes; the skeleton stays."""
        assert [] == closed.purge(dt.date(2031, 3, 1))
        dry = closed.purge(dt.date(2031, 3, 2), dry_run=True)
        assert ["Z-1"] == [r.case_id for r in dry]
        assert "b.jansen" == closed.get("Z-1").history[0].actor

        removed = closed.purge(dt.date(2031, 3, 2))
        case = closed.get("Z-1")

        assert ["Z-1"] == [r.case_id for r in removed]
        assert ("opgelost", "opgelost", 2) == (case.state, case.result, case.version)
        assert {} == dict(case.data)
        assert {} == dict(case.parties)
        assert {"geanonimiseerd"} == {e.actor for e in case.history}
        assert ["Z-2"] == [s.id for s in closed.find(party="b.jansen")]
        assert ["Z-1"] == [r.case_id for r in closed.removals()]
        assert "opgelost" == closed.find(status="opgelost")[0].status

    def test_erase_person_as_actor(self, closed: SqlStore) -> None:
        """Erasing a staff member replaces their name as actor by a pseudonym;
        the case stays whole and still verifies."""
        pseudonym = closed._sealer.pseudonym("m.devries")
        removals = closed.erase_person("m.devries")
        case, report = closed.inspect("Z-1")

        assert [("Z-1", [2], pseudonym)] == [
            (r.case_id, r.removed["gebeurtenissen"], r.removed["gepseudonimiseerd"])
            for r in removals
        ]
        assert case is not None
        assert pseudonym == case.history[-1].actor
        assert "b.jansen" == case.history[0].actor
        assert {"klager": ("b.jansen",), "beklaagde": ("j.smit",)} == dict(case.parties)
        assert report.valid, report.problems
        assert (2,) == report.erased
        assert verify_history(closed.get("Z-1"), key=closed._sealer)

    def test_erase_person_as_party(self, closed: SqlStore) -> None:
        """Erasing a klager removes the personal data of every case they are party
        to; an open case only with a ground (AVG art 17 lid 1), and the erased
        cases still verify and say that they were erased."""
        with pytest.raises(ErasureRefused) as refused:
            closed.erase_person("b.jansen")
        assert ("Z-2",) == refused.value.case_ids
        assert "b.jansen" == closed.get("Z-1").history[0].actor  # nothing happened

        removals = closed.erase_person("b.jansen", ground=ErasureGround.INTREKKING)
        pseudonym = closed._sealer.pseudonym("b.jansen")

        assert ["Z-1", "Z-2"] == sorted(r.case_id for r in removals)
        assert [] == closed.find(party="b.jansen")
        for case_id in ("Z-1", "Z-2"):
            case, report = closed.inspect(case_id)
            assert report.valid, report.problems
            assert case is not None
            assert {"klager": (pseudonym,), "beklaagde": ("j.smit",)} == dict(
                case.parties
            )
            assert {} == dict(case.data)
            assert pseudonym == case.history[0].actor
            assert "AVG art 17 lid 1 onder b" in report.removals[-1].reason
        assert 2 == len(closed.removals())


class TestCache:
    def test_another_store_sees_every_change(
        self, url: str, clock: FixedClock, backend: str
    ) -> None:
        """Two stores on one database: fires and purges by one are seen by the other,
        whatever it had read before."""
        if backend == "sqlite-memory":
            pytest.skip("an in-memory database is private to one store")
        with (
            open_store(url, clock=clock, upgrade_schema=True) as first,
            open_store(url, clock=clock) as second,
        ):
            new_case(first, "Z-1")
            first.fire(
                "Z-1",
                "los_informeel_op",
                actor=COORDINATOR,
                data={"oplossing": "x"},
                consent=["klager"],
            )
            assert "opgelost" == second.get("Z-1").state  # second caches version 2

            second.purge(dt.date(2031, 3, 2))
            assert {} == dict(first.get("Z-1").parties)
            assert first.inspect("Z-1")[1].valid

            new_case(second, "Z-2")
            assert "onvrede" == first.get("Z-2").state
            second.fire("Z-2", "plan_gesprek", actor=COORDINATOR)
            assert "gesprek" == first.get("Z-2").state
            assert (
                "gesprek"
                == first.fire("Z-2", "neem_contact_op", actor=COORDINATOR).state
            )

    def test_a_new_store_reads_back_exactly_what_was_written(
        self, url: str, clock: FixedClock, backend: str
    ) -> None:
        """Events with data, consent and notice, and running, extended clocks come
        back equal from the database (one query on PostgreSQL, three elsewhere)."""
        if backend == "sqlite-memory":
            pytest.skip("an in-memory database is private to one store")
        with open_store(url, clock=clock, upgrade_schema=True) as first:
            new_case(first, "Z-1")
            first.fire(
                "Z-1", "registreer_klaagschrift", actor=COORDINATOR, data=KLAAGSCHRIFT
            )
            first.claim_due(dt.date(2026, 12, 31), worker="w1", limit=10)
            written = first.fire(
                "Z-1",
                "verdaag",
                actor=COLLEGE,
                data={"reden_verdaging": "x"},
                notified=["klager", "beklaagde"],
            )
        with open_store(url, clock=clock) as second:
            read = second.get("Z-1")

        assert written == read
        assert written.clocks == read.clocks
        assert verify_history(read)

    def test_fire_from_a_stale_cache_is_decided_on_the_stored_case(
        self, url: str, clock: FixedClock, backend: str
    ) -> None:
        """A store whose cached copy is behind fires on what is stored: an action
        allowed only by the stale copy is refused, one allowed only by the stored
        case goes through, and another writer's work is never overwritten."""
        if backend == "sqlite-memory":
            pytest.skip("an in-memory database is private to one store")
        with (
            open_store(url, clock=clock, upgrade_schema=True) as first,
            open_store(url, clock=clock) as second,
        ):
            new_case(first, "Z-1")
            assert "onvrede" == first.get("Z-1").state  # first caches version 1
            second.fire(
                "Z-1", "registreer_klaagschrift", actor=COORDINATOR, data=KLAAGSCHRIFT
            )

            with pytest.raises(TransitionNotAllowed):
                first.fire("Z-1", "plan_gesprek", actor=COORDINATOR)
            fired = first.fire(
                "Z-1",
                "bevestig_ontvangst",
                actor=COORDINATOR,
                data={"datum_ontvangstbevestiging": "2026-03-03"},
            )

            assert [e.action for e in second.get("Z-1").history] == [
                "start",
                "registreer_klaagschrift",
                "bevestig_ontvangst",
            ]
            assert fired == second.get("Z-1")
            assert verify_history(fired)


class TestMigration:
    def test_migrated_case_saves_and_closes_dropped_terms(
        self, store: SqlStore
    ) -> None:
        """A case migrated to a version without a term keeps no open deadline for it."""
        terms = {
            "kort": {"duur": "2 weken", "start": {"binnenkomst": "ontvangen"}},
            "lang": {"duur": "6 weken", "start": {"binnenkomst": "ontvangen"}},
        }
        old = make_procedure(versie="1", termijnen=terms)
        new = make_procedure(
            versie="2",
            termijnen={"lang": terms["lang"]},
            migratie={"wie": ["behandelaar"]},
        )
        actor = Actor("a", roles={"behandelaar"})
        case = store.start(old, actor=actor, parties={}, case_id="M-1")
        migrated = store.engine_for(new).migrate(case, to=new, actor=actor)
        store.save(migrated, expected_version=case.version)
        open_terms = {
            d.term for d in store.overdue(dt.date(2027, 1, 1)) if d.case_id == "M-1"
        }

        assert "2" == store.get("M-1").procedure_version
        assert {"lang"} == open_terms
