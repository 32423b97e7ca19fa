"""Settings of the web application (one object, built from the environment)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from netral.config import Settings, get_settings


@dataclass(slots=True)
class WebConfig:
    """What the web app needs beyond :class:`netral.config.Settings`.

    ``secret_key`` signs session cookies; when ``NETRAL_SECRET_KEY`` is unset a key is kept in
    ``<data_dir>/web-secret.key`` (created with mode 0600), so sessions survive restarts.
    """

    database_url: str
    secret_key: str
    lang: str = "id"
    session_max_age: int = 8 * 3600
    login_max_failures: int = 5  # per user name from one address (netral.web.throttle)
    login_window_seconds: int = 300
    login_max_failures_per_address: int = 0  # 0: six times login_max_failures
    login_max_delay_seconds: int = 60  # cap of the per-name progressive delay
    login_known_days: int = 30  # an address a name signed in from is spared that delay
    # the browser extension (issue 16): ids whose origin the check endpoints admit (empty:
    # the id of the extension shipped with netral), whether its calls need a personal token,
    # checks per token and minute, and the address the downloaded extension is set to
    extension_ids: tuple[str, ...] = ()
    check_token_required: bool = True
    token_checks_per_minute: int = 120
    public_url: str | None = None


def _load_secret(data_dir: Path) -> str:
    env = get_settings().secret_key
    if env:
        return env
    path = data_dir / "web-secret.key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    key = secrets.token_urlsafe(48)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(key)
    except OSError:
        return key
    return path.read_text().strip()


def web_config(settings: Settings | None = None, **overrides) -> WebConfig:
    settings = settings or get_settings()
    base = {
        "database_url": settings.database_url,
        "lang": settings.lang if settings.lang in ("id", "en") else "id",
        "extension_ids": tuple(x.strip() for x in settings.extension_ids.split(",") if x.strip()),
        "check_token_required": settings.extension_token_required,
        "token_checks_per_minute": settings.token_checks_per_minute,
        "public_url": settings.public_url,
    }
    base.update(overrides)
    if "secret_key" not in base:
        base["secret_key"] = _load_secret(settings.data_dir)
    return WebConfig(**base)
