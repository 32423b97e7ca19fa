"""Streaming scan of many posts: one input record (dict) -> one output row (dict).

The same ``process_record`` is used by the local engine (``netral scan``) and by the Spark
engine, so both give identical rows.
"""

from __future__ import annotations

from typing import Any

from netral.detect.result import Result

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

MAX_TEXT_CHARS = 100_000  # longer texts are cut (and the row says so) to bound time and memory


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


def process_record(record: dict[str, Any], detector) -> dict:
    """Check one record ({"text", "id"?, "kind"?, "created_at"?, "author"?}) and return its row.

    Bad records (missing/empty/non-string text) give a row with ``error`` set, never raise.
    """
    text = record.get("text")
    if text is None:
        return result_row(record, None, "missing_text")
    if not isinstance(text, str):
        text = str(text)
    if not text.strip():
        return result_row(record, None, "empty_text")
    error = None
    if len(text) > MAX_TEXT_CHARS:
        text = text[:MAX_TEXT_CHARS]
        error = "truncated"
    kind = record.get("kind") or "post"
    try:
        result = detector.check(text, kind=kind, when=record.get("created_at"))
    except ValueError as exc:  # unknown kind, bad date
        return result_row(record, None, f"invalid_record: {exc}")
    return result_row(record, result, error)
