"""The history format: what an event's hash is taken over, and how.

An event's hash is the SHA-256 of its hashed values (every field but the hash,
in :data:`HASHED` order) as one JSON array: compact, object keys sorted,
non-ASCII kept, UTF-8. Stored hash chains depend on this format; it must never
change without a history-format version. ``tests/engine/test_hash_format.py``
pins it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable, Mapping
from typing import Any

__all__ = [
    "FORMAT_TAG",
    "HASHED",
    "HASHED_V2",
    "PERSONAL",
    "UNKEYED",
    "Sealer",
    "canonical",
    "clocks_digest",
    "commitment",
    "compiled_encoder",
    "digest",
    "hashed_values",
    "is_pseudonym",
    "json_string",
    "json_value",
    "new_salt",
    "personal_commitment",
    "personal_values",
]


#: Values that are their own JSON form (checked by class first: most are).
_PLAIN = frozenset({str, int, float, bool, type(None)})


def json_value(value: Any) -> Any:
    """A JSON-ready form of a data value (dates and times as ISO text)."""
    if value.__class__ in _PLAIN:
        return value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [json_value(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): json_value(v) for k, v in value.items()}
    return value


#: The fields the hash covers, in the order they are encoded.
HASHED = (
    "seq",
    "action",
    "from_state",
    "to_state",
    "actor",
    "role",
    "at",
    "legal_date",
    "procedure",
    "procedure_version",
    "procedure_digest",
    "prev_hash",
    "changes",
    "reason",
    "consent",
    "notified",
    "result",
    "terms",
)

#: The canonical form the hash is taken over: the hashed values as one JSON
#: array, compact, object keys sorted, non-ASCII kept (UTF-8). Stored chains
#: depend on it: it must never change without a history-format version.
_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
_STRING: Callable[[str], str] = json.encoder.encode_basestring

#: A string as the canonical form writes it (quoted, escaped, non-ASCII kept).
json_string = _STRING


def hashed_values(  # noqa: PLR0917 - one positional per hashed field, in order
    seq: int,
    action: str,
    from_state: str | None,
    to_state: str,
    actor: str,
    role: str | None,
    at: dt.datetime,
    legal: dt.date,
    procedure: str,
    version: str,
    digest: str,
    prev_hash: str,
    changes: Mapping[str, tuple[Any, Any]],
    reason: str | None,
    consent: Mapping[str, str | None],
    notified: tuple[str, ...],
    result: str | None,
    terms: Mapping[str, str],
) -> list[Any]:
    """The hashed values in JSON form, in :data:`HASHED` order (mappings stay
    the read-only mappings they are, ``notified`` a tuple: JSON all the same)."""
    return [
        seq,
        action,
        from_state,
        to_state,
        actor,
        role,
        at.isoformat(),
        legal.isoformat(),
        procedure,
        version,
        digest,
        prev_hash,
        {k: [json_value(o), json_value(n)] for k, (o, n) in changes.items()}
        if changes
        else {},
        reason,
        consent,
        notified,
        result,
        terms,
    ]


def canonical(values: Any) -> str:
    """``_ENCODER.encode(values)``, with the C encoder made once, not per call
    (about 1.5x faster; it runs on every start and fire)."""
    return _encode(values)


def compiled_encoder(encoder: json.JSONEncoder) -> Callable[[Any], str]:
    """``encoder.encode`` without building the C encoder on every call.

    ``JSONEncoder.encode`` makes a new C encoder object each time; here it is
    made once, with the arguments ``JSONEncoder.iterencode`` passes for
    ``encoder``'s settings, except the circular-reference markers: the values
    encoded (hashed values, row values) are trees. Falls back to
    ``encoder.encode`` where the C accelerator is missing.
    """
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None or encoder.indent is not None:  # pragma: no cover
        return encoder.encode
    encode = make(
        None,  # no circular-reference markers
        encoder.default,
        json.encoder.encode_basestring_ascii
        if encoder.ensure_ascii
        else json.encoder.encode_basestring,
        None,  # indent
        encoder.key_separator,
        encoder.item_separator,
        encoder.sort_keys,
        encoder.skipkeys,
        encoder.allow_nan,
    )

    def run(values: Any) -> str:
        return "".join(encode(values, 0))

    return run


_encode = compiled_encoder(_ENCODER)


def digest(text: str) -> str:
    """The SHA-256 of a canonical text, in hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------
# History format 2
#
# Format 1 (above) hashed every field, personal data included, without a key and
# without the case id. Format 2 adds what makes a history prove itself:
#
# - the hash covers the case id, the procedure digest, the moment the event was
#   recorded beside its effective moment, the term inputs (so a replay can
#   reproduce the event), and a digest of every term clock after the event;
# - the hash can be keyed: an HMAC-SHA256 with a key the host provides, so a
#   chain recomputed without the key is detected (``key_id`` says which key);
# - personal data (actor, reason, data changes, consent, notice, the parties of
#   the start event) is not hashed itself but committed to by a salted SHA-256
#   (``personal``); erasure deletes the salt with the data, and the event still
#   verifies.
# ---------------------------------------------------------------------------

