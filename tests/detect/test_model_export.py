"""The text model's shipped weights (detect/data/model.npz) and their numpy evaluation.

* The weights match today's training corpora, normaliser and masked names (else: retrain
  with ``python -m netral.detect.model_train``).
* On every text of the real corpus but the withheld rows (data/corpus/corpus.jsonl, rebuilt by
  tools/corpus/rebuild.py; these tests skip loudly without it) the numpy evaluation gives the
  log-odds of the scikit-learn pipeline trained from the shipped corpora bit for bit, and the
  probability within two float32 steps (scipy's float32 expit and numpy's exp round the last
  bits apart); the detector gives the same verdicts and scores with either.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import orjson
import pytest

from netral.detect.model import LinearTextModel, load_model

pytest.importorskip("sklearn", reason="scikit-learn (the 'train' extra) trains the reference")

from netral.detect.model_train import (
    shipped_normaliser,
    stale_reason,
    train_default,
)

CORPUS = Path(__file__).resolve().parents[2] / "data" / "corpus" / "corpus.jsonl"


def test_shipped_weights_are_not_stale() -> None:
    assert stale_reason() is None, (
        f"{stale_reason()}: run `python -m netral.detect.model_train` and commit model.npz")


@pytest.fixture(scope="module")
def models():
    from netral.detect.model import REAL_TRAIN, real_rows

    if not real_rows():  # the reference is trained on the same rows as the shipped weights
        pytest.skip(f"LOUD SKIP: {REAL_TRAIN} is missing (tools/corpus/rebuild.py "
                    "--real-train rebuilds it); the reference model cannot be trained")
    norm = shipped_normaliser()
    shipped = load_model(norm)
    assert isinstance(shipped, LinearTextModel)
    return norm, shipped, _with_shipped_coefficients(train_default(norm))


def _with_shipped_coefficients(reference):
    """The scikit-learn pipeline fitted again from the shipped corpora, carrying the shipped
    coefficients. The vocabulary and idf of a fit are counts, the same on every machine (and
    checked here); the solver's last bits are not (lbfgs sums in the order of the machine's
    BLAS kernels: a fit on another CPU moved the intercept by 2e-4), so the weights compared
    with scikit-learn's own arithmetic are the shipped ones, and how far a fit here lands from
    them is only bounded."""
    from importlib import resources

    with resources.as_file(resources.files("netral.detect").joinpath("data", "model.npz")) as f:
        npz = dict(np.load(f))
    terms = npz["word_terms"].tobytes().decode("utf-8").split("\n")
    assert {t: i for i, t in enumerate(terms)} == reference.vocab
    assert np.array_equal(npz["word_idf"], reference.word.idf_.astype(np.float32))
    fitted = reference.clf.coef_[0]
    coef = np.zeros_like(fitted)
    coef[: len(terms)] = npz["word_coef"]
    coef[len(terms) + npz["char_seen"]] = npz["char_seen_coef"]
    assert np.abs(coef - fitted).max() < 1e-2
    assert abs(npz["intercept"][0] - reference.clf.intercept_[0]) < 1e-2
    reference.clf.coef_ = coef.reshape(1, -1).astype(fitted.dtype)
    reference.clf.intercept_ = npz["intercept"].astype(reference.clf.intercept_.dtype)
    reference.coef = reference.clf.coef_[0][: len(terms)]
    return reference


@pytest.fixture(scope="module")
def corpus() -> list[str]:
    if not CORPUS.is_file():  # the conftest hook has already skipped loudly
        pytest.skip(f"LOUD SKIP: {CORPUS} is missing (tools/corpus/rebuild.py rebuilds it)")
    withheld = CORPUS.with_name("withheld.jsonl")
    held = {orjson.loads(x)["id"] for x in withheld.read_bytes().splitlines() if x.strip()} \
        if withheld.is_file() else set()
    rows = [orjson.loads(x) for x in CORPUS.read_bytes().splitlines() if x.strip()]
    # never a withheld row (its text overlaps a reserved dataset: in no split, never tested on)
    return [r["text"] for r in rows if r["split"] != "withheld" and r["id"] not in held]


@pytest.mark.real_corpus
def test_numpy_scores_equal_scikit_learn_on_the_real_corpus(models, corpus) -> None:
    norm, shipped, reference = models
    nts = [nt for nt in (norm.normalise(t) for t in corpus) if nt.tokens]
    assert len(nts) > 6000
    z_ref = reference.clf.decision_function(reference._matrix(nts))
    z_np = shipped.decision(nts)
    assert z_np.dtype == z_ref.dtype
    assert np.array_equal(z_np, z_ref)  # the log-odds, bit for bit
    p_ref = np.array(reference.predict_many(nts), dtype=np.float32)
    p_np = np.array(shipped.predict_many(nts), dtype=np.float32)
    # scipy's float32 expit and numpy's rounded exp then a float32 division differ by at most
    # two float32 steps (on 2 million random log-odds: 0.02 % by one, 0.006 % by two)
    np.testing.assert_array_max_ulp(p_np, p_ref, maxulp=2)
    assert (p_np == p_ref).mean() > 0.99
    # one text at a time gives what the batch gives
    assert [shipped.predict(nt) for nt in nts[:300]] == p_np[:300].tolist()
    # and the words shown as the model's reason are the same
    assert all(shipped.explain(nt) == reference.explain(nt) for nt in nts[:2000])


@pytest.mark.real_corpus
def test_detector_verdicts_are_the_same_with_either_model(models, corpus) -> None:
    from netral.detect.detector import Detector
    from netral.packs import load_packs

    _, shipped, reference = models
    texts = corpus[::3]  # a third of the corpus: every source, in reasonable time
    det = Detector(load_packs())
    det.kb._model = reference
    ref = [(r.verdict, r.score, [x.rule for x in r.reasons]) for r in det.judge_many(
        [_request(t) for t in texts])]
    det.kb._model = shipped
    new = [(r.verdict, r.score, [x.rule for x in r.reasons]) for r in det.judge_many(
        [_request(t) for t in texts])]
    assert new == ref


def _request(text: str):
    from netral.detect.request import Request

    return Request(text, "post", None, "personal", "pns", (), "id")
