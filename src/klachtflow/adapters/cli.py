"""The ``klachtflow`` command line: Dutch output, no tracebacks, documented exit codes.

Exit codes (``docs/reference/cli.md``), each with one meaning:

- 0: done, nothing found;
- 1: findings (``check``: the law is not met; ``audit``: a case has an error);
- 2: wrong usage or invalid input (an invalid procedure file, a bad date,
  an unknown template or rule pack);
- 3: a problem at run time or in the environment (database unreachable,
  file not writable, driver or Graphviz missing, an internal error);
- 130: interrupted.

click's own messages are shown in Dutch (:mod:`klachtflow.adapters._click_nl`).
``--debug`` shows the traceback of an error; without it the user sees one
Dutch line and a hint, never a traceback.
"""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import click

from klachtflow.adapters._click_nl import dutch_click
from klachtflow.adapters._shared import (
    EXIT_FINDINGS,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_RUNTIME,
    EXIT_USAGE,
    TEXT_OR_JSON,
    exit_code_for,
    oserror_text,
    plural,
)
from klachtflow.adapters.completion import complete_packs, complete_templates
from klachtflow.adapters.db_commands import audit, db, demo, termijnen, zaken
from klachtflow.adapters.insight_commands import (
    diagram_command,
    rapport,
    uitleg_command,
)
from klachtflow.adapters.integrity_commands import verifieer, verwijder
from klachtflow.adapters.transfer_commands import export_command, import_command
from klachtflow.adapters.zgw_commands import uitgaand, zgw
from klachtflow.compliance import check_procedure
from klachtflow.compliance.sarif import to_sarif
from klachtflow.definition import (
    Procedure,
    builtin_procedure,
    load_procedure,
    template_names,
    template_text,
)
from klachtflow.definition.reference import markdown_reference
from klachtflow.exceptions import DefinitionError, KlachtflowError, TermError
from klachtflow.rules import (
    ATW,
    AtwCalendar,
    WorkingCalendar,
    load_designated_days,
)
from klachtflow.rules import termijn as compute_termijn
from klachtflow.rules.clocks import organisation_calendar
from klachtflow.storage._collector import bulk_collector

__all__ = ["main"]


def _fail(error: KlachtflowError) -> None:
    click.echo(f"Fout: {error.message}", err=True)
    if error.hint:
        click.echo(f"Tip: {error.hint}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    package_name="klachtflow",
    message="klachtflow %(version)s",
    help="Toon de versie en stop.",
)
@click.option(
    "--debug", is_flag=True, help="Toon de volledige foutmelding (traceback)."
)
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """klachtflow: klachtprocedures volgens de wet, in YAML.

    Begin met 'klachtflow templates' en 'klachtflow init gemeente-awb'.

    Afsluitcodes: 0 klaar, 1 bevindingen, 2 verkeerd gebruik of ongeldige
    invoer, 3 probleem met de omgeving (database, bestand, ontbrekend programma).
    """
    ctx.obj = {"debug": debug}


for _command in (
    verifieer,
    verwijder,
    rapport,
    diagram_command,
    uitleg_command,
    db,
    demo,
    audit,
    zaken,
    termijnen,
    zgw,
    uitgaand,
    import_command,
    export_command,
):
    cli.add_command(_command)


# --------------------------------------------------------------------------- validate


def _validate_one(path: str) -> tuple[Procedure | None, DefinitionError | None]:
    try:
        return load_procedure(path), None
    except DefinitionError as error:
        return None, error


@cli.command()
@click.argument("bestanden", nargs=-1, required=True, type=click.Path(dir_okay=False))
@TEXT_OR_JSON
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
                noun = "probleem" if error.total == 1 else "problemen"
                click.echo(f"{path}: ongeldig, {error.total} {noun}:")
                for issue in error.issues:
                    click.echo(f"  {issue}")
                if error.omitted:
                    click.echo(f"  ... en nog {error.omitted} andere")
    if fmt == "json":
        click.echo(
            json.dumps(
                {"geldig": valid, "bestanden": results}, ensure_ascii=False, indent=2
            )
        )
    sys.exit(EXIT_OK if valid else EXIT_USAGE)


# --------------------------------------------------------------------------- check