#: The format tag of format-2 events (the first hashed value).
FORMAT_TAG = "klachtflow/2"

#: The fields the format-2 hash covers, in the order they are encoded.
HASHED_V2 = (
    "format",
    "case_id",
    "seq",
    "action",
    "from_state",
    "to_state",
    "role",
    "at",
    "recorded_at",
    "legal_date",
    "procedure",
    "procedure_version",
    "procedure_digest",
    "prev_hash",
    "result",
    "terms",
    "inputs",
    "clocks",
    "key_id",
    "personal",
)

#: The personal values the salted commitment of a format-2 event covers.
PERSONAL = ("actor", "reason", "changes", "consent", "notified", "parties")


def _key_bytes(key: bytes | str) -> bytes:
    return key.encode("utf-8") if isinstance(key, str) else bytes(key)


class Sealer:
    """Seals and checks history values, keyed (HMAC-SHA256) or not (SHA-256).

    One per store (and the engines it makes); the key never leaves it and is
    never shown in a ``repr``. ``key_id`` is a fingerprint of the key that
    events carry, so verification knows which key sealed them ('' unkeyed).
    """

    __slots__ = ("_key", "key_id")

    def __init__(self, key: bytes | str | None = None) -> None:
        self._key = _key_bytes(key) if key else None
        self.key_id = (
            hashlib.sha256(b"klachtflow key id\x00" + self._key).hexdigest()[:16]
            if self._key
            else ""
        )

    @property
    def keyed(self) -> bool:
        """Whether this sealer has a key (HMAC) or only hashes (SHA-256)."""
        return self._key is not None

    def __repr__(self) -> str:
        return f"Sealer(keyed={self.keyed}, key_id={self.key_id!r})"

    def seal(self, text: str) -> str:
        """The seal of a canonical text: HMAC-SHA256 with the key, else SHA-256."""
        data = text.encode("utf-8")
        if self._key is None:
            return hashlib.sha256(data).hexdigest()
        return hmac.digest(self._key, data, "sha256").hex()

    def mac(self, *values: Any) -> str:
        """The seal of ``values`` as one canonical JSON array."""
        return self.seal(canonical([json_value(v) for v in values]))

    def pseudonym(self, person: str) -> str:
        """A stable pseudonym for a person id (keyed: not reversible without the key).

        Erasure replaces an id by its pseudonym, so separation of duties keeps
        comparing the same person after the name is gone.
        """
        return "pseudoniem-" + self.mac("pseudoniem", person)[:24]


#: The sealer of unkeyed stores and engines.
UNKEYED = Sealer()


def is_pseudonym(value: object) -> bool:
    """Whether a stored id is a pseudonym written by erasure."""
    return isinstance(value, str) and value.startswith("pseudoniem-")


def new_salt() -> str:
    """A fresh random salt for one event's personal commitment."""
    return secrets.token_hex(16)


def commitment(salt: str, values: list[Any]) -> str:
    """The salted SHA-256 commitment to an event's personal values."""
    return digest(salt + canonical(values))


#: The canonical text of the personal values after the actor when there are
#: none (no reason, changes, consent, notice or parties): most fires.
_NO_PERSONAL = ",null,{},{},[],null]"


def personal_commitment(  # noqa: PLR0917 - one positional per value, in PERSONAL order
    salt: str,
    actor: str,
    reason: str | None,
    changes: Mapping[str, tuple[Any, Any]],
    consent: Mapping[str, str | None],
    notified: tuple[str, ...],
    parties: Mapping[str, tuple[str, ...]] | None,
) -> str:
    """``commitment(salt, personal_values(...))``, with the text of an event
    that has only an actor written without the encoder (the same text:
    ``tests/engine/test_seal_fast_paths.py`` checks it)."""
    if (
        reason is None
        and not changes
        and not consent
        and not notified
        and parties is None
    ):
        return digest(f"{salt}[{_STRING(actor)}{_NO_PERSONAL}")
    return commitment(
        salt, personal_values(actor, reason, changes, consent, notified, parties)
    )


def personal_values(  # noqa: PLR0917 - one positional per value, in PERSONAL order
    actor: str,
    reason: str | None,
    changes: Mapping[str, tuple[Any, Any]],
    consent: Mapping[str, str | None],
    notified: tuple[str, ...],
    parties: Mapping[str, tuple[str, ...]] | None,
) -> list[Any]:
    """The personal values in :data:`PERSONAL` order, JSON form."""
    return [
        actor,
        reason,
        {k: [json_value(o), json_value(n)] for k, (o, n) in changes.items()}
        if changes
        else {},
        consent,
        list(notified),
        {role: list(ids) for role, ids in parties.items()}
        if parties is not None
        else None,
    ]


def clocks_digest(ledgers: Mapping[str, Any]) -> str:
    """The digest of every term clock's ledger (by term name) after an event."""
    return digest(canonical([ledgers]))
