"""The klachtflow pytest plugin (registered through the ``pytest11`` entry point).

Import-light: nothing of the engine, hypothesis or transitions is imported
until a fixture or option is used.

- ``--klachtflow-check PATH`` (repeatable): check these procedure files against
  their rule packs before the tests run; any finding of severity fout fails
  the run.
- fixtures ``klachtflow_clock`` (a FixedClock), ``klachtflow_procedure`` (from
  ``@pytest.mark.klachtflow_procedure("klacht.yaml")``), ``klachtflow_engine``
  and ``klachtflow_store`` (SQLite in ``tmp_path``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from klachtflow import Engine, FixedClock, Procedure, SqlStore


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--klachtflow-check``."""
    group = parser.getgroup("klachtflow")
    group.addoption(
        "--klachtflow-check",
        action="append",
        default=[],
        metavar="PATH",
        help="Toets dit procedurebestand aan de wet voordat de tests draaien (herhaalbaar).",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker."""
    config.addinivalue_line(
        "markers",
        "klachtflow_procedure(path): the procedure file for klachtflow_procedure",
    )


def pytest_sessionstart(session: pytest.Session) -> None:
    """Fail the run when a file named with --klachtflow-check does not comply."""
    paths = session.config.getoption("klachtflow_check") or []
    if not paths:
        return
    from klachtflow.compliance import check_procedure  # noqa: PLC0415 - import-light plugin
    from klachtflow.definition import load_procedure  # noqa: PLC0415
    from klachtflow.exceptions import DefinitionError  # noqa: PLC0415

    problems: list[str] = []
    for path in paths:
        try:
            report = check_procedure(load_procedure(path))
        except DefinitionError as error:
            problems.append(str(error))
            continue
        problems.extend(
            f"{path}:{f.line}:{f.column} {f.code} ({f.article}): {f.message}"
            for f in report.errors
        )
    if problems:
        msg = "klachtflow: procedures voldoen niet:\n" + "\n".join(problems)
        raise pytest.UsageError(msg)


@pytest.fixture
def klachtflow_clock() -> FixedClock:
    """A FixedClock on Monday 2 March 2026, 10:00 in Amsterdam."""
    import pendulum  # noqa: PLC0415

    from klachtflow.rules.clock import FixedClock  # noqa: PLC0415

    return FixedClock(pendulum.datetime(2026, 3, 2, 10, tz="Europe/Amsterdam"))


@pytest.fixture
def klachtflow_procedure(request: pytest.FixtureRequest) -> Procedure:
    """The procedure named by ``@pytest.mark.klachtflow_procedure(path)`` (relative to the test file)."""
    from klachtflow.definition import load_procedure  # noqa: PLC0415

    marker = request.node.get_closest_marker("klachtflow_procedure")
    if marker is None or not marker.args:
        msg = "Use @pytest.mark.klachtflow_procedure('path/to/klacht.yaml') with this fixture."
        raise pytest.UsageError(msg)
    path = Path(str(marker.args[0]))
    if not path.is_absolute():
        path = Path(str(request.node.path)).parent / path
    return load_procedure(path)


@pytest.fixture
def klachtflow_engine(
    klachtflow_procedure: Procedure, klachtflow_clock: FixedClock
) -> Engine:
    """An engine for the marked procedure on the fixed clock."""
    from klachtflow.engine import Engine  # noqa: PLC0415

    return Engine(klachtflow_procedure, clock=klachtflow_clock)


@pytest.fixture
def klachtflow_store(
    tmp_path: Path, klachtflow_clock: FixedClock
) -> Iterator[SqlStore]:
    """A store on a fresh SQLite file in ``tmp_path``."""
    from klachtflow.storage import open_store  # noqa: PLC0415

    store = open_store(
        f"sqlite:///{tmp_path / 'klachtflow.db'}", clock=klachtflow_clock
    )
    yield store
    store.close()
