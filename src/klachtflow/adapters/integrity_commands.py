"""``klachtflow verifieer`` and ``klachtflow verwijder``: integrity and erasure.

``verifieer`` checks every stored case (the history under the key in
``KLACHTFLOW_SLEUTEL``, the case rows, the deadline rows, the removal records)
and every checkpoint, optionally against an anchor file kept outside the
database, and can add a checkpoint. Exit 0 without findings, 1 with any.

``verwijder`` honours an erasure request (AVG art 17).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from klachtflow.adapters._shared import DB_OPTION as _DB
from klachtflow.adapters._shared import EXIT_ERROR, EXIT_OK, TEXT_OR_JSON
from klachtflow.adapters._shared import ORGANISATION_OPTION as _ORGANISATION
from klachtflow.adapters._shared import cli_date as _date
from klachtflow.adapters._shared import open_db as _open
from klachtflow.adapters._shared import open_scoped as _scoped
from klachtflow.exceptions import StorageError
from klachtflow.storage.results import Checkpoint, ErasureGround, StoreReport

__all__ = ["verifieer", "verwijder"]


def _read_anchors(path: Path | None) -> list[Checkpoint]:
    if path is None or not path.exists():
        return []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        return [
            Checkpoint.from_json(json.loads(line)) for line in lines if line.strip()
        ]
    except (OSError, ValueError, KeyError, TypeError) as error:
        msg = f"Het ankerbestand {path} is onleesbaar ({error})."
        raise StorageError(
            msg,
            hint="Een ankerbestand heeft één JSON-object per regel, zoals "
            "'klachtflow verifieer --ankerpunt --anker BESTAND' het schrijft.",
        ) from error


def _append_anchor(path: Path, checkpoint: Checkpoint) -> None:
    try:
        with path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(checkpoint.as_json(), ensure_ascii=False) + "\n")
    except OSError as error:
        msg = f"Het ankerbestand {path} kan niet worden geschreven ({error.strerror})."
        raise StorageError(
            msg, hint="Controleer of de map bestaat en schrijfbaar is."
        ) from error


def _text(report: StoreReport, *, anchoring: bool = False) -> list[str]:
    lines = []
    for case in report.problems:
        lines.append(f"{case.case_id}:")
        lines += [f"  fout  {problem}" for problem in case.problems]
    lines += [f"ankers: fout  {problem}" for problem in report.anchor_problems]
    lines.append("")
    lines.append(
        f"{report.cases} {'zaak' if report.cases == 1 else 'zaken'} gecontroleerd, "
        f"{len(report.problems)} met bevindingen; {report.checkpoints} "
        f"{'ankerpunt' if report.checkpoints == 1 else 'ankerpunten'}"
        + (
            f", {len(report.anchor_problems)} ankerbevindingen"
            if report.anchor_problems
            else ""
        )
        + "."
    )
    if not report.keyed:
        lines.append(
            "Let op: deze geschiedenis is niet met een sleutel verzegeld "
            "(zet KLACHTFLOW_SLEUTEL); wie de database kan schrijven, kan haar "
            "dan opnieuw berekenen. Alleen ankerpunten buiten de database "
            "ontdekken dat."
        )
    if report.unanchored_events and not anchoring:
        lines.append(
            f"{report.unanchored_events} gebeurtenissen zijn nog niet verankerd "
            "(maak een ankerpunt met --ankerpunt en bewaar het buiten de database)."
        )
    if report.legacy_cases:
        lines.append(
            f"{report.legacy_cases} zaken hebben gebeurtenissen in het oude "
            "geschiedenisformaat 1 (niet gesleuteld)."
        )
    if report.erased_cases:
        lines.append(
            f"{report.erased_cases} zaken zijn (deels) gewist of opgeschoond; hun "
            "geschiedenis klopt en zegt wanneer en waarom."
        )
    return lines


def _json(report: StoreReport) -> str:
    return json.dumps(
        {
            "zaken": report.cases,
            "geldig": report.valid,
            "gesleuteld": report.keyed,
            "ankerpunten": report.checkpoints,
            "niet_verankerd": report.unanchored_events,
            "oud_formaat": report.legacy_cases,
            "gewist": report.erased_cases,
            "bevindingen": [
                {"zaak": case.case_id, "problemen": list(case.problems)}
                for case in report.problems
            ],
            "ankerbevindingen": list(report.anchor_problems),
        },
        ensure_ascii=False,
        indent=2,
    )


@click.command()
@_DB
@click.option(
    "--anker",
    "anchor_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Ankerbestand buiten de database (JSON-regels) om tegen te controleren.",
)
@click.option(
    "--ankerpunt",
    "make_checkpoint",
    is_flag=True,
    help="Maak na een geslaagde controle een nieuw ankerpunt (en schrijf het bij --anker).",
)
@_ORGANISATION
@TEXT_OR_JSON
def verifieer(
    url: str,
    anchor_file: Path | None,
    make_checkpoint: bool,
    organisation: str | None,
    fmt: str,
) -> None:
    """Controleer of elke opgeslagen zaak precies is wat haar geschiedenis zegt.

    Exit 0 zonder bevindingen, 1 met bevindingen. De sleutel komt uit
    KLACHTFLOW_SLEUTEL. Zonder --organisatie: de hele database.
    """
    anchors = _read_anchors(anchor_file)
    with _scoped(url, organisation, must_exist=True) as store:
        report = store.verify(anchors=anchors)
        checkpoint = store.checkpoint() if make_checkpoint and report.valid else None
    click.echo(
        _json(report)
        if fmt == "json"
        else "\n".join(_text(report, anchoring=make_checkpoint))
    )
    if checkpoint is not None:
        if anchor_file is not None:
            _append_anchor(anchor_file, checkpoint)
        if fmt == "text":
            click.echo(
                f"Ankerpunt {checkpoint.seq} gemaakt ({checkpoint.events} gebeurtenissen, "
                f"{checkpoint.removals} verwijderingen): {checkpoint.root}"
                + (f"; bijgeschreven in {anchor_file}." if anchor_file else ".")
            )
    elif make_checkpoint and fmt == "text":
        click.echo("Geen ankerpunt gemaakt: los eerst de bevindingen op.")
    sys.exit(EXIT_OK if report.valid else EXIT_ERROR)


_GRONDEN = {ground.name.lower(): ground for ground in ErasureGround}


@click.command()
@click.argument("persoon")
@_DB
@click.option(
    "--grond",
    type=click.Choice(sorted(_GRONDEN)),
    help="Grond (AVG art 17 lid 1) om ook zaken in behandeling te wissen.",
)
@click.option(
    "--op", "on", help="Datum van verwijdering (JJJJ-MM-DD); standaard vandaag."
)
def verwijder(url: str, persoon: str, grond: str | None, on: str | None) -> None:
    """Wis de persoonsgegevens van PERSOON (verzoek volgens AVG art 17).

    Zaken waarin PERSOON partij is, verliezen hun persoonsgegevens; elders wordt
    PERSOON een vast pseudoniem. Een klacht die nog loopt, alleen met --grond.
    """
    with _open(url, must_exist=True) as store:
        removals = store.erase_person(
            persoon, on=_date(on, "--op"), ground=_GRONDEN[grond] if grond else None
        )
    if not removals:
        click.echo(f"Geen gegevens van {persoon} gevonden.")
        return
    for removal in removals:
        click.echo(f"{removal.case_id}: {removal.reason}")
    count = len(removals)
    click.echo(f"{count} {'zaak' if count == 1 else 'zaken'} aangepast.")
