"""Compare combiner families out of source, on the TRAINING split only.

Usage:
    .venv/bin/python tools/corpus/combiner_lab.py [--features /tmp/combiner_features.npz]
        [--model-cache /tmp/combiner_model_oof.json] [--only NAME ...] [--boot 2000]

The rows are ``train_combiner.py``'s: out-of-fold model probabilities (five folds by source),
every stage run on every text, ``combine.features`` read (computed once and cached with
``--features``; the cache is valid while the corpus, the model and the stages are unchanged).
Every family is scored the way ``train_combiner.py`` scores the shipped one: refitted leaving
one training source out at a time (the synthetic corpus always in), the same sample weights
(a real text weighs ``--real-weight`` synthetic ones, classes balanced within the real rows),
then the same operating point — the score shifted in log-odds until at most ``--max-false-alarm``
of netral training texts reach tinjau out of source, explicit rule evidence a floor — and
precision, recall, F1 and false alarms at the tinjau and kampanye thresholds.

The F1 gain over the shipped logistic combiner comes with a 95 % interval from resampling whole
sources (a source's texts are not independent of one another; the operating points stay as
chosen on all sources). The dev and test splits are not read.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from pathlib import Path

# the machine's two cores are shared: one thread for the trees' OpenMP loops
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
from sklearn.metrics import roc_auc_score

sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_combiner as tc
from texts import read_corpus

from netral.detect import combine

SEED = tc.SEED
# logistic + interactions chosen before any run, from what the combiner cannot express alone:
# the model means less in a headline or a news report, an attack means less in news and after
# voting day (already a feature), a reply is where implicit support lives
INTERACTIONS = (
    ("model_logit", "shape_title_case"),
    ("model_logit", "mit_berita"),
    ("model_logit", "shape_media"),
    ("model_logit", "shape_reply"),
    ("model_logit", "rule_score"),
    ("ev_serangan", "mit_berita"),
    ("ev_serangan", "shape_title_case"),
)


def with_interactions(fs: tc.FeatureSet) -> np.ndarray:
    extra = [fs.column(a) * fs.column(b) for a, b in INTERACTIONS]
    return np.column_stack([fs.x, *extra])


def trees(depth: int, iters: int, rate: float, leaf: int, l2: float) -> tc.FitPredict:
    return tc.trees(tc.TreeSettings(depth, iters, rate, leaf, l2))


def blend(a: tc.FitPredict, b: tc.FitPredict) -> tc.FitPredict:
    """The mean of two combiners' log-odds."""
    def fit_predict(x: np.ndarray, y: np.ndarray, w: np.ndarray, x_held: np.ndarray) -> np.ndarray:
        pa = np.clip(a(x, y, w, x_held), 1e-9, 1 - 1e-9)
        pb = np.clip(b(x, y, w, x_held), 1e-9, 1 - 1e-9)
        z = (np.log(pa / (1 - pa)) + np.log(pb / (1 - pb))) / 2
        return 1 / (1 + np.exp(-z))
    return fit_predict


# name -> (fit_predict, uses the interaction columns)
FAMILIES: dict[str, tuple[tc.FitPredict, bool]] = {
    "logistic C=1 (shipped)": (tc.logistic(1.0), False),
    "logistic C=1 + 7 interactions": (tc.logistic(1.0), True),
    "trees depth 2, 200 it, lr 0.05": (trees(2, 200, 0.05, 100, 1.0), False),
    "trees depth 3, 200 it, lr 0.05": (trees(3, 200, 0.05, 100, 1.0), False),
    "trees depth 3, 100 it, lr 0.1": (trees(3, 100, 0.1, 100, 1.0), False),
    "trees depth 4, 150 it, lr 0.05": (trees(4, 150, 0.05, 200, 3.0), False),
    "trees depth 3, 200 it, lr 0.1": (trees(3, 200, 0.1, 100, 1.0), False),
    "trees depth 4, 200 it, lr 0.1": (trees(4, 200, 0.1, 100, 1.0), False),
    # few trees, larger steps: what pure Python evaluates in < 10 µs a text (--cost)
    "trees depth 4, 50 it, lr 0.3": (trees(4, 50, 0.3, 100, 1.0), False),
    "trees depth 3, 50 it, lr 0.3": (trees(3, 50, 0.3, 100, 1.0), False),
    "½ logistic + ½ trees depth 3, 100 it, lr 0.1 (log-odds)": (
        blend(tc.logistic(1.0), trees(3, 100, 0.1, 100, 1.0)), False),
}


