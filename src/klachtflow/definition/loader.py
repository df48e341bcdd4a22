"""Load a procedure from YAML: parse safely, check everything, build the IR."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from klachtflow.definition import _spec
from klachtflow.definition._build import Finding, build, content_digest
from klachtflow.definition._yaml import Document, decode_bytes, dotted, read_yaml
from klachtflow.definition.checks import check_procedure
from klachtflow.definition.model import Procedure
from klachtflow.exceptions import DefinitionError, DefinitionIssue, InvalidArgument

__all__ = ["load_procedure", "loads_procedure", "locator"]


def _issue(document: Document, finding: Finding) -> DefinitionIssue:
    code, path, message, hint, at_key = finding
    line, column = document.mark(path, key=at_key)
    return DefinitionIssue(
        code=code,
        message=message,
        source=document.source,
        line=line,
        column=column,
        path=dotted(path),
        hint=hint,
    )


_KINDS = {
    "rollen": "rol",
    "acties": "actie",
    "termijnen": "termijn",
    "gegevens": "gegeven",
    "resultaten": "resultaat",
    "kalenders": "kalender",
}


def _declared_invalid(data: dict[str, Any]) -> dict[str, list[str]]:
    """Names of entries that exist but failed their structural check, per kind."""
    out: dict[str, list[str]] = {
        kind: [n for n, v in (data.get(key) or {}).items() if v is _spec.INVALID]
        for key, kind in _KINDS.items()
    }
    states: list[str] = []
    stack = [data.get("statussen") or {}]
    while stack:
        for name, raw in stack.pop().items():
            if raw is _spec.INVALID:
                states.append(name)
            else:
                stack.append(raw.get("statussen") or {})
    out["status"] = states
    return out


def loads_procedure(text: str, *, source: str = "<tekst>") -> Procedure:
    """Parse and validate a procedure from YAML text.

    Raises :class:`~klachtflow.DefinitionError` listing every problem found,
    each with line, column, YAML path, a Dutch message and a hint. Nothing
    else escapes for bad input.
    """
    if not isinstance(text, str):
        raise InvalidArgument(
            parameter="loads_procedure(text)",
            value=text,
            expected="the YAML text as a str",
            detail="use load_procedure(path) for a file",
        )
    if not isinstance(source, str):
        raise InvalidArgument(
            parameter="loads_procedure(source)", value=source, expected="a str"
        )
    document, issues = read_yaml(text, source)
    if document is None:
        raise DefinitionError(issues)
    findings: list[Finding] = []

    def report(
        code: str,
        path: tuple[str | int, ...],
        message: str,
        hint: str | None,
        at_key: bool,
    ) -> None:
        findings.append((code, path, message, hint, at_key))

    if not isinstance(document.data, dict):
        report(
            "KF-D003",
            (),
            "Een procedure is een blok met sleutels (schema, naam, titel, ...), "
            "geen losse waarde of lijst.",
            "Begin met een sjabloon: klachtflow init gemeente-awb > klacht.yaml",
            False,
        )
        raise DefinitionError([*issues, *(_issue(document, f) for f in findings)])
    data = _spec.validate(document.data, report)
    procedure, _ = build(
        data,
        report,
        digest=content_digest(data),
        source=source,
        text=text,
    )
    findings.extend(
        check_procedure(
            procedure,
            declared_invalid=_declared_invalid(data),
            broken=[f[1] for f in findings],
        )
    )
    # A refused alias or an invalid value (a date that does not exist) left no
    # value behind; say so once, not again as "empty".
    refused = {i.path for i in issues if i.code in ("KF-D010", "KF-D013") and i.path}
    all_issues = [
        *issues,
        *(_issue(document, f) for f in findings if not _under(dotted(f[1]), refused)),
    ]
    if all_issues:
        raise DefinitionError(all_issues)
    return procedure


_REASONS = {
    errno.ENOENT: "het bestand bestaat niet",
    errno.EISDIR: "dit is een map, geen bestand",
    errno.ENOTDIR: "een deel van het pad is geen map",
    errno.EACCES: "geen toestemming om het te lezen",
    errno.EPERM: "geen toestemming om het te lezen",
}


def _reason(error: OSError | ValueError) -> str:
    if not isinstance(error, OSError):
        return "de bestandsnaam is ongeldig"
    return _REASONS.get(error.errno or 0, error.strerror or type(error).__name__)


def _unreadable_hint(source: str) -> str:
    """The hint for a file that cannot be read: a template name gets the init command."""
    from klachtflow.definition.templates import template_names  # noqa: PLC0415

    name = Path(source).name.removesuffix(".yaml").removesuffix(".yml")
    if name in template_names():
        return (
            f"'{name}' is de naam van een ingebouwd sjabloon, geen bestand. "
            f"Bedoelde u 'klachtflow init {name} > {name}.yaml'? "
            f"Gebruik daarna {name}.yaml."
        )
    return "Controleer de naam en de map van het bestand."


def _under(path: str, roots: set[str]) -> bool:
    """Whether ``path`` is one of ``roots`` or lies inside one of them."""
    return any(path == r or path.startswith((f"{r}.", f"{r}[")) for r in roots)


def load_procedure(path: str | os.PathLike[str]) -> Procedure:
    """Read, parse and validate a procedure file (UTF-8 YAML).

    Raises :class:`~klachtflow.DefinitionError` for every problem in the file,
    including a file that cannot be read.
    """
    source = os.fspath(path) if isinstance(path, str | os.PathLike) else None
    if not isinstance(source, str) or "\x00" in source:
        raise InvalidArgument(
            parameter="load_procedure(path)",
            value=path,
            expected="a file path (str or pathlib.Path) without NUL",
        )
    try:
        raw = Path(source).read_bytes()
    except (OSError, ValueError) as exc:
        raise DefinitionError.single(
            code="KF-D000",
            message=f"Het bestand kan niet gelezen worden: {_reason(exc)}.",
            source=source,
            hint=_unreadable_hint(source),
        ) from exc
    text, problem = decode_bytes(raw, source)
    if problem is not None or text is None:
        raise DefinitionError([problem] if problem else [])
    return loads_procedure(text, source=source)


def locator(procedure: Procedure) -> Callable[[tuple[str | int, ...]], tuple[int, int]]:
    """A function from a YAML path to its (line, column) in the procedure's text.

    Points at the key of the path (or its nearest ancestor); (1, 1) when the
    procedure has no text (built in memory).
    """
    document, _ = (
        read_yaml(procedure.text, procedure.source) if procedure.text else (None, [])
    )

    def locate(path: tuple[str | int, ...]) -> tuple[int, int]:
        return document.mark(path, key=True) if document is not None else (1, 1)

    return locate
