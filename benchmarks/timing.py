"""Timing helpers shared by the benchmark modules."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def interleaved(ours: Callable[[], object], floor: Callable[[], object], runs: int,
                warmup: int = 20) -> tuple[float, float]:
    """Medians of an operation and its floor timed alternately, so that a noisy stretch of the machine's time
    falls on both sides alike."""
    for _ in range(warmup):
        ours()
        floor()
    a, b = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        ours()
        t1 = time.perf_counter()
        floor()
        t2 = time.perf_counter()
        a.append(t1 - t0)
        b.append(t2 - t1)
    return statistics.median(a), statistics.median(b)
