"""Build what the detector learns from the real corpus: the model's real training rows and the
combiner's weights.

Usage:
    .venv/bin/python tools/corpus/train_combiner.py [--corpus data/corpus/corpus.jsonl] [--write]
        [--family logistic|trees] [--model-cache FILE] [--feature-cache FILE.npz]

1. The training split of the corpus (never the dev split) becomes
   ``data/corpus/real_train.jsonl`` (text, label, source, id).
2. Out-of-fold model probabilities: the training sources are dealt into five folds (a source
   is never in two), the synthetic corpus is split at random into five as well; for each fold
   the model is trained on the other four and predicts the fold, so no text is scored by a
   model that saw it.
3. Every stage runs on every text with that probability (``Detector.document``) and
   ``combine.features`` reads what they found.
4. A logistic regression over the standardised features (or, ``--family trees``, shallow
   gradient-boosted trees, ``TreeSettings``), real texts weighing ``--real-weight`` times a
   synthetic one, gives ``src/netral/detect/data/combiner.json``. Steps 2–3 are the slow
   part: ``--feature-cache`` keeps their result (``FeatureSet``) for the next run and for
   ``tools/corpus/combiner_lab.py``, which compares combiner families.
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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import orjson
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from texts import read_corpus  # noqa: E402

from netral.detect import combine, floors  # noqa: E402
from netral.detect.detector import Detector  # noqa: E402
from netral.detect.model import REAL_TRAIN, everyday_rows, real_rows, synthetic_rows  # noqa: E402
from netral.detect.model_train import DEFAULT_CONFIG, TextModel, write_weights  # noqa: E402
from netral.detect.score import KAMPANYE_AT, TINJAU_AT  # noqa: E402
from netral.packs import load_packs  # noqa: E402

DATA = ROOT / "src" / "netral" / "detect" / "data"
SEED = 20261206
K = 5


def deal_folds(real: list[dict], n_synth: int) -> tuple[dict[str, int], list[int]]:
    """The fold of each training source and of each synthetic text. Sources are dealt by size,
    then name: sources of equal size (several have 330 texts) must not be dealt by the set's
    hash order, or two runs give different folds and different weights. Screens that add a
    column to the combiner's rows (``pretrained_e2e.py``) deal theirs here too."""
    sources = sorted({r["source"] for r in real},
                     key=lambda s: (-sum(r["source"] == s for r in real), s))
    rng = random.Random(SEED)
    return {s: i % K for i, s in enumerate(sources)}, [rng.randrange(K) for _ in range(n_synth)]


def out_of_fold(
    det: Detector, real: list[dict], synth: list[tuple[str, int]]
) -> tuple[list[float], list[float]]:
    fold_of_source, synth_fold = deal_folds(real, len(synth))
    p_real = [0.0] * len(real)
    p_synth = [0.0] * len(synth)
    norm = det.normaliser
    for k in range(K):
        fit_real = [
            (r["text"], int(r["label"] == "kampanye")) for r in real if fold_of_source[r["source"]] != k
        ] + everyday_rows()  # everyday netral texts in every fold: none of them is scored here
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


