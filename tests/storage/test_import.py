"""Bulk import and export of historical cases (JSONL): issue #15.

Every imported case is replayed through the engine and its seal chain checked;
a refused line is reported with its number and nothing of its batch is written.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klachtflow import (
    Actor,
    FixedClock,
    Organisation,
    SqlStore,
    builtin_procedure,
    open_store,
)
from klachtflow.adapters.simulation import case_ids, simulate
from klachtflow.engine import Case
from klachtflow.exceptions import InvalidArgument, StorageError
from klachtflow.storage import _bulk

from .conftest import backend_url

TODAY = dt.date(2026, 3, 2)


def _cases(store: SqlStore, count: int, seed: int = 1) -> list[Case]:
    engine = store.engine_for(builtin_procedure("gemeente-awb"))
    return list(simulate(engine, case_ids(seed, count), seed=seed, today=TODAY))


@pytest.fixture
def source(clock: FixedClock) -> Iterator[SqlStore]:
    """A store with 12 simulated cases (the other system's export)."""
    with open_store("sqlite://", clock=clock) as opened:
        opened.add_procedure(builtin_procedure("gemeente-awb"))
        opened.add_many(_cases(opened, 12), historical=True)
        yield opened


def _export(store: SqlStore) -> list[str]:
    out = io.StringIO()
    store.export_cases(out.write)
    return out.getvalue().splitlines(keepends=True)


def _edit(line: str, change: dict[str, object], event: int = 1) -> str:
    item = json.loads(line)
    item["history"][event].update(change)
    return json.dumps(item) + "\n"


def test_export_import_round_trip(source: SqlStore, store: SqlStore) -> None:
    lines = _export(source)
    assert json.loads(lines[0])["soort"] == "procedure"
    result = store.import_cases(lines)
    assert result.ok
    assert (result.imported, result.present, result.procedures) == (12, 0, 1)
    assert result.committed_through == len(lines)
    for case_id in case_ids(1, 12):
        assert store.get(case_id) == source.get(case_id)
    report = store.verify()
    assert report.valid
    assert report.cases == 12


def test_a_second_import_skips_what_is_there(source: SqlStore, store: SqlStore) -> None:
    lines = _export(source)
    store.import_cases(lines)
    again = store.import_cases(lines)
    assert (again.imported, again.present, again.refused) == (0, 12, ())
    assert store.count() == 12


def test_a_case_fired_on_since_counts_as_present(
    source: SqlStore, store: SqlStore
) -> None:
    source.start(
        builtin_procedure("gemeente-awb"),
        actor=Actor("b.jansen", roles={"klager"}),
        parties={"klager": ["b.jansen"], "beklaagde": ["j.smit"]},
        case_id="nieuw-1",
    )
    lines = _export(source)
    store.import_cases(lines)
    store.fire("nieuw-1", "neem_contact_op", actor=_coordinator())
    again = store.import_cases(lines)
    assert again.ok
    assert again.present == 13


def _coordinator() -> Actor:
    return Actor("m.devries", roles={"klachtencoordinator"})


def test_a_tampered_line_is_refused_with_its_number(
    source: SqlStore, store: SqlStore
) -> None:
    lines = _export(source)
    lines[5] = _edit(lines[5], {"reason": "achteraf bedacht"})
    result = store.import_cases(lines)
    assert not result.complete
    assert [(r.line, r.code) for r in result.refused] == [(6, "KF-S005")]
    assert result.refused[0].case_id == json.loads(lines[5])["id"]
    # One batch (1000 lines): nothing of it is written.
    assert store.count() == 0
    assert result.imported == 0
    assert result.committed_through == 0


@pytest.mark.parametrize(
    "change",
    [
        {"hash": "0" * 64},
        {"at": "2026-01-01T09:00:00+00:00"},
        {"actor": "iemand.anders"},
        {"to_state": "afgehandeld"},
        {"salt": "00" * 16},
    ],
    ids=["hash", "moment", "actor", "state", "salt"],
)
def test_every_kind_of_edit_is_refused(
    source: SqlStore, store: SqlStore, change: dict[str, object]
) -> None:
    lines = _export(source)
    lines[3] = _edit(lines[3], change, event=0)
    result = store.import_cases(lines, keep_going=True)
    assert [r.line for r in result.refused] == [4]
    assert result.imported == 11


def test_a_case_sealed_with_another_key_is_refused(
    source: SqlStore, url: str, clock: FixedClock
) -> None:
    lines = _export(source)  # unkeyed
    with open_store(
        url, clock=clock, upgrade_schema=True, history_key="k" * 32
    ) as keyed:
        result = keyed.import_cases(lines)
        assert {r.code for r in result.refused} == {"KF-S005"}
        assert len(result.refused) == 12
        assert keyed.count() == 0


def test_a_malformed_line_is_refused_with_its_number(
    source: SqlStore, store: SqlStore
) -> None:
    lines = _export(source)
    lines.insert(3, '{"soort": "zaak", "id": \n')
    lines.insert(5, '{"soort": "iets"}\n')
    result = store.import_cases(lines, keep_going=True)
    assert [(r.line, r.code) for r in result.refused] == [
        (4, "KF-S010"),
        (6, "KF-S010"),
    ]
    assert "Regel 4" in result.refused[0].message
    assert result.imported == 12


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"seq": "1"}, "seq"),
        ({"seq": True}, "seq"),
        ({"changes": {"x": 1}}, "changes"),
        ({"at": "2026-01-01T09:00:00"}, "tijdzone"),
        ({"extra": 1}, "onbekende"),
    ],
)
def test_a_wrongly_shaped_event_is_invalid(
    source: SqlStore, store: SqlStore, change: dict[str, object], words: str
) -> None:
    lines = _export(source)
    lines[2] = _edit(lines[2], change, event=0)
    result = store.import_cases(lines, keep_going=True)
    assert [(r.line, r.code) for r in result.refused] == [(3, "KF-S010")]
    assert words in result.refused[0].message


