"""Screen changes to the text model out of source, on the TRAINING split only (issue 10, fifth
pass): settings, sample weights, NB-SVM features and semi-supervised word representations.

Usage:
    # 1. every text collect.py would keep from the training sources' snapshots (not committed)
    .venv/bin/python tools/corpus/model_screen.py unlabelled --mirror /work/.mirror
    # 2. the screen (five folds by source, dealt as train_combiner.py deals them)
    .venv/bin/python tools/corpus/model_screen.py run [--only NAME ...]

Step 1 reads every training source of ``sources.yaml`` at its recorded commit with
``collect.py``'s own reading, cleaning and filters (too short, not Indonesian, the source's
reserved markers, exact and near duplicates) and no sampling cap. The dev sources
(``merge_passes.DEV_SOURCES``) are read only into the duplicate index, first, so that a text of
a training source that repeats a dev text is dropped too; no dev text is written.

Step 2 normalises every text once, then for each configuration and fold fits the shipped
pipeline (word 1–2-grams + hashed character 2–5-grams within and across words, names masked,
logistic regression, real texts weighing 2) on the other folds and scores the held-out one.
Word representations (PPMI + SVD word vectors, their k-means clusters) are learned per fold
from the unlabelled texts of the training folds' sources only: no held-out source shapes them.
Prints ROC AUC, log loss, and recall and F1 at the score that flags 20 / 15 / 10 % of the
netral texts. The model alone; the end-to-end figures come from ``train_combiner.py --dump``.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
import orjson
import scipy.sparse as sp
import yaml
from sklearn.cluster import MiniBatchKMeans
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss, roc_auc_score
from sklearn.utils.extmath import randomized_svd

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(HERE))

from collect import NearDupIndex, sample_source  # noqa: E402
from merge_passes import DEV_SOURCES, TEST_SOURCES  # noqa: E402
from texts import CORPUS_DIR, read_corpus  # noqa: E402
from train_combiner import K, deal_folds, source_size_weights  # noqa: E402

from netral.detect.model import synthetic_rows  # noqa: E402

HELD_OUT = DEV_SOURCES | TEST_SOURCES  # never read into the unlabelled texts
from netral.detect.model_features import (  # noqa: E402
    CHAR_BUCKETS,
    char_grams_cross,
    feature_tokens,
    mask_table,
)
from netral.detect.model_train import SEED, shipped_normaliser  # noqa: E402

UNLABELLED_TRAIN = CORPUS_DIR / "unlabelled_train.jsonl"  # git-ignored: third parties' texts
Extra = Callable[[int, np.ndarray, np.ndarray], tuple[sp.spmatrix, sp.spmatrix]]


def collect_unlabelled(mirror: Path, out: Path) -> int:
    spec = yaml.safe_load((HERE / "sources.yaml").read_text(encoding="utf-8"))
    seen: set[str] = set()
    near = NearDupIndex()
    # held-out (dev and test) sources first, into the duplicate index only: their texts are
    # never written
    ordered = sorted(spec["sources"], key=lambda s: s["id"] not in HELD_OUT)
    n = 0
    with out.open("wb") as fh:
        for src in ordered:
            st: Counter = Counter()
            rows = sample_source(mirror, src, random.Random(1), set(), seen, near, st, cap=10**9)
            if src["id"] in HELD_OUT:
                continue
            for r in rows:
                fh.write(orjson.dumps({"source": src["id"], "text": r["text"]}) + b"\n")
            n += len(rows)
            print(f"{src['id']}: {dict(st)}", file=sys.stderr)
    print(f"{n} unlabelled texts of the training sources -> {out}", file=sys.stderr)
    return 0


def word_vectors(docs: list[list[str]], min_count: int = 5, window: int = 2,
                 dim: int = 100) -> tuple[list[str], np.ndarray]:
    """PPMI (context distribution smoothed, power 0.75) of a ±window co-occurrence matrix,
    reduced by SVD: word2vec's implicit factorisation, with scikit-learn and scipy alone."""
    cnt = Counter(t for d in docs for t in d)
    vocab = sorted(w for w, c in cnt.items() if c >= min_count)
    idx = {w: i for i, w in enumerate(vocab)}
    rows: list[int] = []
    cols: list[int] = []
    for d in docs:
        ids = [idx.get(t, -1) for t in d]
        for i, a in enumerate(ids):
            if a < 0:
                continue
            for j in range(max(0, i - window), min(len(ids), i + window + 1)):
                if j != i and ids[j] >= 0:
                    rows.append(a)
                    cols.append(ids[j])
    n = len(vocab)
    m = sp.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n)).tocsr().tocoo()
    tot = m.sum()
    row_p = np.asarray(m.sum(1)).ravel() / tot
    ctx = np.asarray(m.sum(0)).ravel() ** 0.75
    ctx /= ctx.sum()
    pmi = np.log((m.data / tot) / (row_p[m.row] * ctx[m.col]))
    keep = pmi > 0
    ppmi = sp.csr_matrix((pmi[keep], (m.row[keep], m.col[keep])), shape=(n, n))
    u, s, _ = randomized_svd(ppmi, dim, random_state=0)
    e = u * np.sqrt(s)
    e /= np.linalg.norm(e, axis=1, keepdims=True) + 1e-9
    return vocab, e.astype(np.float32)