@dataclass
class FeatureSet:
    """The combiner's training rows, computed once (``build_features``) and reusable by
    experiments (``tools/corpus/combiner_lab.py``) through ``--feature-cache``.

    ``x``, ``y``, ``src`` hold the rows the combiner sees: real texts that pass the pre-filter,
    then every synthetic text that does (source "synthetic"). ``real_*`` hold every real
    training text in corpus order, ``kept`` saying which of them reached the combiner (the
    others the pre-filter clears: score 0)."""

    names: list[str]
    x: np.ndarray
    y: np.ndarray
    src: np.ndarray
    real_src: np.ndarray
    real_y: np.ndarray
    kept: np.ndarray
    p_real: np.ndarray

    @property
    def real_mask(self) -> np.ndarray:
        return self.src != "synthetic"

    @property
    def cleared(self) -> int:
        return int((~self.kept).sum())

    @property
    def cleared_pos(self) -> int:
        return int((~self.kept & (self.real_y == 1)).sum())

    def column(self, name: str) -> np.ndarray:
        return self.x[:, self.names.index(name)]

    def save(self, path: Path) -> None:
        with path.open("wb") as fh:  # np.savez would add ".npz" to a name without it
            np.savez(fh, names=np.array(self.names), x=self.x, y=self.y, src=self.src,
                     real_src=self.real_src, real_y=self.real_y, kept=self.kept,
                     p_real=self.p_real)

    @classmethod
    def load(cls, path: Path) -> FeatureSet:
        with np.load(path, allow_pickle=False) as z:
            return cls(names=[str(n) for n in z["names"]], **{
                k: z[k] for k in ("x", "y", "src", "real_src", "real_y", "kept", "p_real")})


def build_features(
    det: Detector, real: list[dict], synth: list[tuple[str, int]], p_real: list[float],
    p_synth: list[float],
) -> FeatureSet:
    f_real = feature_rows(det, [(r["text"], r.get("date")) for r in real], p_real)
    f_synth = feature_rows(det, [(t, None) for t, _ in synth], p_synth)
    names = sorted(next(f for f in f_real if f is not None))
    xs, ys, srcs = [], [], []
    for r, f in zip(real, f_real, strict=True):
        if f is not None:
            xs.append([f[n] for n in names])
            ys.append(int(r["label"] == "kampanye"))
            srcs.append(r["source"])
    for (_, y), f in zip(synth, f_synth, strict=True):
        if f is not None:
            xs.append([f[n] for n in names])
            ys.append(y)
            srcs.append("synthetic")
    return FeatureSet(
        names=names, x=np.array(xs), y=np.array(ys), src=np.array(srcs),
        real_src=np.array([r["source"] for r in real]),
        real_y=np.array([int(r["label"] == "kampanye") for r in real]),
        kept=np.array([f is not None for f in f_real]), p_real=np.array(p_real),
    )


def features_for(real: list[dict], model_cache: Path | None = None,
                 feature_cache: Path | None = None) -> FeatureSet:
    """The combiner's rows for these real training texts and the synthetic corpus, from
    ``feature_cache`` when it exists (else written there), the out-of-fold model
    probabilities from ``model_cache`` likewise."""
    synth = synthetic_rows()
    print(f"{len(real)} real training texts, {len(synth)} synthetic", file=sys.stderr)
    if feature_cache and feature_cache.exists():
        fs = FeatureSet.load(feature_cache)
        if list(fs.real_src) != [r["source"] for r in real]:
            sys.exit(f"{feature_cache} was written for another corpus; delete it")
        return fs
    det = Detector(load_packs())
    if model_cache and model_cache.exists():
        cached = orjson.loads(model_cache.read_bytes())
        p_real, p_synth = cached["real"], cached["synthetic"]
        if len(p_real) != len(real) or len(p_synth) != len(synth):
            sys.exit(f"{model_cache} was written for another corpus; delete it")
    else:
        p_real, p_synth = out_of_fold(det, real, synth)
        if model_cache:
            model_cache.write_bytes(orjson.dumps({"real": p_real, "synthetic": p_synth}))
    fs = build_features(det, real, synth, p_real, p_synth)
    if feature_cache:
        fs.save(feature_cache)
    return fs


