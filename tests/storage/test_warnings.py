"""Warnings before a term ends, addressed to a role (issue #17 item 7).

Klachtenregeling Bergen 2013 (CVDR310602) art 2: the klachtencoördinator
registers the complaint and "bewaakt de voortgang" (monitors progress). A
term's ``waarschuwing`` is addressed to that role with ``waarschuwing_aan``;
``store.warnings(on, role=...)`` and ``klachtflow termijnen --rol`` list them.
Runs on every backend (SQLite in memory, a SQLite file, PostgreSQL).
"""

from __future__ import annotations

import datetime as dt

import pytest

from klachtflow import (
    Actor,
    Engine,
    FixedClock,
    SqlStore,
    builtin_procedure,
    open_store,
)
from klachtflow.adapters.cli import main
from klachtflow.storage import DueWarning

KLAGER = Actor("b.jansen", roles={"klager"})
COORDINATOR = Actor("m.devries", roles={"klachtencoordinator"})
PROCEDURE = builtin_procedure("gemeente-awb")
KLAAGSCHRIFT = {
    "schriftelijk": True,
    "datum_ontvangst": "2026-03-02",
    "omschrijving_gedraging": "x",
    "naam_adres_klager": "B. Jansen",
    "dagtekening": "2026-03-01",
}
# afhandeling: Mon 2 Mar 2026 + 6 weken = Mon 13 Apr 2026 (Awb 9:11 lid 1).
# waarschuwing: 5 werkdagen before, on the Atw calendar of this statutory term:
# 10, 9, 8, 7 Apr, then 6 Apr (tweede Paasdag) and 3 Apr (Goede Vrijdag) are
# skipped, so the fifth working day before is Thu 2 Apr.
DUE = dt.date(2026, 4, 13)
WARN = dt.date(2026, 4, 2)


def _formal(store: SqlStore) -> None:
    store.start(
        PROCEDURE,
        actor=KLAGER,
        parties={"klager": ["b.jansen"], "beklaagde": ["j.smit"]},
        case_id="Z-1",
    )
    store.fire("Z-1", "registreer_klaagschrift", actor=COORDINATOR, data=KLAAGSCHRIFT)


def test_the_template_addresses_the_warning_to_the_coordinator() -> None:
    """gemeente-awb: afhandeling warns the klachtencoördinator five working days before."""
    term = PROCEDURE.terms["afhandeling"]

    assert ("klachtencoordinator",) == term.warning_to
    assert "5 werkdagen" == str(term.warning)


def test_deadlines_name_the_role(store: SqlStore) -> None:
    """The Python API: a clock's status carries the warning's first day and its roles."""
    _formal(store)
    case = store.get("Z-1")
    engine: Engine = store.engine_for(PROCEDURE)

    before = {s.name: s for s in engine.deadlines(case, WARN - dt.timedelta(days=1))}
    on = {s.name: s for s in engine.deadlines(case, WARN)}

    assert (DUE, WARN) == (on["afhandeling"].due, on["afhandeling"].warning_from)
    assert ("klachtencoordinator",) == on["afhandeling"].warning_to
    assert on["afhandeling"].warning
    assert not before["afhandeling"].warning


def test_warnings_for_a_role(store: SqlStore) -> None:
    """Passing: from the warning day the coordinator's list holds afhandeling; failing:
    the day before it is empty, another role gets nothing, and past the due date it is overdue."""
    _formal(store)

    assert [] == store.warnings(WARN - dt.timedelta(days=1), role="klachtencoordinator")
    assert [
        DueWarning("Z-1", "afhandeling", DUE, "fataal", WARN, ("klachtencoordinator",))
    ] == store.warnings(WARN, role="klachtencoordinator")
    assert [] == store.warnings(WARN, role="behandelaar")
    assert ["afhandeling"] == [w.term for w in store.warnings(DUE)]
    assert [] == store.warnings(DUE + dt.timedelta(days=1))


def test_a_stopped_term_warns_no_one(store: SqlStore) -> None:
    """A term that stopped (the case left formele_klacht) is not warned about."""
    _formal(store)
    store.fire("Z-1", "trek_in", actor=KLAGER)

    assert [] == store.warnings(WARN)


def test_cli_termijnen_per_role(
    shared_url: str, clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    """``klachtflow termijnen --rol klachtencoordinator`` lists the coordinator's warnings."""
    url = shared_url
    with open_store(url, clock=clock, upgrade_schema=True) as store:
        _formal(store)

    code = main(
        [
            "termijnen",
            "--db",
            url,
            "--op",
            WARN.isoformat(),
            "--rol",
            "klachtencoordinator",
        ]
    )
    out = capsys.readouterr().out

    assert 0 == code
    assert out.startswith(f"Waarschuwingen aan klachtencoordinator op {WARN}: 1")
    assert "afhandeling" in out
    assert "aan: klachtencoordinator" in out
    assert "Verlopen op" not in out


def test_the_store_agrees_with_the_clocks_on_every_day(store: SqlStore) -> None:
    """For every day from three weeks before the due date to past it, the store lists
    a warning exactly when the case's clock says its warning runs (across Easter 2026)."""
    _formal(store)
    case = store.get("Z-1")
    engine: Engine = store.engine_for(PROCEDURE)
    day = DUE - dt.timedelta(days=21)
    while day <= DUE + dt.timedelta(days=2):
        expected = {
            s.name
            for s in engine.deadlines(case, day)
            if s.warning and s.warning_to and s.due >= day
        }
        listed = {w.term for w in store.warnings(day, role="klachtencoordinator")}
        assert expected == listed, day
        day += dt.timedelta(days=1)
