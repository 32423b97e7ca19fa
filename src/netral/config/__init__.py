"""One settings object for the whole tool: environment variables, then defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from platformdirs import user_cache_dir, user_data_dir


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path
    cache_dir: Path
    database_url: str
    lang: str

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    data_dir = Path(os.environ.get("NETRAL_DATA_DIR") or user_data_dir("netral", appauthor=False))
    cache_dir = Path(os.environ.get("NETRAL_CACHE_DIR") or user_cache_dir("netral", appauthor=False))
    url = os.environ.get("NETRAL_DATABASE_URL") or f"sqlite:///{data_dir / 'netral.db'}"
    lang = os.environ.get("NETRAL_LANG", "id")
    return Settings(data_dir=data_dir, cache_dir=cache_dir, database_url=url, lang=lang)