def with_extra_feature(fs: FeatureSet, real: list[dict], path: Path) -> FeatureSet:
    """The rows with one more column for a screen: out-of-fold scores of the real training
    texts and the synthetic ones, in corpus order (e.g. ``pretrained_e2e.py oof``), kept where
    the text reaches the combiner, in the rows' order."""
    oof = orjson.loads(path.read_bytes())
    if oof["ids"] != [r["id"] for r in real]:
        sys.exit(f"{path} was written for another training split; compute it again")
    lexicon = Detector(load_packs()).lexicon
    synth_kept = [lexicon.may_concern(t) for t, _ in synthetic_rows()]
    col = [z for z, k in zip(oof["real"], fs.kept, strict=True) if k]
    col += [z for z, k in zip(oof["synthetic"], synth_kept, strict=True) if k]
    if len(col) != len(fs.y):
        sys.exit(f"{path}: {len(col)} log-odds for {len(fs.y)} rows")
    return FeatureSet(names=[*fs.names, oof["name"]], x=np.column_stack([fs.x, col]), y=fs.y,
                      src=fs.src, real_src=fs.real_src, real_y=fs.real_y, kept=fs.kept,
                      p_real=fs.p_real)


def source_size_weights(src: np.ndarray, power: float) -> np.ndarray:
    """Each row's weight when a source of n rows weighs n ** ``power`` in all (1: every row
    alike; 0: every source alike), the rows' total weight unchanged: a screen of whether a
    large source of one user's or one template's posts teaches too much of its own habits
    (``sample_weights``, ``model_screen.py``)."""
    _, inverse, n = np.unique(src, return_inverse=True, return_counts=True)
    w = n[inverse] ** (power - 1.0)
    return w * len(w) / w.sum()


def sample_weights(fs: FeatureSet, real_weight: float, source_power: float = 1.0) -> np.ndarray:
    """A real text weighs ``real_weight`` synthetic ones, and the classes are balanced within
    the real rows: the share of campaign content differs from one source (and one user) to
    the next, and the combiner must not learn the training mix. ``source_power`` below 1 (a
    screen) makes a source of n texts weigh n ** source_power in all instead of n."""
    is_real = fs.real_mask
    w = np.where(is_real, real_weight, 1.0)
    if source_power != 1.0:
        w[is_real] *= source_size_weights(fs.src[is_real], source_power)
    for label in (0, 1):
        sel = is_real & (fs.y == label)
        w[sel] *= is_real.sum() / (2 * max(1, sel.sum()))
    return w


def fit(
    x: np.ndarray, y: np.ndarray, w: np.ndarray, c: float
) -> tuple[LogisticRegression, np.ndarray, np.ndarray]:
    means = x.mean(axis=0)
    scales = x.std(axis=0)
    scales[scales == 0] = 1.0
    clf = LogisticRegression(C=c, max_iter=5000, random_state=SEED)
    clf.fit((x - means) / scales, y, sample_weight=w)
    return clf, means, scales


# fit on the training rows, return the probability of the held-out rows
FitPredict = Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray], np.ndarray]


def logistic(c: float) -> FitPredict:
    def fit_predict(x: np.ndarray, y: np.ndarray, w: np.ndarray, x_held: np.ndarray) -> np.ndarray:
        clf, m, sc = fit(x, y, w, c)
        return clf.predict_proba((x_held - m) / sc)[:, 1]
    return fit_predict


@dataclass(frozen=True)
class TreeSettings:
    """A shallow gradient-boosted tree combiner (``--family trees``). Few trees with larger
    steps: the run-time sum visits every tree in plain Python, and a combiner must cost under
    10 µs a text (``tools/corpus/combiner_lab.py --cost``: 50 trees of depth 4 about 5 µs,
    200 about 19). Chosen with ``combiner_lab.py`` (MODEL_CARD.md, "Combiner families")."""

    depth: int = 4
    iters: int = 50
    rate: float = 0.3
    leaf: int = 100  # fewest (weighted-count) texts in a leaf
    l2: float = 1.0

    def classifier(self) -> HistGradientBoostingClassifier:
        # no early stopping and no subsampling (fewer than 10**5 rows are never binned from
        # a sample): the same rows give the same trees
        return HistGradientBoostingClassifier(
            max_depth=self.depth, max_leaf_nodes=2 ** self.depth, max_iter=self.iters,
            learning_rate=self.rate, min_samples_leaf=self.leaf, l2_regularization=self.l2,
            early_stopping=False, random_state=SEED)


