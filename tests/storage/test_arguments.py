"""A clear refusal for every bad call (issue 12, item 6).

First the issue's list, each a call that used to escape as a bare Python or
driver error, or was accepted and broke the case: now an ``InvalidArgument``
naming the parameter, on every backend, with nothing stored. Then the id rule
Awb 9:7 relies on, the limits against the schema, database failures as
``StorageError``, the loader's bounded report, and a hypothesis fuzz of every
public function: "a KlachtflowError or success, and success reads back equal
and verified", on SQLite and PostgreSQL.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pendulum
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from klachtflow import (
    Actor,
    Case,
    DefinitionError,
    Engine,
    FixedClock,
    InvalidArgument,
    KlachtflowError,
    SeparationOfDutiesViolation,
    SqlStore,
    StorageError,
    builtin_procedure,
    load_procedure,
    loads_procedure,
    open_store,
    termijn,
    verify_history,
)
from klachtflow.engine.case import FrozenMap
from klachtflow.rules import _arguments as limits
from klachtflow.rules.api import parse_date, parse_duration
from klachtflow.storage import schema
from klachtflow.testing import (
    actor_for,
    assert_compliant,
    assert_transition,
    fire_inputs,
    make_case,
    make_procedure,
    parties_for,
    path_to,
    sample_value,
)

from .hostile import dates, datetimes, garbage, hostile_strings, values_like

PROCEDURE = builtin_procedure("gemeente-awb")
KLAGER = Actor("b.jansen", roles={"klager"})
COORDINATOR = Actor("m.devries", roles={"klachtencoordinator"})
PARTIES = {"klager": ["b.jansen"], "beklaagde": ["j.smit"]}
AT = pendulum.datetime(2026, 3, 3, 10, tz="Europe/Amsterdam")
FUZZ = settings(
    max_examples=int(os.environ.get("KLACHTFLOW_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def start(store: SqlStore, case_id: str = "Z-1") -> Case:
    return store.start(PROCEDURE, actor=KLAGER, parties=PARTIES, case_id=case_id)


def fire(**kwargs: Any) -> Callable[[SqlStore], object]:
    """A fire of neem_contact_op on Z-1 with ``kwargs`` replacing the valid ones."""
    arguments: dict[str, Any] = {
        "case_id": "Z-1",
        "action": "neem_contact_op",
        "actor": COORDINATOR,
        **kwargs,
    }
    case_id, action = arguments.pop("case_id"), arguments.pop("action")
    return lambda store: store.fire(case_id, action, **arguments)


#: (call, the parameter the refusal names): the list of issue 12 and kin.
ISSUE_LIST: list[tuple[str, Callable[[SqlStore], object], str]] = [
    ("action=None", fire(action=None), "fire(action)"),
    ("actor=None", fire(actor=None), "fire(actor)"),
    ("data=[...]", fire(data=[("kanaal", "e-mail")]), "fire(data)"),
    ("notified=5", fire(notified=5), "fire(notified)"),
    ("naive at", fire(at=dt.datetime(2026, 3, 3, 10)), "fire(at)"),  # noqa: DTZ001
    (
        "year-9999 at",
        fire(at=dt.datetime(9999, 12, 31, 23, tzinfo=dt.UTC)),
        "fire(at)",
    ),
    ("lone surrogate", fire(reason="zie brief \ud800"), "fire(reason)"),
    ("NUL", fire(reason="zie\x00brief"), "fire(reason)"),
    ("bytes", fire(reason=b"x"), "fire(reason)"),
    ("float", fire(reason=1.5), "fire(reason)"),
    ("Actor(5)", lambda s: Actor(5, roles={"klachtencoordinator"}), "Actor(id)"),  # type: ignore[arg-type]
    (
        "201-character actor",
        lambda s: Actor("x" * 201, roles={"klachtencoordinator"}),
        "Actor(id)",
    ),
    (
        "one party as a str",
        lambda s: s.start(
            PROCEDURE, actor=KLAGER, parties={"klager": "k.jansen"}, case_id="Z-2"
        ),
        "start(parties)['klager']",
    ),
    (
        "NUL in a party",
        lambda s: s.start(
            PROCEDURE, actor=KLAGER, parties={"klager": ["k\x00"]}, case_id="Z-2"
        ),
        "start(parties)['klager'][0]",
    ),
    (
        "101-character case id",
        lambda s: s.start(PROCEDURE, actor=KLAGER, parties=PARTIES, case_id="x" * 101),
        "start(case_id)",
    ),
    ("get(5)", lambda s: s.get(5), "get(case_id)"),  # type: ignore[arg-type]
    ("get NUL", lambda s: s.get("Z\x00"), "get(case_id)"),
    ("find(status=5)", lambda s: s.find(status=5), "find(status)"),  # type: ignore[arg-type]
    ("erase_person(5)", lambda s: s.erase_person(5), "erase_person(person_id)"),  # type: ignore[arg-type]
    ("due('x')", lambda s: s.due("x"), "due(on)"),  # type: ignore[arg-type]
    (
        "data with NUL",
        fire(data={"naam_adres_klager": "B\x00"}),
        "fire(data)['naam_adres_klager']",
    ),
    ("unknown keyword", fire(redenen="x"), "fire(redenen)"),
]


class TestTheIssueList:
    @pytest.mark.parametrize(
        ("call", "parameter"),
        [pytest.param(c, p, id=label) for label, c, p in ISSUE_LIST],
    )
    def test_refused_naming_the_parameter_with_nothing_stored(
        self, store: SqlStore, call: Callable[[SqlStore], object], parameter: str
    ) -> None:
        """Each call is an InvalidArgument that names the parameter, what it got
        and what it expects; the stored case is untouched."""
        before = start(store)
        with pytest.raises(InvalidArgument) as refused:
            call(store)

        assert parameter == refused.value.parameter
        assert refused.value.expected
        assert refused.value.hint
        assert parameter in str(refused.value)
        assert before == store.get("Z-1")
        assert 1 == store.count()

    def test_the_value_is_a_truncated_repr(self) -> None:
        """A huge value is shown truncated, with its length."""
        with pytest.raises(InvalidArgument) as refused:
            Actor("x" * 5000)

        assert len(refused.value.value) < 100
        assert "chars" in refused.value.value

    def test_it_is_also_a_type_and_value_error(self) -> None:
        """Callers that caught TypeError or ValueError keep working."""
        with pytest.raises(TypeError):
            Actor(None)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="Actor"):
            Actor("\x00")


class TestIds:
    """Awb 9:7 lid 1: "De behandeling van een klacht geschiedt door een persoon
    die niet bij de gedraging waarop de klacht betrekking heeft, betrokken is
    geweest." Ids are compared as people: NFKC, case folded, stripped."""

    @pytest.mark.parametrize(
        "spelling", ["J.Smit", " j.smit ", "J.SMIT", "Ｊ.Ｓｍｉｔ", "j.smit"]
    )
    def test_the_beklaagde_in_any_spelling_may_not_handle(self, spelling: str) -> None:
        """Failing example: the beklaagde "j.smit" as "J.Smit" (or full-width)
        may not start the mediation of a complaint about himself."""
        engine = Engine(PROCEDURE, backdating=None)
        case = engine.start(actor=KLAGER, parties=PARTIES, at=AT)
        with pytest.raises(SeparationOfDutiesViolation):
            engine.fire(
                case,
                "start_bemiddeling",
                actor=Actor(spelling, roles={"klachtenfunctionaris"}),
                at=AT,
                consent=["klager", "beklaagde"],
            )

    def test_someone_else_may_handle(self) -> None:
        """Passing example: another klachtenfunctionaris may."""
        engine = Engine(PROCEDURE, backdating=None)
        case = engine.start(actor=KLAGER, parties=PARTIES, at=AT)
        fired = engine.fire(
            case,
            "start_bemiddeling",
            actor=Actor("K.Visser", roles={"klachtenfunctionaris"}),
            at=AT,
            consent=["klager", "beklaagde"],
        )

        assert "k.visser" == fired.history[-1].actor

    def test_ids_stored_before_normalisation_compare_the_same(self) -> None:
        """A party stored as "J.Smit" (before this rule) still blocks "j.smit"."""
        engine = Engine(PROCEDURE, backdating=None)
        case = engine.start(actor=KLAGER, parties=PARTIES, at=AT)
        legacy = attrs.evolve(
            case, parties=FrozenMap({"klager": ("b.jansen",), "beklaagde": ("J.Smit",)})
        )
        with pytest.raises(SeparationOfDutiesViolation):
            engine.fire(
                legacy,
                "start_bemiddeling",
                actor=Actor("j.smit", roles={"klachtenfunctionaris"}),
                at=AT,
                consent=["klager", "beklaagde"],
            )

    def test_parties_are_stored_normalised(self, store: SqlStore) -> None:
        """Parties and actors are stored in their normal form and found by any spelling."""
        store.start(
            PROCEDURE,
            actor=Actor("B.Jansen", roles={"klager"}),
            parties={"klager": ["B.Jansen"], "beklaagde": ["Ｊ.Ｓｍｉｔ"]},
            case_id="Z-1",
        )
        case = store.get("Z-1")

        assert {"klager": ("b.jansen",), "beklaagde": ("j.smit",)} == dict(case.parties)
        assert "b.jansen" == case.history[0].actor
        assert ["Z-1"] == [s.id for s in store.find(party="J.SMIT")]

    @pytest.mark.parametrize(
        "bad", ["", "   ", "\u200bj.smit", "j.smit\x1b", "ß" * 60, "x" * 101]
    )
    def test_invisible_empty_or_too_long_ids_are_refused(self, bad: str) -> None:
        """Zero-width and control characters would make a look-alike id; empty
        ids and ids over the limit (also after case folding) are refused."""
        with pytest.raises(InvalidArgument):
            Actor(bad)


