"""The acts netral judges and the rules every door shares about them.

One vocabulary for the CLI, the library, the web check (page and API), scan, self-audit and
monitoring ingest: the same post must get the same verdict whichever door it came through
(issue 13). Here live the kinds of act, the one length limit, and the one rule for what text
of an act is judged.
"""

from __future__ import annotations

import re
from enum import StrEnum


class Kind(StrEnum):
    """The act a civil servant performs with the content; each act has its own rule."""

    POST = "post"
    COMMENT = "comment"
    SHARE = "share"
    LIKE = "like"
    FOLLOW = "follow"
    JOIN = "join"  # joining a group / channel
    BIO = "bio"  # profile bio, display name, profile picture caption
    MESSAGE = "message"  # chat message (WhatsApp/Telegram group)


KINDS: tuple[str, ...] = tuple(k.value for k in Kind)
# acts on somebody else's content or account: the target is judged, not the user's own words
INTERACTION_KINDS = frozenset({"like", "follow", "join"})
# the longest text any door judges; longer texts are refused (HTTP 413/422) or cut with a note
# (CLI, scan), never cut silently
MAX_TEXT_CHARS = 100_000

# who acted: the kind of account and the employee's class change the rules that apply
ACCOUNTS: tuple[str, ...] = ("personal", "official")
EMPLOYEES: tuple[str, ...] = ("pns", "pppk", "pejabat", "non_asn")

_HANDLE_SEP = re.compile(r"[._]+")


def readable_handle(target: str) -> str:
    """``@tkn.prabowo_gibran`` -> ``@tkn.prabowo_gibran (tkn prabowo gibran)`` so the words of a
    glued account handle can be judged; other names are returned unchanged."""
    if not target or " " in target or not _HANDLE_SEP.search(target.lstrip("@")):
        return target
    words = _HANDLE_SEP.sub(" ", target.lstrip("@")).strip()
    return f"{target} ({words})" if words else target


def judged_text(kind: str, text: str) -> str:
    """What the detector reads for a request: for a like, follow or join given only an account
    or group name (``@tkn.prabowo_gibran``), the readable name, exactly as ``subject_text``
    builds it from an export's target, so typing the name in ``netral check`` and auditing the
    follow in an export give one verdict. Everything else is read as written."""
    if kind in INTERACTION_KINDS and text and not any(c.isspace() for c in text.strip()):
        return readable_handle(text.strip())
    return text


def subject_text(kind: str, text: str | None, target: str | None) -> str:
    """The text the detector judges for an act: own content is judged on its own text; for
    likes, follows and joins the target's (readable) name and, where known, the liked post."""
    body = (text or "").strip()
    if kind in INTERACTION_KINDS:
        name = readable_handle((target or "").strip())
        if name and body and name not in body:
            return f"{name}: {body}"
        return body or name
    return body
