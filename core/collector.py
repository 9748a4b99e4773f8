"""Pausing Python's cycle collector while a large batch of objects is built."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_state = {"pauses": 0, "was_enabled": True}


@contextmanager
def collector_paused() -> Iterator[None]:
    """Keep Python's cycle collector from running inside the block.

    The collector runs after every few hundred new objects and now and then walks through every
    object alive: with the hundreds of thousands a large import or a duplicate scan builds, its
    walks took a third of the time, and nothing those build refers to itself in a cycle. Blocks
    in several threads may overlap: the collector runs again once the last of them ends (if it
    ran before the first).
    """
    with _lock:
        if _state["pauses"] == 0:
            _state["was_enabled"] = gc.isenabled()
            gc.disable()
        _state["pauses"] += 1
    try:
        yield
    finally:
        with _lock:
            _state["pauses"] -= 1
            if _state["pauses"] == 0 and _state["was_enabled"]:
                # What the block built counts as new to the collector, whose next young
                # collection would walk all of it (20 ms after a large import's commit). Moved
                # to the oldest generation unwalked instead (freeze, then unfreeze): most of it
                # is freed by reference counting once the request ends, before any walk.
                gc.freeze()
                gc.unfreeze()
                gc.enable()