def run_time_cost(fs: tc.FeatureSet, w: np.ndarray, n: int = 3000) -> None:
    """CPU µs a text of the combiner's own arithmetic at run time (``combine.Combiner.raw``
    on a dict of features, as ``combine.features`` returns them), each family fitted on every
    row: the shipped logistic regression against trees of each size screened above."""
    rows = [dict(zip(fs.names, r, strict=True)) for r in fs.x[:n].tolist()]
    clf, m, sc = tc.fit(fs.x, fs.y, w, 1.0)
    logistic = combine.Combiner({
        "version": "lab", "features": fs.names, "weights": clf.coef_[0].tolist(),
        "bias": float(clf.intercept_[0]), "means": m.tolist(), "scales": sc.tolist()})

    def timed(comb: combine.Combiner) -> float:
        best = math.inf
        for _ in range(3):
            t0 = time.process_time()
            for f in rows:
                comb.raw(f)
            best = min(best, time.process_time() - t0)
        return 1e6 * best / len(rows)

    print(f"run-time cost, pure Python, best of 3 over {len(rows)} texts (µs a text):")
    print(f"  logistic (shipped): {timed(logistic):.1f}")
    for depth, iters, rate in ((3, 50, 0.3), (4, 50, 0.3), (3, 100, 0.1), (3, 200, 0.1),
                               (4, 200, 0.1)):
        clf_t = tc.TreeSettings(depth, iters, rate).classifier().fit(fs.x, fs.y,
                                                                     sample_weight=w)
        nodes, baseline = tc.tree_spec(clf_t)
        comb = combine.Combiner({"version": "lab", "features": fs.names, "trees": nodes,
                                 "baseline": baseline, "shift": 0.0})
        got = np.array([comb.raw(f) for f in rows])
        gap = float(np.abs(1 / (1 + np.exp(-got)) - clf_t.predict_proba(fs.x[:n])[:, 1]).max())
        print(f"  trees depth {depth}, {iters} it, lr {rate}: {timed(comb):.1f} (largest gap "
              f"to predict_proba {gap:.1e})")


def f1_at_false_alarms(y: np.ndarray, score: np.ndarray, fa: float) -> float:
    """F1 at the lowest threshold on the final score whose false alarms are at most ``fa``:
    families compared at exactly the shipped combiner's false alarms, not at the nearest
    step of the shift."""
    neg = np.sort(score[y == 0])[::-1]
    allowed = int(np.floor(fa * len(neg) + 1e-9))  # netral texts that may reach it
    thr = np.nextafter(neg[allowed], np.inf) if allowed < len(neg) else -np.inf
    pred = score >= thr
    tp, fp = int((pred & (y == 1)).sum()), int((pred & (y == 0)).sum())
    return tc.prf(tp, fp, int((~pred & (y == 1)).sum()), int((~pred & (y == 0)).sum()))[2]


