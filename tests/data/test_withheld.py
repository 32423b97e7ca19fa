"""Withheld rows (data/corpus/withheld.jsonl): corpus rows whose text overlaps a reserved dataset
keep their ids and labels but are in no split, so that none reaches training (real_train.jsonl,
the combiner, the model, the domain), dev, test, LOSO or `netral eval`. The texts here are
made up for the tests (not from any source)."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import orjson
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools" / "corpus"))

import collect  # noqa: E402
import merge_passes  # noqa: E402
import rebuild  # noqa: E402
import texts  # noqa: E402
import withhold  # noqa: E402

CORPUS = ROOT / "data" / "corpus"
KEPT = "Pagi ini saya sarapan nasi uduk dekat kantor kecamatan"
HELD = "Debat malam ini seru sekali jangan lupa datang ke TPS tanggal lima belas ya"


def _rows(path: Path) -> list[dict]:
    return [orjson.loads(x) for x in path.read_bytes().splitlines() if x.strip()]


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    return path


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# ---- the committed list and labels.jsonl ----------------------------------------------------


def test_the_list_holds_ids_sources_and_reasons_only():
    listed = _rows(CORPUS / "withheld.jsonl")
    assert listed
    drawn = {r["id"]: r["source"] for r in _rows(CORPUS / "labels.jsonl")}
    drawn.update({r["id"]: r["source"] for r in _rows(CORPUS / "unlabelled.jsonl")})
    for r in listed:
        assert set(r) == {"id", "source", "reason"}, r  # never a text
        assert r["reason"] in texts.WITHHELD_REASONS, r
        assert drawn[r["id"]] == r["source"], r
    numbers = [int(r["id"].split("-")[1]) for r in listed]
    assert numbers == sorted(set(numbers))


def test_labels_put_exactly_the_withheld_rows_in_no_split():
    withheld = texts.withheld_ids()
    for r in _rows(CORPUS / "labels.jsonl"):
        assert (r["split"] == texts.WITHHELD_SPLIT) == (r["id"] in withheld), r["id"]


def test_rebuilt_files_hold_no_withheld_row_in_a_split():
    """On the rebuilt corpus and training file where they are here (ids and splits only)."""
    withheld = texts.withheld_ids()
    here = [p for p in (texts.CORPUS, rebuild.REAL_TRAIN) if p.is_file()]
    if not here:
        pytest.skip("LOUD SKIP: corpus.jsonl and real_train.jsonl are not rebuilt here")
    for path in here:
        rows = _rows(path)
        texts.check_withheld(rows, path)  # raises on a stale file
        if path == rebuild.REAL_TRAIN:
            assert not {r["id"] for r in rows} & withheld


# ---- the rule: collect.py's own functions ----------------------------------------------------


def test_reserved_reason_is_the_draws_rule():
    exact = {_sha(collect.dedup_key("RT @a: " + HELD + " https://t.co/x"))}
    assert withhold.reserved_reason(HELD, exact) == "reserved_exact"
    loose = {collect.LOOSE + _sha(collect.loose_key("USER " + HELD + " URL"))}
    assert withhold.reserved_reason("@someone " + HELD, loose) == "reserved_loose"
    near = {collect.NEAR + h for h in collect.near_hashes(HELD + " kawan kawan semua")}
    assert withhold.reserved_reason(HELD + " ok", near) == "reserved_near"
    assert withhold.reserved_reason(KEPT, exact | loose | near) is None


def test_the_list_only_grows(tmp_path: Path, capsys):
    pool = _write(
        tmp_path / "pool.jsonl",
        [
            {"id": "real-00001", "source": "s", "text": KEPT},
            {"id": "real-00002", "source": "s", "text": HELD},
        ],
    )
    keys = {collect.NEAR + h for h in collect.near_hashes(HELD)} | {collect.LOOSE + "0" * 64}
    key_file = tmp_path / "keys"
    key_file.write_text("\n".join(sorted(keys)) + "\n")
    out = _write(
        tmp_path / "withheld.jsonl", [{"id": "real-00003", "source": "t", "reason": "reserved_exact"}]
    )
    assert (
        withhold.main(["--exclude-keys", str(key_file), "--pool", str(pool), "--out", str(out), "--check"])
        == 1
    )
    assert withhold.main(["--exclude-keys", str(key_file), "--pool", str(pool), "--out", str(out)]) == 0
    assert _rows(out) == [
        {"id": "real-00002", "source": "s", "reason": "reserved_near"},
        {"id": "real-00003", "source": "t", "reason": "reserved_exact"},
    ]
    assert HELD not in capsys.readouterr().out  # counts, never a text
    key_file.write_text(collect.LOOSE + "0" * 64 + "\n")  # no 3-grams: refused
    with pytest.raises(SystemExit):
        withhold.main(["--exclude-keys", str(key_file), "--pool", str(pool), "--out", str(out)])


# ---- merge, rebuild, readers --------------------------------------------------------------------


def test_merge_gives_a_withheld_row_no_split(tmp_path: Path):
    dev = sorted(merge_passes.DEV_SOURCES)[0]
    test = sorted(merge_passes.TEST_SOURCES)[0]
    held = frozenset({"real-00002", "real-00003", "real-00004"})
    assert merge_passes.split_of("any-training-source", "real-00001", held) == "train"
    for i, source in (("real-00002", "any-training-source"), ("real-00003", dev), ("real-00004", test)):
        assert merge_passes.split_of(source, i, held) == texts.WITHHELD_SPLIT
    pool = [{"id": "real-00001", "source": "s"}]
    good = _write(tmp_path / "w.jsonl", [{"id": "real-00001", "source": "s", "reason": "reserved_near"}])
    assert merge_passes.read_withheld(pool, good) == {"real-00001"}
    for bad in (
        {"id": "real-00001", "source": "other", "reason": "reserved_near"},
        {"id": "real-00001", "source": "s", "reason": "looks_similar"},
        {"id": "real-09999", "source": "s", "reason": "reserved_near"},
    ):
        with pytest.raises(SystemExit):
            merge_passes.read_withheld(pool, _write(tmp_path / "w.jsonl", [bad]))


@pytest.fixture
def world(tmp_path: Path, git_snapshot):
    commit = git_snapshot(tmp_path / "mirror", "t", [KEPT, HELD])
    src = {
        "id": "s",
        "repo": "o/r",
        "commit": commit,
        "path": "f.csv",
        "format": "csv",
        "text": "t",
        "licence": "none",
        "election": "x",
        "cap": 2,
    }
    (tmp_path / "sources.yaml").write_text(yaml.safe_dump({"sources": [src]}), encoding="utf-8")
    labels = [
        {
            "id": f"real-0000{n}",
            texts.HASH: _sha(t),
            "label": "kampanye",
            "split": split,
            "source": "s",
            "repo": "o/r",
            "commit": commit,
            "path": "f.csv",
            "row": str(n + 1),
            "url": None,
            "licence": "none",
            "election": "x",
            texts.POOL_DATE: None,
        }
        for n, t, split in ((1, KEPT, "train"), (2, HELD, texts.WITHHELD_SPLIT))
    ]
    _write(tmp_path / "withheld.jsonl", [{"id": "real-00002", "source": "s", "reason": "reserved_near"}])
    return tmp_path, labels


def _run_rebuild(tmp: Path, labels: list[dict]) -> int:
    _write(tmp / "labels.jsonl", labels)
    return rebuild.main(
        [
            "--mirror",
            str(tmp / "mirror"),
            "--labels",
            str(tmp / "labels.jsonl"),
            "--sources",
            str(tmp / "sources.yaml"),
            "--resourced",
            str(tmp / "none"),
            "--unlabelled",
            str(tmp / "none"),
            "--withheld",
            str(tmp / "withheld.jsonl"),
            "--out",
            str(tmp / "corpus.jsonl"),
            "--pool",
            str(tmp / "pool.jsonl"),
            "--real-train",
            str(tmp / "real_train.jsonl"),
        ]
    )


def test_rebuild_keeps_a_withheld_row_out_of_training(world):
    tmp, labels = world
    assert _run_rebuild(tmp, labels) == 0
    assert [r["id"] for r in _rows(tmp / "real_train.jsonl")] == ["real-00001"]
    corpus = {r["id"]: r for r in _rows(tmp / "corpus.jsonl")}  # the id stays, verified as any other
    assert corpus["real-00002"]["split"] == texts.WITHHELD_SPLIT
    assert len(_rows(tmp / "pool.jsonl")) == 2


def test_rebuild_refuses_labels_merged_before_the_list(world):
    tmp, labels = world
    labels[1]["split"] = "train"
    with pytest.raises(SystemExit):
        _run_rebuild(tmp, labels)
    assert not (tmp / "real_train.jsonl").exists()


def test_corpus_readers_refuse_a_corpus_older_than_the_list(tmp_path: Path, monkeypatch):
    held = {"real-00002"}
    fresh = [
        {"id": "real-00001", "split": "train", "label": "netral"},
        {"id": "real-00002", "split": texts.WITHHELD_SPLIT, "label": "netral"},
    ]
    texts.check_withheld(fresh, "corpus.jsonl", held)
    texts.check_withheld([{"id": "real-00002", "source": "s", "text": "x"}], "pool.jsonl", held)  # pool
    for split in ("train", "dev", "test"):
        with pytest.raises(SystemExit):
            texts.check_withheld([{"id": "real-00002", "split": split, "label": "netral"}], "c", held)
    with pytest.raises(SystemExit):  # a training file (no split) holding one
        texts.check_withheld([{"id": "real-00002", "text": "x", "label": "netral"}], "real_train", held)
    # read_corpus, which train_combiner, model_lab, the screens and report.py read through
    monkeypatch.setattr(
        texts,
        "WITHHELD",
        _write(tmp_path / "w.jsonl", [{"id": "real-00002", "source": "s", "reason": "reserved_near"}]),
    )
    stale = _write(tmp_path / "corpus.jsonl", [{"id": "real-00002", "split": "train", "label": "netral"}])
    with pytest.raises(SystemExit):
        texts.read_corpus(stale)


def test_eval_never_counts_a_withheld_row(tmp_path: Path):
    """`netral eval --split` and report.py select rows here (no detector is run)."""
    from netral.detect.evaluation import EvalError, select_rows

    rows = [
        {"id": "a", "text": KEPT, "label": "netral", "split": "dev"},
        {"id": "b", "text": HELD, "label": "kampanye", "split": texts.WITHHELD_SPLIT},
        {"id": "c", "text": HELD, "label": "kampanye", "split": "dev"},  # listed beside the file
        {"id": "d", "text": KEPT, "label": "netral", "split": "test"},
    ]
    path = _write(tmp_path / "corpus.jsonl", rows)
    _write(tmp_path / "withheld.jsonl", [{"id": "c", "source": "s", "reason": "reserved_near"}])
    assert [r["id"] for r in select_rows(path)] == ["a", "d"]
    assert [r["id"] for r in select_rows(path, "dev")] == ["a"]
    with pytest.raises(EvalError):
        select_rows(path, texts.WITHHELD_SPLIT)


def test_training_refuses_a_real_train_with_a_withheld_row(tmp_path: Path, monkeypatch):
    from netral.detect import model, model_train

    real = _write(
        tmp_path / "real_train.jsonl",
        [
            {"id": "real-00001", "text": KEPT, "label": "netral", "source": "s"},
            {"id": "real-00002", "text": HELD, "label": "kampanye", "source": "s"},
        ],
    )
    monkeypatch.setattr(model, "REAL_TRAIN", real)
    monkeypatch.setattr(model, "WITHHELD", tmp_path / "withheld.jsonl")
    assert model.withheld_in_real_train() == []  # no list beside it
    _write(tmp_path / "withheld.jsonl", [{"id": "real-00002", "source": "s", "reason": "reserved_near"}])
    assert model.withheld_in_real_train() == ["real-00002"]
    monkeypatch.setattr(model_train, "real_rows", lambda: [(KEPT, 0)])

    def trained() -> str:
        raise AssertionError("training went on with a withheld row")

    monkeypatch.setattr(model_train, "rows_digest", trained)
    with pytest.raises(SystemExit, match="withheld"):
        model_train.write_weights(tmp_path / "model.npz")
