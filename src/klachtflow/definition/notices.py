"""The assigned handler and letters as parts of an action (issue #17 items 3 and 6).

An :class:`Assignment` (YAML ``acties.<naam>.wijs_toe``) makes the person named
in a data field *the* handler of an organisation role on this case; an action
that lists the role in ``wie_toegewezen`` may then be performed in that role
only by that person. Awb 9:7 lid 1 (BWBR0005537): "De behandeling van de klacht
geschiedt door een persoon die niet bij de gedraging betrokken is geweest":
the person, not anyone with the role.

A :class:`Notice` (YAML ``acties.<naam>.brief``) is a letter the action sends:
to whom, whether in writing, the contents it must have and the attachments it
must carry, each possibly required only on a route (``vereist_als``). Awb 9:12
lid 1: "Het bestuursorgaan stelt de klager schriftelijk en gemotiveerd in
kennis van de bevindingen van het onderzoek naar de klacht, zijn oordeel
daarover alsmede van de eventuele conclusies die het daaraan verbindt."
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from klachtflow.definition.model import DataCheck, LegalBasis

__all__ = ["Assignment", "Notice", "NoticeAttachment", "NoticeCondition"]


@attrs.frozen
class Assignment:
    """Who handles the case in ``role`` (YAML ``wijs_toe``): the id in ``field``.

    Only the action that assigns may set ``field``; firing it again reassigns,
    and each assignment stays in the sealed history as the change of
    ``field``.
    """

    role: str
    field: str
    basis: tuple[LegalBasis, ...] = ()


@attrs.frozen
class NoticeCondition:
    """When a letter or attachment is required (YAML ``vereist_als``).

    It holds when one of ``performed`` (YAML ``uitgevoerd``: the route taken)
    was performed on the case, if any are named, and every data check of
    ``checks`` (YAML ``controles``) passes.
    """

    performed: tuple[str, ...] = ()
    checks: tuple[DataCheck, ...] = ()

    def __str__(self) -> str:
        parts = []
        if self.performed:
            parts.append(f"na {' of '.join(repr(a) for a in self.performed)}")
        parts.extend(str(c) for c in self.checks)
        return " en ".join(parts)


@attrs.frozen
class NoticeAttachment:
    """An attachment a letter must carry (YAML ``bijlagen[]``), perhaps only on a route."""

    name: str
    required_if: NoticeCondition | None = None


@attrs.frozen
class Notice:
    """A letter the action sends (YAML ``brief``), recorded as such in the history.

    ``recipients`` are roles (YAML ``aan``); ``written`` says it must be in
    writing (``schriftelijk``); ``contents`` (``inhoud``) are what it must say;
    ``attachments`` (``bijlagen``) what it must carry. With ``required_if``
    (``vereist_als``) the letter is only required on that route.
    """

    recipients: tuple[str, ...]
    written: bool = False
    contents: tuple[str, ...] = ()
    attachments: tuple[NoticeAttachment, ...] = ()
    required_if: NoticeCondition | None = None
    title: str | None = None
    basis: tuple[LegalBasis, ...] = ()
