"""The collector is tuned for bulk work only in klachtflow's own processes
(the command while it runs), and a host's setting comes back after."""

from __future__ import annotations

import gc

from klachtflow.adapters.cli import main
from klachtflow.storage._collector import GC_THRESHOLDS, bulk_collector


def test_the_collector_is_tuned_inside_and_restored_after() -> None:
    host = (900, 11, 12)
    before = gc.get_threshold()
    gc.set_threshold(*host)
    try:
        with bulk_collector():
            assert gc.get_threshold() == GC_THRESHOLDS
        assert gc.get_threshold() == host
    finally:
        gc.set_threshold(*before)


def test_a_command_leaves_the_hosts_collector_as_it_was() -> None:
    before = gc.get_threshold()
    assert main(["templates"]) == 0
    assert gc.get_threshold() == before
    # Also when the command fails.
    assert main(["validate", "/does/not/exist.yaml"]) != 0
    assert gc.get_threshold() == before
