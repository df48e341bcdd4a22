"""Assignments and letters at fire time (issue #17 items 3 and 6).

:class:`NoticeRules` is built once per engine. For an action it returns the
reasons to refuse (a field of an assignment set by another action, an
assignment without a person or to a party the action excludes, a letter that
is missing or lacks a recipient, its written form, a content or an
attachment) and the letter as the engine seals it in the event's ``inputs``
(key ``brief``, canonical JSON), so it is recorded as a letter sent, not as
free data.

Awb 9:12 lid 1 (BWBR0005537): "Het bestuursorgaan stelt de klager schriftelijk
en gemotiveerd in kennis van de bevindingen van het onderzoek naar de klacht,
zijn oordeel daarover alsmede van de eventuele conclusies die het daaraan
verbindt."
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from klachtflow.definition.model import Action, Procedure
from klachtflow.definition.notices import Notice, NoticeCondition
from klachtflow.exceptions import InvalidArgument
from klachtflow.rules.assignment import assignment_fields
from klachtflow.rules.permissions import (
    Actor,
    Reason,
    ReasonKind,
    check_passes,
    party_exclusion,
)

__all__ = [
    "LETTER_KEY",
    "LETTER_KEYS",
    "NoticeRules",
    "letter_of",
    "letter_problems",
    "normalise_letter",
]

#: The key of the sealed letter in an event's ``inputs``.
LETTER_KEY = "brief"
#: The keys a ``letter=`` argument may have.
LETTER_KEYS = ("aan", "bijlagen", "inhoud", "schriftelijk", "verzonden_op")


def letter_of(inputs: Mapping[str, str]) -> dict[str, Any] | None:
    """The letter recorded in an event's ``inputs``, or None."""
    raw = inputs.get(LETTER_KEY)
    return json.loads(raw) if raw else None


