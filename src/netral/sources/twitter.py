"""X / Twitter archive (``data/*.js``).

Layouts accepted (see docs/audit.md): ``tweet.js`` with bare tweet objects (2019),
``tweet.js`` with ``{"tweet": …}`` wrappers (2020–2022), ``tweets.js`` (Nov 2022+), multi-part
files (``tweets-part1.js`` …), ``deleted-tweets.js``, ``like.js``, ``following.js``,
``profile.js`` and ``account.js``. Every file is JavaScript: ``window.YTD.<name>.partN = [``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from netral.item import Item, Locator
from netral.sources.archive import ExportFile
from netral.sources.base import ParseContext, Parser, head_text
from netral.sources.helpers import iter_json, parse_twitter_time

_YTD = re.compile(r"window\.YTD\.([A-Za-z_]+)\.part(\d+)\s*=")
_TWEET_FILES = (
    "tweet",
    "tweets",
    "deleted_tweets",
    "deleted-tweets",
    "community_tweet",
    "community-tweet",
)
_KNOWN = {*_TWEET_FILES, "like", "following", "profile", "account"}
_RT = re.compile(r"^RT @([A-Za-z0-9_]{1,30}):\s?")


def _ytd_name(f: ExportFile) -> str | None:
    if not f.name.lower().endswith(".js"):
        return None
    m = _YTD.search(head_text(f, 512))
    return m.group(1) if m else None


def _base(name: str) -> str:
    return name.replace("_", "-").lower()


class TwitterParser(Parser):
    platform = "twitter"
    label = "X / Twitter"

    def can_read(self, f: ExportFile) -> float:
        name = _ytd_name(f)
        if name is None:
            return 0.0
        return 0.95 if _base(name) in {_base(k) for k in _KNOWN} else 0.3

    def version(self, files: list[ExportFile]) -> str:
        names = {f.name.lower() for f in files}
        if any(n.startswith("tweets") for n in names):
            return "tweets.js (2022+)"
        for f in files:
            if f.name.lower().startswith("tweet"):
                wrapped = '"tweet"' in head_text(f, 2048)
                return "tweet.js, wrapped (2020–2022)" if wrapped else "tweet.js, bare (2019)"
        return "data/*.js"

    def prepare(self, files: list[ExportFile], ctx: ParseContext) -> None:
        for f in files:
            if f.name.lower() == "account.js":
                try:
                    for rec in iter_json(f.open, "item", skip_to=b"["):
                        acc = rec.get("account", rec) if isinstance(rec, dict) else {}
                        if acc.get("username"):
                            ctx.cache[f"twitter:user:{f.container}"] = acc["username"]
                except Exception:
                    pass

    def parse_file(self, f: ExportFile, ctx: ParseContext) -> Iterator[Item]:
        name = _base(_ytd_name(f) or "")
        user = ctx.cache.get(f"twitter:user:{f.container}")
        records = iter_json(f.open, "item", skip_to=b"[")
        tweets = name in {_base(k) for k in _TWEET_FILES}  # once a file, not once a record
        for i, rec in enumerate(records):
            if not isinstance(rec, dict):
                continue
            if tweets:
                item = self._tweet(rec, f, i, user, deleted=name.startswith("deleted"))
            elif name == "like":
                item = self._like(rec, f, i)
            elif name == "following":
                item = self._following(rec, f, i)
            elif name == "profile":
                item = self._profile(rec, f, i, user)
            elif name == "account":
                item = self._account(rec, f, i)
            else:
                item = None
            if item is not None:
                yield item

    # -- record types
    def _tweet(self, rec: dict, f: ExportFile, i: int, user: str | None, deleted: bool):
        wrapped = "tweet" in rec and isinstance(rec["tweet"], dict)
        t = rec["tweet"] if wrapped else rec
        where = f"$[{i}].tweet" if wrapped else f"$[{i}]"
        tid = str(t.get("id_str") or t.get("id") or "") or None
        text = html.unescape(t.get("full_text") or t.get("text") or "")
        ent = t.get("entities") or {}
        urls = [u.get("expanded_url") for u in ent.get("urls") or [] if u.get("expanded_url")]
        media = [
            m.get("media_url_https") or m.get("media_url")
            for m in (t.get("extended_entities") or ent).get("media") or []
            if isinstance(m, dict)
        ]
        kind, target = "post", None
        m = _RT.match(text)
        if m:
            kind, target = "share", "@" + m.group(1)
        elif t.get("in_reply_to_status_id_str") or t.get("in_reply_to_status_id"):
            kind = "comment"
            if t.get("in_reply_to_screen_name"):
                target = "@" + t["in_reply_to_screen_name"]
        extra = {}
        if deleted:
            extra["deleted_at"] = t.get("deleted_at")
        if t.get("is_quote_status") in (True, "true") or t.get("quoted_status_permalink"):
            extra["quote"] = True
        link = f"https://x.com/{user or 'i/web'}/status/{tid}" if tid else None
        return Item(
            platform=self.platform,
            kind=kind,
            id=tid,
            created_at=parse_twitter_time(t.get("created_at")),
            text=text,
            urls=urls,
            media=[x for x in media if x],
            target=target,
            locator=Locator(f.display, where, link),
            extra=extra,
        )

    def _like(self, rec: dict, f: ExportFile, i: int):
        lk = rec.get("like", rec)
        tid = str(lk.get("tweetId") or "") or None
        text = html.unescape(lk.get("fullText") or "")
        link = lk.get("expandedUrl") or (f"https://x.com/i/web/status/{tid}" if tid else None)
        return Item(
            platform=self.platform,
            kind="like",
            id=tid,
            created_at=None,
            text=text,
            urls=[link] if link else [],
            locator=Locator(f.display, f"$[{i}].like", link),
        )

    def _following(self, rec: dict, f: ExportFile, i: int):
        fo = rec.get("following", rec)
        aid = str(fo.get("accountId") or "") or None
        link = fo.get("userLink") or (f"https://x.com/intent/user?user_id={aid}" if aid else None)
        # The archive names followed accounts only by numeric id; a screen name, when some
        # tool has added one, is used as the judged target.
        target = fo.get("screenName") or fo.get("name")
        return Item(
            platform=self.platform,
            kind="follow",
            id=aid,
            target=target,
            locator=Locator(f.display, f"$[{i}].following", link),
            extra={"account_id": aid},
        )

    def _profile(self, rec: dict, f: ExportFile, i: int, user: str | None):
        pr = rec.get("profile", rec)
        desc = pr.get("description") or {}
        parts = [desc.get("bio"), desc.get("location"), desc.get("website")]
        text = "\n".join(p for p in parts if p)
        if not text:
            return None
        link = f"https://x.com/{user}" if user else None
        return Item(
            platform=self.platform,
            kind="bio",
            text=text,
            locator=Locator(f.display, f"$[{i}].profile.description", link),
        )

    def _account(self, rec: dict, f: ExportFile, i: int):
        acc = rec.get("account", rec)
        name = acc.get("accountDisplayName")
        if not name:
            return None
        user = acc.get("username")
        return Item(
            platform=self.platform,
            kind="bio",
            text=name,
            id=acc.get("accountId"),
            locator=Locator(
                f.display,
                f"$[{i}].account.accountDisplayName",
                f"https://x.com/{user}" if user else None,
            ),
            extra={"field": "display_name"},
        )
