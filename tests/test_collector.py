"""The cycle collector paused around large batches (imports, duplicate scans) and back after."""

from __future__ import annotations

import gc
import weakref

from core.collector import collector_paused


def test_the_cycle_collector_runs_again_after_a_pause_and_finds_what_was_built_in_it():
    class Node:
        pass

    assert gc.isenabled()
    with collector_paused():
        with collector_paused():  # pauses overlap, as imports in two threads may
            node = Node()
            node.me = node  # a cycle: only the collector can free it
            alive = weakref.ref(node)
            del node
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.collect()
    assert alive() is None
    assert gc.get_freeze_count() == 0
