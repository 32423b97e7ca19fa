"""Streaming scan of many posts: one input record (dict) -> one output row (dict).

The same ``process_record`` is used by the local engine (``netral scan``) and by the Spark
engine, so both give identical rows.
"""

from __future__ import annotations

from typing import Any

from netral.detect.result import Result
from netral.kinds import MAX_TEXT_CHARS

# Columns of a scan output row, in order (CSV header).
ROW_FIELDS = [
    "id",
    "verdict",
    "score",
    "kind",
    "created_at",
    "author",
    "targets",
    "categories",
    "rules",
    "reasons",
    "error",
]

# MAX_TEXT_CHARS: longer texts are cut (and the row says so) to bound time and memory


def result_row(record: dict[str, Any], result: Result | None, error: str | None = None) -> dict:
    """Flatten a Result into the scan row schema (stable across engines)."""
    row: dict[str, Any] = {
        "id": None if record.get("id") is None else str(record.get("id")),
        "verdict": None,
        "score": None,
        "kind": record.get("kind") or "post",
        "created_at": record.get("created_at"),
        "author": record.get("author"),
        "targets": [],
        "categories": [],
        "rules": [],
        "reasons": [],
        "error": error,
    }
    if result is None:
        return row
    row["verdict"] = str(result.verdict)
    row["score"] = round(result.score, 6)
    row["targets"] = [t.label for t in result.targets]
    row["categories"] = sorted({r.category for r in result.reasons})
    row["rules"] = sorted({r.rule for r in result.reasons})
    row["reasons"] = [
        {
            "category": r.category,
            "start": r.start,
            "end": r.end,
            "text": r.text,
            "target": r.target,
            "rule": r.rule,
        }
        for r in result.reasons
    ]
    return row


def process_records(records: list[dict[str, Any]], detector, *, use_model: bool = True
                    ) -> list[dict]:
    """Check a batch of records ({"text", "id"?, "kind"?, "created_at"?, "author"?}) and
    return one row each, in order. Bad records (missing/empty/non-string text, unknown kind,
    bad date) give a row with ``error`` set; nothing raises."""
    rows: list[dict | None] = [None] * len(records)
    todo: list[tuple[int, str, str | None]] = []
    for idx, record in enumerate(records):
        text = record.get("text")
        if text is None:
            rows[idx] = result_row(record, None, "missing_text")
            continue
        if not isinstance(text, str):
            text = str(text)
        if not text.strip():
            rows[idx] = result_row(record, None, "empty_text")
            continue
        error = None
        if len(text) > MAX_TEXT_CHARS:
            text = text[:MAX_TEXT_CHARS]
            error = "truncated"
        todo.append((idx, text, error))
    batch = [(text, records[idx].get("kind") or "post", records[idx].get("created_at"))
             for idx, text, _ in todo]
    results = detector.check_batch(batch, use_model=use_model) if batch else []
    for (idx, _, error), result in zip(todo, results, strict=True):
        if isinstance(result, ValueError):
            rows[idx] = result_row(records[idx], None, f"invalid_record: {result}")
        else:
            rows[idx] = result_row(records[idx], result, error)
    return rows  # type: ignore[return-value]


def process_record(record: dict[str, Any], detector, *, use_model: bool = True) -> dict:
    """One record -> one row; the same code path as a batch of one."""
    return process_records([record], detector, use_model=use_model)[0]
