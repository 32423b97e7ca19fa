"""Read collector output files (JSONL, CSV, JSON) as ``(position, record)`` pairs.

JSON files may be a bare array of records or an object holding them under ``items``,
``records``, ``results`` or ``findings``. The self-audit JSON report (``netral audit``) is
read directly: its entries ``{"item": {...}}`` hold :class:`netral.item.Item` dicts
(``platform``, ``kind``, ``id``, ``created_at``, ``text``, ``urls``, ``media``, ``target``,
``locator``, ``extra``); pass ``--handle`` to name the account the export belongs to. An
export-level ``account``/``handle`` and ``platform`` apply to every item that has none.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ijson
import orjson

Position = str
Record = dict[str, Any]


class SourceError(Exception):
    """The source as a whole cannot be read (message names file and position)."""


def _from_self_audit(item: dict[str, Any], defaults: dict[str, Any]) -> Record:
    """Map one self-audit item (``netral.item.Item.to_dict``) to the collector schema."""
    rec = dict(item)
    locator = item.get("locator") or {}
    urls = item.get("urls") or []
    rec.setdefault("url", locator.get("link") or (urls[0] if urls else None))
    for k, v in defaults.items():
        if rec.get(k) in (None, ""):
            rec[k] = v
    rec["raw"] = item
    return rec


def _looks_self_audit(item: Any) -> bool:
    return isinstance(item, dict) and "locator" in item


def read_jsonl(path: Path) -> Iterator[tuple[Position, Any]]:
    with path.open("rb") as f:
        for n, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                yield f"line {n}", orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                yield f"line {n}", ValueError(f"invalid JSON: {exc}")


def read_csv(path: Path) -> Iterator[tuple[Position, Any]]:
    raw = path.read_bytes()
    try:
        data = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:  # e.g. saved by a spreadsheet as Latin-1 / Windows-1252
        line = raw.count(b"\n", 0, exc.start) + 1
        raise SourceError(f"{path}: line {line}: not UTF-8 (byte {raw[exc.start]:#04x}); save "
                          "the CSV as UTF-8") from None
    first = data.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count) if first else ","
    reader = csv.DictReader(io.StringIO(data, newline=""), delimiter=delimiter)
    for n, row in enumerate(reader, start=2):
        rec = {(k or "").strip().lower(): v for k, v in row.items() if k}
        raw = rec.get("raw")
        if raw:
            try:
                rec["raw"] = orjson.loads(raw)
            except orjson.JSONDecodeError:
                yield f"row {n}", ValueError("column 'raw' is not valid JSON")
                continue
        else:
            rec.pop("raw", None)
        yield f"row {n}", rec


def read_json(path: Path) -> Iterator[tuple[Position, Any]]:
    with path.open("rb") as f:
        head = f.read(64).lstrip()
    if head.startswith(b"["):
        with path.open("rb") as f:
            n = -1
            try:
                for n, item in enumerate(ijson.items(f, "item", use_float=True)):
                    rec = _from_self_audit(item, {}) if _looks_self_audit(item) else item
                    yield f"$[{n}]", rec
            except ijson.JSONError as exc:  # the records before the break are ingested
                why = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                raise SourceError(f"{path}: $[{n + 1}]: invalid JSON ({why})") from exc
        return
    try:
        doc = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise SourceError(f"{path}: invalid JSON ({exc})") from exc
    if not isinstance(doc, dict):
        raise SourceError(f"{path}: expected a JSON array or object")
    # The self-audit JSON report (``netral audit --format json``) lists every item under
    # "items" (with --all) and the flagged ones under "findings", each as {"item": {...}}.
    key = next(
        (k for k in ("items", "records", "results", "findings") if isinstance(doc.get(k), list)),
        None,
    )
    if key is None:
        yield "$", doc
        return
    defaults = {
        k: doc[k]
        for k in ("platform", "account", "handle", "collector")
        if isinstance(doc.get(k), str)
    }
    for n, item in enumerate(doc[key]):
        if isinstance(item, dict) and isinstance(item.get("item"), dict):
            item = item["item"]
        if _looks_self_audit(item):
            yield f"$.{key}[{n}]", _from_self_audit(item, defaults)
        elif isinstance(item, dict):
            yield f"$.{key}[{n}]", {**defaults, **item}
        else:
            yield f"$.{key}[{n}]", item


def read_file(path: Path) -> Iterator[tuple[Position, Any]]:
    """Records of a collector file, chosen by extension (.jsonl/.ndjson, .csv, .json)."""
    if not path.exists():
        raise SourceError(f"{path}: file not found")
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return read_jsonl(path)
    if suffix in (".csv", ".tsv"):
        return read_csv(path)
    if suffix == ".json":
        return read_json(path)
    raise SourceError(f"{path}: unknown file type (use .jsonl, .csv or .json)")
