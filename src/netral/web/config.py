"""Settings of the web application (one object, built from the environment)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from netral.config import Settings, get_settings


def _env_float(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


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
    login_max_failures: int = 5
    login_window_seconds: int = 300
    # Share of netral-judged (not flagged) items that enter the review queue as a random sample.
    sample_rate: float = 0.02
    case_deadline_days: dict[str, int] = field(
        default_factory=lambda: {
            "finding": 7,  # Bawaslu / Satgas: verify within 7 days
            "clarification": 7,
            "recommendation": 14,  # 14 working days for the PPK [uncertain]
            "decision": 14,
        }
    )
    log_checks: bool = False  # the pre-post checker stores and logs nothing unless enabled


def _load_secret(data_dir: Path) -> str:
    env = os.environ.get("NETRAL_SECRET_KEY")
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
        "sample_rate": _env_float("NETRAL_REVIEW_SAMPLE_RATE", 0.02),
    }
    base.update(overrides)
    if "secret_key" not in base:
        base["secret_key"] = _load_secret(settings.data_dir)
    return WebConfig(**base)
