"""The small statistical layer: TF-IDF word n-grams + logistic regression.

It is trained at first use from the corpus shipped in ``detect/data/train.jsonl`` (provenance
in ``TRAINING.md``), over the same normalised text the rules see, so obfuscated spellings
share features with clean ones. Training takes about a second and needs no download, no
pickled artefact and no version pinning of a saved model. The dev set under ``data/eval``
is never used here.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from importlib import resources

import joblib
import numpy as np
import orjson
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from netral.config import get_settings
from netral.text import Normaliser, NormText

SEED = 20240214
# Function words never shown as the "reason" for a model score (they carry no stance).
_STOP = frozenset(
    "yang dan di ke dari ini itu aja saja sih deh dong ya kok kan lah tuh nih jadi untuk buat "
    "dengan sama pada para kita kami aku saya kamu kalian dia mereka ada akan sudah udah belum "
    "masih juga lagi kalau kalo karena tapi atau bisa mau paling banget tidak bukan semua".split()
)


def _features(nt: NormText) -> str:
    return " ".join(t.text for t in nt.tokens if t.kind != "url")


@lru_cache(maxsize=1)
def training_rows() -> list[tuple[str, int]]:
    res = resources.files("netral.detect").joinpath("data", "train.jsonl")
    if not res.is_file():
        return []
    rows = []
    for line in res.read_bytes().splitlines():
        if not line.strip():
            continue
        obj = orjson.loads(line)
        rows.append((obj["text"], 1 if obj["label"] == "kampanye" else 0))
    return rows


class TextModel:
    def __init__(self, normaliser: Normaliser, rows: list[tuple[str, int]]) -> None:
        texts = [_features(normaliser.normalise(t)) for t, _ in rows]
        labels = np.array([y for _, y in rows])
        self.vectorizer = TfidfVectorizer(
            ngram_range=(1, 2), min_df=2, sublinear_tf=True, lowercase=False,
            token_pattern=r"\S+", dtype=np.float32,
        )
        x = self.vectorizer.fit_transform(texts)
        self.clf = LogisticRegression(C=4.0, max_iter=2000, random_state=SEED)
        self.clf.fit(x, labels)
        self.coef = self.clf.coef_[0]
        self.vocab = self.vectorizer.vocabulary_
        self.n_train = len(rows)

    def predict(self, nt: NormText) -> float:
        return float(self.predict_many([nt])[0])

    def predict_many(self, nts: list[NormText]) -> list[float]:
        if not nts:
            return []
        x = self.vectorizer.transform([_features(nt) for nt in nts])
        return self.clf.predict_proba(x)[:, 1].tolist()

    def explain(self, nt: NormText, top: int = 3) -> list[tuple[int, int]]:
        """Token spans (i, j inclusive) of the n-grams that pushed most towards kampanye."""
        toks = [t.text for t in nt.tokens]
        scored: list[tuple[float, int, int]] = []
        for k, tok in enumerate(toks):
            for j, gram in ((k, tok), (k + 1, f"{tok} {toks[k + 1]}" if k + 1 < len(toks) else None)):
                if gram is None:
                    continue
                if j == k and (tok in _STOP or len(tok) < 3 or not any(c.isalnum() for c in tok)):
                    continue
                idx = self.vocab.get(gram)
                if idx is not None and self.coef[idx] > 0.5:
                    scored.append((float(self.coef[idx]), k, j))
        scored.sort(reverse=True)
        spans: list[tuple[int, int]] = []
        for _, i, j in scored:
            if all(j < a or i > b for a, b in spans):
                spans.append((i, j))
            if len(spans) == top:
                break
        return sorted(spans)


class NullModel:
    """Used when no training corpus ships (rules only)."""

    n_train = 0

    def predict(self, nt: NormText) -> float:
        return 0.0

    def predict_many(self, nts: list[NormText]) -> list[float]:
        return [0.0] * len(nts)

    def explain(self, nt: NormText, top: int = 3) -> list[tuple[int, int]]:
        return []


def _cache_key(normaliser: Normaliser, extra: str) -> str:
    h = hashlib.sha256()
    res = resources.files("netral.detect").joinpath("data", "train.jsonl")
    h.update(res.read_bytes())
    h.update(sklearn.__version__.encode())
    h.update(extra.encode())
    for name in ("alay.tsv", "numbers.tsv", "phrases.tsv"):
        h.update(resources.files("netral.text").joinpath("data", name).read_bytes())
    h.update(" ".join(sorted(normaliser.vocab)).encode())
    return h.hexdigest()[:24]


def load_model(normaliser: Normaliser, signature: str = "") -> TextModel | NullModel:
    """Train from the shipped corpus, or reuse the model this machine already trained from
    the very same corpus, normaliser tables and scikit-learn version (user cache dir)."""
    rows = training_rows()
    if len({y for _, y in rows}) < 2:
        return NullModel()
    path = None
    try:
        cache = get_settings().cache_dir
        path = cache / f"model-{_cache_key(normaliser, signature)}.joblib"
        if path.is_file():
            model = joblib.load(path)
            if isinstance(model, TextModel):
                return model
    except Exception:  # a corrupt or unreadable cache is rebuilt, never fatal
        pass
    model = TextModel(normaliser, rows)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".tmp{os.getpid()}")
            joblib.dump(model, tmp)
            os.replace(tmp, path)
        except OSError:
            pass  # read-only home: train again next time
    return model