@cli.command()
@click.argument("bestanden", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--regels",
    help="Regelpakketten, komma-gescheiden (bijv. awb9); standaard volgens het regime.",
    shell_complete=complete_packs,
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

    Een bestand dat geen geldige procedure is, of een onbekend regelpakket,
    geeft exit 2 (zoals validate).
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
                f"{plural(errors, 'fout', 'fouten')}, "
                f"{plural(warnings, 'waarschuwing', 'waarschuwingen')})"
            )
            for f in report.findings:
                click.echo(
                    f"  {report.procedure.source}:{f.line}:{f.column}  {f.severity.value}  "
                    f"{f.message} ({f.code}, {f.article})"
                )
                click.echo(f"    oplossing: {f.fix}")
    sys.exit(EXIT_OK if all(r.compliant for r in reports) else EXIT_FINDINGS)


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
@click.argument("naam", shell_complete=complete_templates)
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
    return organisation_calendar(spec, atw=atw)


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
    deadline = _compute(
        start,
        duur,
        extension=verlenging,
        anchor=anker,
        atw=not geen_atw,
        backward=terug,
        calendar=_calendar_option(kalender, procedure_path, extra_days),
    )
    if as_json:
        click.echo(json.dumps(deadline.as_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(deadline.end.isoformat())
    for line in deadline.explain():
        click.echo(line)


def _compute(start: str, duur: str, **options: Any) -> Any:
    """``rules.termijn``, with a date beyond the calendar as an ordinary error."""
    try:
        return compute_termijn(start, duur, **options)
    except (OverflowError, ValueError) as error:
        if isinstance(error, KlachtflowError):
            raise
        msg = f"De termijn '{duur}' vanaf {start} valt buiten de kalender ({error})."
        raise TermError(
            msg, hint="Geef een duur van hoogstens enkele jaren, bijv. '6 weken'."
        ) from error


# --------------------------------------------------------------------------- entry point


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code instead of raising ``SystemExit``."""
    args = list(sys.argv[1:] if argv is None else argv)
    with dutch_click(), bulk_collector():
        return _run(args, debug="--debug" in args)


def _dutch_metavar(kind: click.ParamType[Any]) -> str | None:
    if isinstance(kind, click.Path):
        return "MAP" if not kind.file_okay else "BESTAND"
    if isinstance(kind, click.types.IntParamType):
        return "GETAL"
    if isinstance(kind, click.types.FloatParamType):
        return "GETAL"
    if kind is click.STRING:
        return "TEKST"
    return None  # choices show their values; flags have none


def _dutch_metavars(command: click.Command) -> None:
    """click's "[OPTIONS]" and "COMMAND [ARGS]..." in the usage line, in Dutch."""
    command.options_metavar = "[OPTIES]"
    for param in command.params:
        if isinstance(param, click.Option) and param.metavar is None:
            param.metavar = _dutch_metavar(param.type)
    if isinstance(command, click.Group):
        command.subcommand_metavar = "COMMANDO [ARGUMENTEN]..."
        for sub in command.commands.values():
            _dutch_metavars(sub)


def _run(args: list[str], *, debug: bool) -> int:
    _dutch_metavars(cli)
    try:
        cli.main(args=args, prog_name="klachtflow", standalone_mode=False)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else EXIT_USAGE)
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("Afgebroken.", err=True)
        return EXIT_INTERRUPTED
    except click.exceptions.FileError as exc:
        exc.show()
        return EXIT_RUNTIME
    except click.ClickException as exc:
        exc.show()
        return EXIT_USAGE
    except DefinitionError as error:
        click.echo(str(error), err=True)
        return EXIT_USAGE
    except KlachtflowError as error:
        if debug:
            traceback.print_exc()
        _fail(error)
        return exit_code_for(error)
    except OSError as error:
        if debug:
            traceback.print_exc()
        where = f"'{error.filename}': " if error.filename else ""
        click.echo(f"Fout: {where}{oserror_text(error)}.", err=True)
        click.echo(
            "Tip: controleer of het bestand of de map bestaat en of u er mag "
            "lezen en schrijven.",
            err=True,
        )
        return EXIT_RUNTIME
    except Exception as exc:
        if debug:
            traceback.print_exc()
        click.echo(f"Interne fout: {type(exc).__name__}: {exc}", err=True)
        click.echo(
            "Tip: draai het commando opnieuw met --debug en meld de uitvoer bij de "
            "ontwikkelaars van klachtflow.",
            err=True,
        )
        return EXIT_RUNTIME
    return EXIT_OK
