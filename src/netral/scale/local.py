"""Stream a JSONL/CSV file of posts through the detector with bounded memory, optionally on
several processes, writing one result row per input row (JSONL or CSV).

The main process only reads raw lines and writes finished bytes; parsing, detection and
serialisation happen in the workers, so throughput scales with cores instead of queueing on
the process that hands out work.
"""

from __future__ import annotations

import csv
import io
import os
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from netral.scale.rows import ROW_FIELDS, process_records

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

    def merge(self, other: ScanSummary) -> None:
        self.rows += other.rows
        self.malformed += other.malformed
        self.verdicts.update(other.verdicts)
        self.errors.update(other.errors)
        self.targets.update(other.targets)


def input_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix in (".csv", ".tsv"):
        return "csv"
    raise ScanInputError(f"{path}: unknown input format '{suffix}' (use .jsonl or .csv)")


# -- reading (main process) ------------------------------------------------------------------
# A raw item is (line number, payload): bytes of one JSONL line, or a parsed CSV row, or
# (for lines that cannot even be decoded) an error message string.
RawItem = tuple[int, Any]


def _raw_items(path: Path, warn: Callable[[str], None],
               position: list[int] | None = None) -> Iterator[RawItem]:
    """The raw items of ``path``; ``position[0]`` follows the input bytes read so far (what
    a progress bar shows a percentage and an ETA of)."""
    pos = position if position is not None else [0]
    if input_format(path) == "jsonl":
        with path.open("rb") as fh:
            for lineno, raw in enumerate(fh, 1):
                pos[0] += len(raw)
                if raw.strip():
                    yield lineno, raw
        return
    with path.open("rb") as fh:
        delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
        reader = csv.DictReader(_safe_lines(fh, path, warn, pos), delimiter=delimiter)
        if not reader.fieldnames or "text" not in reader.fieldnames:
            raise ScanInputError(f"{path}:1: CSV needs a 'text' column "
                                 f"(found: {', '.join(reader.fieldnames or [])})")
        for row in reader:
            if None in row:
                yield reader.line_num, "kolom berlebih / too many cells"
                continue
            yield reader.line_num, row


def _safe_lines(fh: BinaryIO, path: Path, warn: Callable[[str], None],
                pos: list[int]) -> Iterator[str]:
    """Decode line by line so one badly encoded line is reported and skipped, not fatal."""
    for lineno, raw in enumerate(fh, 1):
        pos[0] += len(raw)
        try:
            line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            warn(f"{path}:{lineno}: bukan UTF-8 / invalid UTF-8 (byte {exc.start}); baris dilewati")
            continue
        yield line


def _parse(payload: Any) -> tuple[dict | None, str | None]:
    if isinstance(payload, str):
        return None, payload
    if isinstance(payload, dict):
        return payload, None
    try:
        obj = orjson.loads(payload)
    except orjson.JSONDecodeError as exc:
        return None, f"baris JSON rusak / malformed JSON ({exc.msg})"
    if not isinstance(obj, dict):
        return None, "bukan objek JSON / not a JSON object"
    return obj, None


# -- writing ----------------------------------------------------------------------------------
def _csv_cell(value: Any) -> Any:
    if isinstance(value, list):
        value = orjson.dumps(value).decode()
    if isinstance(value, str) and value.startswith(_CSV_FORMULA):
        return "'" + value  # neutralise spreadsheet formulas
    return value


def _serialise(rows: list[dict], as_csv: bool) -> bytes:
    if not as_csv:
        return b"".join(orjson.dumps(r) + b"\n" for r in rows)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=ROW_FIELDS, lineterminator="\r\n")
    for r in rows:
        writer.writerow({k: _csv_cell(r[k]) for k in ROW_FIELDS})
    return buf.getvalue().encode("utf-8")


def _csv_header() -> bytes:
    buf = io.StringIO()
    csv.DictWriter(buf, fieldnames=ROW_FIELDS, lineterminator="\r\n").writeheader()
    return buf.getvalue().encode("utf-8")


