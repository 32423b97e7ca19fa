"""The text model for one text at a time, in plain Python: a cold ``netral check`` judges a
single post, and importing numpy for it cost ~80 ms of the ~500 ms a check took (issue 15).

It repeats ``model.LinearTextModel.decision`` operation by operation in float32: every step of
that computation is one IEEE operation on float32 values (a product, a sum, a division, a
square root) or a sequential float64 sum, and Python's float64 result of such an operation,
rounded to float32, is the float32 result (float64 has more than twice float32's precision).
The one step that is not such an operation, numpy's float32 ``log`` of a term count, is read
from a table numpy wrote (``LOG_TF``, in the model cache of ``netral.detect.model_cache``); a count
beyond the table sends the text to numpy. The logistic function is shared with the numpy path
(``expit32``). ``tests/detect/test_fast_paths.py`` checks that both paths give the same
probabilities, bit for bit, on the hand-written set, and ``tools/verdict_snapshot.py`` on the
real corpus.
"""

from __future__ import annotations

import math
import os
import stat
import struct
from bisect import bisect_left
from collections import Counter
from itertools import pairwise
from pathlib import Path
from typing import Any

import mmh3

from netral.detect.model_cache import LOG_TF, valid_small
from netral.detect.model_features import (
    CHAR_BUCKETS,
    feature_tokens,
    pair_grams,
    word_grams,
    word_ngrams,
)
from netral.text import NormText

_F32 = struct.Struct("<f")

def f32(x: float) -> float:
    """``x`` rounded to the nearest float32 (ties to even), as a Python float."""
    return _F32.unpack(_F32.pack(x))[0]


def expit32(z: float) -> float:
    """The float32 logistic of a float32 log-odds: 1 / (1 + exp(-z)), where the exp is the
    float64 one rounded to float32 (as C's expf) and the rest float32 arithmetic."""
    e = f32(math.exp(-z))
    return f32(1.0 / f32(1.0 + e))


class SortedIndex:
    """``dict.get`` of key -> position over a sorted sequence, by bisection."""

    def __init__(self, keys) -> None:
        self.keys = keys  # strictly increasing: checked when the cache is written

    def get(self, key, default=None):
        i = bisect_left(self.keys, key)
        return i if i < len(self.keys) and self.keys[i] == key else default


class TermIndex:
    """``dict.get`` of term -> position over the model's sorted terms, kept as one UTF-8 text
    and the offsets where each term ends: bisection compares bytes (UTF-8 sorts as code points
    do), and nothing is split or decoded for the few n-grams of one text."""

    def __init__(self, blob: bytes, ends) -> None:
        self.blob, self.ends = blob, ends

    def __len__(self) -> int:
        return len(self.ends)

    def __getitem__(self, i: int) -> bytes:
        return self.blob[self.ends[i - 1] if i else 0:self.ends[i]]

    def get(self, key: str, default=None):
        kb = key.encode("utf-8", "surrogatepass")  # a lone surrogate sorts where its code does
        i = bisect_left(self, kb)
        return i if i < len(self.ends) and self[i] == kb else default


