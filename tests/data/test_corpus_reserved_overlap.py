"""The reserved-overlap checks of tools/corpus/collect.py: a text that a reserved dataset
re-publishes with placeholders, JSON escapes or a small edit is dropped, and key files without
the looser keys leave the draw as it was (earlier batches are reproduced from them)."""

from __future__ import annotations

import hashlib
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools" / "corpus"))

import collect  # noqa: E402

# made-up texts (not from any source): an original and the way a re-publisher rewrote it
ORIGINAL = (
    "@warga_kota Debat malam ini seru, jangan lupa nyoblos tanggal 15 ya https://t.co/abc123 \U0001f602"
)
REPUBLISHED = "USER debat malam ini seru, jangan lupa nyoblos tanggal 15 ya URL \\ud83d\\ude02"
ESCAPED = "Debat malam ini seru, jangan lupa nyoblos tanggal 15 ya https:\\/\\/t.co\\/abc123"
EDITED = "debat malam ini seru banget jangan lupa nyoblos tanggal 15 ya kawan kawan"


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_loose_key_matches_placeholder_and_escaped_copies() -> None:
    assert collect.dedup_key(ORIGINAL) != collect.dedup_key(REPUBLISHED)  # the exact key misses it
    assert collect.loose_key(ORIGINAL) == collect.loose_key(REPUBLISHED)
    assert collect.loose_key(ESCAPED) == collect.loose_key(ORIGINAL)


def test_near_reserved_catches_an_edited_copy_only() -> None:
    reserved = {collect.NEAR + h for h in collect.near_hashes(EDITED)}
    assert collect.near_reserved(ORIGINAL, reserved)
    assert not collect.near_reserved("Harga cabai naik lagi di pasar pagi ini, ibu-ibu mengeluh", reserved)


def _draw(tmp_path: Path, commit: str, excluded: set[str], **extra: object) -> tuple[list[str], Counter]:
    src = {"id": "s", "repo": "o/r", "commit": commit, "path": "f.csv", "format": "csv", "text": "t",
           "licence": "none", "election": "x", "cap": 10, **extra}
    st: Counter = Counter()
    kept = collect.sample_source(tmp_path, src, random.Random(1), excluded, set(), collect.NearDupIndex(), st)
    return [k["text"] for k in kept], st


def test_collect_drops_loose_and_near_copies_only_when_asked(tmp_path: Path, git_snapshot) -> None:
    commit = git_snapshot(tmp_path, "t", [ORIGINAL, "Pagi ini saya sarapan nasi uduk dekat kantor"])
    loose = {collect.LOOSE + _sha(collect.loose_key(REPUBLISHED))}
    kept, st = _draw(tmp_path, commit, loose)
    assert ORIGINAL not in kept and st["in_reserved_loose"] == 1
    # a key file of exact keys only (as for batches 1-5): the same draw as before the change
    kept, st = _draw(tmp_path, commit, {_sha(collect.dedup_key("some other reserved text here"))})
    assert ORIGINAL in kept and st["in_reserved_loose"] == 0
    near = {collect.NEAR + h for h in collect.near_hashes(EDITED)}
    kept, _ = _draw(tmp_path, commit, near)
    assert ORIGINAL in kept  # the near check is for sources marked reserved_near only
    kept, st = _draw(tmp_path, commit, near, reserved_near=True)
    assert ORIGINAL not in kept and st["in_reserved_near"] == 1


def test_reserved_near_on_a_later_draw_leaves_the_earlier_draws_as_they_were() -> None:
    more = [{"batch": 3, "cap": 2}, {"batch": 9, "cap": 4, "reserved_near": True}]
    src = {"id": "s", "cap": 5, "more": more}
    plan = collect.batch_plan({"sources": [src]})
    assert [(s.get("reserved_near"), cap) for s, cap in plan[1] + plan[3]] == [(None, 5), (None, 2)]
    later, cap = plan[9][0]
    assert later["reserved_near"] is True and cap == 4 and later["id"] == "s"
    assert "reserved_near" not in src  # the source itself (and so every earlier draw) is unchanged
