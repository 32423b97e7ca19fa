"""Find text of the real corpus copied into committed files.

Usage:
    python tools/corpus/find_copies.py [--corpus data/corpus/corpus.jsonl] [--min 40]

Every file git tracks (outside the corpus' own label files) is searched for stretches of at
least ``--min`` characters that also occur in a corpus text (case- and whitespace-insensitive).
The texts of the corpus are third parties' posts: they may be committed only where re-read
through the file index (``resourced.jsonl``, excluded here). Phrases any election text uses
(a candidate pair's full names, "pasangan calon presiden dan wakil presiden") are listed in
``copies_allowed.txt`` beside this file, as are files known to hold copies that are still to
be removed (each with the reason). Exit 1 and each hit (file, corpus id, the stretch) otherwise.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from texts import CORPUS, POOL, ROOT, read_corpus, read_jsonl

ALLOWED = Path(__file__).resolve().parent / "copies_allowed.txt"
# the corpus' own label files: ids, hashes, labels and notes (notes are checked: see below)
OWN = ("data/corpus/labels.jsonl", "data/corpus/unlabelled.jsonl", "data/corpus/resourced.jsonl",
       "data/corpus/labelling/chunks/",
       "data/corpus/labelling/adjudication/todo-")


def _norm(s: str) -> str:
    return " ".join(s.casefold().split())


def allowed() -> tuple[set[str], set[str]]:
    """(phrases, files) from copies_allowed.txt: `phrase: …` and `file: PATH  # why` lines."""
    phrases, files = set(), set()
    for line in ALLOWED.read_text(encoding="utf-8").splitlines():
        line = line.split("  #", 1)[0].strip()
        if line.startswith("phrase:"):
            phrases.add(_norm(line.removeprefix("phrase:")).replace("#", ""))
        elif line.startswith("file:"):
            files.add(line.removeprefix("file:").strip())
    return phrases, files


def find(corpus: Path, minimum: int) -> list[tuple[str, str, str]]:
    windows: dict[str, str] = {}
    rows = read_corpus(corpus)
    if corpus == CORPUS and POOL.is_file():
        # the pool also holds the texts drawn for labelling and not labelled yet (batch 3 on)
        rows += read_jsonl(POOL)
    for r in rows:
        n = _norm(r["text"])
        for i in range(len(n) - minimum + 1):
            windows.setdefault(n[i : i + minimum], r["id"])
    phrases, files = allowed()
    tracked = subprocess.run(["git", "-C", str(ROOT), "ls-files"], capture_output=True, text=True,
                             check=True).stdout.splitlines()
    hits: list[tuple[str, str, str]] = []
    for name in tracked:
        if name in files or name.startswith(OWN):
            continue
        try:
            s = _norm((ROOT / name).read_text(encoding="utf-8"))
        except (UnicodeDecodeError, OSError):
            continue  # binary (pictures, weights) or absent
        i = 0
        while i <= len(s) - minimum:
            rid = windows.get(s[i : i + minimum])
            if rid is None:
                i += 1
                continue
            j = i
            while j <= len(s) - minimum and s[j : j + minimum] in windows:
                j += 1
            span = s[i : j + minimum - 1]
            bare = span.replace("#", "")
            if not any(bare in p or (p in bare and len(bare) - len(p) < minimum) for p in phrases):
                hits.append((name, rid, span))
            i = j + minimum
    return hits


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--min", type=int, default=40)
    args = ap.parse_args(argv)
    hits = find(args.corpus, args.min)
    for name, rid, span in hits:
        print(f"{name}: {rid}: {span[:120]!r}")
    print(f"{len(hits)} stretch(es) of ≥ {args.min} characters copied from the corpus")
    return 1 if hits else 0


if __name__ == "__main__":
    raise SystemExit(main())
