"""A report verifies every row it counts: changed rows give no report, not false numbers.

Attacks by someone with write access to the database, on SQLite and
PostgreSQL (several found by an outside attack on the first version). A
report reads each case through the sealed summary of its row (schema 0007;
:func:`klachtflow.engine.lifecycle.report_summary`), bound to the case id,
version, newest event and organisation, and holding the registration values,
the filled fields and the procedure version. So:

- a changed, copied or rolled-back summary, a removed seal, a changed opening
  date or procedure version, a deleted newest event, an older sealed copy of
  the row put back, a row put in before the first case: each stops the report
  with :class:`ReportRowsTampered` (KF-I010), which names the case;
- what the summary path does not read (an event's state, a term ledger, the
  result or registration column, the case data) changes no figure: the report
  equals the one before the attack, the case's inspection names what changed,
  and ``full_check=True`` (``rapport --volledig``) refuses;
- removing a summary makes the report inspect that case in full, so it cannot
  hide a changed history either.

Switch the checks off in ``klachtflow.storage._stream`` (``_sealed_summary``
not comparing the seal, the opening date or the procedure digest, or
``_head_is_newest`` always true) and these tests fail.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from importlib.resources import files
from pathlib import Path

import pytest
import sqlalchemy as sa

from klachtflow import InvalidArgument, SqlStore, loads_procedure, open_store
from klachtflow.engine._seal import UNKEYED
from klachtflow.insight import _counting, build_report, parse_period
from klachtflow.insight.report import ReportRowsTampered
from klachtflow.storage import schema as t
from klachtflow.storage._rows import summary_mac
from storage.conftest import backend_url

from .conftest import TODAY, fill

YEAR = parse_period("2026")
TEMPLATES = files("klachtflow.definition.templates")


@pytest.fixture(params=["sqlite-file", "postgresql"])
def small_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlStore]:
    """40 simulated cases, on each backend."""
    with open_store(
        backend_url(str(request.param), tmp_path), upgrade_schema=True
    ) as store:
        fill(store, 40)
        yield store


def _report(store: SqlStore, *, full_check: bool = False) -> str:
    return repr(
        build_report(store, YEAR, on=TODAY, per="categorie", full_check=full_check)
    )


def _a_case(store: SqlStore, *, where: sa.ColumnElement[bool] | None = None) -> str:
    query = sa.select(t.cases.c.id).order_by(t.cases.c.id)
    if where is not None:
        query = query.where(where)
    with store.engine.connect() as connection:
        return str(connection.execute(query).scalars().first())


def _tamper(store: SqlStore, statement: sa.Executable) -> None:
    with store.engine.begin() as connection:
        connection.execute(statement)


def _refused(store: SqlStore, case_id: str, *, full_check: bool = False) -> None:
    with pytest.raises(ReportRowsTampered) as raised:
        build_report(store, YEAR, on=TODAY, per="categorie", full_check=full_check)
    assert raised.value.code == "KF-I010"
    assert case_id in raised.value.case_ids
    assert case_id in raised.value.message
    assert raised.value.hint


def _summary(store: SqlStore, case_id: str) -> tuple[str, str]:
    with store.engine.connect() as connection:
        text, mac = connection.execute(
            sa.select(t.cases.c.summary, t.cases.c.summary_mac).where(
                t.cases.c.id == case_id
            )
        ).one()
    return str(text), str(mac)


def _set_summary(
    store: SqlStore, case_id: str, text: str | None, mac: str | None
) -> None:
    _tamper(
        store,
        t.cases.update()
        .where(t.cases.c.id == case_id)
        .values(summary=text, summary_mac=mac),
    )


def test_untouched_rows_give_a_report(small_store: SqlStore) -> None:
    assert "Report(" in _report(small_store)


def test_the_summaries_give_the_report_the_histories_give(
    small_store: SqlStore,
) -> None:
    """Every case read through its summary, or every one through its history:
    the same report (and one made from rows without summaries, too)."""
    summarised = _report(small_store)
    assert summarised == _report(small_store, full_check=True)
    _tamper(small_store, t.cases.update().values(summary=None, summary_mac=None))
    assert summarised == _report(small_store)


# ---------------------------------------------------------------- what a report reads


def test_a_changed_summary_stops_the_report(small_store: SqlStore) -> None:
    case_id = _a_case(small_store, where=t.cases.c.formal.is_(False))
    text, mac = _summary(small_store, case_id)
    value = json.loads(text)
    value["stage"], value["formal"] = "formeel", True
    changed = json.dumps(value, sort_keys=True, separators=(",", ":"))
    _set_summary(small_store, case_id, changed, mac)
    _refused(small_store, case_id)


def test_a_summary_copied_from_another_case_stops_the_report(
    small_store: SqlStore,
) -> None:
    formal = _a_case(small_store, where=t.cases.c.formal.is_(True))
    informal = _a_case(small_store, where=t.cases.c.formal.is_(False))
    _set_summary(small_store, informal, *_summary(small_store, formal))
    _refused(small_store, informal)


def test_a_summary_of_an_older_version_stops_the_report(small_store: SqlStore) -> None:
    """Roll the summary back with the version it was sealed for: the newest
    event and version of the row no longer match it."""
    case_id = _a_case(small_store, where=t.cases.c.version > 2)
    text, mac = _summary(small_store, case_id)
    with small_store.engine.connect() as connection:
        version, head = connection.execute(
            sa.select(t.cases.c.version, t.cases.c.head_hash).where(
                t.cases.c.id == case_id
            )
        ).one()
    # The seal is over the version and head: the same text sealed for the
    # version before does not verify on this row.
    assert mac == summary_mac(UNKEYED, case_id, version, head, "", text)
    older = summary_mac(UNKEYED, case_id, version - 1, head, "", text)
    _set_summary(small_store, case_id, text, older)
    _refused(small_store, case_id)


def test_a_removed_summary_seal_stops_the_report(small_store: SqlStore) -> None:
    case_id = _a_case(small_store)
    text, _ = _summary(small_store, case_id)
    _set_summary(small_store, case_id, text, None)
    _refused(small_store, case_id)


@pytest.mark.parametrize("full_check", [False, True])
def test_a_changed_opening_date_stops_the_report(
    small_store: SqlStore, full_check: bool
) -> None:
    """The period is selected on the row's opening date: one that is not the
    summary's is named (moving a case within the year would move it in the
    trend); the full check names it too (it did not, in the first version)."""
    case_id = _a_case(small_store, where=t.cases.c.opened_on > dt.date(2026, 2, 1))
    _tamper(
        small_store,
        t.cases.update()
        .where(t.cases.c.id == case_id)
        .values(opened_on=dt.date(2026, 1, 15)),
    )
    _refused(small_store, case_id, full_check=full_check)


# ------------------------------------------- what a report does not read: no false figure


def _unchanged_but_found(
    store: SqlStore, case_id: str, attack: Callable[[], None]
) -> None:
    """The attack changes no figure; the inspection and a full check name it."""
    before = _report(store)
    attack()
    assert before == _report(store)
    assert not store.inspect(case_id)[1].valid
    _refused(store, case_id, full_check=True)


def test_a_changed_registration_column_changes_no_figure(small_store: SqlStore) -> None:
    """The report takes the registration from the sealed summary, not the column."""
    case_id = _a_case(small_store, where=t.cases.c.category.is_not(None))
    _unchanged_but_found(
        small_store,
        case_id,
        lambda: _tamper(
            small_store,
            t.cases.update()
            .where(t.cases.c.id == case_id)
            .values(category="gewijzigd"),
        ),
    )


def _set_data(store: SqlStore, case_id: str, **values: object) -> None:
    with store.engine.begin() as connection:
        data = dict(
            connection.execute(
                sa.select(t.case_personal.c.data).where(
                    t.case_personal.c.case_id == case_id
                )
            ).scalar_one()
        )
        data.update(values)
        connection.execute(
            t.case_personal.update()
            .where(t.case_personal.c.case_id == case_id)
            .values(data=data)
        )


def test_changed_case_data_and_column_change_no_figure(small_store: SqlStore) -> None:
    """The category changed in the column and the case data together (found by
    an outside attack on the first version): no figure moves, the inspection
    names the data that no longer follows from the events."""
    case_id = _a_case(small_store, where=t.cases.c.category.is_not(None))

    def attack() -> None:
        _set_data(small_store, case_id, categorie="anders")
        _tamper(
            small_store,
            t.cases.update().where(t.cases.c.id == case_id).values(category="anders"),
        )

    _unchanged_but_found(small_store, case_id, attack)


def test_measures_filled_in_the_data_change_no_figure(small_store: SqlStore) -> None:
    """Improvement measures written into the case data, not through an event."""
    with small_store.engine.connect() as connection:
        ids = list(connection.execute(sa.select(t.cases.c.id)).scalars())
    measured = small_store.filled(("verbetermaatregelen",))
    case_id = next(i for i in sorted(ids) if i not in measured)
    _unchanged_but_found(
        small_store,
        case_id,
        lambda: _set_data(small_store, case_id, verbetermaatregelen="ingevoerd"),
    )


def test_a_changed_event_state_changes_no_figure(small_store: SqlStore) -> None:
    case_id = _a_case(small_store, where=t.cases.c.version > 1)
    _unchanged_but_found(
        small_store,
        case_id,
        lambda: _tamper(
            small_store,
            t.events.update()
            .where(t.events.c.case_id == case_id, t.events.c.seq == 2)
            .values(to_state="extern"),
        ),
    )


def test_a_changed_term_ledger_changes_no_figure(small_store: SqlStore) -> None:
    with small_store.engine.connect() as connection:
        case_id, term, ledger = connection.execute(
            sa.select(t.deadlines.c.case_id, t.deadlines.c.term, t.deadlines.c.ledger)
            .order_by(t.deadlines.c.case_id)
            .limit(1)
        ).one()
    changed = json.loads(json.dumps(ledger))
    changed["started"] = (
        dt.date.fromisoformat(changed["started"]) + dt.timedelta(days=30)
    ).isoformat()
    _unchanged_but_found(
        small_store,
        case_id,
        lambda: _tamper(
            small_store,
            t.deadlines.update()
            .where(t.deadlines.c.case_id == case_id, t.deadlines.c.term == term)
            .values(ledger=changed),
        ),
    )


def test_a_changed_result_column_changes_no_figure(small_store: SqlStore) -> None:
    case_id = _a_case(small_store, where=t.cases.c.result.is_not(None))
    with small_store.engine.connect() as connection:
        result = connection.execute(
            sa.select(t.cases.c.result).where(t.cases.c.id == case_id)
        ).scalar_one()
    other = "gegrond" if result != "gegrond" else "ongegrond"
    _unchanged_but_found(
        small_store,
        case_id,
        lambda: _tamper(
            small_store,
            t.cases.update().where(t.cases.c.id == case_id).values(result=other),
        ),
    )


def test_a_deleted_newest_event_stops_the_report(small_store: SqlStore) -> None:
    """The row's head must be the newest event there is."""
    case_id = _a_case(small_store, where=t.cases.c.version > 2)
    with small_store.engine.begin() as connection:
        version = connection.execute(
            sa.select(t.cases.c.version).where(t.cases.c.id == case_id)
        ).scalar_one()
        for table in (t.events, t.event_personal):
            connection.execute(
                table.delete().where(table.c.case_id == case_id, table.c.seq == version)
            )
    _refused(small_store, case_id)


