"""The statistical layer: TF-IDF word and character n-grams + a linear classifier.

It is trained at first use from two corpora shipped in ``detect/data`` (provenance in
``TRAINING.md`` and ``data/corpus/SOURCES.md``): the synthetic one the project generated
(``train.jsonl``) and the training split of the real labelled corpus (``real_train.jsonl``,
real public posts and headlines, split by source). It reads the same normalised text the rules
see, so obfuscated spellings share features with clean ones. Candidate and party names are
masked (``ǂcalon``, ``ǂpartai``) and @-mentions become ``@user``: a name alone is not evidence,
and what the model learns about supporting one pair carries over to pairs it never saw
(Pilkada). Character n-grams carry it over spelling variation. The family and settings were
chosen by ``tools/corpus/model_lab.py`` (leave-one-source-out over the training sources; the
comparison is in ``detect/data/MODEL_CARD.md``). Training takes a few seconds and needs no
download; the trained model is cached per machine. The dev split is never read here.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import astuple, dataclass
from functools import lru_cache
from importlib import resources

import joblib
import numpy as np
import orjson
import scipy.sparse as sp
import sklearn
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.naive_bayes import ComplementNB

from netral.config import get_settings
from netral.detect.wordsets import HONORIFIC
from netral.text import Normaliser, NormText

SEED = 20240214
# Function words never shown as the "reason" for a model score (they carry no stance).
_STOP = frozenset(
    "yang dan di ke dari ini itu aja saja sih deh dong ya kok kan lah tuh nih jadi untuk buat "
    "dengan sama pada para kita kami aku saya kamu kalian dia mereka ada akan sudah udah belum "
    "masih juga lagi kalau kalo karena tapi atau bisa mau paling banget tidak bukan semua".split()
)
CALON, PARTAI, USER = "ǂcalon", "ǂpartai", "@user"
# masked names, mentions, titles: never shown as the reason (a name alone is not evidence)
_NOT_A_REASON = _STOP | HONORIFIC | {CALON, PARTAI, USER}
# Bump when the features or the classifier change: a model cached by older code is retrained.
MODEL_CODE_VERSION = "2"


@dataclass(frozen=True)
class ModelConfig:
    family: str = "lr"  # lr | svm (modified Huber SGD) | nb (complement naive Bayes)
    char: bool = True  # add character 2–5-grams (within words) to the word 1–2-grams
    mask: bool = True  # candidate/party names -> placeholders, mentions -> @user
    synthetic: bool = True  # train on the generated corpus as well
    real_weight: float = 1.0  # weight of a real text relative to a generated one (0: none)
    c: float = 1.0  # inverse regularisation of the logistic regression (1.0: best log loss)


DEFAULT_CONFIG = ModelConfig()


def _rows(name: str) -> list[tuple[str, int]]:
    res = resources.files("netral.detect").joinpath("data", name)
    if not res.is_file():
        return []
    rows = []
    for line in res.read_bytes().splitlines():
        if line.strip():
            obj = orjson.loads(line)
            rows.append((obj["text"], 1 if obj["label"] == "kampanye" else 0))
    return rows


@lru_cache(maxsize=1)
def synthetic_rows() -> list[tuple[str, int]]:
    return _rows("train.jsonl")


@lru_cache(maxsize=1)
def real_rows() -> list[tuple[str, int]]:
    return _rows("real_train.jsonl")


def training_rows() -> list[tuple[str, int]]:
    """Every text the shipped model learns from (synthetic and real)."""
    return [*synthetic_rows(), *real_rows()]


@lru_cache(maxsize=4)
def _mask_table(normaliser: Normaliser) -> dict[str, str]:
    """Normalised one-word names of every shipped contestant -> their placeholder ("prabowo",
    "ahok", "pdip"). Only names that are a single word on their own are masked: the words of a
    full name ("Agus" of "Agus Harimurti Yudhoyono", "Andi", "Rahmat") are everyday first names,
    and masking them everywhere made ordinary posts about colleagues look like posts about
    candidates. Short tokens and ordinary words (``common_words.txt``) stay too: masking "amin"
    or "maju" would hide the prayer and the verb, not a name."""
    from netral.packs import load_packs

    common = set(
        resources.files("netral.detect").joinpath("data", "common_words.txt")
        .read_text(encoding="utf-8").split()
    )
    table: dict[str, str] = {}
    for pack in load_packs():
        for e in pack.entities:
            placeholder = PARTAI if e.kind == "party" else CALON
            for term in [*e.names, e.label]:
                toks = [t for t in normaliser.normalise(term).tokens if t.kind in ("word", "hashtag")]
                if len(toks) != 1:
                    continue
                t = toks[0].text
                if len(t) >= 4 and t not in common:
                    table.setdefault(t, placeholder)
    return table


# Character n-grams of a word never change: cache them per word (most words of a stream repeat),
# so the cost of a post is a few dict look-ups instead of slicing every word again.
_GRAM_CACHE: dict[str, tuple[str, ...]] = {}
_GRAM_CACHE_MAX = 200_000


def _word_grams(word: str) -> tuple[str, ...]:
    grams = _GRAM_CACHE.get(word)
    if grams is None:
        w = f" {word} "  # as scikit-learn's char_wb: n-grams within a word, padded by spaces
        grams = tuple(w[i:i + n] for n in range(2, 6) for i in range(len(w) - n + 1))
        if len(_GRAM_CACHE) < _GRAM_CACHE_MAX:
            _GRAM_CACHE[word] = grams
    return grams


def char_grams(doc: str) -> list[str]:
    """Character 2–5-grams within each word of a feature document (module level: picklable)."""
    out: list[str] = []
    for word in doc.split():
        out.extend(_word_grams(word))
    return out


def feature_tokens(nt: NormText, mask: dict[str, str] | None) -> list[str]:
    out = []
    for t in nt.tokens:
        if t.kind == "url":
            continue
        if mask is not None:
            if t.kind == "mention":
                out.append(USER)
                continue
            out.append(mask.get(t.text, t.text))
        else:
            out.append(t.text)
    return out


class TextModel:
    def __init__(self, normaliser: Normaliser, synthetic: list[tuple[str, int]],
                 real: list[tuple[str, int]], cfg: ModelConfig = DEFAULT_CONFIG) -> None:
        self.cfg = cfg
        self.mask = _mask_table(normaliser) if cfg.mask else None
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
            self.char = HashingVectorizer(analyzer=char_grams, n_features=2**20,
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
        """Token spans (i, j inclusive) of the word n-grams that pushed most towards kampanye."""
        toks = [t.text for t in nt.tokens]
        feats = [USER if (self.mask is not None and t.kind == "mention")
                 else (self.mask or {}).get(t.text, t.text) for t in nt.tokens]
        scored: list[tuple[float, int, int]] = []
        names: list[tuple[float, int, int]] = []  # shown only when nothing else is
        for k, tok in enumerate(toks):
            bigram = f"{feats[k]} {feats[k + 1]}" if k + 1 < len(toks) else None
            for j, gram in ((k, feats[k]), (k + 1, bigram)):
                if gram is None:
                    continue
                if j == k and (tok in _STOP or len(tok) < 3 or not any(c.isalnum() for c in tok)):
                    continue
                idx = self.vocab.get(gram)
                if idx is None or self.coef[idx] <= 0.5:
                    continue
                # "pak ǂcalon": a name and a title say nothing by themselves
                bare = all(f in _NOT_A_REASON for f in feats[k:j + 1])
                (names if bare else scored).append((float(self.coef[idx]), k, j))
        scored = sorted(scored or names, reverse=True)
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
    for name in ("train.jsonl", "real_train.jsonl", "common_words.txt"):
        res = resources.files("netral.detect").joinpath("data", name)
        if res.is_file():
            h.update(res.read_bytes())
    h.update(sklearn.__version__.encode())
    h.update(MODEL_CODE_VERSION.encode())
    h.update(repr(astuple(DEFAULT_CONFIG)).encode())
    # the masked names come from the packs' content, which can change without a version bump
    h.update(" ".join(f"{k}={v}" for k, v in sorted(_mask_table(normaliser).items())).encode())
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
    model = TextModel(normaliser, synthetic_rows(), real_rows())
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".tmp{os.getpid()}")
            joblib.dump(model, tmp)
            os.replace(tmp, path)
        except OSError:
            pass  # read-only home: train again next time
    return model