class Screen:
    def __init__(self) -> None:
        norm = shipped_normaliser()
        mask = mask_table(norm)
        real = [r for r in read_corpus(CORPUS_DIR / "corpus.jsonl") if r["split"] == "train"]
        synth = synthetic_rows()

        def doc(t: str) -> str:
            return " ".join(feature_tokens(norm.normalise(t), mask))

        self.docs = [doc(r["text"]) for r in real] + [doc(t) for t, _ in synth]
        self.nr = len(real)
        self.y = np.array([int(r["label"] == "kampanye") for r in real] + [y for _, y in synth])
        src = [r["source"] for r in real]
        self.fold_of, _ = deal_folds(real, 0)  # the combiner's own folds
        self.fold = np.array([self.fold_of[s] for s in src])
        self.src = np.array(src)
        self.chars = HashingVectorizer(analyzer=char_grams_cross, n_features=CHAR_BUCKETS,
                                       alternate_sign=False, norm=None,
                                       dtype=np.float32).transform(self.docs).tocsr()
        self.toks = [d.split() for d in self.docs]
        self._unlab: tuple[list[str], list[list[str]]] | None = None
        self._vectors: dict[int, tuple[list[str], np.ndarray]] = {}
        self._norm, self._mask = norm, mask
        print(f"{self.nr} real training texts, {len(synth)} synthetic", file=sys.stderr)

    def vectors(self, k: int) -> tuple[list[str], np.ndarray]:
        """Word vectors from the unlabelled texts of the sources outside fold k."""
        if self._unlab is None:
            if not UNLABELLED_TRAIN.is_file():
                raise SystemExit(f"{UNLABELLED_TRAIN} is missing: run `model_screen.py unlabelled`")
            rows = [orjson.loads(line) for line in UNLABELLED_TRAIN.read_bytes().splitlines()]
            self._unlab = ([r["source"] for r in rows],
                           [feature_tokens(self._norm.normalise(r["text"]), self._mask)
                            for r in rows])
        if k not in self._vectors:
            srcs, docs = self._unlab
            self._vectors[k] = word_vectors([d for s, d in zip(srcs, docs, strict=True)
                                             if self.fold_of.get(s, -1) != k])
        return self._vectors[k]

    def clusters(self, n_clusters: int, ngram: tuple[int, int], weight: float) -> Extra:
        def extra(k: int, tr: np.ndarray, te: np.ndarray) -> tuple[sp.spmatrix, sp.spmatrix]:
            vocab, e = self.vectors(k)
            km = MiniBatchKMeans(n_clusters, random_state=0, n_init=3, batch_size=4096).fit(e)
            c = dict(zip(vocab, km.labels_.tolist(), strict=True))
            docs = [" ".join(f"c{c[t]}" if t in c else "c_" for t in toks) for toks in self.toks]
            v = TfidfVectorizer(ngram_range=ngram, min_df=2, sublinear_tf=True, lowercase=False,
                                token_pattern=r"\S+", dtype=np.float32)
            return (v.fit_transform([docs[i] for i in tr]) * weight,
                    v.transform([docs[i] for i in te]) * weight)
        return extra

    def mean_vector(self, weight: float, unit: bool = True) -> Extra:
        """The mean of a text's word vectors, scaled to unit length (``unit``) or not."""
        def extra(k: int, tr: np.ndarray, te: np.ndarray) -> tuple[sp.spmatrix, sp.spmatrix]:
            vocab, e = self.vectors(k)
            idx = {w: i for i, w in enumerate(vocab)}
            x = np.zeros((len(self.docs), e.shape[1]), np.float32)
            for i, toks in enumerate(self.toks):
                ids = [idx[t] for t in toks if t in idx]
                if ids:
                    v = e[ids].mean(0)
                    x[i] = weight * (v / (np.linalg.norm(v) + 1e-9) if unit else v)
            return sp.csr_matrix(x[tr]), sp.csr_matrix(x[te])
        return extra

    def run(self, name: str, *, c: float = 1.0, real_w: float = 2.0, synth_w: float = 1.0,
            nbsvm: float = 0.0, extra: Extra | None = None, source_power: float = 1.0
            ) -> np.ndarray:
        t0 = time.perf_counter()
        # a source of n texts weighs n ** source_power in all (1: as shipped)
        per_text = source_size_weights(self.src, source_power)
        p = np.zeros(self.nr)
        synth = self.nr + np.arange(len(self.docs) - self.nr)
        for k in range(K):
            te = np.flatnonzero(self.fold == k)
            tr = np.flatnonzero(self.fold != k)
            if synth_w > 0:
                tr = np.concatenate([tr, synth])
            w = np.where(tr < self.nr, real_w * per_text[np.minimum(tr, self.nr - 1)], synth_w)
            wv = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, lowercase=False,
                                 token_pattern=r"\S+", dtype=np.float32)
            ct = TfidfTransformer(sublinear_tf=True)
            xtr = [wv.fit_transform([self.docs[i] for i in tr]), ct.fit_transform(self.chars[tr])]
            xte = [wv.transform([self.docs[i] for i in te]), ct.transform(self.chars[te])]
            if extra is not None:
                a, b = extra(k, tr, te)
                xtr.append(a)
                xte.append(b)
            x_tr, x_te = sp.hstack(xtr).tocsr(), sp.hstack(xte).tocsr()
            y = self.y[tr]
            if nbsvm:  # Wang & Manning's log-count ratio scaling of every feature
                pos = np.asarray(x_tr[y == 1].sum(0)).ravel() + nbsvm
                neg = np.asarray(x_tr[y == 0].sum(0)).ravel() + nbsvm
                r = sp.diags(np.log((pos / pos.sum()) / (neg / neg.sum())).astype(np.float32))
                x_tr, x_te = x_tr @ r, x_te @ r
            clf = LogisticRegression(C=c, max_iter=3000, random_state=SEED)
            clf.fit(x_tr, y, sample_weight=w)
            p[te] = clf.predict_proba(x_te)[:, 1]
        report(name, self.y[: self.nr], p, time.perf_counter() - t0, self.src)
        return p


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def averages(s: Screen) -> None:
    """Averages of out-of-fold log-odds: still one linear model (the union of the features,
    each model's coefficients weighted), so they would cost nothing more at run time."""
    base = logit(s.run("shipped"))
    nb = logit(s.run("NB-SVM log-count ratios", nbsvm=1.0))
    clu = logit(s.run("+ 300 word clusters, 1-2-grams", extra=s.clusters(300, (1, 2), 1.0)))
    y = s.y[: s.nr]
    report("average: 1/2 shipped + 1/2 clusters", y, expit((base + clu) / 2), 0)
    report("average: 1/3 shipped, NB-SVM, clusters", y, expit((base + nb + clu) / 3), 0)


