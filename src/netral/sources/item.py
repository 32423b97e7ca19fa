"""The one normalised item every platform parser yields."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

KINDS = ("post", "comment", "share", "like", "follow", "join", "bio", "message")

# Acts whose own text is often empty: the detector judges the target (page, account,
# group, liked post) instead.
INTERACTION_KINDS = frozenset({"like", "follow", "join"})


_HANDLE_SEP = re.compile(r"[._]+")


def readable_handle(target: str) -> str:
    """``@tkn.prabowo_gibran`` -> ``@tkn.prabowo_gibran (tkn prabowo gibran)`` so the words of a
    glued account handle can be judged; other names are returned unchanged."""
    if not target or " " in target or not _HANDLE_SEP.search(target.lstrip("@")):
        return target
    words = _HANDLE_SEP.sub(" ", target.lstrip("@")).strip()
    return f"{target} ({words})" if words else target


@dataclass(slots=True)
class Locator:
    """Where the person finds the item again: file, position inside it, original link."""

    file: str  # human path, e.g. "twitter.zip!data/tweets.js"
    where: str | None = None  # JSON path ("$[12].tweet") or "line 345"
    link: str | None = None  # original URL on the platform, when the export has one

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "where": self.where, "link": self.link}


@dataclass(slots=True)
class Item:
    platform: str
    kind: str
    locator: Locator
    id: str | None = None
    created_at: datetime | None = None  # timezone-aware, or None when the export has no date
    text: str = ""  # what the person wrote (or the liked post's text)
    urls: list[str] = field(default_factory=list)
    media: list[str] = field(default_factory=list)  # paths relative to the export root
    target: str | None = None  # account / page / group / chat name the act is about
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown item kind {self.kind!r}")
        if self.created_at is not None and self.created_at.tzinfo is None:
            raise ValueError("created_at must be timezone-aware")

    def subject_text(self) -> str:
        """The text the detector judges for this item.

        Own content is judged on its own text. For likes / follows / joins the detector judges
        the target's name and, where the export has it, the liked post's text.
        """
        text = (self.text or "").strip()
        if self.kind in INTERACTION_KINDS:
            target = readable_handle((self.target or "").strip())
            if target and text and target not in text:
                return f"{target}: {text}"
            return text or target
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "platform": self.platform,
            "kind": self.kind,
            "id": self.id,
            "created_at": self.created_at.isoformat() if self.created_at else None,
            "text": self.text,
            "urls": list(self.urls),
            "media": list(self.media),
            "target": self.target,
            "locator": self.locator.to_dict(),
            "extra": dict(self.extra),
        }