class TestLimits:
    def test_the_schema_holds_every_id_klachtflow_accepts(self) -> None:
        """Every id column is at least as wide as the id limit, so PostgreSQL
        never refuses what SQLite takes."""
        narrow = [
            f"{table.name}.{column.name}"
            for table in schema.metadata.tables.values()
            for column in table.columns
            if isinstance(column.type, sa.String)
            and column.type.length is not None
            and column.name
            in {"id", "case_id", "actor", "person", "role", "term", "claimed_by"}
            and column.type.length < limits.MAX_ID_LENGTH
        ]

        assert [] == narrow

    def test_the_longest_accepted_values_round_trip(self, store: SqlStore) -> None:
        """Ids of exactly the limit and a reason of exactly the text limit are
        stored and read back equal, with a verified history."""
        longest = "x" * limits.MAX_ID_LENGTH
        store.start(
            PROCEDURE,
            actor=KLAGER,
            parties={"klager": [longest], "beklaagde": ["j.smit"]},
            case_id="Z" * limits.MAX_ID_LENGTH,
        )
        fired = store.fire(
            "Z" * limits.MAX_ID_LENGTH,
            "neem_contact_op",
            actor=Actor("y" * limits.MAX_ID_LENGTH, roles={"klachtencoordinator"}),
            reason="é" * limits.MAX_TEXT_LENGTH,
        )
        with open_store(store.url, clock=store.clock) as other:
            back = other.get(fired.id) if store.url != "sqlite://" else fired

        assert fired == back
        assert verify_history(back)


