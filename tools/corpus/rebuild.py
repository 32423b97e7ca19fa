"""Rebuild the real corpus' texts (corpus.jsonl, pool.jsonl) from their public sources.

Usage:
    python tools/corpus/rebuild.py --mirror DIR              # DIR/<owner>+<name>/repo git dirs
    python tools/corpus/rebuild.py                           # re-sourced texts only (a subset)
    python tools/corpus/rebuild.py --mirror DIR --check      # verify, write nothing

Every labelled row of ``data/corpus/labels.jsonl`` names its source file (repo, commit, path)
and row. The text is read again from that file at that commit in a local snapshot of the
repository, cleaned exactly as ``collect.py`` cleaned it (the same functions), and checked
against the SHA-256 recorded with the label. Rows of sources with no snapshot take the texts
committed in ``data/corpus/resourced.jsonl`` (re-read through the file index), checked the
same way. A row of ``data/corpus/withheld.jsonl`` (its text overlaps a reserved dataset) is
rebuilt and verified like any other and keeps its id; labels.jsonl gives it ``split:
"withheld"``, so it is in no split and never a training row. Rows drawn for labelling but not
labelled yet (``data/corpus/unlabelled.jsonl``, same provenance and hash, no label) are rebuilt
and checked the same way and go to ``pool.jsonl`` only, after the labelled rows, so that the
labellers' texts and the next merge have them.
``corpus.jsonl`` and ``pool.jsonl`` (both git-ignored) are written only when every
row has a verified text, so that a partial file is never mistaken for the corpus; each row that
could not be had is named (source file, row, id).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import orjson
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from collect import clean, rows_from  # the same cleaning as the collection
from texts import (
    CORPUS,
    HASH,
    LABELS,
    POOL,
    RESOURCED,
    UNLABELLED,
    WITHHELD,
    WITHHELD_SPLIT,
    check_withheld,
    corpus_row,
    pool_row,
    read_jsonl,
    resourced_texts,
    text_sha256,
    withheld_ids,
)

HERE = Path(__file__).resolve().parent
REAL_TRAIN = HERE.parents[1] / "data" / "corpus" / "real_train.jsonl"  # never committed


def real_train_row(row: dict) -> dict:
    """A row of the model's real training file, as train_combiner.py --write writes it."""
    return {"id": row["id"], "text": row["text"], "label": row["label"], "source": row["source"]}


def _git_dir(mirror: Path, repo: str) -> Path | None:
    base = mirror / repo.replace("/", "+") / "repo"
    for d in (base / ".git", base):
        if (d / "HEAD").is_file() or (d / "objects").is_dir():
            return d
    return None


def _blob(git_dir: Path, commit: str, path: str) -> bytes | None:
    res = subprocess.run(
        ["git", f"--git-dir={git_dir}", "show", f"{commit}:{path}"], capture_output=True, check=False
    )
    return res.stdout if res.returncode == 0 else None


