"""Where the real corpus' labels and texts live, and how they are joined.

The labels, targets, stances, guideline points and provenance are ours and committed in
``data/corpus/labels.jsonl``, one row per text with the SHA-256 of the text and no text. The
texts themselves are third parties' posts and headlines: ``tools/corpus/rebuild.py`` reads them
again from snapshots of their public repositories and writes ``corpus.jsonl`` and ``pool.jsonl``
(both git-ignored). The texts of the sources we re-read through the file index are committed in
``data/corpus/resourced.jsonl`` with the index commit they were read at; they are enough for
some checks without any snapshot (``available_rows``).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import orjson

from netral.detect.withheld import FILE, SPLIT, read_ids

ROOT = Path(__file__).resolve().parents[2]
CORPUS_DIR = ROOT / "data" / "corpus"
CORPUS = CORPUS_DIR / "corpus.jsonl"
POOL = CORPUS_DIR / "pool.jsonl"
LABELS = CORPUS_DIR / "labels.jsonl"
RESOURCED = CORPUS_DIR / "resourced.jsonl"
# Rows drawn for labelling and not labelled yet (batch 3 on): provenance and hash, no text.
UNLABELLED = CORPUS_DIR / "unlabelled.jsonl"
# Rows whose text overlaps a reserved dataset (shared/RESERVED.md), found after they were drawn:
# id, source, reason; no text. They keep their ids and labels but are in no split (WITHHELD_SPLIT):
# never trained on, never in dev, test or any figure (tools/corpus/withhold.py writes the list).
WITHHELD = CORPUS_DIR / FILE
WITHHELD_SPLIT = SPLIT
WITHHELD_REASONS = ("reserved_exact", "reserved_loose", "reserved_near", "source_copies_reserved")
# Sources whose texts are, row after row, a re-publication of a reserved dataset: every row of
# theirs is withheld (``source_copies_reserved``), also the few under the 3-gram bar
# (SOURCES.md, "Withheld rows").
SOURCES_COPYING_RESERVED = frozenset({"prasetyo-pilpres2019"})

# Fields of labels.jsonl that are not fields of corpus.jsonl.
HASH = "text_sha256"
POOL_DATE = "pool_date"  # the date cell as the source writes it (pool.jsonl keeps it raw)

MISSING = (
    "{path} is not here: the texts of the real corpus are not committed. Rebuild them from "
    "snapshots of their public sources with `python tools/corpus/rebuild.py --mirror DIR` "
    "(data/corpus/SOURCES.md, 'How to get the texts')."
)


class CorpusMissing(SystemExit):
    """The rebuilt corpus is absent: a one-line message, never a traceback."""

    def __init__(self, path: Path) -> None:
        super().__init__(MISSING.format(path=path))


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_jsonl(path: Path) -> list[dict]:
    """Rows of a JSON-lines file; a bad line is named by file and line number."""
    out: list[dict] = []
    for n, line in enumerate(path.read_bytes().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append(orjson.loads(line))
        except orjson.JSONDecodeError as exc:
            raise SystemExit(f"{path}:{n}: not a JSON line ({exc})") from None
    return out


def read_corpus(path: Path = CORPUS) -> list[dict]:
    """The rebuilt corpus, or a clear message saying how to rebuild it. A corpus older than the
    withheld list (a withheld row still in a split) is refused: every reader of the splits
    (training, LOSO, dev and test figures) reads through here."""
    if not path.is_file():
        raise CorpusMissing(path)
    rows = read_jsonl(path)
    check_withheld(rows, path)
    return rows


def withheld_ids(path: Path | None = None) -> set[str]:
    """Ids of the withheld rows (data/corpus/withheld.jsonl unless told; none where it is absent)."""
    return read_ids(WITHHELD if path is None else path)


def _in_a_split(row: dict) -> bool:
    if "split" in row:  # corpus.jsonl, labels.jsonl
        return row["split"] != WITHHELD_SPLIT
    return "label" in row  # a training file's row (real_train.jsonl); a pool row has no label


def check_withheld(rows: list[dict], where: Path | str, withheld: set[str] | None = None) -> None:
    """Refuse rows that give a withheld id a split, or a training file holding one: a
    corpus.jsonl, labels.jsonl or real_train.jsonl written before the list; rebuild them. Pool
    rows (no split, no label) hold every drawn row and are not checked."""
    withheld = withheld_ids() if withheld is None else withheld
    stale = [r["id"] for r in rows if r.get("id") in withheld and _in_a_split(r)]
    if stale:
        raise SystemExit(
            f"{where}: {len(stale)} withheld rows (data/corpus/withheld.jsonl) are still in a split "
            f"(e.g. {stale[:3]}): it predates the list; run tools/corpus/rebuild.py --real-train "
            "(or merge_passes.py merge, then rebuild.py)"
        )


def label_row(corpus_row: dict, pool_date: str | None) -> dict:
    """A corpus row as committed: everything but the text, which becomes its hash."""
    out = {"id": corpus_row["id"], HASH: text_sha256(corpus_row["text"])}
    out.update((k, v) for k, v in corpus_row.items() if k not in ("id", "text"))
    out[POOL_DATE] = pool_date
    return out


def corpus_row(label: dict, text: str) -> dict:
    """The corpus.jsonl row of a labels.jsonl row and its text (field order as merge writes)."""
    out = {"id": label["id"], "text": text}
    out.update((k, v) for k, v in label.items() if k not in ("id", HASH, POOL_DATE))
    return out


def pool_row(label: dict, text: str) -> dict:
    """The pool.jsonl row (field order as collect.py writes it)."""
    return {
        "id": label["id"],
        "source": label["source"],
        "repo": label["repo"],
        "commit": label["commit"],
        "path": label["path"],
        "row": label["row"],
        "url": label["url"],
        "date": label[POOL_DATE],
        "licence": label["licence"],
        "election": label["election"],
        "text": text,
    }


def resourced_texts(path: Path = RESOURCED) -> dict[str, str]:
    """id -> text of the rows re-read through the file index (committed)."""
    return {r["id"]: r["text"] for r in read_jsonl(path)} if path.is_file() else {}


def available_rows(split: str | None = None) -> tuple[list[dict], str]:
    """Corpus rows with their texts (never a withheld one), from the rebuilt corpus when it is
    here, else from the committed re-sourced texts (a subset). Returns (rows, where) — `where`
    says which, so a figure measured on the subset is never mistaken for the full one."""
    if CORPUS.is_file():
        rows = read_jsonl(CORPUS)
        where = str(CORPUS)
    else:
        texts = resourced_texts()
        rows = [corpus_row(lab, texts[lab["id"]]) for lab in read_jsonl(LABELS) if lab["id"] in texts]
        where = f"{RESOURCED} (re-sourced subset; {CORPUS.name} not rebuilt)"
    check_withheld(rows, where)
    rows = [r for r in rows if r["split"] != WITHHELD_SPLIT]
    if split:
        rows = [r for r in rows if r["split"] == split]
    return rows, where
