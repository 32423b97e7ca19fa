"""Hashes of every text in the reserved datasets, so that the corpus can drop overlaps.

Usage:
    .venv/bin/python tools/corpus/reserved_keys.py --mirror /work/.mirror REPO... > /tmp/reserved.keys
    # also the looser keys (batch 6 on): a reserved text re-published with placeholders/escapes;
    # --shingles adds hashed word 3-grams for the near-duplicate check of `reserved_near` sources
    .venv/bin/python tools/corpus/reserved_keys.py --loose --mirror /work/.mirror REPO... > /tmp/reserved.keys

The reserved datasets (shared/RESERVED.md) are kept for independent evaluation. This script
is the only code that opens them, and it prints nothing of their content: for every text cell
it prints the SHA-256 of the same duplicate key `collect.py` uses, and `collect.py
--exclude-keys` drops pool texts whose key is among them. The key file is not committed.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))
from collect import LOOSE, NEAR, dedup_key, loose_key, near_hashes

TEXT_EXT = (".csv", ".tsv", ".txt", ".json", ".jsonl", ".xlsx")
csv.field_size_limit(10_000_000)


def _strings(obj):  # every string inside a JSON value
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _strings(v)


def cells(name: str, blob: bytes):
    if name.endswith(".xlsx"):
        try:
            wb = openpyxl.load_workbook(io.BytesIO(blob), read_only=True, data_only=True)
        except Exception:  # a broken or LFS-pointer workbook holds nothing to compare
            return
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                for v in row:
                    if isinstance(v, str):
                        yield v
        return
    text = blob.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    if name.endswith((".json", ".jsonl")):
        for chunk in [text] if name.endswith(".json") else text.splitlines():
            try:
                yield from _strings(orjson.loads(chunk))
            except orjson.JSONDecodeError:
                continue
        return
    if name.endswith(".txt"):
        yield from text.splitlines()
        return
    for delim in (",", ";", "\t"):
        try:
            for row in csv.reader(io.StringIO(text), delimiter=delim):
                yield from row
        except csv.Error:
            continue


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mirror", type=Path, required=True)
    ap.add_argument("--loose", action="store_true",
                    help="also print the loose key of every cell (prefixed ~), for collect.py")
    ap.add_argument("--shingles", action="store_true",
                    help="also print hashed word 3-grams of every cell's loose key (prefixed ^), "
                         "for sources marked reserved_near in sources.yaml")
    ap.add_argument("repos", nargs="+")
    args = ap.parse_args()
    keys: set[str] = set()
    for repo in args.repos:
        base = args.mirror / repo.replace("/", "+") / "repo"
        git_dir = base / ".git" if (base / ".git").is_dir() else base
        names = subprocess.run(
            ["git", f"--git-dir={git_dir}", "ls-tree", "-r", "--name-only", "HEAD"],
            capture_output=True,
            text=True,
        ).stdout.splitlines()
        for name in names:
            if not name.lower().endswith(TEXT_EXT):
                continue
            blob = subprocess.run(
                ["git", f"--git-dir={git_dir}", "show", f"HEAD:{name}"], capture_output=True
            ).stdout
            for cell in cells(name.lower(), blob):
                key = dedup_key(cell)
                if len(key.split()) >= 3:
                    keys.add(hashlib.sha256(key.encode()).hexdigest())
                if args.loose:
                    loose = loose_key(cell)
                    if len(loose.split()) >= 3:
                        keys.add(LOOSE + hashlib.sha256(loose.encode()).hexdigest())
                if args.shingles:
                    keys.update(NEAR + h for h in near_hashes(cell))
    sys.stdout.write("\n".join(sorted(keys)) + "\n")
    print(f"{len(keys)} keys from {len(args.repos)} repositories", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
