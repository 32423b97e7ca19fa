"""YouTube via Google Takeout.

* ``comments.csv``: header changed in June 2024 (columns reordered) — read by header name.
  ``Comment Text`` is JSON: ``{"takeoutSegments":[{"text":…}]}`` (old) or a bare comma-joined
  list of ``{"text":…}`` objects (new, wrapped in ``[…]`` before decoding).
* ``live chats.csv``: same text encoding; the header may be absent (positional columns).
* ``subscriptions.csv``: ``Channel Id,Channel Url,Channel Title`` -> follow items.
* old "liked videos" ``likes.json`` (YouTube API ``playlistItem`` objects) -> like items judged
  on the video title and channel.
Folder and file names are localised in Takeout, so files are recognised by their headers.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator

from netral.item import Item, Locator
from netral.sources.archive import ExportFile
from netral.sources.base import ParseContext, Parser, head_text, json_shape
from netral.sources.helpers import (
    FormatError,
    find_urls,
    iter_json,
    parse_iso,
    sniff_encoding,
    text_lines,
)

_SEGMENT = re.compile(r'\{"takeoutSegments":\[\{"text":"(.*)"\}\]\}', re.S)
_COMMENT_COLS = {"comment id", "comment text", "comment create timestamp"}
_LIVE_COLS = {"live chat id", "live chat text"}
_SUB_COLS = {"channel id", "channel url", "channel title"}


def segments_text(raw: str) -> str:
    """Plain text of a Takeout ``Comment Text`` / ``Live Chat Text`` cell."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    try:
        data = json.loads(raw)
    except ValueError:
        try:
            data = json.loads("[" + raw + "]")
        except ValueError:
            # Takeout does not always escape quotes inside the text: take the segment body
            m = _SEGMENT.fullmatch(raw)
            return m.group(1) if m else raw  # else plain text (hand-made exports)
    if isinstance(data, dict):
        data = data.get("takeoutSegments") or [data]
    if isinstance(data, list):
        return "".join(str(s.get("text", "")) for s in data if isinstance(s, dict))
    return str(data)


def _header(f: ExportFile) -> list[str]:
    first = head_text(f, 2048).lstrip("\ufeff").splitlines()[:1]
    if not first:
        return []
    try:
        return [c.strip().lower() for c in next(csv.reader(first))]
    except (csv.Error, StopIteration):
        return []


def _csv_kind(f: ExportFile) -> str | None:
    if not f.name.lower().endswith(".csv"):
        return None
    cols = set(_header(f))
    if cols >= _COMMENT_COLS:
        return "comments"
    if _LIVE_COLS & cols:
        return "live"
    if cols >= _SUB_COLS:
        return "subs"
    low = f.path.lower()
    if "live chat" in low or "live_chat" in low:
        first = head_text(f, 2048).splitlines()[:1]
        if first and "takeoutSegments" in first[0]:
            return "live"
    return None


class YouTubeParser(Parser):
    platform = "youtube"
    label = "YouTube"

    def can_read(self, f: ExportFile) -> float:
        kind = _csv_kind(f)
        if kind:
            return 0.95 if "youtube" in f.path.lower() else 0.85
        if f.name.lower().endswith(".json"):
            shape, _ = json_shape(f)
            if shape == "array" and '"youtube#playlistItem"' in head_text(f, 4096):
                return 0.9
        return 0.0

    def version(self, files: list[ExportFile]) -> str:
        for f in files:
            cols = _header(f)
            if "comment id" in cols:
                return (
                    "comments.csv (June 2024+)"
                    if cols[0] == "channel id"
                    else "comments.csv (before June 2024)"
                )
        return "Google Takeout"

    def parse_file(self, f: ExportFile, ctx: ParseContext) -> Iterator[Item]:
        if f.name.lower().endswith(".json"):
            yield from self._likes(f)
            return
        kind = _csv_kind(f)
        enc = sniff_encoding(f.head(65536))
        if enc not in ("utf-8", "utf-8-sig"):
            ctx.notice(f, "encoding_fallback", enc)
        reader = csv.reader(text_lines(f.open, enc))
        rows = iter(reader)
        try:
            first = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            raise FormatError("csv_malformed", str(exc), "line 1") from None
        lower = [c.strip().lower() for c in first]
        has_header = kind != "live" or bool(_LIVE_COLS & set(lower))
        cols = {c: i for i, c in enumerate(lower)} if has_header else {}
        pending = [] if has_header else [first]
        line = 1 if has_header else 0
        try:
            for row in (*pending, *rows) if pending else rows:
                line += 1
                if not any(c.strip() for c in row):
                    continue
                it = getattr(self, "_" + kind)(row, cols, f, line)
                if it:
                    yield it
        except csv.Error as exc:
            raise FormatError("csv_malformed", str(exc), f"line {line}") from None

    @staticmethod
    def _col(row: list[str], cols: dict[str, int], name: str, pos: int) -> str:
        i = cols.get(name, pos if not cols else -1)
        return row[i] if 0 <= i < len(row) else ""

    def _comments(self, row, cols, f, line) -> Item | None:
        text = segments_text(self._col(row, cols, "comment text", 6))
        if not text:
            return None
        vid = self._col(row, cols, "video id", 5)
        cid = self._col(row, cols, "comment id", 0)
        link = f"https://www.youtube.com/watch?v={vid}&lc={cid}" if vid else None
        return Item(
            platform=self.platform,
            kind="comment",
            id=cid or None,
            created_at=parse_iso(self._col(row, cols, "comment create timestamp", 2)),
            text=text,
            urls=find_urls(text),
            locator=Locator(f.display, f"line {line}", link),
            extra={"parent": self._col(row, cols, "parent comment id", 4) or None},
        )

    def _live(self, row, cols, f, line) -> Item | None:
        text = segments_text(self._col(row, cols, "live chat text", 5))
        if not text:
            return None
        vid = self._col(row, cols, "video id", 4)
        return Item(
            platform=self.platform,
            kind="comment",
            id=self._col(row, cols, "live chat id", 0) or None,
            created_at=parse_iso(self._col(row, cols, "live chat create timestamp", 2)),
            text=text,
            urls=find_urls(text),
            locator=Locator(
                f.display, f"line {line}", f"https://www.youtube.com/watch?v={vid}" if vid else None
            ),
            extra={"live_chat": True},
        )

    def _subs(self, row, cols, f, line) -> Item | None:
        title = self._col(row, cols, "channel title", 2)
        url = self._col(row, cols, "channel url", 1) or None
        if not title and not url:
            return None
        return Item(
            platform=self.platform,
            kind="follow",
            target=title or url,
            id=self._col(row, cols, "channel id", 0) or None,
            urls=[url] if url else [],
            locator=Locator(f.display, f"line {line}", url),
        )

    def _likes(self, f: ExportFile) -> Iterator[Item]:
        for i, rec in enumerate(iter_json(f.open, "item")):
            if not isinstance(rec, dict):
                continue
            sn = rec.get("snippet") or {}
            vid = (sn.get("resourceId") or {}).get("videoId") or (
                rec.get("contentDetails") or {}
            ).get("videoId")
            link = f"https://www.youtube.com/watch?v={vid}" if vid else None
            yield Item(
                platform=self.platform,
                kind="like",
                id=vid,
                created_at=parse_iso(sn.get("publishedAt")),
                text=sn.get("title") or "",
                target=sn.get("videoOwnerChannelTitle"),  # channelTitle is the liker's own
                urls=[link] if link else [],
                locator=Locator(f.display, f"$[{i}]", link),
            )
