"""Cut a batch of unlabelled rows into labelling chunks: ids to commit, texts to read.

Usage:
    python tools/corpus/make_chunks.py --batch 3 --first 16 --parts 2 [--copy-to DIR]

Reads the batch's rows from ``data/corpus/unlabelled.jsonl`` (their order is collect.py's
shuffled order) and their texts from the rebuilt ``pool.jsonl`` (tools/corpus/rebuild.py), and
writes ``labelling/chunks/chunk-NN.jsonl`` (id, date, SHA-256 of the text: committed, as the
earlier chunks) and ``chunk-NN.texts.jsonl`` beside it (id, date, text: git-ignored, what the
labellers read). Each text is checked against its hash first.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))
from texts import CORPUS_DIR, HASH, POOL, POOL_DATE, UNLABELLED, read_corpus, read_jsonl, text_sha256

CHUNKS = CORPUS_DIR / "labelling" / "chunks"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batch", type=int, required=True)
    ap.add_argument("--first", type=int, required=True, help="number of the first chunk")
    ap.add_argument("--parts", type=int, default=2)
    ap.add_argument("--copy-to", type=Path, help="also copy the texts files here")
    args = ap.parse_args(argv)
    rows = [r for r in read_jsonl(UNLABELLED) if r.get("batch") == args.batch]
    if not rows:
        raise SystemExit(f"{UNLABELLED}: no row of batch {args.batch}")
    texts = {r["id"]: r["text"] for r in read_corpus(POOL)}
    bad = [r["id"] for r in rows if r["id"] not in texts or text_sha256(texts[r["id"]]) != r[HASH]]
    if bad:
        raise SystemExit(f"{len(bad)} rows lack a verified text in {POOL} (e.g. {bad[:3]}): run rebuild.py")
    size = -(-len(rows) // args.parts)
    for k in range(args.parts):
        part = rows[k * size : (k + 1) * size]
        name = f"chunk-{args.first + k:02d}"
        with (CHUNKS / f"{name}.jsonl").open("wb") as ids, (CHUNKS / f"{name}.texts.jsonl").open("wb") as tx:
            for r in part:
                date = r[POOL_DATE] or ""
                ids.write(orjson.dumps({"id": r["id"], "date": date, HASH: r[HASH]}) + b"\n")
                tx.write(orjson.dumps({"id": r["id"], "date": date, "text": texts[r["id"]]}) + b"\n")
        if args.copy_to:
            args.copy_to.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(CHUNKS / f"{name}.texts.jsonl", args.copy_to / f"{name}.texts.jsonl")
        print(f"{len(part)} ids -> {CHUNKS / name}.jsonl (+ .texts.jsonl)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