def expit(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-z))


def report(name: str, y: np.ndarray, p: np.ndarray, secs: float,
           src: np.ndarray | None = None) -> None:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    out = [f"{name:44s} auc {roc_auc_score(y, p):.4f}  logloss {log_loss(y, p):.4f}"]
    if src is not None:  # every source alike: what a source nobody trained on will see
        aucs = [roc_auc_score(y[src == s], p[src == s]) for s in np.unique(src)
                if 0 < y[src == s].sum() < (src == s).sum()]
        out.append(f"source-mean auc {np.mean(aucs):.4f} ({len(aucs)} sources)")
    for fa in (0.20, 0.15, 0.10):
        pred = p >= np.quantile(p[y == 0], 1 - fa)
        tp = int((pred & (y == 1)).sum())
        fp = int((pred & (y == 0)).sum())
        fn = int((~pred & (y == 1)).sum())
        out.append(f"recall@{fa:.0%}FA {tp / (tp + fn):.3f} F1 {2 * tp / (2 * tp + fp + fn):.3f}")
    print("  ".join(out), f"({secs:.0f}s)", flush=True)


def experiments(s: Screen) -> dict[str, Callable[[], object]]:
    return {
        "shipped": lambda: s.run("shipped"),
        "c0.5": lambda: s.run("C = 0.5", c=0.5),
        "real-only": lambda: s.run("real texts only", synth_w=0.0),
        "sources-sqrt": lambda: s.run("a source weighs sqrt(its size)", source_power=0.5),
        "sources-equal": lambda: s.run("every source weighs the same", source_power=0.0),
        "sources-0.75": lambda: s.run("a source weighs its size ** 0.75", source_power=0.75),
        "synth0.5": lambda: s.run("synthetic texts weigh 0.5", synth_w=0.5),
        "nbsvm": lambda: s.run("NB-SVM log-count ratios", nbsvm=1.0),
        "clusters300": lambda: s.run("+ 300 word clusters, 1-2-grams",
                                     extra=s.clusters(300, (1, 2), 1.0)),
        "clusters1000": lambda: s.run("+ 1000 word clusters, 1-2-grams",
                                      extra=s.clusters(1000, (1, 2), 1.0)),
        "clusters300-unigrams": lambda: s.run("+ 300 word clusters, unigrams",
                                              extra=s.clusters(300, (1, 1), 1.0)),
        "clusters300-half": lambda: s.run("+ 300 word clusters, 1-2-grams, weight 0.5",
                                          extra=s.clusters(300, (1, 2), 0.5)),
        "mean-vector0.5": lambda: s.run("+ mean word vector, weight 0.5",
                                        extra=s.mean_vector(0.5)),
        "mean-vector1": lambda: s.run("+ mean word vector, weight 1", extra=s.mean_vector(1.0)),
        "plain-mean-vector1": lambda: s.run("+ mean word vector, not unit, weight 1",
                                            extra=s.mean_vector(1.0, unit=False)),
        "plain-mean-vector2": lambda: s.run("+ mean word vector, not unit, weight 2",
                                            extra=s.mean_vector(2.0, unit=False)),
        "together": lambda: s.run("+ 300 clusters, C = 0.5, synthetic 0.5", c=0.5, synth_w=0.5,
                                  extra=s.clusters(300, (1, 2), 1.0)),
        "together-half": lambda: s.run("+ 300 clusters (weight 0.5), C = 0.5, synthetic 0.5",
                                       c=0.5, synth_w=0.5, extra=s.clusters(300, (1, 2), 0.5)),
        "averages": lambda: averages(s),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    u = sub.add_parser("unlabelled", help="collect the training sources' unlabelled texts")
    u.add_argument("--mirror", type=Path, required=True)
    u.add_argument("--out", type=Path, default=UNLABELLED_TRAIN)
    r = sub.add_parser("run", help="the screen")
    r.add_argument("--only", nargs="*", help="experiment names (see experiments()); "
                   "\"averages\" runs only when named")
    args = ap.parse_args()
    if args.cmd == "unlabelled":
        return collect_unlabelled(args.mirror, args.out)
    s = Screen()
    for name, fn in experiments(s).items():
        if (not args.only and name != "averages") or (args.only and name in args.only):
            fn()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
