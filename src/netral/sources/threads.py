"""Threads (inside the Instagram / Meta export, ``…/threads/``).

``threads_and_replies.json`` (``text_post_app_text_posts``), ``following.json``
(``text_post_app_text_post_app_following``) and ``liked_threads.json``. The structure follows the
Instagram string-list conventions; not verified against a real export (see docs/audit.md).
"""

from __future__ import annotations

from collections.abc import Iterator

from netral.item import Item, Locator
from netral.sources.archive import ExportFile
from netral.sources.base import ParseContext, Parser, json_shape
from netral.sources.helpers import fix_tree, from_unix, iter_json
from netral.sources.instagram import media_post


class ThreadsParser(Parser):
    platform = "threads"
    label = "Threads"

    def can_read(self, f: ExportFile) -> float:
        if not f.name.lower().endswith(".json"):
            return 0.0
        _shape, keys = json_shape(f)
        if any(k.startswith("text_post_app_") for k in keys):
            return 0.95
        return 0.0

    def version(self, files: list[ExportFile]) -> str:
        return "Meta export threads/ (2023+)"

    def parse_file(self, f: ExportFile, ctx: ParseContext) -> Iterator[Item]:
        _, keys = json_shape(f)
        for key in keys:
            if not key.startswith("text_post_app_"):
                continue
            for i, rec in enumerate(iter_json(f.open, f"{key}.item")):
                if not isinstance(rec, dict):
                    continue
                rec = fix_tree(rec)
                where = f"$.{key}[{i}]"
                if "posts" in key or "repl" in key:
                    item = media_post(self.platform, rec, f, where)
                    if item is not None:
                        if _is_reply(key, rec):  # a reply answers someone else's thread
                            item.kind = "comment"
                        yield item
                    continue
                sld = (rec.get("string_list_data") or [{}])[0] or {}
                user = sld.get("value") or rec.get("title")
                href = sld.get("href")
                if "following" in key and user:
                    yield Item(
                        platform=self.platform,
                        kind="follow",
                        target=user,
                        created_at=from_unix(sld.get("timestamp")),
                        urls=[href] if href else [],
                        locator=Locator(f.display, where, href),
                    )
                elif "like" in key and (user or href):
                    yield Item(
                        platform=self.platform,
                        kind="like",
                        target=user,
                        created_at=from_unix(sld.get("timestamp")),
                        urls=[href] if href else [],
                        locator=Locator(f.display, where, href),
                    )


def _is_reply(key: str, rec: dict) -> bool:
    """Replies sit in their own list (``…_replies``) or carry a reply marker on the record."""
    if "repl" in key:
        return True
    marks = [rec, *[m for m in rec.get("media") or [] if isinstance(m, dict)]]
    return any(
        m.get(k) for m in marks
        for k in ("reply_to", "in_reply_to", "replied_to", "is_reply", "parent_post")
    )