def test_a_case_row_rolled_back_to_an_older_sealed_copy_stops_the_report(
    small_store: SqlStore,
) -> None:
    """An earlier, validly sealed copy of the case row put back after a fire
    (found by an outside attack on the first version): a newer event exists."""
    case_id = _a_case(small_store, where=t.cases.c.version > 2)
    with small_store.engine.begin() as connection:
        version = connection.execute(
            sa.select(t.cases.c.version).where(t.cases.c.id == case_id)
        ).scalar_one()
        old = connection.execute(
            sa.select(t.events.c.hash).where(
                t.events.c.case_id == case_id, t.events.c.seq == version - 1
            )
        ).scalar_one()
    # A copy of the row at version - 1 has that head, sealed for that version.
    with small_store.engine.connect() as connection:
        text = connection.execute(
            sa.select(t.cases.c.summary).where(t.cases.c.id == case_id)
        ).scalar_one()
    _tamper(
        small_store,
        t.cases.update()
        .where(t.cases.c.id == case_id)
        .values(
            version=version - 1,
            head_hash=old,
            summary_mac=summary_mac(UNKEYED, case_id, version - 1, old, "", text),
        ),
    )
    _refused(small_store, case_id)


def test_a_case_row_moved_to_another_procedure_version_stops_the_report(
    small_store: SqlStore,
) -> None:
    """The row's procedure digest picks the terms the report reads the clocks
    under; it must be the one the summary was sealed for (outside attack)."""
    text = TEMPLATES.joinpath("gemeente-awb.yaml").read_text("utf-8")
    other = loads_procedure(text.replace('versie: "1.0.0"', 'versie: "1.1.0"'))
    small_store.add_procedure(other)
    digest = other.digest
    case_id = _a_case(small_store)
    _tamper(
        small_store,
        t.cases.update().where(t.cases.c.id == case_id).values(procedure_digest=digest),
    )
    _refused(small_store, case_id)
    _refused(small_store, case_id, full_check=True)


