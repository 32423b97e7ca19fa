"""The collector pause around a judged batch: nested and concurrent pauses share one, and the
collector's own state comes back (it stays off where the caller had turned it off)."""

from __future__ import annotations

import gc
import threading

from netral.detect.gc_pause import gc_paused


def test_nested_pauses_restore_the_collector() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer batch is still being judged
    assert gc.isenabled()


def test_a_collector_turned_off_stays_off() -> None:
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_overlapping_threads_share_one_pause() -> None:
    inside, leave = threading.Event(), threading.Event()

    def other() -> None:
        with gc_paused():
            inside.set()
            leave.wait(5)

    t = threading.Thread(target=other)
    with gc_paused():
        t.start()
        assert inside.wait(5)
    assert not gc.isenabled()  # the other thread's batch goes on
    leave.set()
    t.join(5)
    assert gc.isenabled()


def test_judge_many_leaves_the_collector_on() -> None:
    from netral.detect.detector import get_detector

    get_detector().check("Ayo coblos nomor 2!")
    assert gc.isenabled()


def test_pauses_that_always_overlap_still_collect(monkeypatch) -> None:
    """Judging threads that never all finish at once (a busy server) would keep the collector
    off for good: a pause older than LONGEST_PAUSE collects cyclic garbage when one of its
    batches ends."""
    from netral.detect import gc_pause

    monkeypatch.setattr(gc_pause, "LONGEST_PAUSE", 0.0)

    class Cycle:
        def __init__(self) -> None:
            self.me = self

    with gc_paused():  # the long-running other batch
        with gc_paused():
            Cycle()  # unreachable at once, but only the collector frees a cycle
            alive = [o for o in gc.get_objects() if isinstance(o, Cycle)]
            assert alive
            del alive
        assert not any(isinstance(o, Cycle) for o in gc.get_objects())
        assert not gc.isenabled()  # still paused for the outer batch
    assert gc.isenabled()