def trees(settings: TreeSettings) -> FitPredict:
    def fit_predict(x: np.ndarray, y: np.ndarray, w: np.ndarray, x_held: np.ndarray) -> np.ndarray:
        return settings.classifier().fit(x, y, sample_weight=w).predict_proba(x_held)[:, 1]
    return fit_predict


def tree_spec(clf: HistGradientBoostingClassifier) -> tuple[list, float]:
    """The fitted trees as nested lists — a split is [feature index, threshold, left, right],
    a leaf its value — and the baseline log-odds, for ``combine.Combiner``. Reads
    scikit-learn's private predictor arrays (``_predictors``, ``_baseline_prediction``):
    ``--write`` checks the run-time sum against ``predict_proba`` on every training row, and
    tests/detect/test_combiner_trees.py on rows of its own, so a change there is caught."""
    out = []
    for (pred,) in clf._predictors:  # one tree an iteration for two classes
        nodes = pred.nodes

        def build(i: int, nodes: np.ndarray = nodes) -> list | float:
            n = nodes[i]
            if n["is_leaf"]:
                return float(n["value"])
            if n["is_categorical"]:
                raise ValueError("categorical splits are not exported")
            return [int(n["feature_idx"]), float(n["num_threshold"]),
                    build(int(n["left"])), build(int(n["right"]))]

        out.append(build(0))
    return out, float(np.ravel(clf._baseline_prediction)[0])


def loso(fs: FeatureSet, w: np.ndarray, fit_predict: FitPredict,
         x: np.ndarray | None = None) -> np.ndarray:
    """Leave one source out: every real row's probability from a combiner that never saw its
    source (synthetic rows are always trained on; their entries stay 0). ``x`` replaces the
    feature matrix (an experiment's extra columns)."""
    x = fs.x if x is None else x
    oos = np.zeros(len(fs.y))
    for s in sorted(set(fs.src.tolist()) - {"synthetic"}):
        held = fs.src == s
        oos[held] = fit_predict(x[~held], fs.y[~held], w[~held], x[held])
    return oos


def floored(p: np.ndarray, rule: np.ndarray, floor_tag: np.ndarray, gesture: np.ndarray,
            member: np.ndarray) -> np.ndarray:
    """``floors.final_score`` of posts over whole columns (the training texts are posts): the
    scalar function over 40,000 rows at every shift tried would slow the tool many times over.
    tests/detect/test_combiner_trees.py compares the two on every boundary."""
    floor = (rule >= floors.FLOOR_AT) | (floor_tag > 0)
    held = floors.held(gesture, member)
    return np.where(floor & ((p >= floors.VETO_BELOW) | held), np.maximum(p, rule), p)


def operating_point(fs: FeatureSet, oos: np.ndarray, max_false_alarm: float
                    ) -> tuple[float, np.ndarray]:
    """The shift (in log-odds) that keeps out-of-source false alarms on netral training texts
    at most ``max_false_alarm`` at the tinjau threshold (a flag must be worth a reviewer's
    time), and every row's final score at that shift, floored as ``floors.final_score``
    floors it (explicit rules)."""
    z = np.log(np.clip(oos, 1e-9, 1 - 1e-9) / np.clip(1 - oos, 1e-9, 1))
    neg = fs.real_mask & (fs.y == 0)
    rule, tag = fs.column("rule_score"), fs.column("floor_tag")
    gesture, member = fs.column("ev_atribut_gestur"), fs.column("ev_anggota_partai")

    def final(shift: float) -> np.ndarray:
        return floored(1 / (1 + np.exp(-(z - shift))), rule, tag, gesture, member)

    shift = 0.0
    while shift < 8 and (final(shift)[neg] >= TINJAU_AT).mean() > max_false_alarm:
        shift += 0.05
    return shift, final(shift)


