"""Mastodon (and other ActivityPub) account archive.

``outbox.json`` (OrderedCollection of ``Create`` Notes and ``Announce`` boosts; streamed — big
accounts have multi-MB single-line files), ``actor.json`` (profile bio ``summary``, ``name``,
profile fields), ``likes.json`` (URL strings only) and the separate follows export
``following_accounts.csv`` (``Account address,…``).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from netral.item import Item, Locator
from netral.sources.activitypub import actor_bio, handle_of, read_activity
from netral.sources.archive import ExportFile
from netral.sources.base import ParseContext, Parser, head_text, json_shape
from netral.sources.helpers import (
    find_urls,
    iter_json,
    parse_iso,
    sniff_encoding,
    text_lines,
)


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
                        target=handle_of(url),
                        urls=[url],
                        locator=Locator(f.display, f"$.orderedItems[{i}]", url),
                    )
        elif k == "actor":
            actor = next(iter_json(f.open, ""), {}) or {}
            text = actor_bio(actor) if isinstance(actor, dict) else ""
            if text:
                yield Item(
                    platform=self.platform,
                    kind="bio",
                    text=text,
                    locator=Locator(f.display, "$.summary", actor.get("url")),
                )
        elif k == "follows":
            # streamed, line length bounded: never the whole file in memory
            reader = csv.reader(text_lines(f.open, sniff_encoding(f.head(65536))))
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
            a = read_activity(act)  # the mapping the ActivityPub collector uses too
            if a is None or a.kind == "like":  # likes are read from likes.json
                continue
            where = f"$.orderedItems[{i}]" + (".object" if a.kind in ("post", "comment") else "")
            yield Item(
                platform=self.platform,
                kind=a.kind,
                id=a.id,
                created_at=parse_iso(a.published) or parse_iso(act.get("published")),
                text=a.text,
                urls=find_urls(a.text) if a.kind != "share" else ([a.url] if a.url else []),
                media=a.media,
                target=a.target,
                locator=Locator(f.display, where, a.url),
                extra={"tags": a.tags} if a.kind in ("post", "comment") else {},
            )
