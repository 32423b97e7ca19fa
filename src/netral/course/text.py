"""The course's own message catalogue (``messages.yaml``: Indonesian first, English)."""

from __future__ import annotations

from typing import Any

from netral.config.messages import catalogue


def tc(key: str, lang: str = "id", **kwargs: Any) -> str:
    return catalogue("netral.course").text(key, lang, **kwargs)
