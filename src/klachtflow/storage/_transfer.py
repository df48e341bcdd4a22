"""The JSONL transfer format: one procedure or one case per line.

``klachtflow export`` writes it and ``klachtflow import`` reads it
(docs/reference/jsonl.md). A line is one JSON object:

- ``{"soort": "procedure", "digest": ..., "tekst": ...}``: a procedure's YAML
  text (its digest is checked on import);
- ``{"soort": "zaak", "id": ..., "procedure_digest": ..., "parties": ...,
  "history": [...], "state": ..., "version": ..., "result": ..., "data": ...}``:
  a case with its full history. Every event is an object with the fields of
  :class:`~klachtflow.engine.Event` (moments and dates as ISO text, ``changes``
  as ``{field: [old, new]}``). ``state``, ``version``, ``result`` and ``data``
  are optional on import; when given they must be what the history leads to.

Nothing here trusts a line: :func:`parse_case` only checks the shape and
builds the events; the import replays them through the engine.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs
import sqlalchemy as sa

from klachtflow.definition import Procedure
from klachtflow.engine import Case, Event
from klachtflow.engine.case import json_value
from klachtflow.exceptions import ImportLineInvalid
from klachtflow.storage import schema as t
from klachtflow.storage._organisations import of_cases
from klachtflow.storage.results import ExportResult

if TYPE_CHECKING:
    from klachtflow.storage.sql import SqlStore

__all__ = [
    "CASE",
    "PROCEDURE",
    "ParsedCase",
    "case_line",
    "export_lines",
    "head_of",
    "parse_case",
    "procedure_line",
]

#: The ``soort`` of a procedure line and of a case line.
PROCEDURE = "procedure"
CASE = "zaak"

_DUMPS = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def procedure_line(procedure: Procedure) -> str:
    """The line of a procedure (its YAML text and digest)."""
    return _DUMPS(
        {"soort": PROCEDURE, "digest": procedure.digest, "tekst": procedure.text}
    )


def _event_dict(event: Event) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "action": event.action,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "actor": event.actor,
        "role": event.role,
        "at": event.at.isoformat(),
        "legal_date": event.legal_date.isoformat(),
        "procedure": event.procedure,
        "procedure_version": event.procedure_version,
        "procedure_digest": event.procedure_digest,
        "prev_hash": event.prev_hash,
        "hash": event.hash,
        "changes": {k: [o, n] for k, (o, n) in event.changes.items()},
        "reason": event.reason,
        "consent": dict(event.consent),
        "notified": list(event.notified),
        "result": event.result,
        "terms": dict(event.terms),
        "case_id": event.case_id,
        "format": event.format,
        "recorded_at": event.recorded_at.isoformat() if event.recorded_at else None,
        "inputs": dict(event.inputs),
        "clocks": event.clocks,
        "key_id": event.key_id,
        "salt": event.salt,
        "personal": event.personal,
    }


def case_line(case: Case) -> str:
    """The line of a case: its parties, full history and what it leads to."""
    return _DUMPS(
        {
            "soort": CASE,
            "id": case.id,
            "procedure_digest": case.procedure_digest,
            "parties": {role: list(ids) for role, ids in case.parties.items()},
            "history": [_event_dict(e) for e in case.history],
            "state": case.state,
            "version": case.version,
            "result": case.result,
            "data": {k: json_value(v) for k, v in case.data.items()},
        }
    )


@attrs.frozen
class ParsedCase:
    """A case line in Python form, not yet verified (the import replays it)."""

    id: str
    procedure_digest: str
    parties: Mapping[str, tuple[str, ...]]
    history: tuple[Event, ...]
    #: What the line says the history leads to (each None when not given).
    state: str | None
    version: int | None
    result: str | None
    data: Mapping[str, Any] | None
    has_result: bool


_STR = (str,)
_OPT_STR = (str, type(None))


def _need(value: object, kinds: tuple[type, ...], what: str) -> Any:
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        msg = f"{what} heeft het verkeerde type"
        raise ValueError(msg)
    return value


def _str_map(
    value: object, what: str, *, optional_values: bool = False
) -> dict[str, Any]:
    if type(value) is not dict:
        msg = f"{what} is geen object"
        raise ValueError(msg)
    for key, item in value.items():
        if type(item) is not str and not (optional_values and item is None):
            msg = f"{what}.{key} heeft het verkeerde type"
            raise ValueError(msg)
    return value


def _moment(value: object, what: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(_need(value, _STR, what))
    if moment.tzinfo is None:
        msg = f"{what} heeft geen tijdzone"
        raise ValueError(msg)
    return moment


def _event(raw: object, index: int) -> Event:
    what = f"history[{index}]"
    if type(raw) is not dict:
        msg = f"{what} is geen object"
        raise ValueError(msg)
    item: dict[str, Any] = raw
    if item.keys() != _EVENT_KEYS:
        unknown = set(item) - _EVENT_KEYS
        missing = sorted(_EVENT_KEYS - set(item))
        msg = (
            f"{what} heeft onbekende velden: {', '.join(sorted(unknown))}"
            if unknown
            else f"{what} mist {', '.join(missing)}"
        )
        raise ValueError(msg)
    # Exact JSON types (json.loads makes exactly these): no bool for an int.
    for name in _STRINGS:
        if type(item[name]) is not str:
            msg = f"{what}.{name} is geen tekst"
            raise ValueError(msg)
    for name in _OPTIONAL_STRINGS:
        value = item[name]
        if value is not None and type(value) is not str:
            msg = f"{what}.{name} is geen tekst of null"
            raise ValueError(msg)
    for name in ("seq", "format"):
        if type(item[name]) is not int:
            msg = f"{what}.{name} is geen geheel getal"
            raise ValueError(msg)
    changes = item["changes"]
    if type(changes) is not dict:
        msg = f"{what}.changes is geen object"
        raise ValueError(msg)
    for key, pair in changes.items():
        if type(pair) is not list or len(pair) != 2:
            msg = f"{what}.changes.{key} is geen [oud, nieuw]"
            raise ValueError(msg)
    notified = item["notified"]
    if type(notified) is not list or any(type(p) is not str for p in notified):
        msg = f"{what}.notified is geen lijst van teksten"
        raise ValueError(msg)
    recorded = item["recorded_at"]
    return Event(
        item["seq"],
        item["action"],
        item["from_state"],
        item["to_state"],
        item["actor"],
        item["role"],
        _moment(item["at"], f"{what}.at"),
        dt.date.fromisoformat(item["legal_date"]),
        item["procedure"],
        item["procedure_version"],
        item["procedure_digest"],
        item["prev_hash"],
        item["hash"],
        {k: (o, n) for k, (o, n) in changes.items()},
        item["reason"],
        _str_map(item["consent"], f"{what}.consent", optional_values=True),
        tuple(notified),
        item["result"],
        _str_map(item["terms"], f"{what}.terms"),
        item["case_id"],
        item["format"],
        None if recorded is None else _moment(recorded, f"{what}.recorded_at"),
        _str_map(item["inputs"], f"{what}.inputs"),
        item["clocks"],
        item["key_id"],
        item["salt"],
        item["personal"],
    )


#: The fields of an event object, by the JSON type they take.
_STRINGS = (
    "action",
    "to_state",
    "actor",
    "legal_date",
    "procedure",
    "procedure_version",
    "procedure_digest",
    "prev_hash",
    "hash",
    "case_id",
    "clocks",
    "key_id",
    "personal",
)
_OPTIONAL_STRINGS = ("from_state", "role", "reason", "result", "salt")
_EVENT_KEYS = frozenset(
    (
        *_STRINGS,
        *_OPTIONAL_STRINGS,
        "seq",
        "format",
        "at",
        "recorded_at",
        "changes",
        "consent",
        "notified",
        "terms",
        "inputs",
    )
)

_CASE_KEYS = frozenset(
    {
        "soort",
        "id",
        "procedure_digest",
        "parties",
        "history",
        "state",
        "version",
        "result",
        "data",
    }
)


def parse_case(item: Mapping[str, Any], line: int) -> ParsedCase:
    """A case line (already read as JSON) in Python form; :class:`ImportLineInvalid`
    with the line number when its shape is wrong."""
    try:
        unknown = set(item) - _CASE_KEYS
        if unknown:
            msg = f"onbekende velden: {', '.join(sorted(unknown))}"
            raise ValueError(msg)
        case_id = _need(item.get("id"), _STR, "id")
        digest = _need(item.get("procedure_digest"), _STR, "procedure_digest")
        parties_raw = _need(item.get("parties", {}), (dict,), "parties")
        parties: dict[str, tuple[str, ...]] = {}
        for role, ids in parties_raw.items():
            _need(ids, (list,), f"parties.{role}")
            for person in ids:
                _need(person, _STR, f"parties.{role}")
            parties[role] = tuple(ids)
        history_raw = _need(item.get("history"), (list,), "history")
        if not history_raw:
            msg = "history is leeg"
            raise ValueError(msg)
        history = tuple(_event(raw, i) for i, raw in enumerate(history_raw))
        version = item.get("version")
        if version is not None:
            _need(version, (int,), "version")
        data = item.get("data")
        if data is not None:
            _need(data, (dict,), "data")
        return ParsedCase(
            case_id,
            digest,
            parties,
            history,
            _need(item.get("state"), _OPT_STR, "state"),
            version,
            _need(item.get("result"), _OPT_STR, "result"),
            data,
            "result" in item,
        )
    except (ValueError, TypeError) as error:
        raise ImportLineInvalid(line, str(error)) from None


def head_of(item: Mapping[str, Any]) -> tuple[str, int, str] | None:
    """(id, version, newest hash) of a case line read as JSON; None if it has none."""
    history = item.get("history")
    case_id = item.get("id")
    if not isinstance(case_id, str) or not isinstance(history, list) or not history:
        return None
    last = history[-1]
    head = last.get("hash") if isinstance(last, dict) else None
    if not isinstance(head, str):
        return None
    return case_id, len(history), head


def export_lines(store: SqlStore, write: Callable[[str], object]) -> ExportResult:
    """Write every procedure and every case of ``store`` (of its organisation)
    as JSONL lines (each passed to ``write`` with its newline). Cases that no replay can accept
    (erased, history format 1) are left out and named in the result."""
    with store._read() as connection:
        digests = [
            row[0]
            for row in connection.execute(
                sa.select(t.procedures.c.digest).order_by(
                    t.procedures.c.stored_at, t.procedures.c.digest
                )
            )
        ]
        ids = [
            row[0]
            for row in connection.execute(
                of_cases(sa.select(t.cases.c.id), store._org).order_by(t.cases.c.id)
            )
        ]
    for digest in digests:
        write(procedure_line(store.procedure(digest)) + "\n")
    skipped: list[str] = []
    cases = 0
    for case_id in ids:
        case = store.get(case_id)
        if any(e.format < 2 or e.salt is None for e in case.history):
            skipped.append(case_id)
            continue
        write(case_line(case) + "\n")
        cases += 1
    return ExportResult(cases=cases, procedures=len(digests), skipped=tuple(skipped))
