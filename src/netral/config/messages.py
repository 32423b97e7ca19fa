"""One way to hold user-facing text: per package a ``messages.yaml`` of
``key: {id: "...", en: "..."}`` (Indonesian first, English available), one loader, one
language rule.

Every part that speaks to people (web pages, the self-audit's notes, the CLI) reads its
catalogue through :func:`catalogue` and picks the language with :func:`normalise_lang`, so a
missing English text falls back to Indonesian the same way everywhere and an unknown language
never reaches a template.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

LANGS: tuple[str, ...] = ("id", "en")
DEFAULT_LANG = "id"


def normalise_lang(value: str | None, default: str = DEFAULT_LANG) -> str:
    """``"EN"``, ``"en-US"``, ``"en_GB"`` -> ``"en"``; ``"id-ID"`` -> ``"id"``; anything else
    (None, ``"fr"``) -> ``default`` (itself normalised)."""
    base = (value or "").strip().lower().replace("_", "-").split("-", 1)[0]
    if base in LANGS:
        return base
    return default if default in LANGS else DEFAULT_LANG


def is_lang(value: str | None) -> bool:
    """Whether ``value`` names a language netral speaks (for refusing ``--lang fr``)."""
    return (value or "").strip().lower().replace("_", "-").split("-", 1)[0] in LANGS


class Catalogue:
    """The texts of one package: ``text(key, lang, **fields)`` with ``str.format`` fields."""

    def __init__(self, entries: dict[str, dict[str, str]], where: str) -> None:
        self.entries = entries
        self.where = where

    def __contains__(self, key: str) -> bool:
        return key in self.entries

    def get(self, key: str) -> dict[str, str] | None:
        return self.entries.get(key)

    def text(self, key: str, lang: str = DEFAULT_LANG, default: str | None = None,
             **fields: Any) -> str:
        """The text of ``key`` in ``lang`` (Indonesian when English is missing); ``default``
        (or the key itself) when the catalogue has no such key. A field missing from
        ``fields`` leaves the template as written rather than failing a page."""
        entry = self.entries.get(key)
        if entry is None:
            return key if default is None else default
        template = entry.get(normalise_lang(lang)) or entry.get(DEFAULT_LANG) or key
        if not fields:
            return template
        try:
            return template.format(**fields)
        except (KeyError, IndexError, ValueError):
            return template


@cache
def catalogue(package: str, name: str = "messages.yaml") -> Catalogue:
    """The catalogue shipped as ``name`` inside ``package`` (read once per process)."""
    raw = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    import yaml  # here, not at the top: a check that prints no catalogue text needs no PyYAML

    data = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    entries = {str(k): {str(lk): str(lv) for lk, lv in (v or {}).items()}
               for k, v in data.items() if isinstance(v, dict)}
    return Catalogue(entries, f"{package}/{name}")
