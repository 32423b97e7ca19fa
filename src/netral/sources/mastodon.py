"""Mastodon (and other ActivityPub) account archive.

``outbox.json`` (OrderedCollection of ``Create`` Notes and ``Announce`` boosts; streamed — big
accounts have multi-MB single-line files), ``actor.json`` (profile bio ``summary``, ``name``,
profile fields), ``likes.json`` (URL strings only) and the separate follows export
``following_accounts.csv`` (``Account address,…``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

from netral.item import Item, Locator
from netral.sources.archive import ExportFile
from netral.sources.base import ParseContext, Parser, head_text, json_shape
from netral.sources.helpers import decode_bytes, find_urls, html_to_text, iter_json, parse_iso

_HANDLE = re.compile(r"https?://([^/]+)/@([^/]+)")
_USERS = re.compile(r"https?://([^/]+)/users/([^/]+)")


def _handle_of(url: str) -> str | None:
    m = _HANDLE.match(url or "") or _USERS.match(url or "")
    return f"@{m.group(2)}@{m.group(1)}" if m else None


class MastodonParser(Parser):
    platform = "mastodon"
    label = "Mastodon / ActivityPub"

    def _kind(self, f: ExportFile) -> str | None:
        n = f.name.lower()
        if n.endswith(".csv"):
            first = head_text(f, 512).lstrip("\ufeff").splitlines()[:1]
            if first and first[0].lower().startswith("account address"):
                return "follows"
            return None
        if not n.endswith(".json"):
            return None
        shape, keys = json_shape(f)
        if shape != "object":
            return None
        head = head_text(f, 4096)
        if "orderedItems" in keys or '"OrderedCollection"' in head:
            if n.startswith("outbox") or '"Create"' in head or '"Announce"' in head:
                return "outbox"
            if n.startswith("likes"):
                return "likes"
            return None
        if '"Person"' in head and ("preferredUsername" in keys or "summary" in keys):
            return "actor"
        return None

    def can_read(self, f: ExportFile) -> float:
        k = self._kind(f)
        if k is None:
            return 0.0
        return 0.9 if k != "follows" else 0.8

    def version(self, files: list[ExportFile]) -> str:
        return (
            "ActivityPub archive (outbox.json)"
            if any(f.name.lower() == "outbox.json" for f in files)
            else "CSV export"
        )

    def parse_file(self, f: ExportFile, ctx: ParseContext) -> Iterator[Item]:
        k = self._kind(f)
        if k == "outbox":
            yield from self._outbox(f)
        elif k == "likes":
            for i, url in enumerate(iter_json(f.open, "orderedItems.item")):
                if isinstance(url, dict):
                    url = url.get("id") or url.get("object")
                if isinstance(url, str):
                    yield Item(
                        platform=self.platform,
                        kind="like",
                        target=_handle_of(url),
                        urls=[url],
                        locator=Locator(f.display, f"$.orderedItems[{i}]", url),
                    )
        elif k == "actor":
            actor = next(iter_json(f.open, ""), {}) or {}
            parts = [actor.get("name"), html_to_text(actor.get("summary"))]
            for att in actor.get("attachment") or []:
                if isinstance(att, dict):
                    parts.append(f"{att.get('name', '')}: {html_to_text(att.get('value'))}")
            text = "\n".join(p for p in parts if p)
            if text:
                yield Item(
                    platform=self.platform,
                    kind="bio",
                    text=text,
                    locator=Locator(f.display, "$.summary", actor.get("url")),
                )
        elif k == "follows":
            text, _ = decode_bytes(f.read_bytes())
            reader = csv.reader(io.StringIO(text))
            next(reader, None)
            for line, row in enumerate(reader, start=2):
                if not row or not row[0].strip():
                    continue
                acct = row[0].strip()
                user, _, host = acct.partition("@")
                link = f"https://{host}/@{user}" if host else None
                yield Item(
                    platform=self.platform,
                    kind="follow",
                    target="@" + acct,
                    locator=Locator(f.display, f"line {line}", link),
                )

    def _outbox(self, f: ExportFile) -> Iterator[Item]:
        for i, act in enumerate(iter_json(f.open, "orderedItems.item")):
            if not isinstance(act, dict):
                continue
            where = f"$.orderedItems[{i}]"
            typ = act.get("type")
            obj = act.get("object")
            when = parse_iso(act.get("published"))
            if typ == "Announce":
                url = obj if isinstance(obj, str) else (obj or {}).get("id")
                yield Item(
                    platform=self.platform,
                    kind="share",
                    id=act.get("id"),
                    created_at=when,
                    target=_handle_of(url or ""),
                    urls=[url] if url else [],
                    locator=Locator(f.display, where, url),
                )
                continue
            if typ != "Create" or not isinstance(obj, dict):
                continue
            text = html_to_text(obj.get("content"))
            if obj.get("summary"):
                text = f"{html_to_text(obj['summary'])}\n{text}"
            tags = [t.get("name") for t in obj.get("tag") or [] if isinstance(t, dict)]
            media = [
                a.get("url")
                for a in obj.get("attachment") or []
                if isinstance(a, dict) and a.get("url")
            ]
            reply = obj.get("inReplyTo")
            yield Item(
                platform=self.platform,
                kind="comment" if reply else "post",
                id=obj.get("id"),
                created_at=parse_iso(obj.get("published")) or when,
                text=text,
                urls=find_urls(text),
                media=media,
                target=_handle_of(reply) if reply else None,
                locator=Locator(f.display, where + ".object", obj.get("url") or obj.get("id")),
                extra={"tags": [t for t in tags if t]},
            )
