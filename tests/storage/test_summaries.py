"""The sealed report summary of every case row (schema 0007).

Every write path gives the row the summary of the case it stores, sealed to
the case id, version, newest event and organisation; the inspection checks it;
rows from before 0007 (NULL) get theirs from ``summarise`` /
``klachtflow db samenvatten``, never when their case does not verify.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from hypothesis import given
from hypothesis import strategies as st

from klachtflow import (
    Actor,
    FixedClock,
    InvalidArgument,
    Organisation,
    SqlStore,
    open_store,
)
from klachtflow.adapters.cli import main
from klachtflow.definition import builtin_procedure
from klachtflow.engine._seal import UNKEYED, Sealer
from klachtflow.engine.lifecycle import read_summary, report_summary, summary_text
from klachtflow.storage import schema as t
from klachtflow.storage._rows import summary_mac
from klachtflow.storage.migrate import _config, current_revision, head_revision

from .conftest import backend_url

PROCEDURE = builtin_procedure("gemeente-awb")
KLAGER = Actor("b.jansen", roles={"klager"})
COORDINATOR = Actor("m.devries", roles={"klachtencoordinator"})
KEY = b"samenvatting-test-sleutel-32-byt"


def _start(store: SqlStore, case_id: str) -> None:
    store.start(
        PROCEDURE,
        actor=KLAGER,
        parties={"klager": ["b.jansen"], "beklaagde": ["j.smit"]},
        data={"categorie": "bejegening", "kanaal": "e-mail"},
        case_id=case_id,
    )


def _row(store: SqlStore, case_id: str) -> dict[str, object]:
    with store.engine.connect() as connection:
        return dict(
            connection.execute(sa.select(t.cases).where(t.cases.c.id == case_id))
            .mappings()
            .one()
        )


def _expected(store: SqlStore, case_id: str) -> str:
    case = store.get(case_id)
    return summary_text(report_summary(case, store.procedure(case.procedure_digest)))


def _clear(store: SqlStore) -> None:
    with store.engine.begin() as connection:
        connection.execute(t.cases.update().values(summary=None, summary_mac=None))


def _break_history(store: SqlStore, case_id: str) -> None:
    """Change every event's state in the database: the case no longer verifies."""
    with store.engine.begin() as connection:
        connection.execute(
            t.events.update()
            .where(t.events.c.case_id == case_id)
            .values(to_state="afgehandeld")
        )


class TestEveryWrite:
    def test_start_fire_and_erasure_keep_the_summary_current(
        self, store: SqlStore
    ) -> None:
        _start(store, "Z-1")
        assert _row(store, "Z-1")["summary"] == _expected(store, "Z-1")
        store.fire("Z-1", "neem_contact_op", actor=COORDINATOR)
        row = _row(store, "Z-1")
        assert row["summary"] == _expected(store, "Z-1")
        assert row["summary_mac"] == summary_mac(
            store._sealer,
            "Z-1",
            int(str(row["version"])),
            str(row["head_hash"]),
            "",
            str(row["summary"]),
        )
        assert store.inspect("Z-1")[1].valid

    def test_the_summary_names_no_person_and_quotes_no_reason(
        self, store: SqlStore
    ) -> None:
        """Only dates, stage and result keys, the registration values, the names
        of the filled fields and fatal term ledgers without their free-text
        reasons: nothing a report may not show."""
        _start(store, "Z-1")
        store.fire("Z-1", "neem_contact_op", actor=COORDINATOR)
        text = str(_row(store, "Z-1")["summary"])
        for personal in ("b.jansen", "j.smit", "m.devries"):
            assert personal not in text
        value = json.loads(text)
        assert set(value) == {
            "opened_on",
            "stage",
            "external",
            "formal",
            "closed_on",
            "result",
            "fatal",
            "procedure_digest",
            "registration",
            "filled",
        }
        # The registration values are the report columns' (not personal), and
        # only the names of the filled data fields, never their values.
        assert value["registration"]["categorie"] == "bejegening"
        assert "categorie" in value["filled"]
        for ledger in value["fatal"].values():
            for key in ("suspensions", "extensions", "delays"):
                assert all(step[-1] is None for step in ledger[key])

    def test_import_and_add_many_write_it(
        self, store: SqlStore, tmp_path: Path
    ) -> None:
        _start(store, "Z-1")
        store.fire("Z-1", "neem_contact_op", actor=COORDINATOR)
        lines: list[str] = []
        store.export_cases(lines.append)
        expected = _expected(store, "Z-1")
        with open_store(
            f"sqlite:///{tmp_path / 'a.db'}", upgrade_schema=True
        ) as imported:
            assert imported.import_cases(lines).ok
            assert _row(imported, "Z-1")["summary"] == expected
            assert imported.inspect("Z-1")[1].valid
        with open_store(f"sqlite:///{tmp_path / 'b.db'}", upgrade_schema=True) as added:
            added.add_procedure(PROCEDURE)
            added.add_many([store.get("Z-1")], historical=True)
            assert _row(added, "Z-1")["summary"] == expected
            assert added.inspect("Z-1")[1].valid


class TestInspection:
    def test_a_changed_summary_is_named(self, store: SqlStore) -> None:
        _start(store, "Z-1")
        text = str(_row(store, "Z-1")["summary"])
        with store.engine.begin() as connection:
            connection.execute(
                t.cases.update().values(summary=text.replace("onvrede", "gesprek"))
            )
        report = store.inspect("Z-1")[1]
        assert not report.valid
        assert any("summary" in problem for problem in report.problems)

    def test_a_row_without_a_summary_verifies(self, store: SqlStore) -> None:
        """As every row written before schema 0007."""
        _start(store, "Z-1")
        _clear(store)
        assert store.inspect("Z-1")[1].valid
        assert store.verify().valid