class Rebuild:
    def __init__(self, labels: list[dict], sources: dict[str, dict], resourced: dict[str, str]):
        self.labels = labels
        self.sources = sources
        self.resourced = resourced
        self.texts: dict[str, str] = {}
        self.errors: list[str] = []
        # per source: rows, from snapshot, from file-index texts, verified
        self.stats: dict[str, Counter] = defaultdict(Counter)

    def _take(self, lab: dict, text: str, how: str, where: str) -> None:
        if text_sha256(text) != lab[HASH]:
            self.errors.append(f"{where}: text of {lab['id']} differs from the labelled one (hash)")
            return
        self.texts[lab["id"]] = text
        self.stats[lab["source"]][how] += 1
        self.stats[lab["source"]]["verified"] += 1

    def from_mirror(self, mirror: Path) -> None:
        by_file: dict[tuple[str, str], list[dict]] = defaultdict(list)
        for lab in self.labels:
            by_file[(lab["source"], lab["path"])].append(lab)
        for (sid, path), labs in by_file.items():
            src = self.sources.get(sid)
            if src is None:
                self.errors.append(f"labels.jsonl: source {sid} is not in sources.yaml")
                continue
            where = f"{src['repo']}@{src['commit'][:7]}:{path}"
            git_dir = _git_dir(mirror, src["repo"])
            if git_dir is None:
                continue  # no snapshot: the re-sourced texts (or nothing) fill in later
            blob = _blob(git_dir, src["commit"], path)
            if blob is None:
                self.errors.append(f"{where}: the snapshot in {git_dir} lacks this file at this commit")
                continue
            try:
                rows = {r["_row"]: r for r in rows_from(src, blob)}
            except Exception as exc:  # a damaged or foreign file: say which, go on with the rest
                self.errors.append(f"{where}: cannot be read as {src['format']} ({exc})")
                continue
            for lab in labs:
                row = rows.get(str(lab["row"]))
                if row is None:
                    self.errors.append(f"{where} row {lab['row']}: not in the file ({lab['id']})")
                    continue
                text = clean(row.get(str(src["text"]), "") or "", bool(src.get("html")))
                self._take(lab, text, "snapshot", f"{where} row {lab['row']}")

    def from_resourced(self) -> None:
        for lab in self.labels:
            if lab["id"] in self.texts or lab["id"] not in self.resourced:
                continue
            self._take(lab, self.resourced[lab["id"]], "file_index",
                       f"re-sourced text of {lab['id']} ({lab['path']} row {lab['row']})")

    def missing(self) -> list[dict]:
        return [lab for lab in self.labels if lab["id"] not in self.texts]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mirror", type=Path, help="folder of repository snapshots (owner+name/repo)")
    ap.add_argument("--labels", type=Path, default=LABELS)
    ap.add_argument("--out", type=Path, default=CORPUS, help="corpus.jsonl to write")
    ap.add_argument("--pool", type=Path, default=POOL, help="pool.jsonl to write")
    ap.add_argument("--sources", type=Path, default=HERE / "sources.yaml")
    ap.add_argument("--resourced", type=Path, default=RESOURCED,
                    help="texts re-read through the file index (committed)")
    ap.add_argument("--unlabelled", type=Path, default=UNLABELLED,
                    help="rows drawn for labelling, not labelled yet (go to the pool only)")
    ap.add_argument("--withheld", type=Path, default=WITHHELD,
                    help="rows in no split (text overlaps a reserved dataset; committed)")
    ap.add_argument("--check", action="store_true", help="verify only, write nothing")
    ap.add_argument("--real-train", type=Path, nargs="?", const=REAL_TRAIN,
                    help="also write the model's real training rows (the train split; default "
                         "data/corpus/real_train.jsonl)")
    args = ap.parse_args(argv)
    if not args.labels.is_file():
        print(f"{args.labels} is missing", file=sys.stderr)
        return 2
    if args.mirror and not args.mirror.is_dir():
        print(f"--mirror {args.mirror}: no such folder", file=sys.stderr)
        return 2
    labels = read_jsonl(args.labels)
    labelled = {lab["id"] for lab in labels}
    # a withheld row is in labels.jsonl with split "withheld" (merge_passes.py): a labels.jsonl
    # merged before the list would put it back into training, dev or test
    check_withheld(labels, args.labels, withheld_ids(args.withheld))
    # once merged, a drawn row is in labels.jsonl and its line here is only a record
    pending = [r for r in (read_jsonl(args.unlabelled) if args.unlabelled.is_file() else [])
               if r["id"] not in labelled]
    spec = yaml.safe_load(args.sources.read_text(encoding="utf-8"))
    job = Rebuild(labels + pending, {s["id"]: s for s in spec["sources"]},
                  resourced_texts(args.resourced))
    if args.mirror:
        job.from_mirror(args.mirror)
    job.from_resourced()

    missing = job.missing()
    per_source_missing = Counter(lab["source"] for lab in missing)
    everything = labels + pending
    print(f"{'source':32} {'rows':>5} {'snapshot':>8} {'index':>6} {'verified':>8} {'missing':>7}")
    for sid in dict.fromkeys(lab["source"] for lab in everything):
        st = job.stats[sid]
        n = sum(1 for lab in everything if lab["source"] == sid)
        print(f"{sid:32} {n:5} {st['snapshot']:8} {st['file_index']:6} {st['verified']:8} "
              f"{per_source_missing[sid]:7}")
    print(f"{'total':32} {len(everything):5} {sum(s['snapshot'] for s in job.stats.values()):8} "
          f"{sum(s['file_index'] for s in job.stats.values()):6} {len(job.texts):8} {len(missing):7}")
    if pending:
        print(f"(of them {len(pending)} drawn for labelling, not labelled yet: pool only)")
    for err in job.errors[:50]:
        print(f"error: {err}", file=sys.stderr)
    if len(job.errors) > 50:
        print(f"error: … and {len(job.errors) - 50} more", file=sys.stderr)
    if missing:
        shown = Counter()
        for lab in missing:
            if shown[lab["source"]] < 3 and not any(lab["id"] in e for e in job.errors):
                shown[lab["source"]] += 1
                where = f"under {args.mirror}" if args.mirror else "(no --mirror given)"
                print(f"missing: {lab['repo']}@{lab['commit'][:7]}:{lab['path']} row {lab['row']} "
                      f"({lab['id']}): no snapshot of {lab['repo']} {where} and no re-sourced "
                      f"text", file=sys.stderr)
    if missing or job.errors:
        print(f"{len(missing)} of {len(everything)} rows have no verified text: "
              f"{args.out.name} and {args.pool.name} not written", file=sys.stderr)
        return 1
    if args.check:
        print("every row rebuilt and verified (--check: nothing written)")
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("wb") as fh:
        for lab in labels:
            fh.write(orjson.dumps(corpus_row(lab, job.texts[lab["id"]])) + b"\n")
    with args.pool.open("wb") as fh:
        for lab in everything:
            fh.write(orjson.dumps(pool_row(lab, job.texts[lab["id"]])) + b"\n")
    print(f"{len(labels)} rows -> {args.out}; {len(everything)} -> {args.pool}")
    if args.real_train:
        train = [corpus_row(lab, job.texts[lab["id"]]) for lab in labels if lab["split"] == "train"]
        with args.real_train.open("wb") as fh:
            for r in train:
                fh.write(orjson.dumps(real_train_row(r)) + b"\n")
        print(f"{len(train)} training rows -> {args.real_train}")
    held = sum(lab["split"] == WITHHELD_SPLIT for lab in labels)
    if held:
        print(f"{held} labelled rows withheld (split {WITHHELD_SPLIT!r}: in no split, "
              f"{args.withheld.name}), in {args.out.name} and not in training")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
