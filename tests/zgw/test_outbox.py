"""The outbox: written with each event, delivered once per fact across faults and SIGKILL."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from klachtflow import Actor, builtin_procedure, load_procedure
from klachtflow.adapters.cli import cli
from klachtflow.exceptions import TransitionNotAllowed
from klachtflow.storage import Outbox, SqlStore, open_store
from klachtflow.testing.walk import make_case
from klachtflow.zgw.outbox import Delivery, OutboxWorker
from klachtflow.zgw.publish import publish
from klachtflow.zgw.sinks import CloudEventsSink, ZakenSink, cloud_event
from storage.conftest import POSTGRES_URL, reset_postgres  # a database per worker

from .conftest import client
from .oas import ZAKEN_FOR, errors
from .server import CLIENT_ID, SECRET, ZgwServer
from .test_export import EXPORTED

HERE = Path(__file__).resolve().parent
PROCEDURE = load_procedure(HERE / "procedures" / "klacht.yaml")
RSIN = "002220647"
OIN = "00000001002220647000"
CO = Actor("m.devries", roles={"coordinator"})
BEH = Actor("a.bakker", roles={"behandelaar"})
#: Three paths through the procedure, with the statuses each one sets in ZGW.
PATHS = [
    (["neem_in_behandeling", "verdaag", "handel_af"], 3),
    (["trek_in"], 2),
    (["neem_in_behandeling", "trek_in"], 3),
]


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database: a SQLite file, and PostgreSQL when configured."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'klachtflow.db'}"
    if POSTGRES_URL is None:
        pytest.skip("KLACHTFLOW_TEST_POSTGRES_URL is not set")
    reset_postgres(POSTGRES_URL)
    return POSTGRES_URL


@pytest.fixture
def store(db_url: str) -> Iterator[SqlStore]:
    """A store with the outbox on (real clock: leases and back-off need time to pass)."""
    with open_store(db_url, upgrade_schema=True, outbox=True) as opened:
        yield opened


def make_cases(store: SqlStore, count: int) -> dict[str, int]:
    """``count`` cases along the three paths; case id → ZGW statuses expected."""
    expected = {}
    for i in range(count):
        actions, statuses = PATHS[i % len(PATHS)]
        case = store.start(
            PROCEDURE,
            actor=CO,
            parties={"klager": [f"klager-{i}"], "beklaagde": [f"medewerker-{i}"]},
            case_id=f"K-{i:03d}",
        )
        for action in actions:
            actor = BEH if action in ("verdaag", "handel_af") else CO
            store.fire(case.id, action, actor=actor)
        expected[case.id] = statuses
    return expected


def sinks(
    server: ZgwServer, *, timeout: float = 1.0, personal: bool = False
) -> list[Any]:
    """The Zaken and CloudEvents sinks, pointed at ``server``."""
    return [
        ZakenSink(
            zaken=client(server, "zaken", timeout=timeout),
            catalogi=client(server, "catalogi", timeout=timeout),
            catalogus=server.api("catalogi") + "catalogussen/1",
            bronorganisatie=RSIN,
            personal_data=personal,
        ),
        CloudEventsSink(
            client=client(server, "notificaties", timeout=timeout), oin=OIN
        ),
    ]


_WORKERS: list[OutboxWorker] = []


@pytest.fixture(autouse=True)
def _close_workers() -> Iterator[None]:
    yield
    while _WORKERS:
        _WORKERS.pop().close()


def worker(store: SqlStore, server: ZgwServer, **kwargs: Any) -> OutboxWorker:
    """A worker with short leases and back-off, for tests (closed after the test)."""
    options: dict[str, Any] = {
        "worker": "test",
        "lease": dt.timedelta(seconds=5),
        "backoff_base": 0.01,
        "backoff_cap": 0.05,
        **kwargs,
    }
    timeout = options.pop("timeout", 1.0)
    personal = options.pop("personal", False)
    made = OutboxWorker(
        store, sinks(server, timeout=timeout, personal=personal), **options
    )
    _WORKERS.append(made)
    return made


def run_all(runner: OutboxWorker, *, seconds: float = 60.0) -> Any:
    """``runner.run()`` until idle, but never longer than ``seconds``."""
    end = time.monotonic() + seconds
    return runner.run(poll=0.05, stop=lambda: time.monotonic() > end)


def published(server: ZgwServer) -> ZgwServer:
    """``server`` with the test procedure's zaaktype in its catalogue."""
    with client(server, "catalogi") as api, client(server, "selectielijst") as lists:
        publish(
            PROCEDURE,
            catalogi=api,
            selectielijst=lists,
            catalogus=server.api("catalogi") + "catalogussen/1",
        )
    return server


