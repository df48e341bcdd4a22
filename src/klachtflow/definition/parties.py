"""Which party roles of a procedure are the klager, the beklaagde, the belanghebbenden.

The law names people by their place in the case ("de klager", "degene op wiens
gedraging de klacht betrekking heeft", "de belanghebbenden"); a procedure names
roles. These functions map one to the other, for the checks, the engine and
the audit alike.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet

from klachtflow.definition.model import Action, FieldType, Procedure, SeparationKind

__all__ = ["PARTY_KINDS", "complainant_roles", "ground_field", "party_roles"]

#: The kinds of party the law model names.
PARTY_KINDS = ("klager", "beklaagde", "belanghebbenden")


def complainant_roles(p: Procedure) -> frozenset[str]:
    """Party roles on the complainant's side (ZGW initiator and mede_initiator)."""
    return p.derived(
        "complainant-roles",
        lambda: frozenset(
            r.name
            for r in p.roles.values()
            if r.is_party and r.generic in ("initiator", "mede_initiator")
        ),
    )


def _excluded(p: Procedure) -> set[str]:
    return {
        target
        for a in p.actions.values()
        for rule in a.separation
        if rule.kind is SeparationKind.NIET_PARTIJ
        for target in rule.targets
    }


def party_roles(p: Procedure, kind: str) -> frozenset[str]:
    """The party roles of one kind (see :func:`_party_roles`), made once per procedure."""
    return p.derived(("party-roles", kind), lambda: frozenset(_party_roles(p, kind)))


def _party_roles(p: Procedure, kind: str) -> AbstractSet[str]:
    """The party roles of one kind: ``klager``, ``beklaagde`` or ``belanghebbenden``.

    The klager is the initiator (a gemachtigde acts for them); the beklaagde
    every other party; the belanghebbenden the parties with ZGW generic role
    ``belanghebbende`` that no separation rule excludes (not the preparer of
    the contested besluit).
    """
    complainants = complainant_roles(p)
    if kind == "klager":
        return {
            r for r in complainants if p.roles[r].generic == "initiator"
        } or complainants
    parties = {r.name for r in p.roles.values() if r.is_party}
    if kind == "beklaagde":
        return parties - complainants
    return {r for r in parties if p.roles[r].generic == "belanghebbende"} - _excluded(p)


def ground_field(
    p: Procedure, action: Action
) -> tuple[str | None, tuple[str, ...] | None]:
    """The field an action records its ground in, and its choices (``None`` for text).

    Prefers a choice field; ``(None, None)`` when the action records no ground.
    """
    text = None
    for name in action.required:
        field = p.fields.get(name)
        if field is None:
            continue
        if field.type is FieldType.KEUZE:
            if field.choices is not None:
                return name, field.choices
            if field.choices_from is not None:
                return name, p.registration.values(field.choices_from)
        if field.type is FieldType.TEKST and text is None:
            text = name
    return text, None