class TestSummarise:
    def test_rows_without_one_get_theirs(self, store: SqlStore) -> None:
        for i in range(3):
            _start(store, f"Z-{i}")
        store.fire("Z-1", "neem_contact_op", actor=COORDINATOR)
        before = [_row(store, f"Z-{i}") for i in range(3)]
        _clear(store)
        assert 3 == store.unsummarised()

        result = store.summarise(batch=2)

        assert (3, (), 0) == (result.summarised, result.unverified, result.remaining)
        assert result.ok
        assert before == [_row(store, f"Z-{i}") for i in range(3)]
        assert 0 == store.unsummarised()
        assert 0 == store.summarise().summarised  # idempotent

    def test_a_case_that_does_not_verify_gets_none(self, store: SqlStore) -> None:
        _start(store, "Z-1")
        _start(store, "Z-2")
        _clear(store)
        _break_history(store, "Z-2")
        result = store.summarise()
        assert not result.ok
        assert (1, ("Z-2",)) == (result.summarised, result.unverified)
        assert _row(store, "Z-2")["summary"] is None

    def test_a_summary_sealed_in_an_organisation(
        self, url: str, clock: FixedClock
    ) -> None:
        org = Organisation(
            id="002220647", name="Gemeente A", procedures={"gemeente-awb"}
        )
        with open_store(url, clock=clock, upgrade_schema=True, history_key=KEY) as s:
            s.register_organisation(org)
            a = s.scoped(org.id)
            _start(a, "A-1")
            sealed = _row(s, "A-1")
            _clear(s)
            assert 1 == a.summarise().summarised
            assert sealed == _row(s, "A-1")

    def test_a_bad_batch_is_refused(self, store: SqlStore) -> None:
        with pytest.raises(InvalidArgument):
            store.summarise(batch=0)

    def test_the_command(
        self, file_url: str, clock: FixedClock, capsys: pytest.CaptureFixture[str]
    ) -> None:
        with open_store(file_url, clock=clock, upgrade_schema=True) as store:
            _start(store, "Z-1")
            _start(store, "Z-2")
            _clear(store)
        assert 0 == main(["db", "upgrade", "--db", file_url])
        assert "2 zaken van vóór schema 0007" in capsys.readouterr().out
        assert 0 == main(["db", "samenvatten", "--db", file_url])
        assert "2 zaken kregen een rapportsamenvatting." in capsys.readouterr().out
        with open_store(file_url, clock=clock) as store:
            _clear(store)
            _break_history(store, "Z-2")
        assert 1 == main(["db", "samenvatten", "--db", file_url])
        out, err = capsys.readouterr()
        assert "1 zaak kreeg een rapportsamenvatting." in out
        assert "1 zaak klopt niet met haar geschiedenis" in err
        assert "Z-2" in err
        assert "klachtflow verifieer" in err


class TestUpgrade:
    @pytest.mark.parametrize("backend", ["sqlite-file", "postgresql"])
    def test_from_0006_with_data(
        self, backend: str, tmp_path: Path, clock: FixedClock
    ) -> None:
        """A store at 0006 upgrades to 0007: rows read back equal and verify, a
        report is made the full way, and ``summarise`` gives every row the
        summary a save would have written."""
        url = backend_url(backend, tmp_path)
        with open_store(url, clock=clock, upgrade_schema=True, history_key=KEY) as s:
            for i in range(3):
                _start(s, f"Z-{i}")
            s.fire("Z-0", "neem_contact_op", actor=COORDINATOR)
            before = [s.get(f"Z-{i}") for i in range(3)]
            rows = [_row(s, f"Z-{i}") for i in range(3)]
        engine = sa.create_engine(url)
        with engine.begin() as connection:
            command.downgrade(_config(connection), "0006_organisations")
        assert "0006_organisations" == current_revision(engine)
        engine.dispose()

        with open_store(url, clock=clock, upgrade_schema=True, history_key=KEY) as s:
            assert head_revision() == current_revision(s.engine)
            assert before == [s.get(f"Z-{i}") for i in range(3)]
            assert s.verify().valid
            assert 3 == s.unsummarised()
            assert 3 == s.summarise().summarised
            assert rows == [_row(s, f"Z-{i}") for i in range(3)]


def test_the_summary_reads_back_equal(store: SqlStore) -> None:
    _start(store, "Z-1")
    store.fire("Z-1", "neem_contact_op", actor=COORDINATOR)
    case = store.get("Z-1")
    summary = report_summary(case, PROCEDURE)
    assert summary == read_summary(summary_text(summary))


@given(
    case_id=st.text(max_size=30),
    version=st.integers(min_value=1, max_value=10**9),
    head=st.text(max_size=70),
    organisation=st.text(max_size=20),
    text=st.text(max_size=200),
    keyed=st.booleans(),
)
def test_the_summary_seal_is_the_sealers_mac(  # noqa: PLR0917 - one per value sealed
    case_id: str, version: int, head: str, organisation: str, text: str, keyed: bool
) -> None:
    """The directly written text is the canonical array ``Sealer.mac`` seals:
    off by one byte (an escape, a separator) and no stored summary verifies."""
    sealer = Sealer(KEY) if keyed else UNKEYED
    assert summary_mac(
        sealer, case_id, version, head, organisation, text
    ) == sealer.mac("samenvatting", case_id, version, head, organisation, text)
