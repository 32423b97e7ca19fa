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
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from platformdirs import user_cache_dir, user_config_dir, user_data_dir

from netral.config.messages import normalise_lang

ENV_PREFIX = "NETRAL_"


class SettingsError(ValueError):
    """A setting whose value is not of its type; the message names the setting and the value."""


def config_file() -> Path:
    """The settings file: ``NETRAL_CONFIG``, else ``<user config dir>/netral.toml``."""
    return Path(os.environ.get("NETRAL_CONFIG")
                or Path(user_config_dir("netral", appauthor=False)) / "netral.toml")


def _file_values(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    import tomllib  # only when there is a file to read

    # a file that cannot be read or is not TOML is the user's to fix: one line naming it, never
    # a traceback (every command reads the settings, not only the fast ones)
    try:
        with path.open("rb") as fh:
            return {k.lower(): v for k, v in tomllib.load(fh).items()}
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: berkas pengaturan bukan TOML yang sah / the settings file "
                            f"is not valid TOML ({exc})") from None
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise SettingsError(f"{path}: berkas pengaturan tidak terbaca / cannot read the "
                            f"settings file ({why})") from None


def _environment_values() -> dict[str, str]:
    # names are matched without regard to case; an empty variable counts as unset
    n = len(ENV_PREFIX)
    return {k[n:].lower(): v for k, v in os.environ.items()
            if k.upper().startswith(ENV_PREFIX) and v != ""}


# the spellings of yes and no a variable or the file may use (pydantic's lax booleans, which
# this object was read with before)
_TRUE = frozenset(("1", "on", "t", "true", "y", "yes"))
_FALSE = frozenset(("0", "off", "f", "false", "n", "no"))


def _coerce(name: str, kind: str, value: Any, origin: Path | None = None) -> Any:
    """``value`` (from a variable, the file or an argument) as a field of ``kind`` (the field's
    annotation, a string: this module uses postponed annotations). ``origin``: the settings
    file the value was read from (the error then names the file, not a variable)."""
    optional = kind.endswith(" | None")
    if value is None and optional:
        return None
    base = kind.removesuffix(" | None")
    if base == "Path" and isinstance(value, (str, os.PathLike)):
        return Path(value)
    if base == "str" and isinstance(value, str):
        return value
    if base == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.lower() in _TRUE | _FALSE:
            return value.lower() in _TRUE
    if base == "int":
        number = _whole(value)
        if number is not None:
            return number
    what = {"Path": ("jalur berkas", "a path"), "str": ("teks", "text"),
            "bool": ("ya/tidak", "true or false"), "int": ("bilangan bulat", "a whole number")}
    ind, eng = what[base]
    where = f"{origin}: {name}" if origin is not None else f"{ENV_PREFIX}{name.upper()} ({name})"
    raise SettingsError(f"{where}: {value!r} bukan {ind} / is not {eng}")


def _whole(value: Any) -> int | None:
    """A whole number as pydantic's lax mode reads one: an int (or bool), a float or ASCII
    digits (``_`` allowed, blanks around) with no fraction; None for anything else."""
    if isinstance(value, int):
        return int(value)
    if isinstance(value, str):
        # "12", " 1_000 ", "12.00"; not "1e3", "12." or non-ASCII digits
        head, dot, fraction = value.strip().partition(".")
        if not head.isascii() or head != head.strip() or (
                dot and (not fraction or fraction.strip("0"))):
            return None
        try:
            return int(head)
        except ValueError:
            return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


@dataclass(frozen=True, init=False)
class Settings:
    """Keyword arguments win over ``NETRAL_*`` variables, which win over the settings file,
    which wins over the defaults. A plain frozen dataclass: neither pydantic-settings (~45 ms
    of a cold `netral check`) nor pydantic (~100-200 ms with the validator it builds, issue 15)
    is imported to read a dozen values; ``_coerce`` reads them the way pydantic did (paths,
    whole numbers, yes/no spellings), a value of the wrong type is a ``SettingsError``."""

    def __init__(self, **values: Any) -> None:
        known = {f.name: f for f in fields(self)}
        path = config_file()
        from_file = {k: v for k, v in _file_values(path).items() if k in known}
        later = {k: v for k, v in _environment_values().items() if k in known}
        later.update((k, v) for k, v in values.items() if k in known)  # others ignored
        merged = {**from_file, **later}
        for name, f in known.items():
            # a bad value names where it was read: the file, or the variable's name
            origin = path if name in from_file and name not in later else None
            value = (_coerce(name, str(f.type), merged[name], origin) if name in merged
                     else f.default)
            if name == "lang":
                value = normalise_lang(str(value) if value is not None else None)
            object.__setattr__(self, name, value)

    def replace(self, **changes: Any) -> Settings:
        """A copy with ``changes`` (already of their fields' types), nothing read again."""
        new = object.__new__(type(self))
        for f in fields(self):
            object.__setattr__(new, f.name, changes.get(f.name, getattr(self, f.name)))
        return new

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
    secret_key: str | None = field(default=None, repr=False)
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

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    @property
    def url(self) -> str:
        """The database URL, with the embedded SQLite default filled in."""
        return self.database_url or f"sqlite:///{self.data_dir / 'netral.db'}"


def _netral_environment() -> tuple[tuple[str, str], ...]:
    # the same names ``_environment_values`` reads (any case): a change to any of them is seen
    return tuple(sorted((k, v) for k, v in os.environ.items()
                        if k.upper().startswith(ENV_PREFIX)))


@lru_cache(maxsize=8)
def _settings_for(_environment: tuple[tuple[str, str], ...]) -> Settings:
    settings = Settings()
    # every caller sees the filled-in URL in ``database_url``
    return settings.replace(database_url=settings.url)


def get_settings() -> Settings:
    """The settings for the current ``NETRAL_*`` environment (built once per environment)."""
    return _settings_for(_netral_environment())


# tests and long-lived processes that edit the settings file call this to read it again
get_settings.cache_clear = _settings_for.cache_clear  # type: ignore[attr-defined]