def losses(server: ZgwServer, store: SqlStore, expected: dict[str, int]) -> int:
    """Facts missing in the Zaken API or among the events (should be zero)."""
    missing = 0
    zaken = {z["identificatie"]: z["url"] for z in server.items("zaken")}
    for case_id, statuses in expected.items():
        zaak = zaken.get(case_id)
        if zaak is None:
            missing += 1 + statuses
            continue
        got = [s for s in server.items("statussen") if s["zaak"] == zaak]
        missing += max(0, statuses - len(got))
        missing += (
            0 if any(r["zaak"] == zaak for r in server.items("resultaten")) else 1
        )
    rows = Outbox(store).rows()
    missing += len(rows) - len(server.items("events"))
    return missing


class TestWrittenWithTheEvent:
    def test_one_row_per_event(self, store: SqlStore) -> None:
        """Every stored event has exactly one outbox row, the first of a case 'start'."""
        make_cases(store, 3)
        events = {
            (case_id, e.seq)
            for case_id in ("K-000", "K-001", "K-002")
            for e in store.history(case_id)
        }
        rows = Outbox(store).rows()

        assert events == {(r.case_id, r.seq) for r in rows}
        assert len(events) == len(rows)
        assert {"start"} == {r.kind for r in rows if r.seq == 1}

    def test_refused_action_writes_nothing(self, store: SqlStore) -> None:
        """An action the engine refuses stores no event and no outbox row."""
        make_cases(store, 1)
        before = len(Outbox(store).rows())
        with pytest.raises(TransitionNotAllowed):
            store.fire("K-000", "neem_in_behandeling", actor=CO)

        assert before == len(Outbox(store).rows())

    def test_rolled_back_together(
        self, store: SqlStore, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A failure after the outbox insert rolls back the event too: same transaction."""
        from klachtflow.storage import _outbox  # noqa: PLC0415

        store.start(PROCEDURE, actor=CO, parties={"klager": ["x"]}, case_id="K-900")
        real = _outbox.record

        def record_then_fail(*args: Any, **kwargs: Any) -> None:
            real(*args, **kwargs)
            msg = "disk full"
            raise RuntimeError(msg)

        monkeypatch.setattr(_outbox, "record", record_then_fail)
        with pytest.raises(RuntimeError):
            store.fire("K-900", "trek_in", actor=CO)
        monkeypatch.undo()
        stored_before = (
            store.get("K-900").status,
            [r.seq for r in Outbox(store).rows()],
        )
        store.fire("K-900", "trek_in", actor=CO)

        assert ("ontvangen", [1]) == stored_before
        assert [1, 2] == [r.seq for r in Outbox(store).rows(["K-900"])]

    def test_off_by_default(self, tmp_path: Path) -> None:
        """A store opened without outbox=True writes no rows."""
        with open_store(f"sqlite:///{tmp_path / 'x.db'}") as plain:
            make_cases(plain, 2)
            assert [] == Outbox(plain).rows()


class TestDelivery:
    def test_mirror_and_events_follow_the_standard(
        self, store: SqlStore, server: ZgwServer
    ) -> None:
        """Zaak, statuses, roles, result and verlenging arrive; every body passed the spec."""
        make_cases(store, 3)
        report = run_all(worker(store, published(server)))
        afgehandeld = next(
            z for z in server.items("zaken") if z["identificatie"] == "K-000"
        )

        assert (9, 0) == (report.delivered, report.failed)
        assert 0 == losses(server, store, {"K-000": 3, "K-001": 2, "K-002": 3})
        assert {"reden": "verdaag", "duur": "P28D"} == afgehandeld["verlenging"]
        assert not [r for r in server.requests if r[2] == 400]
        assert set(server.duplicates().values()) == {0}
        generic = sorted(
            next(
                t["omschrijvingGeneriek"]
                for t in server.items("roltypen")
                if t["url"] == r["roltype"]
            )
            for r in server.items("rollen")
            if r["zaak"] == afgehandeld["url"]
        )
        assert [
            "behandelaar",
            "belanghebbende",
            "initiator",
            "zaakcoordinator",
        ] == generic

    def test_zaak_bodies_validate_for_both_versions(self, store: SqlStore) -> None:
        """The same sink against a Zaken 1.7 server: its bodies pass that schema too."""
        server = published(ZgwServer(api_version="1.4"))
        try:
            make_cases(store, 3)
            report = run_all(worker(store, server))
        finally:
            server.stop()

        assert 9 == report.delivered
        assert not [r for r in server.requests if r[2] == 400]
        for zaak in server.items("zaken"):
            body = {k: v for k, v in zaak.items() if k not in ("url", "uuid")}
            assert [] == errors(ZAKEN_FOR["1.4"], "Zaak", body)

    def test_cloud_events_follow_the_nl_gov_profile(
        self, store: SqlStore, server: ZgwServer
    ) -> None:
        """URN source with the OIN, reverse-DNS type, log time, no personal data anywhere."""
        make_cases(store, 3)
        run_all(worker(store, published(server)))
        events = server.items("events")
        sent = repr(events)

        assert 9 == len(events)
        assert {f"urn:nld:oin:{OIN}:systeem:klachtflow"} == {
            e["source"] for e in events
        }
        assert all(e["type"].startswith("nl.overheid.zaken.") for e in events)
        assert {
            "nl.overheid.zaken.zaak-geopend",
            "nl.overheid.zaken.zaak-afgesloten",
        } <= {e["type"] for e in events}
        assert "klager-0" not in sent
        assert "medewerker-0" not in sent
        assert "a.bakker" not in sent

    def test_event_id_is_stable(self, store: SqlStore) -> None:
        """The same row gives the same event id on every attempt (source + id unique)."""
        make_cases(store, 1)
        row = Outbox(store).rows()[0]
        delivery = Delivery(row=row, case=store.get(row.case_id), procedure=PROCEDURE)
        source = f"urn:nld:oin:{OIN}:systeem:klachtflow"

        assert (
            cloud_event(delivery, source=source)["id"]
            == cloud_event(delivery, source=source)["id"]
        )
        assert [] == errors(
            "notificaties-2.0.0-alpha13", "Event", cloud_event(delivery, source=source)
        )

    def test_personal_data_only_when_configured(
        self, store: SqlStore, server: ZgwServer
    ) -> None:
        """Names go to the Zaken API only with personal_data=True."""
        make_cases(store, 1)
        run_all(worker(store, published(server), personal=True))
        names = {r.get("afwijkendeNaamBetrokkene") for r in server.items("rollen")}

        assert {"klager-0", "medewerker-0", "m.devries", "a.bakker"} <= names

    def test_without_personal_data_no_names(
        self, store: SqlStore, server: ZgwServer
    ) -> None:
        """By default a Rol carries its role, never a name."""
        make_cases(store, 1)
        run_all(worker(store, published(server)))

        assert {None} == {
            r.get("afwijkendeNaamBetrokkene") for r in server.items("rollen")
        }

    def test_erasure_has_a_notification_of_its_own(
        self, store: SqlStore, server: ZgwServer
    ) -> None:
        """AVG art 17: erasing a person adds an 'erase' row, sent as its own CloudEvent."""
        make_cases(store, 1)
        runner = worker(store, published(server), personal=True)
        run_all(runner)
        store.erase_person("klager-0")
        run_all(runner)
        erased = [r for r in Outbox(store).rows() if r.kind == "erase"]
        types = [e["type"] for e in server.items("events")]

        assert ["K-000"] == [r.case_id for r in erased]
        assert erased[0].delivered_at is not None
        assert "nl.overheid.zaken.persoonsgegevens-verwijderd" in types
        assert not [
            r for r in server.items("rollen") if r.get("afwijkendeNaamBetrokkene")
        ]

    def test_unpublished_zaaktype_is_stuck_not_lost(
        self, store: SqlStore, server: ZgwServer
    ) -> None:
        """Without the zaaktype nothing can be delivered: rows stay, attempts count, status says so."""
        make_cases(store, 1)
        runner = worker(store, server, backoff_base=0.0, backoff_cap=0.0)
        for _ in range(3):
            runner.drain()
        outbox = Outbox(store)

        assert ["K-000"] == [r.case_id for r in outbox.stuck(attempts=3)]
        assert 4 == len(outbox.pending())
        assert "staat niet in de catalogus" in (
            outbox.stuck(attempts=3)[0].last_error or ""
        )

    def test_two_workers_never_share_a_row(self, store: SqlStore) -> None:
        """A claim leases each row to one worker; rows of one case go one at a time."""
        make_cases(store, 6)
        outbox = Outbox(store)
        first = outbox.claim(worker="a", lease=dt.timedelta(seconds=30), limit=100)
        second = outbox.claim(worker="b", lease=dt.timedelta(seconds=30), limit=100)

        assert 6 == len(first)
        assert [] == second
        assert {1} == {r.seq for r in first}


class TestTemplatesMirrored:
    @pytest.mark.parametrize("version", ["1.3", "1.4"])
    @pytest.mark.parametrize("name", EXPORTED)
    def test_every_end_state_reaches_the_zaken_api(
        self, name: str, version: str, tmp_path: Path
    ) -> None:
        """A case to each end state of a municipal template: every sent body is valid."""
        procedure = builtin_procedure(name)
        server = ZgwServer(api_version=version)
        try:
            with (
                client(server, "catalogi") as api,
                client(server, "selectielijst") as lists,
            ):
                publish(
                    procedure,
                    catalogi=api,
                    selectielijst=lists,
                    catalogus=server.api("catalogi") + "catalogussen/1",
                    api_version=version,
                )
            with open_store(f"sqlite:///{tmp_path / 'k.db'}", outbox=True) as store:
                engine = store.engine_for(procedure)
                for final in procedure.final_states:
                    store.add(make_case(procedure, state=final, engine=engine))
                report = worker(
                    store, server, backoff_base=0.0, backoff_cap=0.0
                ).drain()
                rows = len(Outbox(store).rows())
        finally:
            server.stop()
        zaken = server.items("zaken")

        assert (rows, 0) == (report.delivered, report.failed)
        assert [] == [r for r in server.requests if r[2] >= 400]
        assert len(procedure.final_states) == len(zaken)
        assert len(zaken) == len(server.items("resultaten"))
        assert set(server.duplicates().values()) == {0}


class TestFaults:
    def test_loses_nothing_and_duplicates_nothing(
        self, store: SqlStore, server: ZgwServer
    ) -> None:
        """500s, time-outs after the work, dropped connections, slow answers and outages."""
        expected = make_cases(store, 12)
        published(server)
        server.hang = 0.4
        server.slow = 0.05
        rng = random.Random(16)  # noqa: S311 - a fault schedule, not a secret
        schedule = [
            rng.choice(["ok", "ok", "ok", "500", "timeout", "drop", "slow"])
            for _ in range(300)
        ]
        server.faults.extend(schedule)
        runner = worker(store, server, timeout=0.25)
        total_failed = 0
        for batch in range(200):
            if batch == 3:
                server.stop()  # an outage: connection refused
            if batch == 6:
                server.start()
            report = runner.run_once()
            total_failed += report.failed
            if not Outbox(store).pending():
                break
            time.sleep(0.02)
        rows = Outbox(store).rows()
        duplicates = sum(server.duplicates().values())
        figures: dict[str, Any] = {
            "rows": len(rows),
            "delivered": sum(r.delivered_at is not None for r in rows),
            "retries": sum(r.attempts for r in rows),
            "duplicates": duplicates,
            "losses": losses(server, store, expected),
            "redelivered_events": server.redelivered,
            "requests": len(server.requests),
            "faults": {
                f: schedule[: len(schedule) - len(server.faults)].count(f)
                for f in ("500", "timeout", "drop", "slow")
            },
        }
        print("outbox fault figures:", figures)

        assert figures["rows"] == figures["delivered"]
        assert total_failed == figures["retries"] > 0
        assert 0 == duplicates
        assert 0 == figures["losses"]

    def test_sigkill_of_the_worker(self, db_url: str, server: ZgwServer) -> None:
        """A worker killed mid-delivery loses nothing; the next one duplicates nothing."""
        with open_store(db_url, upgrade_schema=True, outbox=True) as store:
            expected = make_cases(store, 9)
        published(server)
        server.delay = 0.02
        proc = subprocess.Popen(
            [sys.executable, str(HERE / "outbox_worker.py"), db_url, server.root, "1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            deadline = time.time() + 60
            while len(server.items("statussen")) < 6 and time.time() < deadline:
                time.sleep(0.01)
            os.kill(proc.pid, signal.SIGKILL)
        finally:
            proc.wait(timeout=30)
            assert proc.stdout is not None
            assert proc.stderr is not None
            proc.stdout.close()
            proc.stderr.close()
        with open_store(db_url, outbox=True) as store:
            before = sum(r.delivered_at is not None for r in Outbox(store).rows())
            server.delay = 0.0
            run_all(worker(store, server, lease=dt.timedelta(seconds=1)))
            rows = Outbox(store).rows()
            lost = losses(server, store, expected)

        print(
            "sigkill figures:",
            {"rows": len(rows), "delivered_before_kill": before, "losses": lost},
        )
        assert -signal.SIGKILL == proc.returncode
        assert 0 < before < len(rows)
        assert all(r.delivered_at is not None for r in rows)
        assert set(server.duplicates().values()) == {0}
        assert 0 == lost


class TestCli:
    def test_bezorg_and_status(self, tmp_path: Path, server: ZgwServer) -> None:
        """'uitgaand bezorg' delivers all (exit 0); 'uitgaand status' then reports nothing stuck."""
        url = f"sqlite:///{tmp_path / 'k.db'}"
        with open_store(url, outbox=True) as store:
            make_cases(store, 2)
        published(server)
        args = [
            "uitgaand",
            "bezorg",
            "--db",
            url,
            "--zaken-api",
            server.api("zaken"),
            "--catalogi-api",
            server.api("catalogi"),
            "--catalogus",
            server.api("catalogi") + "catalogussen/1",
            "--rsin",
            RSIN,
            "--events-url",
            server.api("notificaties") + "events",
            "--oin",
            OIN,
            "--client-id",
            CLIENT_ID,
            "--secret",
            SECRET,
        ]
        runner = CliRunner()
        delivered = runner.invoke(cli, args)
        status = runner.invoke(cli, ["uitgaand", "status", "--db", url])

        assert 0 == delivered.exit_code, delivered.output
        assert "6 bezorgd, 0 mislukt" in delivered.output
        assert 0 == status.exit_code
        assert "0 wachtend, 0 vastgelopen" in status.output

    def test_malformed_rsin_is_a_usage_error(self, tmp_path: Path) -> None:
        """An RSIN that is not nine digits: exit 2 with the Dutch reason, nothing sent."""
        url = f"sqlite:///{tmp_path / 'k.db'}"
        with open_store(url, outbox=True):
            pass
        result = CliRunner().invoke(
            cli,
            [
                "uitgaand",
                "bezorg",
                "--db",
                url,
                "--zaken-api",
                "http://127.0.0.1:9/zaken/api/v1/",
                "--catalogi-api",
                "http://127.0.0.1:9/catalogi/api/v1/",
                "--catalogus",
                "http://127.0.0.1:9/catalogi/api/v1/catalogussen/1",
                "--rsin",
                "1234",
                "--client-id",
                "x",
                "--secret",
                "y",
            ],
        )

        assert 2 == result.exit_code
        assert "negen cijfers" in result.output

    def test_status_reports_stuck(self, tmp_path: Path, server: ZgwServer) -> None:
        """Rows that keep failing are listed and make the exit code 1."""
        url = f"sqlite:///{tmp_path / 'k.db'}"
        with open_store(url, outbox=True) as store:
            make_cases(store, 1)
            runner = worker(store, server, backoff_base=0.0, backoff_cap=0.0)
            with server.down():
                for _ in range(2):
                    runner.drain()
        result = CliRunner().invoke(
            cli, ["uitgaand", "status", "--db", url, "--pogingen", "2"]
        )

        assert 1 == result.exit_code
        assert "1 vastgelopen" in result.output
        assert "K-000 start 1: 2 pogingen" in result.output
