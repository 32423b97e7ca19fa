"""Integrity checks for the labelled development set ``data/eval/dev.jsonl``.

These tests look only at the data file; they never import the detector, so the set stays an
independent yardstick (see ``data/eval/README.md``).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

DEV_SET = Path(__file__).resolve().parents[2] / "data" / "eval" / "dev.jsonl"

LABELS = {"kampanye", "netral"}
KINDS = {"post", "comment", "share", "bio", "message"}
FIELDS = {"id", "text", "label", "kind", "group", "hard_negative", "target", "note"}
ID_RE = re.compile(r"^dev-\d{4}$")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.casefold()).strip()


@pytest.fixture(scope="module")
def records() -> list[dict]:
    assert DEV_SET.is_file(), f"missing {DEV_SET}"
    out = []
    with DEV_SET.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            assert line.strip(), f"{DEV_SET.name}:{lineno}: empty line"
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:  # pragma: no cover - reported via assert
                pytest.fail(f"{DEV_SET.name}:{lineno}: invalid JSON: {exc}")
            assert isinstance(rec, dict), f"{DEV_SET.name}:{lineno}: not a JSON object"
            out.append(rec)
    return out


def test_every_record_has_the_schema(records):
    for rec in records:
        where = rec.get("id", "?")
        assert set(rec) == FIELDS, f"{where}: fields {sorted(rec)}"
        assert ID_RE.match(rec["id"]), f"{where}: bad id"
        assert isinstance(rec["text"], str) and rec["text"].strip(), f"{where}: empty text"
        assert rec["label"] in LABELS, f"{where}: label {rec['label']!r}"
        assert rec["kind"] in KINDS, f"{where}: kind {rec['kind']!r}"
        assert isinstance(rec["group"], str) and rec["group"], f"{where}: group"
        assert isinstance(rec["hard_negative"], bool), f"{where}: hard_negative not bool"
        assert isinstance(rec["note"], str) and rec["note"].strip(), f"{where}: note"
        assert rec["target"] is None or isinstance(rec["target"], str), f"{where}: target"


def test_hard_negatives_and_targets_are_consistent(records):
    for rec in records:
        if rec["label"] == "netral":
            assert rec["target"] is None, f"{rec['id']}: netral item with a target"
        else:
            assert not rec["hard_negative"], f"{rec['id']}: kampanye marked hard negative"


def test_ids_are_unique(records):
    dupes = [i for i, n in Counter(r["id"] for r in records).items() if n > 1]
    assert not dupes, f"duplicate ids: {dupes}"


def test_texts_are_unique_ignoring_case_and_spacing(records):
    dupes = [t for t, n in Counter(_norm(r["text"]) for r in records).items() if n > 1]
    assert not dupes, f"duplicate texts: {dupes[:5]}"


def test_size_balance_and_hard_negatives(records):
    assert len(records) >= 600
    labels = Counter(r["label"] for r in records)
    share = labels["kampanye"] / len(records)
    assert 0.45 <= share <= 0.55, f"kampanye share {share:.3f} outside 45-55%"
    hard = sum(1 for r in records if r["hard_negative"])
    assert hard >= 250, f"only {hard} hard negatives"
