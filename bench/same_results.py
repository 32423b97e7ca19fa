"""Guard for speed work on the detector: dump every result for the profile's texts, then
compare a later tree's dump with it. Zero differences is the only pass.

    PYTHONPATH=src .venv/bin/python bench/same_results.py dump /tmp/before.jsonl
    PYTHONPATH=src .venv/bin/python bench/same_results.py check /tmp/before.jsonl

The texts are bench/profile_detect.py's (the corpus's training split and the hand-written set;
never the corpus's dev or test split). Each result is its whole ``to_dict()`` (verdict, reasons
with spans, rules and weights, targets, mitigations, summary, advice), every float rounded to
1e-9, so a change that moves any reason, any weight or any wording shows up, not only a label.
Each text is judged in batches of 256 through ``judge_many`` and once more through ``check``
(the one-item door), and both must agree.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))
from profile_detect import BATCH, load_requests


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def results() -> list[bytes]:
    from netral.detect.detector import get_detector

    det = get_detector()
    reqs = load_requests()
    lines: list[bytes] = []
    for i in range(0, len(reqs), BATCH):
        for req, res in zip(reqs[i : i + BATCH], det.judge_many(reqs[i : i + BATCH]), strict=True):
            if isinstance(res, Exception):
                row: Any = {"error": repr(res)}
            else:
                row = _rounded(res.to_dict())
                alone = _rounded(det.check(req.text, req.kind).to_dict())
                if alone != row:
                    row = {"batch": row, "alone": alone}
            lines.append(orjson.dumps(row, option=orjson.OPT_SORT_KEYS))
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=["dump", "check"])
    ap.add_argument("path", type=Path)
    args = ap.parse_args()
    lines = results()
    if args.mode == "dump":
        args.path.write_bytes(b"\n".join(lines) + b"\n")
        print(f"{len(lines)} results written to {args.path}")
        return
    before = args.path.read_bytes().splitlines()
    if len(before) != len(lines):
        raise SystemExit(f"{len(lines)} results, {len(before)} in {args.path}")
    diff = [i for i, (a, b) in enumerate(zip(before, lines, strict=True)) if a != b]
    for i in diff[:5]:
        print(f"row {i}:\n  before {before[i][:400]!r}\n  now    {lines[i][:400]!r}")
    print(f"{len(lines)} results, {len(diff)} differ")
    sys.exit(1 if diff else 0)


if __name__ == "__main__":
    main()
