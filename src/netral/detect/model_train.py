"""Training the text model (scikit-learn; the ``train`` extra) and exporting its weights to
``detect/data/model.npz``, which ``netral.detect.model`` evaluates with numpy alone.

    python -m netral.detect.model_train            # retrain and write model.npz
    python -m netral.detect.model_train --check    # exit 1 when model.npz is stale

``tools/corpus/train_combiner.py --write`` calls ``write_weights`` after it rewrites the real
training split, and ``tools/corpus/model_lab.py`` compares configurations with ``TextModel``.
Training is deterministic (fixed seed, lbfgs), takes about ten seconds and needs no download.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import sys
from dataclasses import astuple, dataclass
from datetime import date
from importlib import resources
from pathlib import Path

import numpy as np
import orjson
import scipy.sparse as sp
import sklearn
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.naive_bayes import ComplementNB

from netral.detect.model import (
    EVERYDAY_TRAIN,
    MODEL_FILE,
    REAL_TRAIN,
    everyday_rows,
    read_weights,
    real_rows,
    synthetic_rows,
    withheld_in_real_train,
)
from netral.detect.model_features import (
    CHAR_BUCKETS,
    char_grams,
    char_grams_cross,
    feature_tokens,
    mask_table,
    top_spans,
)
from netral.text import Normaliser, NormText

SEED = 20240214
# Bump when the features change: the fingerprint then says the shipped weights are stale.
MODEL_CODE_VERSION = "3"


@dataclass(frozen=True)
class ModelConfig:
    family: str = "lr"  # lr | svm (modified Huber SGD) | nb (complement naive Bayes)
    char: bool = True  # add character 2–5-grams (within words) to the word 1–2-grams
    mask: bool = True  # candidate/party names -> placeholders, mentions -> @user
    synthetic: bool = True  # train on the generated corpus as well
    real_weight: float = 2.0  # weight of a real text relative to a generated one (0: none)
    c: float = 1.0  # inverse regularisation of the logistic regression (1.0: best log loss)
    # add the character 3–5-grams across each word boundary (``char_grams_cross``): ROC AUC
    # 0.816 -> 0.823 five folds by source (issue 10, fourth pass), ≈ 6 more buckets a word
    cross: bool = True


DEFAULT_CONFIG = ModelConfig()


def config_key(cfg: ModelConfig = DEFAULT_CONFIG) -> str:
    return repr(astuple(cfg))


class TextModel:
    """The scikit-learn pipeline the shipped weights come from (and the reference the numpy
    evaluation is tested against)."""

    def __init__(self, normaliser: Normaliser, synthetic: list[tuple[str, int]],
                 real: list[tuple[str, int]], cfg: ModelConfig = DEFAULT_CONFIG) -> None:
        self.cfg = cfg
        self.mask = mask_table(normaliser) if cfg.mask else None
        rows = [(t, y, 1.0) for t, y in synthetic] if cfg.synthetic else []
        if cfg.real_weight > 0:
            rows += [(t, y, cfg.real_weight) for t, y in real]
        docs = [" ".join(feature_tokens(normaliser.normalise(t), self.mask)) for t, _, _ in rows]
        labels = np.array([y for _, y, _ in rows])
        weights = np.array([w for _, _, w in rows])
        self.word = TfidfVectorizer(
            ngram_range=(1, 2), min_df=2, sublinear_tf=True, lowercase=False,
            token_pattern=r"\S+", dtype=np.float32,
        )
        parts = [self.word.fit_transform(docs)]
        # hashed (no vocabulary to build or look up per gram), then TF-IDF weighted
        self.char: HashingVectorizer | None = None
        self.char_tfidf: TfidfTransformer | None = None
        if cfg.char:
            self.char = HashingVectorizer(analyzer=char_grams_cross if cfg.cross else char_grams,
                                          n_features=CHAR_BUCKETS,
                                          alternate_sign=False, norm=None, dtype=np.float32)
            self.char_tfidf = TfidfTransformer(sublinear_tf=True)
            parts.append(self.char_tfidf.fit_transform(self.char.transform(docs)))
        x = sp.hstack(parts).tocsr()
        if cfg.family == "svm":
            self.clf = SGDClassifier(loss="modified_huber", alpha=2e-5, max_iter=50,
                                     random_state=SEED, tol=None)
        elif cfg.family == "nb":
            self.clf = ComplementNB(alpha=0.3)
        else:
            self.clf = LogisticRegression(C=cfg.c, max_iter=3000, random_state=SEED)
        self.clf.fit(x, labels, sample_weight=weights)
        n_word = len(self.word.vocabulary_)
        coef = getattr(self.clf, "coef_", None)
        self.coef = coef[0][:n_word] if coef is not None else np.zeros(n_word)
        self.vocab = self.word.vocabulary_
        self.n_train = len(rows)

    def _matrix(self, nts: list[NormText]):
        docs = [" ".join(feature_tokens(nt, self.mask)) for nt in nts]
        parts = [self.word.transform(docs)]
        if self.char is not None and self.char_tfidf is not None:
            parts.append(self.char_tfidf.transform(self.char.transform(docs)))
        return sp.hstack(parts).tocsr() if len(parts) > 1 else parts[0]

    def predict(self, nt: NormText) -> float:
        return float(self.predict_many([nt])[0])

    def predict_many(self, nts: list[NormText]) -> list[float]:
        if not nts:
            return []
        return self.clf.predict_proba(self._matrix(nts))[:, 1].tolist()

    def explain(self, nt: NormText, top: int = 3) -> list[tuple[int, int]]:
        return top_spans(nt, self.vocab, self.coef, self.mask, top)


REAL_TRAIN_DIGEST = "real_train.sha256"
EVERYDAY_TRAIN_DIGEST = "everyday_train.sha256"


def fingerprint(normaliser: Normaliser, config: str) -> str:
    """What the weights depend on: the training corpora, the normaliser's tables and
    vocabulary, the masked names, the feature code and the training settings. The weights
    record the fingerprint they were trained under; a test compares it with the sources of
    today, so weights that no longer match the corpus or the normaliser cannot ship."""
    h = hashlib.sha256()
    for name in ("train.jsonl", REAL_TRAIN_DIGEST, EVERYDAY_TRAIN_DIGEST, "common_words.txt"):
        # the real training rows themselves are not shipped: their recorded SHA-256 stands for them
        res = resources.files("netral.detect").joinpath("data", name)
        if res.is_file():
            h.update(res.read_bytes())
    h.update(MODEL_CODE_VERSION.encode())
    h.update(config.encode())
    # the masked names come from the packs' content, which can change without a version bump
    h.update(" ".join(f"{k}={v}" for k, v in sorted(mask_table(normaliser).items())).encode())
    for name in ("alay.tsv", "numbers.tsv", "phrases.tsv"):
        h.update(resources.files("netral.text").joinpath("data", name).read_bytes())
    h.update(" ".join(sorted(normaliser.vocab)).encode())
    return h.hexdigest()[:24]


def export_weights(model: TextModel, normaliser: Normaliser) -> dict[str, np.ndarray]:
    """The arrays of ``model.npz``: the word vocabulary with its idf and coefficients, the
    idf and coefficients of the character buckets seen in training (every other bucket has the
    unseen idf and a zero coefficient) and the intercept."""
    cfg = model.cfg
    if cfg.family != "lr":
        raise ValueError("only the logistic regression is exported (the shipped family)")
    coef = model.clf.coef_[0]
    n_word = len(model.vocab)
    terms = [""] * n_word
    for term, i in model.vocab.items():
        if "\n" in term:  # the vocabulary is stored one term a line
            raise ValueError(f"term with a line break: {term!r}")
        terms[i] = term
    out: dict[str, np.ndarray] = {
        "word_terms": np.frombuffer("\n".join(terms).encode("utf-8"), dtype=np.uint8),
        "word_idf": model.word.idf_.astype(np.float32),
        "word_coef": coef[:n_word],  # in the precision it was fitted in (float32 features:
        "intercept": model.clf.intercept_,  # float32), which the numpy evaluation follows
    }
    if cfg.char and model.char_tfidf is not None:
        idf = model.char_tfidf.idf_
        unseen = np.float32(idf.max())  # df = 0: the largest (smoothed) idf
        seen = np.flatnonzero(idf != unseen)
        char_coef = coef[n_word:]
        if np.count_nonzero(char_coef[idf == unseen]):
            raise ValueError("a character bucket never seen in training has a weight")
        out |= {
            "char_seen": seen.astype(np.int32),
            "char_seen_idf": idf[seen].astype(np.float32),
            "char_seen_coef": char_coef[seen],
            "char_idf_unseen": np.array([unseen], dtype=np.float32),
        }
    else:
        out |= {"char_seen": np.zeros(0, np.int32), "char_seen_idf": np.zeros(0, np.float32),
                "char_seen_coef": np.zeros(0, coef.dtype), "char_idf_unseen": np.ones(1, np.float32)}
    meta = {
        "fingerprint": fingerprint(normaliser, config_key(cfg)),
        "trained": date.today().isoformat(),
        "sklearn": sklearn.__version__,
        "config": dict(zip(("family", "char", "mask", "synthetic", "real_weight", "c", "cross"),
                           astuple(cfg), strict=True)),
        "char": cfg.char,
        "cross": cfg.char and cfg.cross,
        "mask": cfg.mask,
        "n_train": model.n_train,
    }
    out["meta"] = np.frombuffer(orjson.dumps(meta), dtype=np.uint8)
    return out


def shipped_normaliser() -> Normaliser:
    """The normaliser of the default detector (every available pack), which the weights are
    trained and fingerprinted under."""
    from netral.detect.lexicon import pack_vocabulary
    from netral.packs import load_packs

    return Normaliser(pack_vocabulary(load_packs()))


def train_default(normaliser: Normaliser) -> TextModel:
    return TextModel(normaliser, synthetic_rows(), real_rows() + everyday_rows(), DEFAULT_CONFIG)


def rows_digest(path: Path = REAL_TRAIN) -> str:
    """``real_train.sha256`` (or ``everyday_train.sha256``) for the rebuilt training rows as
    they are now (which the weights are then fingerprinted under)."""
    data = path.read_bytes()
    rows = len(data.splitlines())
    return f"{hashlib.sha256(data).hexdigest()}  {path.name}  {rows} rows\n"


def write_weights(path: Path | None = None) -> Path:
    """Retrain the shipped configuration on the shipped corpora and write ``model.npz``."""
    if not real_rows():
        raise SystemExit(f"{REAL_TRAIN} is missing: rebuild it first "
                         "(tools/corpus/rebuild.py --real-train, data/corpus/SOURCES.md)")
    held = withheld_in_real_train()
    if held:
        raise SystemExit(f"{REAL_TRAIN} holds {len(held)} withheld rows (e.g. {held[:3]}; "
                         "data/corpus/withheld.jsonl): rebuild it (tools/corpus/rebuild.py --real-train)")
    if not everyday_rows():
        raise SystemExit(f"{EVERYDAY_TRAIN} is missing: rebuild it first "
                         "(tools/corpus/everyday.py --mirror DIR --write-train)")
    data = resources.files("netral.detect").joinpath("data")
    Path(str(data.joinpath(REAL_TRAIN_DIGEST))).write_text(rows_digest(), "utf-8")
    Path(str(data.joinpath(EVERYDAY_TRAIN_DIGEST))).write_text(
        rows_digest(EVERYDAY_TRAIN), "utf-8")
    norm = shipped_normaliser()
    arrays = export_weights(train_default(norm), norm)
    path = path or Path(str(resources.files("netral.detect").joinpath("data", MODEL_FILE)))
    buf = io.BytesIO()
    # not compressed: git and the wheel compress it anyway, and a cold check saves ~8 ms
    np.savez(buf, **arrays)
    path.write_bytes(buf.getvalue())
    return path


def stale_reason() -> str | None:
    """Why the shipped weights do not match today's corpora and normaliser (None: they do)."""
    arrays = read_weights()
    if arrays is None:
        return f"{MODEL_FILE} is missing"
    meta = orjson.loads(arrays["meta"].tobytes())
    want = fingerprint(shipped_normaliser(), config_key(DEFAULT_CONFIG))
    if meta.get("fingerprint") != want:
        return (f"{MODEL_FILE} was trained on other data (fingerprint {meta.get('fingerprint')}, "
                f"today's sources give {want})")
    return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only say whether model.npz is stale")
    args = ap.parse_args(argv)
    if args.check:
        why = stale_reason()
        print(why or f"{MODEL_FILE} matches the shipped corpora and normaliser")
        return 1 if why else 0
    path = write_weights()
    print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
