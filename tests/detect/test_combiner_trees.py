"""The tree combiner (``combine.Combiner`` with ``"trees"``): exported from scikit-learn by
``tools/corpus/train_combiner.py`` and summed at run time in plain Python, it must give
scikit-learn's probabilities; explicit rule evidence stays a floor it cannot lower; a file
whose trees hold anything but numbers is refused before any of it is compiled."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import orjson
import pytest

from netral.detect import combine, floors
from netral.detect.detector import get_detector
from netral.detect.model import synthetic_rows

pytest.importorskip("sklearn", reason="scikit-learn (the 'train' extra) fits the reference")

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools" / "corpus"))
import train_combiner as tc


@pytest.fixture(scope="module")
def rows() -> tuple[list[str], np.ndarray, np.ndarray]:
    """Combiner features of synthetic training texts (the shipped model's probability, not an
    out-of-fold one: this checks arithmetic, not quality)."""
    det = get_detector()
    names: list[str] = []
    xs, ys = [], []
    for text, label in synthetic_rows()[:1200]:
        if not det.lexicon.may_concern(text):
            continue
        f = combine.features(det.document(text, "post", None))
        names = names or sorted(f)
        xs.append([f[n] for n in names])
        ys.append(label)
    return names, np.array(xs), np.array(ys)


def test_the_run_time_sum_gives_sklearns_probabilities(rows) -> None:
    names, x, y = rows
    w = np.where(y == 1, 1.0, 2.0)
    clf = tc.TreeSettings(leaf=20).classifier().fit(x, y, sample_weight=w)
    nodes, baseline = tc.tree_spec(clf)
    spec = {"version": "test", "features": names, "trees": nodes, "baseline": baseline,
            "shift": 0.7}
    comb = combine.Combiner(orjson.loads(orjson.dumps(spec)))  # as read back from a file
    got = np.array([comb.raw(dict(zip(names, r, strict=True))) for r in x.tolist()])
    want = clf.predict_proba(x)[:, 1]
    assert np.abs(1 / (1 + np.exp(-got)) - want).max() < 1e-9
    # the operating point's shift is subtracted from the log-odds, nothing else
    log_odds = np.array([comb.log_odds(dict(zip(names, r, strict=True))) for r in x.tolist()])
    assert np.abs(log_odds - (got - 0.7)).max() < 1e-12


def test_the_shipped_combiner_loads_and_scores() -> None:
    comb = combine.load_combiner()
    assert comb is not None
    doc = get_detector().document("Pak Ganjar ke pasar #GanjarPastiBisa", model_p=0.5)
    assert 0.0 <= comb.probability(doc) <= 1.0


def test_explicit_rule_evidence_is_a_floor_where_the_model_misses_it() -> None:
    # (a combiner sure of the opposite, below floors.VETO_BELOW, may still overrule it)
    comb = combine.load_combiner()
    assert comb is not None
    doc = get_detector().document("Ayo coblos nomor 2 Prabowo-Gibran tanggal 14 Februari!",
                                  model_p=0.2)
    assert doc.rule_score >= floors.FLOOR_AT
    assert comb.probability(doc) >= doc.rule_score


def test_the_training_tool_floors_posts_as_the_run_time_does() -> None:
    # train_combiner.floored restates floors.final_score over numpy columns to set the operating
    # point; every boundary of the rule (FLOOR_AT, VETO_BELOW, FLOOR_TAG_AT, MEMBER_HOLD_AT) on
    # both sides
    eps = 1e-6
    probs = [0.0, floors.VETO_BELOW - eps, floors.VETO_BELOW, floors.VETO_BELOW + eps, 0.3, 0.9]
    rules = [0.0, 0.5, floors.FLOOR_AT - eps, floors.FLOOR_AT, 0.95]
    gestures = [0.0, floors.FLOOR_TAG_AT - eps, floors.FLOOR_TAG_AT, 1.0]
    members = [0.0, floors.MEMBER_HOLD_AT - eps, floors.MEMBER_HOLD_AT, 0.85]
    grid = np.array([(p, r, t, g, m) for p in probs for r in rules for t in (0.0, 1.0)
                     for g in gestures for m in members])
    got = tc.floored(grid[:, 0], grid[:, 1], grid[:, 2], grid[:, 3], grid[:, 4])
    want = [floors.final_score(p, r, t > 0, kind="post", prop=floors.held(g, m))
            for p, r, t, g, m in grid.tolist()]
    assert got.tolist() == want
    assert len(set(got.tolist()) - set(grid[:, 0].tolist())) > 0  # some rows were floored


@pytest.mark.parametrize("bad", [
    [["__import__('os')", 0.5, 0.1, 0.2]],  # a feature that is not an index
    [[99, 0.5, 0.1, 0.2]],  # an index past the features
    [[0, "1; import os", 0.1, 0.2]],  # a threshold that is not a number
    [[0, 0.5, "0.1 + 1", 0.2]],  # a leaf that is not a number
    [[0, float("inf"), 0.1, 0.2]],
    [[0, 0.5, 0.1]],  # a split without its right side
])
def test_trees_holding_anything_but_numbers_are_refused(bad: list) -> None:
    with pytest.raises((ValueError, TypeError)):
        combine.Combiner({"version": "bad", "features": ["a", "b"], "trees": bad,
                          "baseline": 0.0, "shift": 0.0})