class TestStorageErrors:
    def test_an_unwritable_sqlite_directory(self, tmp_path: Path) -> None:
        """A SQLite file in a directory that does not exist: StorageError with
        a Dutch hint and the driver's error as cause."""
        with pytest.raises(StorageError) as failed:
            open_store(f"sqlite:///{tmp_path / 'nergens' / 'k.db'}")

        assert "kan niet worden geopend" in failed.value.message
        assert failed.value.hint
        assert isinstance(failed.value.__cause__, sa.exc.OperationalError)

    def test_a_missing_driver(self) -> None:
        """mysql://x without a MySQL driver: StorageError naming the driver."""
        with pytest.raises(StorageError) as failed:
            open_store("mysql://x")

        assert "stuurprogramma" in failed.value.message
        assert isinstance(failed.value.__cause__, ImportError)

    def test_a_server_that_is_down(self) -> None:
        """Nothing listens on port 1: StorageError, cause kept."""
        with pytest.raises(StorageError) as failed:
            open_store("postgresql+psycopg://x@127.0.0.1:1/none")

        assert failed.value.message.startswith("Geen verbinding met de database")
        assert failed.value.__cause__ is not None

    def test_a_failure_mid_use_is_a_storage_error(self, store: SqlStore) -> None:
        """A database that loses its tables under a store: StorageError, not an
        SQLAlchemy error."""
        start(store)
        with store.engine.begin() as connection:
            connection.execute(sa.text("DROP TABLE kf_removals"))
        with pytest.raises(StorageError) as failed:
            store.removals()

        assert isinstance(failed.value.__cause__, sa.exc.SQLAlchemyError)


