"""The one item: what a person did on a platform, as every door sees it.

Platform export readers (self-audit) and collectors (monitoring ingest) both yield ``Item``:
the act (``kind``), its text, date and target, where it was found (``locator``), and for
collected items who acted (``author``) and how it was collected (``provenance``). The detector
judges ``subject_text()``, the same rule on every door (``netral.kinds.subject_text``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# one vocabulary and one judging rule for every door (netral.kinds); re-exported here
from netral.kinds import INTERACTION_KINDS, KINDS, readable_handle, subject_text

__all__ = ["INTERACTION_KINDS", "KINDS", "Item", "Locator", "Provenance", "readable_handle"]


@dataclass(slots=True)
class Locator:
    """Where the person finds the item again: file, position inside it, original link."""

    file: str  # human path, e.g. "twitter.zip!data/tweets.js"
    where: str | None = None  # JSON path ("$[12].tweet") or "line 345"
    link: str | None = None  # original URL on the platform, when the export has one

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "where": self.where, "link": self.link}


@dataclass(slots=True)
class Provenance:
    """How a collected item reached monitoring (kept with it as evidence of origin)."""

    raw: dict[str, Any]  # the collector's record as received
    content_hash: str  # SHA-256 of the canonical raw record
    collected_at: datetime | None = None
    collector: str = ""


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
    author: str | None = None  # the account that acted (monitoring: the staff member's handle)
    provenance: Provenance | None = None  # collected items only

    @property
    def url(self) -> str | None:
        """The original address on the platform, when known."""
        return self.locator.link

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown item kind {self.kind!r}")
        if self.created_at is not None and self.created_at.tzinfo is None:
            raise ValueError("created_at must be timezone-aware")

    def subject_text(self) -> str:
        """The text the detector judges for this item (``netral.kinds.subject_text``)."""
        return subject_text(self.kind, self.text, self.target)

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
            **({"author": self.author} if self.author else {}),
        }
