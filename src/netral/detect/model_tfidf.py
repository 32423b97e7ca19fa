"""scikit-learn's TF-IDF arithmetic in numpy, one block of features at a time: what
``model.LinearTextModel`` needs to score a batch with the weights of ``model.npz`` and get
scikit-learn's numbers (``tests/detect/test_model_export.py``)."""

from __future__ import annotations

import numpy as np


def tfidf_block(doc_of: np.ndarray, feat: np.ndarray, n_feat: int,
                 idf: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One block of features (word or character n-grams) as scikit-learn's TfidfTransformer
    leaves it: (document, feature, float32 weight) sorted by document then feature, with
    sublinear tf, idf and an L2 norm per document (summed in float64, as its Cython does).
    ``doc_of`` is in order (each document's terms together, in any order among themselves)."""
    if feat.size == 0:
        return feat, feat, np.zeros(0, dtype=np.float32)
    # one sort key per (document, feature): the document in the high bits, the feature in the
    # low ones (a power of two at least n_feat apart, so both come back by shift and mask), in
    # int32 where the batch allows it (int32 sorts in about half the time of int64). The order
    # is that of doc * n_feat + feat.
    shift = (n_feat - 1).bit_length()
    dtype = np.int32 if (int(doc_of[-1]) + 1) << shift <= 2**31 else np.int64
    keys = (doc_of.astype(dtype) << shift) | feat.astype(dtype)
    # sorted one document at a time: the documents are in order already, and numpy sorts a
    # few hundred numbers (in the CPU's vector registers) several times faster per number
    # than a batch's hundred thousand (issue 10: the sort was most of a block's time)
    step = doc_of[1:] - doc_of[:-1]
    if (step < 0).any():  # sorting each document's run alone would then be wrong
        raise ValueError("tfidf_block: each document's terms must come together, in order")
    ends = (np.flatnonzero(step) + 1).tolist()
    for s, e in zip([0, *ends], [*ends, keys.size], strict=True):
        keys[s:e].sort()
    # then counted as np.unique counts a sorted array
    first = np.empty(keys.size, dtype=bool)
    first[0] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    counts = np.diff(starts, append=keys.size)
    keys = keys[starts]
    docs, idx = keys >> shift, keys & ((1 << shift) - 1)
    val = np.log(counts.astype(np.float32)) + np.float32(1.0)
    val *= idf[idx]
    sq = (val * val).astype(np.float64)
    norm = np.sqrt(np.bincount(docs, weights=sq))
    return docs, idx, (val / norm[docs]).astype(np.float32)  # float32 / float64 -> float32
