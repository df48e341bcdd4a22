"""The garbage collector tuned for bulk work, in processes klachtflow owns.

Commands over many cases (``import``, ``rapport``, ``audit``, ``demo``) and the
import's worker processes build cases by the hundred thousand, nearly all of
them freed by reference counting. With CPython's default thresholds
(700, 10, 10) the collector re-scans the live heap for them again and again:
about a quarter of an import's time (``bench/bench_import.py``). A young
generation of 50,000 objects removes nearly all of that; cycles are still
collected.

klachtflow sets this only in the processes it owns (the ``klachtflow``
command while it runs, the import's workers), never in a host's process: a
host tunes its own collector (docs/how-to/meerdere-organisaties-en-workers.md).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["GC_THRESHOLDS", "bulk_collector"]

#: The collector's thresholds for bulk work (young, middle, old generation).
GC_THRESHOLDS = (50_000, 20, 100)


@contextlib.contextmanager
def bulk_collector() -> Iterator[None]:
    """The collector tuned for bulk work (:data:`GC_THRESHOLDS`), restored after."""
    before = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)
