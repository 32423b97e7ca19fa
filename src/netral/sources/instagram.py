"""Instagram (Meta Accounts Center JSON export).

Old and new layouts: ``media.json`` / ``content/posts_1.json`` /
``your_instagram_activity/content/posts_1.json``; ``liked_posts.json`` (``likes_media_likes``
object or bare array with ``label_values``); ``post_comments_1.json``; ``following.json``
(``relationships_following`` object or bare array; user name in ``value`` or ``title``);
``personal_information.json`` (profile, localised ``string_map_data`` labels). Strings carry the
same Latin-1 mojibake as Facebook and are repaired.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from netral.item import Item, Locator
from netral.sources.archive import ExportFile
from netral.sources.base import ParseContext, Parser, json_shape
from netral.sources.helpers import find_urls, fix_tree, from_unix, iter_json

_OBJECT_KEYS = {
    "relationships_following": "following",
    "likes_media_likes": "likes",
    "comments_media_comments": "comments",
    "profile_user": "profile",
    "photos": "media_old",
    "ig_profile_picture": "none",
}
_PROFILE_LABELS = {
    "bio",
    "biografi",
    "name",
    "nama",
    "username",
    "nama pengguna",
    "website",
    "situs web",
    "nama lengkap",
}
_COMMENT_LABELS = ("Comment", "Komentar")
_OWNER_LABELS = ("Media Owner", "Pemilik Media", "Pemilik media")


def _ig_path(f: ExportFile) -> bool:
    p = "/" + f.path.lower()
    return "instagram" in p or any(
        s in p
        for s in (
            "/content/posts_",
            "/likes/liked_",
            "/comments/post_comments",
            "/followers_and_following/",
            "/account_information/",
            "/media.json",
        )
    )


def _kind_of(f: ExportFile) -> str | None:
    n = f.name.lower()
    if "/threads/" in "/" + f.path.lower():
        return None
    shape, keys = json_shape(f)
    if shape == "object":
        for k in keys:
            if k in _OBJECT_KEYS:
                return _OBJECT_KEYS[k]
        return None
    if shape != "array":
        return None
    if n.startswith("posts_") or n == "posts.json":
        return "posts"
    if n.startswith("liked_posts"):
        return "likes"
    if n.startswith("post_comments") or n.startswith("comments"):
        return "comments"
    if n.startswith("following"):
        return "following"
    return None


def _sld(rec: dict) -> dict:
    data = rec.get("string_list_data") or []
    return data[0] if data and isinstance(data[0], dict) else {}


class InstagramParser(Parser):
    platform = "instagram"
    label = "Instagram"

    def can_read(self, f: ExportFile) -> float:
        if not f.name.lower().endswith(".json"):
            return 0.0
        kind = _kind_of(f)
        if kind is None:
            return 0.0
        return 0.9 if _ig_path(f) else 0.5

    def version(self, files: list[ExportFile]) -> str:
        paths = " ".join(f.path.lower() for f in files)
        if "your_instagram_activity/" in paths:
            return "your_instagram_activity/ (2023+)"
        if "content/posts_" in paths:
            return "content/posts_1.json (2021–2023)"
        return "media.json (before 2021)" if "media.json" in paths else "JSON"

    def parse_file(self, f: ExportFile, ctx: ParseContext) -> Iterator[Item]:
        kind = _kind_of(f)
        shape, keys = json_shape(f)
        if kind in (None, "none"):
            return
        if shape == "object":
            key = next(k for k in keys if k in _OBJECT_KEYS)
            records: Any = iter_json(f.open, f"{key}.item")
            base = f"$.{key}"
        else:
            records = iter_json(f.open, "item")
            base = "$"
        fn = getattr(self, "_" + kind)
        for i, rec in enumerate(records):
            if isinstance(rec, dict):
                yield from fn(fix_tree(rec), f, f"{base}[{i}]")

    def _posts(self, rec: dict, f: ExportFile, where: str) -> Iterator[Item]:
        item = media_post(self.platform, rec, f, where)
        if item is not None:
            yield item

    def _media_old(self, rec: dict, f: ExportFile, where: str) -> Iterator[Item]:
        caption = rec.get("caption") or ""
        yield Item(
            platform=self.platform,
            kind="post",
            text=caption,
            created_at=from_unix(rec.get("taken_at")) or None,
            media=[rec["path"]] if rec.get("path") else [],
            locator=Locator(f.display, where),
        )

    def _likes(self, rec: dict, f: ExportFile, where: str) -> Iterator[Item]:
        if "label_values" in rec:
            href = owner = None
            for lv in rec.get("label_values") or []:
                if not isinstance(lv, dict):
                    continue
                href = href or lv.get("href")
                if str(lv.get("label", "")).lower() in ("owner", "pemilik", "username"):
                    owner = lv.get("value")
            yield Item(
                platform=self.platform,
                kind="like",
                created_at=from_unix(rec.get("timestamp")),
                target=owner or rec.get("title") or None,
                urls=[href] if href else [],
                locator=Locator(f.display, where, href),
            )
            return
        s = _sld(rec)
        href = s.get("href")
        yield Item(
            platform=self.platform,
            kind="like",
            created_at=from_unix(s.get("timestamp")),
            target=rec.get("title") or None,
            urls=[href] if href else [],
            locator=Locator(f.display, where, href),
        )

    def _comments(self, rec: dict, f: ExportFile, where: str) -> Iterator[Item]:
        smd = rec.get("string_map_data")
        if isinstance(smd, dict):

            def val(labels, field="value"):
                for lab in labels:
                    if isinstance(smd.get(lab), dict):
                        return smd[lab].get(field)
                return None

            text = val(_COMMENT_LABELS) or ""
            owner = val(_OWNER_LABELS)
            ts = None
            for v in smd.values():
                if isinstance(v, dict) and v.get("timestamp"):
                    ts = v["timestamp"]
            if not text:  # localised labels we do not know: the longest value is the comment
                vals = [v.get("value") for v in smd.values() if isinstance(v, dict)]
                text = max((x for x in vals if isinstance(x, str)), key=len, default="")
        else:  # old comments_media_comments: {"title": owner, "string_list_data": [...]}
            s = _sld(rec)
            text, owner, ts = s.get("value") or "", rec.get("title"), s.get("timestamp")
        if text:
            yield Item(
                platform=self.platform,
                kind="comment",
                created_at=from_unix(ts),
                text=text,
                target=owner,
                urls=find_urls(text),
                locator=Locator(f.display, where),
            )

    def _following(self, rec: dict, f: ExportFile, where: str) -> Iterator[Item]:
        s = _sld(rec)
        user = s.get("value") or rec.get("title")
        href = s.get("href") or (f"https://www.instagram.com/{user}" if user else None)
        if user:
            yield Item(
                platform=self.platform,
                kind="follow",
                created_at=from_unix(s.get("timestamp")),
                target=user,
                urls=[href] if href else [],
                locator=Locator(f.display, where, href),
            )

    def _profile(self, rec: dict, f: ExportFile, where: str) -> Iterator[Item]:
        smd = rec.get("string_map_data") or {}
        parts = [
            v.get("value")
            for k, v in smd.items()
            if isinstance(v, dict) and k.lower() in _PROFILE_LABELS and v.get("value")
        ]
        if parts:
            yield Item(
                platform=self.platform,
                kind="bio",
                text="\n".join(parts),
                locator=Locator(f.display, where + ".string_map_data"),
            )

    def _none(self, rec: dict, f: ExportFile, where: str) -> Iterator[Item]:
        return iter(())


def media_post(platform: str, rec: dict, f: ExportFile, where: str) -> Item | None:
    """A Meta ``{"media": [{uri, title, creation_timestamp}], "title"?}`` post record (Instagram
    posts, Threads posts); the caption is the top-level title for carousels, else the first
    medium's. None when the record has neither text nor media."""
    media = [m for m in rec.get("media") or [] if isinstance(m, dict)]
    caption = rec.get("title") or (media[0].get("title") if media else "") or ""
    ts = rec.get("creation_timestamp") or (media[0].get("creation_timestamp") if media else None)
    if not caption and not media:
        return None
    return Item(
        platform=platform,
        kind="post",
        created_at=from_unix(ts),
        text=caption,
        urls=find_urls(caption),
        media=[m["uri"] for m in media if m.get("uri")],
        locator=Locator(f.display, where),
    )
