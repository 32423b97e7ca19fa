"""Where a real post's CPU time goes: judge real text in batches, time each stage, and compare
with an earlier revision in the same run (issues 10 and 17).

    .venv/bin/python bench/profile_detect.py [--before REV] [--repeat 3] [--cprofile 30]

The texts: the real corpus's training split (``data/corpus/real_train.jsonl``, rebuilt, not in
git; never the dev split, which is kept for evaluation) and the hand-written set
(``data/eval/dev.jsonl``). Every one is election-related, so few take the pre-filter's cheap
path: this is the detector's per-text work, not the scan's mix.

One process, batches of 256 through ``Detector.judge_many`` (the way scan, rescan and the
audit call it), after a warm-up pass (the per-word caches are then warm, as in a long run).
Printed: CPU µs per text for the whole judgement (the best of ``--repeat`` uninstrumented
passes), posts/s on one process, and CPU µs per text per stage (each stage wrapped in a timer,
its best of ``--repeat`` instrumented passes; "other" is validation, building the Document,
the loop and the timers' own cost, about the instrumented total less the plain one). With
``--before REV`` the same measurement runs on the source tree of REV (taken out of git into a
temporary folder) in alternation with this tree's, so both see the same machine load; every
figure is its best over ``--rounds``; the load average is printed. ``--cprofile N`` prints
the N functions with the most own time instead.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TEXTS = (ROOT / "data" / "corpus" / "real_train.jsonl", ROOT / "data" / "eval" / "dev.jsonl")
BATCH = 256


def load_requests() -> list[Any]:
    import orjson

    from netral.detect.request import Request

    if not TEXTS[0].is_file():
        raise SystemExit(f"{TEXTS[0]} is not here (the real corpus' texts are not committed); "
                         "rebuild them (data/corpus/SOURCES.md, 'How to get the texts')")
    reqs = []
    for path in TEXTS:
        for line in path.read_bytes().splitlines():
            if line.strip():
                row = orjson.loads(line)
                reqs.append(Request(row["text"], row.get("kind") or "post"))
    return reqs


def judge_all(det: Any, reqs: list[Any]) -> None:
    for i in range(0, len(reqs), BATCH):
        det.judge_many(reqs[i:i + BATCH])


class Timers:
    """CPU nanoseconds per named stage, summed over a pass."""

    def __init__(self) -> None:
        self.ns: dict[str, int] = {}

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        clock = time.process_time_ns
        self.ns.setdefault(name, 0)

        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = clock()
            try:
                return fn(*args, **kwargs)
            finally:
                self.ns[name] += clock() - t0

        return timed


def instrument(det: Any, timers: Timers) -> None:
    """Wrap every stage of the pipeline in a timer (this process only: it is thrown away)."""
    from netral.detect import combine, detector, explain

    model = det.model
    # a compiled (mypyc) object or class takes no new attributes: its stage is then counted in
    # the stage that calls it ("other" for the pre-filter, normalise and the model)
    _wrap_attr(timers, "pre-filter", det.lexicon, "may_concern")
    _wrap_attr(timers, "normalise", det.normaliser, "normalise")
    _wrap_attr(timers, "model", model, "predict_many")
    detector.STAGES = tuple(timers.wrap(f"{s.__module__.rsplit('.', 1)[-1]}.{s.__name__}", s)
                            for s in detector.STAGES)
    explain.result = timers.wrap("explain.result", explain.result)
    # inside score.weigh: the combiner's features, its arithmetic (logistic or trees) and the
    # floors (a method on the class, so the wrapper binds as one)
    _wrap_attr(timers, "combine.probability", combine.Combiner, "probability")
    if hasattr(combine.Combiner, "raw"):  # the combiner's arithmetic alone (since the trees)
        _wrap_attr(timers, "combine.raw", combine.Combiner, "raw")


def _wrap_attr(timers: Timers, name: str, owner: Any, attr: str) -> None:
    try:
        setattr(owner, attr, timers.wrap(name, getattr(owner, attr)))
    except (AttributeError, TypeError):
        del timers.ns[name]


def measure(repeat: int, cprofile: int) -> dict[str, Any]:
    from netral.detect.detector import get_detector

    reqs = load_requests()
    det = get_detector()
    judge_all(det, reqs)  # warm: packs, caches, model
    if cprofile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        judge_all(det, reqs)
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(cprofile)
        return {}
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        judge_all(det, reqs)
        best = min(best, time.process_time() - t0)
    timers = Timers()
    instrument(det, timers)
    n = len(reqs)
    stages: dict[str, float] = {}
    instrumented = float("inf")
    for _ in range(repeat):  # each stage's best pass: the machine may be shared
        timers.ns = dict.fromkeys(timers.ns, 0)
        t0 = time.process_time_ns()
        judge_all(det, reqs)
        total_ns = time.process_time_ns() - t0
        timers.ns["other"] = total_ns - sum(timers.ns.values())
        for k, v in timers.ns.items():
            stages[k] = min(stages.get(k, float("inf")), v / n / 1e3)
        instrumented = min(instrumented, total_ns / n / 1e3)
    return {"texts": n, "us_per_text": best / n * 1e6, "posts_per_s": n / best,
            "stages_us": stages, "instrumented_us": instrumented}


def run_child(src: Path, repeat: int) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=str(src))
    out = subprocess.run([sys.executable, __file__, "--child", "--repeat", str(repeat)],
                         env=env, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def show(results: dict[str, dict[str, Any]]) -> None:
    names = list(results)
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}; "
          f"{next(iter(results.values()))['texts']} texts, batches of {BATCH}, one process")
    print(f"{'':28}" + "".join(f"{n:>14}" for n in names))
    print(f"{'CPU µs/text (best)':28}" + "".join(f"{r['us_per_text']:14.1f}"
                                                   for r in results.values()))
    print(f"{'posts/s, 1 process':28}" + "".join(f"{r['posts_per_s']:14,.0f}"
                                                   for r in results.values()))
    print(f"{'instrumented µs/text':28}" + "".join(f"{r['instrumented_us']:14.1f}"
                                                     for r in results.values()))
    stages: list[str] = []
    for r in results.values():
        stages += [s for s in r["stages_us"] if s not in stages]
    last = results[names[-1]]["stages_us"]
    for s in sorted(stages, key=lambda s: -last.get(s, 0.0)):
        print(f"  {s:26}" + "".join(f"{r['stages_us'].get(s, 0.0):14.1f}"
                                    for r in results.values()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", help="a git revision to compare with, in the same run")
    ap.add_argument("--repeat", type=int, default=3, help="uninstrumented passes (best kept)")
    ap.add_argument("--rounds", type=int, default=1, help="alternations with --before")
    ap.add_argument("--cprofile", type=int, default=0, help="print the N most costly functions")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child or args.cprofile:
        print(json.dumps(measure(args.repeat, args.cprofile)))
        return
    if not args.before:
        show({"now": run_child(ROOT / "src", args.repeat)})
        return
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "archive", args.before, "src"], cwd=ROOT,
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        runs: dict[str, list[dict[str, Any]]] = {args.before: [], "now": []}
        for _ in range(args.rounds):
            runs[args.before].append(run_child(Path(tmp) / "src", args.repeat))
            runs["now"].append(run_child(ROOT / "src", args.repeat))
        show({k: _best(v) for k, v in runs.items()})


def _best(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Each figure's best (lowest time) over the rounds: the machine may be shared."""
    best = min(runs, key=lambda r: r["us_per_text"])
    stages = {k: min(r["stages_us"].get(k, float("inf")) for r in runs)
              for k in best["stages_us"]}
    return {**best, "stages_us": stages,
            "instrumented_us": min(r["instrumented_us"] for r in runs)}


if __name__ == "__main__":
    main()
