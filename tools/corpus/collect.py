"""Build the unlabelled pool of real election texts from local snapshots of public repositories.

Usage:
    .venv/bin/python tools/corpus/collect.py --mirror /work/.mirror --out data/corpus/pool.jsonl
    # a later batch on top of the pool as it is (earlier ids and texts untouched):
    .venv/bin/python tools/corpus/collect.py --mirror /work/.mirror --add-batch 3 \
        --pool data/corpus/pool.jsonl --out /tmp/batch3.jsonl --manifest data/corpus/unlabelled.jsonl

Reads every source of ``sources.yaml`` at its recorded commit (``git show COMMIT:PATH`` in the
snapshot, so the text is exactly what that commit holds), repairs mojibake with ftfy, strips
HTML from comments, drops texts that are empty, not Indonesian (where the source says), shorter
than three words, or reserved (TurnBackHoax); removes exact and near duplicates across all
sources (buzzer templates repeat thousands of times, and class projects scraped the same days);
then samples up to each source's cap with a fixed seed. Every row keeps its provenance: repo,
commit, path, row number, and the tweet URL where the source has one.

Batches 1 and 2 share one random stream (their ids and texts are fixed by labels.jsonl). A
later batch N (a source's own `batch: N`, or `more: [{batch: N, cap: …}]` on a source that
already gave texts to an earlier batch) has its own stream, seeded SEED + N, and is drawn
after everything earlier is kept: its texts are never exact or near duplicates of an earlier
text, so drawing it on top of an existing pool (`--add-batch N --pool`) gives the same rows as
a run from scratch.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import html
import io
import random
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import ftfy
import openpyxl
import orjson
import yaml

SEED = 20261206
HERE = Path(__file__).resolve().parent
_URL = re.compile(r"https?://\S+|pic\.twitter\.com/\S+|\S+\.(?:com|id|co)/\S*")
_MENTION = re.compile(r"@\w+")
_TAG = re.compile(r"<[^>]+>")
_NON_WORD = re.compile(r"[^\w#]+")
_RT = re.compile(r"^RT\s+@\w+:\s*")

csv.field_size_limit(10_000_000)


def git_blob(mirror: Path, repo: str, commit: str, path: str) -> bytes:
    base = mirror / repo.replace("/", "+") / "repo"
    git_dir = base / ".git" if (base / ".git").is_dir() else base
    return subprocess.run(
        ["git", f"--git-dir={git_dir}", "show", f"{commit}:{path}"],
        check=True,
        capture_output=True,
    ).stdout


def _cell(value: object) -> str:
    """A JSON record's value as a text cell: strings as they are, null as empty, anything else
    as the JSON it was written in (true, not Python's True; a nested object as JSON)."""
    if value is None:
        return ""
    return value if isinstance(value, str) else orjson.dumps(value).decode()


def rows_from(src: dict, blob: bytes) -> list[dict]:
    """Rows of one file as dicts (column name -> cell text), numbered from 1 after any header."""
    if src["format"] == "xlsx":
        wb = openpyxl.load_workbook(io.BytesIO(blob), read_only=True, data_only=True)
        out: list[dict] = []
        for ws in wb.worksheets:
            it = ws.iter_rows(values_only=True)
            header = next(it, None)
            if header is None:
                continue
            names = [str(h) if h is not None else "" for h in header]
            need = src.get("sheets_with_column", src["text"])
            if need not in names:
                continue
            for n, values in enumerate(it, start=2):
                row = {
                    names[i]: ("" if v is None else str(v)) for i, v in enumerate(values) if i < len(names)
                }
                row["_row"] = f"{ws.title}!{n}"
                out.append(row)
        return out
    if src["format"] == "json":
        # A JSON document whose records are a list under `records` (dotted keys), each a flat
        # object; rows are numbered from 1 in that list.
        data = orjson.loads(blob)
        for name in src["records"].split("."):
            data = data[name]
        return [
            {**{k: _cell(v) for k, v in rec.items()}, "_row": str(n)}
            for n, rec in enumerate(data, start=1)
        ]
    # Some files mix \r line ends with \n; the csv module wants one kind.
    text = blob.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    reader = csv.reader(io.StringIO(text), delimiter=src.get("delimiter", ","))
    out = []
    if src.get("no_header"):
        for n, values in enumerate(reader, start=1):
            row = {str(i): v for i, v in enumerate(values)}
            row["_row"] = str(n)
            out.append(row)
        return out
    header = next(reader, [])
    for n, values in enumerate(reader, start=2):
        row = dict(zip(header, values, strict=False))
        row["_row"] = str(n)
        out.append(row)
    return out


def clean(text: str, is_html: bool) -> str:
    text = ftfy.fix_text(text)
    if is_html:
        text = _TAG.sub(" ", text.replace("<br>", "\n"))
    # Scrapes keep the platform's HTML entities (&amp; &gt;) in plain-text fields too.
    text = html.unescape(html.unescape(text))
    text = text.replace("\u00a0", " ").replace("\r", "")
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def dedup_key(text: str) -> str:
    """Case, URL, mention, retweet prefix and punctuation insensitive key for exact duplicates."""
    t = _RT.sub("", text)
    t = _URL.sub(" ", t)
    t = _MENTION.sub(" ", t)
    t = _NON_WORD.sub(" ", t.lower())
    return " ".join(t.split())


# Placeholders that published copies of tweets put where a mention, link or retweet mark was.
_PLACEHOLDERS = frozenset({"user", "username", "url", "link", "rt", "amp", "mention"})
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def _unescape_char(m: re.Match[str]) -> str:
    code = int(m.group(1), 16)
    return " " if 0xD800 <= code <= 0xDFFF else chr(code)  # a lone surrogate half (emoji): drop


def loose_key(text: str) -> str:
    """A looser duplicate key, for the reserved-overlap check only: the same text re-published
    by another compiler often has JSON escapes left in (``https:\\/\\/t.co``, ``\\u2026``) or
    its mentions and links replaced by placeholders (USER, URL), which the exact key keeps."""
    t = text.replace("\\/", "/")
    t = _JSON_ESCAPE.sub(_unescape_char, t)
    t = html.unescape(t)
    return " ".join(w for w in dedup_key(t).split() if w not in _PLACEHOLDERS)


LOOSE = "~"  # prefix of a loose-key hash in an --exclude-keys file (reserved_keys.py --loose)
NEAR = "^"  # prefix of a hashed loose-key 3-gram (reserved_keys.py --shingles)


def near_hashes(text: str) -> set[str]:
    """Hashed word 3-grams of the loose key (short hashes: only membership is asked)."""
    key = loose_key(text)
    if len(key.split()) < 3:
        return set()
    return {hashlib.sha256(s.encode()).hexdigest()[:16] for s in shingles(key)}


def shingles(key: str, n: int = 3) -> set[str]:
    words = key.split()
    if len(words) < n:
        return {key}
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


class NearDupIndex:
    """Word-3-gram overlap index: a text is a near duplicate when ≥ 70 % of the shorter one's
    shingles are shared with a kept text (templated buzzer posts differ by a mention or two)."""

    def __init__(self) -> None:
        self.by_shingle: dict[str, list[int]] = defaultdict(list)
        self.sizes: list[int] = []

    def is_dup(self, sh: set[str]) -> bool:
        counts: Counter[int] = Counter()
        for s in sh:
            for doc in self.by_shingle.get(s, ()):
                counts[doc] += 1
        return any(shared / max(1, min(len(sh), self.sizes[doc])) >= 0.7 for doc, shared in counts.items())

    def add(self, sh: set[str]) -> None:
        doc = len(self.sizes)
        self.sizes.append(len(sh))
        for s in sh:
            self.by_shingle[s].append(doc)


def near_reserved(text: str, excluded: set[str]) -> bool:
    hashes = near_hashes(text)
    return bool(hashes) and sum(NEAR + h in excluded for h in hashes) >= 0.7 * len(hashes)


def sample_source(
    mirror: Path,
    src: dict,
    rng: random.Random,
    excluded: set[str],
    seen_exact: set[str],
    near: NearDupIndex,
    st: Counter,
    cap: int | None = None,
) -> list[dict]:
    """Clean, de-duplicate (against everything kept so far) and sample one source."""
    cap = src["cap"] if cap is None else cap
    candidates: list[dict] = []
    for path in [src["path"], *src.get("extra_paths", [])]:
        blob = git_blob(mirror, src["repo"], src["commit"], path)
        for row in rows_from(src, blob):
            st["read"] += 1
            raw = row.get(str(src["text"]), "") or ""
            if any(v in (row.get(k) or "") for k, v in src.get("drop_if_contains", {}).items()):
                st["reserved"] += 1
                continue
            if src.get("lang") and (row.get(src["lang"]) or "in") != "in":
                st["not_indonesian"] += 1
                continue
            text = clean(raw, bool(src.get("html")))
            key = dedup_key(text)
            if len(key.split()) < 3:
                st["too_short"] += 1
                continue
            candidates.append(
                {
                    "text": text,
                    "key": key,
                    "path": path,
                    "row": row["_row"],
                    "url": (row.get(src["url"]) or None) if "url" in src else None,
                    "date": (row.get(src["date"]) or None) if "date" in src else None,
                }
            )
    rng.shuffle(candidates)
    check_loose = any(k.startswith(LOOSE) for k in excluded)
    kept: list[dict] = []
    for c in candidates:
        if len(kept) >= cap:
            break
        digest = hashlib.sha256(c["key"].encode()).hexdigest()
        if digest in excluded:
            st["in_reserved"] += 1
            continue
        # Only key files written with reserved_keys.py --loose hold loose keys; with any other
        # file this check never fires, so the draws of earlier batches are unchanged by it.
        if check_loose and LOOSE + hashlib.sha256(loose_key(c["text"]).encode()).hexdigest() in excluded:
            st["in_reserved_loose"] += 1
            continue
        # A source known to share texts with a reserved dataset (`reserved_near: true`) also drops
        # a text when 70 % of its word 3-grams occur in reserved texts (the same near-duplicate
        # rule as step 3, against all reserved texts at once): copies that differ by an edit.
        if src.get("reserved_near") and near_reserved(c["text"], excluded):
            st["in_reserved_near"] += 1
            continue
        if digest in seen_exact:
            st["exact_dup"] += 1
            continue
        sh = shingles(c["key"])
        if near.is_dup(sh):
            st["near_dup"] += 1
            continue
        seen_exact.add(digest)
        near.add(sh)
        kept.append(
            {
                "source": src["id"],
                "repo": src["repo"],
                "commit": src["commit"],
                "path": c["path"],
                "row": c["row"],
                "url": c["url"],
                "date": c["date"],
                "licence": src["licence"],
                "election": src["election"],
                "text": c["text"],
            }
        )
    st["kept"] = len(kept)
    return kept


SHARED_STREAM = 2  # batches up to this one draw from the one stream seeded SEED


def batch_plan(spec: dict) -> dict[int, list[tuple[dict, int]]]:
    """batch -> [(source, cap)] in sources.yaml order: a source's own batch with its `cap`,
    and each `more` entry (a later draw from a source already in an earlier batch).

    A `more` entry with `reserved_near: true` applies the 3-gram check of `reserved_near` to that
    later draw only: the source's earlier draws stay exactly as they were drawn (batch 9)."""
    plan: dict[int, list[tuple[dict, int]]] = defaultdict(list)
    for src in spec["sources"]:
        plan[src.get("batch", 1)].append((src, src["cap"]))
        for extra in src.get("more", []):
            later = {**src, "reserved_near": True} if extra.get("reserved_near") else src
            plan[extra["batch"]].append((later, extra["cap"]))
    return dict(sorted(plan.items()))


def sample_batch(
    mirror: Path,
    plan: list[tuple[dict, int]],
    rng: random.Random,
    excluded: set[str],
    seen_exact: set[str],
    near: NearDupIndex,
    stats: dict[str, Counter],
    batch: int,
) -> list[dict]:
    rows: list[dict] = []
    for src, cap in plan:
        st = stats.setdefault(f"{src['id']} (batch {batch})", Counter())
        rows.extend(sample_source(mirror, src, rng, excluded, seen_exact, near, st, cap))
    rng.shuffle(rows)
    return rows


def write_manifest(path: Path, rows: list[dict], batch: int) -> None:
    """The rows of an unlabelled batch without their texts (committed): what rebuild.py needs
    to read each text again and check it, and what the labelling chunks are cut from. Rows
    of other batches already in the file are kept (an earlier batch's lines are its record,
    merge_passes checks them), this batch's own are replaced."""
    sys.path.insert(0, str(HERE))
    from texts import HASH, POOL_DATE, text_sha256

    kept = []
    if path.is_file():
        kept = [line for line in path.read_bytes().splitlines()
                if line.strip() and orjson.loads(line).get("batch") != batch]
    with path.open("wb") as fh:
        for line in kept:
            fh.write(line + b"\n")
        for r in rows:
            out = {"id": r["id"], HASH: text_sha256(r["text"]), "batch": batch}
            out.update((k, v) for k, v in r.items() if k not in ("id", "text", "date"))
            out[POOL_DATE] = r["date"]
            fh.write(orjson.dumps(out) + b"\n")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mirror", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument(
        "--exclude-keys",
        type=Path,
        help="file of sha256 dedup keys to drop (texts also in reserved datasets)",
    )
    ap.add_argument("--add-batch", type=int, help="draw only this later batch on top of --pool")
    ap.add_argument("--pool", type=Path, help="the existing pool (every earlier batch), with texts")
    ap.add_argument("--manifest", type=Path, help="with --add-batch: also write its rows without texts")
    args = ap.parse_args()
    spec = yaml.safe_load((HERE / "sources.yaml").read_text(encoding="utf-8"))
    excluded = set()
    if args.exclude_keys and args.exclude_keys.exists():
        excluded = set(args.exclude_keys.read_text().split())
    plan = batch_plan(spec)
    # A source withdrawn after its batch was drawn (`withdrawn: why`) is still sampled, so that
    # the other sources' draws and every id stay what they were; its rows are dropped after
    # numbering (the ids keep their gap) and are never labelled.
    withdrawn = {src["id"] for src in spec["sources"] if src.get("withdrawn")}
    rng = random.Random(SEED)
    seen_exact: set[str] = set()
    near = NearDupIndex()
    stats: dict[str, Counter] = {}
    out_rows: list[dict] = []
    if args.add_batch:
        if args.add_batch <= SHARED_STREAM or args.add_batch not in plan or not args.pool:
            ap.error(f"--add-batch needs --pool and a batch after {SHARED_STREAM} in sources.yaml")
        last = 0
        for line in args.pool.read_bytes().splitlines():
            prev = orjson.loads(line)
            key = dedup_key(prev["text"])
            seen_exact.add(hashlib.sha256(key.encode()).hexdigest())
            near.add(shingles(key))
            out_rows.append({"id": prev["id"]})
            last = max(last, int(prev["id"].split("-")[1]))
        start = len(out_rows)
        rows = sample_batch(args.mirror, plan[args.add_batch], random.Random(SEED + args.add_batch),
                            excluded, seen_exact, near, stats, args.add_batch)
        # Ids continue after the highest one in the pool, not after its line count: the rows of
        # a withdrawn source are a gap in the pool, and a run from scratch numbers across it.
        for n, r in enumerate(rows, start=last + 1):
            r["id"] = f"real-{n:05d}"
            out_rows.append(r)
        out_rows = [r for r in out_rows[start:] if r["source"] not in withdrawn]
        if args.manifest:
            write_manifest(args.manifest, out_rows, args.add_batch)
    else:
        # Batches are sampled, shuffled and numbered one after another, so that adding a later
        # batch never changes the ids or texts of an earlier one (labels refer to them by id).
        for batch, sources in plan.items():
            stream = rng if batch <= SHARED_STREAM else random.Random(SEED + batch)
            for r in sample_batch(args.mirror, sources, stream, excluded, seen_exact, near, stats, batch):
                r["id"] = f"real-{len(out_rows) + 1:05d}"
                out_rows.append(r)
        out_rows = [r for r in out_rows if r.get("source") not in withdrawn]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("wb") as fh:
        for r in out_rows:
            fh.write(orjson.dumps({"id": r.pop("id"), **r}) + b"\n")
    for sid, st in stats.items():
        print(sid, dict(st), file=sys.stderr)
    print(f"{len(out_rows)} texts from {len(stats)} source draws -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
