"""Executor-side code of the Spark engine: runs inside Spark's Python worker processes.

Only ``pyarrow`` and ``netral.scale.rows`` are needed here (no pyspark import), so the functions can
also be exercised in plain Python. Spark calls :func:`scan_batches` through ``mapInArrow`` with an
iterator of Arrow record batches (one partition); every batch goes through the very same
``netral.scale.rows.process_records`` as the local engine (which calls it on chunks of records).

The detector is built lazily, once per Python worker process and pack set, and kept in the
module-level cache ``_DETECTORS``; Spark reuses its Python workers across tasks
(``spark.python.worker.reuse``, on by default), so a long job builds it once per executor core.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import pyarrow as pa

from netral.scale.rows import ROW_FIELDS, process_records, result_row

# Longest raw text kept for a malformed input line in the ``rejected/`` output.
MAX_RAW_CHARS = 2_000

# Input columns handed to the worker (all strings; missing ones are null).
INPUT_FIELDS = ["id", "text", "kind", "created_at", "author", "agency", "target", "account",
                "employee"]
# Extra output columns, dropped before the rows are written:
#   agency  - kept for the per-agency summary (not part of the scan row schema)
#   _raw    - raw text of a malformed input line (then every row field is null)
#   _source - file the record came from (for the rejected/ output)
EXTRA_FIELDS = ["agency", "_raw", "_source"]
CORRUPT_COLUMN = "_corrupt_record"
SOURCE_COLUMN = "_source"

REASON_TYPE = pa.struct(
    [
        pa.field("category", pa.string()),
        pa.field("start", pa.int64()),
        pa.field("end", pa.int64()),
        pa.field("text", pa.string()),
        pa.field("target", pa.string()),
        pa.field("rule", pa.string()),
    ]
)

# Arrow schema of one scan row: exactly ``netral.scale.rows.ROW_FIELDS`` in order.
ROW_ARROW_FIELDS = {
    "id": pa.string(),
    "verdict": pa.string(),
    "score": pa.float64(),
    "kind": pa.string(),
    "created_at": pa.string(),
    "author": pa.string(),
    "targets": pa.list_(pa.string()),
    "categories": pa.list_(pa.string()),
    "rules": pa.list_(pa.string()),
    "reasons": pa.list_(REASON_TYPE),
    "error": pa.string(),
}
assert list(ROW_ARROW_FIELDS) == ROW_FIELDS, "scan row schema changed: update netral.scale"

OUTPUT_SCHEMA = pa.schema(
    [pa.field(name, typ) for name, typ in ROW_ARROW_FIELDS.items()]
    + [pa.field(name, pa.string()) for name in EXTRA_FIELDS]
)

# pack-set key -> detector; one per Python worker process.
_DETECTORS: dict[Any, Any] = {}
# How many detectors this process has built (tests and the benchmark read it).
BUILD_COUNT = {"n": 0}


def packs_key(packs: Sequence[str] | str | None) -> tuple[str, ...] | None:
    """A hashable, order-independent key for a pack selection (None = every shipped pack)."""
    if packs is None:
        return None
    if isinstance(packs, str):
        packs = [p for p in packs.split(",") if p.strip()]
    return tuple(sorted({p.strip() for p in packs}))


def get_detector(packs: tuple[str, ...] | None, factory: Callable[[Any], Any] | None = None) -> Any:
    """The detector for ``packs`` in this process, built on first use and cached."""
    key = (packs, None if factory is None else f"{factory.__module__}.{factory.__qualname__}")
    det = _DETECTORS.get(key)
    if det is None:
        if factory is None:
            from netral.detect.detector import get_detector

            factory = get_detector
        det = factory(None if packs is None else list(packs))
        _DETECTORS[key] = det
        BUILD_COUNT["n"] += 1
    return det


def _malformed_row(raw: str, source: str | None) -> dict[str, Any]:
    row = result_row({}, None, "malformed")
    row.update(kind=None, agency=None, _raw=raw[:MAX_RAW_CHARS], _source=source)
    return row


def _reparse_csv(raw: str, header: Sequence[str], delimiter: str) -> dict[str, Any] | None:
    """A CSV record Spark marked corrupt, read again the way ``csv.DictReader`` (the local
    engine) reads it: too few cells -> missing fields are None; too many -> malformed."""
    try:
        parsed = list(csv.reader(io.StringIO(raw, newline=""), delimiter=delimiter))
    except csv.Error:
        return None
    if len(parsed) != 1 or len(parsed[0]) > len(header):
        return None
    cells = parsed[0]
    return {name: (cells[k] if k < len(cells) else None) for k, name in enumerate(header)}


def _one_by_one(records: list[dict[str, Any]], detector: Any, use_model: bool,
                boilerplate: tuple[str, ...]) -> list[dict]:
    rows = []
    for rec in records:
        try:
            rows.append(process_records([rec], detector, use_model=use_model,
                                        boilerplate=boilerplate)[0])
        except Exception as exc:  # a detector bug must not kill a job of millions of rows
            rows.append(result_row(rec, None, f"internal_error: {type(exc).__name__}"))
    return rows


def scan_records(
    records: list[dict[str, Any]],
    detector: Any,
    *,
    use_model: bool = True,
    csv_header: Sequence[str] | None = None,
    csv_delimiter: str = ",",
    boilerplate: tuple[str, ...] = (),
) -> list[dict[str, Any]]:
    """Input records (as Spark hands them over) -> output rows (scan row fields + extras),
    through ``netral.scale.rows.process_records`` exactly as the local engine. Never raises."""
    out: list[dict[str, Any] | None] = [None] * len(records)
    todo_idx: list[int] = []
    todo: list[dict[str, Any]] = []
    for i, rec in enumerate(records):
        raw = rec.get(CORRUPT_COLUMN)
        if raw is not None:
            parsed = _reparse_csv(raw, csv_header, csv_delimiter) if csv_header else None
            if parsed is None:
                out[i] = _malformed_row(raw, rec.get(SOURCE_COLUMN))
                continue
            rec = {**parsed, SOURCE_COLUMN: rec.get(SOURCE_COLUMN)}
        clean = {k: v for k, v in rec.items() if k not in (CORRUPT_COLUMN, SOURCE_COLUMN)}
        todo_idx.append(i)
        todo.append(clean)
        records[i] = rec
    try:
        rows = process_records(todo, detector, use_model=use_model, boilerplate=boilerplate)
    except Exception:  # isolate the record that breaks the batch
        rows = _one_by_one(todo, detector, use_model, boilerplate)
    for i, row in zip(todo_idx, rows, strict=True):
        row["agency"] = records[i].get("agency")
        row["_raw"] = None
        row["_source"] = records[i].get(SOURCE_COLUMN)
        out[i] = row
    return out  # type: ignore[return-value]


def _rows_to_batch(rows: list[dict[str, Any]]) -> pa.RecordBatch:
    return pa.RecordBatch.from_pylist(rows, schema=OUTPUT_SCHEMA)


def scan_batches(
    batches: Iterable[pa.RecordBatch],
    packs: tuple[str, ...] | None = None,
    factory: Callable[[Any], Any] | None = None,
    use_model: bool = True,
    csv_header: Sequence[str] | None = None,
    csv_delimiter: str = ",",
    boilerplate: tuple[str, ...] = (),
) -> Iterator[pa.RecordBatch]:
    """``mapInArrow`` function: scan every record of one partition, one Arrow batch at a time
    (one model call per batch)."""
    detector = None
    for batch in batches:
        if batch.num_rows == 0:
            continue
        if detector is None:  # lazily: empty partitions never build a detector
            detector = get_detector(packs, factory)
        rows = scan_records(
            batch.to_pylist(),
            detector,
            use_model=use_model,
            csv_header=csv_header,
            csv_delimiter=csv_delimiter,
            boilerplate=boilerplate,
        )
        yield _rows_to_batch(rows)


def noop_batches(batches: Iterable[pa.RecordBatch], **_ignored: Any) -> Iterator[pa.RecordBatch]:
    """``mapInArrow`` function with the same input/output as :func:`scan_batches` but no
    detection: measures the cost of the Python/JVM boundary (Arrow transfer, Python rows)."""
    for batch in batches:
        if batch.num_rows == 0:
            continue
        rows = []
        for rec in batch.to_pylist():
            row = dict.fromkeys(OUTPUT_SCHEMA.names)
            row.update(targets=[], categories=[], rules=[], reasons=[])
            row["id"] = rec.get("id")
            rows.append(row)
        yield _rows_to_batch(rows)


def worker_info(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """``mapInArrow`` probe: which process ran a partition and how many detectors it built."""
    for _ in batches:
        pass
    yield pa.RecordBatch.from_pylist(
        [{"pid": os.getpid(), "builds": BUILD_COUNT["n"]}],
        schema=pa.schema([("pid", pa.int64()), ("builds", pa.int64())]),
    )
