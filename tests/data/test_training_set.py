"""The shipped training corpus for the statistical model: valid, balanced, reproducible and
independent of the dev set.

The dev set (data/eval/dev.jsonl) is only compared here, never used to build training data.
"""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TRAIN = ROOT / "src" / "netral" / "detect" / "data" / "train.jsonl"
DEV = ROOT / "data" / "eval" / "dev.jsonl"
BUILDER = ROOT / "tools" / "build_training_set.py"
HANDWRITTEN = ROOT / "tools" / "training_handwritten.jsonl"
LABELS = {"kampanye", "netral"}


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def _load_builder():
    spec = importlib.util.spec_from_file_location("build_training_set", BUILDER)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    out = []
    with TRAIN.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            assert line.strip(), f"{TRAIN}:{lineno}: empty line"
            obj = json.loads(line)
            assert isinstance(obj, dict), f"{TRAIN}:{lineno}: not an object"
            out.append(obj)
    return out


def test_rows_are_well_formed(rows: list[dict]) -> None:
    for i, r in enumerate(rows, 1):
        assert set(r) == {"text", "label", "source", "group"}, f"row {i}: keys {sorted(r)}"
        assert isinstance(r["text"], str) and r["text"].strip(), f"row {i}: empty text"
        assert r["text"] == r["text"].strip(), f"row {i}: untrimmed text"
        assert r["label"] in LABELS, f"row {i}: label {r['label']!r}"
        assert r["source"] == "handwritten" or r["source"].startswith("template:"), r["source"]
        assert r["group"], f"row {i}: empty group"


def test_size_and_balance(rows: list[dict]) -> None:
    assert len(rows) >= 3000
    share = Counter(r["label"] for r in rows)["kampanye"] / len(rows)
    assert 0.40 <= share <= 0.60, f"kampanye share {share:.1%}"


def test_no_duplicate_texts(rows: list[dict]) -> None:
    counts = Counter(_key(r["text"]) for r in rows)
    dups = [k for k, n in counts.items() if n > 1]
    assert not dups, f"{len(dups)} duplicate texts, e.g. {dups[:3]}"


def test_handwritten_part_is_present(rows: list[dict]) -> None:
    hand = [r for r in rows if r["source"] == "handwritten"]
    assert len(hand) >= 400
    assert {r["label"] for r in hand} == LABELS


def test_hard_negatives_and_obfuscated_rows_on_both_sides(rows: list[dict]) -> None:
    # ambiguous words occur in both classes, so none of them alone decides the label
    for word in ("aamiin", "gemoy", "sat set", "lanjutkan", "perubahan", "✌"):
        labels = {r["label"] for r in rows if word in r["text"].casefold()}
        assert labels == LABELS, f"{word!r} only in {labels}"
    # obfuscation (leet, spacing, stretching, glued numbers) on both sides, at similar rates
    builder = _load_builder()
    for label in sorted(LABELS):
        texts = [r["text"] for r in rows if r["label"] == label]
        share = sum(builder.looks_obfuscated(t) for t in texts) / len(texts)
        assert 0.05 <= share <= 0.40, f"{label}: {share:.1%} obfuscated"


def test_generator_is_deterministic(tmp_path: Path) -> None:
    builder = _load_builder()
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert builder.main(["--out", str(first)]) == 0
    assert builder.main(["--out", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() == TRAIN.read_bytes(), (
        "shipped train.jsonl is stale: run `python tools/build_training_set.py`"
    )


def test_handwritten_file_is_valid() -> None:
    seen = set()
    with HANDWRITTEN.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            obj = json.loads(line)
            assert obj["label"] in LABELS, f"{HANDWRITTEN}:{lineno}"
            assert obj["text"].strip() and obj.get("group"), f"{HANDWRITTEN}:{lineno}"
            k = _key(obj["text"])
            assert k not in seen, f"{HANDWRITTEN}:{lineno}: duplicate"
            seen.add(k)


def test_no_overlap_with_dev_set(rows: list[dict]) -> None:
    if not DEV.exists():
        pytest.skip(f"{DEV} not present: nothing to compare")
    dev_keys = set()
    with DEV.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                text = json.loads(line).get("text")
                if isinstance(text, str):
                    dev_keys.add(_key(text))
    assert dev_keys, f"{DEV} holds no texts"
    # report only the training side (our own texts), never dump the dev file
    clash = [r["text"] for r in rows if _key(r["text"]) in dev_keys]
    assert not clash, f"{len(clash)} training texts also in the dev set: {clash[:10]}"


def test_training_md_counts_match_the_file(rows: list[dict]) -> None:
    builder = _load_builder()
    doc = builder.DOC.read_text(encoding="utf-8")
    assert "Apache-2.0" in doc and "data/eval/" in doc
    assert builder.doc_with_counts(doc, rows) == doc, (
        "TRAINING.md counts are stale: run `python tools/build_training_set.py`"
    )


def test_every_kind_of_example_is_covered(rows: list[dict]) -> None:
    required = {
        "kampanye": [
            "ajakan_memilih", "dukungan", "relawan", "slogan_tagar", "slogan_implisit",
            "berita_bertagar", "salam_gestur", "serangan", "kontra_salam4jari", "pasca_pemilu",
            "partai", "pilpres2019", "pilkada", "bahasa_daerah", "campur_inggris",
        ],
        "netral": [
            "info_kpu_bawaslu", "berita", "kedinasan", "pengingat_netralitas", "cek_fakta",
            "kutipan_penolakan", "seimbang_semua_paslon", "ajakan_sipil", "obrolan_pemilu",
            "ambigu_sehari_hari", "campur_inggris", "bio_profil",
        ],
    }  # fmt: skip
    counts = Counter((r["label"], r["group"]) for r in rows)
    for label, groups in required.items():
        for group in groups:
            assert counts[(label, group)] >= 50, f"{label}/{group}: {counts[(label, group)]} rows"
    # all 24 parties (18 national + 6 Aceh) get supportive examples
    party_rows = " ".join(r["text"].casefold() for r in rows if r["group"] == "partai")
    for name in ("pkb", "gerindra", "pdi", "golkar", "nasdem", "partai buruh", "gelora", "pks",
                 "pkn", "hanura", "garuda", "pan", "pbb", "demokrat", "psi", "perindo", "ppp",
                 "ummat", "pna", "gabthat", "darul aceh", "partai aceh", "pas aceh", "sira"):  # fmt: skip
        assert name in party_rows, name


def test_acceptance_examples_are_not_trained_on(rows: list[dict]) -> None:
    # the "done when" examples of issue 2 must stay independent checks of the detector
    examples = (
        "Ayo coblos nomor 2, lanjutkan! #PrabowoGibran",
        "Jadwal pemungutan suara 14 Februari 2024, jangan lupa datang ke TPS ya",
        "pr4b0w0 g1br4n no 2",
    )
    texts = [_key(r["text"]) for r in rows]
    for example in examples:
        assert not any(_key(example) in t for t in texts), example