def test_batches_commit_up_to_the_refused_one_and_the_import_resumes(
    source: SqlStore, store: SqlStore
) -> None:
    lines = _export(source)  # line 1 the procedure, lines 2-13 cases
    good = lines[9]
    lines[9] = _edit(lines[9], {"reason": "vervalst"})
    first = store.import_cases(lines, batch_size=4)
    # Batches 1-4, 5-8 land; 9-12 holds line 10 and writes nothing.
    assert not first.complete
    assert first.committed_through == 8
    assert [r.line for r in first.refused] == [10]
    assert (first.imported, store.count()) == (7, 7)
    lines[9] = good
    resumed = store.import_cases(lines, batch_size=4, start_line=9)
    assert resumed.ok
    assert (resumed.imported, resumed.present) == (5, 0)
    rerun = store.import_cases(lines, batch_size=4)
    assert (rerun.imported, rerun.present) == (0, 12)
    assert store.verify().valid


def test_keep_going_leaves_out_only_the_refused_lines(
    source: SqlStore, store: SqlStore
) -> None:
    lines = _export(source)
    lines[4] = _edit(lines[4], {"reason": "vervalst"})
    result = store.import_cases(lines, batch_size=4, keep_going=True)
    assert result.complete
    assert not result.ok
    assert [r.line for r in result.refused] == [5]
    assert (result.imported, store.count()) == (11, 11)
    assert not store.existing([json.loads(lines[4])["id"]])


def test_atomic_writes_nothing_when_one_line_is_refused(
    source: SqlStore, store: SqlStore
) -> None:
    lines = _export(source)
    lines[-1] = _edit(lines[-1], {"reason": "vervalst"})
    result = store.import_cases(lines, batch_size=3, atomic=True)
    assert not result.complete
    assert (result.imported, result.committed_through) == (0, 0)
    assert store.count() == 0
    assert store.checkpoints() == []


def test_a_stored_case_with_another_history_is_a_conflict(
    source: SqlStore, store: SqlStore
) -> None:
    lines = _export(source)
    item = json.loads(lines[1])
    other = _cases(store, 1, seed=2)[0]
    # The same id with another history: made by the engine, so it verifies.
    renamed = store.engine_for(builtin_procedure("gemeente-awb")).start(
        actor=_coordinator(),
        parties={"klager": ["x.klager"]},
        case_id=item["id"],
    )
    store.add(renamed)
    assert other.id != item["id"]
    result = store.import_cases(lines, keep_going=True)
    assert [(r.line, r.code) for r in result.refused] == [(2, "KF-S011")]
    assert result.imported == 11


def test_a_case_twice_in_the_file(source: SqlStore, store: SqlStore) -> None:
    """A repeated line is present; a repeated line with an edit (the same newest
    hash, another reason) is refused, not skipped."""
    lines = _export(source)
    lines.append(lines[1])
    lines.append(_edit(lines[2], {"reason": "anders"}))
    result = store.import_cases(lines, batch_size=5, keep_going=True)
    assert result.present == 1
    assert [(r.line, r.code) for r in result.refused] == [(15, "KF-S005")]
    assert result.imported == 12


def test_an_edited_line_of_a_stored_case_is_refused(
    source: SqlStore, store: SqlStore
) -> None:
    lines = _export(source)
    store.import_cases(lines)
    lines[3] = _edit(lines[3], {"actor": "iemand.anders"}, event=0)
    again = store.import_cases(lines, keep_going=True)
    assert [(r.line, r.code) for r in again.refused] == [(4, "KF-S005")]
    assert again.present == 11


