"""The batch feature table gives each text the multiset of word columns and character buckets
that looking every word and boundary up on its own gives, also when it starts afresh (its
bound reached mid-stream) and for texts without words."""

from __future__ import annotations

import sys
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


def test_threads_judging_at_once_get_their_own_texts_features() -> None:
    import threading

    table = FeatureTable(TERMS, VOCAB, char=True, cross=True, limit=8)  # starts afresh often
    expected = [_expected(d) for d in TEXTS]
    bad: list[int] = []

    def run(shift: int) -> None:
        for r in range(40):
            k = (shift + r) % len(TEXTS)
            docs = TEXTS[k:] + TEXTS[:k]
            if _per_text(table, docs) != expected[k:] + expected[:k]:
                bad.append(k)

    threads = [threading.Thread(target=run, args=(s,)) for s in range(4)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads switch often: without the lock this fails
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert not bad


def test_tfidf_block_refuses_texts_out_of_order() -> None:
    import numpy as np

    from netral.detect.model_tfidf import tfidf_block

    idf = np.ones(8, dtype=np.float32)
    docs, feats, _ = tfidf_block(np.array([0, 0, 1]), np.array([3, 1, 3]), 8, idf)
    assert docs.tolist() == [0, 0, 1] and feats.tolist() == [1, 3, 3]
    with pytest.raises(ValueError, match="in order"):
        tfidf_block(np.array([1, 0]), np.array([3, 1]), 8, idf)
