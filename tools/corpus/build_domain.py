"""Build the model's trust region: the words of the texts it was trained on, and how much of a
text must be made of them before its score means anything.

Usage:
    .venv/bin/python tools/corpus/build_domain.py [--write]

The statistical model learned Indonesian (and regional) election talk from
``src/netral/detect/data/train.jsonl`` and ``real_train.jsonl``. On a text whose words it never
saw — Russian, Chinese, Spanish, most English — its probability is noise, and issue 15 found it
calling "@a_pap Спасибо!" or "No te preocupes, neno." risky. So the detector only trusts the
model on texts whose word *coverage* (share of word tokens the training texts contain at least
``MIN_COUNT`` times) reaches a threshold.

The threshold is calibrated on data, never on the regression set: each real training source in
turn is left out, the vocabulary is rebuilt from everything else, and the left-out source's
coverage is measured — what a text from a source nobody trained on looks like. The threshold is
the ``--percentile`` (1 %) point of those coverages: 99 % of Indonesian texts from an unseen
source keep the model. Writes ``src/netral/detect/data/domain.json``.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from netral.detect.domain import MIN_COUNT, MIN_WORDS, word_tokens  # noqa: E402
from netral.detect.model import REAL_TRAIN, withheld_in_real_train  # noqa: E402
from netral.text import Normaliser  # noqa: E402

DATA = ROOT / "src" / "netral" / "detect" / "data"
OUT = DATA / "domain.json"


def _rows(name: str) -> list[dict]:
    # the real training split is rebuilt beside the corpus, never shipped (data/corpus/SOURCES.md)
    path = REAL_TRAIN if name == "real_train.jsonl" else DATA / name
    if path == REAL_TRAIN and withheld_in_real_train():
        raise SystemExit(f"{path} holds rows of data/corpus/withheld.jsonl: rebuild it with "
                         "tools/corpus/rebuild.py --real-train")
    return [orjson.loads(x) for x in read_texts(path).splitlines() if x.strip()]


def read_texts(path: Path) -> bytes:
    if not path.is_file():
        raise SystemExit(f"{path} is missing: rebuild it with tools/corpus/rebuild.py --real-train")
    return path.read_bytes()


def vocabulary(texts: list[list[str]]) -> set[str]:
    seen: Counter[str] = Counter()
    for words in texts:
        seen.update(set(words))
    return {w for w, n in seen.items() if n >= MIN_COUNT}


def coverage(words: list[str], vocab: set[str]) -> float:
    return sum(w in vocab for w in words) / len(words)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--percentile", type=float, default=1.0)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    normaliser = Normaliser()
    synthetic = [word_tokens(normaliser.normalise(r["text"])) for r in _rows("train.jsonl")]
    real = [(r["source"], word_tokens(normaliser.normalise(r["text"])))
            for r in _rows("real_train.jsonl")]
    left_out: list[float] = []
    for source in sorted({s for s, _ in real}):
        vocab = vocabulary(synthetic + [w for s, w in real if s != source])
        left_out += [coverage(w, vocab) for s, w in real if s == source and len(w) >= MIN_WORDS]
    left_out.sort()
    at = min(len(left_out) - 1, int(len(left_out) * args.percentile / 100))
    threshold = round(left_out[at], 3)
    vocab = vocabulary(synthetic + [w for _, w in real])
    pct = {f"p{p:g}": round(left_out[int(len(left_out) * p / 100)], 3) for p in (0.5, 1, 2, 5, 10, 50)}
    print(f"{len(left_out)} left-out texts; coverage percentiles {pct}; threshold {threshold}; "
          f"{len(vocab)} words")
    if args.write:
        spec = {
            "version": "1",
            "built_from": ["train.jsonl", "real_train.jsonl"],
            "min_count": MIN_COUNT,
            "min_words": MIN_WORDS,
            "threshold": threshold,
            "calibration": {"method": "leave-one-source-out over the real training split",
                            "percentile": args.percentile, "texts": len(left_out),
                            "coverage_percentiles": pct},
            "words": sorted(vocab),
        }
        OUT.write_bytes(orjson.dumps(spec, option=orjson.OPT_INDENT_2) + b"\n")
        print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
