"""The store's read cache: recently read or written cases, shared by threads.

Cases are immutable, so a cached case is never wrong, only possibly old: each
entry carries the (version, personal_rev) it was stored with, and the store
checks those against the database (or guards its save by them) before it
relies on the entry. The cache itself only has to stay consistent when several
threads use one store at once: every operation holds its lock, so a lookup,
an eviction and an invalidation never see each other half done.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from klachtflow.engine import Case

__all__ = ["CaseCache", "Stamp"]

#: (version, personal_rev) of a stored case.
Stamp = tuple[int, int]


class CaseCache:
    """At most ``size`` cases by id, least recently used evicted first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[str, tuple[Stamp, Case]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, case_id: str) -> tuple[Stamp, Case] | None:
        """The cached stamp and case, or None; marks the entry as used."""
        with self._lock:
            entry = self._entries.get(case_id)
            if entry is not None:
                self._entries.move_to_end(case_id)
            return entry

    def put(self, case: Case, personal_rev: int) -> None:
        """Remember ``case`` as stored with ``personal_rev``."""
        with self._lock:
            self._entries[case.id] = ((case.version, personal_rev), case)
            self._entries.move_to_end(case.id)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def drop(self, case_id: str) -> None:
        """Forget ``case_id`` (it turned out stale, or is gone)."""
        with self._lock:
            self._entries.pop(case_id, None)
