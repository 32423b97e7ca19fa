"""The statistical layer at run time: TF-IDF word and character n-grams + a linear classifier,
evaluated with numpy alone from the weights shipped in ``detect/data/model.npz``.

The weights are learned by ``netral.detect.model_train`` (scikit-learn, the ``train`` extra)
from two corpora (provenance in ``TRAINING.md`` and ``data/corpus/SOURCES.md``): the synthetic
one the project generated (``detect/data/train.jsonl``, shipped) and the training split of the
real labelled corpus (``data/corpus/real_train.jsonl`` in a source checkout: third parties'
posts, rebuilt from their public sources by ``tools/corpus/rebuild.py --real-train`` and never
committed or shipped; ``detect/data/real_train.sha256`` records which file the weights were
trained on). Nothing is trained or
downloaded at run time, and checking a post imports neither scikit-learn nor scipy: a cold
``netral check`` would otherwise spend a second importing them for one dot product.

The model reads the same normalised text the rules see, so obfuscated spellings share features
with clean ones. Candidate and party names are masked (``ǂcalon``, ``ǂpartai``) and @-mentions
become ``@user``: a name alone is not evidence, and what the model learns about supporting one
pair carries over to pairs it never saw (Pilkada). Character n-grams carry it over spelling
variation. The family and settings were chosen by ``tools/corpus/model_lab.py`` (the comparison
is in ``detect/data/MODEL_CARD.md``). The dev split is never read here.

The arithmetic repeats scikit-learn's step by step (float32 term weights, sublinear tf, smoothed
idf, L2 norm per block, MurmurHash3 buckets for the character n-grams), so the scores equal
those of the scikit-learn pipeline the weights came from; ``tests/detect/test_model_export.py``
checks it on the real corpus.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import orjson

from netral.detect import withheld
from netral.detect.model_features import CHAR_BUCKETS, feature_tokens, mask_table, top_spans
from netral.detect.model_small import expit32
from netral.detect.model_table import FeatureTable
from netral.detect.model_tfidf import tfidf_block
from netral.text import Normaliser, NormText

MODEL_FILE = "model.npz"
# the real training split lives beside the rebuilt corpus of a source checkout, not in the
# package: src/netral/detect/model.py -> <checkout>/data/corpus/real_train.jsonl
REAL_TRAIN = Path(__file__).resolve().parents[3] / "data" / "corpus" / "real_train.jsonl"
# beside it, committed: corpus rows whose text overlaps a reserved dataset, in no split
WITHHELD = REAL_TRAIN.with_name(withheld.FILE)
# beside it, rebuilt, never committed: everyday texts (reviews, subtitles) learned as netral
# (tools/corpus/everyday_train.yaml; everyday.py --write-train)
EVERYDAY_TRAIN = REAL_TRAIN.with_name("everyday_train.jsonl")


def _rows(name: str) -> list[tuple[str, int]]:
    res = resources.files("netral.detect").joinpath("data", name)
    return _parse_rows(res.read_bytes()) if res.is_file() else []


def _parse_rows(data: bytes) -> list[tuple[str, int]]:
    rows = []
    for line in data.splitlines():
        if line.strip():
            obj = orjson.loads(line)
            rows.append((obj["text"], 1 if obj["label"] == "kampanye" else 0))
    return rows


@lru_cache(maxsize=1)
def synthetic_rows() -> list[tuple[str, int]]:
    return _rows("train.jsonl")


@lru_cache(maxsize=1)
def real_rows() -> list[tuple[str, int]]:
    """The real training split, or [] where it was not rebuilt (an installed package, a fresh
    checkout): training refuses to run without it (``model_train.write_weights``)."""
    return _parse_rows(REAL_TRAIN.read_bytes()) if REAL_TRAIN.is_file() else []


@lru_cache(maxsize=1)
def everyday_rows() -> list[tuple[str, int]]:
    """Everyday texts the model learns as netral, or [] where they were not rebuilt: training
    refuses to run without them (``model_train.write_weights``)."""
    return _parse_rows(EVERYDAY_TRAIN.read_bytes()) if EVERYDAY_TRAIN.is_file() else []


def withheld_in_real_train() -> list[str]:
    """Ids of the real training file that ``data/corpus/withheld.jsonl`` lists (a
    real_train.jsonl written before the list): nothing may be trained on it."""
    if not (REAL_TRAIN.is_file() and WITHHELD.is_file()):
        return []
    held = withheld.read_ids(WITHHELD)
    ids = [orjson.loads(x).get("id") for x in REAL_TRAIN.read_bytes().splitlines() if x.strip()]
    return [i for i in ids if i in held]


def training_rows() -> list[tuple[str, int]]:
    """Every text the shipped model learns from (synthetic, real, everyday)."""
    return [*synthetic_rows(), *real_rows(), *everyday_rows()]


class LinearTextModel:
    """The shipped weights of the text model, evaluated with numpy."""

    def __init__(self, arrays: dict[str, np.ndarray], mask: dict[str, str] | None) -> None:
        meta = orjson.loads(arrays["meta"].tobytes())
        self.meta: dict = meta
        self.mask = mask if meta["mask"] else None
        self.char = bool(meta["char"])
        # character grams across word boundaries too (weights of before issue 10's fourth pass
        # have none)
        self.cross = bool(meta.get("cross", False))
        terms = arrays["word_terms"].tobytes().decode("utf-8").split("\n")
        self.vocab: dict[str, int] = {t: i for i, t in enumerate(terms)}
        self._terms = terms
        self._explaining: dict[str, int] | None = None  # see explain()
        # what each word and word boundary brings, built on first use (decision)
        self._table: FeatureTable | None = None
        self.word_idf = arrays["word_idf"]
        self.coef = arrays["word_coef"]  # float32 when scikit-learn fitted float32 features
        self.dtype = np.result_type(np.float32, self.coef.dtype)
        self.char_idf = np.full(CHAR_BUCKETS, arrays["char_idf_unseen"][0], dtype=np.float32)
        self.char_idf[arrays["char_seen"]] = arrays["char_seen_idf"]
        self.char_coef = np.zeros(CHAR_BUCKETS, dtype=self.coef.dtype)
        self.char_coef[arrays["char_seen"]] = arrays["char_seen_coef"]
        self.intercept = arrays["intercept"].astype(self.dtype)[0]
        self.n_train = int(meta["n_train"])

    def decision(self, nts: Sequence[NormText]) -> np.ndarray:
        """The classifier's log-odds for each text, in the coefficients' precision."""
        n = len(nts)
        if self._table is None:  # what each word brings, by word number (model_table)
            self._table = FeatureTable(self._terms, self.vocab, self.char, self.cross)
        wd, wf, cd, cf = self._table.features([feature_tokens(nt, self.mask) for nt in nts])
        wd, wi, wv = tfidf_block(wd, wf, len(self.vocab), self.word_idf)
        dt = self.dtype
        blocks = [(wd, wv.astype(dt) * self.coef.take(wi))]
        if self.char:
            cd, ci, cv = tfidf_block(cd, cf, CHAR_BUCKETS, self.char_idf)
            blocks.append((cd, cv.astype(dt) * self.char_coef.take(ci)))
        # a text's terms in scikit-learn's column order (words, then character buckets), added
        # one after the other in the coefficients' precision (float32 when the model was fitted
        # on float32 features) as scipy's sparse product does. Text i's terms go down column i
        # of a table padded with zeros (x + 0 is x), and the rows are added one after the
        # other: each column's sum in order, the sums of a cumsum per text, with a numpy call
        # per row instead of one per text and no stable argsort of every term by text. (Not
        # np.sum down the columns: numpy may add pairwise, which rounds differently.)
        placed = np.zeros(n, dtype=np.int64)  # terms of each text already in the table
        rows = []
        for block_docs, _ in blocks:
            counts = np.bincount(block_docs, minlength=n)
            first = np.cumsum(counts) - counts  # where each text's terms start in the block
            rows.append(np.arange(len(block_docs)) - first[block_docs] + placed[block_docs])
            placed += counts
        if not n or not placed.max():
            return np.zeros(n, dtype=dt) + self.intercept
        table = np.zeros((int(placed.max()), n), dtype=dt)
        for (block_docs, block_terms), block_rows in zip(blocks, rows, strict=True):
            table[block_rows, block_docs] = block_terms
        z = table[0].copy()
        for row in table[1:]:
            z += row
        return z + self.intercept

    def predict_many(self, nts: Sequence[NormText]) -> list[float]:
        if not nts:
            return []
        z = self.decision(nts)
        if z.dtype == np.float32:
            # scipy's expit in float32: 1 / (1 + exp(-z)), the exp the float64 one rounded (as
            # C's expf); the one-text path (model_small) shares this function
            return [expit32(v) for v in z.tolist()]
        e = np.exp(-z)
        return (1 / (1 + e)).tolist()

    def predict(self, nt: NormText) -> float:
        return float(self.predict_many([nt])[0])

    def explain(self, nt: NormText, top: int = 3) -> list[tuple[int, int]]:
        # top_spans passes over every word n-gram whose coefficient is not above 0.5 (or that
        # is not in the vocabulary): looking the n-grams up in a vocabulary of the others
        # alone finds the same spans, and most look-ups of a text miss at once
        if self._explaining is None:
            keep = np.flatnonzero(~(self.coef <= 0.5)).tolist()
            self._explaining = {self._terms[i]: i for i in keep}
        return top_spans(nt, self._explaining, self.coef, self.mask, top)


class NullModel:
    """Used when no weights ship (rules only)."""

    n_train = 0

    def predict(self, nt: NormText) -> float:
        return 0.0

    def predict_many(self, nts: Sequence[NormText]) -> list[float]:
        return [0.0] * len(nts)

    def explain(self, nt: NormText, top: int = 3) -> list[tuple[int, int]]:
        return []


def read_weights() -> dict[str, np.ndarray] | None:
    """The arrays of the shipped ``model.npz`` (None when the package ships none)."""
    res = resources.files("netral.detect").joinpath("data", MODEL_FILE)
    if not res.is_file():
        return None
    with np.load(io.BytesIO(res.read_bytes()), allow_pickle=False) as npz:
        return {k: npz[k] for k in npz.files}


def load_model(normaliser: Normaliser, signature: str = "",
               mask: dict[str, str] | None = None) -> LinearTextModel | NullModel:
    """The shipped model (``signature``, the detector and pack versions, is kept for callers;
    the weights are the same for every pack set). Without weights the detector runs on its
    rules alone. ``mask``: ``mask_table(normaliser)`` when the caller has it already."""
    arrays = read_weights()
    if arrays is None:
        return NullModel()
    return LinearTextModel(arrays, mask if mask is not None else mask_table(normaliser))
