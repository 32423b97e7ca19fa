"""Compare model families for the statistical layer, by source, on the TRAINING sources only.

Usage:
    .venv/bin/python tools/corpus/model_lab.py [--corpus data/corpus/corpus.jsonl] [--out FILE]

Every configuration is scored by leave-one-source-out over the training sources (the model is
trained on the synthetic corpus plus the other training sources, and predicts the held-out
source), so the figures say how a model carries over to a source it never saw. The dev sources
are not read. Prints ROC AUC, log loss, F1 at p ≥ 0.5 and the false-alarm rate on netral texts,
pooled over the folds, and a reliability table of the chosen configuration.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score, log_loss, roc_auc_score

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from texts import read_corpus  # noqa: E402

from netral.detect.model import synthetic_rows  # noqa: E402
from netral.detect.model_train import ModelConfig, TextModel  # noqa: E402
from netral.text import Normaliser  # noqa: E402

# cross=False: character grams within words only (every model before issue 10's fourth pass)
_W = {"cross": False}
CONFIGS = {
    "lr-word (old)": ModelConfig(char=False, mask=False, real_weight=0.0, c=4.0),
    "lr-word +real": ModelConfig(char=False, mask=False, real_weight=1.0),
    "lr-word+char +real": ModelConfig(char=True, mask=False, real_weight=1.0, **_W),
    "lr-word+char masked +real": ModelConfig(char=True, mask=True, real_weight=1.0, **_W),
    "lr-word+char masked +real x2": ModelConfig(char=True, mask=True, real_weight=2.0, **_W),
    "lr-word+char+cross masked +real x2 (shipped)": ModelConfig(),
    "sgd-hinge word+char masked +real": ModelConfig(char=True, mask=True, family="svm",
                                                    real_weight=1.0, **_W),
    "cnb word+char masked +real": ModelConfig(char=True, mask=True, family="nb", real_weight=1.0,
                                              **_W),
    "lr-word+char masked real-only": ModelConfig(char=True, mask=True, synthetic=False, **_W),
    "lr-word+char masked +real x3": ModelConfig(char=True, mask=True, real_weight=3.0, **_W),
    "lr-word+char masked +real x5": ModelConfig(char=True, mask=True, real_weight=5.0, **_W),
    "lr-word+char masked +real C16": ModelConfig(char=True, mask=True, real_weight=1.0, c=16.0,
                                                 **_W),
    "lr-word+char masked +real x2 C8": ModelConfig(char=True, mask=True, real_weight=2.0, c=8.0,
                                                   **_W),
    "lr-word+char+cross masked +real x2 C0.5": ModelConfig(c=0.5),
}


def _held_out_groups(train: list[dict], sources: list[str], folds: int) -> list[set[str]]:
    """One source at a time, or (folds > 0) the sources dealt into folds by size, then name."""
    if folds <= 0:
        return [{s} for s in sources]
    by_size = sorted(sources, key=lambda s: (-sum(r["source"] == s for r in train), s))
    return [{s for i, s in enumerate(by_size) if i % folds == k} for k in range(folds)]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=ROOT / "data" / "corpus" / "corpus.jsonl")
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--folds", type=int, default=0,
                    help="deal the sources into this many folds as train_combiner.py does (by "
                    "size, then name) instead of leaving one source out at a time: quicker")
    args = ap.parse_args()
    rows = read_corpus(args.corpus)  # a clear message when it was not rebuilt
    train = [r for r in rows if r["split"] == "train"]
    sources = sorted({r["source"] for r in train})
    norm = Normaliser()
    synth = synthetic_rows()
    print(f"{len(train)} real training texts from {len(sources)} sources; {len(synth)} synthetic")
    for name, cfg in CONFIGS.items():
        if args.only and name not in args.only:
            continue
        t0 = time.perf_counter()
        ys, ps = [], []
        for held in _held_out_groups(train, sources, args.folds):
            fit = [(r["text"], int(r["label"] == "kampanye")) for r in train
                   if r["source"] not in held]
            test = [r for r in train if r["source"] in held]
            model = TextModel(norm, synth, fit, cfg)
            p = model.predict_many([norm.normalise(r["text"]) for r in test])
            ys.extend(int(r["label"] == "kampanye") for r in test)
            ps.extend(p)
        y, p = np.array(ys), np.clip(np.array(ps), 1e-6, 1 - 1e-6)
        pred = p >= 0.5
        fa = float(pred[y == 0].mean())
        recall20 = float((p[y == 1] >= np.quantile(p[y == 0], 0.8)).mean())
        recall10 = float((p[y == 1] >= np.quantile(p[y == 0], 0.9)).mean())
        print(
            f"{name:36s} auc {roc_auc_score(y, p):.4f}  logloss {log_loss(y, p):.4f}  "
            f"f1@.5 {f1_score(y, pred):.3f}  false-alarm {fa:.3f}  "
            f"recall@20%FA {recall20:.3f}  recall@10%FA {recall10:.3f}  "
            f"({time.perf_counter() - t0:.0f}s)"
        )
        if name == (args.only or [None])[0]:
            bins = np.linspace(0, 1, 11)
            for lo, hi in itertools.pairwise(bins):
                m = (p >= lo) & (p < hi)
                if m.sum():
                    print(f"   p in [{lo:.1f},{hi:.1f}): n={m.sum():4d} kampanye share {y[m].mean():.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
