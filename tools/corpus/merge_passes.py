"""Compare the two labelling passes, report Cohen's κ, and build the adjudicated corpus.

Usage:
    .venv/bin/python tools/corpus/merge_passes.py disagreements   # writes adjudication/todo-*.jsonl
    .venv/bin/python tools/corpus/merge_passes.py merge           # writes data/corpus/corpus.jsonl

`disagreements` lists every text whose two labels differ, for a third, independent reader.
`merge` takes the agreed label where the passes agree and the adjudicated one where they did
not, attaches provenance from pool.jsonl and the split (by source, see SPLITS; ``withheld``, no
split, for a row of data/corpus/withheld.jsonl), and writes
corpus.jsonl (with texts, git-ignored), labels.jsonl (the same rows with a hash in place of the
text: what is committed) and the agreement figures to data/corpus/AGREEMENT.md.

Both read pool.jsonl, which is not committed: rebuild it first (tools/corpus/rebuild.py).
The disagreement lists keep ids and text hashes (committed); the texts the third reader needs
go to git-ignored todo-*.texts.jsonl files beside them.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))
from texts import (
    HASH,
    UNLABELLED,
    WITHHELD,
    WITHHELD_REASONS,
    WITHHELD_SPLIT,
    label_row,
    read_corpus,
    read_jsonl,
    text_sha256,
)

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "data" / "corpus"
LAB = CORPUS / "labelling"
# Agreed labels that a decision written later (DECISIONS.md) changes, one line per text with the
# decision's number: the passes' files stay as each labeller wrote them.
REVISED = LAB / "adjudication" / "revised.jsonl"

# Development sources: never used for training, rules or thresholds. Chosen before any text was
# labelled, so that together they hold every class of error issue 10 names: news headlines,
# official work, Pilkada 2024, YouTube comments, the 2019 hashtag era, attack templates,
# police/KPU accounts, and talk after voting day.
DEV_SOURCES = frozenset(
    {
        "aptaarkana-headlines",
        "niaard-jokowi2023",
        "andihisyam-pilkada2024",
        "er0s0re-youtube-debate",
        "kulomady-pilpres2019",
        "afriza43-debat-cawapres",
        "adkurrr-pemilu2024",
        "muktiprab-gibran2024",
    }
)

# The held-out test split (issue 10's sixth pass): four of batch 7's eight new sources, chosen
# after the draw and before any label was seen, so that a second set no procedure has been
# tuned to stands beside the dev split (read once per session since the first pass). The
# election-era ones, one per register batch 7 brings: a year before voting (parties, caleg,
# KPU/Bawaslu accounts), YouTube comments on two nominations, posts after voting day, and TikTok
# comments on a minister (a platform no other source has). Sealed: never used for training,
# rules, lexicons or thresholds, and evaluated once, at the end of a session.
TEST_SOURCES = frozenset(
    {
        "qoisoctava-pemilu-dec2022",
        "tiarh-youtube-kumparan-2023",
        "rudyhidayat-gibran-prabowo-feb2024",
        "danzwzp-tiktok-srimulyani-2025",
    }
)


def split_of(source: str, row_id: str | None = None, withheld: frozenset[str] = frozenset()) -> str:
    """``dev`` and ``test`` by source (never trained on), ``train`` for every other source;
    ``withheld`` for a row of data/corpus/withheld.jsonl (its text overlaps a reserved dataset):
    in no split at all, whatever its source."""
    if row_id is not None and row_id in withheld:
        return WITHHELD_SPLIT
    if source in DEV_SOURCES:
        return "dev"
    return "test" if source in TEST_SOURCES else "train"


def read_withheld(pool: list[dict], path: Path = WITHHELD) -> frozenset[str]:
    """The withheld ids, each checked against the pool (same source) and with a known reason.

    A withheld row keeps its id, its labels and its line in labels.jsonl (so that ids stay
    stable and rebuild.py verifies its text as any other); only its split changes."""
    if not path.is_file():
        return frozenset()
    source = {p["id"]: p["source"] for p in pool}
    rows = read_jsonl(path)
    bad = [r["id"] for r in rows if source.get(r["id"]) != r.get("source")
           or r.get("reason") not in WITHHELD_REASONS]
    if bad:
        raise SystemExit(f"{path}: ids not in the pool, of another source or of an unknown reason: "
                         f"{bad[:5]}")
    return frozenset(r["id"] for r in rows)


# D132: an X status id is a Snowflake whose top bits are the posting time, in milliseconds since
# X's own epoch; the URL's handle is not always the poster (a compiler may keep the replied-to
# account's), but the id is the post's
_STATUS = re.compile(r"(?:twitter|x)\.com/\w+/status(?:es)?/(\d{15,20})\b")
_X_EPOCH_MS = 1288834974657


def status_date(url: str | None) -> str | None:
    """The day (UTC) an X post was made, read from the status id in its URL; None without one."""
    m = _STATUS.search(url or "")
    if not m:
        return None
    when = datetime.fromtimestamp(((int(m.group(1)) >> 22) + _X_EPOCH_MS) / 1000, tz=UTC)
    return when.date().isoformat() if 2010 <= when.year <= datetime.now(UTC).year else None


def iso_date(raw: str | None) -> str | None:
    """Sources write dates as X's API does ("Tue Oct 31 05:47:56 +0000 2023"), as ISO, or as
    a spreadsheet datetime; the detector wants ISO."""
    if not raw:
        return None
    raw = raw.strip()
    for fmt in ("%a %b %d %H:%M:%S %z %Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%SZ"):
        try:
            return datetime.strptime(raw, fmt).date().isoformat()
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        return None


def read_by_id(path: Path) -> dict[str, dict]:
    """Every JSON line of the files of a labelling folder (a pass, the adjudicated), by id."""
    out: dict[str, dict] = {}
    for f in sorted(path.glob("*.jsonl")):
        for line in f.read_bytes().splitlines():
            if line.strip():
                row = orjson.loads(line)
                out[row["id"]] = row
    return out


def kappa(a: list[str], b: list[str]) -> float:
    n = len(a)
    po = sum(x == y for x, y in zip(a, b, strict=True)) / n
    ca, cb = Counter(a), Counter(b)
    pe = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    return (po - pe) / (1 - pe) if pe < 1 else 1.0


def disagreements() -> int:
    a, b = read_by_id(LAB / "pass-a"), read_by_id(LAB / "pass-b")
    pool = {r["id"]: r for r in read_corpus(CORPUS / "pool.jsonl")}
    both = sorted(set(a) & set(b))
    out = LAB / "adjudication"
    decided = read_by_id(out / "decided") if (out / "decided").is_dir() else {}
    todo = [i for i in both if a[i]["label"] != b[i]["label"] and i not in decided]
    out.mkdir(exist_ok=True)
    first = len(list(out.glob("todo-??.jsonl"))) + 1  # earlier rounds keep their files
    size = 160
    for k in range(0, len(todo), size):
        name = f"todo-{first + k // size:02d}"
        with (out / f"{name}.jsonl").open("wb") as fh, (out / f"{name}.texts.jsonl").open("wb") as tx:
            for i in todo[k : k + size]:
                date = pool[i].get("date") or ""
                fh.write(orjson.dumps({"id": i, "date": date, HASH: text_sha256(pool[i]["text"])}) + b"\n")
                tx.write(orjson.dumps({"id": i, "date": date, "text": pool[i]["text"]}) + b"\n")
    print(
        f"{len(both)} texts in both passes, {len(todo)} disagreements "
        f"-> {out}/todo-*.jsonl; "
        f"kappa {kappa([a[i]['label'] for i in both], [b[i]['label'] for i in both]):.3f}"
    )
    return 0


def check_later_batches(pool: list[dict]) -> None:
    """Batches drawn after the first two (unlabelled.jsonl) are for training and, since batch
    7, the sealed test split: none of their rows may come from a dev source, and each pool row
    must be the one that was drawn."""
    drawn = {r["id"]: r for r in read_jsonl(UNLABELLED)} if UNLABELLED.is_file() else {}
    for p in pool:
        d = drawn.get(p["id"])
        if d is None:
            continue
        if p["source"] in DEV_SOURCES:
            raise SystemExit(f"{p['id']} (batch {d['batch']}) is from dev source {p['source']}")
        if (p["source"], p["path"], p["row"]) != (d["source"], d["path"], d["row"]) or text_sha256(
            p["text"]
        ) != d[HASH]:
            raise SystemExit(f"{p['id']}: pool.jsonl differs from unlabelled.jsonl (rebuild it)")


def merge() -> int:
    a, b = read_by_id(LAB / "pass-a"), read_by_id(LAB / "pass-b")
    adj = read_by_id(LAB / "adjudication" / "decided") if (LAB / "adjudication" / "decided").is_dir() else {}
    revised = read_jsonl(REVISED) if REVISED.is_file() else []
    unknown = [r["id"] for r in revised if not str(r.get("decision", "")).startswith("D")]
    if unknown:
        raise SystemExit(f"{REVISED}: every revision names its decision (D<n>): {unknown[:5]}")
    bad = [r["id"] for r in revised if r.get("label") not in ("kampanye", "netral")]
    if bad:
        raise SystemExit(f"{REVISED}: a revision's label is kampanye or netral: {bad[:5]}")
    revised = {r["id"]: r for r in revised}
    pool = read_corpus(CORPUS / "pool.jsonl")
    stray = sorted(set(revised) - {p["id"] for p in pool})
    if stray:
        raise SystemExit(f"{REVISED}: revisions of ids that are not in the pool: {stray[:5]}")
    check_later_batches(pool)  # batch 3 on: split train by source, like every training source
    withheld = read_withheld(pool)
    rows, missing = [], []
    for p in pool:
        i = p["id"]
        if i not in a or i not in b:
            missing.append(i)
            continue
        if i in revised:
            # a later written decision (DECISIONS.md) covers a text both passes had agreed on:
            # the lead's revision names the decision, and the passes' own labels stay as written
            final, how = revised[i], "revised"
            target = revised[i].get("target")
        elif a[i]["label"] == b[i]["label"]:
            final, how = a[i], "agreed"
            # the passes agree on the label; keep a target both saw, else pass A's
            target = a[i].get("target") or b[i].get("target")
        elif i in adj:
            final, how = adj[i], "adjudicated"
            target = adj[i].get("target")
        else:
            missing.append(i)
            continue
        rows.append(
            {
                "id": i,
                "text": p["text"],
                "label": final["label"],
                "target": target if final["label"] == "kampanye" else None,
                "stance": final.get("stance") if final["label"] == "kampanye" else None,
                "point": final.get("point"),
                "type": final.get("type") or a[i].get("type"),
                "hard_negative": bool(final["label"] == "netral" and (a[i].get("hard") or b[i].get("hard"))),
                "unsure": bool(a[i].get("unsure") or b[i].get("unsure")),
                "decided": how,
                "split": split_of(p["source"], i, withheld),
                "source": p["source"],
                "election": p["election"],
                "date": iso_date(p.get("date")) or status_date(p.get("url")),
                "repo": p["repo"],
                "commit": p["commit"],
                "path": p["path"],
                "row": p["row"],
                "url": p.get("url"),
                "licence": p["licence"],
            }
        )
    with (CORPUS / "corpus.jsonl").open("wb") as fh:
        for r in rows:
            fh.write(orjson.dumps(r) + b"\n")
    pool_date = {p["id"]: p.get("date") for p in pool}
    with (CORPUS / "labels.jsonl").open("wb") as fh:
        for r in rows:
            fh.write(orjson.dumps(label_row(r, pool_date[r["id"]])) + b"\n")
    both = [i for i in a if i in b]
    k = kappa([a[i]["label"] for i in both], [b[i]["label"] for i in both])
    agree = sum(a[i]["label"] == b[i]["label"] for i in both)
    by_split = Counter((r["split"], r["label"]) for r in rows)
    lines = [
        "# Agreement of the two labelling passes",
        "",
        "Written by `tools/corpus/merge_passes.py merge`.",
        "",
        f"- texts labelled by both passes: {len(both)}",
        f"- same label: {agree} ({agree / len(both):.1%})",
        f"- Cohen's κ (kampanye/netral): **{k:.3f}**",
        f"- disagreements settled by a third reader: {sum(r['decided'] == 'adjudicated' for r in rows)}",
        f"- labels revised after a later written decision: {sum(r['decided'] == 'revised' for r in rows)}",
        f"- texts left out (not labelled or not adjudicated): {len(missing)}",
        f"- labelled texts withheld, in no split (their text overlaps a reserved dataset; "
        f"data/corpus/withheld.jsonl): {sum(r['split'] == WITHHELD_SPLIT for r in rows)}",
        "",
        "| split | kampanye | netral |",
        "|---|---|---|",
        f"| train | {by_split[('train', 'kampanye')]} | {by_split[('train', 'netral')]} |",
        f"| dev | {by_split[('dev', 'kampanye')]} | {by_split[('dev', 'netral')]} |",
        f"| test | {by_split[('test', 'kampanye')]} | {by_split[('test', 'netral')]} |",
        "",
        "κ per source (label):",
        "",
        "| source | n | agreement | κ |",
        "|---|---|---|---|",
    ]
    src_of = {p["id"]: p["source"] for p in pool}
    for s in sorted({src_of[i] for i in both}):
        ids = [i for i in both if src_of[i] == s]
        la, lb = [a[i]["label"] for i in ids], [b[i]["label"] for i in ids]
        ag = sum(x == y for x, y in zip(la, lb, strict=True)) / len(ids)
        lines.append(f"| {s} | {len(ids)} | {ag:.1%} | {kappa(la, lb):.3f} |")
    (CORPUS / "AGREEMENT.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(rows)} rows -> {CORPUS / 'corpus.jsonl'}; kappa {k:.3f}; {len(missing)} left out")
    return 0


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "disagreements":
        raise SystemExit(disagreements())
    if cmd == "merge":
        raise SystemExit(merge())
    print(__doc__)
    raise SystemExit(2)
