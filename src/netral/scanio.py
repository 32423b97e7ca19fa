"""Stream a JSONL/CSV file of posts through the detector with bounded memory, optionally on
several processes, writing one result row per input row (JSONL or CSV)."""

from __future__ import annotations

import csv
import io
import os
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, TextIO

import orjson

from netral.scan import ROW_FIELDS, process_records

CHUNK = 512  # records per task: amortises process hand-off and batches the model call
_CSV_FORMULA = ("=", "+", "-", "@", "\t", "\r")


class ScanInputError(ValueError):
    """The input as a whole cannot be scanned (unknown format, missing column)."""


@dataclass
class ScanSummary:
    rows: int = 0
    malformed: int = 0
    verdicts: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    targets: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)

    def add(self, row: dict) -> None:
        self.rows += 1
        if row["verdict"]:
            self.verdicts[row["verdict"]] += 1
        if row["error"]:
            self.errors[row["error"].split(":")[0]] += 1
        if row["verdict"] in ("kampanye", "tinjau"):
            self.targets.update(row["targets"])


def input_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix in (".csv", ".tsv"):
        return "csv"
    raise ScanInputError(f"{path}: unknown input format '{suffix}' (use .jsonl or .csv)")


def iter_records(path: Path, warn: Callable[[str], None]) -> Iterator[dict[str, Any]]:
    """Yield records; a malformed line is reported through ``warn`` (file:line) and skipped."""
    fmt = input_format(path)
    if fmt == "jsonl":
        with path.open("rb") as fh:
            for lineno, raw in enumerate(fh, 1):
                if not raw.strip():
                    continue
                try:
                    obj = orjson.loads(raw)
                except orjson.JSONDecodeError as exc:
                    warn(f"{path}:{lineno}: baris JSON rusak / malformed JSON ({exc.msg})")
                    continue
                if not isinstance(obj, dict):
                    warn(f"{path}:{lineno}: bukan objek JSON / not a JSON object")
                    continue
                obj.setdefault("_line", lineno)
                yield obj
    else:
        with path.open("rb") as fh:
            delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
            reader = csv.DictReader(_safe_lines(fh, path, warn), delimiter=delimiter)
            if not reader.fieldnames or "text" not in reader.fieldnames:
                raise ScanInputError(f"{path}:1: CSV needs a 'text' column "
                                     f"(found: {', '.join(reader.fieldnames or [])})")
            for row in reader:
                if None in row:
                    warn(f"{path}:{reader.line_num}: kolom berlebih / too many cells")
                    continue
                row["_line"] = reader.line_num
                yield row


def _safe_lines(fh: BinaryIO, path: Path, warn: Callable[[str], None]) -> Iterator[str]:
    """Decode line by line so one badly encoded line is reported and skipped, not fatal."""
    for lineno, raw in enumerate(fh, 1):
        try:
            line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            warn(f"{path}:{lineno}: bukan UTF-8 / invalid UTF-8 (byte {exc.start}); baris dilewati")
            continue
        yield line


class RowWriter:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.csv = path.suffix.lower() == ".csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        self.fh: io.BufferedWriter | TextIO
        if self.csv:
            self.fh = path.open("w", encoding="utf-8", newline="")
            self.writer = csv.DictWriter(self.fh, fieldnames=ROW_FIELDS)
            self.writer.writeheader()
        else:
            self.fh = path.open("wb")

    def write(self, row: dict) -> None:
        if self.csv:
            self.writer.writerow({k: _csv_cell(row[k]) for k in ROW_FIELDS})
        else:
            self.fh.write(orjson.dumps(row) + b"\n")  # type: ignore[arg-type]

    def close(self) -> None:
        self.fh.close()


def _csv_cell(value: Any) -> Any:
    if isinstance(value, list):
        value = orjson.dumps(value).decode()
    if isinstance(value, str) and value.startswith(_CSV_FORMULA):
        return "'" + value  # neutralise spreadsheet formulas
    return value


_worker_detector = None
_worker_model = True


def _init_worker(packs: tuple[str, ...] | None, use_model: bool) -> None:
    global _worker_detector, _worker_model
    import netral

    _worker_detector = netral.get_detector(packs)
    _worker_model = use_model
    if use_model:
        _worker_detector.model  # noqa: B018 - train once per process, before work arrives


def _work(records: list[dict]) -> list[dict]:
    return process_records(records, _worker_detector, use_model=_worker_model)


def _chunks(records: Iterator[dict], size: int) -> Iterator[list[dict]]:
    buf: list[dict] = []
    for r in records:
        buf.append(r)
        if len(buf) >= size:
            yield buf
            buf = []
    if buf:
        yield buf


def scan_file(
    src: Path,
    dst: Path,
    *,
    workers: int = 1,
    packs: tuple[str, ...] | None = None,
    use_model: bool = True,
    on_progress: Callable[[int], None] | None = None,
    warn: Callable[[str], None] | None = None,
) -> ScanSummary:
    summary = ScanSummary()

    def _warn(msg: str) -> None:
        summary.malformed += 1
        if len(summary.warnings) < 1000:
            summary.warnings.append(msg)
        if warn:
            warn(msg)

    records = iter_records(src, _warn)
    writer = RowWriter(dst)

    def emit(rows: list[dict]) -> None:
        for row in rows:
            writer.write(row)
            summary.add(row)
        if on_progress:
            on_progress(len(rows))

    try:
        if workers <= 1:
            _init_worker(packs, use_model)
            for chunk in _chunks(records, CHUNK):
                emit(_work([_strip(r) for r in chunk]))
        else:
            with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                                     initargs=(packs, use_model)) as pool:
                pending: deque[Future] = deque()
                for chunk in _chunks(records, CHUNK):
                    pending.append(pool.submit(_work, [_strip(r) for r in chunk]))
                    if len(pending) >= 2 * workers:  # bounded memory: few chunks in flight
                        emit(pending.popleft().result())
                while pending:
                    emit(pending.popleft().result())
    finally:
        writer.close()
    return summary


def _strip(record: dict) -> dict:
    record.pop("_line", None)
    return record


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))