def bootstrap_gain(base: dict[str, np.ndarray], other: dict[str, np.ndarray], n: int,
                   seed: int = SEED) -> tuple[float, float, float, float]:
    """95 % interval of the F1 and false-alarm gains, resampling whole sources: (F1 low, F1
    high, FA low, FA high)."""
    sources = sorted(base)
    a = np.stack([base[s] for s in sources]).astype(float)
    b = np.stack([other[s] for s in sources]).astype(float)
    idx = np.random.default_rng(seed).integers(0, len(sources), size=(n, len(sources)))

    def f1_fa(c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        t = c[idx].sum(axis=1)  # (n, 4): tp fp fn tn
        tp, fp, fn, tn = t.T
        return 2 * tp / np.maximum(2 * tp + fp + fn, 1), fp / np.maximum(fp + tn, 1)

    (fa_, ra), (fb, rb) = f1_fa(a), f1_fa(b)
    lo, hi = np.percentile(fb - fa_, [2.5, 97.5])
    flo, fhi = np.percentile(rb - ra, [2.5, 97.5])
    return float(lo), float(hi), float(flo), float(fhi)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=tc.ROOT / "data" / "corpus" / "corpus.jsonl")
    ap.add_argument("--features", type=Path, default=Path("/tmp/combiner_features.npz"))
    ap.add_argument("--model-cache", type=Path, default=Path("/tmp/combiner_model_oof.json"))
    ap.add_argument("--real-weight", type=float, default=3.0)
    ap.add_argument("--max-false-alarm", type=float, default=0.15)
    ap.add_argument("--boot", type=int, default=2000)
    ap.add_argument("--only", nargs="*", help="families whose name contains one of these")
    ap.add_argument("--cost", action="store_true",
                    help="only time the combiners' run-time arithmetic (pure Python)")
    args = ap.parse_args()
    real = [r for r in read_corpus(args.corpus) if r["split"] == "train"]
    fs = tc.features_for(real, args.model_cache, args.features)
    w = tc.sample_weights(fs, args.real_weight)
    if args.cost:
        run_time_cost(fs, w)
        return 0
    x_inter = with_interactions(fs)
    n_src = len(set(fs.real_src.tolist()))
    print(f"{int(fs.real_mask.sum())} real rows reach the combiner ({fs.cleared} cleared by the "
          f"pre-filter), {int((~fs.real_mask).sum())} synthetic; {len(fs.names)} features; "
          f"{n_src} sources left out in turn")
    real_y = np.concatenate([fs.y[fs.real_mask], fs.real_y[~fs.kept]])
    base: dict[str, dict[str, np.ndarray]] | None = None
    base_figs: dict[str, tuple[float, float, float, float]] = {}
    print("| combiner | shift | flag P | R | F1 | FA | kampanye F1 | FA | ROC AUC "
          "| flag F1 gain (95 % CI) | flag FA gain, points (95 % CI) | kampanye F1 gain (95 % CI) "
          "| sources better / worse | F1 at the shipped FA | fit s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, (fit_predict, inter) in FAMILIES.items():
        if args.only and not any(o in name for o in args.only) and base is not None:
            continue
        t0 = time.process_time()
        oos = tc.loso(fs, w, fit_predict, x_inter if inter else None)
        secs = time.process_time() - t0
        shift, p_final = tc.operating_point(fs, oos, args.max_false_alarm)
        by_tag = {tag: tc.counts_by_source(fs, p_final, thr) for thr, tag in tc.THRESHOLDS}
        figs = {tag: tc.prf(*(int(v) for v in sum(c.values()))) for tag, c in by_tag.items()}
        real_score = np.concatenate([p_final[fs.real_mask], np.zeros(fs.cleared)])
        auc = roc_auc_score(real_y, real_score)
        if base is None:
            base, base_figs = by_tag, figs
            gain = fa_gain = k_gain = sides = "–"
        else:
            lo, hi, flo, fhi = bootstrap_gain(base["flag"], by_tag["flag"], args.boot)
            klo, khi, _, _ = bootstrap_gain(base["kampanye"], by_tag["kampanye"], args.boot)
            d = figs["flag"][2] - base_figs["flag"][2]
            dfa = figs["flag"][3] - base_figs["flag"][3]
            dk = figs["kampanye"][2] - base_figs["kampanye"][2]
            gain = f"{d:+.3f} ({lo:+.3f} … {hi:+.3f})"
            fa_gain = f"{100 * dfa:+.1f} ({100 * flo:+.1f} … {100 * fhi:+.1f})"
            k_gain = f"{dk:+.3f} ({klo:+.3f} … {khi:+.3f})"
            # per source F1 (a source with no campaign text: its false-alarm count decides)
            better = worse = 0
            for s, c in by_tag["flag"].items():
                b = base["flag"][s]
                key_new = (tc.prf(*c)[2], -c[1])
                key_old = (tc.prf(*b)[2], -b[1])
                better += key_new > key_old
                worse += key_new < key_old
            sides = f"{better} / {worse}"
        f1_eq = f1_at_false_alarms(real_y, real_score, base_figs["flag"][3])
        p, r, f1, fa = figs["flag"]
        print(f"| {name} | {shift:.2f} | {p:.3f} | {r:.3f} | {f1:.3f} | {100 * fa:.1f} % | "
              f"{figs['kampanye'][2]:.3f} | {100 * figs['kampanye'][3]:.1f} % | {auc:.3f} | "
              f"{gain} | {fa_gain} | {k_gain} | {sides} | {f1_eq:.3f} | {secs:.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
