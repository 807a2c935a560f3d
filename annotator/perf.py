"""Pausing the cyclic garbage collector while bulk work builds many small objects.

Loading 60,000 spans makes ~120,000 tuples; each allocation burst triggers collections that walk
every live object (Qt wrappers, SQLAlchemy metadata), which doubled the time of a document open
(benchmarks/bench_review.py). Nothing built in these blocks forms reference cycles that must be
freed early, so a collection after the block loses nothing.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
