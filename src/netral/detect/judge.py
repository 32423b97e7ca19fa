"""``judge()``: many requests, each judged once, on every core when it pays.

The many-item doors (monitoring ingest and rescan, the self-audit) call this instead of
``Detector.judge_many`` directly, so they share one policy:

* **de-duplication** — identical requests (same text, act, day, actor and boilerplate) are
  judged once; a history of 100,000 items holding the same forwarded message 2,000 times costs
  one judgement for it;
* **both cores** — once this process has been asked for ``WARM_UP`` judgements (a long ingest,
  rescan or audit, not a pre-post check or a small run, for which starting workers would cost
  more than it saves), batches of at least ``BATCH_MIN`` distinct requests are split over a
  pool of worker processes, each with its own detector for the same packs (the detector is
  CPU-bound Python: threads would not help); a detector a worker cannot rebuild stays here;
* **one error policy** — a request that cannot be judged yields its exception in its place
  (``RequestError`` for bad input, anything else for a detector fault); the others are judged.

Results are identical to ``Detector.judge_many`` on the same requests (tested).
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from netral.detect.request import Request
from netral.detect.result import Result

WARM_UP = 5_000  # judgements asked of this process before the pool is worth starting
BATCH_MIN = 200  # distinct requests in a batch worth sending to the workers
_CHUNK = 1_000  # requests per task at most: amortises pickling, keeps the workers balanced
_asked = 0  # judgements asked of judge() in this process so far

_pools: dict[tuple[Any, int], ProcessPoolExecutor] = {}
_pools_lock = threading.Lock()


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else (os.cpu_count() or 1))


def _request_key(r: Request) -> tuple:
    return (r.text, (r.kind or "post").lower(), str(r.when) if r.when is not None else None,
            r.account, r.employee, tuple(r.boilerplate), r.lang)


def judge(requests: Sequence[Request], detector, *, use_model: bool = True,
          workers: int = 1) -> list[Result | Exception]:
    """One result (or the exception the item raised) per request, in order. ``workers``: 1
    judges here; 0 means every core; more than 1 uses a process pool for large batches."""
    index: dict[tuple, int] = {}
    distinct: list[Request] = []
    slots: list[int] = []
    for r in requests:
        key = _request_key(r)
        at = index.get(key)
        if at is None:
            at = index[key] = len(distinct)
            distinct.append(r)
        slots.append(at)
    global _asked
    _asked += len(requests)
    workers = default_workers() if workers <= 0 else workers
    pack_key = getattr(detector, "pack_key", False)
    if (workers > 1 and pack_key is not False and len(distinct) >= BATCH_MIN
            and _asked >= WARM_UP):
        judged = _judge_in_pool(distinct, pack_key, workers, use_model)
    else:
        judged = detector.judge_many(distinct, use_model=use_model)
    if len(distinct) == len(requests):
        return list(judged)
    # a shared Result object for duplicates would be mutated by one door for all: copy
    out: list[Result | Exception] = []
    seen: set[int] = set()
    for at in slots:
        res = judged[at]
        if at in seen and isinstance(res, Result):
            res = _copy(res)
        seen.add(at)
        out.append(res)
    return out


def _copy(res: Result) -> Result:
    import copy

    return copy.deepcopy(res)


# -- the pool ------------------------------------------------------------------------------------
def _judge_chunk(pack_key: tuple[str, ...] | None, requests: list[Request],
                 use_model: bool) -> list[Result | Exception]:
    """Runs in a worker process: its own detector for the same packs, built once."""
    from netral.detect.detector import get_detector

    return get_detector(pack_key).judge_many(requests, use_model=use_model)


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


def _judge_in_pool(requests: list[Request], pack_key: tuple[str, ...] | None, workers: int,
                   use_model: bool) -> list[Result | Exception]:
    pool = _pool(pack_key, workers)
    size = min(_CHUNK, -(-len(requests) // workers))  # every worker gets a share
    futures = [pool.submit(_judge_chunk, pack_key, requests[i:i + size], use_model)
               for i in range(0, len(requests), size)]
    out: list[Result | Exception] = []
    for f in futures:
        out.extend(f.result())
    return out


def shutdown() -> None:
    """Stop the worker processes (also done at exit)."""
    with _pools_lock:
        pools = list(_pools.values())
        _pools.clear()
    for pool in pools:
        pool.shutdown(wait=True, cancel_futures=True)


atexit.register(shutdown)
