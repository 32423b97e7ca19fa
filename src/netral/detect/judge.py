"""``judge()``: many requests, each judged once, on every core when it pays.

The many-item doors (monitoring ingest and rescan, the self-audit) call this instead of
``Detector.judge_many`` directly, so they share one policy:

* **de-duplication** — identical requests (same text, act, day, actor and boilerplate) are
  judged once; a history of 100,000 items holding the same forwarded message 2,000 times costs
  one judgement for it. The detector reads only the *day* of an act (``parse_when``), so two
  requests a few hours apart on one day are the same request. A caller streaming a long run
  (the self-audit) may also pass a :class:`Memo`, which remembers results across calls;
* **both cores** — once this process has been asked for ``WARM_UP`` judgements (a long ingest,
  rescan or audit, not a pre-post check or a small run, for which starting workers would cost
  more than it saves), batches of at least ``BATCH_MIN`` distinct requests are split over a
  pool of worker processes, each with its own detector for the same packs (the detector is
  CPU-bound Python: threads would not help); a detector a worker cannot rebuild stays here.
  :func:`submit` returns at once while the workers judge, so a caller can read its next
  items meanwhile (the audit parses on one core while the pool judges);
* **one error policy** — a request that cannot be judged yields its exception in its place
  (``RequestError`` for bad input, anything else for a detector fault); the others are judged.
  When a whole batch fails (the model itself), its requests are judged one by one;
* **compact results** — a caller that needs only part of a ``Result`` (a verdict, a score, its
  JSON) passes ``compact``, a module-level function applied to each ``Result`` where it was
  judged: the pool then sends back that small value instead of pickling the rich object
  (pickling ``Result`` objects both ways cost about 120 µs per item, more than half of what
  judging a typical item costs).

Results are identical to ``Detector.judge_many`` on the same requests (tested).
"""

from __future__ import annotations

import atexit
import dataclasses
import multiprocessing
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import date, datetime
from typing import Any

from netral.detect.request import Request
from netral.detect.result import Result

WARM_UP = 5_000  # judgements asked of this process before the pool is worth starting
BATCH_MIN = 200  # distinct requests in a batch worth sending to the workers
_CHUNK = 1_000  # requests per task at most: amortises pickling, keeps the workers balanced
_asked = 0  # judgements asked of judge() in this process so far
_pool_broken = False  # a worker died once: judge here from then on

_pools: dict[tuple[Any, int], ProcessPoolExecutor] = {}
_pools_lock = threading.Lock()


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else (os.cpu_count() or 1))


def _day(when: object) -> object:
    # what the detector reads of ``when`` (netral.detect.when.parse_when): its date only;
    # strings stay strings (a bad one must still yield its own RequestError)
    if isinstance(when, datetime):
        return when.date()
    if isinstance(when, date):
        return when
    return None if when is None else str(when)


def _request_key(r: Request) -> tuple:
    return (r.text, (r.kind or "post").lower(), _day(r.when), r.account, r.employee,
            tuple(r.boilerplate), r.lang)


class Memo:
    """Results remembered across :func:`submit` calls of one run, at most ``size`` of them
    (the oldest are forgotten first: bounded memory on any export). Results found here are
    the same objects for every identical request: a caller passing a memo must not mutate
    them."""

    def __init__(self, size: int = 20_000) -> None:
        self.size = size
        # OrderedDict, not dict: forgetting a plain dict's first entry again and again walks
        # over the holes the earlier deletions left (quadratic on a long audit)
        self._results: OrderedDict[tuple, Result | Exception] = OrderedDict()

    def get(self, key: tuple) -> Result | Exception | None:
        return self._results.get(key)

    def put(self, key: tuple, res: Result | Exception) -> None:
        results = self._results
        if key not in results and len(results) >= self.size:
            results.popitem(last=False)
        results[key] = res

    def __len__(self) -> int:
        return len(self._results)


class Judging:
    """Judgements under way (:func:`submit`); :meth:`result` waits for them."""

    def __init__(self, n: int, slots: list[int], keys: list[tuple], known: dict[int, Any],
                 memo: Memo | None, judged: list[Any] | None = None,
                 futures: list[tuple[Future, list[Request]]] | None = None,
                 detector: Any = None, use_model: bool = True,
                 compact: Compact | None = None) -> None:
        self.n = n  # requests asked
        self._slots, self._keys, self._known, self._memo = slots, keys, known, memo
        self._judged, self._futures = judged, futures
        self._detector, self._use_model, self._compact = detector, use_model, compact

    def done(self) -> bool:
        return self._futures is None or all(f.done() for f, _chunk in self._futures)

    def result(self) -> list[Result | Exception]:
        judged = self._judged
        if judged is None:
            judged = []
            for f, chunk in self._futures or ():
                try:
                    judged.extend(f.result())
                except Exception:  # a worker died (killed, out of memory, cannot start):
                    _pool_failed()  # this chunk and every later batch are judged here
                    judged.extend(_compacted(
                        _judge_here(self._detector, chunk, self._use_model), self._compact))
            self._judged, self._futures = judged, None
        memo = self._memo
        if memo is not None:
            for key, res in zip(self._keys, judged, strict=True):
                memo.put(key, res)
        known = self._known
        if not known and len(judged) == len(self._slots):
            return list(judged)
        # a shared Result object for duplicates would be mutated by one door for all: copy
        # (not with a memo, whose callers promise not to mutate)
        out: list[Result | Exception] = []
        seen: set[int] = set()
        for at in self._slots:
            res = known[at] if at < 0 else judged[at]
            if memo is None and at in seen and isinstance(res, Result):
                res = _copy(res)
            seen.add(at)
            out.append(res)
        return out


