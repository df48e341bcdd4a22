"""``klachtflow import`` and ``klachtflow export``: cases with their full history as JSONL.

``export`` writes every procedure and case of a database (docs/reference/jsonl.md);
``import`` reads such a file into a database, replaying every case through the
engine: a refused line is named with its number and nothing of its batch is
written. Exit 0 when every line was imported or already present, 1 when lines
were refused, 2 for an unreadable file, 3 for a database problem.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import click

from klachtflow.adapters._shared import DB_OPTION as _DB
from klachtflow.adapters._shared import (
    EXIT_FINDINGS,
    EXIT_OK,
    OutputNotWritable,
    oserror_text,
    plural,
    processes_option,
    processes_or_default,
)
from klachtflow.adapters._shared import open_db as _open
from klachtflow.exceptions import InvalidArgument
from klachtflow.storage.results import ImportResult

__all__ = ["export_command", "import_command"]

#: Refusals shown in full; the rest are counted.
SHOWN = 20


def _lines(handle: TextIO) -> Iterator[str]:
    yield from handle


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(
            chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")
        )


def _summary(result: ImportResult) -> list[str]:
    lines = [
        f"  regel {r.line}{f' (zaak {r.case_id})' if r.case_id else ''}: "
        f"{r.code} {r.message}"
        for r in result.refused[:SHOWN]
    ]
    if len(result.refused) > SHOWN:
        lines.append(f"  en nog {len(result.refused) - SHOWN} geweigerde regels")
    lines.append(
        f"{result.imported} ingelezen, {result.present} al aanwezig, "
        f"{len(result.refused)} geweigerd"
        + (
            f"; {plural(result.procedures, 'procedure', 'procedures')}"
            if result.procedures
            else ""
        )
        + "."
    )
    if not result.complete:
        settled = (
            f"Tot en met regel {result.committed_through} staat alles in de database."
            if result.committed_through
            else "Er is niets opgeslagen."
        )
        lines.append(
            f"Gestopt: de batch met de eerste geweigerde regel is niet opgeslagen. {settled}"
        )
        lines.append(
            "Herstel de regel en draai het commando opnieuw (zaken die er al zijn "
            f"worden overgeslagen), of gebruik --vanaf-regel {result.committed_through + 1}."
        )
    return lines


@click.command("import")
@click.argument("bestand", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_DB
@click.option(
    "--batch",
    "batch_size",
    default=1000,
    show_default=True,
    type=click.IntRange(1, 100_000),
    help="Regels per transactie.",
)
@processes_option("die de zaken naspelen")
@click.option(
    "--vanaf-regel",
    "start_line",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="Sla de regels hiervoor over (hervatten na een fout).",
)
@click.option("--doorgaan", is_flag=True, help="Sla geweigerde regels over en ga door.")
@click.option(
    "--alles-of-niets",
    "atomic",
    is_flag=True,
    help="Eén transactie voor het hele bestand: bij één geweigerde regel niets opslaan.",
)
def import_command(  # noqa: PLR0917 - click passes each option as a parameter
    bestand: Path,
    url: str,
    batch_size: int,
    processes: int | None,
    start_line: int,
    doorgaan: bool,
    atomic: bool,
) -> None:
    """Lees zaken met hun volledige geschiedenis in uit een JSONL-bestand.

    Elke zaak wordt opnieuw door de procedure gespeeld en haar verzegeling
    gecontroleerd; een geweigerde regel wordt met haar nummer gemeld. Zaken
    die er al zijn met dezelfde geschiedenis worden overgeslagen.
    """
    if doorgaan and atomic:
        raise InvalidArgument(
            parameter="--doorgaan", value="--alles-of-niets", expected="één van beide"
        )
    total = _count_lines(bestand)
    processes = processes_or_default(processes)
    with (
        _open(url, upgrade_schema=None) as store,
        bestand.open(encoding="utf-8") as handle,
        click.progressbar(
            length=max(total - start_line + 1, 0),
            label="Zaken inlezen",
            file=sys.stderr,
            hidden=total < 1000,
        ) as bar,
    ):
        result = store.import_cases(
            _lines(handle),
            batch_size=batch_size,
            workers=processes,
            atomic=atomic,
            keep_going=doorgaan,
            start_line=start_line,
            progress=bar.update,
        )
    for line in _summary(result):
        click.echo(line)
    sys.exit(EXIT_OK if result.ok else EXIT_FINDINGS)


@click.command("export")
@click.argument("bestand", type=click.Path(dir_okay=False, path_type=Path))
@_DB
def export_command(bestand: Path, url: str) -> None:
    """Schrijf alle procedures en zaken met hun geschiedenis naar een JSONL-bestand.

    'klachtflow import' leest het weer in. Geanonimiseerde zaken en zaken in
    het oude geschiedenisformaat kunnen niet worden nagespeeld en worden
    overgeslagen (en genoemd).
    """
    with _open(url, must_exist=True) as store:
        try:
            with bestand.open("w", encoding="utf-8") as out:
                result = store.export_cases(out.write)
        except OSError as error:
            raise OutputNotWritable(str(bestand), oserror_text(error)) from error
    for case_id in result.skipped[:SHOWN]:
        click.echo(f"  overgeslagen: {case_id} (geanonimiseerd of oud formaat)")
    if len(result.skipped) > SHOWN:
        click.echo(f"  en nog {len(result.skipped) - SHOWN} overgeslagen zaken")
    click.echo(
        f"{plural(result.cases, 'zaak', 'zaken')} en "
        f"{plural(result.procedures, 'procedure', 'procedures')} geschreven naar "
        f"{bestand}; {len(result.skipped)} overgeslagen."
    )
    sys.exit(EXIT_OK)