def test_cases_need_their_procedure(source: SqlStore, store: SqlStore) -> None:
    lines = _export(source)[1:]  # without the procedure line
    result = store.import_cases(lines, keep_going=True)
    assert len(result.refused) == 12
    assert "staat niet in de database" in result.refused[0].message
    store.add_procedure(builtin_procedure("gemeente-awb"))
    assert store.import_cases(lines).imported == 12


def test_a_procedure_line_must_match_its_digest(
    source: SqlStore, store: SqlStore
) -> None:
    lines = _export(source)
    item = json.loads(lines[0])
    item["tekst"] = item["tekst"].replace("titel:", "titel: X", 1)
    lines[0] = json.dumps(item) + "\n"
    result = store.import_cases(lines, keep_going=True)
    assert result.refused[0].line == 1
    assert result.refused[0].code == "KF-S010"


def test_the_arguments_are_checked(store: SqlStore) -> None:
    with pytest.raises(InvalidArgument):
        store.import_cases('{"soort": "zaak"}')
    with pytest.raises(InvalidArgument):
        store.import_cases([], batch_size=0)
    with pytest.raises(InvalidArgument):
        store.export_cases("out.jsonl")  # type: ignore[arg-type]


def test_progress_counts_lines(source: SqlStore, store: SqlStore) -> None:
    lines = _export(source)
    done: list[int] = []
    store.import_cases(lines, batch_size=5, progress=done.append)
    assert sum(done) == len(lines)


def test_export_leaves_out_erased_cases(source: SqlStore) -> None:
    person = source.get(case_ids(1, 12)[0]).parties["klager"][0]
    from klachtflow.storage import ErasureGround  # noqa: PLC0415

    source.erase_person(person, ground=ErasureGround.INTREKKING)
    out = io.StringIO()
    result = source.export_cases(out.write)
    assert result.skipped
    assert result.cases + len(result.skipped) == 12


@pytest.mark.parametrize("shared", ["sqlite-file", "postgresql"])
def test_workers_import_the_same(
    source: SqlStore, shared: str, tmp_path: object, clock: FixedClock
) -> None:
    url = backend_url(shared, tmp_path)  # type: ignore[arg-type]
    lines = _export(source)
    lines[7] = _edit(lines[7], {"reason": "vervalst"})
    with open_store(url, clock=clock, upgrade_schema=True) as target:
        result = target.import_cases(lines, workers=2, batch_size=4, keep_going=True)
        assert [r.line for r in result.refused] == [8]
        assert result.imported == 11
        for case_id in case_ids(1, 12):
            if target.existing([case_id]):
                assert target.get(case_id) == source.get(case_id)
        assert target.verify().valid


def test_database_failures_are_storage_errors(
    source: SqlStore, tmp_path: object, clock: FixedClock
) -> None:
    lines = _export(source)
    with open_store(f"sqlite:///{tmp_path}/x.db", clock=clock) as target:
        target.engine.dispose()
        with target.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE kf_deadlines")
        with pytest.raises(StorageError):
            target.import_cases(lines)


_FIELDS = ["actor", "reason", "at", "recorded_at", "legal_date", "to_state", "hash",
           "prev_hash", "salt", "personal", "clocks", "role", "seq"]  # fmt: skip


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    case=st.integers(0, 11),
    event=st.integers(0, 6),
    field=st.sampled_from(_FIELDS),
    junk=st.sampled_from(["x", "2025-05-05T10:00:00+00:00", "2025-05-05", "1"]),
)
def test_any_changed_field_is_refused(
    source: SqlStore, case: int, event: int, field: str, junk: str
) -> None:
    """Change one field of one event to another value: the line never lands."""
    lines = _export(source)
    item = json.loads(lines[case + 1])
    events = item["history"]
    target = events[event % len(events)]
    value: object = int(junk) + 100 if field == "seq" and junk == "1" else junk
    if target[field] == value:
        return
    target[field] = value
    lines[case + 1] = json.dumps(item) + "\n"
    with open_store("sqlite://", clock=source.clock) as fresh:
        result = fresh.import_cases(lines, keep_going=True)
        assert [r.line for r in result.refused] == [case + 2]
        assert not fresh.existing([item["id"]])


@pytest.mark.parametrize(
    "value", [{"a": 1}, [1, 2], 10**30, None], ids=["object", "list", "big", "null"]
)
def test_odd_data_values_are_refused_not_a_crash(
    source: SqlStore, store: SqlStore, value: object
) -> None:
    lines = _export(source)
    item = json.loads(lines[2])
    item["history"][0]["changes"] = {"categorie": [None, value]}
    lines[2] = json.dumps(item) + "\n"
    result = store.import_cases(lines, keep_going=True)
    assert [r.line for r in result.refused] == [3]
    assert result.refused[0].code in {"KF-S005", "KF-S010"}


