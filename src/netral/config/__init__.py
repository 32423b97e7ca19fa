"""One settings object for the whole tool: environment variables, then a settings file, then
defaults.

Every ``NETRAL_*`` variable netral reads is a field here (``NETRAL_DATABASE_URL`` ->
``database_url``); no other module reads the environment for its own settings. The file is TOML
with the same names in lower case, found at ``NETRAL_CONFIG`` or in the user's config folder
(``netral.toml``); the environment wins over the file. Empty variables count as unset.

``get_settings()`` is cached for as long as the ``NETRAL_*`` variables stay the same, so a test
or a process that changes them sees the change on the next call.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from platformdirs import user_cache_dir, user_config_dir, user_data_dir
from pydantic import BaseModel, ConfigDict, field_validator

from netral.config.messages import normalise_lang

ENV_PREFIX = "NETRAL_"


def config_file() -> Path:
    """The settings file: ``NETRAL_CONFIG``, else ``<user config dir>/netral.toml``."""
    return Path(os.environ.get("NETRAL_CONFIG")
                or Path(user_config_dir("netral", appauthor=False)) / "netral.toml")


def _file_values(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    import tomllib  # only when there is a file to read

    with path.open("rb") as fh:
        return {k.lower(): v for k, v in tomllib.load(fh).items()}


def _environment_values() -> dict[str, str]:
    # names are matched without regard to case; an empty variable counts as unset
    n = len(ENV_PREFIX)
    return {k[n:].lower(): v for k, v in os.environ.items()
            if k.upper().startswith(ENV_PREFIX) and v != ""}


class Settings(BaseModel):
    """Keyword arguments win over ``NETRAL_*`` variables, which win over the settings file,
    which wins over the defaults. A plain pydantic model, not pydantic-settings: importing that
    cost a cold `netral check` about 45 ms of CPU for the two sources read here (issue 15)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    def __init__(self, **values: Any) -> None:
        fields = type(self).model_fields
        merged = {k: v for k, v in _file_values(config_file()).items() if k in fields}
        merged.update((k, v) for k, v in _environment_values().items() if k in fields)
        merged.update(values)
        super().__init__(**merged)

    # where netral keeps its own files
    data_dir: Path = Path(user_data_dir("netral", appauthor=False))
    cache_dir: Path = Path(user_cache_dir("netral", appauthor=False))
    # SQLAlchemy URL; default: SQLite in the data directory (no server needed)
    database_url: str = ""
    # language of messages and reports: id (default) or en
    lang: str = "id"
    # evidence: content-addressed store, Ed25519 signing key, RFC 3161 time-stamping
    evidence_dir: Path | None = None
    evidence_key: Path | None = None
    tsa_url: str | None = None
    tsa_ca: Path | None = None
    # web: session signing key (default: kept in <data_dir>/web-secret.key)
    secret_key: str | None = None
    web_max_image_bytes: int = 10 * 1024 * 1024
    web_roster_max_rows: int = 50_000  # a larger roster goes through `netral roster import`
    # browser extension (issue 16): the extension ids whose origin may call the check
    # endpoints (comma-separated; default: the id of the extension shipped with netral), whether
    # those calls need a personal token (`netral serve --personal` turns it off for one's own
    # machine), checks allowed per token and minute, and the address the downloaded extension
    # is set to (default: the address the download was made from)
    extension_ids: str = ""
    extension_token_required: bool = True
    token_checks_per_minute: int = 120
    public_url: str | None = None
    # pictures: decoding limits, the agency's reference logos, a hand-landmark model file
    image_max_bytes: int = 50 * 1024 * 1024
    image_max_pixels: int = 50_000_000
    image_max_side: int = 16_000
    image_max_decoded_pixels: int = 100_000_000  # all frames of an animation together
    image_references: str | None = None  # folders of reference logos, os.pathsep-separated
    hand_model_dir: Path | None = None  # an agency's own copy of the two hand-model files
    gesture_detector: str = "landmark"  # landmark (the hand model) or classical
    # where `make demo` writes its output
    demo_dir: Path = Path("demo-output")
    course_items: Path | None = None  # an agency's own quiz items (JSONL) beside the shipped bank

    @field_validator("lang", mode="before")
    @classmethod
    def _lang(cls, value: Any) -> str:
        return normalise_lang(str(value) if value is not None else None)

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    @property
    def url(self) -> str:
        """The database URL, with the embedded SQLite default filled in."""
        return self.database_url or f"sqlite:///{self.data_dir / 'netral.db'}"


def _netral_environment() -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith(ENV_PREFIX)))


@lru_cache(maxsize=8)
def _settings_for(_environment: tuple[tuple[str, str], ...]) -> Settings:
    settings = Settings()
    # every caller sees the filled-in URL in ``database_url``
    return settings.model_copy(update={"database_url": settings.url})


def get_settings() -> Settings:
    """The settings for the current ``NETRAL_*`` environment (built once per environment)."""
    return _settings_for(_netral_environment())


# tests and long-lived processes that edit the settings file call this to read it again
get_settings.cache_clear = _settings_for.cache_clear  # type: ignore[attr-defined]
