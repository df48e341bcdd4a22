"""Organisations in one store: every case belongs to one, and a scoped store
sees its own cases only (issue #15). Runs on every backend."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klachtflow import (
    Actor,
    CaseNotFound,
    CaseNotInOrganisation,
    FixedClock,
    HistoryTampered,
    InvalidArgument,
    Organisation,
    OrganisationNotFound,
    ProcedureNotForOrganisation,
    SqlStore,
    builtin_procedure,
    open_store,
)
from klachtflow.storage import schema as t
from klachtflow.storage.migrate import _config, current_revision, head_revision

from .conftest import backend_url

KLAGER = Actor("b.jansen", roles={"klager"})
INDIENER = Actor("b.jansen", roles={"indiener"})
COORDINATOR = Actor("m.devries", roles={"klachtencoordinator"})
PROCEDURE = builtin_procedure("gemeente-awb")
BEZWAAR = builtin_procedure("bezwaar-awb")
KEY = b"organisaties-test-sleutel-32-byt"
A = Organisation(id="002220647", name="Gemeente A", procedures={"gemeente-awb"})
B = Organisation(
    id="00000001821002193000",
    name="Zorgaanbieder B",
    procedures={"gemeente-awb", "bezwaar-awb"},
    closing_days={dt.date(2026, 3, 6)},
)
FAR = dt.date(2027, 1, 1)


def start(store: SqlStore, case_id: str, person: str = "b.jansen") -> None:
    store.start(
        PROCEDURE,
        actor=Actor(person, roles={"klager"}),
        parties={"klager": [person], "beklaagde": ["j.smit"]},
        data={"categorie": "bejegening", "kanaal": "e-mail"},
        case_id=case_id,
    )


@pytest.fixture
def keyed(url: str, clock: FixedClock) -> Iterator[SqlStore]:
    """A keyed store with organisations A and B registered."""
    with open_store(url, clock=clock, upgrade_schema=True, history_key=KEY) as store:
        store.register_organisation(A)
        store.register_organisation(B)
        yield store


@pytest.fixture
def two(keyed: SqlStore) -> tuple[SqlStore, SqlStore, SqlStore]:
    """The store and its views of A and B, with cases A-1, A-2, B-1 and D-1 (default)."""
    a, b = keyed.scoped(A.id), keyed.scoped(B)
    start(a, "A-1")
    start(a, "A-2", person="c.devries")
    start(b, "B-1", person="c.devries")
    start(keyed, "D-1")
    return keyed, a, b


def ids(summaries: Any) -> list[str]:
    return sorted(s.id if hasattr(s, "id") else s.case_id for s in summaries)


class TestRegistry:
    def test_registered_organisations_read_back(self, keyed: SqlStore) -> None:
        """What is registered reads back equal; registering again replaces it."""
        assert [B, A] == sorted(keyed.organisations(), key=lambda o: o.name)[::-1]
        renamed = Organisation(id=A.id, name="Gemeente A-stad", procedures=A.procedures)
        keyed.register_organisation(renamed)

        assert renamed == keyed.scoped(A.id).organisation
        assert keyed.organisation is None

    def test_an_unregistered_organisation_is_refused(self, keyed: SqlStore) -> None:
        """A valid RSIN that is not registered: OrganisationNotFound (KF-S015)."""
        with pytest.raises(OrganisationNotFound) as info:
            keyed.scoped("111222333")

        assert "111222333" == info.value.organisation
        assert "KF-S015" == info.value.code

    @pytest.mark.parametrize("bad", ["123456789", "A-1", "", 2220647])
    def test_an_invalid_identifier_is_refused(self, keyed: SqlStore, bad: Any) -> None:
        """Not an RSIN (elfproef) nor an OIN: InvalidArgument, before any query."""
        with pytest.raises(InvalidArgument):
            keyed.scoped(bad)
        with pytest.raises(InvalidArgument):
            Organisation(id=bad, name="X")

    def test_a_view_cannot_be_rescoped_to_another_organisation(
        self, keyed: SqlStore
    ) -> None:
        """A handler holding A's view cannot turn it into B's."""
        a = keyed.scoped(A.id)

        assert A == a.scoped(A.id).organisation
        with pytest.raises(InvalidArgument):
            a.scoped(B.id)

    def test_closing_days_make_the_organisation_calendar(self) -> None:
        """B's own closing day is not a working day on its calendar; Atw days stay."""
        calendar = B.calendar()

        assert not calendar.is_workday(dt.date(2026, 3, 6))
        assert calendar.is_workday(dt.date(2026, 3, 5))
        assert not calendar.is_workday(dt.date(2026, 4, 6))  # Tweede Paasdag


