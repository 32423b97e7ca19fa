"""Helpers shared by the Spark engine tests: write inputs, read both engines' rows, compare."""

from __future__ import annotations

import csv
import glob
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

SCORE_TOLERANCE = 1e-9


def write_jsonl(path: Path, records: Iterable[Any], extra_lines: Iterable[str] = ()) -> Path:
    """One JSON document per line; ``extra_lines`` (malformed, blank…) are appended raw."""
    with path.open("w", encoding="utf-8") as f:
        for rec in records:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        for line in extra_lines:
            f.write(line + "\n")
    return path


def read_local_jsonl(path: Path) -> tuple[list[dict[str, Any]], int]:
    """The local engine's view of a JSONL file: (records, malformed lines)."""
    records, malformed = [], 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except ValueError:
            malformed += 1
            continue
        if isinstance(rec, dict):
            records.append(rec)
        else:
            malformed += 1
    return records, malformed


def read_local_csv(path: Path) -> tuple[list[dict[str, Any]], int]:
    """The local engine's view of a CSV file: (records, malformed rows with too many cells)."""
    records, malformed = [], 0
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if None in row:
                malformed += 1
            else:
                records.append(row)
    return records, malformed


def read_spark_rows(output: Path, fmt: str = "jsonl") -> list[dict[str, Any]]:
    """Rows the Spark engine wrote into OUTPUT (part files only, not summary/)."""
    if fmt == "parquet":
        import pyarrow.parquet as pq

        files = sorted(glob.glob(str(output / "part-*.parquet")))
        return [row for f in files for row in pq.read_table(f).to_pylist()]
    rows = []
    for f in sorted(glob.glob(str(output / "part-*.json"))):
        with open(f, encoding="utf-8") as fh:
            rows.extend(json.loads(line) for line in fh if line.strip())
    return rows


def read_summary(output: Path, name: str) -> list[dict[str, Any]]:
    rows = []
    for f in sorted(glob.glob(str(output / "summary" / name / "part-*.json"))):
        with open(f, encoding="utf-8") as fh:
            rows.extend(json.loads(line) for line in fh if line.strip())
    return rows


def _key(row: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in row.items() if k != "score"}, sort_keys=True)


def assert_same_rows(spark_rows: list[dict], local_rows: list[dict]) -> None:
    """Identical verdicts, reasons and every other field; scores within 1e-9."""
    from netral.scale.rows import ROW_FIELDS

    assert len(spark_rows) == len(local_rows)
    for row in spark_rows:
        assert list(row) == ROW_FIELDS
    by_spark = sorted(spark_rows, key=_key)
    by_local = sorted(local_rows, key=_key)
    for s, loc in zip(by_spark, by_local, strict=True):
        assert s["id"] == loc["id"]
        assert s["verdict"] == loc["verdict"], s["id"]
        assert s["reasons"] == loc["reasons"], s["id"]
        if loc["score"] is None:
            assert s["score"] is None
        else:
            assert abs(s["score"] - loc["score"]) <= SCORE_TOLERANCE, s["id"]
        assert {k: v for k, v in s.items() if k != "score"} == {k: v for k, v in loc.items() if k != "score"}