class TestLoaderReport:
    def test_a_hostile_file_reports_a_bounded_number_of_issues(self) -> None:
        """A file with thousands of problems keeps the first 100 and says how many
        more there are, in Dutch ("en nog 1.900 andere")."""
        states = {f"s{i}": {"naar": "nergens"} for i in range(2000)}
        text = make_procedure_text_with(states)
        with pytest.raises(DefinitionError) as invalid:
            loads_procedure(text)

        assert 100 == len(invalid.value.issues)
        assert invalid.value.total > 100
        assert invalid.value.omitted == invalid.value.total - 100
        assert str(invalid.value).count("\n") <= 2 * 100 + 1  # issue and hint lines
        assert f"en nog {invalid.value.omitted:,}".replace(",", ".") in str(
            invalid.value
        )

    def test_a_small_file_reports_everything(self) -> None:
        """Below the bound every issue is there and nothing is said to be omitted."""
        with pytest.raises(DefinitionError) as invalid:
            loads_procedure("naam: x\n")

        assert invalid.value.total == len(invalid.value.issues)
        assert 0 == invalid.value.omitted
        assert "en nog" not in str(invalid.value)


def make_procedure_text_with(states: dict[str, Any]) -> str:
    from klachtflow.testing import make_procedure_text  # noqa: PLC0415

    return make_procedure_text(acties=states)


# --------------------------------------------------------------------------- fuzz

FIELDS = sorted(PROCEDURE.fields)
data_values = st.dictionaries(
    st.one_of(st.sampled_from(FIELDS), hostile_strings), garbage, max_size=3
)
VALID_MOMENT = dt.datetime(2026, 3, 3, 9, tzinfo=dt.UTC)

FIRE_SLOTS: dict[str, st.SearchStrategy[Any]] = {
    "action": values_like("neem_contact_op", "trek_in"),
    "actor": st.one_of(
        values_like(COORDINATOR),
        st.builds(
            Actor, st.just("M.DeVries"), st.just(frozenset({"klachtencoordinator"}))
        ),
    ),
    "data": st.one_of(
        data_values,
        garbage,
        st.just({"kanaal": "e-mail", "naam_adres_klager": "Ｂ. Jansen \U0001f600"}),
    ),
    "reason": st.one_of(hostile_strings, garbage),
    "at": st.one_of(datetimes, garbage),
    "consent": st.one_of(garbage, st.dictionaries(hostile_strings, garbage)),
    "notified": st.one_of(garbage, st.lists(hostile_strings, max_size=3)),
    "extension": st.one_of(hostile_strings, garbage),
    "postponed_until": st.one_of(dates, hostile_strings, garbage),
    "case_id": st.one_of(hostile_strings, garbage),
    "extra": garbage,
}

START_SLOTS: dict[str, st.SearchStrategy[Any]] = {
    "actor": values_like(KLAGER, COORDINATOR),
    "parties": st.one_of(
        garbage,
        st.dictionaries(
            st.one_of(st.sampled_from(["klager", "beklaagde"]), hostile_strings),
            st.one_of(st.lists(hostile_strings, max_size=3), garbage),
            max_size=3,
        ),
    ),
    "data": st.one_of(data_values, garbage),
    "at": st.one_of(datetimes, garbage),
    "reason": st.one_of(hostile_strings, garbage),
    "case_id": st.one_of(hostile_strings, garbage),
}

