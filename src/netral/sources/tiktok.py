"""TikTok ``user_data.json`` / ``user_data_tiktok.json``.

One big object with Title-Case section keys (``"Activity"``, ``"Video"``,
``"Likes and Favorites"``, …) whose nesting changed between versions; record keys changed
case (``Date``/``Link`` in older files, ``date``/``link`` in newer). The file is streamed once and
the lists are recognised by their own names wherever they sit, so both layouts work.
Dates are ``YYYY-MM-DD HH:MM:SS`` in UTC (per TikTok).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC

from netral.item import Item, Locator
from netral.sources.archive import ExportFile
from netral.sources.base import ParseContext, Parser, json_shape
from netral.sources.helpers import ci_get, find_urls, parse_iso, stream_matching

# list name (lower-case, no spaces) -> kind
_LISTS = {
    "videolist": "post",
    "itemfavoritelist": "like",
    "commentslist": "comment",
    "following": "follow",
    "followinglist": "follow",
    "repostlist": "share",
    # sharing a video (to a chat, WhatsApp, a link) is the person's own act
    "sharehistorylist": "share",
    "favoritevideolist": "like",
}
# Sections that list what the person *watched* or searched, not what they did: a real export
# held 12,301 watch-history rows in a ``VideoList`` — the same list name as their own posts.
_NOT_ACTS = ("browsing", "watch", "history", "search", "viewed")
_TOP = {
    "activity",
    "video",
    "profile",
    "comment",
    "likes and favorites",
    "your activity",
    "tiktok live",
    "direct messages",
    "app settings",
    "ads and data",
    "tiktok shopping",
    "profile and settings",
    "post",
}
_AT_USER = re.compile(r"tiktok\.com/@([A-Za-z0-9_.]+)")


def _want(prefix: str) -> str | None:
    if not prefix.endswith(".item"):
        if prefix.lower().endswith("profilemap"):
            return "bio"
        return None
    path = prefix[: -len(".item")]
    parent = path.rsplit(".", 1)[-1]
    kind = _LISTS.get(parent.replace(" ", "").lower())
    if kind in ("post", "like", "follow") and any(w in path.lower() for w in _NOT_ACTS):
        return None
    return kind


class TikTokParser(Parser):
    platform = "tiktok"
    label = "TikTok"

    def can_read(self, f: ExportFile) -> float:
        n = f.name.lower()
        if not n.endswith(".json"):
            return 0.0
        shape, keys = json_shape(f)
        if shape != "object":
            return 0.0
        top = {k.lower() for k in keys}
        hits = len(top & _TOP)
        if n.startswith("user_data") and hits:
            return 0.95
        return 0.6 if hits >= 2 else 0.0

    def version(self, files: list[ExportFile]) -> str:
        for f in files:
            keys = {k.lower() for k in json_shape(f)[1]}
            if "likes and favorites" in keys or "your activity" in keys:
                return f"{f.name} (2025+: 'Likes and Favorites', lowercase record keys)"
        name = files[0].name if files else "user_data.json"
        return f"{name} ('Activity' / 'Video' sections, Title-Case keys)"

    def parse_file(self, f: ExportFile, ctx: ParseContext) -> Iterator[Item]:
        counters: dict[str, int] = {}
        for kind, prefix, rec in stream_matching(f.open, _want):
            if kind == "none" or not isinstance(rec, dict):
                continue
            n = counters.get(prefix, 0)
            counters[prefix] = n + 1
            where = "$." + prefix.replace(".item", f"[{n}]") if kind != "bio" else "$." + prefix
            it = self._record(kind, rec, f, where)
            if it is not None:
                yield it

    def _record(self, kind: str, rec: dict, f: ExportFile, where: str) -> Item | None:
        date = parse_iso(ci_get(rec, "Date", "date", "CreateTime"), UTC)
        link = ci_get(rec, "Link", "link", "VideoLink", "url") or None
        if link == "":
            link = None
        loc = Locator(f.display, where, link)
        if kind == "bio":
            parts = [
                ci_get(rec, k)
                for k in (
                    "userName",
                    "bioDescription",
                    "bio",
                    "Bio",
                    "Description",
                    "displayName",
                    "Nickname",
                )
            ]
            text = "\n".join(p for p in parts if isinstance(p, str) and p.strip())
            return (
                Item(platform=self.platform, kind="bio", text=text, locator=loc) if text else None
            )
        if kind == "post":
            text = ci_get(rec, "Desc", "Description", "Title", "Caption", default="") or ""
            return Item(
                platform=self.platform,
                kind="post",
                created_at=date,
                text=text,
                urls=[link] if link else [],
                locator=loc,
            )
        if kind == "comment":
            text = ci_get(rec, "comment", "Comment", default="") or ""
            if not text:
                return None
            return Item(
                platform=self.platform,
                kind="comment",
                created_at=date,
                text=text,
                urls=find_urls(text),
                locator=loc,
            )
        if kind == "follow":
            user = ci_get(rec, "UserName", "username", "user_name", "Name")
            if not user:
                return None
            return Item(
                platform=self.platform,
                kind="follow",
                created_at=date,
                target=user,
                locator=Locator(f.display, where, f"https://www.tiktok.com/@{user}"),
            )
        if kind in ("like", "share"):
            m = _AT_USER.search(link or "")
            target = "@" + m.group(1) if m else None
            return Item(
                platform=self.platform,
                kind=kind,
                created_at=date,
                target=target,
                text=ci_get(rec, "Desc", "Title", default="") or "",
                urls=[link] if link else [],
                locator=loc,
            )
        return None
