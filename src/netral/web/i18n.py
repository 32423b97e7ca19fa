"""Message catalogue for the web UI: Indonesian (default) and English, kept as data in
``messages.yaml`` (``key: {id: ..., en: ...}``) and read by :mod:`netral.config.messages`."""

from __future__ import annotations

from typing import Any

from netral.config.messages import DEFAULT_LANG, LANGS, Catalogue
from netral.config.messages import catalogue as _load

__all__ = ["DEFAULT_LANG", "LANGS", "catalogue", "forbidden_text", "pick_lang", "translate"]


def catalogue() -> Catalogue:
    return _load("netral.web")


def translate(key: str, lang: str = DEFAULT_LANG, **kwargs: Any) -> str:
    return catalogue().text(key, lang, **kwargs)


def forbidden_text(reason: str, lang: str = DEFAULT_LANG) -> str:
    """A refusal (``Forbidden``'s reason) in words: why, where the catalogue says it (a
    reviewer's decision on an escalated finding), else that the role does not allow it."""
    from netral.review.findings import ESCALATED

    return translate("error.escalated_supervisor" if reason == ESCALATED else "error.forbidden",
                     lang)


def pick_lang(requested: str | None, session_lang: str | None, default: str) -> str:
    for cand in (requested, session_lang, default):
        if cand in LANGS:
            return cand
    return DEFAULT_LANG
