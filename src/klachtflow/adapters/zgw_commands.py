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

from klachtflow.adapters._shared import DB_OPTION, TEXT_OR_JSON, open_db
from klachtflow.definition import load_procedure
from klachtflow.exceptions import (
    KlachtflowError,
    ZgwExportRefused,
    ZgwInvalidSetting,
    ZgwRequestRefused,
    ZgwUnreachable,
)

__all__ = ["uitgaand", "zgw"]

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

_CLIENT_ID = click.option(
    "--client-id",
    envvar="KLACHTFLOW_ZGW_CLIENT_ID",
    required=True,
    help="Client-id voor de ZGW-JWT (of KLACHTFLOW_ZGW_CLIENT_ID).",
)
_SECRET = click.option(
    "--secret",
    envvar="KLACHTFLOW_ZGW_SECRET",
    required=True,
    help="Secret bij de client-id (liever via KLACHTFLOW_ZGW_SECRET).",
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
@_CLIENT_ID
@_SECRET
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


# --------------------------------------------------------------------------- uitgaand


@click.group()
def uitgaand() -> None:
    """De uitgaande berichten (outbox): naar de Zaken API en als CloudEvents."""


@uitgaand.command()
@DB_OPTION
@click.option("--zaken-api", metavar="URL", help="Basis-URL van de Zaken API.")
@click.option("--catalogi-api", metavar="URL", help="Basis-URL van de Catalogi API.")
@click.option(
    "--catalogus", metavar="URL", help="URL van de catalogus met het zaaktype."
)
@click.option(
    "--rsin",
    metavar="RSIN",
    help="RSIN van de organisatie: bronorganisatie en verantwoordelijke organisatie.",
)
@click.option(
    "--events-url",
    metavar="URL",
    help="Webhook of Notificaties API 2.0 (.../events) voor CloudEvents.",
)
@click.option(
    "--oin", help="OIN van de organisatie, voor de source van de CloudEvents."
)
@_CLIENT_ID
@_SECRET
@click.option(
    "--persoonsgegevens",
    is_flag=True,
    help="Stuur namen van partijen en medewerkers mee naar de Zaken API.",
)
@click.option(
    "--timeout",
    type=float,
    default=10.0,
    show_default=True,
    help="Seconden per verzoek.",
)
@click.option(
    "--lease",
    type=float,
    default=60.0,
    show_default=True,
    help="Seconden dat een bericht geclaimd blijft.",
)
@click.option(
    "--blijf", is_flag=True, help="Blijf draaien en wacht op nieuwe berichten."
)
@click.option(
    "--worker", default="klachtflow", show_default=True, help="Naam van deze bezorger."
)
def bezorg(  # noqa: PLR0917 - click passes each option as a parameter
    url: str,
    zaken_api: str | None,
    catalogi_api: str | None,
    catalogus: str | None,
    rsin: str | None,
    events_url: str | None,
    oin: str | None,
    client_id: str,
    secret: str,
    persoonsgegevens: bool,
    timeout: float,
    lease: float,
    blijf: bool,
    worker: str,
) -> None:
    """Bezorg de uitgaande berichten; exit 0 als alles bezorgd is, 1 als er wachten."""
    import datetime as dt  # noqa: PLC0415

    from klachtflow.zgw._http import Credentials, ZgwClient  # noqa: PLC0415
    from klachtflow.zgw.outbox import OutboxWorker, Sink  # noqa: PLC0415
    from klachtflow.zgw.sinks import CloudEventsSink, ZakenSink  # noqa: PLC0415

    credentials = Credentials(client_id, secret)
    sinks: list[Sink] = []
    clients: list[ZgwClient] = []
    zaken_parts = (zaken_api, catalogi_api, catalogus, rsin)
    if any(zaken_parts) and not all(zaken_parts):
        msg = "Voor de Zaken API zijn --zaken-api, --catalogi-api, --catalogus en --rsin nodig."
        raise click.UsageError(msg)
    if bool(events_url) != bool(oin):
        msg = "Voor CloudEvents zijn --events-url en --oin nodig."
        raise click.UsageError(msg)
    try:
        if zaken_api and catalogi_api and catalogus and rsin:
            zaken_client = ZgwClient(
                zaken_api, credentials=credentials, timeout=timeout
            )
            catalogi_client = ZgwClient(
                catalogi_api, credentials=credentials, timeout=timeout
            )
            clients += [zaken_client, catalogi_client]
            sinks.append(
                ZakenSink(
                    zaken=zaken_client,
                    catalogi=catalogi_client,
                    catalogus=catalogus,
                    bronorganisatie=rsin,
                    personal_data=persoonsgegevens,
                )
            )
        if events_url and oin:
            events = ZgwClient(events_url, credentials=credentials, timeout=timeout)
            clients.append(events)
            sinks.append(CloudEventsSink(client=events, oin=oin, path=""))
    except ZgwInvalidSetting as error:
        msg = f"{error.message} {error.hint}"
        raise click.UsageError(msg) from None
    if not sinks:
        msg = "Geef ten minste een bestemming: de Zaken API of --events-url."
        raise click.UsageError(msg)
    try:
        store = open_db(url, must_exist=True)
    except KlachtflowError as error:
        _stop(error, EXIT_RUNTIME)
        return
    with store:
        runner = OutboxWorker(
            store, sinks, worker=worker, lease=dt.timedelta(seconds=lease)
        )
        try:
            report = runner.run(until_idle=False) if blijf else runner.drain()
        except KeyboardInterrupt:
            click.echo("Gestopt.", err=True)
            return
        finally:
            runner.close()
        pending = len(runner.outbox.pending())
    click.echo(
        f"{report.delivered} bezorgd, {report.failed} mislukt (volgt later opnieuw), "
        f"{pending} wachtend"
    )
    for line in report.errors[:20]:
        click.echo(f"  {line}")
    sys.exit(EXIT_FINDINGS if pending else 0)


@uitgaand.command()
@DB_OPTION
@click.option(
    "--pogingen",
    type=int,
    default=5,
    show_default=True,
    help="Vanaf zoveel mislukte pogingen heet een bericht vastgelopen.",
)
@TEXT_OR_JSON
def status(url: str, pogingen: int, fmt: str) -> None:
    """Toon wat nog niet bezorgd is en wat vastzit; exit 1 als er iets vastzit."""
    from klachtflow.storage import Outbox  # noqa: PLC0415

    try:
        store = open_db(url, must_exist=True)
    except KlachtflowError as error:
        _stop(error, EXIT_RUNTIME)
        return
    with store:
        outbox = Outbox(store)
        pending = outbox.pending()
    stuck = [r for r in pending if r.attempts >= pogingen]
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "wachtend": len(pending),
                    "vastgelopen": [
                        {
                            "zaak": r.case_id,
                            "soort": r.kind,
                            "volgnummer": r.seq,
                            "pogingen": r.attempts,
                            "fout": r.last_error,
                            "sinds": r.created_at.isoformat(),
                        }
                        for r in stuck
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        click.echo(f"{len(pending)} wachtend, {len(stuck)} vastgelopen")
        for r in stuck:
            click.echo(
                f"  {r.case_id} {r.kind} {r.seq}: {r.attempts} pogingen sinds "
                f"{r.created_at.isoformat()}: {r.last_error}"
            )
    sys.exit(EXIT_FINDINGS if stuck else 0)
