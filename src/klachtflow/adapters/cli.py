"""The ``klachtflow`` command line: Dutch output, no tracebacks, documented exit codes.

Exit codes (``docs/reference/cli.md``):

- 0: success (``validate``: every file is valid);
- 1: a klachtflow error at run time (e.g. an unknown template);
- 2: wrong usage, or a procedure file that is not valid.

``--debug`` shows the traceback of an unexpected error; without it the user
sees one Dutch line and a hint, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import traceback
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import click

from klachtflow.adapters._shared import DB_OPTION as _DB
from klachtflow.adapters._shared import cli_date as _date
from klachtflow.adapters._shared import open_db as _open
from klachtflow.adapters._shared import today as _today
from klachtflow.adapters.insight_commands import (
    diagram_command,
    rapport,
    uitleg_command,
)
from klachtflow.adapters.simulation import case_ids, simulate
from klachtflow.compliance import check_procedure
from klachtflow.compliance.audit import audit_cases, parse_period
from klachtflow.compliance.sarif import to_sarif
from klachtflow.definition import (
    Procedure,
    builtin_procedure,
    load_procedure,
    template_names,
    template_text,
)
from klachtflow.definition.reference import markdown_reference
from klachtflow.engine import Case

if TYPE_CHECKING:
    from klachtflow.storage import Statistics
from klachtflow.exceptions import DefinitionError, KlachtflowError, TermError
from klachtflow.rules import (
    ATW,
    AtwCalendar,
    OrganisationCalendar,
    WorkingCalendar,
    load_designated_days,
)
from klachtflow.rules import termijn as compute_termijn

__all__ = ["main"]

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_INVALID = 2


def _fail(error: KlachtflowError) -> None:
    click.echo(f"Fout: {error.message}", err=True)
    if error.hint:
        click.echo(f"Tip: {error.hint}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="klachtflow", message="klachtflow %(version)s")
@click.option(
    "--debug", is_flag=True, help="Toon de volledige foutmelding (traceback)."
)
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """klachtflow: klachtprocedures volgens de wet, in YAML.

    Begin met 'klachtflow templates' en 'klachtflow init gemeente-awb'.
    """
    ctx.obj = {"debug": debug}


cli.add_command(rapport)
cli.add_command(diagram_command)
cli.add_command(uitleg_command)


# --------------------------------------------------------------------------- validate


def _validate_one(path: str) -> tuple[Procedure | None, DefinitionError | None]:
    try:
        return load_procedure(path), None
    except DefinitionError as error:
        return None, error


@cli.command()
@click.argument("bestanden", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text voor mensen, json voor pijplijnen.",
)
def validate(bestanden: Sequence[str], fmt: str) -> None:
    """Controleer procedurebestanden; exit 0 als alle geldig zijn, anders 2."""
    results: list[dict[str, Any]] = []
    valid = True
    for path in bestanden:
        procedure, error = _validate_one(path)
        entry: dict[str, Any] = {"bestand": path, "geldig": error is None}
        if procedure is not None:
            entry.update(
                naam=procedure.name, versie=procedure.version, digest=procedure.digest
            )
        entry["problemen"] = [i.as_dict() for i in error.issues] if error else []
        valid = valid and error is None
        results.append(entry)
        if fmt == "text":
            if error is None and procedure is not None:
                click.echo(
                    f"{path}: geldig ({procedure.name} {procedure.version}, "
                    f"{len(procedure.states)} statussen, {len(procedure.actions)} acties, "
                    f"{len(procedure.terms)} termijnen)"
                )
            elif error is not None:
                count = len(error.issues)
                noun = "probleem" if count == 1 else "problemen"
                click.echo(f"{path}: ongeldig, {count} {noun}:")
                for issue in error.issues:
                    click.echo(f"  {issue}")
    if fmt == "json":
        click.echo(
            json.dumps(
                {"geldig": valid, "bestanden": results}, ensure_ascii=False, indent=2
            )
        )
    sys.exit(EXIT_OK if valid else EXIT_INVALID)


# --------------------------------------------------------------------------- check


@cli.command()
@click.argument("bestanden", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--regels",
    help="Regelpakketten, komma-gescheiden (bijv. awb9); standaard volgens het regime.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "sarif"]),
    default="text",
    show_default=True,
    help="text voor mensen, json voor pijplijnen, sarif voor codehosts.",
)
def check(bestanden: Sequence[str], regels: str | None, fmt: str) -> None:
    """Toets procedures aan de wet; exit 0 zonder fouten, 1 met fouten.

    Een bestand dat geen geldige procedure is, geeft exit 2 (zoals validate).
    """
    packs = [p.strip() for p in regels.split(",") if p.strip()] if regels else None
    reports = []
    for path in bestanden:
        procedure = load_procedure(path)
        reports.append(check_procedure(procedure, packs=packs))
    if fmt == "sarif":
        click.echo(json.dumps(to_sarif(reports), ensure_ascii=False, indent=2))
    elif fmt == "json":
        click.echo(
            json.dumps(
                {
                    "voldoet": all(r.compliant for r in reports),
                    "bestanden": [
                        {
                            "bestand": r.procedure.source,
                            "regelpakketten": list(r.packs),
                            "voldoet": r.compliant,
                            "bevindingen": [f.as_dict() for f in r.findings],
                        }
                        for r in reports
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for report in reports:
            packs_text = (
                ", ".join(report.packs)
                or "geen (regime " + report.procedure.regime + ")"
            )
            errors = len(report.errors)
            warnings = len(report.findings) - errors
            verdict = "voldoet" if report.compliant else "voldoet niet"
            click.echo(
                f"{report.procedure.source}: {verdict} (regels: {packs_text}; "
                f"{errors} fout(en), {warnings} waarschuwing(en))"
            )
            for f in report.findings:
                click.echo(
                    f"  {report.procedure.source}:{f.line}:{f.column}  {f.severity.value}  "
                    f"{f.message} ({f.code}, {f.article})"
                )
                click.echo(f"    oplossing: {f.fix}")
    sys.exit(EXIT_OK if all(r.compliant for r in reports) else EXIT_ERROR)


# --------------------------------------------------------------------------- schema, templates


def schema_text() -> str:
    """The JSON Schema shipped with the package."""
    return (
        resources.files("klachtflow.definition")
        .joinpath("procedure.schema.json")
        .read_text("utf-8")
    )


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "markdown"]),
    default="json",
    show_default=True,
    help="json: JSON Schema voor editors; markdown: naslag voor mensen.",
)
def schema(fmt: str) -> None:
    """Druk het schema van de proceduretaal af (JSON Schema of naslag)."""
    if fmt == "markdown":
        click.echo(markdown_reference(), nl=False)
    else:
        click.echo(schema_text(), nl=False)


@cli.command()
def templates() -> None:
    """Toon de ingebouwde sjablonen."""
    names = template_names()
    width = max(len(name) for name in names)
    for name in names:
        procedure = builtin_procedure(name)
        click.echo(
            f"{name:{width}}  {procedure.regime:9} {procedure.version:8} {procedure.title}"
        )


@cli.command()
@click.argument("naam")
def init(naam: str) -> None:
    """Druk sjabloon NAAM af, om als eigen procedure te bewaren.

    Voorbeeld: klachtflow init gemeente-awb > klacht.yaml
    """
    click.echo(template_text(naam), nl=False)


# --------------------------------------------------------------------------- termijn


def _calendar_option(
    naam: str, procedure_path: str | None, extra_days: str | None
) -> WorkingCalendar:
    atw = ATW
    if extra_days is not None:
        try:
            text = Path(extra_days).read_text("utf-8")
            designated = load_designated_days(text)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            msg = f"De gelijkgestelde dagen in '{extra_days}' kunnen niet gelezen worden ({exc})."
            raise TermError(
                msg,
                hint='Verwacht JSON: {"dagen": [{"datum": "2029-05-11", "bron": "Stcrt. ..."}]}',
            ) from exc
        atw = AtwCalendar(designated={**ATW.designated, **designated})
    if naam == "atw":
        return atw
    if procedure_path is None:
        msg = f"Kalender '{naam}' is geen ingebouwde kalender."
        raise TermError(
            msg,
            hint="Geef met --procedure het procedurebestand waarin deze kalender staat.",
        )
    procedure = load_procedure(procedure_path)
    if naam not in procedure.calendars:
        known = ", ".join(["atw", *procedure.calendars])
        msg = f"Kalender '{naam}' staat niet in {procedure_path}."
        raise TermError(msg, hint=f"Bekende kalenders: {known}.")
    spec = procedure.calendars[naam]
    return OrganisationCalendar.from_days(spec.name, spec.closing_days, base=atw)


@cli.command()
@click.argument("start")
@click.argument("duur")
@click.option(
    "--verlenging", metavar="DUUR", help="Verleng met DUUR (bijv. '4 weken')."
)
@click.option(
    "--anker",
    type=click.Choice(["gekoppeld", "conservatief"]),
    default="gekoppeld",
    show_default=True,
    help="Verlenging vanaf het einde na Atw (gekoppeld) of het ruwe einde (conservatief).",
)
@click.option("--geen-atw", is_flag=True, help="Pas de Algemene termijnenwet niet toe.")
@click.option(
    "--terug", is_flag=True, help="Reken terug (nooit verlengd, Atw art 1 lid 2)."
)
@click.option(
    "--kalender", default="atw", show_default=True, help="atw of een eigen kalender."
)
@click.option(
    "--procedure",
    "procedure_path",
    type=click.Path(dir_okay=False),
    help="Procedurebestand met de eigen kalender (bij --kalender NAAM).",
)
@click.option(
    "--gelijkgestelde-dagen",
    "extra_days",
    type=click.Path(dir_okay=False),
    help="JSON met extra dagen gelijkgesteld bij koninklijk besluit (Atw art 3 lid 3).",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Eén JSON-object in plaats van tekst."
)
def termijn(  # noqa: PLR0917 - click passes each option as a parameter
    start: str,
    duur: str,
    verlenging: str | None,
    anker: str,
    geen_atw: bool,
    terug: bool,
    kalender: str,
    procedure_path: str | None,
    extra_days: str | None,
    as_json: bool,
) -> None:
    """Bereken een termijn: START is de datum van de gebeurtenis (telt niet mee).

    Voorbeeld: klachtflow termijn 2026-03-16 "6 weken"
    """
    deadline = compute_termijn(
        start,
        duur,
        verlenging=verlenging,
        anker=anker,
        atw=not geen_atw,
        terug=terug,
        kalender=_calendar_option(kalender, procedure_path, extra_days),
    )
    if as_json:
        click.echo(json.dumps(deadline.as_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(deadline.end.isoformat())
    for line in deadline.explain():
        click.echo(line)


# --------------------------------------------------------------------------- database


def _head_revision() -> str:
    from klachtflow.storage.migrate import head_revision  # noqa: PLC0415

    return head_revision()


@cli.group()
def db() -> None:
    """Beheer van de database: schema bijwerken, persoonsgegevens opschonen."""


@db.command("upgrade")
@_DB
def db_upgrade(url: str) -> None:
    """Werk het databaseschema bij tot de nieuwste versie."""
    with _open(url, upgrade_schema=True) as store:
        click.echo(f"Database {store.url} is bijgewerkt (schema {_head_revision()}).")


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
    click.echo(f"{len(removals)} zaak/zaken {verb} (peildatum {day.isoformat()}).")
    for removal in removals:
        click.echo(f"  {removal.case_id}: {removal.reason}")


# --------------------------------------------------------------------------- demo


@cli.command()
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
                    store.add_many(batch)
                    batch = []
            store.add_many(batch)
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


@cli.command()
@_DB
@click.option(
    "--periode", help="Zaken geopend in 2026, 2026-H1 of 2026-Q3; standaard alle."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text voor mensen, json voor pijplijnen.",
)
def audit(url: str, periode: str | None, fmt: str) -> None:
    """Toets wat er in zaken gebeurde aan de wet (Awb 9, bezwaar, Wkkgz, Jeugdwet).

    Exit 0 zonder fouten, 1 als een zaak een fout heeft.
    """
    first, last = parse_period(periode) if periode else (None, None)
    today = _today()
    with _open(url, must_exist=True) as store:
        summaries = store.find(opened_from=first, opened_until=last)
        pairs = []
        for summary in summaries:
            case = store.get(summary.id)
            pairs.append((case, store.procedure(case.procedure_digest)))
        report = audit_cases(pairs, today=today)
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "periode": periode,
                    "zaken": report.cases,
                    "zaken_met_bevindingen": report.cases_with_findings,
                    "per_code": report.summary,
                    "bevindingen": [f.as_dict() for f in report.findings],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        current = None
        for finding in report.findings:
            if finding.case_id != current:
                current = finding.case_id
                click.echo(f"{current}:")
            click.echo(
                f"  {finding.severity:12} {finding.message} ({finding.code}, {finding.basis})"
            )
        click.echo(
            f"\n{report.cases} zaken getoetst{f' (periode {periode})' if periode else ''}; "
            f"{report.cases_with_findings} met bevindingen."
        )
        for code, number in report.summary.items():
            click.echo(f"  {code:16} {number:>6}")
    has_errors = any(f.severity == "fout" for f in report.findings)
    sys.exit(EXIT_ERROR if has_errors else EXIT_OK)


# --------------------------------------------------------------------------- zaken, termijnen


@cli.command()
@_DB
@click.option("--status", help="Alleen zaken met deze status (naam).")
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
    as_json: bool,
) -> None:
    """Toon zaken uit de database."""
    with _open(url, must_exist=True) as store:
        found = store.find(
            status=status,
            party=partij,
            category=categorie,
            opened_from=_date(opened_from, "--van"),
            opened_until=_date(opened_until, "--tot"),
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
        return
    click.echo(
        f"{'zaak':22} {'geopend':10} {'status':28} {'categorie':22} {'resultaat':14}"
    )
    for f in found:
        click.echo(
            f"{f.id:22} {f.opened_on.isoformat():10} {f.status:28} {f.category or '-':22} {f.result or '-':14}"
        )


@cli.command()
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
@click.option("--json", "as_json", is_flag=True, help="JSON in plaats van tekst.")
def termijnen(
    url: str, on: str | None, binnen: int, limiet: int, as_json: bool
) -> None:
    """Toon verlopen termijnen en termijnen die binnenkort aflopen."""
    day = _date(on, "--op") or _today()
    with _open(url, must_exist=True) as store:
        overdue = store.overdue(day, limit=limiet)
        due = store.due(day, within=binnen, limit=limiet)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "peildatum": day.isoformat(),
                    "verlopen": [attrs.asdict(d) for d in overdue],
                    "binnenkort": [attrs.asdict(d) for d in due],
                },
                default=str,
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    click.echo(f"Verlopen op {day.isoformat()}: {len(overdue)}")
    for d in overdue:
        click.echo(f"  {d.due.isoformat()}  {d.case_id:22} {d.term:24} {d.kind}")
    click.echo(f"Aflopend binnen {binnen} dagen: {len(due)}")
    for d in due:
        click.echo(f"  {d.due.isoformat()}  {d.case_id:22} {d.term:24} {d.kind}")


# --------------------------------------------------------------------------- entry point


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code instead of raising ``SystemExit``."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        cli.main(args=args, prog_name="klachtflow", standalone_mode=False)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else EXIT_ERROR)
    except click.exceptions.Abort:
        click.echo("Afgebroken.", err=True)
        return EXIT_ERROR
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except DefinitionError as error:
        click.echo(str(error), err=True)
        return EXIT_INVALID
    except KlachtflowError as error:
        if debug:
            traceback.print_exc()
        _fail(error)
        return EXIT_ERROR
    except Exception as exc:
        if debug:
            traceback.print_exc()
        click.echo(f"Interne fout: {type(exc).__name__}: {exc}", err=True)
        click.echo(
            "Tip: draai het commando opnieuw met --debug en meld de uitvoer bij de "
            "ontwikkelaars van klachtflow.",
            err=True,
        )
        return EXIT_ERROR
    return EXIT_OK
