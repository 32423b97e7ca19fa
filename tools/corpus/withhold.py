"""List the pool rows whose text overlaps a reserved dataset: data/corpus/withheld.jsonl.

Usage:
    # the key file of batches 8 and 9 (SOURCES.md, "Withheld rows"; never committed)
    .venv/bin/python tools/corpus/withhold.py --exclude-keys /tmp/reserved.keys
    .venv/bin/python tools/corpus/withhold.py --exclude-keys /tmp/reserved.keys --check

Every row of ``pool.jsonl`` (every batch, labelled or not, every split and source) is tested with
``collect.py``'s own functions, the rule the draws use since batch 6: its exact key among the
reserved keys (``reserved_exact``), else its loose key (``reserved_loose``), else ≥ 70 % of its
word 3-grams among the reserved 3-grams (``reserved_near``; for every source here, not only
those marked ``reserved_near``). Rows drawn before a check existed for their source can fail
it. A listed row keeps its id and labels and is in no split (``merge_passes.py`` gives it
``split: "withheld"``): never trained on, never in dev, test or a figure.

The list only grows: a row already listed stays listed (a key file lacking some keys must not
bring a row back). The key file must hold the loose keys and the 3-grams (``reserved_keys.py
--loose`` and ``--shingles``). Prints counts per source and reason, never a text.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections import Counter
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))
from collect import LOOSE, NEAR, dedup_key, loose_key, near_reserved
from texts import (
    POOL,
    SOURCES_COPYING_RESERVED,
    WITHHELD,
    WITHHELD_REASONS,
    read_corpus,
    read_jsonl,
)


def reserved_reason(text: str, excluded: set[str]) -> str | None:
    """Why a text may not be used (the first of exact, loose, near that holds), or None."""
    if hashlib.sha256(dedup_key(text).encode()).hexdigest() in excluded:
        return "reserved_exact"
    if LOOSE + hashlib.sha256(loose_key(text).encode()).hexdigest() in excluded:
        return "reserved_loose"
    if near_reserved(text, excluded):
        return "reserved_near"
    return None


def _number(row_id: str) -> int:
    return int(row_id.split("-")[1])


def find(pool: list[dict], excluded: set[str]) -> list[dict]:
    out = []
    for r in pool:
        why = reserved_reason(r["text"], excluded)
        if not why and r["source"] in SOURCES_COPYING_RESERVED:
            why = "source_copies_reserved"
        if why:
            out.append({"id": r["id"], "source": r["source"], "reason": why})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--exclude-keys",
        type=Path,
        required=True,
        help="reserved_keys.py --loose (20 repositories) and --shingles key file",
    )
    ap.add_argument("--pool", type=Path, default=POOL)
    ap.add_argument("--out", type=Path, default=WITHHELD)
    ap.add_argument("--check", action="store_true", help="only say whether the list is complete")
    args = ap.parse_args(argv)
    excluded = set(args.exclude_keys.read_text().split())
    if not any(k.startswith(LOOSE) for k in excluded) or not any(k.startswith(NEAR) for k in excluded):
        raise SystemExit(
            f"{args.exclude_keys}: no loose keys or no 3-grams; write it with "
            "reserved_keys.py --loose and --shingles"
        )
    pool = read_corpus(args.pool)
    found = find(pool, excluded)
    listed = {r["id"]: r for r in read_jsonl(args.out)} if args.out.is_file() else {}
    bad = [r["id"] for r in listed.values() if r.get("reason") not in WITHHELD_REASONS]
    if bad:
        raise SystemExit(f"{args.out}: unknown reason for {bad[:5]}")
    new = [r for r in found if r["id"] not in listed]
    gone = sorted(set(listed) - {r["id"] for r in found}, key=_number)
    counts = Counter((r["source"], r["reason"]) for r in found)
    for (source, reason), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"{source:40} {reason:15} {n:5}")
    print(
        f"{len(pool)} pool rows checked: {len(found)} overlap a reserved dataset "
        f"({dict(Counter(r['reason'] for r in found))}); {len(new)} not yet listed, "
        f"{len(gone)} listed and not found with this key file (kept)"
    )
    if args.check:
        return 1 if new else 0
    rows = sorted([*listed.values(), *new], key=lambda r: _number(r["id"]))
    with args.out.open("wb") as fh:
        for r in rows:
            fh.write(orjson.dumps({"id": r["id"], "source": r["source"], "reason": r["reason"]}) + b"\n")
    print(f"{len(rows)} rows -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
