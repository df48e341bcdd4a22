"""Anchoring: checkpoints over every history in a store.

A keyed chain stops recomputation by someone without the key; it does not stop
deleting a case's newest events together with its case row's head, or swapping
a whole case for an older copy. A checkpoint does (the pattern of
certificate-transparency logs and ledger databases' published digests):

- :func:`make_checkpoint` takes every event and removal not yet anchored
  (``checkpoint IS NULL``), marks them with the new checkpoint number, and
  seals their (case, seq, hash) and (case, removal seal) in order, chained to
  the previous checkpoint's root;
- :func:`verify_checkpoints` recomputes every checkpoint from the rows that
  carry its number: a deleted, moved, truncated or rewritten event or removal
  changes the root; a removed checkpoint breaks the chain;
- the host exports each checkpoint (:meth:`Checkpoint.as_json`) and keeps it
  elsewhere; verification against those exports catches even a rewrite of the
  checkpoints themselves by someone who has the key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy import Connection

from klachtflow.engine._seal import Sealer, canonical
from klachtflow.storage import schema as t
from klachtflow.storage.results import Checkpoint

__all__ = ["make_checkpoint", "unanchored", "verify_checkpoints"]

_GENESIS = "0" * 64


def _digest(connection: Connection, seq: int) -> tuple[str, int, int]:
    """The digest of the rows anchored by checkpoint ``seq``, and their counts."""
    h = hashlib.sha256()
    events = 0
    e = t.events.c
    for case_id, number, value in connection.execute(
        sa.select(e.case_id, e.seq, e.hash)
        .where(e.checkpoint == seq)
        .order_by(e.case_id, e.seq)
    ):
        h.update(canonical(["e", case_id, number, value]).encode("utf-8"))
        events += 1
    removals = 0
    r = t.removals.c
    for case_id, mac in connection.execute(
        sa.select(r.case_id, r.mac).where(r.checkpoint == seq).order_by(r.id)
    ):
        h.update(canonical(["v", case_id, mac]).encode("utf-8"))
        removals += 1
    return h.hexdigest(), events, removals


def _root(
    sealer: Sealer, seq: int, prev_root: str, digest: str, *, events: int, removals: int
) -> str:
    return sealer.mac("checkpoint", seq, prev_root, digest, events, removals)


def _mac(sealer: Sealer, c: Checkpoint) -> str:
    return sealer.mac(
        "checkpoint-rij", c.seq, c.made_at, c.events, c.removals, c.root, c.prev_root
    )


def _stored(connection: Connection) -> list[Checkpoint]:
    return [
        Checkpoint(**dict(row))
        for row in connection.execute(
            sa.select(t.checkpoints).order_by(t.checkpoints.c.seq)
        ).mappings()
    ]


def make_checkpoint(
    connection: Connection, sealer: Sealer, now: dt.datetime
) -> Checkpoint:
    """Anchor every event and removal written since the last checkpoint."""
    last = connection.execute(
        sa.select(t.checkpoints.c.seq, t.checkpoints.c.root)
        .order_by(t.checkpoints.c.seq.desc())
        .limit(1)
    ).first()
    seq = (last[0] + 1) if last else 1
    prev_root = last[1] if last else _GENESIS
    connection.execute(
        t.events.update().where(t.events.c.checkpoint.is_(None)).values(checkpoint=seq)
    )
    connection.execute(
        t.removals.update()
        .where(t.removals.c.checkpoint.is_(None))
        .values(checkpoint=seq)
    )
    digest, events, removals = _digest(connection, seq)
    draft = Checkpoint(
        seq=seq,
        made_at=now.isoformat(),
        events=events,
        removals=removals,
        root=_root(sealer, seq, prev_root, digest, events=events, removals=removals),
        prev_root=prev_root,
        key_id=sealer.key_id,
        mac="",
    )
    checkpoint = Checkpoint(**{**draft.as_json(), "mac": _mac(sealer, draft)})
    connection.execute(t.checkpoints.insert().values(**checkpoint.as_json()))
    return checkpoint


def unanchored(connection: Connection) -> int:
    """How many events no checkpoint anchors yet."""
    return int(
        connection.execute(
            sa.select(sa.func.count()).where(t.events.c.checkpoint.is_(None))
        ).scalar_one()
    )


def verify_checkpoints(
    connection: Connection,
    sealer: Sealer,
    exported: Iterable[Checkpoint] = (),
) -> tuple[list[str], int]:
    """Problems with the stored checkpoints (and against ``exported`` ones)."""
    problems: list[str] = []
    stored = _stored(connection)
    previous = _GENESIS
    for expected_seq, checkpoint in enumerate(stored, start=1):
        name = f"ankerpunt {checkpoint.seq}"
        if checkpoint.seq != expected_seq:
            problems.append(f"{name}: ankerpunt {expected_seq} ontbreekt")
        if checkpoint.prev_root != previous:
            problems.append(f"{name} sluit niet aan op het vorige ankerpunt")
        if checkpoint.key_id != sealer.key_id:
            problems.append(
                f"{name} is verzegeld met sleutel '{checkpoint.key_id or 'geen'}', "
                f"deze store met '{sealer.key_id or 'geen'}'"
            )
        if checkpoint.mac != _mac(sealer, checkpoint):
            problems.append(f"{name} is gewijzigd (zegel klopt niet)")
        digest, events, removals = _digest(connection, checkpoint.seq)
        if (events, removals) != (checkpoint.events, checkpoint.removals):
            problems.append(
                f"{name} verankerde {checkpoint.events} gebeurtenissen en "
                f"{checkpoint.removals} verwijderingen; nu zijn het er {events} en "
                f"{removals} (verwijderd, verplaatst of toegevoegd)"
            )
        elif (
            _root(
                sealer,
                checkpoint.seq,
                checkpoint.prev_root,
                digest,
                events=events,
                removals=removals,
            )
            != checkpoint.root
        ):
            problems.append(
                f"{name}: de verankerde gebeurtenissen of verwijderingen zijn gewijzigd"
            )
        previous = checkpoint.root
    known = [c.seq for c in stored]
    for table, noun in ((t.events, "gebeurtenissen"), (t.removals, "verwijderingen")):
        stray = int(
            connection.execute(
                sa.select(sa.func.count()).where(
                    table.c.checkpoint.is_not(None), table.c.checkpoint.not_in(known)
                )
                if known
                else sa.select(sa.func.count()).where(table.c.checkpoint.is_not(None))
            ).scalar_one()
        )
        if stray:
            problems.append(
                f"{stray} {noun} noemen een ankerpunt dat niet bestaat "
                "(aan de verankering onttrokken?)"
            )
    by_seq = {c.seq: c for c in stored}
    for outside in exported:
        inside = by_seq.get(outside.seq)
        if inside is None:
            problems.append(
                f"ankerpunt {outside.seq} uit het ankerbestand ontbreekt in de database"
            )
        elif inside != outside:
            problems.append(
                f"ankerpunt {outside.seq} in de database wijkt af van het ankerbestand"
            )
    return problems, len(stored)


def exported_from_lines(lines: Sequence[str]) -> list[Checkpoint]:
    """Checkpoints from an anchor file (one JSON object a line)."""
    import json  # noqa: PLC0415 - only for anchor files

    return [Checkpoint.from_json(json.loads(line)) for line in lines if line.strip()]
