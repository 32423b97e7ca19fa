"""How many everyday, non-election texts would a self-audit flag? Measured at scale.

Usage:
    .venv/bin/python tools/corpus/everyday.py --mirror /work/.mirror \
        [--exclude-keys /tmp/reserved_everyday.keys] [--flags /tmp/everyday-flags.jsonl] \
        [--split tune|heldout|all]

Reads every source of ``everyday_sources.yaml`` from a local snapshot of its repository at the
recorded commit (``fetch`` brings them: ``MIRROR/<owner>+<name>/repo``), cleans each text as the
corpus collection does, drops exact duplicates, texts of the committed 988-item regression set
(``data/regression/non_election``) and, given ``--exclude-keys``, any text whose exact or loose
key is a reserved dataset's (``reserved_keys.py --loose``). Each text is then judged as
``netral audit`` judges a post, three times: dated inside the 2024 campaign (2024-01-20, where
ballot numbers and calls weigh most: the strictest reading a real export can get), with no
date, and at its own date where the source gives one (else undated, as an audit reads it). It
prints, per source and in all, how many texts are flagged (kampanye or tinjau) and by which
reason categories; ``--flags`` writes each flagged text with its reasons, for reading
(the file holds third parties' texts: keep it out of the repository).

Nothing here trains or tunes anything by itself; the figures are a measurement.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import orjson
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from collect import LOOSE, clean, dedup_key, git_blob, loose_key

ROOT = Path(__file__).resolve().parents[2]
SOURCES = Path(__file__).with_name("everyday_sources.yaml")
TRAIN_SOURCES = Path(__file__).with_name("everyday_train.yaml")
TRAIN_OUT = ROOT / "data" / "corpus" / "everyday_train.jsonl"  # never committed
COMMITTED = ROOT / "data" / "regression" / "non_election" / "items.jsonl"
CAMPAIGN_DAY = "2024-01-20"
csv.field_size_limit(10_000_000)


def expand(pattern: str) -> list[str]:
    """``a/{x,y}/b`` → ``a/x/b``, ``a/y/b`` (one brace group)."""
    m = re.search(r"\{([^}]*)\}", pattern)
    if not m:
        return [pattern]
    return [pattern[:m.start()] + part + pattern[m.end():] for part in m.group(1).split(",")]


def read_blob(mirror: Path, repo: str, commit: str, path: str) -> bytes:
    """``collect.git_blob``, with a message instead of a traceback when it cannot read."""
    snapshot = mirror / repo.replace("/", "+") / "repo"
    if not snapshot.exists():
        raise SystemExit(f"no snapshot at {snapshot}: fetch the repository first (fetch "
                         f"github:OWNER/NAME puts it under the mirror as OWNER+NAME/repo)")
    try:
        return git_blob(mirror, repo, commit, path)
    except subprocess.CalledProcessError as exc:
        raise SystemExit(f"{snapshot}: cannot read {path} at {commit}: "
                         f"{exc.stderr.decode().strip()}") from None


def texts_of(src: dict, blob: bytes) -> list[tuple[str, str | None]]:
    """(text, ISO date or None) per row; a source's ``date_column`` gives each text its date."""
    raw = blob.decode("utf-8", errors="replace").replace("\r\n", "\n")
    fmt = src["format"]
    if fmt == "lines":
        return [(t, None) for t in raw.splitlines()]
    if fmt == "tsv":
        col = int(src["column"])
        return [(r[col], None) for r in csv.reader(io.StringIO(raw), delimiter="\t",
                                                   quoting=csv.QUOTE_NONE) if len(r) > col]
    if fmt == "csv":
        reader = csv.reader(io.StringIO(raw))
        col, dcol = src["column"], src.get("date_column")
        if src.get("header"):
            head = next(reader)
            col = head.index(col) if isinstance(col, str) else int(col)
            dcol = head.index(dcol) if isinstance(dcol, str) else dcol
        return [(r[col], r[dcol][:10] if dcol is not None and len(r) > dcol else None)
                for r in reader if len(r) > col]
    raise SystemExit(f"everyday_sources.yaml: {src['name']}: unknown format {fmt!r}")


def strip_quotes(text: str) -> str:
    """The stunting file wraps each tweet in a Python-literal quote (' … ')."""
    t = text.strip()
    if len(t) >= 2 and t[0] == t[-1] == "'":
        t = t[1:-1].replace("\\n", "\n")
    return t


