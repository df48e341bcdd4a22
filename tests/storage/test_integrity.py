"""Attack tests: a stored case is exactly what its history says, and its history
holds only what permitted people did through the procedure.

Each test tries to break one promise through the public API or with write
access to the database, on SQLite and PostgreSQL, and asserts that the attack
is refused or detected. Switching the protection off makes the test fail.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
import sqlalchemy as sa

from klachtflow import (
    Actor,
    Case,
    ErasureGround,
    ErasureRefused,
    Event,
    FixedClock,
    HistoryTampered,
    MigrationRefused,
    MomentRefused,
    SqlStore,
    UntrustedCase,
    builtin_procedure,
    loads_procedure,
    open_store,
    verify_history,
)
from klachtflow.adapters.cli import main
from klachtflow.definition.templates import template_text
from klachtflow.engine._seal import UNKEYED, Sealer, commitment, personal_values
from klachtflow.rules.permissions import ReasonKind
from klachtflow.storage import schema as t
from klachtflow.storage._rows import head_mac

KEY = "geheime-sleutel-van-de-gemeente"
KLAGER = Actor("b.jansen", roles={"klager"})
BEKLAAGDE_ALS_FUNCTIONARIS = Actor("j.smit", roles={"klachtenfunctionaris"})
COORDINATOR = Actor("m.devries", roles={"klachtencoordinator"})
PARTIES = {"klager": ["b.jansen"], "beklaagde": ["j.smit"]}
PROCEDURE = builtin_procedure("gemeente-awb")
CANARY = "Kwartelkoning"


@pytest.fixture
def keyed(url: str, clock: FixedClock) -> Iterator[SqlStore]:
    """A store that seals histories with a key."""
    with open_store(url, clock=clock, upgrade_schema=True, history_key=KEY) as store:
        yield store


def started(store: SqlStore, case_id: str = "Z-1") -> Case:
    return store.start(
        PROCEDURE,
        actor=KLAGER,
        parties=PARTIES,
        data={"kanaal": "e-mail", "categorie": "bejegening"},
        reason="eerste melding",
        case_id=case_id,
    )


def three_events(store: SqlStore, clock: FixedClock, case_id: str = "Z-1") -> Case:
    started(store, case_id)
    clock.advance(hours=1)
    store.fire(case_id, "plan_gesprek", actor=COORDINATOR, reason="telefonisch verzoek")
    clock.advance(hours=1)
    return store.fire(case_id, "neem_contact_op", actor=COORDINATOR, reason="gebeld")


def execute(store: SqlStore, statement: Any) -> None:
    with store.engine.begin() as connection:
        connection.execute(statement)


@contextlib.contextmanager
def reopened(store: SqlStore, key: str | None = KEY) -> Iterator[SqlStore]:
    """Another store on the same database (the same one for an in-memory database)."""
    if store.url == "sqlite://":
        store._cache.drop("Z-1")
        store._cache.drop("Z-2")
        yield store
        return
    with open_store(store.url, clock=store.clock, history_key=key) as other:
        yield other


def refused_on_read(store: SqlStore, case_id: str = "Z-1") -> tuple[str, ...]:
    """Every way of reading or changing the case refuses it; the problems."""
    with reopened(store) as fresh, pytest.raises(HistoryTampered) as error:
        fresh.get(case_id)
    with reopened(store) as fresh, pytest.raises(HistoryTampered):
        fresh.fire(case_id, "los_informeel_op", actor=COORDINATOR)
    with reopened(store) as fresh:
        _, report = fresh.inspect(case_id)
    assert not report.valid
    assert report.problems == error.value.problems
    return report.problems


# --------------------------------------------------------------------------- one door


class TestOneDoor:
    def test_an_evolved_case_is_not_stored(self, store: SqlStore) -> None:
        """store.save(attrs.evolve(case, state=...)) is refused: nothing new happened."""
        case = started(store)
        with pytest.raises(UntrustedCase):
            store.save(
                attrs.evolve(case, state="afgehandeld"), expected_version=case.version
            )
        assert "onvrede" == store.get("Z-1").state

    def test_an_evolved_fired_case_is_not_stored(self, store: SqlStore) -> None:
        """A real fire whose result is edited afterwards is refused."""
        case = started(store)
        fired = store.engine_for(PROCEDURE).fire(
            case, "plan_gesprek", actor=COORDINATOR
        )
        for forged in (
            attrs.evolve(fired, state="afgehandeld"),
            attrs.evolve(fired, result="gegrond"),
            attrs.evolve(fired, data={**fired.data, "categorie": "privacy"}),
            attrs.evolve(fired, parties={"klager": ("b.jansen",)}),
        ):
            with pytest.raises(UntrustedCase) as error:
                store.save(forged, expected_version=case.version)
            assert error.value.problems
        store.save(fired, expected_version=case.version)
        assert "gesprek" == store.get("Z-1").state

    def test_a_forged_event_with_the_right_seal_is_refused(
        self, keyed: SqlStore, clock: FixedClock
    ) -> None:
        """An event sealed with the store's own key but for an act the procedure
        does not allow (the beklaagde closing the complaint) is refused."""
        case = started(keyed)
        clock.advance(hours=1)
        last = case.history[-1]
        forged = Event.record(
            Sealer(KEY),
            case_id=case.id,
            seq=2,
            action="handel_af",
            from_state=case.state,
            to_state="afgehandeld",
            actor="j.smit",
            role="bestuursorgaan",
            at=clock.now(),
            recorded_at=clock.now(),
            legal_date=last.legal_date,
            procedure=case.procedure,
            procedure_version=case.procedure_version,
            procedure_digest=case.procedure_digest,
            prev_hash=last.hash,
            result="ongegrond",
            clocks=last.clocks,
        )
        bad = attrs.evolve(
            case,
            state="afgehandeld",
            version=2,
            history=(*case.history, forged),
            result="ongegrond",
        )
        assert verify_history(bad, key=KEY)  # the chain alone cannot tell
        with pytest.raises(UntrustedCase, match="volgt niet uit de procedure"):
            keyed.save(bad, expected_version=1)
        assert "onvrede" == keyed.get("Z-1").state

    def test_a_hand_built_case_is_not_added(self, store: SqlStore) -> None:
        """store.add of a case the engine did not make (another case's history) is refused."""
        real = started(store)
        copy = attrs.evolve(real, id="Z-2")
        with pytest.raises(UntrustedCase):
            store.add(copy)
        with pytest.raises(UntrustedCase):
            store.add_many([attrs.evolve(real, id="Z-3", history=())])
        assert 1 == store.count()

    def test_the_hash_covers_the_case_id(self, store: SqlStore) -> None:
        """Two cases started at the same moment by the same person differ in every hash."""
        one, two = started(store, "Z-1"), started(store, "Z-2")
        assert one.history[0].hash != two.history[0].hash
        moved = attrs.evolve(two, history=one.history)
        assert not verify_history(moved)

    def test_migrate_needs_a_declared_right(self, store: SqlStore) -> None:
        """Engine.migrate: only a role named under migratie: wie: of the new version;
        never within the same version; who, why and the mapping are recorded."""
        case = started(store)
        newer = loads_procedure(
            template_text("gemeente-awb").replace('versie: "1.0.0"', 'versie: "1.1.0"')
        )
        engine = store.engine_for(newer)
        for actor in (Actor("x"), Actor("j.smit", roles={"beklaagde"})):
            with pytest.raises(MigrationRefused):
                engine.migrate(case, to=newer, actor=actor)
        with pytest.raises(MigrationRefused, match="dezelfde procedureversie"):
            engine.migrate(case, to=PROCEDURE, actor=COORDINATOR)
        migrated = engine.migrate(case, to=newer, actor=COORDINATOR, reason="nieuw")
        event = migrated.history[-1]
        assert ("m.devries", "klachtencoordinator", "nieuw") == (
            event.actor,
            event.role,
            event.reason,
        )
        assert {"van_status": "onvrede", "naar_status": "onvrede"}.items() <= (
            event.inputs.items()
        )
        store.save(migrated, expected_version=case.version)
        assert "1.1.0" == store.get("Z-1").procedure_version


# --------------------------------------------------------------------------- row edits


def _delete_newest_event(store: SqlStore) -> None:
    """Truncate: delete the newest event and make the case row agree."""
    with store.engine.begin() as connection:
        for table in (t.event_personal, t.events):
            connection.execute(
                table.delete().where(table.c.case_id == "Z-1", table.c.seq == 3)
            )
        prev_hash, state = connection.execute(
            sa.select(t.events.c.hash, t.events.c.to_state).where(
                t.events.c.case_id == "Z-1", t.events.c.seq == 2
            )
        ).one()
        connection.execute(
            t.cases.update()
            .where(t.cases.c.id == "Z-1")
            .values(version=2, head_hash=prev_hash, state=state)
        )


def _recompute_edited_reason(store: SqlStore) -> None:
    """Edit a reason and recompute the commitment and the chain (without the key)."""
    case, _ = store.inspect("Z-1")
    assert case is not None
    events = list(case.history)
    first = events[1]
    edited = attrs.evolve(first, reason="nooit gezegd")
    personal = commitment(
        edited.salt or "",
        personal_values(
            edited.actor,
            edited.reason,
            edited.changes,
            edited.consent,
            edited.notified,
            None,
        ),
    )
    edited = attrs.evolve(edited, personal=personal, key_id=Sealer(KEY).key_id)
    edited = attrs.evolve(edited, hash=edited.compute_hash(UNKEYED))
    with store.engine.begin() as connection:
        connection.execute(
            t.event_personal.update()
            .where(t.event_personal.c.case_id == "Z-1", t.event_personal.c.seq == 2)
            .values(reason="nooit gezegd")
        )
        connection.execute(
            t.events.update()
            .where(t.events.c.case_id == "Z-1", t.events.c.seq == 2)
            .values(personal=edited.personal, hash=edited.hash)
        )


def _edit(table: sa.Table, **values: Any) -> Callable[[SqlStore], None]:
    def attack(store: SqlStore) -> None:
        key = table.c.id if "id" in table.c and table is t.cases else table.c.case_id
        execute(store, table.update().where(key == "Z-1").values(**values))

    attack.__name__ = f"edit_{table.name}_{'_'.join(values)}"
    return attack


def _swap_events(store: SqlStore) -> None:
    """Reorder: events 2 and 3 change places."""
    with store.engine.begin() as connection:
        for table in (t.events, t.event_personal):
            c = table.c
            connection.execute(
                table.update().where(c.case_id == "Z-1", c.seq == 2).values(seq=99)
            )
            connection.execute(
                table.update().where(c.case_id == "Z-1", c.seq == 3).values(seq=2)
            )
            connection.execute(
                table.update().where(c.case_id == "Z-1", c.seq == 99).values(seq=3)
            )


def _null_salt(store: SqlStore) -> None:
    """Pretend an erasure happened: drop a salt and edit the details freely."""
    execute(
        store,
        t.event_personal.update()
        .where(t.event_personal.c.case_id == "Z-1", t.event_personal.c.seq == 2)
        .values(salt=None, reason="iets anders"),
    )


def _fake_removal(store: SqlStore) -> None:
    """Drop a salt and add a removal record to explain it (without the key)."""
    _null_salt(store)
    execute(
        store,
        t.removals.insert().values(
            case_id="Z-1",
            removed_on=dt.date(2026, 3, 2),
            reason="verzoek tot verwijdering (AVG art 17)",
            removed={"gebeurtenissen": [2]},
            mac="0" * 64,
        ),
    )


def _deadline_of_unknown_term(store: SqlStore) -> None:
    execute(
        store,
        t.deadlines.update().where(t.deadlines.c.case_id == "Z-1").values(term="x"),
    )


ROW_ATTACKS = [
    _delete_newest_event,
    _recompute_edited_reason,
    _edit(t.cases, result="gegrond"),
    _edit(t.cases, state="afgehandeld"),
    _edit(t.cases, state="bestaat.niet"),
    _edit(t.case_personal, parties={"klager": ["b.jansen"], "beklaagde": ["x"]}),
    _edit(t.case_personal, data={"kanaal": "brief", "categorie": "bejegening"}),
    _edit(t.deadlines, due=dt.date(2027, 1, 1)),
    _edit(t.deadlines, open=sa.not_(t.deadlines.c.open)),
    _deadline_of_unknown_term,
    _edit(t.deadlines, ledger={"begonnen": "gisteren"}),
    _edit(t.events, terms={"afhandeling": "verlengd"}),
    _edit(t.events, recorded_at="geen datum"),
    _swap_events,
    _null_salt,
    _fake_removal,
]


class TestRowEdits:
    @pytest.mark.parametrize("attack", ROW_ATTACKS, ids=lambda a: a.__name__)
    def test_every_row_edit_is_detected(
        self,
        keyed: SqlStore,
        clock: FixedClock,
        attack: Callable[[SqlStore], None],
    ) -> None:
        """Edit, delete, reorder, truncate, recompute: get, fire and inspect all see it."""
        three_events(keyed, clock)
        three_events(keyed, clock, "Z-2")
        attack(keyed)

        assert refused_on_read(keyed)
        with reopened(keyed) as other:
            assert "gesprek" == other.get("Z-2").state  # the other case is fine

    def test_an_event_moved_to_another_case_is_detected(
        self, keyed: SqlStore, clock: FixedClock
    ) -> None:
        """Move case Z-1's newest event to a case id that has none at that seq."""
        three_events(keyed, clock)
        started(keyed, "Z-2")
        with keyed.engine.begin() as connection:
            for table in (t.event_personal, t.events):
                c = table.c
                connection.execute(
                    table.update()
                    .where(c.case_id == "Z-1", c.seq == 2)
                    .values(case_id="Z-2")
                )
        assert refused_on_read(keyed, "Z-2")

    def test_without_the_key_a_keyed_history_does_not_verify(
        self, keyed: SqlStore, clock: FixedClock
    ) -> None:
        """Opening a keyed store without its key (or with another) reports it."""
        if keyed.url == "sqlite://":
            pytest.skip("an in-memory database is private to one store")
        three_events(keyed, clock)
        for key in (None, "een andere sleutel"):
            with (
                reopened(keyed, key) as other,
                pytest.raises(HistoryTampered, match="sleutel"),
            ):
                other.get("Z-1")

    def test_audit_reports_a_broken_case_and_carries_on(
        self, keyed: SqlStore, clock: FixedClock, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """klachtflow audit: one broken row is a finding, never an abort."""
        if keyed.url == "sqlite://":
            pytest.skip("the CLI opens its own connection")
        three_events(keyed, clock)
        three_events(keyed, clock, "Z-2")
        _deadline_of_unknown_term(keyed)
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("KLACHTFLOW_SLEUTEL", KEY)
            code = main(["audit", "--db", keyed.url])
            out = capsys.readouterr().out
            assert 1 == code
            assert "Z-1:" in out
            assert "AUDIT-INT-01" in out
            assert "2 zaken getoetst" in out
            assert 1 == main(["verifieer", "--db", keyed.url])
            assert "Z-1:" in capsys.readouterr().out


# --------------------------------------------------------------------------- anchors


class TestAnchors:
    def test_a_rollback_to_an_older_copy_is_caught_by_the_checkpoint(
        self, keyed: SqlStore, clock: FixedClock, tmp_path: Path
    ) -> None:
        """Someone with the database (and an old copy of its rows) rolls a case
        back: the case verifies on its own, the checkpoint does not."""
        started(keyed)
        with keyed.engine.connect() as connection:
            old = {
                table: [
                    dict(r)
                    for r in connection.execute(
                        sa.select(table).where(
                            (table.c.id if table is t.cases else table.c.case_id)
                            == "Z-1"
                        )
                    ).mappings()
                ]
                for table in (t.cases, t.events, t.event_personal, t.deadlines)
            }
        clock.advance(hours=1)
        keyed.fire("Z-1", "plan_gesprek", actor=COORDINATOR)
        checkpoint = keyed.checkpoint()
        anchor = tmp_path / "anker.jsonl"
        anchor.write_text(json.dumps(checkpoint.as_json()) + "\n", encoding="utf-8")
        assert keyed.verify(anchors=[checkpoint]).valid

        with keyed.engine.begin() as connection:
            for table in (t.event_personal, t.events, t.deadlines):
                connection.execute(table.delete().where(table.c.case_id == "Z-1"))
            for row in old[t.events]:
                row["checkpoint"] = checkpoint.seq  # hide it among the anchored rows
            connection.execute(
                t.cases.update().where(t.cases.c.id == "Z-1").values(**old[t.cases][0])
            )
            for table in (t.events, t.event_personal, t.deadlines):
                connection.execute(table.insert(), old[table])
        with reopened(keyed) as fresh:
            assert "onvrede" == fresh.get("Z-1").state  # the copy is internally sound
            report = fresh.verify(anchors=[checkpoint])
        assert not report.valid
        assert report.anchor_problems

    def test_rewritten_checkpoints_are_caught_by_the_exported_anchor(
        self, store: SqlStore, clock: FixedClock
    ) -> None:
        """Unkeyed, an attacker can truncate a history, recompute every seal and
        rebuild the checkpoints; the anchor kept outside the database differs."""
        three_events(store, clock)
        exported = store.checkpoint()
        _delete_newest_event(store)
        with store.engine.begin() as connection:
            head = connection.execute(
                sa.select(t.cases.c.head_hash).where(t.cases.c.id == "Z-1")
            ).scalar_one()
            connection.execute(
                t.cases.update()
                .where(t.cases.c.id == "Z-1")
                # The report summary goes too: a row without one is read the
                # full way, as one from before schema 0007.
                .values(
                    head_mac=head_mac(UNKEYED, "Z-1", 2, head),
                    summary=None,
                    summary_mac=None,
                )
            )
            connection.execute(t.checkpoints.delete())
            connection.execute(t.events.update().values(checkpoint=None))
        store.checkpoint()  # recomputed by the attacker
        assert store.verify().valid  # the database agrees with itself
        report = store.verify(anchors=[exported])
        assert not report.valid
        assert "wijkt af van het ankerbestand" in report.anchor_problems[0]

    def test_deleting_a_whole_anchored_case_is_detected(
        self, keyed: SqlStore, clock: FixedClock
    ) -> None:
        three_events(keyed, clock)
        three_events(keyed, clock, "Z-2")
        keyed.checkpoint()
        with keyed.engine.begin() as connection:
            for table in (
                t.event_personal,
                t.events,
                t.deadlines,
                t.case_parties,
                t.case_personal,
            ):
                connection.execute(table.delete().where(table.c.case_id == "Z-2"))
            connection.execute(t.cases.delete().where(t.cases.c.id == "Z-2"))
        report = keyed.verify()
        assert not report.valid
        assert "verwijderd" in report.anchor_problems[0]


# --------------------------------------------------------------------------- time


class TestTime:
    def test_an_event_cannot_be_dated_before_the_previous_one(
        self, store: SqlStore, clock: FixedClock
    ) -> None:
        case = started(store)
        clock.advance(days=2)
        with pytest.raises(MomentRefused) as error:
            store.fire(
                "Z-1",
                "plan_gesprek",
                actor=COORDINATOR,
                at=case.history[0].at - dt.timedelta(minutes=1),
            )
        assert "voor_vorige" == error.value.kind
        assert 1 == store.get("Z-1").version

    def test_an_event_cannot_be_dated_in_the_future(
        self, store: SqlStore, clock: FixedClock
    ) -> None:
        started(store)
        with pytest.raises(MomentRefused) as error:
            store.fire(
                "Z-1",
                "plan_gesprek",
                actor=COORDINATOR,
                at=clock.now() + dt.timedelta(hours=1),
            )
        assert "toekomst" == error.value.kind

    def test_backdating_only_within_the_window_and_recorded(
        self, store: SqlStore, clock: FixedClock
    ) -> None:
        """A letter received yesterday may be entered today: both dates are kept,
        terms count from the letter; a year back is refused."""
        received = clock.now()
        clock.advance(days=3)
        with pytest.raises(MomentRefused) as error:
            store.start(
                PROCEDURE,
                actor=KLAGER,
                parties=PARTIES,
                at=received - dt.timedelta(days=365),
            )
        assert "te_ver_terug" == error.value.kind
        case = store.start(
            PROCEDURE, actor=KLAGER, parties=PARTIES, at=received, case_id="Z-1"
        )
        event = store.get("Z-1").history[0]
        assert (received, clock.now()) == (event.at, event.recorded_at)
        assert dt.timedelta(days=3) == event.backdated_by
        assert (1,) == verify_history(case).backdated
        assert received.date() == case.history[0].legal_date


# --------------------------------------------------------------------------- erasure


class TestErasure:
    def test_erasure_keeps_awb_9_7_working(
        self, store: SqlStore, clock: FixedClock
    ) -> None:
        """Awb 9:7 lid 1: the person complained about never handles the complaint,
        also after their name was erased from the case."""
        started(store)
        engine = store.engine_for(PROCEDURE)

        def reasons() -> set[ReasonKind]:
            case = store.get("Z-1")
            decision = engine.explain(
                case, "start_bemiddeling", BEKLAAGDE_ALS_FUNCTIONARIS
            )
            return {r.kind for r in decision.reasons}

        assert ReasonKind.SCHEIDING in reasons()
        with pytest.raises(ErasureRefused):
            store.erase_person("j.smit")
        store.erase_person("j.smit", ground=ErasureGround.BEZWAAR)
        assert "j.smit" not in json.dumps(dict(store.get("Z-1").parties))
        assert ReasonKind.SCHEIDING in reasons()
        assert store.inspect("Z-1")[1].valid

    def test_erased_values_leave_the_sqlite_files(
        self, tmp_path: Path, clock: FixedClock
    ) -> None:
        """secure_delete and a checkpoint of the write-ahead log after erasure."""
        url = f"sqlite:///{tmp_path / 'k.db'}"
        with open_store(url, clock=clock) as store:
            name = f"{CANARY} Jansen"
            store.start(
                PROCEDURE,
                actor=Actor(name, roles={"klager"}),
                parties={"klager": [name], "beklaagde": ["j.smit"]},
                data={"kanaal": "e-mail", "categorie": "bejegening"},
                reason=f"{CANARY} reden",
                case_id="Z-1",
            )
            for number in range(20):
                started(store, f"V-{number}")
            store.erase_person(name, ground=ErasureGround.INTREKKING)
            files = [p for p in tmp_path.iterdir() if p.name.startswith("k.db")]
            found = [p.name for p in files if CANARY.encode() in p.read_bytes()]
            assert [] == found
            assert store.inspect("Z-1")[1].valid
