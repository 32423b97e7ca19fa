"""The checker's image support, from :mod:`netral.images` (an optional extra).

Nothing is stored: the uploaded bytes are passed to :func:`netral.images.check_image` and
dropped with the request.
"""

from __future__ import annotations

import time
from typing import Any

# ``available()`` asks Tesseract for its languages (cached by netral.images); remember the
# answer for a minute so a page view does not depend on it, but an install is seen soon.
_CACHE: dict[str, Any] = {}
_TTL = 60.0


def image_support(lang: str = "id") -> tuple[bool, str]:
    """(True, "") when pictures can be checked here, else (False, why) — ``why`` in
    ``lang``, as it goes inside the page's or the API's own message."""
    now = time.monotonic()
    hit = _CACHE.get(lang)
    if hit is not None and now - hit[0] < _TTL:
        return hit[1]
    try:
        from netral import images

        value = images.available(lang)
    except ImportError as exc:  # the package itself cannot be imported
        value = (False, f"netral.images: {exc}")
    _CACHE[lang] = (now, value)
    return value


def reset_cache() -> None:
    _CACHE.clear()


def run_image_check(data: bytes, *, text: str = "", kind: str = "post", lang: str = "id",
                    when: str | None = None, name: str | None = None) -> dict[str, Any]:
    """``check_image(data, caption=text, kind=…).to_dict()``. Raises ``ImageError`` (bad
    picture) and ``ValueError`` (bad kind/date)."""
    from netral.images import check_image

    result = check_image(data, caption=text or None, kind=kind, lang=lang, when=when,
                         name=name or "upload")
    return result.to_dict()


def gesture_label(name: str, lang: str) -> str:
    from netral.images.messages import gesture_name

    return gesture_name(name, lang)