def test_an_import_into_an_organisation_stays_in_it(
    source: SqlStore, store: SqlStore
) -> None:
    """A scoped view imports into its own organisation: the default organisation
    does not see the cases, and a second organisation's import of the same lines
    conflicts instead of counting them as present (it has no history of them)."""
    a = Organisation(id="002220647", name="Gemeente A", procedures={"gemeente-awb"})
    b = Organisation(id="001234560", name="Gemeente B", procedures={"gemeente-awb"})
    store.register_organisation(a)
    store.register_organisation(b)
    lines = _export(source)

    result = store.scoped(a.id).import_cases(lines)

    assert (result.imported, result.present) == (12, 0)
    assert 12 == store.scoped(a.id).count()
    assert 0 == store.count()
    assert store.verify().valid
    other = store.scoped(b.id).import_cases(lines, keep_going=True)
    assert (other.imported, other.present, len(other.refused)) == (0, 0, 12)
    assert {r.code for r in other.refused} == {"KF-S011"}
    exported = io.StringIO()
    store.scoped(b.id).export_cases(exported.write)
    assert 1 == len(exported.getvalue().splitlines())  # the procedure line only


def test_an_organisation_imports_only_its_procedures(
    source: SqlStore, store: SqlStore
) -> None:
    """KF-S017 for a case on a procedure the organisation is not registered for."""
    c = Organisation(id="002220647", name="Zorgaanbieder C", procedures={"bezwaar-awb"})
    store.register_organisation(c)

    result = store.scoped(c.id).import_cases(_export(source), keep_going=True)

    assert 0 == result.imported
    assert {r.code for r in result.refused} == {"KF-S017"}


def test_a_large_import_on_postgresql_leaves_planner_statistics(
    source: SqlStore,
    clock: FixedClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without statistics of the grown tables PostgreSQL plans the deadline
    queries for empty tables (343 ms instead of 8 among a million deadlines):
    an import of many cases ends with ANALYZE. ``pg_class.reltuples`` is -1
    until a table was analyzed; COPY does not set it."""
    url = backend_url("postgresql", tmp_path)
    monkeypatch.setattr(_bulk, "ANALYZE_AFTER", 12)  # "many": the 12 of the source
    with open_store(url, clock=clock, upgrade_schema=True) as store:
        assert store.import_cases(_export(source)).imported == 12
        with store.engine.connect() as connection:
            counted: dict[str, float] = dict(
                connection.exec_driver_sql(
                    "SELECT relname, reltuples FROM pg_class WHERE relname IN "
                    "('kf_cases', 'kf_events', 'kf_deadlines')"
                ).all()
            )
    assert counted["kf_cases"] == 12
    assert counted["kf_events"] > 12
    assert counted["kf_deadlines"] > 0


def _reltuples(store: SqlStore) -> float:
    with store.engine.connect() as connection:
        return float(
            connection.exec_driver_sql(
                "SELECT reltuples FROM pg_class WHERE relname = 'kf_cases'"
            ).scalar_one()
        )


@pytest.mark.parametrize("many", [True, False])
def test_a_large_add_many_on_postgresql_leaves_planner_statistics(
    source: SqlStore,
    clock: FixedClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    many: bool,
) -> None:
    """``add_many`` (the demo, simulations) of many cases ends with ANALYZE, as
    an import does; of fewer it leaves the statistics to autovacuum."""
    cases = [source.get(c.id) for c in source.find()]
    monkeypatch.setattr(_bulk, "ANALYZE_AFTER", len(cases) if many else len(cases) + 1)
    url = backend_url("postgresql", tmp_path)
    with open_store(url, clock=clock, upgrade_schema=True) as store:
        store.add_procedure(source.procedure(cases[0].procedure_digest))
        store.add_many(cases, historical=True)
        assert _reltuples(store) == (len(cases) if many else -1)


def test_a_small_import_leaves_analyzing_to_autovacuum(
    source: SqlStore, clock: FixedClock, tmp_path: Path
) -> None:
    url = backend_url("postgresql", tmp_path)
    with open_store(url, clock=clock, upgrade_schema=True) as store:
        assert store.import_cases(_export(source)).imported == 12
        with store.engine.connect() as connection:
            tuples = connection.exec_driver_sql(
                "SELECT reltuples FROM pg_class WHERE relname = 'kf_cases'"
            ).scalar()
    assert tuples == -1
