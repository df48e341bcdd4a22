"""--organisatie: the report, audit, deadlines, case list and verification of
one organisation hold its cases only."""

from __future__ import annotations

import json
from pathlib import Path

import pendulum
import pytest

from klachtflow import Actor, FixedClock, Organisation, builtin_procedure, open_store
from klachtflow.adapters.cli import main

A = Organisation(id="002220647", name="Gemeente A", procedures={"gemeente-awb"})
B = Organisation(id="111222333", name="Gemeente B", procedures={"gemeente-awb"})
PROCEDURE = builtin_procedure("gemeente-awb")


@pytest.fixture
def url(tmp_path: Path) -> str:
    """A database with A-1 and A-2 in A, B-1 in B and D-1 in the default organisation."""
    url = f"sqlite:///{tmp_path / 'org.db'}"
    clock = FixedClock(pendulum.datetime(2026, 3, 2, 10, tz="Europe/Amsterdam"))
    with open_store(url, clock=clock) as store:
        store.register_organisation(A)
        store.register_organisation(B)
        for view, case_id in (
            (store.scoped(A.id), "A-1"),
            (store.scoped(A.id), "A-2"),
            (store.scoped(B.id), "B-1"),
            (store, "D-1"),
        ):
            view.start(
                PROCEDURE,
                actor=Actor("b.jansen", roles={"klager"}),
                parties={"klager": ["b.jansen"]},
                case_id=case_id,
            )
    return url


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().out


@pytest.mark.parametrize(
    ("organisation", "own"), [(A.id, ["A-1", "A-2"]), (B.id, ["B-1"]), (None, ["D-1"])]
)
def test_each_command_shows_its_organisation_only(
    url: str,
    capsys: pytest.CaptureFixture[str],
    organisation: str | None,
    own: list[str],
) -> None:
    scope = ["--organisatie", organisation] if organisation else []
    _, out = run(capsys, "zaken", "--db", url, "--json", *scope)
    assert own == sorted(c["id"] for c in json.loads(out))

    _, out = run(
        capsys, "termijnen", "--db", url, "--op", "2026-12-31", "--json", *scope
    )
    listed = json.loads(out)
    assert set(own) == {d["case_id"] for d in listed["verlopen"]}

    _, out = run(capsys, "audit", "--db", url, "--format", "json", *scope)
    assert len(own) == json.loads(out)["zaken"]

    _, out = run(
        capsys, "rapport", "--db", url, "--periode", "2026", "--format", "json",
        "--drempel", "1", "--op", "2026-12-31", *scope,
    )  # fmt: skip
    assert len(own) == json.loads(out)["ontvangen"]["aantal"]


def test_verifieer_per_organisation_and_whole_database(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --organisatie verifieer checks the whole database."""
    code, out = run(
        capsys, "verifieer", "--db", url, "--format", "json", "--organisatie", A.id
    )
    assert (0, 2) == (code, json.loads(out)["zaken"])
    code, out = run(capsys, "verifieer", "--db", url, "--format", "json")
    assert (0, 4) == (code, json.loads(out)["zaken"])


def test_an_unknown_organisation_is_an_error(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A valid but unregistered RSIN: an error exit with the KF-S015 text; an
    invalid one names the RSIN rule."""
    code = main(["zaken", "--db", url, "--organisatie", "123456782"])
    err = capsys.readouterr().err
    assert 0 != code
    assert "Organisatie '123456782' is niet in deze database geregistreerd" in err
    code = main(["zaken", "--db", url, "--organisatie", "123456789"])
    assert 0 != code
    assert "RSIN" in capsys.readouterr().err
