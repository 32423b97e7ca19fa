"""RSS 2.0 / Atom feed connector (a staff member's blog, an agency news feed, a public
feed bridge of a social account).

``source`` is the feed URL (or a local file). Each entry becomes a ``post`` record on
platform ``rss`` whose handle is the feed URL without scheme (as in the roster:
platform ``rss``, akun = feed URL), unless ``handle`` is given.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from netral.ingest.connectors.http import FetchError, fetch_bytes
from netral.store.handles import normalise_handle
from netral.text.html import html_to_text

ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8"
ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC_DATE = "{http://purl.org/dc/elements/1.1/}date"


def _text(el: ET.Element | None) -> str:
    return "" if el is None or el.text is None else el.text.strip()


def _rfc822(value: str) -> str | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).isoformat()
    except (TypeError, ValueError):
        return value  # maybe ISO already; the schema parser decides


def _element_dict(el: ET.Element) -> dict[str, Any]:
    """A JSON-able copy of an XML element (the raw payload)."""
    out: dict[str, Any] = {"tag": el.tag}
    if el.attrib:
        out["attrib"] = dict(el.attrib)
    if el.text and el.text.strip():
        out["text"] = el.text.strip()
    children = [_element_dict(c) for c in el]
    if children:
        out["children"] = children
    return out


def parse_feed(data: bytes, feed_url: str, handle: str | None = None):
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise FetchError(f"{feed_url}: not an RSS/Atom feed ({exc})") from exc
    h = normalise_handle("rss", handle or feed_url)
    if root.tag == f"{ATOM}feed":
        for n, entry in enumerate(root.findall(f"{ATOM}entry")):
            link = next(
                (
                    li.get("href")
                    for li in entry.findall(f"{ATOM}link")
                    if li.get("rel", "alternate") == "alternate"
                ),
                None,
            )
            body = _text(entry.find(f"{ATOM}content")) or _text(entry.find(f"{ATOM}summary"))
            title = html_to_text(_text(entry.find(f"{ATOM}title")))
            yield (
                f"entry {n}",
                {
                    "platform": "rss",
                    "handle": h,
                    "external_id": _text(entry.find(f"{ATOM}id")) or link,
                    "kind": "post",
                    "text": "\n".join(p for p in (title, html_to_text(body)) if p),
                    "created_at": _text(entry.find(f"{ATOM}published"))
                    or _text(entry.find(f"{ATOM}updated"))
                    or None,
                    "url": link,
                    "collector": "rss",
                    "raw": _element_dict(entry),
                },
            )
        return
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise FetchError(f"{feed_url}: not an RSS/Atom feed (root <{root.tag}>)")
    for n, item in enumerate(channel.findall("item")):
        link = _text(item.find("link")) or None
        body = _text(item.find(CONTENT)) or _text(item.find("description"))
        title = html_to_text(_text(item.find("title")))
        yield (
            f"item {n}",
            {
                "platform": "rss",
                "handle": h,
                "external_id": _text(item.find("guid")) or link,
                "kind": "post",
                "text": "\n".join(p for p in (title, html_to_text(body)) if p),
                "created_at": _rfc822(_text(item.find("pubDate")))
                or _text(item.find(DC_DATE))
                or None,
                "url": link,
                "media": [e.get("url") for e in item.findall("enclosure") if e.get("url")],
                "collector": "rss",
                "raw": _element_dict(item),
            },
        )


class FeedConnector:
    name = "rss"

    def fetch(
        self,
        source: str,
        *,
        handle: str | None = None,
        client: httpx.Client | None = None,
        **_: Any,
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        data = fetch_bytes(source, accept=ACCEPT, client=client)
        yield from parse_feed(data, source, handle)
