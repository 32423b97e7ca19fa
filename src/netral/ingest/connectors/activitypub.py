"""ActivityPub (Mastodon and other fediverse servers) public outbox connector.

``source`` is an outbox URL (``https://instance/users/alice/outbox``), an actor URL
(``https://instance/users/alice`` — its ``outbox`` is followed), or a local ``outbox.json``
of a Mastodon account archive. Pages (``first``/``next``) are followed up to ``max_items``.

Mapping: ``Create`` of a ``Note`` -> post (comment when ``inReplyTo`` is set), ``Announce``
-> share (the boosted URL, or the embedded note's text), ``Like`` -> like; the actor's profile
``summary`` -> a ``bio`` item whose id changes when the bio text changes, so bio edits are
kept as separate items. Only public content is fetched, unauthenticated.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import orjson

from netral.ingest.connectors.http import USER_AGENT, FetchError, fetch_bytes, is_url
from netral.sources.activitypub import actor_bio, object_id, read_activity
from netral.store.handles import normalise_handle

ACCEPT = (
    "application/activity+json, "
    'application/ld+json; profile="https://www.w3.org/ns/activitystreams", application/json'
)


def _load(source: str, client: httpx.Client | None) -> dict[str, Any]:
    data = fetch_bytes(source, accept=ACCEPT, client=client)
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise FetchError(f"{source}: not JSON ({exc})") from exc
    if not isinstance(doc, dict):
        raise FetchError(f"{source}: expected a JSON object")
    return doc


def _handle(actor: str | None, fallback: str | None) -> str:
    if fallback:
        return normalise_handle("mastodon", fallback)
    return normalise_handle("mastodon", actor or "")


def activity_to_record(act: dict[str, Any], handle: str | None = None) -> dict[str, Any] | None:
    """One outbox activity -> a collector record (None for non-public or unknown activities);
    the mapping is the Mastodon archive reader's (:mod:`netral.sources.activitypub`)."""
    a = read_activity(act)
    if a is None or not a.public:
        return None
    return {
        "platform": "mastodon",
        "handle": _handle(object_id(act.get("actor")), handle),
        "collector": "activitypub",
        "raw": act,
        "external_id": a.id,
        "kind": a.kind,
        "text": a.text,
        "target": a.target,
        "created_at": a.published,
        "url": a.url,
        "media": a.media,
    }


def actor_to_record(actor: dict[str, Any], handle: str | None = None) -> dict[str, Any] | None:
    """The actor's profile bio (summary, display name, profile fields) as a ``bio`` item whose
    id changes when the text changes, so bio edits are kept as separate items."""
    text = actor_bio(actor)
    actor_id = object_id(actor)
    if not text or not actor_id:
        return None
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    return {
        "platform": "mastodon",
        "handle": _handle(actor_id, handle or _acct(actor)),
        "external_id": f"bio:{actor_id}:{digest}",
        "kind": "bio",
        "text": text,
        "url": actor.get("url") if isinstance(actor.get("url"), str) else actor_id,
        "collector": "activitypub",
        "raw": actor,
    }


def _acct(actor: dict[str, Any]) -> str | None:
    user = actor.get("preferredUsername")
    actor_id = object_id(actor)
    if user and actor_id and is_url(actor_id):
        return f"{user}@{urlsplit(actor_id).netloc}"
    return None


class ActivityPubConnector:
    name = "activitypub"

    def fetch(
        self,
        source: str,
        *,
        handle: str | None = None,
        max_items: int = 5000,
        client: httpx.Client | None = None,
        **_: Any,
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        own = client is None and is_url(source)
        if own:
            client = httpx.Client(
                timeout=20.0, follow_redirects=True, headers={"User-Agent": USER_AGENT}
            )
        try:
            yield from self._fetch(source, handle, max_items, client)
        finally:
            if own and client is not None:
                client.close()

    def _fetch(self, source, handle, max_items, client) -> Iterator[tuple[str, dict[str, Any]]]:
        doc = _load(source, client)
        if doc.get("type") in ("Person", "Service", "Group", "Organization", "Application"):
            handle = handle or _acct(doc)
            bio = actor_to_record(doc, handle)
            if bio:
                yield f"{source}#profile", bio
            outbox = object_id(doc.get("outbox"))
            if not outbox:
                return
            source, doc = outbox, _load(outbox, client) if is_url(outbox) else {}
        count = 0
        page: dict[str, Any] | None = doc
        page_url = source
        seen_pages: set[str] = set()
        while page is not None and count < max_items:
            items = page.get("orderedItems") or page.get("items") or []
            for n, act in enumerate(items):
                if not isinstance(act, dict):
                    continue
                rec = activity_to_record(act, handle)
                if rec is None:
                    continue
                yield f"{page_url}#{n}", rec
                count += 1
                if count >= max_items:
                    return
            nxt = page.get("next") if items else page.get("first")
            if isinstance(nxt, dict) and nxt.get("orderedItems") is not None:
                page, page_url = nxt, object_id(nxt) or page_url
                continue
            nxt_url = object_id(nxt)
            if not nxt_url or nxt_url in seen_pages or not is_url(nxt_url):
                return
            seen_pages.add(nxt_url)
            page, page_url = _load(nxt_url, client), nxt_url