class TestScope:
    def test_warnings_see_their_own_organisation_only(
        self, two: tuple[SqlStore, SqlStore, SqlStore]
    ) -> None:
        """The warnings to a role (waarschuwing_aan) per organisation, like due()."""
        default, a, b = two
        letter = {
            "schriftelijk": True,
            "datum_ontvangst": "2026-03-02",
            "omschrijving_gedraging": "x",
            "naam_adres_klager": "B. Jansen",
            "dagtekening": "2026-03-01",
        }
        for store, case_id in ((a, "A-1"), (b, "B-1"), (default, "D-1")):
            store.fire(
                case_id, "registreer_klaagschrift", actor=COORDINATOR, data=letter
            )
        due = next(d.due for d in a.get("A-1").deadlines if d.name == "afhandeling")
        on = due - dt.timedelta(days=1)
        for store, own in ((a, ["A-1"]), (b, ["B-1"]), (default, ["D-1"])):
            found = store.warnings(on, role="klachtencoordinator")
            assert own == sorted({w.case_id for w in found})

    def test_queries_see_their_own_organisation_only(
        self, two: tuple[SqlStore, SqlStore, SqlStore]
    ) -> None:
        """find, count, statistics, due, overdue, skeletons and filled per organisation."""
        default, a, b = two
        for store, own in ((a, ["A-1", "A-2"]), (b, ["B-1"]), (default, ["D-1"])):
            assert own == ids(store.find())
            assert len(own) == store.count()
            assert len(own) == store.statistics(FAR).total
            assert own == sorted(
                {d.case_id for d in store.due(dt.date(2026, 3, 2), within=400)}
            )
            assert own == sorted({d.case_id for d in store.overdue(FAR)})
            assert own == sorted(s.case.id for s in store.skeletons())
            assert set(own) == store.filled(["categorie"])

    def test_claims_hand_out_their_own_organisation_only(
        self, two: tuple[SqlStore, SqlStore, SqlStore]
    ) -> None:
        """claim_due of A never hands out B's or the default organisation's deadlines."""
        default, a, b = two
        claims_a = a.claim_due(FAR, worker="a-1")
        claims_b = b.claim_due(FAR, worker="b-1")

        assert ["A-1", "A-2"] == sorted({c.case_id for c in claims_a})
        assert ["B-1"] == sorted({c.case_id for c in claims_b})
        assert ["D-1"] == sorted(
            {c.case_id for c in default.claim_due(FAR, worker="d")}
        )
        for claim in claims_a:
            a.complete_claim(claim)

    @pytest.mark.parametrize("operation", ["get", "history", "fire", "inspect"])
    def test_another_organisations_case_cannot_be_reached_by_id(
        self, two: tuple[SqlStore, SqlStore, SqlStore], operation: str
    ) -> None:
        """B's handler asks for A-1: CaseNotInOrganisation (a CaseNotFound), nothing read."""
        _, a, b = two
        a.get("A-1")  # A's own view reads it
        calls: dict[str, Callable[[], object]] = {
            "get": lambda: b.get("A-1"),
            "history": lambda: b.history("A-1"),
            "fire": lambda: b.fire("A-1", "neem_contact_op", actor=COORDINATOR),
            "inspect": lambda: b.inspect("A-1"),
        }
        with pytest.raises(CaseNotInOrganisation) as info:
            calls[operation]()

        assert isinstance(info.value, CaseNotFound)
        assert ("A-1", B.id) == (info.value.case_id, info.value.organisation)
        assert 1 == a.get("A-1").version

    def test_the_default_store_cannot_reach_an_organisations_case(
        self, two: tuple[SqlStore, SqlStore, SqlStore]
    ) -> None:
        """The store itself is the default organisation's: A-1 is not its case."""
        default, a, _ = two
        with pytest.raises(CaseNotInOrganisation):
            default.fire("A-1", "neem_contact_op", actor=COORDINATOR)
        with pytest.raises(CaseNotInOrganisation):
            a.get("D-1")

    def test_save_of_another_organisations_case_is_refused(
        self, two: tuple[SqlStore, SqlStore, SqlStore]
    ) -> None:
        """A case read by A and fired by hand cannot be saved through B."""
        _, a, b = two
        case = a.get("A-1")
        fired = a.engine_for(case.procedure_digest).fire(
            case, "neem_contact_op", actor=COORDINATOR
        )
        with pytest.raises(CaseNotInOrganisation):
            b.save(fired, expected_version=case.version)
        a.save(fired, expected_version=case.version)

        assert 2 == a.get("A-1").version

    def test_fires_stay_in_the_organisation_and_verify(
        self, two: tuple[SqlStore, SqlStore, SqlStore]
    ) -> None:
        """Fired loaded and from the cache, the cases are still A's and verify."""
        default, a, _ = two
        a.fire("A-1", "neem_contact_op", actor=COORDINATOR)
        a.get("A-2")  # in A's cache: the fire takes the cached path
        a.fire("A-2", "neem_contact_op", actor=COORDINATOR)

        assert [2, 2] == [a.get("A-1").version, a.get("A-2").version]
        assert default.verify().valid
        assert 4 == default.verify().cases  # the store verifies every organisation
        assert 2 == a.verify().cases

    def test_a_procedure_the_organisation_is_not_registered_for(
        self, keyed: SqlStore
    ) -> None:
        """A may start gemeente-awb only: bezwaar-awb is refused (KF-S017), nothing stored."""
        a = keyed.scoped(A.id)
        with pytest.raises(ProcedureNotForOrganisation) as info:
            a.start(BEZWAAR, actor=INDIENER, parties={"indiener": ["b.jansen"]})

        assert ("bezwaar-awb", ("gemeente-awb",)) == (
            info.value.procedure,
            info.value.registered,
        )
        assert 0 == a.count()
        case = keyed.engine_for(BEZWAAR).start(
            actor=INDIENER, parties={"indiener": ["b.jansen"]}, case_id="X-1"
        )
        with pytest.raises(ProcedureNotForOrganisation):
            a.add(case)

    def test_erasure_in_a_view_touches_its_own_cases_only(
        self, two: tuple[SqlStore, SqlStore, SqlStore]
    ) -> None:
        """c.devries is party in A-2 and B-1: A's erasure removes A-2's data only."""
        _, a, b = two
        removed = a.erase_person("c.devries", ground=_ground())

        assert ["A-2"] == [r.case_id for r in removed]
        assert ["A-2"] == [r.case_id for r in a.removals()]
        assert [] == b.removals()
        assert ["c.devries"] == list(b.get("B-1").parties["klager"])


