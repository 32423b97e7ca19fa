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

CONFIGS = {
    "lr-word (old)": ModelConfig(char=False, mask=False, real_weight=0.0, c=4.0),
    "lr-word +real": ModelConfig(char=False, mask=False),
    "lr-word+char +real": ModelConfig(char=True, mask=False),
    "lr-word+char masked +real": ModelConfig(char=True, mask=True),
    "sgd-hinge word+char masked +real": ModelConfig(char=True, mask=True, family="svm"),
    "cnb word+char masked +real": ModelConfig(char=True, mask=True, family="nb"),
    "lr-word+char masked real-only": ModelConfig(char=True, mask=True, synthetic=False),
    "lr-word+char masked +real x3": ModelConfig(char=True, mask=True, real_weight=3.0),
    "lr-word+char masked +real C1": ModelConfig(char=True, mask=True, c=1.0),
    "lr-word+char masked +real C16": ModelConfig(char=True, mask=True, c=16.0),
    "lr-word+char masked +real x2 C8": ModelConfig(char=True, mask=True, real_weight=2.0, c=8.0),
}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=ROOT / "data" / "corpus" / "corpus.jsonl")
    ap.add_argument("--only", nargs="*")
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
        for held in sources:
            fit = [(r["text"], int(r["label"] == "kampanye")) for r in train if r["source"] != held]
            test = [r for r in train if r["source"] == held]
            model = TextModel(norm, synth, fit, cfg)
            p = model.predict_many([norm.normalise(r["text"]) for r in test])
            ys.extend(int(r["label"] == "kampanye") for r in test)
            ps.extend(p)
        y, p = np.array(ys), np.clip(np.array(ps), 1e-6, 1 - 1e-6)
        pred = p >= 0.5
        fa = float(pred[y == 0].mean())
        print(
            f"{name:36s} auc {roc_auc_score(y, p):.3f}  logloss {log_loss(y, p):.3f}  "
            f"f1@.5 {f1_score(y, pred):.3f}  false-alarm {fa:.3f}  ({time.perf_counter() - t0:.0f}s)"
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
