"""Generic fallback: JSON Lines, CSV or a JSON array of records with a text field.

Used for hand-made lists and for tools that export posts as plain records. Field names are
matched case-insensitively: text ``text|content|message|body|comment|caption|full_text|post``,
date ``created_at|date|timestamp|time|published``, ``kind`` (one of the item kinds, default
post), ``id``, ``platform``, ``target``, ``url``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

import orjson

from netral.item import KINDS, Item, Locator
from netral.sources.archive import ExportFile
from netral.sources.base import ParseContext, Parser, head_text, json_shape
from netral.sources.bounds import BOUNDS, bounded_lines
from netral.sources.helpers import (
    FormatError,
    _nk,
    find_urls,
    iter_json,
    parse_any_time,
    sniff_encoding,
    text_lines,
)

TEXT_KEYS = (
    "text",
    "content",
    "message",
    "body",
    "comment",
    "caption",
    "full_text",
    "post",
    "isi",
    "teks",
    "pesan",
)
DATE_KEYS = ("created_at", "date", "timestamp", "time", "published", "tanggal", "waktu")


_NK = {n: _nk(n) for n in (*TEXT_KEYS, *DATE_KEYS)}


def _has_text_key(keys) -> bool:
    low = {str(k).strip().lower() for k in keys}
    return any(k in low for k in TEXT_KEYS)


class GenericParser(Parser):
    platform = "generic"
    label = "JSONL / CSV"

    def can_read(self, f: ExportFile) -> float:
        n = f.name.lower()
        if n.endswith((".jsonl", ".ndjson")):
            return 0.3
        if n.endswith(".csv"):
            first = head_text(f, 2048).lstrip("\ufeff").splitlines()[:1]
            try:
                cols = next(csv.reader(first)) if first else []
            except csv.Error:
                return 0.0
            return 0.2 if _has_text_key(cols) else 0.0
        if n.endswith(".json"):
            shape, _ = json_shape(f)
            if shape == "array":
                h = head_text(f, 4096)
                if any(f'"{k}"' in h for k in TEXT_KEYS):
                    return 0.15
        return 0.0

    def version(self, files: list[ExportFile]) -> str:
        return ", ".join(sorted({f.name.rsplit(".", 1)[-1].upper() for f in files}))

    def _item(self, rec: dict, f: ExportFile, where: str, ctx: ParseContext) -> Item | None:
        # one normalised view per record, then plain lookups (ci_get per field is slow)
        rec = {_nk(k): v for k, v in rec.items() if isinstance(k, str) and v is not None}

        def g(*names: str, default=None):
            for n in names:
                v = rec.get(_NK.get(n) or _nk(n))
                if v is not None:
                    return v
            return default

        text = g(*TEXT_KEYS)
        target = g("target", "account", "page", "group")
        if not isinstance(text, str):
            text = "" if text is None else str(text)
        kind = str(g("kind", "type", default="post") or "post").lower()
        if kind not in KINDS:
            kind = "post"
        if not text.strip() and not target:
            return None
        url = g("url", "link")
        return Item(
            platform=str(g("platform", default="generic") or "generic"),
            kind=kind,
            id=str(g("id")) if g("id") is not None else None,
            created_at=parse_any_time(g(*DATE_KEYS), ctx.tz),
            text=text,
            urls=([url] if isinstance(url, str) and url else []) + find_urls(text),
            target=str(target) if target else None,
            locator=Locator(f.display, where, url if isinstance(url, str) else None),
        )

    def parse_file(self, f: ExportFile, ctx: ParseContext) -> Iterator[Item]:
        n = f.name.lower()
        if n.endswith(".json"):
            for i, rec in enumerate(iter_json(f.open, "item")):
                if isinstance(rec, dict):
                    it = self._item(rec, f, f"$[{i}]", ctx)
                    if it:
                        yield it
            return
        if n.endswith(".csv"):
            enc = sniff_encoding(f.head(65536))
            reader = csv.DictReader(text_lines(f.open, enc))
            try:
                for line, rec in enumerate(reader, start=2):
                    it = self._item(rec, f, f"line {line}", ctx)
                    if it:
                        yield it
            except csv.Error as exc:
                raise FormatError("csv_malformed", str(exc), f"line {reader.line_num}") from None
            return
        with f.open() as raw:
            for line, (data, cut) in enumerate(bounded_lines(raw), start=1):
                if cut:  # one record larger than any real post: skipped, named
                    ctx.notice(f, "record_too_big", f"> {BOUNDS.max_line // 1024} KiB",
                               f"line {line}")
                    continue
                if not data.strip():
                    continue
                try:
                    rec = orjson.loads(data)
                except orjson.JSONDecodeError as exc:
                    ctx.notice(f, "jsonl_line", str(exc).split(":")[0], f"line {line}")
                    continue
                if isinstance(rec, dict):
                    it = self._item(rec, f, f"line {line}", ctx)
                    if it:
                        yield it
