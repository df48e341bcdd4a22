"""Starting many cases at once: ``Engine.start_many`` (issue #15).

A batch is N ``Engine.start`` calls with what they share taken once: the
actor is checked once, the moment of recording is read from the clock once
(every case of a batch is recorded at the same moment, and shares that
moment's objects), and the salts of the personal commitments come from one
read of the system's random source. Each case is built by the same code as
``start``, so a batch on a fixed clock gives the cases N ``start`` calls give.

All or nothing: the first item that cannot start raises
:class:`~klachtflow.exceptions.BatchItemRefused` naming its index (the
original error as ``.error`` and ``__cause__``); no case is returned and no
listener is told of any. Listeners hear of the cases only after every case
was made.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from klachtflow.engine import _arguments
from klachtflow.engine.case import Case
from klachtflow.exceptions import BatchItemRefused, InvalidArgument, KlachtflowError
from klachtflow.rules._arguments import check_mapping
from klachtflow.rules.clock import to_utc
from klachtflow.rules.permissions import Actor

if TYPE_CHECKING:
    from klachtflow.engine.engine import Engine

__all__ = ["ITEM_KEYS", "items_of", "salts", "start_many", "uuids"]

#: The keys an item of a batch may have (``parties`` is required).
ITEM_KEYS = frozenset({"parties", "data", "at", "reason", "case_id"})

_SALT_BYTES = 16
_UUID_BYTES = 16


def items_of(parameter: str, items: Any) -> list[Mapping[str, Any]]:
    """The items of a batch as a list, each a mapping with known keys only."""
    if isinstance(items, str | bytes | Mapping) or not isinstance(items, Iterable):
        raise InvalidArgument(
            parameter=parameter,
            value=items,
            expected="a list of mappings {'parties': ..., 'data': ...}",
        )
    found = list(items)
    for index, item in enumerate(found):
        try:
            check_mapping(f"{parameter}[{index}]", item)
            unknown = sorted(str(k) for k in item if k not in ITEM_KEYS)
            if unknown or "parties" not in item:
                raise InvalidArgument(
                    parameter=f"{parameter}[{index}]",
                    value=item,
                    expected="a mapping with 'parties' and optionally "
                    + ", ".join(f"'{k}'" for k in sorted(ITEM_KEYS - {"parties"})),
                    hint=f"Onbekende sleutels: {', '.join(unknown)}."
                    if unknown
                    else "Geef bij elke zaak de partijen: {'parties': {...}}.",
                )
        except KlachtflowError as error:
            raise BatchItemRefused(index=index, error=error) from error
    return found


def salts(count: int) -> Iterator[str]:
    """``count`` fresh salts (as :func:`~klachtflow.engine._seal.new_salt`
    makes them: 16 random bytes in hex) from one read of the random source."""
    pool = secrets.token_bytes(_SALT_BYTES * count).hex()
    width = 2 * _SALT_BYTES
    return (pool[i : i + width] for i in range(0, len(pool), width))


def uuids(count: int) -> Iterator[str]:
    """``count`` random (version 4) UUIDs as ``str(uuid.uuid4())`` writes
    them, from one read of the random source: the default case ids of a batch.

    The 122 random bits are the same; only the version nibble (``4``) and the
    variant bits (``10``) are set, as RFC 9562 section 5.4 says.
    """
    pool = secrets.token_bytes(_UUID_BYTES * count).hex()
    width = 2 * _UUID_BYTES
    variant = "89ab"
    for i in range(0, len(pool), width):
        h = pool[i : i + width]
        yield (
            f"{h[:8]}-{h[8:12]}-4{h[13:16]}-"
            f"{variant[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"
        )


def start_many(
    engine: Engine, items: Any, *, actor: Actor, notify: bool = True
) -> list[Case]:
    """Start a case per item, all or none (see the module docstring)."""
    _arguments.actor("start_many(actor)", actor)
    batch = items_of("start_many(items)", items)
    recorded: dt.datetime = to_utc(_arguments.now(engine.clock))
    fresh = salts(len(batch))
    # The default ids come from one read too; a host's id_factory is called per case.
    ids = uuids(len(batch)) if engine.id_factory is _arguments.default_id else None
    made: list[Case] = []
    memo: dict[Any, Any] = {}
    for index, item in enumerate(batch):
        try:
            parties = _arguments.start(
                actor_=actor,
                parties_=item["parties"],
                data=item.get("data"),
                at=item.get("at"),
                reason=item.get("reason"),
                case_id=item.get("case_id"),
            )
            made.append(
                engine._start(
                    actor=actor,
                    parties=parties,
                    data=item.get("data"),
                    at=item.get("at"),
                    reden=item.get("reason"),
                    case_id=item.get("case_id")
                    or (next(ids) if ids is not None else None),
                    salt=next(fresh),
                    recorded_at=recorded,
                    notify=False,
                    memo=memo,
                )
            )
        except KlachtflowError as error:
            raise BatchItemRefused(index=index, error=error) from error
    if notify:
        for case in made:
            engine._notify(case.history[0], case)
    return made
