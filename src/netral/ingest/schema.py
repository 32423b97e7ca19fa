"""The collector schema: one record per collected act, as JSONL/CSV/JSON or from a connector.

Fields (``docs/monitoring.md`` has the full table)::

    platform     required  twitter, facebook, instagram, tiktok, mastodon, rss, … (aliases ok)
    handle       required  the account that acted (alias: account, author, username)
    external_id  optional  the platform's id of the act (alias: id); derived when absent
    kind         optional  post (default), comment, share, like, follow, join, bio, message
    text         optional  the content (for like/follow/join: the target's name/text)
    target       optional  the account/page/group acted on (like/follow/join)
    created_at   optional  ISO-8601 (naive = UTC) or Unix seconds/milliseconds
    url          optional  link to the act on the platform
    media        optional  list of media URLs/paths (CSV: separated by " | ")
    raw          optional  the original payload (object); defaults to the record itself
    collected_at optional  when the collector fetched it (default: created_at, else ingest time)
    collector    optional  name/version of the collector

Everything stored is derived from the record alone, so re-reading the same source yields the
same rows (idempotent ingestion).
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from typing import Any

import orjson

from netral.item import Item, Locator, Provenance
from netral.store.handles import normalise_handle, normalise_platform
from netral.store.models import ItemKind

KINDS = {k.value for k in ItemKind}
_KIND_ALIASES = {
    "status": "post",
    "tweet": "post",
    "toot": "post",
    "note": "post",
    "reply": "comment",
    "retweet": "share",
    "repost": "share",
    "boost": "share",
    "announce": "share",
    "reaction": "like",
    "favourite": "like",
    "favorite": "like",
    "join_group": "join",
    "profile": "bio",
}


class RecordError(ValueError):
    """A record that cannot be ingested (the message says why)."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


def canonical_bytes(value: Any) -> bytes:
    """Canonical JSON (sorted keys, compact, UTF-8) as used for ``content_hash``."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)


def content_hash(raw: Any) -> str:
    return hashlib.sha256(canonical_bytes(raw)).hexdigest()


# What a text column cannot hold on one engine or the other: NUL (PostgreSQL refuses it in
# text, where SQLite keeps it) and a lone half of a surrogate pair (not UTF-8: half of an
# escaped emoji, ``\ud83d``, or an undecodable byte of a file name kept by surrogateescape).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def storable(text: str) -> str:
    """``text`` with each character no text column can hold as U+FFFD (the same item on both
    engines; one such record must not stop an ingest). Text without one is returned as is."""
    return text if _UNSTORABLE.search(text) is None else _UNSTORABLE.sub("\ufffd", text)


def external_id(value: Any) -> str:
    """The stored form of an item's external id, the one key (with the platform) that makes a
    re-run find what it stored: at most 512 characters (the column), each NUL or lone surrogate
    as U+FFFD, the same on both engines. Every id goes through here; migration 0011 brought the
    ids SQLite had stored with a NUL before to this form."""
    return storable(str(value)[:512])


def _storable_json(value: Any) -> Any:
    """``value`` (parsed JSON) with lone surrogates replaced in its strings and keys: what
    orjson, and so the content hash, can encode. NUL stays: JSON writes it as ``\\u0000``."""
    if isinstance(value, str):
        return value if _SURROGATE.search(value) is None else _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_storable_json(k) if isinstance(k, str) else k: _storable_json(v)
                for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_storable_json(v) for v in value]
    return value


def parse_time(value: Any) -> datetime | None:
    """ISO-8601 text (naive = UTC, trailing Z ok) or Unix seconds/milliseconds -> aware UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if isinstance(value, bool):
        raise RecordError("bad_time", repr(value))
    if isinstance(value, int | float) or (isinstance(value, str) and value.strip().isdigit()):
        n = float(value)
        if n > 1e11:  # milliseconds
            n /= 1000.0
        try:
            return datetime.fromtimestamp(n, UTC)
        except (OverflowError, OSError, ValueError):  # beyond the years a datetime holds
            raise RecordError("bad_time", repr(value)) from None
    s = str(value).strip()
    if s.endswith(("Z", "z")):
        s = s[:-1] + "+00:00"
    try:
        dt = datetime.fromisoformat(s)
        # astimezone overflows at the calendar's edge (year 9999 at UTC-1, year 1 at UTC+1)
        return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)
    except (ValueError, OverflowError):
        raise RecordError("bad_time", repr(value)) from None


def _first(record: dict[str, Any], *keys: str) -> Any:
    for k in keys:
        v = record.get(k)
        if v is not None and v != "":
            return v
    return None


def normalise_record(
    record: dict[str, Any],
    *,
    default_platform: str | None = None,
    default_handle: str | None = None,
    collector: str = "",
    source: str = "",
    where: str | None = None,
) -> Item:
    """Validate one collector record and bring it to the one :class:`netral.item.Item`;
    ``source``/``where`` say where it was read (file or URL, position)."""
    if not isinstance(record, dict):
        raise RecordError("not_object", type(record).__name__)
    platform_raw = _first(record, "platform") or default_platform
    platform = normalise_platform(platform_raw)
    if platform is None and default_platform:  # e.g. the self-audit "generic" parser
        platform = normalise_platform(default_platform)
    if platform is None:
        raise RecordError("bad_platform", repr(platform_raw))
    handle_raw = _first(record, "handle", "account", "author", "username") or default_handle
    handle = normalise_handle(platform, handle_raw)
    if not handle:
        raise RecordError("missing_handle")
    kind_raw = str(_first(record, "kind", "type") or "post").strip().lower()
    kind = _KIND_ALIASES.get(kind_raw, kind_raw)
    if kind not in KINDS:
        raise RecordError("bad_kind", repr(kind_raw))
    text = _first(record, "text", "content") or ""
    if not isinstance(text, str):
        text = str(text)
    target = _first(record, "target")
    created_at = parse_time(_first(record, "created_at", "published", "date"))
    raw = record.get("raw")
    if raw is None:
        raw = {k: v for k, v in record.items() if k != "raw"}
    elif not isinstance(raw, dict):
        raw = {"value": raw}
    media = record.get("media") or []
    if isinstance(media, str):
        media = [m.strip() for m in media.split("|") if m.strip()]
    elif not isinstance(media, list):
        media = [media]
    url = _first(record, "url", "link")
    ext = _first(record, "external_id", "id")
    if ext is None:
        key = {
            "platform": platform,
            "handle": handle,
            "kind": kind,
            "created_at": created_at.isoformat() if created_at else None,
            "text": text,  # as collected: an id made before NUL became U+FFFD stays the same
            "target": target,
            "url": url,
        }
        ext = "sha256:" + hashlib.sha256(canonical_bytes(_storable_json(key))).hexdigest()
    collected_at = parse_time(record.get("collected_at")) or created_at
    try:
        digest = content_hash(raw)
    except TypeError:  # a lone surrogate somewhere in the record (orjson refuses it)
        raw = _storable_json(raw)
        try:
            digest = content_hash(raw)
        except TypeError as exc:  # e.g. an integer beyond 64 bits: this record only
            raise RecordError("bad_raw", str(exc)) from None
    return Item(
        platform=platform,
        kind=kind,
        locator=Locator(source, where, None if url is None else storable(str(url)[:2048])),
        id=external_id(ext),
        created_at=created_at,
        text=storable(text),
        media=[storable(m) if isinstance(m, str) else m for m in media],
        target=None if target is None else storable(str(target)),
        author=handle,
        provenance=Provenance(raw=raw, content_hash=digest, collected_at=collected_at,
                              collector=storable(str(record.get("collector") or collector)[:128])),
    )
