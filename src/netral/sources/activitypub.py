"""What an ActivityPub activity or actor says, in netral's terms: the one mapping shared by the
Mastodon archive reader (self-audit, ``outbox.json``/``actor.json``) and the ActivityPub
collector (monitoring, a public outbox), so a boost or a bio is the same act on both doors.

``Create`` of a note -> post (comment when it replies), ``Announce`` -> share (the boosted
note's text when embedded, else its address), ``Like`` -> like; the actor's name, ``summary``
and profile fields -> the bio text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from netral.text.html import html_to_text

PUBLIC_AUDIENCES = frozenset({"https://www.w3.org/ns/activitystreams#Public", "as:Public",
                              "Public"})
_HANDLE = re.compile(r"https?://([^/]+)/@([^/]+)")
_USERS = re.compile(r"https?://([^/]+)/users/([^/]+)")


@dataclass(slots=True)
class Activity:
    kind: str  # post | comment | share | like
    id: str | None
    published: str | None  # as written (ISO 8601); each door parses it its own way
    text: str
    url: str | None
    target: str | None = None  # the account acted on (``@user@host``), when known
    media: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    public: bool = True


def object_id(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else None


def handle_of(url: str | None) -> str | None:
    """``https://host/@user/123`` or ``https://host/users/user`` -> ``@user@host``."""
    m = _HANDLE.match(url or "") or _USERS.match(url or "")
    return f"@{m.group(2)}@{m.group(1)}" if m else None


def is_public(obj: dict[str, Any]) -> bool:
    audience: list[Any] = []
    for key in ("to", "cc"):
        v = obj.get(key)
        audience += v if isinstance(v, list) else [v]
    return any(a in PUBLIC_AUDIENCES for a in audience if isinstance(a, str))


def read_activity(act: dict[str, Any]) -> Activity | None:
    """One outbox activity; None for activities that are not an act of the account's owner
    netral judges (Follow requests, Undo, Delete, …)."""
    typ = act.get("type")
    obj = act.get("object")
    if typ == "Create" and isinstance(obj, dict):
        text = html_to_text(obj.get("content"))
        if obj.get("summary"):  # a content warning is part of what was posted
            text = f"{html_to_text(obj.get('summary'))}\n{text}".strip()
        reply = object_id(obj.get("inReplyTo"))
        url = obj.get("url") if isinstance(obj.get("url"), str) else object_id(obj)
        return Activity(
            kind="comment" if reply else "post",
            id=object_id(obj) or object_id(act),
            published=obj.get("published") or act.get("published"),
            text=text,
            url=url,
            target=handle_of(reply) if reply else None,
            media=[a["url"] for a in obj.get("attachment") or []
                   if isinstance(a, dict) and isinstance(a.get("url"), str)],
            tags=[t["name"] for t in obj.get("tag") or []
                  if isinstance(t, dict) and isinstance(t.get("name"), str)],
            public=is_public(obj) or is_public(act),
        )
    if typ in ("Announce", "Like"):
        url = object_id(obj)
        embedded = html_to_text(obj.get("content")) if isinstance(obj, dict) else ""
        return Activity(
            kind="share" if typ == "Announce" else "like",
            id=object_id(act),
            published=act.get("published"),
            text=embedded or (url or "") if typ == "Announce" else embedded,
            url=url,
            target=handle_of(url),
            public=is_public(act) if typ == "Announce" else True,
        )
    return None


def actor_bio(actor: dict[str, Any]) -> str:
    """The profile as a bio: display name, ``summary`` and the profile fields."""
    parts = [actor.get("name") or "", html_to_text(actor.get("summary"))]
    for prop in actor.get("attachment") or []:
        if isinstance(prop, dict) and prop.get("type", "PropertyValue") == "PropertyValue":
            parts.append(f"{prop.get('name', '')}: {html_to_text(prop.get('value'))}")
    return "\n".join(p for p in parts if isinstance(p, str) and p).strip()