def load(mirror: Path, split: str, exclude: set[str], sources: Path | None = None
         ) -> tuple[list[dict], Counter]:
    # the set's measuring splits (its `regression` split is drawn from these sources' flags)
    committed = {dedup_key(r.get("text") or "") for x in COMMITTED.read_bytes().splitlines()
                 if x.strip() and (r := orjson.loads(x))["split"] in ("tune", "heldout")}
    seen: set[str] = set()
    items: list[dict] = []
    dropped: Counter = Counter()
    for src in yaml.safe_load((sources or SOURCES).read_text(encoding="utf-8"))["sources"]:
        if split != "all" and src.get("split") != split:
            continue
        for path in expand(src["path"]):
            blob = read_blob(mirror, src["repo"], src["commit"], path)
            for row, (t, day) in enumerate(texts_of(src, blob)):
                text = clean(strip_quotes(t), is_html=False)
                key = dedup_key(text)
                if len(key) < 3:
                    dropped["empty"] += 1
                    continue
                if key in seen:
                    dropped["duplicate"] += 1
                    continue
                seen.add(key)
                if key in committed:
                    dropped["in the 988-item set"] += 1
                    continue
                if exclude and (hashlib.sha256(key.encode()).hexdigest() in exclude
                                or LOOSE + hashlib.sha256(loose_key(text).encode()).hexdigest()
                                in exclude):
                    dropped["reserved"] += 1
                    continue
                items.append({"id": f"{src['name']}:{Path(path).name}:{row}", "source": src["name"],
                              "split": src.get("split"), "text": text, "date": day,
                              "politics": bool(src.get("about_politics"))})
    return items, dropped


def write_train(mirror: Path, exclude: set[str], out: Path = TRAIN_OUT) -> int:
    """``everyday_train.yaml``'s texts as netral training rows, less any text whose key is also
    a measured text's (the measurement stays out of training)."""
    measured = {dedup_key(x["text"]) for x in load(mirror, "all", set())[0]}
    items, _ = load(mirror, "all", exclude, TRAIN_SOURCES)
    rows = [{"id": x["id"], "source": x["source"], "text": x["text"], "label": "netral"}
            for x in items if dedup_key(x["text"]) not in measured]
    out.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    return len(rows)


def judge(items: list[dict], when: str | bool | None) -> list:
    """Judge every item as a post dated ``when``; ``True``: at the item's own date (None
    where its source has none)."""
    import netral
    from netral.detect.request import Request

    det = netral.get_detector()
    out = []
    step = 2000
    for i in range(0, len(items), step):
        out.extend(det.judge_many([Request(x["text"], "post", x["date"] if when is True else when)
                                   for x in items[i:i + step]]))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mirror", type=Path, required=True)
    ap.add_argument("--exclude-keys", type=Path)
    ap.add_argument("--split", choices=["tune", "heldout", "all"], default="all")
    ap.add_argument("--flags", type=Path, help="write the flagged texts here (never commit it)")
    ap.add_argument("--write-train", action="store_true",
                    help=f"only write everyday_train.yaml's texts to {TRAIN_OUT.name} (the text "
                         "model's everyday netral rows) and stop")
    args = ap.parse_args()

    exclude = set(args.exclude_keys.read_text().split()) if args.exclude_keys else set()
    if args.write_train:
        n = write_train(args.mirror, exclude)
        print(f"{n:,} everyday netral rows -> {TRAIN_OUT}")
        return 0
    items, dropped = load(args.mirror, args.split, exclude)
    print(f"{len(items):,} texts ({', '.join(f'{k} {v:,}' for k, v in dropped.items())} dropped)")
    results = {}
    for label, when in (("in campaign", CAMPAIGN_DAY), ("undated", None)):
        t0 = time.perf_counter()
        results[label] = judge(items, when)
        print(f"judged {label} in {time.perf_counter() - t0:.0f} s")
    # at its own date: only the dated texts are judged again (an undated one reads as undated)
    dated = [i for i, x in enumerate(items) if x["date"]]
    own = list(results["undated"])
    for i, r in zip(dated, judge([items[i] for i in dated], True), strict=True):
        own[i] = r
    results["own date"] = own

    per: dict[str, Counter] = {}
    split_of = {x["source"]: x["split"] for x in items}
    cats: dict[str, Counter] = {k: Counter() for k in results}
    flagged_rows = []
    for i, item in enumerate(items):
        c = per.setdefault(item["source"], Counter())
        c["n"] += 1
        hit = {}
        for label, res in results.items():
            r = res[i]
            if isinstance(r, Exception):
                c[f"error {label}"] += 1
                continue
            if r.flagged:
                c[label] += 1
                cats[label].update({x.category for x in r.reasons if x.weight > 0})
                hit[label] = {"verdict": r.verdict.value, "score": round(r.score, 3),
                              "reasons": [f"{x.category}:{x.text}" for x in r.reasons
                                          if x.weight > 0]}
        if hit:
            flagged_rows.append({**item, **hit})

    total = Counter()
    print(f"\n{'source':28} {'split':8} {'texts':>8} {'flagged in campaign':>20} {'undated':>9}"
          f" {'own date':>9}")
    for name, c in per.items():
        total.update(c)
        print(f"{name:28} {split_of[name]:8} {c['n']:>8,} {c['in campaign']:>20,} {c['undated']:>9,}"
              f" {c['own date']:>9,}")
    n = total["n"]
    print(f"{'all':37} {n:>8,} {total['in campaign']:>11,} ({total['in campaign'] / n:.3%})"
          f" {total['undated']:>5,} ({total['undated'] / n:.3%})"
          f" {total['own date']:>5,} ({total['own date'] / n:.3%})")
    for label, cc in cats.items():
        print(f"reasons of the flags, {label}: {dict(cc.most_common())}")
    if args.flags:
        args.flags.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in flagged_rows))
        print(f"{len(flagged_rows)} flagged texts written to {args.flags}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