# -- work (worker processes, or the main one when workers=1) -----------------------------------
_worker_detector = None
_worker_model = True
_worker_boilerplate: tuple[str, ...] = ()


def _init_worker(packs: tuple[str, ...] | None, use_model: bool,
                 boilerplate: tuple[str, ...] = ()) -> None:
    global _worker_detector, _worker_model, _worker_boilerplate
    from netral.detect.detector import get_detector

    _worker_detector = get_detector(packs)
    _worker_model = use_model
    _worker_boilerplate = boilerplate
    if use_model:
        _worker_detector.model  # noqa: B018 - train/load once per process, before work arrives


def _work(chunk: list[RawItem], as_csv: bool) -> tuple[bytes, ScanSummary, list[tuple[int, str]]]:
    """Parse, check and serialise one chunk; returns output bytes, its tallies, and the
    (line, problem) of every malformed line."""
    records: list[dict] = []
    problems: list[tuple[int, str]] = []
    for lineno, payload in chunk:
        record, problem = _parse(payload)
        if problem:
            problems.append((lineno, problem))
        else:
            records.append(record)
    rows = process_records(records, _worker_detector, use_model=_worker_model,
                           boilerplate=_worker_boilerplate)
    tally = ScanSummary()
    for row in rows:
        tally.add(row)
    tally.malformed = len(problems)
    return _serialise(rows, as_csv), tally, problems


def _chunks(items: Iterator[RawItem], size: int,
            position: list[int]) -> Iterator[tuple[list[RawItem], int]]:
    """Chunks of ``size`` items, each with the input byte position it ends at."""
    buf: list[RawItem] = []
    for it in items:
        buf.append(it)
        if len(buf) >= size:
            yield buf, position[0]
            buf = []
    if buf:
        yield buf, position[0]


def scan_file(
    src: Path,
    dst: Path,
    *,
    workers: int = 1,
    packs: tuple[str, ...] | None = None,
    use_model: bool = True,
    boilerplate: tuple[str, ...] = (),
    on_progress: Callable[[int, int], None] | None = None,
    warn: Callable[[str], None] | None = None,
) -> ScanSummary:
    """Scan ``src`` into ``dst``. ``on_progress(rows, input_bytes)`` is called after each chunk
    with the rows it held and the input bytes read up to its end (out of the file's size)."""
    summary = ScanSummary()

    def _warn(msg: str) -> None:
        if len(summary.warnings) < 1000:
            summary.warnings.append(msg)
        if warn:
            warn(msg)

    def _decode_warn(msg: str) -> None:  # lines dropped while reading (bad encoding)
        summary.malformed += 1
        _warn(msg)

    as_csv = dst.suffix.lower() == ".csv"
    dst.parent.mkdir(parents=True, exist_ok=True)
    position = [0]
    items = _raw_items(src, _decode_warn, position)
    with dst.open("wb") as out:
        if as_csv:
            out.write(_csv_header())

        def emit(result: tuple[bytes, ScanSummary, list[tuple[int, str]]], read_to: int) -> None:
            data, tally, problems = result
            out.write(data)
            summary.merge(tally)
            for lineno, problem in problems:
                _warn(f"{src}:{lineno}: {problem}")
            if on_progress:
                on_progress(tally.rows + tally.malformed, read_to)

        if workers <= 1:
            _init_worker(packs, use_model, boilerplate)
            for chunk, read_to in _chunks(items, CHUNK, position):
                emit(_work(chunk, as_csv), read_to)
        else:
            with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                                     initargs=(packs, use_model, boilerplate)) as pool:
                pending: deque[tuple[Future, int]] = deque()
                for chunk, read_to in _chunks(items, CHUNK, position):
                    pending.append((pool.submit(_work, chunk, as_csv), read_to))
                    if len(pending) >= 2 * workers:  # bounded memory: few chunks in flight
                        fut, upto = pending.popleft()
                        emit(fut.result(), upto)
                while pending:
                    fut, upto = pending.popleft()
                    emit(fut.result(), upto)
    return summary


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))
