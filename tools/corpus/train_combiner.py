"""Build what the detector learns from the real corpus: the model's real training rows and the
combiner's weights.

Usage:
    .venv/bin/python tools/corpus/train_combiner.py [--corpus data/corpus/corpus.jsonl] [--write]

1. The training split of the corpus (never the dev split) becomes
   ``data/corpus/real_train.jsonl`` (text, label, source, id).
2. Out-of-fold model probabilities: the training sources are dealt into five folds (a source
   is never in two), the synthetic corpus is split at random into five as well; for each fold
   the model is trained on the other four and predicts the fold, so no text is scored by a
   model that saw it.
3. Every stage runs on every text with that probability (``Detector.document``) and
   ``combine.features`` reads what they found.
4. A logistic regression over the standardised features, real texts weighing
   ``--real-weight`` times a synthetic one, gives ``src/netral/detect/data/combiner.json``.
5. The text model is retrained on the new split and its weights exported to
   ``src/netral/detect/data/model.npz`` (``netral.detect.model_train``), which the detector
   evaluates with numpy at run time.

Leave-one-source-out figures of the combiner (refitted without each source in turn) are
printed, at the tinjau (flag) and kampanye thresholds.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

import numpy as np
import orjson
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from texts import read_corpus  # noqa: E402

from netral.detect import combine  # noqa: E402
from netral.detect.detector import Detector  # noqa: E402
from netral.detect.model import REAL_TRAIN, real_rows, synthetic_rows  # noqa: E402
from netral.detect.model_train import DEFAULT_CONFIG, TextModel, write_weights  # noqa: E402
from netral.detect.score import KAMPANYE_AT, TINJAU_AT  # noqa: E402
from netral.packs import load_packs  # noqa: E402

DATA = ROOT / "src" / "netral" / "detect" / "data"
SEED = 20261206
K = 5


def out_of_fold(
    det: Detector, real: list[dict], synth: list[tuple[str, int]]
) -> tuple[list[float], list[float]]:
    # by size, then name: sources of equal size (several have 330 texts) must not be dealt by
    # the set's hash order, or two runs give different folds and different weights
    sources = sorted({r["source"] for r in real},
                     key=lambda s: (-sum(r["source"] == s for r in real), s))
    fold_of_source = {s: i % K for i, s in enumerate(sources)}
    rng = random.Random(SEED)
    synth_fold = [rng.randrange(K) for _ in synth]
    p_real = [0.0] * len(real)
    p_synth = [0.0] * len(synth)
    norm = det.normaliser
    for k in range(K):
        fit_real = [
            (r["text"], int(r["label"] == "kampanye")) for r in real if fold_of_source[r["source"]] != k
        ]
        fit_synth = [row for row, f in zip(synth, synth_fold, strict=True) if f != k]
        model = TextModel(norm, fit_synth, fit_real, DEFAULT_CONFIG)
        idx_r = [i for i, r in enumerate(real) if fold_of_source[r["source"]] == k]
        idx_s = [i for i, f in enumerate(synth_fold) if f == k]
        pr = model.predict_many([norm.normalise(real[i]["text"]) for i in idx_r])
        ps = model.predict_many([norm.normalise(synth[i][0]) for i in idx_s])
        for i, p in zip(idx_r, pr, strict=True):
            p_real[i] = p
        for i, p in zip(idx_s, ps, strict=True):
            p_synth[i] = p
        print(
            f"  fold {k + 1}/{K}: model on {len(fit_synth)} synthetic + {len(fit_real)} real", file=sys.stderr
        )
    return p_real, p_synth


def feature_rows(
    det: Detector, texts: list[tuple[str, str | None]], probs: list[float]
) -> list[dict[str, float]]:
    out = []
    for (text, when), p in zip(texts, probs, strict=True):
        if not det.lexicon.may_concern(text):
            out.append(None)  # the pre-filter clears it before any stage: not the combiner's
            continue
        doc = det.document(text, "post", when, model_p=p)
        out.append(combine.features(doc))
    return out


def fit(
    x: np.ndarray, y: np.ndarray, w: np.ndarray, c: float
) -> tuple[LogisticRegression, np.ndarray, np.ndarray]:
    means = x.mean(axis=0)
    scales = x.std(axis=0)
    scales[scales == 0] = 1.0
    clf = LogisticRegression(C=c, max_iter=5000, random_state=SEED)
    clf.fit((x - means) / scales, y, sample_weight=w)
    return clf, means, scales


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "data" / "corpus" / "corpus.jsonl")
    ap.add_argument("--real-weight", type=float, default=3.0)
    ap.add_argument("--c", type=float, default=1.0)
    ap.add_argument("--write", action="store_true")
    ap.add_argument(
        "--max-false-alarm",
        type=float,
        default=0.10,
        help="shift the score so that at most this share of netral training texts "
        "(out of source) reaches the tinjau threshold",
    )
    ap.add_argument("--dump", type=Path, help="write each real text's out-of-source probability here")
    ap.add_argument(
        "--model-cache",
        type=Path,
        help="read the out-of-fold model probabilities from this file if it exists, else write "
        "them there (only valid while the model, its training rows and the folds are unchanged)",
    )
    args = ap.parse_args()
    rows = read_corpus(args.corpus)  # a clear message when it was not rebuilt
    real = [r for r in rows if r["split"] == "train"]
    if args.write:
        with REAL_TRAIN.open("wb") as fh:
            for r in real:
                fh.write(
                    orjson.dumps(
                        {"id": r["id"], "text": r["text"], "label": r["label"], "source": r["source"]}
                    )
                    + b"\n"
                )
    synth = synthetic_rows()
    det = Detector(load_packs())
    print(f"{len(real)} real training texts, {len(synth)} synthetic", file=sys.stderr)
    if args.model_cache and args.model_cache.exists():
        cached = orjson.loads(args.model_cache.read_bytes())
        p_real, p_synth = cached["real"], cached["synthetic"]
        if len(p_real) != len(real) or len(p_synth) != len(synth):
            sys.exit(f"{args.model_cache} was written for another corpus; delete it")
    else:
        p_real, p_synth = out_of_fold(det, real, synth)
        if args.model_cache:
            args.model_cache.write_bytes(orjson.dumps({"real": p_real, "synthetic": p_synth}))
    f_real = feature_rows(det, [(r["text"], r.get("date")) for r in real], p_real)
    f_synth = feature_rows(det, [(t, None) for t, _ in synth], p_synth)
    names = sorted(next(f for f in f_real if f is not None))
    xs, ys, ws, srcs = [], [], [], []
    for r, f in zip(real, f_real, strict=True):
        if f is not None:
            xs.append([f[n] for n in names])
            ys.append(int(r["label"] == "kampanye"))
            ws.append(args.real_weight)
            srcs.append(r["source"])
    for (_, y), f in zip(synth, f_synth, strict=True):
        if f is not None:
            xs.append([f[n] for n in names])
            ys.append(y)
            ws.append(1.0)
            srcs.append("synthetic")
    x, y, w = np.array(xs), np.array(ys), np.array(ws)
    src = np.array(srcs)
    # balance the classes within the real rows: the share of campaign content differs from
    # one source (and one user) to the next, and the combiner must not learn the training mix
    is_real = src != "synthetic"
    for label in (0, 1):
        sel = is_real & (y == label)
        w[sel] *= is_real.sum() / (2 * max(1, sel.sum()))
    cleared = sum(f is None for f in f_real)
    cleared_pos = sum(f is None and r["label"] == "kampanye" for r, f in zip(real, f_real, strict=True))
    print(f"pre-filter clears {cleared} real texts ({cleared_pos} of them kampanye)")

    # leave one source out: the combiner never saw the source it is scored on
    tot = defaultdict(int)
    oos = np.zeros(len(y))
    for s in sorted(set(srcs) - {"synthetic"}):
        held = src == s
        clf, m, sc = fit(x[~held], y[~held], w[~held], args.c)
        p = clf.predict_proba((x[held] - m) / sc)[:, 1]
        oos[held] = p
        for thr, tag in ((TINJAU_AT, "flag"), (KAMPANYE_AT, "kampanye")):
            pred = p >= thr
            tot[(tag, "tp")] += int((pred & (y[held] == 1)).sum())
            tot[(tag, "fp")] += int((pred & (y[held] == 0)).sum())
            tot[(tag, "fn")] += int((~pred & (y[held] == 1)).sum())
            tot[(tag, "tn")] += int((~pred & (y[held] == 0)).sum())
    tot[("flag", "fn")] += cleared_pos
    tot[("flag", "tn")] += cleared - cleared_pos
    # the operating point: a flag must be worth a reviewer's time, so the score is shifted (in
    # log-odds) until out-of-source false alarms on netral training texts are at most the target
    real_mask = src != "synthetic"
    z = np.log(np.clip(oos, 1e-9, 1 - 1e-9) / np.clip(1 - oos, 1e-9, 1))
    shift = 0.0
    neg = real_mask & (y == 0)
    rule = x[:, names.index("rule_score")]

    def final(shift: float) -> np.ndarray:  # as combine.final_score: explicit rules are a floor
        p = 1 / (1 + np.exp(-(z - shift)))
        floor = (rule >= combine.FLOOR_AT) | (x[:, names.index("floor_tag")] > 0)
        return np.where(floor, np.maximum(p, rule), p)

    while shift < 8 and (final(shift)[neg] >= TINJAU_AT).mean() > args.max_false_alarm:
        shift += 0.05
    p_shift = final(shift)
    for thr, tag in ((TINJAU_AT, "flag"), (KAMPANYE_AT, "kampanye")):
        pred = p_shift[real_mask] >= thr
        yy = y[real_mask]
        tp = int((pred & (yy == 1)).sum()) + 0
        fp = int((pred & (yy == 0)).sum())
        fn = int((~pred & (yy == 1)).sum()) + cleared_pos
        tn = int((~pred & (yy == 0)).sum()) + cleared - cleared_pos
        prec = tp / (tp + fp) if tp + fp else 0
        rec = tp / (tp + fn) if tp + fn else 0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0
        print(
            f"LOSO {tag:8s} (shift {shift:.2f}): precision {prec:.3f} recall {rec:.3f} F1 {f1:.3f} "
            f"false alarms {fp / (fp + tn):.3f}"
        )

    if args.dump:
        # each real text's leave-one-source-out final score (shifted, floored), as the detector
        # would have scored it without ever seeing its source; texts the pre-filter clears
        # score 0. tools/corpus/report.py --loso reads this file.
        final_real = iter(p_shift[real_mask])
        with args.dump.open("wb") as fh:
            for r, f, pm in zip(real, f_real, p_real, strict=True):
                score = float(next(final_real)) if f is not None else 0.0
                fh.write(orjson.dumps({
                    "id": r["id"], "label": r["label"], "score": round(score, 4),
                    "model_p": round(pm, 4), "text": r["text"],
                    **{k: r.get(k) for k in ("type", "source", "election", "point", "stance",
                                             "target", "hard_negative")},
                }) + b"\n")

    clf, m, sc = fit(x, y, w, args.c)
    spec = {
        "version": f"combiner-{date.today().isoformat()}",
        "features": names,
        "weights": [round(float(v), 6) for v in clf.coef_[0]],
        "bias": round(float(clf.intercept_[0]) - shift, 6),
        "shift": round(shift, 3),
        "means": [round(float(v), 6) for v in m],
        "scales": [round(float(v), 6) for v in sc],
        "trained_on": {
            "real_texts": int((src != "synthetic").sum()),
            "synthetic_texts": int((src == "synthetic").sum()),
            "real_weight": args.real_weight,
            "c": args.c,
            "corpus": "data/corpus/corpus.jsonl split=train",
        },
    }
    for n, wt in sorted(zip(names, spec["weights"], strict=True), key=lambda t: -abs(t[1])):
        print(f"  {n:28s} {wt:+.3f}")
    if args.write:
        (DATA / "combiner.json").write_bytes(orjson.dumps(spec, option=orjson.OPT_INDENT_2) + b"\n")
        real_rows.cache_clear()  # the split was rewritten above
        weights = write_weights()
        print(f"wrote {DATA / 'combiner.json'}, {REAL_TRAIN} and {weights}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
