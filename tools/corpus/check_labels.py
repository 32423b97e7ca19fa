"""Validate one labelling output file against its chunk (every id once, allowed values only).

Usage: .venv/bin/python tools/corpus/check_labels.py CHUNK.jsonl LABELS.jsonl
Exit 0 and "OK n labels" when complete; otherwise each problem on its own line and exit 1.
"""

from __future__ import annotations

import sys

import orjson

LABELS = {"kampanye", "netral"}
STANCES = {"support", "oppose", None}
TYPES = {"news", "official", "civic", "factcheck", "partisan", "everyday", "other"}
POINTS = set(range(1, 12))


def main(chunk_path: str, labels_path: str) -> int:
    with open(chunk_path, "rb") as fh:
        want = [orjson.loads(line)["id"] for line in fh if line.strip()]
    problems: list[str] = []
    got: dict[str, dict] = {}
    with open(labels_path, "rb") as fh:
        lines = fh.read().splitlines()
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            problems.append(f"line {n}: not JSON ({exc})")
            continue
        rid = row.get("id")
        if rid in got:
            problems.append(f"line {n}: {rid} labelled twice")
        got[rid] = row
        if row.get("label") not in LABELS:
            problems.append(f"line {n}: label must be one of {sorted(LABELS)}")
        if row.get("stance") not in STANCES:
            problems.append(f"line {n}: stance must be support, oppose or null")
        if row.get("type") not in TYPES:
            problems.append(f"line {n}: type must be one of {sorted(TYPES)}")
        if row.get("point") not in POINTS:
            problems.append(f"line {n}: point must be a guideline point 1-11")
        if row.get("label") == "kampanye" and row.get("point") not in range(1, 6):
            problems.append(f"line {n}: a kampanye label is decided by points 1-5")
        if row.get("label") == "netral" and row.get("point") not in range(6, 12):
            problems.append(f"line {n}: a netral label is decided by points 6-11")
        if not isinstance(row.get("hard", False), bool) or not isinstance(row.get("unsure", False), bool):
            problems.append(f"line {n}: hard and unsure must be true or false")
    missing = [i for i in want if i not in got]
    extra = [i for i in got if i not in set(want)]
    if missing:
        problems.append(f"missing {len(missing)} ids, first: {missing[:5]}")
    if extra:
        problems.append(f"ids not in the chunk: {extra[:5]}")
    for p in problems:
        print(p)
    if problems:
        return 1
    print(f"OK {len(got)} labels")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:3]))