def _ground() -> Any:
    from klachtflow import ErasureGround  # noqa: PLC0415

    return ErasureGround.INTREKKING


def _move(store: SqlStore, case_id: str, organisation: str) -> None:
    """What an attacker with write access does: edit the organisation column."""
    with store.engine.begin() as connection:
        connection.execute(
            t.cases.update()
            .where(t.cases.c.id == case_id)
            .values(organisation=organisation)
        )


class TestMovingACase:
    """Moving a case to another organisation by editing its row is detected:
    the head seal covers the organisation."""

    def test_moved_to_another_organisation(
        self, two: tuple[SqlStore, SqlStore, SqlStore]
    ) -> None:
        default, a, b = two
        _move(default, "A-1", B.id)

        with pytest.raises(HistoryTampered):
            b.get("A-1")
        with pytest.raises(CaseNotInOrganisation):
            a.get("A-1")
        report = default.verify()
        assert ["A-1"] == [p.case_id for p in report.problems]
        assert "het zegel van de zaakregel klopt niet" in report.problems[0].problems

    def test_moved_to_the_default_organisation(
        self, two: tuple[SqlStore, SqlStore, SqlStore]
    ) -> None:
        default, _, _ = two
        _move(default, "A-1", "")

        with pytest.raises(HistoryTampered):
            default.get("A-1")

    def test_default_case_moved_into_an_organisation(
        self, two: tuple[SqlStore, SqlStore, SqlStore]
    ) -> None:
        default, a, _ = two
        _move(default, "D-1", A.id)

        with pytest.raises(HistoryTampered):
            a.get("D-1")
        assert ["D-1"] == [p.case_id for p in default.verify().problems]