def _names(value: Any, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidArgument(
            parameter=f"fire(letter)[{key!r}]",
            value=value,
            expected="a list of names",
        )
    out = [str(v) for v in value]
    if any(not isinstance(v, str) for v in value):
        raise InvalidArgument(
            parameter=f"fire(letter)[{key!r}]", value=value, expected="a list of names"
        )
    return out


def normalise_letter(letter: Any) -> dict[str, Any] | None:
    """``letter=`` in its recorded form; InvalidArgument for a wrong shape."""
    if letter is None:
        return None
    if not isinstance(letter, Mapping):
        raise InvalidArgument(
            parameter="fire(letter)",
            value=letter,
            expected="a mapping with verzonden_op, aan, inhoud, bijlagen",
        )
    unknown = sorted(set(letter) - set(LETTER_KEYS))
    if unknown:
        raise InvalidArgument(
            parameter="fire(letter)",
            value=letter,
            expected=f"a mapping with only the keys {', '.join(LETTER_KEYS)}",
            detail=f"unknown key {unknown[0]!r}",
        )
    sent = letter.get("verzonden_op")
    if isinstance(sent, str):
        try:
            sent = dt.date.fromisoformat(sent)
        except ValueError:
            sent = None
    if not isinstance(sent, dt.date) or isinstance(sent, dt.datetime):
        raise InvalidArgument(
            parameter="fire(letter)['verzonden_op']",
            value=letter.get("verzonden_op"),
            expected="the date the letter was sent (a date or 'YYYY-MM-DD')",
        )
    written = letter.get("schriftelijk")
    if written is not None and not isinstance(written, bool):
        raise InvalidArgument(
            parameter="fire(letter)['schriftelijk']", value=written, expected="a bool"
        )
    return {
        "aan": sorted(set(_names(letter.get("aan"), "aan"))),
        "bijlagen": sorted(set(_names(letter.get("bijlagen"), "bijlagen"))),
        "inhoud": sorted(set(_names(letter.get("inhoud"), "inhoud"))),
        "schriftelijk": written,
        "verzonden_op": sent.isoformat(),
    }


def _holds(
    condition: NoticeCondition | None,
    performed: frozenset[str],
    data: Mapping[str, Any],
) -> bool:
    if condition is None:
        return True
    if condition.performed and not performed.intersection(condition.performed):
        return False
    return all(check_passes(c, data) for c in condition.checks)


def letter_problems(
    notice: Notice,
    letter: Mapping[str, Any],
    performed: frozenset[str],
    data: Mapping[str, Any],
    today: dt.date,
) -> list[str]:
    """What the recorded ``letter`` lacks against ``notice`` (Dutch, for the error)."""
    problems = []
    if letter["verzonden_op"] > today.isoformat():
        problems.append(
            f"verzonden op {letter['verzonden_op']}, na {today.isoformat()}"
        )
    missing = [r for r in notice.recipients if r not in letter["aan"]]
    if missing:
        problems.append(f"niet verzonden aan: {', '.join(missing)}")
    if notice.written and letter["schriftelijk"] is False:
        problems.append("niet schriftelijk")
    missing = [c for c in notice.contents if c not in letter["inhoud"]]
    if missing:
        problems.append(f"inhoud ontbreekt: {', '.join(missing)}")
    missing = [
        a.name
        for a in notice.attachments
        if a.name not in letter["bijlagen"] and _holds(a.required_if, performed, data)
    ]
    if missing:
        problems.append(f"bijlage ontbreekt: {', '.join(missing)}")
    return problems


@attrs.frozen
class NoticeRules:
    """The assignments and letters of one procedure, ready for fire."""

    procedure: Procedure
    owners: Mapping[str, tuple[str, ...]]

    @classmethod
    def build(cls, procedure: Procedure) -> NoticeRules:
        """Index the assignment fields of ``procedure`` (field → the actions owning it)."""
        owners = {
            field: tuple(a.name for a in actions)
            for field, actions in assignment_fields(procedure).items()
        }
        return cls(procedure, owners)

    def active(self, action: Action, values: Mapping[str, Any], letter: Any) -> bool:
        """Whether :meth:`reasons` has anything to look at (most fires: no)."""
        return bool(
            action.notice is not None
            or action.assigns is not None
            or letter is not None
            or (self.owners and any(f in self.owners for f in values))
        )

    def reasons(  # noqa: PLR0917 - the facts one fire brings
        self,
        action: Action,
        values: Mapping[str, Any],
        letter: Any,
        parties: Mapping[str, Iterable[str]],
        prior: Mapping[str, Any],
        setters: Mapping[str, str],
        performed: frozenset[str],
        today: dt.date,
    ) -> tuple[list[Reason], dict[str, str]]:
        """The reasons to refuse, and the inputs to seal (the letter)."""
        reasons = self._assignment(action, values, parties, prior, setters)
        recorded = normalise_letter(letter)
        inputs: dict[str, str] = {}
        notice = action.notice
        data = {**prior, **values}
        basis = tuple(str(b) for b in notice.basis) if notice is not None else ()
        if notice is None and recorded is not None:
            reasons.append(
                Reason(
                    ReasonKind.BRIEF,
                    f"'{action.name}' verstuurt geen brief.",
                    {"problemen": ("deze actie verstuurt geen brief",)},
                )
            )
        elif notice is not None and recorded is None:
            if _holds(notice.required_if, performed, data):
                reasons.append(
                    Reason(
                        ReasonKind.BRIEF,
                        "De brief ontbreekt.",
                        {"problemen": ("de brief ontbreekt",), "grondslag": basis},
                    )
                )
        elif notice is not None and recorded is not None:
            problems = letter_problems(notice, recorded, performed, data, today)
            if problems:
                reasons.append(
                    Reason(
                        ReasonKind.BRIEF,
                        f"De brief voldoet niet: {'; '.join(problems)}.",
                        {"problemen": tuple(problems), "grondslag": basis},
                    )
                )
            if recorded["schriftelijk"] is None:
                recorded["schriftelijk"] = notice.written
            inputs[LETTER_KEY] = json.dumps(
                recorded, sort_keys=True, separators=(",", ":")
            )
        return reasons, inputs

    def _assignment(
        self,
        action: Action,
        values: Mapping[str, Any],
        parties: Mapping[str, Iterable[str]],
        prior: Mapping[str, Any],
        setters: Mapping[str, str],
    ) -> list[Reason]:
        reasons = []
        for field in values:
            owners = self.owners.get(field)
            if owners and action.name not in owners:
                reasons.append(
                    Reason(
                        ReasonKind.TOEWIJZING,
                        f"'{field}' legt een toewijzing vast; alleen "
                        f"{', '.join(repr(o) for o in owners)} mag het zetten.",
                        {
                            "veld": field,
                            "hint": f"Wijs toe met '{owners[0]}' en laat '{field}' weg "
                            "uit data.",
                        },
                    )
                )
        assignment = action.assigns
        if assignment is None:
            return reasons
        basis = tuple(str(b) for b in assignment.basis)
        person = values.get(assignment.field)
        if not isinstance(person, str) or not person.strip():
            reasons.append(
                Reason(
                    ReasonKind.TOEWIJZING,
                    f"wie wordt {assignment.role}? '{assignment.field}' ontbreekt.",
                    {
                        "veld": assignment.field,
                        "hint": f"Geef de id van de {assignment.role} mee in "
                        f"data={{'{assignment.field}': ...}}.",
                        "grondslag": basis,
                    },
                )
            )
            return reasons
        try:
            assignee = Actor(person)
        except InvalidArgument:
            assignee = None
        if assignee is None:
            excluded = None
        else:
            excluded = party_exclusion(action, assignee, parties, prior, setters)
        if assignee is None or excluded is not None:
            rule_basis = excluded.details["grondslag"] if excluded else ()
            reasons.append(
                Reason(
                    ReasonKind.TOEWIJZING,
                    f"{person} kan niet als {assignment.role} worden toegewezen: "
                    + (
                        "geen geldige id."
                        if assignee is None
                        else f"{assignee.id} is partij in deze zaak "
                        f"({excluded.details['regel'] if excluded else ''})."
                    ),
                    {
                        "veld": assignment.field,
                        "hint": f"Wijs een {assignment.role} toe die niet bij de "
                        "gedraging betrokken is.",
                        "grondslag": basis + tuple(rule_basis),
                    },
                )
            )
        return reasons
