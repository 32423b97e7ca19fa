"""Platform names and account handles in one normal form, shared by roster import and
ingestion so that items match staff accounts exactly."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

PLATFORMS = (
    "twitter",
    "facebook",
    "instagram",
    "threads",
    "tiktok",
    "youtube",
    "mastodon",
    "bluesky",
    "telegram",
    "whatsapp",
    "linkedin",
    "rss",
)

_ALIASES = {
    "x": "twitter",
    "x.com": "twitter",
    "twitter/x": "twitter",
    "fb": "facebook",
    "ig": "instagram",
    "insta": "instagram",
    "tt": "tiktok",
    "yt": "youtube",
    "bsky": "bluesky",
    "tg": "telegram",
    "wa": "whatsapp",
    "activitypub": "mastodon",
    "fediverse": "mastodon",
    "atom": "rss",
    "web": "rss",
    "blog": "rss",
}


def normalise_platform(name: str | None) -> str | None:
    """The canonical platform name, or None when unknown/empty."""
    if not name:
        return None
    key = str(name).strip().lower()
    key = _ALIASES.get(key, key)
    return key if key in PLATFORMS else None


_MASTODON_URL = re.compile(r"^/@([^/@]+)(?:@([^/]+))?")
_USERS_URL = re.compile(r"^/users/([^/]+)")


def normalise_handle(platform: str, handle: str | None) -> str:
    """Lower-case handle without leading "@" or profile URL.

    Mastodon handles become ``user@instance`` (from ``@user@instance`` or a profile URL
    ``https://instance/@user``); RSS "handles" are the feed URL without scheme.
    """
    if handle is None:
        return ""
    h = str(handle).strip()
    if not h:
        return ""
    if platform == "rss":
        parts = urlsplit(h if "://" in h else f"https://{h}")
        return (parts.netloc.lower() + parts.path.rstrip("/")).strip()
    if h.startswith(("http://", "https://")):
        parts = urlsplit(h)
        host = parts.netloc.lower().removeprefix("www.").removeprefix("m.")
        path = parts.path
        if platform == "mastodon":
            m = _MASTODON_URL.match(path) or _USERS_URL.match(path)
            if m:
                user = m.group(1)
                inst = m.group(2) if m.lastindex and m.lastindex >= 2 and m.group(2) else host
                return f"{user}@{inst}".lower()
        segs = [s for s in path.split("/") if s]
        if platform == "facebook" and segs and segs[0] == "profile.php":
            return parts.query.lower()
        h = segs[0] if segs else ""
    h = h.lstrip("@").strip().lower()
    return h
