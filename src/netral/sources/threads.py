"""Threads (inside the Instagram / Meta export, ``…/threads/``).

``threads_and_replies.json`` (``text_post_app_text_posts``), ``following.json``
(``text_post_app_text_post_app_following``) and ``liked_threads.json``
(``text_post_app_media_likes``). The structure follows the Instagram string-list conventions.
No licensed real export was found for the test data; the layout below is as described by
parsers that read real exports (see tests/fixtures/exports/README.md, ``threads_documented``):

- posts and replies share one list; a reply is marked only by
  ``media[].text_app_post.is_reply`` (the parent post and its author are not in the export);
- in ``liked_threads.json`` ``title`` is the liked post's author and ``string_list_data[].value``
  the reaction (an emoji), not a user name; in ``following.json`` ``value`` is the user name.
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
                if ("posts" in key or "repl" in key) and not _others_posts(key):
                    item = media_post(self.platform, rec, f, where)
                    if item is not None:
                        if _is_reply(key, rec):  # a reply answers someone else's thread
                            item.kind = "comment"
                        yield item
                    continue
                sld = (rec.get("string_list_data") or [{}])[0] or {}
                if not isinstance(sld, dict):
                    sld = {}
                href = sld.get("href")
                if "like" in key:  # value is the reaction, title the liked post's author
                    user = rec.get("title") or _author_from_href(href)
                else:
                    user = sld.get("value") or rec.get("title")
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
    """Replies sit in their own list (``…_replies``) or carry a reply marker on the record, on a
    medium, or (the documented real layout) in a medium's ``text_app_post``."""
    if "repl" in key:
        return True
    media = [m for m in rec.get("media") or [] if isinstance(m, dict)]
    marks = [rec, *media]
    marks += [m["text_app_post"] for m in marks if isinstance(m.get("text_app_post"), dict)]
    return any(
        m.get(k) for m in marks
        for k in ("reply_to", "in_reply_to", "replied_to", "is_reply", "parent_post")
    )


def _others_posts(key: str) -> bool:
    """Saved and viewed threads are other people's posts, not the user's own."""
    return "saved" in key or "seen" in key or "viewed" in key


def _author_from_href(href: object) -> str | None:
    """``https://www.threads.com/@author/post/…`` → ``author`` (likes with an empty title)."""
    if not isinstance(href, str):
        return None
    for part in href.split("/"):
        if part.startswith("@") and len(part) > 1:
            return part[1:]
    return None
