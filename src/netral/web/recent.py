"""What this server checked or rendered a moment ago, per application, forgotten at once on
any change made through it.

Two maps live here: sessions checked in the database (``netral.web.deps``) and dashboard
pages (``netral.web.page_cache``), each entry trusted for about a second. Any request that may
change state (not GET, HEAD or OPTIONS) and carries credentials (a session or an
``Authorization`` header) forgets both, before it runs and again when it answers (after its
transaction committed): a sign-out, a revoked session or token, a deactivated user, a new
password or a decision show at once in this process. A change made elsewhere (another worker,
the CLI, ingest) shows within a second.
"""

from __future__ import annotations

from typing import Any

READING = frozenset({"GET", "HEAD", "OPTIONS"})
_NAMES = ("recent_principals", "recent_pages")


def recent(state: Any, name: str) -> dict:
    """The application's map ``name`` (created on first use; never shared between apps)."""
    try:
        return getattr(state, name)
    except AttributeError:
        setattr(state, name, {})
        return getattr(state, name)


def forget(state: Any) -> None:
    for name in _NAMES:
        recent(state, name).clear()


def may_change(scope: dict, session: dict) -> bool:
    """Whether a request may change what the maps hold."""
    if scope.get("method") in READING:
        return False
    return session.get("uid") is not None or any(
        k == b"authorization" for k, _v in scope.get("headers", ()))