THRESHOLDS = ((TINJAU_AT, "flag"), (KAMPANYE_AT, "kampanye"))


def counts_by_source(fs: FeatureSet, p_final: np.ndarray, thr: float) -> dict[str, np.ndarray]:
    """tp, fp, fn, tn of each real source at ``thr``; texts the pre-filter clears are
    negatives (score 0)."""
    real = fs.real_mask
    pred, yy, ss = p_final[real] >= thr, fs.y[real], fs.src[real]
    out = {}
    for s in sorted(set(fs.real_src.tolist())):
        m = ss == s
        cl = (fs.real_src == s) & ~fs.kept
        cl_pos = int((cl & (fs.real_y == 1)).sum())
        out[s] = np.array([
            int((pred[m] & (yy[m] == 1)).sum()),
            int((pred[m] & (yy[m] == 0)).sum()),
            int((~pred[m] & (yy[m] == 1)).sum()) + cl_pos,
            int((~pred[m] & (yy[m] == 0)).sum()) + int(cl.sum()) - cl_pos,
        ])
    return out


def prf(tp: int, fp: int, fn: int, tn: int) -> tuple[float, float, float, float]:
    """Precision, recall, F1 and the false-alarm rate."""
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return prec, rec, f1, fp / (fp + tn) if fp + tn else 0.0


