"""The executor-side functions in plain Python (no Spark): schema, bad rows, detector cache."""

from __future__ import annotations

import pytest

pa = pytest.importorskip("pyarrow", reason="pyarrow missing: install the 'spark' extra")

from scale_cases import mixed_records  # noqa: E402

from netral.scale import worker  # noqa: E402
from netral.scale.rows import ROW_FIELDS, process_record  # noqa: E402
from netral.scale.synth import generate_posts  # noqa: E402


def _strings(record):
    """Spark hands the worker every input field as a string (or null)."""
    return {k: (None if v is None else str(v)) for k, v in record.items()}


def _batch(records):
    cols = {name: [] for name in [*worker.INPUT_FIELDS, worker.CORRUPT_COLUMN, "_source"]}
    for rec in records:
        for name in cols:
            value = rec.get(name)
            cols[name].append(None if value is None else str(value))
    return pa.RecordBatch.from_pydict(cols)


def test_scan_batches_matches_process_record(detector):
    records = [_strings(r) for r in mixed_records(40)]
    batches = [_batch(records[:30]), _batch([]), _batch(records[30:])]
    out = list(worker.scan_batches(iter(batches), packs=None))
    assert all(b.schema == worker.OUTPUT_SCHEMA for b in out)
    rows = [r for b in out for r in b.to_pylist()]
    assert len(rows) == len(records)
    for rec, row in zip(records, rows, strict=True):
        assert {k: row[k] for k in ROW_FIELDS} == process_record(rec, detector)
        assert row["agency"] == rec.get("agency")
        assert row["_raw"] is None


def test_detector_cached_per_process_and_pack_set():
    first = worker.get_detector(None)
    assert worker.get_detector(None) is first
    assert worker.packs_key("pemilu-2024, pemilu-2019") == ("pemilu-2019", "pemilu-2024")
    assert worker.packs_key(["b", "a", "a"]) == ("a", "b")
    assert worker.packs_key(None) is None


def test_malformed_line_becomes_rejected_row(detector):
    batch = _batch([{worker.CORRUPT_COLUMN: '{"text": "broken', "_source": "file:/x.jsonl"}])
    (row,) = next(worker.scan_batches(iter([batch]))).to_pylist()
    assert row["error"] == "malformed"
    assert row["_raw"] == '{"text": "broken'
    assert row["_source"] == "file:/x.jsonl"
    assert row["verdict"] is None and row["reasons"] == []


def test_detector_crash_on_one_row_is_isolated_and_counted(detector):
    def fragile_factory(packs):  # fault injection: a detector bug triggered by one text
        import netral

        real = netral.get_detector(packs)

        class Fragile:
            def judge_many(self, requests, **kw):
                if any("BOOM" in r.text for r in requests):
                    raise RuntimeError("bug")
                return real.judge_many(requests, **kw)

        return Fragile()

    records = [
        {"id": "1", "text": "Ayo coblos nomor 2"},
        {"id": "2", "text": "BOOM"},
        {"id": "3", "text": "Selamat pagi"},
    ]
    out = next(worker.scan_batches(iter([_batch(records)]), factory=fragile_factory))
    rows = out.to_pylist()
    assert rows[1]["error"] == "internal_error: RuntimeError" and rows[1]["verdict"] is None
    for i in (0, 2):
        assert {k: rows[i][k] for k in ROW_FIELDS} == process_record(records[i], detector)


def test_noop_batches_keep_schema_and_count():
    records = [_strings(r) for r in generate_posts(50)]
    out = list(worker.noop_batches(iter([_batch(records)])))
    assert out[0].schema == worker.OUTPUT_SCHEMA
    assert out[0].column("id").to_pylist() == [r["id"] for r in records]


@pytest.mark.parametrize("seed", [1, 2])
def test_synth_is_deterministic_and_mixed(seed):
    a = list(generate_posts(500, seed=seed))
    assert a == list(generate_posts(500, seed=seed))
    texts = [r["text"] for r in a]
    assert any(isinstance(t, str) and "coblos" in t.lower() for t in texts)
    assert len({r["author"] for r in a}) > 100
