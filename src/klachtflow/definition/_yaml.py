"""A YAML reader that cannot surprise policy staff.

- Only ``true``/``false`` are booleans: ``nee``, ``no``, ``on``, ``off``,
  ``yes`` stay strings (YAML 1.1 would turn them into booleans).
- No sexagesimal numbers: ``artikel: 9:11`` stays the string ``"9:11"``
  (YAML 1.1 reads it as the integer 551).
- Duplicate keys, Python tags, anchors and aliases are rejected; ``<<`` is
  an ordinary key (no merging).
- Every node keeps its position, so each problem can name file:line:column.

This module is the only place in klachtflow that imports ``yaml``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import attrs
import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from klachtflow.exceptions import DefinitionIssue

__all__ = ["MAX_BYTES", "Document", "Path", "decode_bytes", "read_yaml"]

#: A procedure file larger than this is refused before parsing (a 200-line
#: procedure is about 10 KB; the largest realistic one is far below this).
MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 40

Path = tuple[str | int, ...]


class _Resolver(yaml.resolver.BaseResolver):
    """YAML 1.2-like implicit typing: no yes/no/on/off booleans, no base-60."""


_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^[-+]?[0-9]+$"),
    list("-+0123456789"),
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:null",
    re.compile(r"^(?:~|null|Null|NULL|)$"),
    ["~", "n", "N", ""],
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:timestamp",
    re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
    list("0123456789"),
)

try:  # libyaml present: parse and compose in C
    from yaml._yaml import CParser as _CParser

    HAVE_LIBYAML = True
except ImportError:  # pragma: no cover - exercised only without libyaml
    HAVE_LIBYAML = False

if HAVE_LIBYAML:

    class _Composer(_CParser, _Resolver):
        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            _Resolver.__init__(self)

else:  # pragma: no cover - exercised only without libyaml

    class _Composer(  # type: ignore[no-redef]
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        yaml.parser.Parser,
        yaml.composer.Composer,
        _Resolver,
    ):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            _Resolver.__init__(self)


_STANDARD = "tag:yaml.org,2002:"


@attrs.frozen
class Document:
    """Plain Python data read from YAML, with the position of every node.

    ``marks`` maps a path to the 1-based (line, column) of the value there;
    ``key_marks`` maps a path to the position of the key that introduces it.
    """

    data: Any
    marks: dict[Path, tuple[int, int]]
    key_marks: dict[Path, tuple[int, int]]
    source: str

    def mark(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """Position of ``path`` (its key when ``key``), or of its nearest ancestor."""
        table = self.key_marks if key else self.marks
        probe = path
        while probe:
            if probe in table:
                return table[probe]
            if key and probe in self.marks:
                return self.marks[probe]
            probe = probe[:-1]
        return self.marks.get((), (1, 1))


class _Failure(Exception):
    def __init__(self, issue: DefinitionIssue) -> None:
        super().__init__(issue.message)
        self.issue = issue


def _position(node: Node) -> tuple[int, int]:
    mark = node.start_mark
    return (mark.line + 1, mark.column + 1)


def dotted(path: Path) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


class _Converter:
    """Turns composed YAML nodes into Python data, recording every position."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.marks: dict[Path, tuple[int, int]] = {}
        self.key_marks: dict[Path, tuple[int, int]] = {}
        self.issues: list[DefinitionIssue] = []
        self._seen: set[int] = set()

    def issue(
        self,
        code: str,
        node: Node,
        path: Path,
        message: str,
        hint: str | None,
        *,
        at: tuple[int, int] | None = None,
    ) -> None:
        line, column = at or _position(node)
        self.issues.append(
            DefinitionIssue(
                code=code,
                message=message,
                source=self.source,
                line=line,
                column=column,
                path=dotted(path),
                hint=hint,
            )
        )

    def convert(self, node: Node, path: Path) -> Any:
        if id(node) in self._seen:
            # An alias yields the anchored node itself, so its own position is lost:
            # point at the key (or list item) that holds the alias instead.
            self.issue(
                "KF-D013",
                node,
                path,
                "Ankers en aliassen (& en *) worden niet ondersteund.",
                "Schrijf de waarde voluit op elke plek waar u haar nodig hebt.",
                at=self.key_marks.get(path),
            )
            return None
        self._seen.add(id(node))
        if len(path) > MAX_DEPTH:
            line, column = _position(node)
            raise _Failure(
                DefinitionIssue(
                    code="KF-D001",
                    message=f"Het bestand is te diep genest (meer dan {MAX_DEPTH} "
                    "niveaus).",
                    source=self.source,
                    line=line,
                    column=column,
                    path=dotted(path),
                    hint="Controleer het inspringen; een procedure is nooit zo diep.",
                )
            )
        self.marks[path] = _position(node)
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            self._check_tag(node, path, "seq")
            return [self.convert(item, (*path, i)) for i, item in enumerate(node.value)]
        if isinstance(node, ScalarNode):
            return self._scalar(node, path)
        return None  # pragma: no cover - the composer makes only these three kinds

    def _check_tag(self, node: Node, path: Path, expected: str) -> None:
        if node.tag != _STANDARD + expected:
            self.issue(
                "KF-D013",
                node,
                path,
                f"De tag '{node.tag}' wordt niet ondersteund.",
                "Verwijder de tag (zoals !!python/...): procedures bevatten alleen "
                "gewone tekst, getallen, lijsten en sleutels.",
            )

    def _mapping(self, node: MappingNode, path: Path) -> dict[str, Any]:
        self._check_tag(node, path, "map")
        result: dict[str, Any] = {}
        first_seen: dict[str, tuple[int, int]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.issue(
                    "KF-D008",
                    key_node,
                    path,
                    "Een sleutel moet een eenvoudige naam zijn, geen lijst of blok.",
                    None,
                )
                continue
            key = str(key_node.value)
            key_path = (*path, key)
            if key in result or key in first_seen:
                line = first_seen[key][0]
                self.issue(
                    "KF-D005",
                    key_node,
                    key_path,
                    f"De sleutel '{key}' komt twee keer voor (eerder op regel {line}).",
                    "Verwijder of hernoem een van beide; YAML zou de eerste "
                    "stilzwijgend overschrijven.",
                )
                continue
            first_seen[key] = _position(key_node)
            self.key_marks[key_path] = _position(key_node)
            result[key] = self.convert(value_node, key_path)
        return result

    def _scalar(self, node: ScalarNode, path: Path) -> Any:
        tag = node.tag
        value = node.value
        if not tag.startswith(_STANDARD):
            self._check_tag(node, path, "str")
            return value
        kind = tag[len(_STANDARD) :]
        try:
            if kind == "str":
                return value
            if kind == "bool":
                return value.lower() == "true"
            if kind == "int":
                return int(value)
            if kind == "float":
                return float(value)
            if kind == "null":
                return None
            if kind == "timestamp":
                return dt.date.fromisoformat(value)
        except ValueError:
            message, hint = _BAD_SCALAR.get(
                kind, ("'{value}' is geen geldige waarde.", "Controleer de waarde.")
            )
            self.issue("KF-D010", node, path, message.format(value=value), hint)
            return None
        self._check_tag(node, path, "str")
        return value


_TAB_HINT = "Gebruik spaties om in te springen; tabs zijn in YAML niet toegestaan."

#: A scalar YAML recognised by its form but that is not a valid value.
_BAD_SCALAR = {
    "timestamp": (
        "'{value}' is geen bestaande datum.",
        "Schrijf een bestaande datum als JJJJ-MM-DD, bijvoorbeeld 2026-01-01.",
    ),
    "int": ("'{value}' is geen geldig geheel getal.", "Schrijf bijvoorbeeld 6."),
    "float": ("'{value}' is geen geldig getal.", "Schrijf bijvoorbeeld 2.5."),
}

#: PyYAML's phrases (problem and context) in Dutch, most specific first. A
#: phrase not listed is shown as "technisch: ..." after a Dutch sentence.
_PHRASES = (
    ("did not find expected ',' or ']'", "hier ontbreekt een ',' of een ']'"),
    ("did not find expected ',' or '}'", "hier ontbreekt een ',' of een '}'"),
    ("did not find expected key", "hier verwacht YAML een sleutel ('naam: waarde')"),
    (
        "did not find expected '-' indicator",
        "hier verwacht YAML een lijstregel ('- ...')",
    ),
    (
        "did not find expected alphabetic or numeric character",
        "hier ontbreekt een naam",
    ),
    (
        "did not find expected comment or line break",
        "na deze waarde mag niets meer staan",
    ),
    ("found undefined alias", "deze verwijzing (*naam) verwijst naar niets"),
    ("found duplicate anchor", "dit anker (&naam) komt twee keer voor"),
    ("found unexpected end of stream", "het bestand houdt midden in een waarde op"),
    ("found unexpected ':'", "hier staat een dubbele punt die niet verwacht werd"),
    ("while parsing a flow sequence", "in een lijst tussen [ ]"),
    ("while parsing a flow mapping", "in een blok tussen { }"),
    ("while parsing a block mapping", "in een blok met sleutels"),
    ("while parsing a block collection", "in een lijst"),
    ("while scanning a simple key", "bij een sleutel"),
    ("while scanning an alias", "bij een verwijzing (*naam)"),
    ("while scanning an anchor", "bij een anker (&naam)"),
    ("while scanning a block scalar", "in een tekstblok (| of >)"),
    ("while parsing a block node", "in een blok"),
    ("while parsing a flow node", "in een waarde"),
)


def _dutch(phrase: str | None) -> str | None:
    """PyYAML's ``phrase`` in Dutch, or None when it has no translation."""
    if not phrase:
        return None
    for english, dutch in _PHRASES:
        if phrase.startswith(english):
            return dutch
    return None


def _has_tab(text: str, line: int, column: int) -> bool:
    """Whether a tab stands at or before ``column`` on ``line`` (both from 1)."""
    lines = text.splitlines()
    return 0 < line <= len(lines) and "\t" in lines[line - 1][: max(column, 1)]


def _syntax_issue(error: yaml.YAMLError, source: str, text: str) -> DefinitionIssue:
    """Translate a PyYAML error into a Dutch issue with its position."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = str(getattr(error, "problem", "") or error)
    context = getattr(error, "context", None)
    hint = "Controleer het inspringen en de dubbele punten op deze regel en de regel erboven."
    if (
        "\t" in problem
        or "\\t" in problem
        or "tab" in problem
        or _has_tab(text, line, column)
    ):
        message, hint = "Er staat een tab waar YAML alleen spaties toestaat.", _TAB_HINT
    elif "mapping values are not allowed" in problem:
        message = (
            "Onverwachte dubbele punt: een waarde mag hier geen nieuwe sleutel zijn."
        )
        hint = "Zet tekst met een dubbele punt tussen aanhalingstekens, of controleer het inspringen."
    elif (
        "expected the node content" in problem
        or "did not find expected node content" in problem
    ):
        message = (
            "Hier ontbreekt een waarde (bijvoorbeeld na een niet-afgesloten [ of {)."
        )
        hint = "Sluit elke [ met ] en elke { met }, of zet de tekst tussen aanhalingstekens."
    elif "could not find expected ':'" in problem:
        message = "Hier ontbreekt een dubbele punt na een sleutel."
    elif "expected <block end>" in problem or "expected <block" in problem:
        message = (
            "Het inspringen klopt niet: dit blok sluit niet aan op het blok erboven."
        )
    elif "found character" in problem and "cannot start any token" in problem:
        message = f"Dit teken kan hier niet staan ({problem})."
        hint = "Zet de tekst tussen aanhalingstekens."
    elif (
        "found unknown escape character" in problem
        or "while scanning a quoted" in str(context)
    ):
        message = "Een tekst tussen aanhalingstekens is niet goed afgesloten."
        hint = "Controleer of elke tekst met een aanhalingsteken ook met hetzelfde teken sluit."
    elif (
        "special characters are not allowed" in problem
        or "unacceptable character" in problem
    ):
        message = "Het bestand bevat een teken dat niet in een tekstbestand hoort."
        hint = "Sla het bestand op als gewone UTF-8-tekst."
    else:
        said, where = _dutch(problem), _dutch(context)
        if said is not None:
            message = (
                f"YAML-syntaxfout: {said}" + (f" ({where})" if where else "") + "."
            )
        else:
            message = (
                "YAML-syntaxfout: het bestand is hier geen geldige YAML "
                f"(technisch: {problem})."
            )
    if isinstance(error, yaml.reader.ReaderError):
        line, column = _line_col(text, error.position)
    return DefinitionIssue(
        code="KF-D001",
        message=message,
        source=source,
        line=line,
        column=column,
        hint=hint,
    )


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    start = text.rfind("\n", 0, index) + 1
    return line, index - start + 1


def decode(raw: bytes, source: str) -> str:
    """UTF-8 bytes to text; refuse other encodings with the first bad position."""
    if len(raw) > MAX_BYTES:
        cut = raw[:MAX_BYTES]
        line = cut.count(b"\n") + 1
        raise _Failure(
            DefinitionIssue(
                code="KF-D012",
                message=f"Het bestand is te groot ({len(raw):,} bytes; de grens is "
                f"{MAX_BYTES:,} bytes, overschreden op regel {line}).".replace(
                    ",", "."
                ),
                source=source,
                line=line,
                column=1,
                hint="Een procedure past ruim binnen deze grens; controleer of u het "
                "juiste bestand hebt gekozen.",
            )
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise _Failure(
            DefinitionIssue(
                code="KF-D002",
                message=f"Het bestand is geen geldige UTF-8-tekst (byte 0x{raw[exc.start]:02x}).",
                source=source,
                line=line,
                column=column,
                hint="Sla het bestand op als UTF-8 (in de meeste editors: 'Opslaan als' "
                "→ codering UTF-8).",
            )
        ) from exc
    return text.removeprefix("\ufeff")


#: What YAML refuses in a stream (PyYAML's Reader.NON_PRINTABLE), found up
#: front so the issue can name line and column in the text itself.
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def _control_characters(text: str) -> Iterator[int]:
    for match in _NON_PRINTABLE.finditer(text):
        yield match.start()


def read_yaml(text: str, source: str) -> tuple[Document | None, list[DefinitionIssue]]:
    """Parse ``text``; return the document (``None`` if unusable) and the issues found."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        try:
            decode(text.encode("utf-8", "surrogatepass"), source)
        except _Failure as failure:
            return None, [failure.issue]
    for index in _control_characters(text):
        line, column = _line_col(text, index)
        return None, [
            DefinitionIssue(
                code="KF-D002",
                message=f"Het bestand bevat een stuurteken (U+{ord(text[index]):04X}) "
                "dat niet in een tekstbestand hoort.",
                source=source,
                line=line,
                column=column,
                hint="Sla het bestand op als gewone UTF-8-tekst.",
            )
        ]
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        return None, [
            DefinitionIssue(
                code="KF-D003",
                message="Het bestand is leeg.",
                source=source,
                hint="Begin met een sjabloon: klachtflow init gemeente-awb > klacht.yaml",
            )
        ]
    composer = _Composer(text)
    converter = _Converter(source)
    try:
        node = composer.get_single_node()
        if node is None:  # pragma: no cover - caught by the emptiness check above
            return None, [
                DefinitionIssue(code="KF-D003", message="Het bestand is leeg.")
            ]
        data = converter.convert(node, ())
    except yaml.YAMLError as error:
        return None, [_syntax_issue(error, source, text)]
    except RecursionError:
        return None, [
            DefinitionIssue(
                code="KF-D001",
                message="Het bestand is te diep genest.",
                source=source,
                hint="Controleer het inspringen.",
            )
        ]
    except _Failure as failure:
        return None, [failure.issue]
    finally:
        dispose = getattr(composer, "dispose", None)
        if dispose is not None:
            dispose()
    document = Document(
        data=data, marks=converter.marks, key_marks=converter.key_marks, source=source
    )
    return document, converter.issues


def decode_bytes(raw: bytes, source: str) -> tuple[str | None, DefinitionIssue | None]:
    """Decode file bytes, returning the text or the issue that prevents it."""
    try:
        return decode(raw, source), None
    except _Failure as failure:
        return None, failure.issue