def tree_combiner(fs: FeatureSet, w: np.ndarray, settings: TreeSettings, shift: float,
                  trained_on: dict) -> dict:
    """The tree combiner fitted on every row, as ``combiner.json`` holds it; its run-time sum
    (``combine.Combiner``) must give scikit-learn's probabilities on every training row."""
    clf = settings.classifier().fit(fs.x, fs.y, sample_weight=w)
    nodes, baseline = tree_spec(clf)
    spec = {
        "version": f"combiner-trees-{date.today().isoformat()}",
        "features": fs.names,
        "trees": nodes,
        "baseline": baseline,
        "shift": round(shift, 3),
        "settings": {"depth": settings.depth, "iters": settings.iters, "rate": settings.rate,
                     "min_samples_leaf": settings.leaf, "l2": settings.l2},
        "trained_on": trained_on,
    }
    run_time = combine.Combiner(orjson.loads(orjson.dumps(spec)))  # as read back from the file
    got = np.array([run_time.raw(dict(zip(fs.names, row, strict=True)))
                    for row in fs.x.tolist()])
    gap = float(np.abs(1 / (1 + np.exp(-got)) - clf.predict_proba(fs.x)[:, 1]).max())
    print(f"trees: {len(nodes)}, run-time sum against predict_proba on {len(got)} training "
          f"rows: largest gap {gap:.1e}")
    if gap > 1e-9:
        sys.exit("the exported trees do not reproduce scikit-learn's probabilities")
    imp = np.zeros(len(fs.names))  # splits per feature: which features the trees read
    for tree in nodes:
        stack = [tree]
        while stack:
            n = stack.pop()
            if isinstance(n, list):
                imp[n[0]] += 1
                stack += [n[2], n[3]]
    for i in np.argsort(-imp)[:12]:
        print(f"  {fs.names[i]:28s} {int(imp[i])} splits")
    return spec


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "data" / "corpus" / "corpus.jsonl")
    ap.add_argument("--real-weight", type=float, default=3.0)
    ap.add_argument("--source-power", type=float, default=1.0,
                    help="a screen: a source of n texts weighs n ** P in the combiner's fit")
    ap.add_argument("--c", type=float, default=1.0)
    ap.add_argument("--write", action="store_true")
    ap.add_argument(
        "--max-false-alarm",
        type=float,
        default=0.125,
        help="shift the score so that at most this share of the netral training texts that "
        "reach the combiner (out of source) reaches the tinjau threshold (shipped: 0.125, "
        "MODEL_CARD.md)",
    )
    ap.add_argument("--dump", type=Path, help="write each real text's out-of-source probability here")
    ap.add_argument(
        "--model-cache",
        type=Path,
        help="read the out-of-fold model probabilities from this file if it exists, else write "
        "them there (only valid while the model, its training rows and the folds are unchanged)",
    )
    ap.add_argument(
        "--feature-cache",
        type=Path,
        help="read the combiner's feature rows from this file (.npz) if it exists, else write "
        "them there (only valid while the corpus, the model and every stage are unchanged; "
        "tools/corpus/combiner_lab.py reads it)",
    )
    ap.add_argument(
        "--family", choices=("logistic", "trees"), default="logistic",
        help="the combiner: a logistic regression or shallow gradient-boosted trees "
        "(tools/corpus/combiner_lab.py compares them)")
    ap.add_argument(
        "--extra-feature", type=Path,
        help="a screen: add a column of out-of-fold scores (JSON: name, real, synthetic, ids; "
        "e.g. tools/corpus/pretrained_e2e.py oof) to the combiner's rows; not with --write")
    args = ap.parse_args()
    if args.extra_feature and args.write:
        ap.error("--extra-feature is for screens: a column nothing computes at run time must "
                 "not reach combiner.json")
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
    fs = features_for(real, args.model_cache, args.feature_cache)
    if args.extra_feature:
        fs = with_extra_feature(fs, real, args.extra_feature)
    names, x, y, src = fs.names, fs.x, fs.y, fs.src
    w = sample_weights(fs, args.real_weight, args.source_power)
    print(f"pre-filter clears {fs.cleared} real texts ({fs.cleared_pos} of them kampanye)")

    # leave one source out: the combiner never saw the source it is scored on; then the
    # operating point
    tree_settings = TreeSettings()
    oos = loso(fs, w, logistic(args.c) if args.family == "logistic" else trees(tree_settings))
    shift, p_shift = operating_point(fs, oos, args.max_false_alarm)
    real_mask = fs.real_mask
    for thr, tag in THRESHOLDS:
        tot = sum(counts_by_source(fs, p_shift, thr).values())
        prec, rec, f1, fa = prf(*(int(v) for v in tot))
        print(
            f"LOSO {tag:8s} (shift {shift:.2f}): precision {prec:.3f} recall {rec:.3f} F1 {f1:.3f} "
            f"false alarms {fa:.3f}"
        )

    if args.dump:
        # each real text's leave-one-source-out final score (shifted, floored), as the detector
        # would have scored it without ever seeing its source; texts the pre-filter clears
        # score 0. tools/corpus/report.py --loso reads this file.
        final_real = iter(p_shift[real_mask])
        with args.dump.open("wb") as fh:
            for r, kept, pm in zip(real, fs.kept, fs.p_real, strict=True):
                score = float(next(final_real)) if kept else 0.0
                fh.write(orjson.dumps({
                    "id": r["id"], "label": r["label"], "score": round(score, 4),
                    "model_p": round(float(pm), 4), "text": r["text"],
                    **{k: r.get(k) for k in ("type", "source", "election", "point", "stance",
                                             "target", "hard_negative")},
                }) + b"\n")

    trained_on = {
        "real_texts": int((src != "synthetic").sum()),
        "synthetic_texts": int((src == "synthetic").sum()),
        "real_weight": args.real_weight,
        "corpus": "data/corpus/corpus.jsonl split=train",
    }
    if args.family == "trees":
        spec = tree_combiner(fs, w, tree_settings, shift, trained_on)
    else:
        clf, m, sc = fit(x, y, w, args.c)
        spec = {
            "version": f"combiner-{date.today().isoformat()}",
            "features": names,
            "weights": [round(float(v), 6) for v in clf.coef_[0]],
            "bias": round(float(clf.intercept_[0]) - shift, 6),
            "shift": round(shift, 3),
            "means": [round(float(v), 6) for v in m],
            "scales": [round(float(v), 6) for v in sc],
            "trained_on": {**trained_on, "c": args.c},
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
