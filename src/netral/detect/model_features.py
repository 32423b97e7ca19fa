"""The text model's features: the words and word pairs of a normalised text with candidate and
party names masked, and the character n-grams of each word hashed into buckets as
scikit-learn's HashingVectorizer does. Shared by the run-time evaluation (``model``) and the
training (``model_train``), so both read a text the same way."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from typing import TYPE_CHECKING

import mmh3

from netral.detect.wordsets import HONORIFIC
from netral.text import Normaliser, NormText

if TYPE_CHECKING:  # numpy is imported where arrays are made: a one-text check needs none
    import numpy as np

# Function words never shown as the "reason" for a model score (they carry no stance).
_STOP = frozenset(
    "yang dan di ke dari ini itu aja saja sih deh dong ya kok kan lah tuh nih jadi untuk buat "
    "dengan sama pada para kita kami aku saya kamu kalian dia mereka ada akan sudah udah belum "
    "masih juga lagi kalau kalo karena tapi atau bisa mau paling banget tidak bukan semua".split()
)
CALON, PARTAI, USER = "ǂcalon", "ǂpartai", "@user"
# masked names, mentions, titles: never shown as the reason (a name alone is not evidence)
_NOT_A_REASON = _STOP | HONORIFIC | {CALON, PARTAI, USER}
# buckets of the hashed character n-grams (scikit-learn's HashingVectorizer n_features)
CHAR_BUCKETS = 2**20


@lru_cache(maxsize=4)
def mask_table(normaliser: Normaliser) -> dict[str, str]:
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
# so the cost of a post is a few dict look-ups instead of slicing every word again. The numpy
# path keeps each word's buckets as the bytes of int32 numbers: a batch's buckets are then one
# b"".join and one np.frombuffer, where concatenating thousands of small arrays took an eighth
# of the model's time.
_GRAM_CACHE: dict[str, tuple[str, ...]] = {}
BUCKET_DTYPE = "=i4"  # native int32, the bytes of bucket_bytes
_CACHE_MAX = 200_000
FEATURE_CACHE_MAX = _CACHE_MAX  # entries of the numpy model's per-word and per-boundary caches


def _word_grams(word: str) -> tuple[str, ...]:
    grams = _GRAM_CACHE.get(word)
    if grams is None:
        w = f" {word} "  # as scikit-learn's char_wb: n-grams within a word, padded by spaces
        grams = tuple(w[i:i + n] for n in range(2, 6) for i in range(len(w) - n + 1))
        if len(_GRAM_CACHE) < _CACHE_MAX:
            _GRAM_CACHE[word] = grams
    return grams


word_grams = _word_grams  # the one-text model (model_small) hashes the same grams


def char_grams(doc: str) -> list[str]:
    """Character 2–5-grams within each word of a feature document (module level: picklable)."""
    out: list[str] = []
    for word in doc.split():
        out.extend(_word_grams(word))
    return out


def _pair_grams(left: str, right: str) -> tuple[str, ...]:
    """The character 3–5-grams that cross the space between two adjacent words: those of
    ``left[-3:] + " " + right[:3]`` with the space inside (not at either end), so the grams
    depend on the joint's six characters only, and a cache keyed by them is small."""
    s = f"{left[-3:]} {right[:3]}"
    sp = s.index(" ")
    return tuple(s[i:i + n] for n in range(3, 6) for i in range(max(0, sp - n + 2), sp)
                 if i + n <= len(s))


pair_grams = _pair_grams  # the one-text model (model_small) hashes the same grams


def char_grams_cross(doc: str) -> list[str]:
    """``char_grams`` plus the grams across each word boundary (``_pair_grams``): phrases
    such as "ǂcalon menang" or "no 2" shared across spellings of either word."""
    words = doc.split()
    out = char_grams(doc)
    for a, b in pairwise(words):
        out.extend(_pair_grams(a, b))
    return out


def bucket_bytes(grams: Sequence[str]) -> bytes:
    """The grams' buckets as scikit-learn's HashingVectorizer puts them: signed 32-bit
    MurmurHash3 of the UTF-8 gram (seed 0), |h| mod 2**20; as the bytes of native int32
    numbers (``BUCKET_DTYPE``)."""
    import numpy as np

    return np.fromiter((abs(mmh3.hash(g)) % CHAR_BUCKETS for g in grams),
                       dtype=BUCKET_DTYPE, count=len(grams)).tobytes()


def feature_tokens(nt: NormText, mask: dict[str, str] | None) -> list[str]:
    """The words the model reads: links left out; with a mask, names masked and mentions
    ``@user``."""
    if mask is None:
        return [t.text for t in nt.tokens if t.kind != "url"]
    return [USER if t.kind == "mention" else mask.get(t.text, t.text)
            for t in nt.tokens if t.kind != "url"]


def word_ngrams(tokens: Sequence[str]) -> list[str]:
    """Word 1- and 2-grams in scikit-learn's order (all unigrams, then all bigrams)."""
    return [*tokens, *(f"{a} {b}" for a, b in pairwise(tokens))]


def top_spans(nt: NormText, vocab: dict[str, int], coef: np.ndarray, mask: dict[str, str] | None,
              top: int = 3) -> list[tuple[int, int]]:
    """Token spans (i, j inclusive) of the word n-grams that pushed most towards kampanye."""
    toks = [t.text for t in nt.tokens]
    feats = [USER if (mask is not None and t.kind == "mention")
             else (mask or {}).get(t.text, t.text) for t in nt.tokens]
    scored: list[tuple[float, int, int]] = []
    names: list[tuple[float, int, int]] = []  # shown only when nothing else is
    get = vocab.get
    last = len(toks) - 1
    for k, tok in enumerate(toks):
        # the unigram, then the bigram it starts; each looked up first: most grams are not in
        # a vocabulary of the telling ones (the numpy path's), and the checks below then need
        # not run
        idx = get(feats[k])
        if (idx is not None and not coef[idx] <= 0.5
                and not (tok in _STOP or len(tok) < 3 or not any(c.isalnum() for c in tok))):
            # "pak ǂcalon": a name and a title say nothing by themselves
            (names if feats[k] in _NOT_A_REASON else scored).append((float(coef[idx]), k, k))
        if k < last:
            idx = get(f"{feats[k]} {feats[k + 1]}")
            if idx is not None and not coef[idx] <= 0.5:
                bare = feats[k] in _NOT_A_REASON and feats[k + 1] in _NOT_A_REASON
                (names if bare else scored).append((float(coef[idx]), k, k + 1))
    scored = sorted(scored or names, reverse=True)
    spans: list[tuple[int, int]] = []
    for _, i, j in scored:
        if all(j < a or i > b for a, b in spans):
            spans.append((i, j))
        if len(spans) == top:
            break
    return sorted(spans)
