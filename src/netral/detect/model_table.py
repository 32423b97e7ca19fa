"""The text model's features of a whole batch at once: what each word brings, kept in numpy
arrays by word number, so a batch costs one dictionary look-up per word and a few numpy
calls, not a handful of look-ups per word and per word boundary in Python (issue 10).

For each word seen (up to ``FEATURE_CACHE_MAX``, then the table starts afresh) a row holds:
its unigram's column (-1: not in the vocabulary), its number as the first and as the second
word of the vocabulary's bigrams (-1: none), where its character grams' buckets are in one
store, and the numbers of its last and first three characters (the grams across a word
boundary depend on these six characters alone: ``model_features.pair_grams``). The bigrams of
a batch are then a search of a sorted array of (first, second) codes, and the grams across
each boundary the same in a sorted array of (tail, head) codes, computed in Python only for a
(tail, head) not seen before.

What comes out is, per text, the same multiset of word columns and of character buckets as
looking each up on its own gives, each text's together: ``model_tfidf.tfidf_block`` sorts and
counts each text's, so their order within it changes nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np

from netral.detect.model_features import (
    BUCKET_DTYPE,
    FEATURE_CACHE_MAX,
    bucket_bytes,
    pair_grams,
    word_grams,
)

# the columns of a word's row
_UNI, _FIRST, _SECOND, _START, _LEN, _TAIL, _HEAD = range(7)
_WIDTH = 7


class FeatureTable:
    def __init__(self, terms: Sequence[str], vocab: dict[str, int], char: bool, cross: bool,
                 limit: int = FEATURE_CACHE_MAX) -> None:
        self.vocab = vocab
        self.char = char
        self.cross = char and cross
        self.limit = limit
        # the vocabulary's bigrams "a b": a's number among first words, b's among second
        # words, as one int64 code a << 32 | b, sorted, with the bigram's column
        self._firsts: dict[str, int] = {}
        self._seconds: dict[str, int] = {}
        col_of: dict[int, int] = {}
        for i, term in enumerate(terms):
            first, space, second = term.partition(" ")
            if space:
                a = self._firsts.setdefault(first, len(self._firsts))
                b = self._seconds.setdefault(second, len(self._seconds))
                col_of[(a << 32) | b] = i  # a term listed twice: its last column, as a dict
        code_arr = np.array(list(col_of), dtype=np.int64)
        order = np.argsort(code_arr)
        self._bi_codes = code_arr[order]
        self._bi_cols = np.array(list(col_of.values()), dtype=np.int64)[order]
        # one batch at a time: a batch numbers its words, may add rows or start the table
        # afresh, then reads the rows by those numbers; another thread's batch in between
        # (a web server judging on several threads) would make them point at other words
        self._lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        """Forget every word and boundary (bounded memory on an endless stream)."""
        self._ids: dict[str, int] = {}
        self._rows = np.zeros((1024, _WIDTH), dtype=np.int64)
        self._store = np.zeros(1 << 16, dtype=BUCKET_DTYPE)  # the buckets of words and joints
        self._stored = 0
        self._affixes: dict[str, int] = {}  # a word's last or first three characters -> number
        self._affix_text: list[str] = []
        # the (tail, head) boundaries seen: sorted codes, where their buckets are in the store
        self._j_codes = np.zeros(0, dtype=np.int64)
        self._j_start = np.zeros(0, dtype=np.int64)
        self._j_len = np.zeros(0, dtype=np.int64)

    def _put(self, buckets: list[bytes]) -> tuple[list[int], list[int]]:
        """Append each entry's buckets to the store: their starts and lengths."""
        lens = [len(b) // self._store.itemsize for b in buckets]
        starts, pos = [], self._stored
        for n in lens:
            starts.append(pos)
            pos += n
        if pos > len(self._store):
            grown = np.zeros(max(pos, 2 * len(self._store)), dtype=BUCKET_DTYPE)
            grown[:self._stored] = self._store[:self._stored]
            self._store = grown
        self._store[self._stored:pos] = np.frombuffer(b"".join(buckets), dtype=BUCKET_DTYPE)
        self._stored = pos
        return starts, lens

    def _affix(self, s: str) -> int:
        k = self._affixes.get(s)
        if k is None:
            k = self._affixes[s] = len(self._affix_text)
            self._affix_text.append(s)
        return k

    def _add_words(self, words: list[str]) -> None:
        """Rows for words not in the table yet (distinct)."""
        first = len(self._ids)
        starts, lens = self._put([bucket_bytes(word_grams(w)) for w in words]) if self.char \
            else ([0] * len(words), [0] * len(words))
        rows = [(self.vocab.get(w, -1), self._firsts.get(w, -1), self._seconds.get(w, -1), s, n,
                 self._affix(w[-3:]), self._affix(w[:3]))
                for w, s, n in zip(words, starts, lens, strict=True)]
        end = first + len(rows)
        if end > len(self._rows):
            grown = np.zeros((max(end, 2 * len(self._rows)), _WIDTH), dtype=np.int64)
            grown[:first] = self._rows[:first]
            self._rows = grown
        self._rows[first:end] = np.array(rows, dtype=np.int64).reshape(-1, _WIDTH)
        for k, w in enumerate(words, first):
            self._ids[w] = k

    def _numbers(self, toks: list[str]) -> np.ndarray:
        """Each token's row number, adding the words not in the table."""
        ids = list(map(self._ids.get, toks))
        if None in ids:
            new = list(dict.fromkeys(w for w, k in zip(toks, ids, strict=True) if k is None))
            if len(self._ids) + len(new) > self.limit:
                self._reset()
                new = list(dict.fromkeys(toks))
            self._add_words(new)
            ids = list(map(self._ids.get, toks))
        return np.array(ids, dtype=np.int64)

    def _joints(self, codes: np.ndarray) -> np.ndarray:
        """Where each (tail, head) code is in the sorted boundary arrays, adding new ones."""
        pos = np.searchsorted(self._j_codes, codes)
        found = pos < len(self._j_codes)
        found[found] = self._j_codes[pos[found]] == codes[found]
        if found.all():
            return pos
        new = np.unique(codes[~found])
        text = self._affix_text
        starts, lens = self._put([bucket_bytes(pair_grams(text[c >> 32], text[c & 0xFFFFFFFF]))
                                  for c in new.tolist()])
        at = np.searchsorted(self._j_codes, new)
        self._j_codes = np.insert(self._j_codes, at, new)
        self._j_start = np.insert(self._j_start, at, starts)
        self._j_len = np.insert(self._j_len, at, lens)
        return np.searchsorted(self._j_codes, codes)

    def features(self, docs: Sequence[list[str]]) -> tuple[np.ndarray, np.ndarray,
                                                             np.ndarray, np.ndarray]:
        """(text of each word column, the columns, text of each bucket, the buckets) of a
        batch of texts' feature tokens (``model_features.feature_tokens``): each text's
        together, the texts in order (``model_tfidf.tfidf_block`` sorts each text's alone)."""
        with self._lock:
            return self._features(docs)

    def _features(self, docs: Sequence[list[str]]) -> tuple[np.ndarray, np.ndarray,
                                                              np.ndarray, np.ndarray]:
        n_toks = np.array([len(d) for d in docs], dtype=np.int64)
        toks = [w for d in docs for w in d]
        if len(self._j_codes) >= self.limit:  # the boundaries are bounded as the words are
            self._reset()
        ids = self._numbers(toks) if toks else np.zeros(0, dtype=np.int64)
        rows = self._rows[ids]
        doc = np.repeat(np.arange(len(docs)), n_toks)
        # the adjacent words of one text; what a pair brings is put beside its first word's,
        # (word, pair) for every word, so that each text's features stay together
        k = np.flatnonzero(doc[1:] == doc[:-1])
        left, right = rows[k], rows[k + 1]
        pair_doc = np.repeat(doc, 2)
        bigram = np.full(len(ids), -1, dtype=np.int64)
        both = (left[:, _FIRST] >= 0) & (right[:, _SECOND] >= 0)
        if both.any() and len(self._bi_codes):
            codes = (left[both, _FIRST] << 32) | right[both, _SECOND]
            at = np.minimum(np.searchsorted(self._bi_codes, codes), len(self._bi_codes) - 1)
            hit = self._bi_codes[at] == codes
            bigram[k[both][hit]] = self._bi_cols[at[hit]]
        cols = np.column_stack((rows[:, _UNI], bigram)).ravel()
        found = cols >= 0
        w_doc, w_feat = pair_doc[found], cols[found]
        if not self.char:
            empty = np.zeros(0, dtype=np.int64)
            return w_doc, w_feat, empty, empty
        start, length, c_doc = rows[:, _START], rows[:, _LEN], doc
        if self.cross:
            j_start = np.zeros(len(ids), dtype=np.int64)
            j_len = np.zeros(len(ids), dtype=np.int64)  # none after a text's last word
            if len(k):
                at = self._joints((left[:, _TAIL] << 32) | right[:, _HEAD])
                j_start[k], j_len[k] = self._j_start[at], self._j_len[at]
            start = np.column_stack((start, j_start)).ravel()
            length = np.column_stack((length, j_len)).ravel()
            c_doc = pair_doc
        # every entry's run of buckets in the store, one after the other
        offset = np.cumsum(length) - length
        idx = np.arange(int(length.sum()), dtype=np.int64) + np.repeat(start - offset, length)
        return w_doc, w_feat, np.repeat(c_doc, length), self._store[idx]
