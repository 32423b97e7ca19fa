"""Facebook "Download Your Information" (JSON).

Both layouts: older top-level folders (``posts/``, ``comments/``, ``likes_and_reactions/``,
``groups/``, ``profile_information/``, ``messages/inbox/``) and the 2023+ layout under
``your_facebook_activity/`` and ``personal_information/``. Files are found by name and by their
top-level keys, never by fixed paths. Every string is repaired from Meta's Latin-1 mojibake.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from typing import Any

from netral.item import Item, Locator
from netral.sources.archive import ExportFile
from netral.sources.base import ParseContext, Parser, json_shape
from netral.sources.helpers import find_urls, fix_mojibake, fix_tree, from_unix, iter_json

# top-level key -> (handler name, kind)
_KEYED = {
    "comments_v2": ("comment", "comment"),
    "comments": ("comment", "comment"),
    "group_comments_v2": ("comment", "comment"),
    "reactions_v2": ("reaction", "like"),
    "reactions": ("reaction", "like"),
    "page_likes_v2": ("page", "like"),
    "page_likes": ("page", "like"),
    "pages_followed_v2": ("page", "follow"),
    "pages_followed": ("page", "follow"),
    "following_v3": ("page", "follow"),
    "following_v2": ("page", "follow"),
    "groups_joined_v2": ("group", "join"),
    "groups_joined": ("group", "join"),
    "group_posts_v2": ("post", "post"),
    "profile_v2": ("profile", "bio"),
    "profile": ("profile", "bio"),
    "friends_v2": ("none", ""),
    "friends": ("none", ""),
}
_POST_ARRAYS = ("your_posts*.json", "*/posts/*posts*.json", "your_posts__check_ins*.json")
_REACTION_ARRAYS = ("likes_and_reactions*.json",)
_FB_DIRS = (
    "your_facebook_activity/",
    "personal_information/",
    "connections/",
    "likes_and_reactions/",
    "comments_and_reactions/",
    "profile_information/",
    "groups/",
    "posts/",
    "comments/",
    "messages/",
    "pages/",
    "friends/",
)


def _in_fb_tree(f: ExportFile) -> bool:
    p = "/" + f.path.lower()
    return any("/" + d in p for d in _FB_DIRS)


class FacebookParser(Parser):
    platform = "facebook"
    label = "Facebook"

    def can_read(self, f: ExportFile) -> float:
        if not f.name.lower().endswith(".json"):
            return 0.0
        low = f.path.lower()
        if "instagram" in low or "/threads/" in "/" + low:
            return 0.0
        shape, keys = json_shape(f)
        if shape == "array":
            if f.match(*_POST_ARRAYS, *_REACTION_ARRAYS) and _in_fb_tree(f):
                return 0.9
            return 0.0
        if shape != "object":
            return 0.0
        if "participants" in keys and "messages" in keys:
            return 0.9 if "/messages/" in "/" + low or f.name.startswith("message_") else 0.5
        hit = [k for k in keys if k in _KEYED]
        if hit:
            return 0.9 if _in_fb_tree(f) else 0.6
        return 0.0

    def version(self, files: list[ExportFile]) -> str:
        if any("your_facebook_activity/" in f.path.lower() for f in files):
            return "your_facebook_activity/ (2023+)"
        if any(json_shape(f)[1][:1] == ["profile_v2"] for f in files):
            return "profile_v2 (2022+)"
        return "older layout (2018–2022)"

    def prepare(self, files: list[ExportFile], ctx: ParseContext) -> None:
        names: set[str] = set()
        threads: list[set[str]] = []
        for f in files:
            _shape, keys = json_shape(f)
            try:
                if keys[:1] in (["profile"], ["profile_v2"]):
                    prof = fix_tree(next(iter_json(f.open, keys[0]), {}))
                    full = ((prof or {}).get("name") or {}).get("full_name")
                    if full:
                        names.add(full)
                elif "participants" in keys:
                    ps = {
                        fix_mojibake(p.get("name", ""))
                        for p in iter_json(f.open, "participants.item")
                        if isinstance(p, dict)
                    }
                    threads.append({p for p in ps if p})
            except Exception:
                continue
        if not names and len(threads) >= 2:
            common = set.intersection(*threads)
            if len(common) == 1:
                names = common
        ctx.cache["facebook:self"] = names

    # ------------------------------------------------------------------ parsing
    def parse_file(self, f: ExportFile, ctx: ParseContext) -> Iterator[Item]:
        self._owner = sorted(ctx.cache.get("facebook:self", set()) | set(ctx.me), key=len,
                             reverse=True)
        shape, keys = json_shape(f)
        if shape == "array":
            is_reaction = f.match(*_REACTION_ARRAYS)
            for i, rec in enumerate(iter_json(f.open, "item")):
                rec = fix_tree(rec)
                if is_reaction:
                    it = self._reaction(rec, f, f"$[{i}]", "like")
                else:
                    it = self._post(rec, f, f"$[{i}]", "post")
                if it:
                    yield it
            return
        if "participants" in keys and "messages" in keys:
            yield from self._messages(f, ctx)
            return
        for key in keys:
            if key not in _KEYED:
                continue
            handler, kind = _KEYED[key]
            if handler == "none":
                continue
            if handler == "profile":
                prof = fix_tree(next(iter_json(f.open, key), {}))
                yield from self._profile(prof or {}, f, key)
                continue
            fn = getattr(self, "_" + handler)
            for i, rec in enumerate(iter_json(f.open, f"{key}.item")):
                it = fn(fix_tree(rec), f, f"$.{key}[{i}]", kind)
                if it:
                    yield it

    # ------------------------------------------------------------------ records
    @staticmethod
    def _attachments(rec: dict) -> tuple[list[str], list[str], list[str]]:
        urls, media, texts = [], [], []
        for att in rec.get("attachments") or []:
            for d in (att or {}).get("data") or []:
                if not isinstance(d, dict):
                    continue
                m = d.get("media")
                if isinstance(m, dict):
                    if m.get("uri"):
                        media.append(m["uri"])
                    if m.get("description"):
                        texts.append(m["description"])
                ec = d.get("external_context")
                if isinstance(ec, dict):
                    if ec.get("url"):
                        urls.append(ec["url"])
                    if ec.get("name"):
                        texts.append(ec["name"])
                if isinstance(d.get("text"), str):
                    texts.append(d["text"])
                # "… recommends Bar X" / "… was at Monas": the page or place is named here
                if isinstance(d.get("name"), str):
                    texts.append(d["name"])
                place = d.get("place")
                if isinstance(place, dict) and isinstance(place.get("name"), str):
                    texts.append(place["name"])
        return urls, media, texts

    def _post(self, rec: dict, f: ExportFile, where: str, kind: str) -> Item | None:
        if not isinstance(rec, dict):
            return None
        own = [d["post"] for d in rec.get("data") or [] if isinstance(d, dict) and d.get("post")]
        urls, media, att_texts = self._attachments(rec)
        text = "\n".join(own)
        title = rec.get("title") if isinstance(rec.get("title"), str) else ""
        if not text and (urls or att_texts):
            kind = "share"
            text = "\n".join(att_texts)
        if not text and not media and title:
            # only a title ("X shared a link.", "X recommends Bar X", "X was at …"): it is all
            # the export says of the act, and a shared campaign page looks just like this
            kind = "share"
            text = self._without_owner(title)
            if att_texts and text and att_texts[0] not in text:
                text = f"{text}\n{att_texts[0]}"
        if not text and not media and not urls:
            return None
        urls = urls + [u for u in find_urls(text) if u not in urls]
        return Item(
            platform=self.platform,
            kind=kind,
            created_at=from_unix(rec.get("timestamp")),
            text=text,
            urls=urls,
            media=media,
            locator=Locator(f.display, where, urls[0] if kind == "share" and urls else None),
            extra={"title": rec.get("title")} if rec.get("title") else {},
        )

    def _comment(self, rec: dict, f: ExportFile, where: str, kind: str) -> Item | None:
        if not isinstance(rec, dict):
            return None
        texts, group, author = [], None, None
        for d in rec.get("data") or []:
            c = (d or {}).get("comment") if isinstance(d, dict) else None
            if isinstance(c, dict):
                if c.get("comment"):
                    texts.append(c["comment"])
                group = group or c.get("group")
                author = author or c.get("author")
        urls, media, _ = self._attachments(rec)
        if not texts and not media:
            return None
        text = "\n".join(texts)
        return Item(
            platform=self.platform,
            kind="comment",
            created_at=from_unix(rec.get("timestamp")),
            text=text,
            urls=urls + find_urls(text),
            media=media,
            target=group,
            locator=Locator(f.display, where),
            extra={k: v for k, v in (("title", rec.get("title")), ("author", author)) if v},
        )

    def _without_owner(self, title: str) -> str:
        """The sentence without the owner's own name in front: a person named after a
        candidate must not make every reaction or title-only entry a finding."""
        for name in getattr(self, "_owner", []):
            if name and title.startswith(name):
                return title[len(name):].strip()
        return title

    def _reaction(self, rec: dict, f: ExportFile, where: str, kind: str) -> Item | None:
        if not isinstance(rec, dict):
            return None
        reaction = None
        for d in rec.get("data") or []:
            r = (d or {}).get("reaction") if isinstance(d, dict) else None
            if isinstance(r, dict):
                reaction = r.get("reaction")
        # The title is a localised sentence naming whose post was liked ("X menyukai kiriman Y");
        # it is the only description of the target the export has, so it is what gets judged.
        title = self._without_owner(rec.get("title") or "")
        if not title:
            return None
        return Item(
            platform=self.platform,
            kind="like",
            created_at=from_unix(rec.get("timestamp")),
            text="",
            target=title,
            locator=Locator(f.display, where),
            extra={"reaction": reaction} if reaction else {},
        )

    def _page(self, rec: dict, f: ExportFile, where: str, kind: str) -> Item | None:
        if not isinstance(rec, dict):
            return None
        name = rec.get("name")
        url = rec.get("url") or rec.get("href")
        if not name:
            for d in rec.get("data") or []:
                if isinstance(d, dict) and d.get("name"):
                    name = d["name"]
                    url = url or d.get("url")
                    break
        if not name:
            name = rec.get("title")
        if not name:
            return None
        return Item(
            platform=self.platform,
            kind=kind,
            created_at=from_unix(rec.get("timestamp")),
            target=name,
            urls=[url] if url else [],
            locator=Locator(f.display, where, url),
        )

    def _group(self, rec: dict, f: ExportFile, where: str, kind: str) -> Item | None:
        if not isinstance(rec, dict):
            return None
        names = [d["name"] for d in rec.get("data") or [] if isinstance(d, dict) and d.get("name")]
        if not names:  # a "left group" entry has only a title
            return None
        return Item(
            platform=self.platform,
            kind="join",
            created_at=from_unix(rec.get("timestamp")),
            target=names[0],
            locator=Locator(f.display, where),
            extra={"title": rec.get("title")} if rec.get("title") else {},
        )

    def _profile(self, prof: dict, f: ExportFile, key: str) -> Iterator[Item]:
        parts = []
        for field in ("about_me", "bio", "intro_bio", "favorite_quotes"):
            v = prof.get(field)
            if isinstance(v, dict):
                v = v.get("text") or v.get("value")
            if isinstance(v, str) and v.strip():
                parts.append(v)
        for w in prof.get("work_experiences") or []:
            if isinstance(w, dict):
                parts.extend(str(w[k]) for k in ("employer", "title") if w.get(k))
        if parts:
            yield Item(
                platform=self.platform,
                kind="bio",
                text="\n".join(parts),
                locator=Locator(f.display, f"$.{key}"),
            )
        # "Profile interests": pages listed on the profile (music, books, activities, ...)
        for gi, group in enumerate(prof.get("pages") or []):
            if not isinstance(group, dict):
                continue
            stamps = group.get("timestamps") or []
            for pi, page in enumerate(group.get("pages") or []):
                if not isinstance(page, str) or not page.strip():
                    continue
                ts = stamps[pi] if pi < len(stamps) else None
                yield Item(
                    platform=self.platform,
                    kind="like",
                    target=page,
                    created_at=from_unix(ts),
                    locator=Locator(f.display, f"$.{key}.pages[{gi}].pages[{pi}]"),
                    extra={"section": group.get("name")},
                )

    def _messages(self, f: ExportFile, ctx: ParseContext) -> Iterator[Item]:
        me = {n.casefold() for n in ctx.me} | {
            n.casefold() for n in ctx.cache.get("facebook:self", set())
        }
        thread = posixpath.basename(posixpath.dirname(f.path)) or f.name
        title = None
        for value in iter_json(f.open, "title"):
            title = fix_mojibake(value) if isinstance(value, str) else None
            break
        if not me:
            ctx.notice(f, "self_unknown", "Messenger")
            return
        for i, m in enumerate(iter_json(f.open, "messages.item")):
            if not isinstance(m, dict):
                continue
            m = fix_tree(m)
            if str(m.get("sender_name", "")).casefold() not in me:
                continue
            text = m.get("content") or ""
            media = [
                x.get("uri")
                for k in ("photos", "videos", "audio_files", "gifs", "files")
                for x in m.get(k) or []
                if isinstance(x, dict) and x.get("uri")
            ]
            share = m.get("share") if isinstance(m.get("share"), dict) else {}
            urls = ([share["link"]] if share.get("link") else []) + find_urls(text)
            if not text and not urls:
                continue
            yield Item(
                platform=self.platform,
                kind="message",
                created_at=from_unix(m.get("timestamp_ms")),
                text=text,
                urls=urls,
                media=media,
                target=title or thread,
                locator=Locator(f.display, f"$.messages[{i}]"),
            )

    def _any(self, value: Any) -> Any:  # pragma: no cover - kept for symmetry
        return value
