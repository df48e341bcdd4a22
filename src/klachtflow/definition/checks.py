"""Semantic checks over a built procedure: references, the graph, term logic.

Each check is a generator of findings ``(code, yaml_path, message, hint,
at_key)``; the loader turns them into :class:`~klachtflow.DefinitionIssue`
with file:line:column. Structural problems (types, unknown keys) are found
earlier, by :mod:`._spec`. The checks of one action live in
:mod:`._check_actions`, of one term in :mod:`._check_terms`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from klachtflow.definition._build import Finding, YamlPath
from klachtflow.definition._check_actions import check_action
from klachtflow.definition._check_common import NOUN, state_path, unknown
from klachtflow.definition._check_notices import check_notices
from klachtflow.definition._check_terms import check_term
from klachtflow.definition._spec import SCHEMA_VERSIONS
from klachtflow.definition.model import (
    ArchiveNomination,
    FieldType,
    LegalBasis,
    Procedure,
)
from klachtflow.law import find_law, suggest_law

__all__ = ["RESERVED_NAMES", "RESERVED_PREFIXES", "check_procedure"]

#: Names the transitions library uses on its model objects.
RESERVED_NAMES = frozenset({"trigger", "may_trigger", "state", "initial"})
RESERVED_PREFIXES = ("may_", "is_", "to_")

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
        (name, state_path(procedure, name)) for name in procedure.states
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
            state_path(procedure, extra.name),
            f"er is meer dan één beginstatus ('{starts[0].name}' en '{extra.name}').",
            "Een procedure heeft precies één beginstatus; haal 'begin: true' weg bij "
            "de andere.",
            True,
        )
    for state in starts:
        if state.is_final:
            yield (
                "KF-D020",
                state_path(procedure, state.name),
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
        path = state_path(procedure, state.name)
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
                state_path(procedure, state.name),
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
            state_path(procedure, leaf),
            f"vanuit de status '{leaf}' kan een zaak nooit een eindstatus bereiken.",
            "Voeg een actie toe die vanuit deze status (of een bovenliggende status) "
            "verder gaat, of maak er een eindstatus van.",
            True,
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
                    yield unknown(
                        "rol",
                        role,
                        procedure.roles,
                        (*path, "vertrouwelijk", "zichtbaar_voor"),
                    )


def _check_migration(procedure: Procedure) -> Iterator[Finding]:
    for index, role in enumerate(sorted(procedure.migrators)):
        path: YamlPath = ("migratie", "wie", index)
        if role not in procedure.roles:
            yield unknown("rol", role, procedure.roles, path)
        elif procedure.roles[role].is_party:
            yield (
                "KF-D044",
                path,
                f"'{role}' is een partij in de zaak; een partij mag zaken niet "
                "naar een andere procedureversie overzetten.",
                "Noem een organisatierol, bijv. functioneel_beheerder.",
                False,
            )


def _bases(procedure: Procedure) -> Iterator[tuple[YamlPath, LegalBasis]]:
    """Every legal basis in the procedure, with the YAML path of its ``grondslag``."""
    for b in procedure.basis:
        yield ("grondslag",), b
    groups: list[tuple[str, Mapping[str, Any]]] = [
        ("rollen", procedure.roles),
        ("statussen", procedure.states),
        ("acties", procedure.actions),
        ("termijnen", procedure.terms),
        ("resultaten", procedure.results),
    ]
    for key, items in groups:
        for name, item in items.items():
            path: YamlPath = (
                state_path(procedure, name) if key == "statussen" else (key, name)
            )
            for b in item.basis:
                yield (*path, "grondslag"), b
    for name, action in procedure.actions.items():
        for i, rule in enumerate(action.separation):
            for b in rule.basis:
                yield ("acties", name, "scheiding", i, "grondslag"), b
        if action.consent is not None:
            for b in action.consent.basis:
                yield ("acties", name, "instemming", "grondslag"), b
    for name, term in procedure.terms.items():
        if term.extension is not None:
            path = ("termijnen", name, "verlenging")
            for b in term.extension.basis:
                yield (*path, "grondslag"), b
            if term.extension.further is not None:
                for b in term.extension.further.basis:
                    yield (*path, "verder_uitstel", "grondslag"), b


def _check_laws(procedure: Procedure) -> Iterator[Finding]:
    """A law named in ``wet`` is known by abbreviation, full name or BWB id."""
    for path, basis in _bases(procedure):
        if basis.wet is None:
            continue
        law = find_law(basis.wet)
        if law is None and basis.bwb is None:
            close = suggest_law(basis.wet)
            hint = (
                f"Bedoelde u '{close}'?"
                if close
                else "Geef de afkorting (Awb, Wkkgz, Jeugdwet, ...), de volledige naam of "
                "voeg 'bwb: BWBR...' toe."
            )
            yield ("KF-D043", path, f"onbekende wet '{basis.wet}'.", hint, False)
        elif law is not None and basis.bwb is not None and basis.bwb != law.bwb:
            yield (
                "KF-D043",
                path,
                f"de wet '{basis.wet}' heeft BWB-id {law.bwb}, niet {basis.bwb}.",
                f"Gebruik 'bwb: {law.bwb}' of laat 'bwb' weg.",
                False,
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
        f"{NOUN[kind][0]} '{name}'."
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
        findings += check_action(procedure, action)
    findings += check_notices(procedure)
    for term in procedure.terms.values():
        findings += check_term(procedure, term)
    findings += _check_results(procedure)
    findings += _check_fields(procedure)
    findings += _check_migration(procedure)
    findings += _check_laws(procedure)
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
