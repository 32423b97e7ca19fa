"""Streaming scan of many posts: one input record (dict) -> one output row (dict).

The same ``process_record`` is used by the local engine (``netral scan``) and by the Spark
engine, so both give identical rows.
"""

from __future__ import annotations

from typing import Any

from netral.detect.result import Result
from netral.kinds import subject_text

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

# texts longer than netral.kinds.MAX_TEXT_CHARS are judged on their start, as on every door
# (the detector's rule), and the row says so (error "truncated")


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


def process_records(records: list[dict[str, Any]], detector, *, use_model: bool = True,
                    boilerplate: tuple[str, ...] = ()) -> list[dict]:
    """Check a batch of records and return one row each, in order.

    A record is ``{"text", "id"?, "kind"?, "created_at"?, "author"?, "target"?, "account"?,
    "employee"?}``: the same request every other door builds (``netral.detect.request``), so a
    like of ``@tkn.prabowo_gibran`` or an official account's post gets the verdict it gets in
    ``netral check``. Bad records (missing/empty/non-string text, unknown kind, account or
    employee class, bad date) give a row with ``error`` set; nothing raises."""
    from netral.detect.request import Request, RequestError

    rows: list[dict | None] = [None] * len(records)
    todo: list[int] = []
    requests: list[Request] = []
    for idx, record in enumerate(records):
        text = record.get("text")
        kind = str(record.get("kind") or "post").lower()
        target = record.get("target")
        if text is None and not target:
            rows[idx] = result_row(record, None, "missing_text")
            continue
        text = subject_text(kind, text if isinstance(text, str) or text is None else str(text),
                            None if target is None else str(target))
        if not text.strip():
            rows[idx] = result_row(record, None, "empty_text")
            continue
        todo.append(idx)
        requests.append(Request(text, kind, record.get("created_at"),
                                str(record.get("account") or "personal"),
                                str(record.get("employee") or "pns"), boilerplate))
    results = detector.judge_many(requests, use_model=use_model) if requests else []
    for idx, result in zip(todo, results, strict=True):
        if isinstance(result, RequestError):
            rows[idx] = result_row(records[idx], None, f"invalid_record: {result}")
        elif isinstance(result, Exception):
            rows[idx] = result_row(records[idx], None,
                                   f"internal_error: {type(result).__name__}")
        else:
            rows[idx] = result_row(records[idx], result, "truncated" if result.truncated else None)
    return rows  # type: ignore[return-value]


def process_record(record: dict[str, Any], detector, *, use_model: bool = True,
                   boilerplate: tuple[str, ...] = ()) -> dict:
    """One record -> one row; the same code path as a batch of one."""
    return process_records([record], detector, use_model=use_model, boilerplate=boilerplate)[0]
