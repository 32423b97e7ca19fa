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
pass (the allocation counter keeps running while it is off). A busy server whose judging
threads always overlap would never reach that point, so a pause that has lasted
:data:`LONGEST_PAUSE` seconds collects once when one of its batches ends: garbage waits at most
that long, whatever the load.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0  # batches being judged now, in all threads
_was_enabled = False  # whether the collector was on when the first of them began
_since = 0.0  # when the pause began, or last collected
LONGEST_PAUSE = 5.0  # seconds


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block (nested and concurrent blocks share one
    pause); the collector's own state is restored when the last block ends."""
    global _depth, _was_enabled, _since
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            _since = time.monotonic()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        collect = False
        with _lock:
            _depth -= 1
            if _depth == 0:
                if _was_enabled:
                    gc.enable()
            elif _was_enabled and time.monotonic() - _since >= LONGEST_PAUSE:
                _since = time.monotonic()
                collect = True
        if collect:  # outside the lock: a full collection takes milliseconds
            gc.collect()