class SmallModel:
    """The shipped weights as Python arrays, for the one-text path."""

    def __init__(self, data: dict[str, Any]) -> None:
        """``data``: the arrays of ``plain_weights`` (or of a cache file, ``unpack``)."""
        if not valid_small(data):
            raise ValueError("inconsistent model arrays")
        self.log_tf = data["log_tf"]
        # both sorted (scikit-learn's vocabulary is; bucket numbers are written in order):
        # looked up by bisection instead of building two dicts for one text
        self.vocab = TermIndex(data["terms"], data["term_ends"])
        self.word_idf, self.coef = data["word_idf"], data["word_coef"]
        self.intercept = data["intercept"][0]
        self.char_unseen = data["char_idf_unseen"][0]
        self.char_seen = SortedIndex(data["char_seen"])
        self.char_seen_idf, self.char_seen_coef = data["char_seen_idf"], data["char_seen_coef"]
        self._buckets: dict[str, tuple[int, ...]] = {}

    def char_idf(self, bucket: int) -> float:
        i = self.char_seen.get(bucket)
        return self.char_unseen if i is None else self.char_seen_idf[i]

    def char_coef(self, bucket: int) -> float:
        i = self.char_seen.get(bucket)
        return 0.0 if i is None else self.char_seen_coef[i]

    def _word_buckets(self, word: str) -> tuple[int, ...]:
        hit = self._buckets.get(word)
        if hit is None:
            hit = self._buckets[word] = tuple(abs(mmh3.hash(g)) % CHAR_BUCKETS
                                              for g in word_grams(word))
        return hit

    def _joint_buckets(self, left: str, right: str) -> tuple[int, ...]:
        key = f"{left[-3:]} {right[:3]}"  # the grams depend on these six characters only
        hit = self._buckets.get(key)  # a word has no space: never a word's key
        if hit is None:
            hit = self._buckets[key] = tuple(abs(mmh3.hash(g)) % CHAR_BUCKETS
                                             for g in pair_grams(left, right))
        return hit

    def _block(self, counts: Counter[int], idf, coef) -> list[float] | None:
        """One block's terms (tf-idf weight times coefficient), in feature order, as
        ``model_tfidf.tfidf_block`` and the product in ``decision`` compute them."""
        feats = sorted(counts)
        vals = []
        for k in feats:
            c = counts[k]
            if c >= LOG_TF:
                return None
            vals.append(f32(f32(self.log_tf[c] + 1.0) * idf(k)))
        sq = 0.0
        for v in vals:
            sq += f32(v * v)  # float32 square, summed in float64 in order (np.bincount)
        norm = math.sqrt(sq)
        return [f32(f32(v / norm) * coef(k)) for v, k in zip(vals, feats, strict=True)]

    def decision(self, nt: NormText, mask: dict[str, str] | None,
                 char: bool, cross: bool = False) -> float | None:
        """The float32 log-odds of one text (None: a count beyond the log table)."""
        toks = feature_tokens(nt, mask)
        vocab = self.vocab
        words = Counter(j for j in map(vocab.get, word_ngrams(toks)) if j is not None)
        terms: list[float] = []
        if words:
            idf, coef = self.word_idf, self.coef
            block = self._block(words, idf.__getitem__, coef.__getitem__)
            if block is None:
                return None
            terms.extend(block)
        if char:
            buckets: Counter[int] = Counter()
            for w in toks:
                buckets.update(self._word_buckets(w))
            if cross:  # the grams across each word boundary (model_features.char_grams_cross)
                for a, b in pairwise(toks):
                    buckets.update(self._joint_buckets(a, b))
            if buckets:
                block = self._block(buckets, self.char_idf, self.char_coef)
                if block is None:
                    return None
                terms.extend(block)
        z = 0.0
        for t in terms:  # sequential float32 sum, as the numpy path's cumsum
            z = f32(z + t)
        return f32(z + self.intercept)


SMALL_BATCH = 4  # up to this many texts are scored in Python; more go to numpy in one batch
# Python takes ~1.3 ms a text where numpy, once loaded (~100 ms), takes ~0.15 ms: a process
# that keeps judging (web server, scan, ingest) switches to numpy after this many small calls
WARM_AFTER = 8


def weights_stamp() -> bytes | None:
    """What stands for the shipped weights in the model cache's key (None: no weights ship).
    For a plain file, its path, size and modification time in nanoseconds, as Python checks
    a module's bytecode against its source: reading and hashing the 3 MB file took ~10 ms of
    every cold check (issue 15). Any other install (a zip) gives the file's bytes."""
    f = Path(__file__).resolve().parent / "data" / "model.npz"
    try:
        st = os.stat(f)
        if stat.S_ISREG(st.st_mode):
            return f"{f} {st.st_size} {st.st_mtime_ns}".encode("utf-8", "surrogateescape")
    except OSError:
        pass
    return weights_bytes()


def weights_bytes() -> bytes | None:
    """The shipped ``model.npz`` (None: no weights ship, the detector runs on rules)."""
    from importlib import resources

    res = resources.files("netral.detect").joinpath("data", "model.npz")
    return res.read_bytes() if res.is_file() else None


class TextModel:
    """The model the detector calls: a few texts at a time in Python (``SmallModel``), larger
    batches, and everything once numpy is loaded or the process has judged ``WARM_AFTER``
    small calls, with numpy (``model.LinearTextModel``). Both give the same probabilities,
    bit for bit."""

    def __init__(self, small: SmallModel, meta: dict[str, Any], mask: dict[str, str],
                 load_numpy: Any, numpy_model: Any = None) -> None:
        self.small = small
        self.meta = meta
        self.mask = mask if meta["mask"] else None
        self.char = bool(meta["char"])
        self.cross = bool(meta.get("cross", False))
        self.n_train = int(meta["n_train"])
        self._load_numpy = load_numpy
        self._numpy = numpy_model
        self._calls = 0  # small calls scored in Python so far

    @property
    def numpy_model(self) -> Any:
        if self._numpy is None:
            self._numpy = self._load_numpy()
        return self._numpy

    def predict_many(self, nts) -> list[float]:
        if len(nts) > SMALL_BATCH or self._numpy is not None or self._calls >= WARM_AFTER:
            return self.numpy_model.predict_many(nts)
        self._calls += 1
        zs = [self.small.decision(nt, self.mask, self.char, self.cross) for nt in nts]
        if any(z is None for z in zs):
            return self.numpy_model.predict_many(nts)
        return [expit32(z) for z in zs]

    def predict(self, nt: NormText) -> float:
        return self.predict_many([nt])[0]

    def explain(self, nt: NormText, top: int = 3) -> list[tuple[int, int]]:
        if self._numpy is not None:  # loaded: its dictionaries are quicker than bisection
            return self._numpy.explain(nt, top)
        from netral.detect.model_features import top_spans

        return top_spans(nt, self.small.vocab, self.small.coef, self.mask, top)
