"""The cold-start shortcuts of issue 15 change no verdict: a detector read from the built cache
judges as one built afresh, the one-text model in Python scores as numpy does (bit for bit),
and a text judged alone gets what it gets in a batch. On the hand-written set (tracked); the
real corpus is compared by ``tools/verdict_snapshot.py``."""

from __future__ import annotations

import copy
from array import array
from pathlib import Path

import orjson
import pytest

from netral.detect import built, model_cache, model_small
from netral.detect.detector import Detector
from netral.detect.model_features import top_spans
from netral.detect.request import Request
from netral.packs import load_packs

DEV = Path(__file__).resolve().parents[2] / "data" / "eval" / "dev.jsonl"


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return [orjson.loads(x) for x in DEV.read_bytes().splitlines() if x.strip()]


def _digest(res) -> dict:
    return res.to_dict()


def _fresh_detector(cache: Path, monkeypatch) -> Detector:
    monkeypatch.setenv("NETRAL_CACHE_DIR", str(cache))
    return Detector(load_packs())


def test_cached_detector_judges_as_a_fresh_one(rows, tmp_path, monkeypatch) -> None:
    built_fresh = _fresh_detector(tmp_path / "c", monkeypatch)  # builds and writes the cache
    built_fresh.model  # noqa: B018 (loads the model: writes its cache file)
    files = sorted(p.name.split("-")[0] for p in (tmp_path / "c" / "detector").iterdir())
    assert files == ["knowledge", "model"]
    cached = _fresh_detector(tmp_path / "c", monkeypatch)  # reads it
    assert isinstance(cached.model, model_small.TextModel)
    assert cached.model._numpy is None  # nothing loaded numpy's weights yet
    assert cached.lexicon._keys == built_fresh.lexicon._keys
    assert cached.lexicon._trigger_list == built_fresh.lexicon._trigger_list
    assert cached.kb._regions == built_fresh.kb._regions
    assert cached.normaliser.vocab == built_fresh.normaliser.vocab
    reqs = [Request(r["text"], r.get("kind") or "post") for r in rows]
    a = [_digest(x) for x in built_fresh.judge_many(reqs)]  # batches: numpy
    b = [_digest(cached.judge_many([q])[0]) for q in reqs]  # one at a time: Python
    assert a == b


def test_one_text_model_scores_as_numpy_bit_for_bit(rows, tmp_path, monkeypatch) -> None:
    _fresh_detector(tmp_path / "c", monkeypatch).model  # noqa: B018 (writes the cache)
    det = _fresh_detector(tmp_path / "c", monkeypatch)
    model = det.model
    assert isinstance(model, model_small.TextModel)
    nts = [nt for nt in (det.normaliser.normalise(r["text"]) for r in rows) if nt.tokens]
    python = [model_small.expit32(model.small.decision(nt, model.mask, model.char, model.cross))
              for nt in nts]
    assert model._numpy is None
    batch = model.numpy_model.predict_many(nts)
    assert python == batch
    # the one-text model's explanation (its full vocabulary, by bisection) is numpy's (the
    # n-grams it can pick only), which the one-text model defers to once numpy is loaded
    small = [top_spans(nt, model.small.vocab, model.small.coef, model.mask) for nt in nts]
    assert any(small)
    assert small == [model.numpy_model.explain(nt) for nt in nts]
    assert small == [model.explain(nt) for nt in nts]
    # a count beyond the log table goes to numpy
    monkeypatch.setattr(model_small, "LOG_TF", 2)
    assert any(model.small.decision(nt, model.mask, model.char, model.cross) is None for nt in nts[:50])


def test_a_long_lived_process_switches_to_numpy(tmp_path, monkeypatch) -> None:
    _fresh_detector(tmp_path / "c", monkeypatch).model  # noqa: B018 (writes the cache)
    model = _fresh_detector(tmp_path / "c", monkeypatch).model
    nt = Detector(load_packs()).normaliser.normalise("Ayo coblos nomor 2, lanjutkan!")
    first = [model.predict(nt) for _ in range(model_small.WARM_AFTER)]
    assert model._numpy is None  # a cold check stays in Python
    assert model.predict(nt) == first[0] and model._numpy is not None


def test_a_corrupt_or_foreign_cache_file_is_rebuilt(tmp_path, monkeypatch) -> None:
    det = _fresh_detector(tmp_path / "c", monkeypatch)
    det.model  # noqa: B018
    expected = det.check("Ayo coblos nomor 2, lanjutkan! #PrabowoGibran").to_dict()
    for f in (tmp_path / "c" / "detector").iterdir():
        f.write_bytes(b'{"key": "' + f.name.encode() + b'", "data": {"keys": 1}}')
    again = _fresh_detector(tmp_path / "c", monkeypatch)
    assert again.check("Ayo coblos nomor 2, lanjutkan! #PrabowoGibran").to_dict() == expected
    model_file = next((tmp_path / "c" / "detector").glob("model-*"))
    assert model_file.suffix == ".bin"  # the model's own layout (model_cache.pack)
    good = model_file.read_bytes()
    start = len(model_cache.MAGIC) + 4  # then the header's length, little endian
    key = orjson.loads(good[start:start + int.from_bytes(good[start - 4:start], "little")])["key"]
    fields, small = model_cache.unpack(good, key)
    assert model_cache.unpack(good, "another key") is None
    assert model_cache.unpack(good[:-4], key) is None  # cut short
    assert model_cache.unpack(good + b"\0" * 8, key) is None  # trailing bytes
    short = {**small, "word_coef": array("f", [1.0])}  # arrays that do not fit each other
    assert model_cache.unpack(model_cache.pack(key, fields, short), key) is None
    for bad in (model_cache.pack(key, fields, short), good[:len(good) // 2],
                model_cache.pack(key, {"mask": 1, "meta": {}}, small)):
        model_file.write_bytes(bad)
        again = _fresh_detector(tmp_path / "c", monkeypatch)
        assert again.check("Ayo coblos nomor 2, lanjutkan! #PrabowoGibran").to_dict() == expected
        assert model_file.read_bytes() == good  # written again, whole
    for f in (tmp_path / "c" / "detector").iterdir():
        f.write_bytes(b"\x80not json")
    assert _fresh_detector(tmp_path / "c", monkeypatch).check(
        "Ayo coblos nomor 2, lanjutkan! #PrabowoGibran").to_dict() == expected


def test_packs_built_in_memory_are_not_cached() -> None:
    pack = copy.copy(load_packs()[0])  # the same data, not read from files
    assert built.key_for("knowledge", [pack]) is None