_ids = itertools.count()


@pytest.fixture
def reader(shared_url: str, clock: FixedClock) -> Iterator[tuple[SqlStore, SqlStore]]:
    """A store to write through and a second one on the same database to read
    back through (its cache never saw the case, so it reads the rows)."""
    with (
        open_store(shared_url, clock=clock, upgrade_schema=True) as writer,
        open_store(shared_url, clock=clock) as other,
    ):
        yield writer, other


def reads_back(other: SqlStore, case: Case) -> None:
    back = other.get(case.id)

    assert case == back
    assert verify_history(back)


class TestFuzz:
    @FUZZ
    @given(slot=st.sampled_from(sorted(FIRE_SLOTS)), data=st.data())
    def test_fire(
        self, reader: tuple[SqlStore, SqlStore], slot: str, data: st.DataObject
    ) -> None:
        """store.fire with one argument hostile: a KlachtflowError with nothing
        stored, or a case that reads back equal and verified."""
        store, other = reader
        case_id = f"F-{next(_ids)}"
        start(store, case_id)
        value = data.draw(FIRE_SLOTS[slot], label=slot)
        arguments: dict[str, Any] = {
            "case_id": case_id,
            "action": "neem_contact_op",
            "actor": COORDINATOR,
            "at": VALID_MOMENT,
        }
        arguments["redenen" if slot == "extra" else slot] = value
        target = arguments.pop("case_id")
        try:
            fired = store.fire(target, arguments.pop("action"), **arguments)
        except KlachtflowError as refused:
            event(f"refused: {type(refused).__name__}")
            assert 1 == other.get(case_id).version
        else:
            event("accepted")
            reads_back(other, fired)

    @FUZZ
    @given(slot=st.sampled_from(sorted(START_SLOTS)), data=st.data())
    def test_start(
        self, reader: tuple[SqlStore, SqlStore], slot: str, data: st.DataObject
    ) -> None:
        """store.start with one argument hostile: refused with nothing stored,
        or a case that reads back equal and verified."""
        store, other = reader
        before = store.count()
        arguments: dict[str, Any] = {
            "actor": KLAGER,
            "parties": PARTIES,
            "case_id": f"S-{next(_ids)}",
        }
        arguments[slot] = data.draw(START_SLOTS[slot], label=slot)
        try:
            case = store.start(PROCEDURE, **arguments)
        except KlachtflowError as refused:
            event(f"refused: {type(refused).__name__}")
            assert before == store.count()
        else:
            event("accepted")
            reads_back(other, case)

    @FUZZ
    @given(data=st.data())
    def test_store_methods(
        self, reader: tuple[SqlStore, SqlStore], data: st.DataObject
    ) -> None:
        """Every other store method with hostile arguments: a KlachtflowError or
        a result (and the store stays usable)."""
        store, _ = reader
        if not store.count():
            start(store, "Z-1")
        case = store.get("Z-1")
        name = data.draw(st.sampled_from(sorted(STORE_CALLS)))
        call = data.draw(STORE_CALLS[name], label=name)
        with contextlib.suppress(KlachtflowError):
            call(store, case)
        assert store.count() >= 1

    @FUZZ
    @given(data=st.data())
    def test_open_store(self, data: st.DataObject, tmp_path: Path) -> None:
        """open_store with hostile arguments: a KlachtflowError or a store."""
        url = data.draw(st.one_of(hostile_strings, garbage, st.just("sqlite://")))
        kwargs = data.draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "clock": garbage,
                    "conditions": garbage,
                    "atw": garbage,
                    "upgrade_schema": garbage,
                },
            )
        )
        try:
            opened = open_store(url, **kwargs)
        except KlachtflowError:
            return
        opened.close()

    @FUZZ
    @given(data=st.data())
    def test_functions(self, data: st.DataObject) -> None:
        """Actor, termijn, parse_date, parse_duration, the loaders, Engine and its
        methods, the testing kit: a KlachtflowError or a result. (The kit's
        assert_* and path helpers may fail an assertion: that is their job.)"""
        name = data.draw(st.sampled_from(sorted(FUNCTIONS)))
        call = data.draw(FUNCTIONS[name], label=name)
        with contextlib.suppress(KlachtflowError, AssertionError):
            call()


