"""Semantic checks of the assigned handler (``wijs_toe``, ``wie_toegewezen``) and
of letters (``brief``) on actions: issue #17 items 3 and 6."""

from __future__ import annotations

from collections.abc import Iterator

from klachtflow.definition._build import Finding, YamlPath
from klachtflow.definition._check_actions import check_field_check
from klachtflow.definition._check_common import unknown
from klachtflow.definition.model import Action, FieldType, Procedure, SeparationKind
from klachtflow.definition.notices import NoticeCondition

__all__ = ["check_notices"]


def _assigned_roles(procedure: Procedure) -> dict[str, list[str]]:
    """Role → the actions that assign it."""
    found: dict[str, list[str]] = {}
    for action in procedure.actions.values():
        if action.assigns is not None:
            found.setdefault(action.assigns.role, []).append(action.name)
    return found


def _check_assignment(procedure: Procedure, action: Action) -> Iterator[Finding]:
    assignment = action.assigns
    if assignment is None:
        return
    path: YamlPath = ("acties", action.name, "wijs_toe")
    role = procedure.roles.get(assignment.role)
    if role is None:
        yield unknown("rol", assignment.role, procedure.roles, (*path, "rol"))
    elif role.is_party:
        yield (
            "KF-D060",
            (*path, "rol"),
            f"'{assignment.role}' is een partij in de zaak; toewijzen gaat over een "
            "organisatierol (bijv. behandelaar).",
            "Wijs een organisatierol toe; partijen staan al vast bij de start van de zaak.",
            False,
        )
    field = procedure.fields.get(assignment.field)
    if field is None:
        yield unknown("gegeven", assignment.field, procedure.fields, (*path, "veld"))
    elif field.type is not FieldType.TEKST:
        yield (
            "KF-D061",
            (*path, "veld"),
            f"het gegeven '{assignment.field}' is van type {field.type.value}; de "
            "toegewezen persoon wordt als tekst (een id) vastgelegd.",
            f"Declareer '{assignment.field}' met 'type: tekst'.",
            False,
        )
    parties = [r for r in procedure.roles.values() if r.is_party]
    respondents = [r.name for r in parties if r.generic == "belanghebbende"]
    guarded = any(rule.kind is SeparationKind.NIET_PARTIJ for rule in action.separation)
    if respondents and not guarded:
        yield (
            "KF-D062",
            path,
            f"'{action.name}' wijst een behandelaar toe zonder te toetsen dat die geen "
            f"{respondents[0]} is (Awb 9:7 lid 1).",
            f"Voeg toe: scheiding: [{{niet_partij: [{respondents[0]}]}}]; de regel geldt "
            "dan ook voor wie wordt toegewezen.",
            False,
        )


def _check_assigned_only(
    procedure: Procedure, action: Action, assigned: dict[str, list[str]]
) -> Iterator[Finding]:
    for index, role in enumerate(action.assigned_only):
        path: YamlPath = ("acties", action.name, "wie_toegewezen", index)
        if role not in action.roles:
            yield (
                "KF-D063",
                path,
                f"de rol '{role}' staat niet in 'wie' van deze actie.",
                f"Zet '{role}' in 'wie' of haal haar weg uit 'wie_toegewezen'.",
                False,
            )
        elif role not in assigned:
            yield (
                "KF-D064",
                path,
                f"'{action.name}' vraagt de toegewezen {role}, maar geen actie wijst een "
                f"{role} toe.",
                f"Geef een actie (bijv. wijs_{role}_aan) 'wijs_toe: {{rol: {role}, veld: "
                f"{role}}}'.",
                False,
            )


def _check_condition(
    procedure: Procedure, condition: NoticeCondition | None, path: YamlPath
) -> Iterator[Finding]:
    if condition is None:
        return
    for index, name in enumerate(condition.performed):
        if name not in procedure.actions:
            yield unknown(
                "actie", name, procedure.actions, (*path, "uitgevoerd", index)
            )
    for index, check in enumerate(condition.checks):
        yield from check_field_check(procedure, check, (*path, "controles", index))


def _check_notice(procedure: Procedure, action: Action) -> Iterator[Finding]:
    notice = action.notice
    if notice is None:
        return
    path: YamlPath = ("acties", action.name, "brief")
    for index, role in enumerate(notice.recipients):
        if role not in procedure.roles:
            yield unknown("rol", role, procedure.roles, (*path, "aan", index))
    yield from _check_condition(procedure, notice.required_if, (*path, "vereist_als"))
    names = [a.name for a in notice.attachments]
    for attachment in notice.attachments:
        yield from _check_condition(
            procedure,
            attachment.required_if,
            (*path, "bijlagen_vereist_als", attachment.name),
        )
    for kind, values in (("inhoud", notice.contents), ("bijlagen", names)):
        doubles = sorted({v for v in values if values.count(v) > 1})
        if doubles:
            yield (
                "KF-D065",
                (*path, kind),
                f"'{doubles[0]}' staat twee keer in {kind}.",
                "Noem elke inhoud en bijlage één keer.",
                False,
            )


def check_notices(procedure: Procedure) -> Iterator[Finding]:
    """Every finding on assignments and letters of ``procedure``'s actions."""
    assigned = _assigned_roles(procedure)
    for action in procedure.actions.values():
        yield from _check_assignment(procedure, action)
        yield from _check_assigned_only(procedure, action, assigned)
        yield from _check_notice(procedure, action)
