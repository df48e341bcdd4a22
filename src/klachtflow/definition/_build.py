"""Structurally valid YAML data → the frozen IR of :mod:`klachtflow.definition.model`.

The builder trusts :mod:`._spec` for types (every value here has passed its
structural check or was dropped) and reports only what needs the whole
procedure in view: duplicate state names across levels. References and the
graph are checked afterwards, over the IR, by :mod:`.checks`.

Dutch key → IR field mapping (see also ``docs/reference/glossary.md``):

=====================  ==========================
YAML                   IR
=====================  ==========================
rollen                 Procedure.roles
statussen              Procedure.states (flat, by name; State.path is dotted)
acties.van / naar      Action.sources / Action.target
acties.wie             Action.roles
acties.voorwaarden     Action.conditions
acties.controles       Action.checks
acties.vereist         Action.required
acties.scheiding       Action.separation
acties.instemming      Action.consent
acties.wijs_toe        Action.assigns (Assignment)
acties.wie_toegewezen  Action.assigned_only
acties.brief           Action.notice (Notice)
termijnen.duur         Term.duration
resultaten             Procedure.results
gegevens               Procedure.fields
=====================  ==========================
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from klachtflow.definition.model import (
    Action,
    ArchiveNomination,
    Calendar,
    Consent,
    DataCheck,
    DataField,
    Direction,
    Extension,
    FieldType,
    FurtherDelay,
    LegalBasis,
    Procedure,
    Registration,
    Result,
    Role,
    RoleKind,
    SeparationKind,
    SeparationRule,
    State,
    Term,
    TermAnchor,
    TermEffects,
    TermKind,
    TermTrigger,
    TriggerKind,
    ZgwSettings,
)
from klachtflow.definition.notices import (
    Assignment,
    Notice,
    NoticeAttachment,
    NoticeCondition,
)
from klachtflow.law import atw_default, find_law

__all__ = ["WILDCARD", "Finding", "build", "content_digest", "state_yaml_path"]

#: ``van: "*"``: every top-level state that is not an end state.
WILDCARD = "*"

YamlPath = tuple[str | int, ...]
#: (code, yaml path, message, hint, point at the key rather than the value)
Finding = tuple[str, YamlPath, str, str | None, bool]
Report = Callable[[str, YamlPath, str, str | None, bool], None]


def content_digest(data: Any) -> str:
    """SHA-256 over the canonical JSON of the normalised procedure data.

    Comments, layout and equivalent spellings (``wie: x`` and ``wie: [x]``,
    "1 weken" and "1 week") give the same digest; any change of meaning does not.
    """
    canonical = json.dumps(
        data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def state_yaml_path(dotted: str) -> YamlPath:
    """``formele_klacht.horen`` → ``('statussen', 'formele_klacht', 'statussen', 'horen')``."""
    out: list[str | int] = []
    for part in dotted.split("."):
        out.extend(("statussen", part))
    return tuple(out)


def _title(name: str) -> str:
    return name.replace("_", " ")


def _basis(raw: Mapping[str, Any]) -> tuple[LegalBasis, ...]:
    out = []
    for item in raw.get("grondslag", ()):
        wet = item.get("wet")
        known = find_law(wet) if wet else None
        bwb = item.get("bwb") or (known.bwb if known else None)
        out.append(
            LegalBasis(
                wet=wet,
                artikel=item.get("artikel"),
                lid=item.get("lid"),
                onderdeel=item.get("onderdeel"),
                bwb=bwb,
                regeling=item.get("regeling"),
                explicit_url=item.get("url"),
                toelichting=item.get("toelichting"),
            )
        )
    return tuple(out)


def _role_checks(raw: Any) -> tuple[tuple[str, tuple[DataCheck, ...]], ...]:
    """``wie_alleen_als``; entries that failed their structural check are left out."""
    if not isinstance(raw, dict):
        return ()
    return tuple(
        (role, _checks(checks))
        for role, checks in raw.items()
        if isinstance(checks, list)
    )


def _checks(raw: list[Mapping[str, Any]]) -> tuple[DataCheck, ...]:
    out = []
    ops = ("is", "in", "aanwezig", "voor", "na", "gelijk_aan_veld", "anders_dan_veld")
    for item in raw:
        op = next(k for k in ops if k in item)
        value = tuple(item[op]) if op == "in" else item[op]
        out.append(
            DataCheck(field=item["veld"], op=op, value=value, margin=item.get("marge"))
        )
    return tuple(out)


def _condition(raw: Any) -> NoticeCondition | None:
    """``vereist_als``; None when absent or structurally broken."""
    if not isinstance(raw, Mapping):
        return None
    return NoticeCondition(
        performed=tuple(raw.get("uitgevoerd", ())),
        checks=_checks(raw.get("controles", ())),
    )


def _assignment(raw: Any) -> Assignment | None:
    if not isinstance(raw, Mapping):
        return None
    return Assignment(role=raw["rol"], field=raw["veld"], basis=_basis(raw))


def _notice(raw: Any) -> Notice | None:
    if not isinstance(raw, Mapping):
        return None
    conditional = raw.get("bijlagen_vereist_als", {})
    return Notice(
        recipients=tuple(raw["aan"]),
        written=raw.get("schriftelijk", False),
        contents=tuple(raw.get("inhoud", ())),
        attachments=tuple(
            NoticeAttachment(name, _condition(conditional.get(name)))
            for name in raw.get("bijlagen", ())
        ),
        required_if=_condition(raw.get("vereist_als")),
        title=raw.get("titel"),
        basis=_basis(raw),
    )


class _Builder:
    def __init__(self, data: Mapping[str, Any], report: Report) -> None:
        self.data = data
        self.report = report
        self.states: dict[str, State] = {}
        self.state_paths: dict[str, YamlPath] = {}

    # ------------------------------------------------------------------ states

    def states_from(
        self, block: Mapping[str, Any], parent: State | None, yaml_path: YamlPath
    ) -> list[str]:
        names = []
        for name, raw in block.items():
            path = (*yaml_path, "statussen", name)
            if not isinstance(raw, Mapping):
                continue
            if name in self.states:
                earlier = self.states[name].path
                self.report(
                    "KF-D024",
                    path,
                    f"de statusnaam '{name}' komt al voor (als '{earlier}').",
                    "Elke status heeft een unieke naam, ook als ze op verschillende "
                    "niveaus staan; hernoem een van beide.",
                    True,
                )
                continue
            dotted = f"{parent.path}.{name}" if parent else name
            # Register before the children so they can name their parent.
            self.states[name] = State(name=name, path=dotted, title=name)
            self.state_paths[name] = path
            children = self.states_from(
                raw.get("statussen", {}), self.states[name], path
            )
            self.states[name] = State(
                name=name,
                path=dotted,
                title=raw.get("titel", _title(name)),
                parent=parent.name if parent else None,
                children=tuple(children),
                is_initial=raw.get("begin", False),
                is_final=raw.get("eind", False),
                tags=frozenset(raw.get("kenmerken", ())),
                informs=raw.get("informeren", False),
                status_text=raw.get("statustekst"),
                description=raw.get("omschrijving"),
                basis=_basis(raw),
            )
            names.append(name)
        return names

    def resolve_state(self, ref: str) -> str:
        """A state reference (name or dotted path) → its name; unknown refs unchanged."""
        if ref in self.states:
            return ref
        for state in self.states.values():
            if state.path == ref:
                return state.name
        return ref

    # ------------------------------------------------------------------ actions

    def action(self, name: str, raw: Mapping[str, Any]) -> Action:
        sources: list[str] = []
        for ref in raw["van"]:
            if ref == WILDCARD:
                sources.extend(
                    s.name
                    for s in self.states.values()
                    if s.parent is None and not s.is_final
                )
            else:
                sources.append(self.resolve_state(ref))
        effects = raw.get("termijnen", {})
        consent_raw = raw.get("instemming")
        return Action(
            name=name,
            title=raw.get("titel", _title(name)),
            sources=tuple(dict.fromkeys(sources)),
            target=self.resolve_state(raw["naar"]) if "naar" in raw else None,
            roles=frozenset(raw["wie"]),
            conditions=tuple(raw.get("voorwaarden", ())),
            checks=_checks(raw.get("controles", ())),
            required=tuple(raw.get("vereist", ())),
            separation=tuple(
                SeparationRule(
                    kind=SeparationKind.NIET_PARTIJ
                    if "niet_partij" in rule
                    else SeparationKind.NIET_UITVOERDER_VAN,
                    targets=tuple(
                        rule.get("niet_partij") or rule.get("niet_uitvoerder_van")
                    ),
                    unless=_checks(rule.get("tenzij", ())),
                    message=rule.get("melding"),
                    basis=_basis(rule),
                )
                for rule in raw.get("scheiding", ())
            ),
            consent=Consent(
                parties=tuple(consent_raw["van"]),
                written=consent_raw.get("schriftelijk", False),
                basis=_basis(consent_raw),
            )
            if consent_raw
            else None,
            terms=TermEffects(
                start=tuple(effects.get("start", ())),
                stop=tuple(effects.get("stop", ())),
                suspend=tuple(effects.get("opschorten", ())),
                resume=tuple(effects.get("hervatten", ())),
                extend=tuple(effects.get("verlengen", ())),
                delay=tuple(effects.get("uitstellen", ())),
            ),
            result=raw.get("resultaat"),
            result_field=raw.get("resultaat_veld"),
            informs=raw.get("informeren", False),
            description=raw.get("omschrijving"),
            basis=_basis(raw),
            after_expiry=tuple(raw.get("pas_na_verstrijken", ())),
            before_expiry=tuple(raw.get("alleen_voor_verstrijken", ())),
            role_checks=_role_checks(raw.get("wie_alleen_als")),
            assigns=_assignment(raw.get("wijs_toe")),
            assigned_only=tuple(raw.get("wie_toegewezen", ())),
            notice=_notice(raw.get("brief")),
        )

    # ------------------------------------------------------------------ terms

    def trigger(self, raw: Mapping[str, Any]) -> TermTrigger:
        key, value = next(iter(raw.items()))
        kind = TriggerKind(key)
        if kind in (TriggerKind.BINNENKOMST, TriggerKind.VERTREK):
            value = self.resolve_state(value)
        return TermTrigger(kind=kind, name=value)

    def term(self, name: str, raw: Mapping[str, Any]) -> Term:
        duration = raw["duur"]
        direction = Direction(raw.get("richting", "vooruit"))
        basis = _basis(raw)
        # Atw art 1: only a term the statute sets; a local term only when its
        # regulation says so (``atw: true``). Art 4 and art 1 lid 2 on top.
        statutory = atw_default(
            [(b.bwb, b.artikel, b.lid, b.onderdeel) for b in basis if b.bwb],
            local=any(b.regeling for b in basis),
        )
        derived = (
            statutory and not duration.atw_excluded and direction is Direction.VOORUIT
        )
        ext = raw.get("verlenging")
        extension = None
        if ext:
            further = ext.get("verder_uitstel")
            extension = Extension(
                maximum=ext["maximaal"],
                actions=tuple(dict.fromkeys(ext["actie"])),
                notify=tuple(ext.get("melden_aan", ())),
                after_expiry=ext.get("ook_na_verstrijken", False),
                further=FurtherDelay(
                    action=further["actie"],
                    consent_of=tuple(further["instemming_van"]),
                    written=further.get("schriftelijk", True),
                    basis=_basis(further),
                )
                if further
                else None,
                basis=_basis(ext),
            )
        return Term(
            name=name,
            title=raw.get("titel", _title(name)),
            duration=duration,
            start=tuple(self.trigger(t) for t in raw.get("start", ())),
            stop=tuple(self.trigger(t) for t in raw.get("stop", ())),
            calendar=raw.get("kalender", "atw"),
            kind=TermKind(raw.get("soort", "fataal")),
            extension=extension,
            suspendable=raw.get("opschortbaar", False),
            warning=raw.get("waarschuwing"),
            warning_to=tuple(dict.fromkeys(raw.get("waarschuwing_aan", ()))),
            atw=raw.get("atw", derived),
            atw_stated="atw" in raw,
            direction=direction,
            anchor=TermAnchor(raw.get("anker", "gekoppeld")),
            from_field=raw.get("vanaf_veld"),
            description=raw.get("omschrijving"),
            basis=basis,
            runs_on=raw.get("loopt_door_na_einde", False),
        )

    # ------------------------------------------------------------------ whole

    def build(self, *, digest: str, source: str, text: str) -> Procedure:
        data = self.data
        self.states_from(data.get("statussen", {}), None, ())
        roles = {
            name: Role(
                name=name,
                kind=RoleKind(raw["soort"]),
                generic=raw["omschrijving_generiek"],
                title=raw.get("titel", _title(name)),
                description=raw.get("omschrijving"),
                basis=_basis(raw),
            )
            for name, raw in data.get("rollen", {}).items()
            if isinstance(raw, Mapping)
        }
        actions = {
            name: self.action(name, raw)
            for name, raw in data.get("acties", {}).items()
            if isinstance(raw, Mapping)
        }
        terms = {
            name: self.term(name, raw)
            for name, raw in data.get("termijnen", {}).items()
            if isinstance(raw, Mapping)
        }
        actions, terms = _link_terms(actions, terms)
        results = {
            name: Result(
                name=name,
                title=raw.get("titel", _title(name)),
                archive=ArchiveNomination(raw["archiefnominatie"]),
                retention=raw.get("bewaartermijn"),
                selection_class=raw.get("selectielijstklasse"),
                description=raw.get("omschrijving"),
                basis=_basis(raw),
            )
            for name, raw in data.get("resultaten", {}).items()
            if isinstance(raw, Mapping)
        }
        fields = {
            name: DataField(
                name=name,
                type=FieldType(raw["type"]),
                title=raw.get("titel", _title(name)),
                choices=tuple(raw["waarden"]) if "waarden" in raw else None,
                choices_from=raw.get("waarden_uit"),
                visible_to=frozenset(raw["vertrouwelijk"]["zichtbaar_voor"])
                if "vertrouwelijk" in raw
                else None,
                personal=raw.get("persoonsgegeven", False),
                description=raw.get("omschrijving"),
            )
            for name, raw in data.get("gegevens", {}).items()
            if isinstance(raw, Mapping)
        }
        calendars = {
            name: Calendar(
                name=name,
                closing_days=tuple(sorted(set(raw.get("sluitingsdagen", ())))),
                title=raw.get("titel"),
                description=raw.get("omschrijving"),
                good_friday=raw.get("goede_vrijdag", False),
                designated_days=raw.get("gelijkgestelde_dagen", False),
            )
            for name, raw in data.get("kalenders", {}).items()
            if isinstance(raw, Mapping)
        }
        reg = data.get("registratie", {})
        initial = next(
            (s.name for s in self.states.values() if s.parent is None and s.is_initial),
            "",
        )
        return Procedure(
            schema=data.get("schema", ""),
            name=data.get("naam", ""),
            title=data.get("titel", ""),
            version=data.get("versie", ""),
            valid_from=data.get("geldig_vanaf", dt.date.min),
            valid_until=data.get("geldig_tot"),
            regime=data.get("regime", "eigen"),
            description=data.get("omschrijving"),
            basis=_basis(data),
            initial=initial,
            roles=roles,
            states=self.states,
            actions=actions,
            terms=terms,
            results=results,
            fields=fields,
            calendars=calendars,
            registration=Registration(
                categories=tuple(reg.get("categorieen", ())),
                channels=tuple(reg.get("kanalen", ())),
                domains=tuple(reg.get("domeinen", ())),
                providers=tuple(reg.get("aanbieders", ())),
            ),
            digest=digest,
            source=source,
            text=text,
            migrators=frozenset(
                data["migratie"].get("wie", ())
                if isinstance(data.get("migratie"), Mapping)
                else ()
            ),
            zgw=_zgw(data.get("zgw")),
        )


def _zgw(raw: Mapping[str, Any] | None) -> ZgwSettings | None:
    """The ``zgw`` block; None when absent or structurally broken."""
    if not isinstance(raw, Mapping) or not all(key in raw for key in _ZGW_REQUIRED):
        return None
    listed = raw.get("eigenschappen")
    return ZgwSettings(
        **{key: raw[key] for key in _ZGW_REQUIRED},
        identificatie=raw.get("identificatie"),
        omschrijving=raw.get("omschrijving"),
        doorlooptijd_termijn=raw.get("doorlooptijd_termijn"),
        eindstatus=raw.get("eindstatus"),
        eigenschappen=tuple(listed) if listed is not None else None,
        selectielijst_jaar=raw.get("selectielijst_jaar"),
    )


_ZGW_REQUIRED = (
    "doel",
    "aanleiding",
    "onderwerp",
    "handeling_initiator",
    "handeling_behandelaar",
    "verantwoordelijke",
    "vertrouwelijkheidaanduiding",
    "indicatie_intern_of_extern",
    "publicatie_indicatie",
    "referentieproces",
)


def _link_terms(
    actions: dict[str, Action], terms: dict[str, Term]
) -> tuple[dict[str, Action], dict[str, Term]]:
    """Make start/stop/extend visible from both sides.

    A term may name the action that starts it (``start: [{actie: x}]``) and an
    action may name the terms it starts (``termijnen: {start: [t]}``); both
    mean the same, so the IR carries the union on both objects. The extension
    and further-delay actions named in ``verlenging`` likewise become effects
    of those actions.
    """
    starts: dict[str, set[str]] = {
        a: set(act.terms.start) for a, act in actions.items()
    }
    stops: dict[str, set[str]] = {a: set(act.terms.stop) for a, act in actions.items()}
    extends: dict[str, set[str]] = {
        a: set(act.terms.extend) for a, act in actions.items()
    }
    delays: dict[str, set[str]] = {
        a: set(act.terms.delay) for a, act in actions.items()
    }
    new_terms = {}
    for name, term in terms.items():
        for trig in term.start:
            if trig.kind is TriggerKind.ACTIE and trig.name in starts:
                starts[trig.name].add(name)
        for trig in term.stop:
            if trig.kind is TriggerKind.ACTIE and trig.name in stops:
                stops[trig.name].add(name)
        for extender in term.extension.actions if term.extension else ():
            if extender in extends:
                extends[extender].add(name)
        if (
            term.extension
            and term.extension.further
            and term.extension.further.action in delays
        ):
            delays[term.extension.further.action].add(name)
        extra_start = tuple(
            TermTrigger(TriggerKind.ACTIE, a)
            for a, act in actions.items()
            if name in act.terms.start
            and TermTrigger(TriggerKind.ACTIE, a) not in term.start
        )
        extra_stop = tuple(
            TermTrigger(TriggerKind.ACTIE, a)
            for a, act in actions.items()
            if name in act.terms.stop
            and TermTrigger(TriggerKind.ACTIE, a) not in term.stop
        )
        new_terms[name] = attrs.evolve(
            term, start=term.start + extra_start, stop=term.stop + extra_stop
        )

    def ordered(values: set[str]) -> tuple[str, ...]:
        return tuple(t for t in terms if t in values)

    new_actions = {
        a: attrs.evolve(
            act,
            terms=attrs.evolve(
                act.terms,
                start=ordered(starts[a])
                + tuple(sorted(set(act.terms.start) - set(terms))),
                stop=ordered(stops[a])
                + tuple(sorted(set(act.terms.stop) - set(terms))),
                extend=ordered(extends[a])
                + tuple(sorted(set(act.terms.extend) - set(terms))),
                delay=ordered(delays[a])
                + tuple(sorted(set(act.terms.delay) - set(terms))),
            ),
        )
        for a, act in actions.items()
    }
    return new_actions, new_terms


def build(
    data: Mapping[str, Any], report: Report, *, digest: str, source: str, text: str
) -> tuple[Procedure, dict[str, YamlPath]]:
    """Build the IR; also return each state's YAML path (for positions)."""
    builder = _Builder(data, report)
    procedure = builder.build(digest=digest, source=source, text=text)
    return procedure, builder.state_paths