StoreCall = Callable[[SqlStore, Case], Any]


def _one(name: str) -> Callable[[Any], StoreCall]:
    """A call of the store method ``name`` with one positional argument."""
    return lambda value: lambda store, case: getattr(store, name)(value)


_ONE_ARGUMENT: dict[str, st.SearchStrategy[Any]] = {
    "get": st.one_of(hostile_strings, garbage),
    "history": st.one_of(hostile_strings, garbage),
    "existing": st.one_of(garbage, st.lists(hostile_strings, max_size=3)),
    "statistics": st.one_of(dates, garbage),
    "due": st.one_of(dates, garbage),
    "overdue": st.one_of(dates, garbage),
    "removals": st.one_of(hostile_strings, garbage),
    "erase_person": st.one_of(hostile_strings, garbage),
    "engine_for": st.one_of(hostile_strings, garbage),
    "procedure": st.one_of(hostile_strings, garbage),
    "add_procedure": garbage,
    "add": garbage,
    "add_many": garbage,
    "complete_claim": garbage,
    "release_claim": garbage,
}
_FIND_KEYS = (
    "status",
    "party",
    "category",
    "opened_from",
    "opened_until",
    "open_only",
    "limit",
)
STORE_CALLS: dict[str, st.SearchStrategy[StoreCall]] = {
    **{name: s.map(_one(name)) for name, s in _ONE_ARGUMENT.items()},
    "find": st.fixed_dictionaries(
        {},
        optional={k: st.one_of(garbage, hostile_strings, dates) for k in _FIND_KEYS},
    ).map(lambda kw: lambda store, case: store.find(**dict[str, Any](kw))),
    "due_within": st.tuples(dates, garbage, garbage).map(
        lambda a: lambda store, case: store.due(a[0], within=a[1], limit=a[2])
    ),
    "skeletons": st.tuples(garbage, garbage).map(
        lambda a: (
            lambda store, case: store.skeletons(opened_from=a[0], opened_until=a[1])
        )
    ),
    "filled": st.tuples(garbage, garbage).map(
        lambda a: lambda store, case: store.filled(a[0], opened_from=a[1])
    ),
    "claim_due": st.tuples(st.one_of(dates, garbage), garbage, garbage, garbage).map(
        lambda a: (
            lambda store, case: store.claim_due(
                a[0], worker=a[1], limit=a[2], lease=a[3]
            )
        )
    ),
    "purge": st.tuples(st.one_of(dates, garbage), garbage).map(
        lambda a: lambda store, case: store.purge(a[0], dry_run=a[1])
    ),
    "save": st.tuples(st.one_of(st.none(), garbage), garbage).map(
        lambda a: (
            lambda store, case: store.save(
                case if a[0] is None else a[0], expected_version=a[1]
            )
        )
    ),
}


ENGINE = Engine(PROCEDURE, clock=FixedClock(AT))
CASE = ENGINE.start(actor=KLAGER, parties=PARTIES, at=AT)
anything = st.one_of(garbage, hostile_strings, datetimes)


