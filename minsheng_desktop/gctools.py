"""Keeping the cyclic garbage collector from stalling the window while big documents are read or built."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a document is built.

    A large export allocates hundreds of thousands of objects, which triggers full collections; each one stops
    every thread, the window's included, for 150-200 ms. The builders make few reference cycles, so the
    collector simply waits until the document is done (the process-wide switch is restored afterwards)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
