"""The batch feature table gives each text the multiset of word columns and character buckets
that looking every word and boundary up on its own gives, also when it starts afresh (its
bound reached mid-stream) and for texts without words."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

import pytest

from netral.detect.model_features import CHAR_BUCKETS, pair_grams, word_grams
from netral.detect.model_table import FeatureTable

TERMS = ["ayo", "coblos", "ayo coblos", "coblos nomor", "nomor", "nomor 2", "2", "pak ǂcalon",
         "ǂcalon", "dukung"]
VOCAB = {t: i for i, t in enumerate(TERMS)}
TEXTS = [["ayo", "coblos", "nomor", "2"], [], ["pak", "ǂcalon", "ǂcalon", "hebat"],
         ["urltoken"], ["dukung", "ayo", "coblos", "coblos", "nomor", "2", "ayo"],
         ["ßtraße", "İstanbul", "x"], ["2"]]


def _buckets(grams) -> list[int]:
    import mmh3

    return [abs(mmh3.hash(g)) % CHAR_BUCKETS for g in grams]


def _expected(toks: list[str]) -> tuple[Counter, Counter]:
    cols = Counter(VOCAB[w] for w in toks if w in VOCAB)
    cols.update(VOCAB[f"{a} {b}"] for a, b in pairwise(toks) if f"{a} {b}" in VOCAB)
    buckets = Counter(b for w in toks for b in _buckets(word_grams(w)))
    buckets.update(b for a, c in pairwise(toks) for b in _buckets(pair_grams(a, c)))
    return cols, buckets


def _per_text(table: FeatureTable, docs: list[list[str]]) -> list[tuple[Counter, Counter]]:
    wd, wf, cd, cf = table.features(docs)
    # each text's features together, the texts in order (what tfidf_block reads)
    assert (wd[1:] >= wd[:-1]).all() and (cd[1:] >= cd[:-1]).all()
    return [(Counter(wf[wd == k].tolist()), Counter(cf[cd == k].tolist()))
            for k in range(len(docs))]


@pytest.mark.parametrize("limit", [3, 8, 1000])
def test_features_equal_one_look_up_at_a_time(limit: int) -> None:
    table = FeatureTable(TERMS, VOCAB, char=True, cross=True, limit=limit)
    for _ in range(3):  # again with the words known (or forgotten: the small limits)
        for start in range(len(TEXTS)):
            docs = TEXTS[start:] + TEXTS[:start]
            assert _per_text(table, docs) == [_expected(d) for d in docs]


def test_no_character_grams_without_them() -> None:
    table = FeatureTable(TERMS, VOCAB, char=False, cross=False)
    wd, wf, cd, cf = table.features(TEXTS)
    assert cd.size == cf.size == 0
    assert [Counter(wf[wd == k].tolist()) for k in range(len(TEXTS))] == \
        [_expected(d)[0] for d in TEXTS]