def _later(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return lambda: function(*args, **kwargs)


FUNCTIONS: dict[str, st.SearchStrategy[Callable[[], Any]]] = {
    "Actor": st.builds(_later, st.just(Actor), anything, anything),
    "termijn": st.builds(
        _later,
        st.just(termijn),
        st.one_of(dates, anything),
        st.one_of(st.just("6 weken"), anything),
        extension=st.one_of(st.none(), st.just("4 weken"), anything),
        anchor=st.one_of(st.just("gekoppeld"), anything),
        atw=st.one_of(st.booleans(), anything),
        backward=st.one_of(st.booleans(), anything),
    ),
    "parse_date": st.builds(_later, st.just(parse_date), anything),
    "parse_duration": st.builds(_later, st.just(parse_duration), anything),
    "loads_procedure": st.builds(_later, st.just(loads_procedure), anything),
    "load_procedure": st.builds(
        _later, st.just(load_procedure), st.one_of(anything, st.just(Path("/nope")))
    ),
    "Engine": st.builds(
        _later,
        st.just(Engine),
        st.one_of(st.just(PROCEDURE), anything),
        conditions=st.one_of(st.none(), anything).map(
            lambda v: v if v is not None else __import__("klachtflow").Conditions()
        ),
        clock=anything,
        listeners=anything,
        id_factory=anything,
    ),
    "explain": st.builds(
        _later,
        st.just(ENGINE.explain),
        st.one_of(st.just(CASE), anything),
        st.one_of(st.just("neem_contact_op"), anything),
        st.one_of(st.just(COORDINATOR), anything),
        data=anything,
        consent=anything,
        at=anything,
    ),
    "allowed_actions": st.builds(
        _later,
        st.just(ENGINE.allowed_actions),
        st.one_of(st.just(CASE), anything),
        st.one_of(st.just(COORDINATOR), anything),
    ),
    "migrate": st.builds(
        _later,
        st.just(ENGINE.migrate),
        st.one_of(st.just(CASE), anything),
        to=st.one_of(st.just(PROCEDURE), anything),
        state_map=anything,
        actor=st.one_of(st.just(COORDINATOR), anything),
        reason=anything,
        at=anything,
    ),
    "deadlines": st.builds(
        _later,
        st.just(ENGINE.deadlines),
        st.one_of(st.just(CASE), anything),
        st.one_of(dates, anything),
    ),
    "overdue": st.builds(
        _later,
        st.just(ENGINE.overdue),
        st.one_of(st.just([CASE]), anything),
        on=st.one_of(dates, anything),
    ),
    "due_within": st.builds(
        _later,
        st.just(ENGINE.due_within),
        st.one_of(st.just([CASE]), anything),
        st.one_of(st.integers(), anything),
        on=st.one_of(dates, anything),
    ),
    "restore_case": st.builds(
        _later,
        st.just(ENGINE.restore_case),
        case_id=st.one_of(st.just("Z-1"), anything),
        state=st.one_of(st.just(CASE.state), anything),
        version=st.one_of(st.just(1), anything),
        parties=st.one_of(st.just(PARTIES), anything),
        data=st.one_of(st.just({}), anything),
        history=st.one_of(st.just(CASE.history), anything),
        clocks=st.one_of(st.just({}), anything),
        result=anything,
    ),
    "make_procedure": st.dictionaries(
        st.sampled_from(["naam", "statussen", "acties", "rollen", "termijnen"]),
        anything,
        max_size=2,
    ).map(lambda kw: lambda: make_procedure(**kw)),
    "make_case": st.builds(
        _later,
        st.just(make_case),
        st.one_of(st.just(PROCEDURE), anything),
        state=anything,
        at=anything,
        parties=anything,
        data=anything,
    ),
    "parties_for": st.builds(_later, st.just(parties_for), anything),
    "sample_value": st.builds(
        _later, st.just(sample_value), st.just(PROCEDURE), anything, anything
    ),
    "actor_for": st.builds(
        _later,
        st.just(actor_for),
        st.one_of(st.just(PROCEDURE), anything),
        anything,
        anything,
    ),
    "fire_inputs": st.builds(
        _later,
        st.just(fire_inputs),
        st.one_of(st.just(PROCEDURE), anything),
        st.one_of(st.just(CASE), anything),
        anything,
        anything,
    ),
    "path_to": st.builds(
        _later, st.just(path_to), st.one_of(st.just(PROCEDURE), anything), anything
    ),
    "assert_transition": st.builds(
        _later,
        st.just(assert_transition),
        st.one_of(st.just(ENGINE), anything),
        st.one_of(st.just(CASE), anything),
        st.one_of(st.just("neem_contact_op"), anything),
        to=anything,
        actor=anything,
    ),
    "assert_compliant": st.builds(
        _later,
        st.just(assert_compliant),
        st.one_of(st.just(PROCEDURE), anything),
        packs=anything,
    ),
}
