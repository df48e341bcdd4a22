"""An audit split over processes gives the audit of one process, byte for byte.

Ranges of case ids (code-point order) are audited in forked processes, each
spooling its findings; they are emitted range by range. On SQLite and
PostgreSQL, with a tampered case among them (an integrity finding), in text
and JSON. ``iter_inspected``'s id range is what the split rests on: the ranges
partition the cases.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import sqlalchemy as sa

from insight.conftest import fill
from klachtflow import InvalidArgument, open_store
from klachtflow.adapters import _audit_stream
from klachtflow.adapters.cli import main
from klachtflow.storage import schema as t
from storage.conftest import backend_url

ON = "2026-11-22"


@pytest.fixture(params=["sqlite-file", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """60 simulated cases, one of them changed in the database."""
    address = backend_url(str(request.param), tmp_path)
    with open_store(address, upgrade_schema=True) as store:
        fill(store, 60)
        with store.engine.begin() as connection:
            victim = connection.execute(
                sa.select(t.cases.c.id).order_by(t.cases.c.id).offset(25).limit(1)
            ).scalar_one()
            connection.execute(
                t.events.update()
                .where(t.events.c.case_id == victim, t.events.c.seq == 1)
                .values(to_state="gesprek")
            )
    return address


def _audit(
    url: str, processes: int, fmt: str, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    code = main(
        [
            "audit",
            "--db",
            url,
            "--op",
            ON,
            "--format",
            fmt,
            "--processen",
            str(processes),
        ]
    )
    return code, capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_several_processes_give_the_audit_of_one(
    url: str,
    fmt: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_audit_stream, "PARALLEL_FROM", 1)
    one = _audit(url, 1, fmt, capsys)
    assert "AUDIT-INT-01" in one[1]
    for processes in (2, 3):
        assert one == _audit(url, processes, fmt, capsys)


def test_the_id_ranges_partition_the_cases(url: str) -> None:
    with open_store(url) as store:
        every = [case_id for case_id, _, _ in store.iter_inspected()]
        assert every == sorted(every)
        cuts = store._id_boundaries(
            opened_from=None, opened_until=None, parts=4, least=1
        )
        assert len(cuts) == 3
        bounds = [None, *cuts, None]
        parts = [
            [case_id for case_id, _, _ in store.iter_inspected(id_from=a, id_before=b)]
            for a, b in itertools.pairwise(bounds)
        ]
        assert every == [case_id for part in parts for case_id in part]
        assert all(parts)


@pytest.mark.parametrize("bad", [3, b"x", "a\x00b"])
def test_a_bad_id_bound_is_refused(url: str, bad: object) -> None:
    with open_store(url) as store, pytest.raises(InvalidArgument):
        next(store.iter_inspected(id_from=bad))  # type: ignore[arg-type]