class TestUpgrade:
    @pytest.mark.parametrize("backend", ["sqlite-file", "postgresql"])
    def test_from_0005_with_data(
        self, backend: str, tmp_path: Path, clock: FixedClock
    ) -> None:
        """A store at 0005 with cases upgrades to 0006: every case is the default
        organisation's, reads back equal and verifies; organisations then work."""
        url = backend_url(backend, tmp_path)
        with open_store(url, clock=clock, upgrade_schema=True, history_key=KEY) as s:
            for i in range(3):
                start(s, f"Z-{i}")
            s.fire("Z-0", "neem_contact_op", actor=COORDINATOR)
            before = [s.get(f"Z-{i}") for i in range(3)]
        engine = sa.create_engine(url)
        with engine.begin() as connection:
            command.downgrade(_config(connection), "0005_claim_lease")
        assert "0005_claim_lease" == current_revision(engine)
        with engine.connect() as connection:
            columns = {
                c["name"] for c in sa.inspect(connection).get_columns("kf_cases")
            }
        assert "organisation" not in columns
        engine.dispose()

        with open_store(url, clock=clock, upgrade_schema=True, history_key=KEY) as s:
            assert head_revision() == current_revision(s.engine)
            assert before == [s.get(f"Z-{i}") for i in range(3)]
            assert s.verify().valid
            assert 3 == s.count()
            s.register_organisation(A)
            a = s.scoped(A.id)
            assert 0 == a.count()
            start(a, "A-1")
            assert ["A-1"] == ids(a.find())
            assert 3 == s.count()


class TestPool:
    def test_postgres_takes_pool_settings_for_both_pools(
        self, tmp_path: Path, clock: FixedClock
    ) -> None:
        """pool= reaches the store's pool and its autocommit pool (PostgreSQL),
        also without prepared statements (PgBouncer in transaction mode)."""
        url = backend_url("postgresql", tmp_path)
        pool = {
            "pool_size": 2,
            "max_overflow": 1,
            "pool_pre_ping": True,
            "connect_args": {"prepare_threshold": None},
        }
        with open_store(url, clock=clock, upgrade_schema=True, pool=pool) as store:
            start(store, "D-1")
            for _ in range(7):  # beyond psycopg's prepare threshold of 5
                store.get("D-1")
            store.fire("D-1", "neem_contact_op", actor=COORDINATOR)
            autocommit = store._autocommit_engine
            assert autocommit is not None
            assert [2, 2] == [store.engine.pool.size(), autocommit.pool.size()]  # type: ignore[attr-defined]
            assert 2 == store.get("D-1").version

    @pytest.mark.parametrize(
        ("url", "pool"),
        [("sqlite://", {"pool_size": 2}), ("sqlite://", {"echo": True})],
    )
    def test_refused_pool_settings(self, url: str, pool: dict[str, Any]) -> None:
        """SQLite's pool is klachtflow's own; unknown settings are refused."""
        with pytest.raises(InvalidArgument) as info:
            open_store(url, pool=pool)

        assert "open_store(pool)" == info.value.parameter


class TestPartition:
    @settings(
        max_examples=15,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(st.lists(st.sampled_from(["", A.id, B.id]), min_size=1, max_size=6))
    def test_every_case_is_in_exactly_one_organisations_view(
        self, clock: FixedClock, owners: list[str]
    ) -> None:
        """However cases are spread over the default organisation, A and B, the
        views partition them: each case is found, counted and read in its own
        organisation's view only."""
        with open_store("sqlite://", clock=clock, history_key=KEY) as store:
            store.register_organisation(A)
            store.register_organisation(B)
            views = {"": store, A.id: store.scoped(A.id), B.id: store.scoped(B.id)}
            for i, owner in enumerate(owners):
                start(views[owner], f"Z-{i}")
            for organisation, view in views.items():
                own = sorted(
                    f"Z-{i}" for i, o in enumerate(owners) if o == organisation
                )
                assert own == ids(view.find())
                assert len(own) == view.count()
                for i, owner in enumerate(owners):
                    if owner == organisation:
                        view.get(f"Z-{i}")
                    else:
                        with pytest.raises(CaseNotInOrganisation):
                            view.get(f"Z-{i}")