Compact = Callable[[Result], Any]


def submit(requests: Sequence[Request], detector, *, use_model: bool = True,
           workers: int = 1, memo: Memo | None = None, beside: bool = False,
           compact: Compact | None = None) -> Judging:
    """Start judging ``requests``: on the worker pool (returns at once) for a long run, here
    (returns when done) otherwise. ``workers``: 1 judges here; 0 means every core. With
    ``beside`` the caller keeps a core busy itself (the audit parses while the pool judges):
    ``workers`` processes judge beside it, one included, and 0 means every core but one.
    ``compact``: a picklable function applied to each ``Result`` where it is judged; its
    value (immutable: duplicates share it) is returned in the Result's place. A memo then
    remembers compact values: use one memo with one ``compact`` only."""
    index: dict[tuple, int] = {}
    distinct: list[Request] = []
    keys: list[tuple] = []
    slots: list[int] = []
    known: dict[int, Any] = {}  # slot < 0 -> a result from the memo
    for r in requests:
        key = _request_key(r)
        at = index.get(key)
        if at is None:
            hit = memo.get(key) if memo is not None else None
            if hit is not None:
                at = -1 - len(known)
                known[at] = hit
            else:
                at = len(distinct)
                distinct.append(r)
                keys.append(key)
            index[key] = at
        slots.append(at)
    global _asked
    _asked += len(requests)
    if workers <= 0:
        workers = default_workers() - 1 if beside else default_workers()
    pack_key = getattr(detector, "pack_key", False)
    if (workers > (0 if beside else 1) and pack_key is not False
            and len(distinct) >= BATCH_MIN and _asked >= WARM_UP and not _pool_broken):
        futures = _submit_to_pool(distinct, pack_key, workers, use_model, compact)
        return Judging(len(requests), slots, keys, known, memo, futures=futures,
                       detector=detector, use_model=use_model, compact=compact)
    judged = _compacted(_judge_here(detector, distinct, use_model), compact) if distinct else []
    return Judging(len(requests), slots, keys, known, memo, judged=judged)


def judge(requests: Sequence[Request], detector, *, use_model: bool = True,
          workers: int = 1, memo: Memo | None = None) -> list[Result | Exception]:
    """One result (or the exception the item raised) per request, in order. ``workers``: 1
    judges here; 0 means every core; more than 1 uses a process pool for large batches."""
    return submit(requests, detector, use_model=use_model, workers=workers,
                  memo=memo).result()


def _judge_here(detector, requests: Sequence[Request],
                use_model: bool) -> list[Result | Exception]:
    try:
        return list(detector.judge_many(requests, use_model=use_model))
    except Exception:  # the batch itself failed (e.g. the model): one by one
        out: list[Result | Exception] = []
        for req in requests:
            try:
                out.extend(detector.judge_many([req], use_model=use_model))
            except Exception as one:
                out.append(one)
        return out


def _compacted(results: list[Result | Exception],
               compact: Compact | None) -> list[Any]:
    if compact is None:
        return results
    return [res if isinstance(res, Exception) else compact(res) for res in results]


def _copy(res: Result) -> Result:
    import copy

    return copy.deepcopy(res)


# -- the pool ------------------------------------------------------------------------------------
def _judge_chunk(pack_key: tuple[str, ...] | None, requests: list[Request | tuple],
                 use_model: bool, compact: Compact | None = None) -> list[Any]:
    """Runs in a worker process: its own detector for the same packs, built once.
    Requests come as plain tuples (``_as_tuple``): a third of the pickling cost of the
    dataclass objects."""
    from netral.detect.detector import get_detector

    requests = [Request(*r) if isinstance(r, tuple) else r for r in requests]
    return _compacted(_judge_here(get_detector(pack_key), requests, use_model), compact)


_REQUEST_FIELDS = tuple(f.name for f in dataclasses.fields(Request))


def _as_tuple(r: Request) -> tuple:
    """``Request(*_as_tuple(r)) == r`` whatever fields ``Request`` gains."""
    return tuple(getattr(r, name) for name in _REQUEST_FIELDS)


def _pool(pack_key: tuple[str, ...] | None, workers: int) -> ProcessPoolExecutor:
    key = (pack_key, workers)
    with _pools_lock:
        pool = _pools.get(key)
        if pool is None:
            # spawn, not fork: the parent may hold database connections and threads that a
            # forked child must not inherit
            pool = ProcessPoolExecutor(max_workers=workers,
                                       mp_context=multiprocessing.get_context("spawn"))
            _pools[key] = pool
        return pool


def _submit_to_pool(requests: list[Request], pack_key: tuple[str, ...] | None, workers: int,
                    use_model: bool,
                    compact: Compact | None = None) -> list[tuple[Future, list[Request]]]:
    pool = _pool(pack_key, workers)
    size = min(_CHUNK, -(-len(requests) // workers))  # every worker gets a share
    chunks = [requests[i:i + size] for i in range(0, len(requests), size)]
    return [(pool.submit(_judge_chunk, pack_key, [_as_tuple(r) for r in chunk], use_model,
                         compact), chunk)
            for chunk in chunks]


def _pool_failed() -> None:
    global _pool_broken
    _pool_broken = True
    threading.Thread(target=shutdown, daemon=True).start()  # never wait on a broken pool


def shutdown() -> None:
    """Stop the worker processes (also done at exit)."""
    with _pools_lock:
        pools = list(_pools.values())
        _pools.clear()
    for pool in pools:
        pool.shutdown(wait=True, cancel_futures=True)


atexit.register(shutdown)
