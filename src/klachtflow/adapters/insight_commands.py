"""``klachtflow rapport``, ``diagram`` and ``uitleg``: insight for people, from the same data."""

from __future__ import annotations

from pathlib import Path

import click

from klachtflow.adapters._shared import (
    DB_OPTION,
    ORGANISATION_OPTION,
    cli_date,
    open_scoped,
    processes_option,
    processes_or_default,
    today,
    write_output,
)
from klachtflow.definition import load_procedure
from klachtflow.insight import (
    AUDIENCES,
    DIAGRAM_FORMATS,
    REPORT_FORMATS,
    build_report,
    diagram,
    parse_period,
    render_report,
    uitleg,
)
from klachtflow.insight.facts import DIMENSIONS
from klachtflow.insight.uitleg import UITLEG_FORMATS

__all__ = ["diagram_command", "rapport", "uitleg_command"]

_OUTPUT = click.option(
    "--uit",
    "output",
    type=click.Path(dir_okay=False),
    help="Schrijf naar dit bestand in plaats van naar het scherm.",
)
_TEMPLATES = click.option(
    "--sjabloon",
    "templates",
    type=click.Path(file_okay=False, path_type=Path),
    help="Map met een eigen huisstijl voor html (base.html.j2, style.css.j2).",
)

_emit = write_output


@click.command()
@DB_OPTION
@click.option(
    "--periode",
    required=True,
    help="Periode van ontvangst: 2026, 2026-H1 of 2026-Q3.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(REPORT_FORMATS),
    default="md",
    show_default=True,
    help="md, html, csv, json, awb-9-12a of jeugdwet-4-3-1 (jaarlijkse publicaties).",
)
@click.option("--per", type=click.Choice(tuple(DIMENSIONS)), help="Uitsplitsen naar.")
@click.option(
    "--drempel",
    type=int,
    default=5,
    show_default=True,
    help="Aantallen kleiner dan dit worden verborgen.",
)
@click.option(
    "--volume", type=int, help="Aantal meldingen of contacten, voor de klachtratio."
)
@click.option(
    "--volume-eenheid",
    default="meldingen",
    show_default=True,
    help="Wat het volume telt (meldingen, contacten, beschikkingen).",
)
@click.option("--op", "on", help="Peildatum (JJJJ-MM-DD); standaard vandaag.")
@click.option(
    "--volledig",
    "full_check",
    is_flag=True,
    help=(
        "Controleer elke zaak volledig (elk zegel, de keten, de termijnen, de "
        "gegevens) in plaats van via de verzegelde samenvatting; ongeveer tien "
        "keer zo traag."
    ),
)
@processes_option(
    "die de zaken tellen, elk een reeks ontvangstdatums; onder 20.000 zaken één"
)
@ORGANISATION_OPTION
@_TEMPLATES
@_OUTPUT
def rapport(  # noqa: PLR0917 - click passes each option as a parameter
    url: str,
    periode: str,
    fmt: str,
    per: str | None,
    drempel: int,
    volume: int | None,
    volume_eenheid: str,
    on: str | None,
    full_check: bool,
    processes: int | None,
    organisation: str | None,
    templates: Path | None,
    output: str | None,
) -> None:
    """Signaleringsrapportage: anonieme cijfers over de klachten van een periode.

    Telt klachten die in de periode binnenkwamen: verste fase, resultaten,
    tijdigheid, tweede lijn, verbetermaatregelen en de trend. Kleine aantallen
    worden verborgen (<5), en zo nodig een tweede aantal om ze te beschermen (x).
    Met --format awb-9-12a: de jaarlijkse publicatie (Awb 9:12a); met
    --format jeugdwet-4-3-1: het jaarverslag (Jeugdwet art. 4.3.1).
    """
    period = parse_period(periode)
    day = cli_date(on, "--op") or today()
    with open_scoped(url, organisation, must_exist=True) as store:
        report = build_report(
            store,
            period,
            on=day,
            per=per,
            threshold=drempel,
            volume=volume,
            volume_label=volume_eenheid,
            full_check=full_check,
            processes=processes_or_default(processes),
        )
    _emit(render_report(report, fmt, templates=templates), output)


@click.command("diagram")
@click.argument("bestand", type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(DIAGRAM_FORMATS),
    default="mermaid",
    show_default=True,
    help="mermaid (tekst), dot (Graphviz) of svg (tekening; Graphviz nodig).",
)
@_OUTPUT
def diagram_command(bestand: str, fmt: str, output: str | None) -> None:
    """Teken een procedure: statussen, acties met rollen, en termijnen."""
    _emit(diagram(load_procedure(bestand), fmt), output)


@click.command("uitleg")
@click.argument("bestand", type=click.Path(dir_okay=False))
@click.option(
    "--voor",
    type=click.Choice(AUDIENCES),
    default="burger",
    show_default=True,
    help="burger: eenvoudig Nederlands (B1); medewerker: rollen, termijnen, diagram.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(UITLEG_FORMATS),
    default="md",
    show_default=True,
    help="md of html (één zelfstandig bestand).",
)
@_TEMPLATES
@_OUTPUT
def uitleg_command(
    bestand: str, voor: str, fmt: str, templates: Path | None, output: str | None
) -> None:
    """Leg een procedure uit, gemaakt uit dezelfde YAML (dus altijd actueel)."""
    _emit(uitleg(load_procedure(bestand), voor, fmt, templates=templates), output)
