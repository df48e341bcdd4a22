"""Every error klachtflow raises, in one import-cycle-free module.

All exceptions derive from :class:`KlachtflowError`, carry their data as
attributes (tests and the CLI read attributes, never message strings) and a
``hint`` that says what to do. Texts meant for policy staff are Dutch; the
stable ``code`` (``KF-D004``) ties the text to its documentation page.
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import get_close_matches

import attrs

__all__ = [
    "DefinitionError",
    "DefinitionIssue",
    "KlachtflowError",
    "TermError",
    "UnknownTemplate",
]


class KlachtflowError(Exception):
    """Base class of every klachtflow error.

    ``code`` is a stable identifier documented in ``docs/reference/errors.md``;
    ``hint`` tells the reader what to do about it (or is ``None``).
    """

    code: str = "KF-E000"

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@attrs.frozen
class DefinitionIssue:
    """One problem found in a procedure file.

    Not an exception: a :class:`DefinitionError` carries all issues found in
    one pass. ``line`` and ``column`` are 1-based; ``path`` is the YAML path
    (``acties.verdaag.naar``), empty for problems with the file as a whole.
    """

    code: str
    message: str
    source: str = "<tekst>"
    line: int = 1
    column: int = 1
    path: str = ""
    hint: str | None = None

    @property
    def location(self) -> str:
        """``file:line:column``, the form editors and CI logs link to."""
        return f"{self.source}:{self.line}:{self.column}"

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        text = f"{self.location}  {where}{self.message} ({self.code})"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready mapping (used by ``klachtflow validate --format json``)."""
        return {
            "code": self.code,
            "bron": self.source,
            "regel": self.line,
            "kolom": self.column,
            "pad": self.path,
            "melding": self.message,
            "hint": self.hint,
        }


def _sort_key(issue: DefinitionIssue) -> tuple[str, int, int, str]:
    return (issue.source, issue.line, issue.column, issue.code)


class DefinitionError(KlachtflowError, ValueError):
    """A procedure definition is invalid; ``issues`` lists every problem found.

    The issues are sorted by position. The message renders all of them, one
    per line, so a policy officer fixes the whole file in one round.
    """

    def __init__(self, issues: Iterable[DefinitionIssue]) -> None:
        ordered = tuple(sorted(set(issues), key=_sort_key))
        if not ordered:
            msg = "DefinitionError needs at least one DefinitionIssue."
            raise ValueError(msg)
        self.issues = ordered
        self.code = ordered[0].code
        count = len(ordered)
        noun = "probleem" if count == 1 else "problemen"
        lines = [f"De procedure is ongeldig: {count} {noun} gevonden."]
        lines.extend(str(issue) for issue in ordered)
        super().__init__("\n".join(lines), hint=ordered[0].hint)

    @classmethod
    def single(
        cls,
        *,
        code: str,
        message: str,
        source: str = "<tekst>",
        line: int = 1,
        column: int = 1,
        path: str = "",
        hint: str | None = None,
    ) -> DefinitionError:
        """Build an error that holds exactly one issue."""
        return cls(
            [
                DefinitionIssue(
                    code=code,
                    message=message,
                    source=source,
                    line=line,
                    column=column,
                    path=path,
                    hint=hint,
                )
            ]
        )


class TermError(KlachtflowError, ValueError):
    """A term cannot be computed or changed as asked (e.g. a term in hours, an
    extension beyond the maximum). Messages are Dutch; ``hint`` says what to do."""

    code = "KF-R001"


class UnknownTemplate(KlachtflowError, LookupError):
    """No built-in template has the requested name; ``known`` lists those that do."""

    code = "KF-T001"

    def __init__(self, name: str, known: Iterable[str]) -> None:
        self.name = name
        self.known = tuple(sorted(known))
        close = get_close_matches(name, self.known, n=1)
        hint = f"Bedoelde u '{close[0]}'?" if close else None
        available = ", ".join(self.known) or "geen"
        super().__init__(
            f"Onbekend sjabloon '{name}'. Beschikbaar: {available}.",
            hint=hint or "Bekijk de lijst met: klachtflow templates",
        )
