"""The database commands: ``db upgrade``, ``db opschonen``, ``demo``, ``audit``,
``zaken`` and ``termijnen``. Same conventions as :mod:`klachtflow.adapters.cli`.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
from typing import TYPE_CHECKING

import attrs
import click

from klachtflow.adapters._audit_stream import (
    audit_stream,
    echo_text,
    spool_json,
    write_json,
)
from klachtflow.adapters._shared import DB_OPTION as _DB
from klachtflow.adapters._shared import (
    EXIT_FINDINGS,
    EXIT_OK,
    TEXT_OR_JSON,
    plural,
    processes_option,
    processes_or_default,
)
from klachtflow.adapters._shared import ORGANISATION_OPTION as _ORGANISATION
from klachtflow.adapters._shared import cli_date as _date
from klachtflow.adapters._shared import cli_range as _range
from klachtflow.adapters._shared import open_db as _open
from klachtflow.adapters._shared import open_scoped as _scoped
from klachtflow.adapters._shared import today as _today
from klachtflow.adapters.completion import complete_statuses
from klachtflow.adapters.simulation import case_ids, simulate
from klachtflow.compliance.audit import parse_period
from klachtflow.definition import Procedure, builtin_procedure
from klachtflow.engine import Case

if TYPE_CHECKING:
    from klachtflow.storage import Statistics

__all__ = ["audit", "db", "demo", "termijnen", "zaken"]


# --------------------------------------------------------------------------- database


def _head_revision() -> str:
    from klachtflow.storage.migrate import head_revision  # noqa: PLC0415

    return head_revision()


@click.group()
def db() -> None:
    """Beheer van de database: schema bijwerken, persoonsgegevens opschonen."""


@db.command("upgrade")
@_DB
def db_upgrade(url: str) -> None:
    """Werk het databaseschema bij tot de nieuwste versie."""
    with _open(url, upgrade_schema=True) as store:
        click.echo(f"Database {store.url} is bijgewerkt (schema {_head_revision()}).")
        waiting = store.unsummarised()
    if waiting:
        click.echo(
            f"{plural(waiting, 'zaak', 'zaken')} van vóór schema 0007 "
            f"{'heeft' if waiting == 1 else 'hebben'} nog geen rapportsamenvatting; "
            "een rapport controleert die via de hele geschiedenis (trager). "
            "Tip: klachtflow db samenvatten --db URL"
        )


@db.command("opschonen")
@_DB
@click.option(
    "--op",
    "on",
    required=True,
    help="Peildatum (JJJJ-MM-DD): bewaartermijnen die dan verstreken zijn.",
)
@click.option("--droog", is_flag=True, help="Toon alleen wat verwijderd zou worden.")
def db_purge(url: str, on: str, droog: bool) -> None:
    """Verwijder persoonsgegevens van zaken waarvan de bewaartermijn verstreken is.

    Het anonieme skelet (datums, statussen, categorie, resultaat) blijft, zodat
    rapportages kloppen; elke verwijdering wordt vastgelegd.
    """
    day = _date(on, "--op") or _today()
    with _open(url, must_exist=True) as store:
        removals = store.purge(day, dry_run=droog)
    verb = "zou worden opgeschoond" if droog else "opgeschoond"
    click.echo(
        f"{plural(len(removals), 'zaak', 'zaken')} {verb} (peildatum {day.isoformat()})."
    )
    for removal in removals:
        click.echo(f"  {removal.case_id}: {removal.reason}")


@db.command("samenvatten")
@_DB
@_ORGANISATION
def db_summarise(url: str, organisation: str | None) -> None:
    """Geef zaken van vóór schema 0007 hun verzegelde rapportsamenvatting.

    Een rapport leest dan per zaak één regel in plaats van de hele geschiedenis.
    Elke zaak wordt eerst gecontroleerd; een zaak die niet klopt krijgt geen
    samenvatting en wordt genoemd (exit 1). Veilig om opnieuw te draaien.
    """
    with _scoped(url, organisation, must_exist=True) as store:
        result = store.summarise()
    done, bad = result.summarised, len(result.unverified)
    click.echo(
        f"{plural(done, 'zaak', 'zaken')} {'kreeg' if done == 1 else 'kregen'} "
        "een rapportsamenvatting."
    )
    if result.unverified:
        click.echo(
            f"{plural(bad, 'zaak', 'zaken')} {'klopt' if bad == 1 else 'kloppen'} "
            f"niet met {'haar' if bad == 1 else 'hun'} geschiedenis en "
            f"{'kreeg' if bad == 1 else 'kregen'} er geen: "
            + ", ".join(result.unverified[:20])
            + (" ..." if len(result.unverified) > 20 else ""),
            err=True,
        )
        click.echo(
            "Tip: klachtflow verifieer --db URL noemt wat er niet klopt.", err=True
        )
        sys.exit(EXIT_FINDINGS)


# --------------------------------------------------------------------------- demo


@click.command()
@_DB
@click.option(
    "--zaken",
    "count",
    default=200,
    show_default=True,
    type=click.IntRange(min=0),
    help="Aantal gesimuleerde zaken.",
)
@click.option(
    "--seed",
    default=1,
    show_default=True,
    type=int,
    help="Zaadgetal: dezelfde seed geeft dezelfde zaken.",
)
def demo(url: str, count: int, seed: int) -> None:
    """Simuleer zaken volgens gemeente-awb en toon een samenvatting.

    Maakt de database aan (of gebruikt haar opnieuw); zaken die er al zijn,
    worden overgeslagen.
    """
    procedure = builtin_procedure("gemeente-awb")
    today = _today()
    with _open(url) as store:
        engine = store.engine_for(procedure)
        ids = case_ids(seed, count)
        existing = store.existing(ids)
        todo = [i for i in ids if i not in existing]
        store.add_procedure(procedure)
        batch: list[Case] = []
        with click.progressbar(
            length=len(todo),
            label="Zaken simuleren",
            file=sys.stderr,
            hidden=len(todo) < 1000,
        ) as bar:
            for case in simulate(
                engine, todo, seed=seed, today=today, progress=bar.update
            ):
                batch.append(case)
                if len(batch) >= 500:
                    store.add_many(batch, historical=True)
                    batch = []
            store.add_many(batch, historical=True)
        stats = store.statistics(today)
    _summary(procedure, url, stats, new=len(todo), existing=len(existing), today=today)


def _summary(
    procedure: Procedure,
    url: str,
    stats: Statistics,
    *,
    new: int,
    existing: int,
    today: dt.date,
) -> None:
    click.echo(f"klachtflow demo: {procedure.title} (versie {procedure.version})")
    click.echo(f"Database: {url}")
    click.echo(
        f"Zaken: {stats.total} ({new} nieuw gesimuleerd, {existing} bestonden al)\n"
    )
    click.echo("Zaken per status:")
    titles = {name: state.title for name, state in procedure.states.items()}
    for status, number in sorted(
        stats.per_status.items(), key=lambda kv: (-kv[1], kv[0])
    ):
        click.echo(f"  {titles.get(status, status):40} {number:>7}")
    total = max(stats.total, 1)
    click.echo(
        f"\nInformeel gebleven: {stats.informal} ({stats.informal / total:.0%})   "
        f"formele klacht geworden: {stats.formal} ({stats.formal / total:.0%})"
    )
    click.echo(
        f"Termijnen verlopen op {today.isoformat()}: {stats.overdue} "
        f"(waarvan {stats.overdue_fatal} fataal)"
    )
    if stats.average_days is not None:
        click.echo(
            f"Gemiddelde doorlooptijd van {stats.closed} afgesloten zaken: "
            f"{stats.average_days:.1f} dagen".replace(".", ",")
        )
    click.echo("\nVerder: klachtflow zaken --db ... | klachtflow termijnen --db ...")


# --------------------------------------------------------------------------- audit


@click.command()
@_DB
@click.option(
    "--periode", help="Zaken geopend in 2026, 2026-H1 of 2026-Q3; standaard alle."
)
@click.option(
    "--op", "on", help="Auditdatum (JJJJ-MM-DD): open zaken tot dan; standaard vandaag."
)
@processes_option(
    "die de zaken toetsen, elk een reeks zaaknummers; onder 5.000 zaken één"
)
@_ORGANISATION
@TEXT_OR_JSON
def audit(  # noqa: PLR0917 - click passes each option as a parameter
    url: str,
    periode: str | None,
    on: str | None,
    processes: int | None,
    organisation: str | None,
    fmt: str,
) -> None:
    """Toets wat er in zaken gebeurde aan de wet (Awb 9, bezwaar, Wkkgz, Jeugdwet).

    Exit 0 zonder fouten, 1 als een zaak een fout heeft.
    """
    first, last = parse_period(periode) if periode else (None, None)
    today = _date(on, "--op") or _today()
    workers = processes_or_default(processes)
    with _scoped(url, organisation, must_exist=True) as store:
        # Streamed: one case at a time, in case-id order; only counts are kept.
        if fmt == "json":
            with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
                tally = audit_stream(
                    store,
                    first=first,
                    last=last,
                    today=today,
                    emit=spool_json(spool),
                    processes=workers,
                )
                write_json(tally, periode, spool, click.echo)
        else:
            tally = audit_stream(
                store,
                first=first,
                last=last,
                today=today,
                emit=echo_text(),
                processes=workers,
            )
            click.echo(
                f"\n{plural(tally.cases, 'zaak', 'zaken')} getoetst"
                f"{f' (periode {periode})' if periode else ''}; "
                f"{tally.cases_with_findings} met bevindingen."
            )
            for code, number in tally.summary.items():
                click.echo(f"  {code:16} {number:>6}")
    sys.exit(EXIT_FINDINGS if tally.errors else EXIT_OK)


# --------------------------------------------------------------------------- zaken, termijnen


@click.command()
@_DB
@click.option(
    "--status",
    help="Alleen zaken met deze status (naam).",
    shell_complete=complete_statuses,
)
@click.option("--partij", help="Alleen zaken waarin deze persoon partij is.")
@click.option("--categorie", help="Alleen zaken in deze categorie.")
@click.option("--van", "opened_from", help="Geopend op of na (JJJJ-MM-DD).")
@click.option("--tot", "opened_until", help="Geopend op of voor (JJJJ-MM-DD).")
@click.option(
    "--open",
    "open_only",
    is_flag=True,
    help="Alleen zaken die nog niet zijn afgesloten.",
)
@click.option(
    "--limiet",
    default=50,
    show_default=True,
    type=click.IntRange(min=1),
    help="Hoogstens zoveel zaken.",
)
@_ORGANISATION
@click.option("--json", "as_json", is_flag=True, help="JSON in plaats van tekst.")
def zaken(  # noqa: PLR0917 - click passes each option as a parameter
    url: str,
    status: str | None,
    partij: str | None,
    categorie: str | None,
    opened_from: str | None,
    opened_until: str | None,
    open_only: bool,
    limiet: int,
    organisation: str | None,
    as_json: bool,
) -> None:
    """Toon zaken uit de database."""
    first, last = _date(opened_from, "--van"), _date(opened_until, "--tot")
    _range(first, last, ("--van", "--tot"))
    with _scoped(url, organisation, must_exist=True) as store:
        found = store.find(
            status=status,
            party=partij,
            category=categorie,
            opened_from=first,
            opened_until=last,
            open_only=open_only,
            limit=limiet,
        )
    if as_json:
        click.echo(
            json.dumps(
                [attrs.asdict(f) for f in found],
                default=str,
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    if not found:
        click.echo("Geen zaken gevonden.")
        if first is not None and first > _today():
            click.echo(
                f"Let op: --van {first.isoformat()} ligt in de toekomst; "
                "er kunnen nog geen zaken geopend zijn.",
                err=True,
            )
        return
    click.echo(
        f"{'zaak':22} {'geopend':10} {'status':28} {'categorie':22} {'resultaat':14}"
    )
    for f in found:
        click.echo(
            f"{f.id:22} {f.opened_on.isoformat():10} {f.status:28} {f.category or '-':22} {f.result or '-':14}"
        )


@click.command()
@_DB
@click.option("--op", "on", help="Peildatum (JJJJ-MM-DD); standaard vandaag.")
@click.option(
    "--binnen",
    default=5,
    show_default=True,
    type=click.IntRange(min=0),
    help="Ook termijnen die binnen zoveel dagen aflopen.",
)
@click.option(
    "--limiet",
    default=100,
    show_default=True,
    type=click.IntRange(min=1),
    help="Hoogstens zoveel regels per lijst.",
)
@click.option(
    "--rol",
    help="Alleen de waarschuwingen aan deze rol (waarschuwing_aan in de procedure).",
)
@_ORGANISATION
@click.option("--json", "as_json", is_flag=True, help="JSON in plaats van tekst.")
def termijnen(  # noqa: PLR0917 - click passes each option as a parameter
    url: str,
    on: str | None,
    binnen: int,
    limiet: int,
    rol: str | None,
    organisation: str | None,
    as_json: bool,
) -> None:
    """Toon verlopen termijnen, termijnen die binnenkort aflopen en waarschuwingen.

    Met --rol alleen de waarschuwingen aan die rol: de termijnen die die rol
    bewaakt en waarvan de waarschuwingsperiode begonnen is.
    """
    day = _date(on, "--op") or _today()
    with _scoped(url, organisation, must_exist=True) as store:
        overdue = [] if rol else store.overdue(day, limit=limiet)
        due = [] if rol else store.due(day, within=binnen, limit=limiet)
        warnings = store.warnings(day, role=rol, limit=limiet)
    if as_json:
        listed: dict[str, object] = {"peildatum": day.isoformat()}
        if rol:
            listed["rol"] = rol
        else:
            listed["verlopen"] = [attrs.asdict(d) for d in overdue]
            listed["binnenkort"] = [attrs.asdict(d) for d in due]
        listed["waarschuwingen"] = [attrs.asdict(w) for w in warnings]
        click.echo(json.dumps(listed, default=str, ensure_ascii=False, indent=2))
        return
    if not rol:
        click.echo(f"Verlopen op {day.isoformat()}: {len(overdue)}")
        for d in overdue:
            click.echo(f"  {d.due.isoformat()}  {d.case_id:22} {d.term:24} {d.kind}")
        click.echo(f"Aflopend binnen {binnen} dagen: {len(due)}")
        for d in due:
            click.echo(f"  {d.due.isoformat()}  {d.case_id:22} {d.term:24} {d.kind}")
    aan = f" aan {rol}" if rol else ""
    click.echo(f"Waarschuwingen{aan} op {day.isoformat()}: {len(warnings)}")
    for w in warnings:
        roles = ", ".join(w.roles) or "-"
        click.echo(
            f"  {w.due.isoformat()}  {w.case_id:22} {w.term:24} {w.kind:8} "
            f"sinds {w.warning_from.isoformat()}  aan: {roles}"
        )
