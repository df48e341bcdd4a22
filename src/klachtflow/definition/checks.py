"""Semantic checks over a built procedure: references, the graph, term logic.

Each check is a generator of findings ``(code, yaml_path, message, hint,
at_key)``; the loader turns them into :class:`~klachtflow.DefinitionIssue`
with file:line:column. Structural problems (types, unknown keys) are found
earlier, by :mod:`._spec`.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from difflib import get_close_matches

from klachtflow.definition._build import Finding, YamlPath, state_yaml_path
from klachtflow.definition._spec import SCHEMA_VERSIONS
from klachtflow.definition.model import (
    Action,
    ArchiveNomination,
    DataCheck,
    Direction,
    FieldType,
    Procedure,
    Term,
    TriggerKind,
)

__all__ = ["RESERVED_NAMES", "RESERVED_PREFIXES", "check_procedure"]

#: Names the transitions library uses on its model objects.
RESERVED_NAMES = frozenset({"trigger", "may_trigger", "state", "initial"})
RESERVED_PREFIXES = ("may_", "is_", "to_")

#: kind → (adjective + noun for "unknown ...", noun for "declare a ...").
_NOUN = {
    "status": ("onbekende status", "status"),
    "rol": ("onbekende rol", "rol"),
    "actie": ("onbekende actie", "actie"),
    "termijn": ("onbekende termijn", "termijn"),
    "gegeven": ("onbekend gegeven", "gegeven"),
    "resultaat": ("onbekend resultaat", "resultaat"),
    "kalender": ("onbekende kalender", "kalender"),
}


def _unknown(kind: str, ref: str, known: Iterable[str], path: YamlPath) -> Finding:
    options = sorted(known)
    close = get_close_matches(ref, options, n=1, cutoff=0.6)
    if close:
        hint = f"Bedoelde u '{close[0]}'?"
    elif options:
        shown = ", ".join(options[:12]) + (", ..." if len(options) > 12 else "")
        hint = f"Bekende namen: {shown}."
    else:
        hint = f"Declareer eerst een {_NOUN[kind][1]} met deze naam."
    return ("KF-D004", path, f"{_NOUN[kind][0]} '{ref}'.", hint, False)


def _state_known(procedure: Procedure, ref: str) -> bool:
    try:
        procedure.state(ref)
    except KeyError:
        return False
    return True


def _state_path(procedure: Procedure, name: str) -> YamlPath:
    return state_yaml_path(procedure.states[name].path)


# --------------------------------------------------------------------------- identity


def _check_identity(procedure: Procedure) -> Iterator[Finding]:
    if procedure.schema and procedure.schema not in SCHEMA_VERSIONS:
        yield (
            "KF-D011",
            ("schema",),
            f"schemaversie '{procedure.schema}' wordt door deze versie van "
            "klachtflow niet ondersteund.",
            f"Ondersteund: {', '.join(SCHEMA_VERSIONS)}. Werk klachtflow bij of "
            "pas het bestand aan.",
            False,
        )
    if (
        procedure.valid_until is not None
        and procedure.valid_from is not None
        and procedure.valid_until < procedure.valid_from
    ):
        yield (
            "KF-D010",
            ("geldig_tot",),
            f"geldig_tot ({procedure.valid_until}) ligt vóór geldig_vanaf "
            f"({procedure.valid_from}).",
            None,
            False,
        )


def _check_reserved(procedure: Procedure) -> Iterator[Finding]:
    named: list[tuple[str, YamlPath]] = [
        (name, _state_path(procedure, name)) for name in procedure.states
    ]
    named += [(name, ("acties", name)) for name in procedure.actions]
    for name, path in named:
        if name in RESERVED_NAMES or name.startswith(RESERVED_PREFIXES):
            yield (
                "KF-D009",
                path,
                f"de naam '{name}' is gereserveerd.",
                "Namen 'trigger', 'state', 'initial' en namen die beginnen met may_, "
                "is_ of to_ zijn intern in gebruik; kies een andere naam.",
                True,
            )


# --------------------------------------------------------------------------- states


def _check_structure(procedure: Procedure) -> Iterator[Finding]:
    top = [s for s in procedure.states.values() if s.parent is None]
    starts = [s for s in top if s.is_initial]
    if not starts:
        yield (
            "KF-D020",
            ("statussen",),
            "er is geen beginstatus.",
            "Zet 'begin: true' bij de status waarin elke zaak begint.",
            True,
        )
    for extra in starts[1:]:
        yield (
            "KF-D020",
            _state_path(procedure, extra.name),
            f"er is meer dan één beginstatus ('{starts[0].name}' en '{extra.name}').",
            "Een procedure heeft precies één beginstatus; haal 'begin: true' weg bij "
            "de andere.",
            True,
        )
    for state in starts:
        if state.is_final:
            yield (
                "KF-D020",
                _state_path(procedure, state.name),
                f"de beginstatus '{state.name}' is ook een eindstatus.",
                "Een zaak moet kunnen beginnen voordat ze eindigt.",
                True,
            )
    if not any(s.is_final for s in procedure.states.values()):
        yield (
            "KF-D023",
            ("statussen",),
            "er is geen eindstatus.",
            "Zet 'eind: true' bij de status(sen) waarin een zaak is afgehandeld.",
            True,
        )
    for state in procedure.states.values():
        path = _state_path(procedure, state.name)
        if state.children:
            initial = [c for c in state.children if procedure.states[c].is_initial]
            if len(initial) != 1:
                found = ", ".join(initial) or "geen"
                yield (
                    "KF-D025",
                    path,
                    f"de status '{state.name}' heeft onderliggende statussen, maar "
                    f"niet precies één beginstatus daarbinnen (nu: {found}).",
                    "Zet 'begin: true' bij de onderliggende status waarin een zaak "
                    "terechtkomt als ze deze status binnenkomt.",
                    True,
                )
            if state.is_final:
                yield (
                    "KF-D026",
                    path,
                    f"de eindstatus '{state.name}' heeft onderliggende statussen.",
                    "Een eindstatus is enkelvoudig; zet 'eind: true' bij een "
                    "onderliggende status.",
                    True,
                )


def _leaves(procedure: Procedure, name: str) -> list[str]:
    return [s for s in procedure.descendants(name) if not procedure.states[s].children]


def _check_graph(procedure: Procedure) -> Iterator[Finding]:
    """Reachability from the start and a way out to an end state (KF-D021, KF-D022)."""
    edges: dict[str, set[str]] = {name: set() for name in procedure.states}
    for action in procedure.actions.values():
        if action.target is not None and action.target not in procedure.states:
            continue
        for source in action.sources:
            if source not in procedure.states:
                continue
            for leaf in _leaves(procedure, source):
                edges[leaf].add(
                    procedure.entry_leaf(action.target) if action.target else leaf
                )
    start = procedure.entry_leaf(procedure.initial)
    reached = {start}
    queue = deque([start])
    while queue:
        for nxt in edges[queue.popleft()]:
            if nxt not in reached:
                reached.add(nxt)
                queue.append(nxt)
    live = set(reached)
    for leaf in reached:
        parent = procedure.states[leaf].parent
        while parent is not None:
            live.add(parent)
            parent = procedure.states[parent].parent
    for state in procedure.states.values():
        parent_live = state.parent is None or state.parent in live
        if state.name not in live and parent_live:
            yield (
                "KF-D021",
                _state_path(procedure, state.name),
                f"de status '{state.name}' is onbereikbaar vanuit de beginstatus "
                f"'{procedure.initial}'.",
                "Voeg een actie toe met 'naar: "
                + state.name
                + "' of verwijder de status.",
                True,
            )
    # Backwards from every end state: which leaves can still finish?
    reverse: dict[str, set[str]] = {name: set() for name in edges}
    for leaf, targets in edges.items():
        for target in targets:
            reverse[target].add(leaf)
    finishing = {s.name for s in procedure.states.values() if s.is_final}
    queue = deque(finishing)
    while queue:
        for prev in reverse[queue.popleft()]:
            if prev not in finishing:
                finishing.add(prev)
                queue.append(prev)
    for leaf in sorted(reached - finishing, key=list(procedure.states).index):
        yield (
            "KF-D022",
            _state_path(procedure, leaf),
            f"vanuit de status '{leaf}' kan een zaak nooit een eindstatus bereiken.",
            "Voeg een actie toe die vanuit deze status (of een bovenliggende status) "
            "verder gaat, of maak er een eindstatus van.",
            True,
        )


# --------------------------------------------------------------------------- actions


def _check_field_check(
    procedure: Procedure, check: DataCheck, path: YamlPath
) -> Iterator[Finding]:
    field = procedure.fields.get(check.field)
    if field is None:
        yield _unknown("gegeven", check.field, procedure.fields, (*path, "veld"))
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


def _check_action(procedure: Procedure, action: Action) -> Iterator[Finding]:
    base: YamlPath = ("acties", action.name)
    for index, source in enumerate(action.sources):
        if source not in procedure.states:
            yield _unknown("status", source, procedure.states, (*base, "van", index))
    if action.target is not None and action.target not in procedure.states:
        yield _unknown("status", action.target, procedure.states, (*base, "naar"))
    for index, role in enumerate(sorted(action.roles)):
        if role not in procedure.roles:
            yield _unknown("rol", role, procedure.roles, (*base, "wie", index))
    for index, check in enumerate(action.checks):
        yield from _check_field_check(procedure, check, (*base, "controles", index))
    for index, name in enumerate(action.required):
        if name not in procedure.fields:
            yield _unknown("gegeven", name, procedure.fields, (*base, "vereist", index))
    for index, rule in enumerate(action.separation):
        rpath = (*base, "scheiding", index)
        if rule.kind.value == "niet_partij":
            for role in rule.targets:
                if role not in procedure.roles:
                    yield _unknown(
                        "rol", role, procedure.roles, (*rpath, "niet_partij")
                    )
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
                    yield _unknown(
                        "actie",
                        name,
                        procedure.actions,
                        (*rpath, "niet_uitvoerder_van"),
                    )
        for cindex, check in enumerate(rule.unless):
            yield from _check_field_check(procedure, check, (*rpath, "tenzij", cindex))
    if action.consent is not None:
        yield from _check_parties(
            procedure, action.consent.parties, (*base, "instemming", "van")
        )
    yield from _check_effects(procedure, action, base)
    if action.result is not None and action.result_field is not None:
        yield (
            "KF-D015",
            base,
            "een actie heeft óf 'resultaat' óf 'resultaat_veld', niet beide.",
            None,
            True,
        )
    if action.result is not None and action.result not in procedure.results:
        yield _unknown(
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
        yield _unknown("gegeven", name, procedure.fields, path)
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


def _check_parties(
    procedure: Procedure, parties: Iterable[str], path: YamlPath
) -> Iterator[Finding]:
    for role in parties:
        if role not in procedure.roles:
            yield _unknown("rol", role, procedure.roles, path)
        elif not procedure.roles[role].is_party:
            yield (
                "KF-D014",
                path,
                f"'{role}' is geen partij in de zaak; alleen partijen (soort: partij) "
                "geven instemming.",
                None,
                False,
            )


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
                yield _unknown("termijn", name, procedure.terms, path)
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
                term.extension is None or term.extension.action != action.name
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


# --------------------------------------------------------------------------- terms


def _check_term(procedure: Procedure, term: Term) -> Iterator[Finding]:
    base: YamlPath = ("termijnen", term.name)
    if not term.start:
        yield (
            "KF-D030",
            base,
            f"de termijn '{term.name}' wordt nooit gestart.",
            "Geef 'start' (een actie of een status) of noem de termijn onder "
            "'termijnen: start' bij een actie.",
            True,
        )
    for side in ("start", "stop"):
        for index, trig in enumerate(getattr(term, side)):
            path = (*base, side, index, trig.kind.value)
            if trig.kind is TriggerKind.ACTIE and trig.name not in procedure.actions:
                yield _unknown("actie", trig.name, procedure.actions, path)
            elif trig.kind in (
                TriggerKind.BINNENKOMST,
                TriggerKind.VERTREK,
            ) and not _state_known(procedure, trig.name):
                yield _unknown("status", trig.name, procedure.states, path)
            elif trig.kind is TriggerKind.TERMIJN_VERSTREKEN:
                if trig.name not in procedure.terms:
                    yield _unknown("termijn", trig.name, procedure.terms, path)
                elif trig.name == term.name:
                    yield (
                        "KF-D034",
                        path,
                        f"de termijn '{term.name}' verwijst naar zichzelf.",
                        None,
                        False,
                    )
    if term.calendar != "atw" and term.calendar not in procedure.calendars:
        yield _unknown(
            "kalender",
            term.calendar,
            ["atw", *procedure.calendars],
            (*base, "kalender"),
        )
    if term.from_field is not None:
        field = procedure.fields.get(term.from_field)
        if field is None:
            yield _unknown(
                "gegeven", term.from_field, procedure.fields, (*base, "vanaf_veld")
            )
        elif field.type not in (FieldType.DATUM, FieldType.DATUM_TIJD):
            yield (
                "KF-D016",
                (*base, "vanaf_veld"),
                f"het gegeven '{term.from_field}' is geen datum (type {field.type.value}).",
                "Een termijn rekent vanaf een gegeven met type datum of datum_tijd.",
                False,
            )
    if term.atw_stated and term.atw:
        if term.duration.atw_excluded:
            yield (
                "KF-D033",
                (*base, "atw"),
                f"de Algemene termijnenwet geldt niet voor een termijn van "
                f"{term.duration} (Atw art 4, BWBR0002448).",
                "Haal 'atw: true' weg; klachtflow leidt af of de Atw geldt.",
                False,
            )
        if term.direction is Direction.TERUG:
            yield (
                "KF-D033",
                (*base, "atw"),
                "een terugrekenende termijn wordt niet door de Atw verlengd "
                "(Atw art 1 lid 2, BWBR0002448).",
                "Haal 'atw: true' weg.",
                False,
            )
    if term.extension is not None:
        ext = term.extension
        epath = (*base, "verlenging")
        if ext.action not in procedure.actions:
            yield _unknown("actie", ext.action, procedure.actions, (*epath, "actie"))
        for role in ext.notify:
            if role not in procedure.roles:
                yield _unknown("rol", role, procedure.roles, (*epath, "melden_aan"))
        if ext.further is not None:
            fpath = (*epath, "verder_uitstel")
            if ext.further.action not in procedure.actions:
                yield _unknown(
                    "actie", ext.further.action, procedure.actions, (*fpath, "actie")
                )
            yield from _check_parties(
                procedure, ext.further.consent_of, (*fpath, "instemming_van")
            )


# --------------------------------------------------------------------------- the rest


def _check_results(procedure: Procedure) -> Iterator[Finding]:
    for result in procedure.results.values():
        path: YamlPath = ("resultaten", result.name)
        if result.archive is ArchiveNomination.VERNIETIGEN and result.retention is None:
            yield (
                "KF-D040",
                path,
                f"het resultaat '{result.name}' wordt vernietigd, maar heeft geen "
                "bewaartermijn.",
                "Voeg 'bewaartermijn' toe, bijv. '5 jaar' (Selectielijst 13.1).",
                True,
            )
        if result.archive is ArchiveNomination.BLIJVEND_BEWAREN and result.retention:
            yield (
                "KF-D040",
                (*path, "bewaartermijn"),
                f"het resultaat '{result.name}' wordt blijvend bewaard en heeft dus "
                "geen bewaartermijn.",
                "Haal 'bewaartermijn' weg of kies archiefnominatie: vernietigen.",
                True,
            )


def _check_fields(procedure: Procedure) -> Iterator[Finding]:
    for field in procedure.fields.values():
        path: YamlPath = ("gegevens", field.name)
        has_choices = field.choices is not None or field.choices_from is not None
        if field.type is FieldType.KEUZE and not has_choices:
            yield (
                "KF-D041",
                path,
                f"het gegeven '{field.name}' is een keuze zonder waarden.",
                "Geef 'waarden: [...]' of 'waarden_uit: categorieen' (of kanalen, "
                "domeinen, aanbieders).",
                True,
            )
        elif field.type is FieldType.KEUZE and field.choices and field.choices_from:
            yield (
                "KF-D041",
                path,
                f"het gegeven '{field.name}' heeft zowel 'waarden' als 'waarden_uit'.",
                "Kies één van beide.",
                True,
            )
        elif field.type is not FieldType.KEUZE and has_choices:
            yield (
                "KF-D041",
                path,
                f"het gegeven '{field.name}' heeft waarden, maar is geen keuze "
                f"(type {field.type.value}).",
                "Zet 'type: keuze' of haal de waarden weg.",
                True,
            )
        elif field.choices_from and not procedure.registration.values(
            field.choices_from
        ):
            yield (
                "KF-D041",
                (*path, "waarden_uit"),
                f"de lijst registratie.{field.choices_from} is leeg of ontbreekt.",
                f"Vul registratie.{field.choices_from} met de mogelijke waarden.",
                False,
            )
        if field.visible_to is not None:
            for role in sorted(field.visible_to):
                if role not in procedure.roles:
                    yield _unknown(
                        "rol",
                        role,
                        procedure.roles,
                        (*path, "vertrouwelijk", "zichtbaar_voor"),
                    )


def check_procedure(
    procedure: Procedure,
    *,
    declared_invalid: Mapping[str, Iterable[str]] | None = None,
    broken: Iterable[YamlPath] = (),
) -> list[Finding]:
    """Every semantic finding for ``procedure`` (empty when it is valid).

    ``declared_invalid`` names, per kind ("status", "rol", ...), entries that
    exist in the file but failed their structural check, and ``broken`` the
    paths of structural problems; both only silence follow-up findings of a
    problem already reported.
    """
    skip = {
        f"{_NOUN[kind][0]} '{name}'."
        for kind, names in (declared_invalid or {}).items()
        for name in names
    }
    broken_keys = {path[-1] for path in broken if path}
    findings = [
        f
        for f in _all_findings(
            procedure, broken_keys, bool((declared_invalid or {}).get("status"))
        )
        if not (f[0] == "KF-D004" and f[2] in skip)
        and not (f[0] == "KF-D020" and "begin" in broken_keys)
        and not (f[0] == "KF-D023" and "eind" in broken_keys)
    ]
    return findings


def _all_findings(
    procedure: Procedure, broken_keys: set[str | int], states_broken: bool
) -> list[Finding]:
    findings: list[Finding] = []
    findings += _check_identity(procedure)
    findings += _check_reserved(procedure)
    structure = list(_check_structure(procedure))
    findings += structure
    for action in procedure.actions.values():
        findings += _check_action(procedure, action)
    for term in procedure.terms.values():
        findings += _check_term(procedure, term)
    findings += _check_results(procedure)
    findings += _check_fields(procedure)
    # The graph is only meaningful when its parts are sound: with a broken
    # nesting or an unknown status in an action, reachability findings would
    # be follow-up noise of a problem already reported.
    structure_codes = {f[0] for f in structure}
    broken_refs = any(
        f[0] == "KF-D004"
        and f[1][:1] == ("acties",)
        and f[1][2:3] in {("van",), ("naar",)}
        for f in findings
    )
    graph_sound = not (
        broken_refs
        or states_broken
        or broken_keys & {"begin", "eind", "van", "naar", "statussen"}
        or structure_codes & {"KF-D025", "KF-D026"}
    )
    if procedure.initial and graph_sound:
        findings += _check_graph(procedure)
    return findings
