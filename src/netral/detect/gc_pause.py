"""Python's cyclic garbage collector held off while a batch is judged (issue 10).

Judging a batch allocates about a hundred container objects per text (tokens, hits,
evidence, reasons) that all live until the batch ends and are then freed by reference
counting: on the profile's texts a whole pass leaves no cyclic garbage at all
(``gc.collect()`` after it, with the collector off, finds 0 objects). The collector's periodic
passes over them therefore find nothing, yet they promote the batch's objects to the oldest
generation, and that triggers a full collection over every long-lived object of the process
(the lexicon, the model's tables, the per-word caches) every few batches: about 25 µs of a
real post's ~290, a twelfth of the detector's time.

The pause is process-wide (``gc`` has no per-thread switch), so it is counted: threads judging
at once share one pause, and the collector comes back, if it was on, when the last one ends.
Cyclic garbage that other code makes meanwhile is collected then, at the collector's next
pass (the allocation counter keeps running while it is off).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0  # batches being judged now, in all threads
_was_enabled = False  # whether the collector was on when the first of them began


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block (nested and concurrent blocks share one
    pause); the collector's own state is restored when the last block ends."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
