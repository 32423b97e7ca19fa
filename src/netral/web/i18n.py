"""Message catalogue for the web UI: Indonesian (default) and English, kept as data in
``messages.yaml`` (``key: {id: ..., en: ...}``) and read by :mod:`netral.config.messages`."""

from __future__ import annotations

from typing import Any

from netral.config.messages import DEFAULT_LANG, LANGS, Catalogue
from netral.config.messages import catalogue as _load

__all__ = ["DEFAULT_LANG", "LANGS", "catalogue", "pick_lang", "translate"]


def catalogue() -> Catalogue:
    return _load("netral.web")


def translate(key: str, lang: str = DEFAULT_LANG, **kwargs: Any) -> str:
    return catalogue().text(key, lang, **kwargs)


def pick_lang(requested: str | None, session_lang: str | None, default: str) -> str:
    for cand in (requested, session_lang, default):
        if cand in LANGS:
            return cand
    return DEFAULT_LANG
