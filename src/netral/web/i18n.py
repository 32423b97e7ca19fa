"""Message catalogue for the web UI: Indonesian (default) and English, kept as data in
``messages.yaml`` (``key: {id: ..., en: ...}``)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

LANGS = ("id", "en")
DEFAULT_LANG = "id"


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    text = resources.files("netral.web").joinpath("messages.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    return {str(k): {str(lk): str(lv) for lk, lv in v.items()} for k, v in data.items()}


def translate(key: str, lang: str = DEFAULT_LANG, **kwargs: Any) -> str:
    entry = catalogue().get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry.get(DEFAULT_LANG) or key
    if kwargs:
        try:
            return text.format(**kwargs)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def pick_lang(requested: str | None, session_lang: str | None, default: str) -> str:
    for cand in (requested, session_lang, default):
        if cand in LANGS:
            return cand
    return DEFAULT_LANG
