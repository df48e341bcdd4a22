"""Semantic checks of one action: its states, roles, data checks, results,
consent and term effects."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from difflib import get_close_matches

from klachtflow.definition._build import Finding, YamlPath
from klachtflow.definition._check_common import unknown
from klachtflow.definition.model import (
    Action,
    DataCheck,
    FieldType,
    Procedure,
)

__all__ = ["check_action", "check_field_check", "check_parties"]


def check_field_check(
    procedure: Procedure, check: DataCheck, path: YamlPath
) -> Iterator[Finding]:
    field = procedure.fields.get(check.field)
    if field is None:
        yield unknown("gegeven", check.field, procedure.fields, (*path, "veld"))
        return
    other = check.other_field
    if other is not None:
        against = procedure.fields.get(other)
        if against is None:
            yield unknown("gegeven", other, procedure.fields, (*path, check.op))
            return
        dates = (FieldType.DATUM, FieldType.DATUM_TIJD)
        if check.op in ("voor", "na") and (
            field.type not in dates or against.type not in dates
        ):
            yield (
                "KF-D042",
                (*path, check.op),
                f"'{check.op}' vergelijkt datums; '{check.field}' of '{other}' is geen datum.",
                "Vergelijk twee gegevens van het type datum.",
                False,
            )
        return
    if check.op in ("voor", "na"):
        if field.type not in (FieldType.DATUM, FieldType.DATUM_TIJD) or not isinstance(
            check.value, dt.date
        ):
            yield (
                "KF-D042",
                (*path, check.op),
                f"'{check.op}' vergelijkt datums; geef een datum (JJJJ-MM-DD) of een "
                "datumgegeven.",
                "Bijv. 'voor: datum_ontvangst' of 'na: 2026-01-01'.",
                False,
            )
        return
    values = (
        list(check.value)
        if check.op == "in"
        else []
        if check.op == "aanwezig"
        else [check.value]
    )
    for value in values:
        problem = None
        if field.type is FieldType.JA_NEE and not isinstance(value, bool):
            problem = "Schrijf true of false."
        elif field.type is FieldType.GETAL and (
            isinstance(value, bool) or not isinstance(value, int | float)
        ):
            problem = "Schrijf een getal."
        elif field.type in (FieldType.DATUM, FieldType.DATUM_TIJD) and not isinstance(
            value, dt.date
        ):
            problem = "Schrijf een datum als JJJJ-MM-DD."
        elif field.type is FieldType.KEUZE:
            choices = _choices(procedure, check.field)
            if choices is not None and value not in choices:
                close = get_close_matches(str(value), choices, n=1)
                problem = (
                    f"Bedoelde u '{close[0]}'?"
                    if close
                    else f"Kies uit: {', '.join(choices)}."
                )
        if problem:
            yield (
                "KF-D042",
                (*path, check.op),
                f"de waarde {value!r} past niet bij het gegeven '{check.field}' "
                f"(type {field.type.value}).",
                problem,
                False,
            )


def _choices(procedure: Procedure, field_name: str) -> tuple[str, ...] | None:
    field = procedure.fields[field_name]
    if field.choices is not None:
        return field.choices
    if field.choices_from is not None:
        return procedure.registration.values(field.choices_from)
    return None


def check_action(procedure: Procedure, action: Action) -> Iterator[Finding]:
    base: YamlPath = ("acties", action.name)
    for index, source in enumerate(action.sources):
        if source not in procedure.states:
            yield unknown("status", source, procedure.states, (*base, "van", index))
    if action.target is not None and action.target not in procedure.states:
        yield unknown("status", action.target, procedure.states, (*base, "naar"))
    for index, role in enumerate(sorted(action.roles)):
        if role not in procedure.roles:
            yield unknown("rol", role, procedure.roles, (*base, "wie", index))
    for index, check in enumerate(action.checks):
        yield from check_field_check(procedure, check, (*base, "controles", index))
    for role, checks in action.role_checks:
        rpath = (*base, "wie_alleen_als", role)
        if role not in action.roles:
            yield (
                "KF-D004",
                rpath,
                f"de rol '{role}' staat niet in 'wie' van deze actie.",
                f"Zet '{role}' in 'wie' of haal haar weg uit 'wie_alleen_als'.",
                True,
            )
        for index, check in enumerate(checks):
            yield from check_field_check(procedure, check, (*rpath, index))
    for index, name in enumerate(action.required):
        if name not in procedure.fields:
            yield unknown("gegeven", name, procedure.fields, (*base, "vereist", index))
    for index, rule in enumerate(action.separation):
        rpath = (*base, "scheiding", index)
        if rule.kind.value == "niet_partij":
            for role in rule.targets:
                if role not in procedure.roles:
                    yield unknown("rol", role, procedure.roles, (*rpath, "niet_partij"))
                elif not procedure.roles[role].is_party:
                    yield (
                        "KF-D014",
                        (*rpath, "niet_partij"),
                        f"'{role}' is geen partij in de zaak (soort: organisatie).",
                        "niet_partij gaat over partijen zoals beklaagde; voor "
                        "medewerkers gebruikt u niet_uitvoerder_van.",
                        False,
                    )
        else:
            for name in rule.targets:
                if name not in procedure.actions:
                    yield unknown(
                        "actie",
                        name,
                        procedure.actions,
                        (*rpath, "niet_uitvoerder_van"),
                    )
        for cindex, check in enumerate(rule.unless):
            yield from check_field_check(procedure, check, (*rpath, "tenzij", cindex))
    if action.consent is not None:
        yield from check_parties(
            procedure, action.consent.parties, (*base, "instemming", "van")
        )
    yield from _check_effects(procedure, action, base)
    yield from _check_timing(procedure, action, base)
    if action.result is not None and action.result_field is not None:
        yield (
            "KF-D015",
            base,
            "een actie heeft óf 'resultaat' óf 'resultaat_veld', niet beide.",
            None,
            True,
        )
    if action.result is not None and action.result not in procedure.results:
        yield unknown(
            "resultaat", action.result, procedure.results, (*base, "resultaat")
        )
    if action.result_field is not None:
        yield from _check_result_field(
            procedure, action.result_field, (*base, "resultaat_veld")
        )


def _check_result_field(
    procedure: Procedure, name: str, path: YamlPath
) -> Iterator[Finding]:
    if name not in procedure.fields:
        yield unknown("gegeven", name, procedure.fields, path)
        return
    choices = _choices(procedure, name)
    if procedure.fields[name].type is not FieldType.KEUZE or choices is None:
        yield (
            "KF-D016",
            path,
            f"het gegeven '{name}' is geen keuze uit resultaten.",
            "Maak er een gegeven van met type: keuze en waarden die resultaten zijn.",
            False,
        )
        return
    for choice in choices:
        if choice not in procedure.results:
            yield (
                "KF-D016",
                path,
                f"de keuze '{choice}' van '{name}' is geen resultaat.",
                "Elke waarde van dit gegeven moet een resultaat onder 'resultaten' zijn.",
                False,
            )


def check_parties(
    procedure: Procedure, parties: Iterable[str], path: YamlPath
) -> Iterator[Finding]:
    for role in parties:
        if role not in procedure.roles:
            yield unknown("rol", role, procedure.roles, path)
        elif not procedure.roles[role].is_party:
            yield (
                "KF-D014",
                path,
                f"'{role}' is geen partij in de zaak; alleen partijen (soort: partij) "
                "geven instemming.",
                None,
                False,
            )


def _check_timing(
    procedure: Procedure, action: Action, base: YamlPath
) -> Iterator[Finding]:
    for key, names in (
        ("pas_na_verstrijken", action.after_expiry),
        ("alleen_voor_verstrijken", action.before_expiry),
    ):
        for name in names:
            if name not in procedure.terms:
                yield unknown("termijn", name, procedure.terms, (*base, key))


def _check_effects(
    procedure: Procedure, action: Action, base: YamlPath
) -> Iterator[Finding]:
    keys = {
        "start": "start",
        "stop": "stop",
        "suspend": "opschorten",
        "resume": "hervatten",
        "extend": "verlengen",
        "delay": "uitstellen",
    }
    for effect, names in action.terms:
        path = (*base, "termijnen", keys[effect])
        for name in names:
            term = procedure.terms.get(name)
            if term is None:
                yield unknown("termijn", name, procedure.terms, path)
                continue
            if effect in ("suspend", "resume") and not term.suspendable:
                yield (
                    "KF-D032",
                    path,
                    f"de termijn '{name}' is niet opschortbaar.",
                    f"Zet 'opschortbaar: true' bij termijnen.{name} als de wet "
                    "opschorting toestaat, of haal de opschorting weg.",
                    False,
                )
            if effect == "extend" and (
                term.extension is None or action.name not in term.extension.actions
            ):
                yield (
                    "KF-D031",
                    path,
                    f"de termijn '{name}' kan niet door '{action.name}' verlengd worden.",
                    f"Geef bij termijnen.{name} een 'verlenging' met 'actie: "
                    f"{action.name}', zodat het maximum en wie bericht krijgt vastliggen.",
                    False,
                )
            if effect == "delay" and (
                term.extension is None
                or term.extension.further is None
                or term.extension.further.action != action.name
            ):
                yield (
                    "KF-D031",
                    path,
                    f"de termijn '{name}' kent geen verder uitstel via '{action.name}'.",
                    f"Geef bij termijnen.{name}.verlenging een 'verder_uitstel' met "
                    f"'actie: {action.name}' en wie moet instemmen.",
                    False,
                )
