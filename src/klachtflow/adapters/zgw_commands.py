"""``klachtflow zgw ...`` and ``klachtflow uitgaand ...``: the ZGW commands.

Exit codes follow ``docs/reference/cli.md``: 0 success; 1 findings (the
export is refused, an API refuses the content, or deliveries are stuck);
2 an invalid procedure file or wrong usage; 3 a runtime problem (an API that
does not answer, credentials that are refused, a missing driver).
"""

from __future__ import annotations

import json
import sys

import click

from klachtflow.adapters._shared import TEXT_OR_JSON
from klachtflow.definition import load_procedure
from klachtflow.exceptions import (
    KlachtflowError,
    ZgwExportRefused,
    ZgwRequestRefused,
    ZgwUnreachable,
)

__all__ = ["zgw"]

EXIT_FINDINGS = 1
EXIT_RUNTIME = 3


def _stop(error: KlachtflowError, code: int) -> None:
    click.echo(f"Fout: {error.message}", err=True)
    if error.hint:
        click.echo(f"Tip: {error.hint}", err=True)
    sys.exit(code)


def _refused(error: ZgwExportRefused) -> None:
    click.echo(str(error.args[0]), err=True)
    sys.exit(EXIT_FINDINGS)


def _api_failure(error: ZgwUnreachable | ZgwRequestRefused) -> None:
    if isinstance(error, ZgwRequestRefused) and error.status not in (401, 403):
        _stop(error, EXIT_FINDINGS)
    _stop(error, EXIT_RUNTIME)


_API_VERSION = click.option(
    "--api-versie",
    "api_version",
    type=click.Choice(["1.3", "1.4"]),
    default="1.3",
    show_default=True,
    help="Versie van de Catalogi API (1.3: Open Zaak; 1.4: de nieuwste standaard).",
)
_CATALOGUS = click.option(
    "--catalogus",
    required=True,
    metavar="URL",
    help="URL van de catalogus waarin het zaaktype komt.",
)


@click.group()
def zgw() -> None:
    """Zaakgericht werken: de procedure als ZGW-zaaktype (Open Zaak)."""


@zgw.command()
@click.argument("bestand", type=click.Path(dir_okay=False))
@_CATALOGUS
@_API_VERSION
def catalogus(bestand: str, catalogus: str, api_version: str) -> None:
    """Druk de Catalogi-API-verzoeken af voor het zaaktype van BESTAND (JSON).

    URL's die alleen de server kent, staan er als urn:klachtflow:...; 'klachtflow
    zgw publiceer' vult ze in. Exit 1 als Open Zaak het zaaktype zou weigeren.
    """
    from klachtflow.zgw import export_catalogus  # noqa: PLC0415 - fast CLI start

    procedure = load_procedure(bestand)
    try:
        exported = export_catalogus(
            procedure, catalogus=catalogus, api_version=api_version
        )
    except ZgwExportRefused as error:
        _refused(error)
        return
    click.echo(json.dumps(exported.as_dict(), ensure_ascii=False, indent=2))


@zgw.command()
@click.argument("bestand", type=click.Path(dir_okay=False))
@click.option(
    "--catalogi-api",
    required=True,
    metavar="URL",
    help="Basis-URL van de Catalogi API, bijv. https://openzaak.example/catalogi/api/v1/.",
)
@_CATALOGUS
@click.option(
    "--selectielijst-api",
    default="https://selectielijst.openzaak.nl/api/v1/",
    show_default=True,
    metavar="URL",
    help="Basis-URL van de Selectielijst- en Referentielijsten-API.",
)
@click.option(
    "--client-id",
    envvar="KLACHTFLOW_ZGW_CLIENT_ID",
    required=True,
    help="Client-id voor de ZGW-JWT (of KLACHTFLOW_ZGW_CLIENT_ID).",
)
@click.option(
    "--secret",
    envvar="KLACHTFLOW_ZGW_SECRET",
    required=True,
    help="Secret bij de client-id (liever via KLACHTFLOW_ZGW_SECRET).",
)
@click.option(
    "--timeout",
    type=float,
    default=10.0,
    show_default=True,
    help="Seconden wachten op een antwoord.",
)
@_API_VERSION
@TEXT_OR_JSON
def publiceer(  # noqa: PLR0917 - click passes each option as a parameter
    bestand: str,
    catalogi_api: str,
    catalogus: str,
    selectielijst_api: str,
    client_id: str,
    secret: str,
    timeout: float,
    api_version: str,
    fmt: str,
) -> None:
    """Maak het zaaktype van BESTAND met statustypen, roltypen, resultaattypen en
    eigenschappen in de catalogus; wat er al is, wordt gevonden en niet opnieuw gemaakt.
    """
    from klachtflow.zgw._http import Credentials, ZgwClient  # noqa: PLC0415
    from klachtflow.zgw.publish import publish  # noqa: PLC0415

    procedure = load_procedure(bestand)
    credentials = Credentials(client_id, secret)
    try:
        with (
            ZgwClient(catalogi_api, credentials=credentials, timeout=timeout) as api,
            ZgwClient(
                selectielijst_api, credentials=credentials, timeout=timeout
            ) as lists,
        ):
            report = publish(
                procedure,
                catalogi=api,
                selectielijst=lists,
                catalogus=catalogus,
                api_version=api_version,
            )
    except ZgwExportRefused as error:
        _refused(error)
        return
    except (ZgwUnreachable, ZgwRequestRefused) as error:
        _api_failure(error)
        return
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(f"zaaktype: {report.zaaktype}")
    click.echo(f"{len(report.created)} aangemaakt, {len(report.found)} al aanwezig")
    for resource in report.resources:
        mark = "nieuw " if resource.created else "bestond"
        click.echo(f"  {mark}  {resource.kind:15} {resource.key}")
