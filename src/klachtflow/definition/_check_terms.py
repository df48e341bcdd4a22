"""Semantic checks of one term: that it starts, its triggers and parties, its
``vanaf_veld``, and whether the Algemene termijnenwet can apply."""

from __future__ import annotations

from collections.abc import Iterator

from klachtflow.definition._build import Finding, YamlPath
from klachtflow.definition._check_actions import check_parties
from klachtflow.definition._check_common import state_known, unknown
from klachtflow.definition.model import (
    Direction,
    FieldType,
    Procedure,
    Term,
    TriggerKind,
)

__all__ = ["check_term"]


def check_term(procedure: Procedure, term: Term) -> Iterator[Finding]:
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
                yield unknown("actie", trig.name, procedure.actions, path)
            elif trig.kind in (
                TriggerKind.BINNENKOMST,
                TriggerKind.VERTREK,
            ) and not state_known(procedure, trig.name):
                yield unknown("status", trig.name, procedure.states, path)
            elif trig.kind is TriggerKind.TERMIJN_VERSTREKEN:
                if trig.name not in procedure.terms:
                    yield unknown("termijn", trig.name, procedure.terms, path)
                elif trig.name == term.name:
                    yield (
                        "KF-D034",
                        path,
                        f"de termijn '{term.name}' verwijst naar zichzelf.",
                        None,
                        False,
                    )
    if term.calendar != "atw" and term.calendar not in procedure.calendars:
        yield unknown(
            "kalender",
            term.calendar,
            ["atw", *procedure.calendars],
            (*base, "kalender"),
        )
    if term.from_field is not None:
        field = procedure.fields.get(term.from_field)
        if field is None:
            yield unknown(
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
    yield from _check_warning(procedure, term, base)
    if term.extension is not None:
        ext = term.extension
        epath = (*base, "verlenging")
        for index, extender in enumerate(ext.actions):
            if extender not in procedure.actions:
                apath = (
                    (*epath, "actie")
                    if len(ext.actions) == 1
                    else (*epath, "actie", index)
                )
                yield unknown("actie", extender, procedure.actions, apath)
        for role in ext.notify:
            if role not in procedure.roles:
                yield unknown("rol", role, procedure.roles, (*epath, "melden_aan"))
        if ext.further is not None:
            fpath = (*epath, "verder_uitstel")
            if ext.further.action not in procedure.actions:
                yield unknown(
                    "actie", ext.further.action, procedure.actions, (*fpath, "actie")
                )
            yield from check_parties(
                procedure, ext.further.consent_of, (*fpath, "instemming_van")
            )


def _check_warning(
    procedure: Procedure, term: Term, base: YamlPath
) -> Iterator[Finding]:
    """``waarschuwing_aan``: known roles, and only with a ``waarschuwing``."""
    path = (*base, "waarschuwing_aan")
    if term.warning_to and term.warning is None:
        yield (
            "KF-D055",
            path,
            f"de termijn '{term.name}' noemt wie gewaarschuwd wordt, maar niet wanneer.",
            "Geef ook 'waarschuwing', bijv. 'waarschuwing: 5 werkdagen', of haal "
            "'waarschuwing_aan' weg.",
            False,
        )
    for index, role in enumerate(term.warning_to):
        if role not in procedure.roles:
            rpath = path if len(term.warning_to) == 1 else (*path, index)
            yield unknown("rol", role, procedure.roles, rpath)