def test_a_row_put_in_before_the_first_case_stops_the_report(
    small_store: SqlStore,
) -> None:
    """When registration began is read from the first case: it is verified."""
    first = _a_case(small_store)
    with small_store.engine.begin() as connection:
        row = dict(
            connection.execute(sa.select(t.cases).where(t.cases.c.id == first))
            .mappings()
            .one()
        )
        row.update(id="nep-1", opened_on=dt.date(2001, 1, 1))
        connection.execute(t.cases.insert().values(**row))
    _refused(small_store, "nep-1")


def test_a_removed_summary_does_not_hide_a_changed_history(
    small_store: SqlStore,
) -> None:
    """Without its summary a case is checked the full way: the change is found."""
    case_id = _a_case(small_store, where=t.cases.c.version > 1)
    _set_summary(small_store, case_id, None, None)
    _tamper(
        small_store,
        t.events.update()
        .where(t.events.c.case_id == case_id, t.events.c.seq == 2)
        .values(to_state="extern"),
    )
    _refused(small_store, case_id)


# ------------------------------------------------------------------ several processes


@pytest.mark.parametrize("processes", [2, 3])
def test_several_processes_make_the_same_report(
    small_store: SqlStore, processes: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ranges of opening dates counted in forked processes, merged in order:
    the report of one process, figure for figure and in the same order."""
    monkeypatch.setattr(_counting, "PARALLEL_FROM", 1)
    one = _report(small_store)
    assert (
        len(
            _counting._boundaries(
                small_store, dt.date(2022, 1, 1), dt.date(2026, 12, 31), processes
            )
        )
        >= 1
    )
    assert one == repr(
        build_report(small_store, YEAR, on=TODAY, per="categorie", processes=processes)
    )


def test_several_processes_stop_on_a_changed_row(
    small_store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A changed row found by any process stops the report, as in one process."""
    monkeypatch.setattr(_counting, "PARALLEL_FROM", 1)
    case_id = _a_case(small_store)
    text, _ = _summary(small_store, case_id)
    _set_summary(small_store, case_id, text, None)
    with pytest.raises(ReportRowsTampered) as raised:
        build_report(small_store, YEAR, on=TODAY, per="categorie", processes=2)
    assert case_id in raised.value.case_ids


@pytest.mark.parametrize("bad", [0, -1, 65, 1.5, "2", True])
def test_a_bad_number_of_processes_is_refused(
    small_store: SqlStore, bad: object
) -> None:
    with pytest.raises(InvalidArgument):
        build_report(small_store, YEAR, on=TODAY, processes=bad)  # type: ignore[arg-type]
