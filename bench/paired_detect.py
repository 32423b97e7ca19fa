"""CPU per real post of two source trees measured side by side, pass for pass: on a shared
machine the load moves within a minute, so ``profile_detect.py --before`` (one tree's
process after the other's) can see one tree at a quieter time than the other. Here both trees'
processes judge the same texts at the same time, each pass started together, and each
tree's figure is its median and best over the passes.

    .venv/bin/python bench/paired_detect.py --before main [--after REV] [--passes 7]
    .venv/bin/python bench/paired_detect.py --src pure=src --src built=/tmp/b/src [--passes 7]

``--src NAME=FOLDER`` (twice or more) measures source folders as they are instead of git
revisions: a tree with compiled modules beside its sources, say (docs/compiled.md).

The texts and batches are ``profile_detect.py``'s (the corpus's training split and the
hand-written set, batches of 256 through ``Detector.judge_many``, caches warm).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child() -> None:
    """Load, warm, then one timed pass per line read from stdin, its CPU µs/text printed."""
    sys.path.insert(0, str(ROOT / "bench"))
    from profile_detect import judge_all, load_requests

    from netral.detect.detector import get_detector

    reqs = load_requests()
    det = get_detector()
    judge_all(det, reqs)
    print("ready", flush=True)
    for _ in sys.stdin:
        t0 = time.process_time()
        judge_all(det, reqs)
        print(f"{(time.process_time() - t0) / len(reqs) * 1e6:.1f}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", help="the git revision to compare with")
    ap.add_argument("--src", action="append", default=[], metavar="NAME=FOLDER",
                    help="a source folder to measure as it is (instead of --before/--after)")
    ap.add_argument("--after", help="a git revision to measure instead of this tree")
    ap.add_argument("--passes", type=int, default=7)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child()
        return
    if not args.before and len(args.src) < 2:
        ap.error("give --before REV, or --src NAME=FOLDER twice or more")
    with tempfile.TemporaryDirectory() as tmp:
        trees = dict(s.split("=", 1) for s in args.src) if args.src else {
            args.before: _extract(args.before, Path(tmp) / "before"),
            args.after or "now": _extract(args.after, Path(tmp) / "after") if args.after else ROOT / "src",
        }
        procs = {
            name: subprocess.Popen(
                [sys.executable, __file__, "--child"],
                env=dict(os.environ, PYTHONPATH=str(src)),
                cwd=ROOT,
                text=True,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
            )
            for name, src in trees.items()
        }
        for p in procs.values():
            assert p.stdout is not None and p.stdout.readline().strip() == "ready"
        times: dict[str, list[float]] = {name: [] for name in procs}
        for _ in range(args.passes):
            for p in procs.values():  # both passes start together
                assert p.stdin is not None
                p.stdin.write("go\n")
                p.stdin.flush()
            for name, p in procs.items():
                assert p.stdout is not None
                times[name].append(float(p.stdout.readline()))
        for p in procs.values():
            assert p.stdin is not None
            p.stdin.close()
            p.wait()
    print(f"load average {os.getloadavg()[0]:.2f} (at the end); {args.passes} passes side by side; "
          "CPU µs/text")
    for name, ts in times.items():
        print(
            f"  {name:>10}: median {statistics.median(ts):7.1f}  best {min(ts):7.1f}  "
            f"passes {' '.join(f'{t:.0f}' for t in ts)}"
        )


def _extract(rev: str, into: Path) -> Path:
    """The ``src`` folder of git revision ``rev``, written under ``into``."""
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", rev, "src"], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "src"


if __name__ == "__main__":
    main()
