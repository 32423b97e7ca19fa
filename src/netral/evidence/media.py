"""Where an item's media may be read from: the one gate between remote data and local files.

An item's media references come from whoever wrote the collected data: an RSS enclosure, an
ActivityPub attachment, a collector record, a platform export. They are hostile input. If a
reference could name any local file, a feed with ``file:///proc/self/environ`` or a relative
``../keys/evidence-ed25519.pem`` would copy secrets (the database URL, the evidence signing
key, the session secret) into evidence bundles that are handed to other people.

So remote data never names a local path. A reference is read only when all of these hold:

* it is a plain relative path (no scheme, no ``file://``, not absolute, no ``~``, no ``..``),
* the item came from a local collector file, and the path lies inside that collector's
  declared media folder: the folder named ``media`` beside the collector file
  (``collected.jsonl`` → ``media/…``; the reference may be written ``media/x.jpg`` or ``x.jpg``),
* neither the media folder nor any component below it is a symbolic link, and the target is a
  regular file (not a FIFO or device) of at most :data:`MAX_MEDIA_BYTES`,
* the target is not inside netral's own data (data directory, database file, signing key,
  evidence store), whatever the folders look like.

``http(s)`` references are listed as not fetched (the collector downloads media); every other
reference is refused with a reason that is kept in the capture's ``meta.json``.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

MEDIA_FOLDER = "media"
MAX_MEDIA_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class MediaRef:
    """One media reference of an item and what may be done with it."""

    ref: str
    path: Path | None = None  # set when the reference may be read
    remote: bool = False  # an http(s) URL: listed, not fetched
    refused: str = ""  # why a local read was refused

    @property
    def readable(self) -> bool:
        return self.path is not None


class MediaRefused(Exception):
    """A media file could not be read safely (message says why)."""


def reference_of(entry: Any) -> str:
    """The reference string of one ``media`` entry (a string or ``{"path"|"url": …}``)."""
    ref = (entry.get("path") or entry.get("url")) if isinstance(entry, dict) else entry
    return ref if isinstance(ref, str) else ""


def media_root(source: str | None) -> Path | None:
    """The declared media folder of a collector file, or None for remote sources."""
    if not source or "://" in source:
        return None
    return Path(source).parent / MEDIA_FOLDER


def protected_paths() -> list[Path]:
    """netral's own files that no capture may ever read, resolved."""
    from netral.config import get_settings
    from netral.evidence.settings import evidence_settings

    settings = get_settings()
    ev = evidence_settings()
    paths = [settings.data_dir, ev.key_path, ev.store_dir, settings.cache_dir]
    url = settings.database_url
    if url.startswith("sqlite") and ":///" in url:
        db = url.split(":///", 1)[1].split("?", 1)[0]
        if db and db != ":memory:":
            paths.append(Path(db))
    out = []
    for p in paths:
        try:
            out.append(p.expanduser().resolve())
        except (OSError, RuntimeError):
            continue
    return out


def _inside(path: Path, parent: Path) -> bool:
    return path == parent or path.is_relative_to(parent)


def classify(entry: Any, root: Path | None, protected: list[Path] | None = None) -> MediaRef:
    """Decide whether one media reference may be read (see module doc)."""
    ref = reference_of(entry).strip()
    if not ref:
        return MediaRef(ref, refused="empty reference")
    lowered = ref.lower()
    if lowered.startswith(("http://", "https://")):
        return MediaRef(ref, remote=True)
    if "://" in ref or lowered.startswith("file:") or ":" in ref.split("/", 1)[0]:
        return MediaRef(ref, refused="not a relative path (URL scheme or drive)")
    if "\x00" in ref:
        return MediaRef(ref, refused="NUL byte in path")
    posix = PurePosixPath(ref.replace("\\", "/"))
    if posix.is_absolute() or PureWindowsPath(ref).is_absolute() or ref.startswith("~"):
        return MediaRef(ref, refused="absolute path in collected data")
    parts = [p for p in posix.parts if p not in ("", ".")]
    if ".." in parts:
        return MediaRef(ref, refused="path leaves the media folder (..)")
    if root is None:
        return MediaRef(ref, refused="no local media folder (the item came from a remote source)")
    if parts and parts[0] == MEDIA_FOLDER:
        parts = parts[1:]
    if not parts:
        return MediaRef(ref, refused="names the media folder itself")
    # Walk from the media folder down without following any link.
    current = root
    for i, name in enumerate(["", *parts]):
        if name:
            current = current / name
        try:
            st = os.lstat(current)
        except OSError:
            return MediaRef(ref, refused="not found in the media folder")
        if stat.S_ISLNK(st.st_mode):
            return MediaRef(ref, refused="symbolic link in the media folder")
        last = i == len(parts)
        if not last and not stat.S_ISDIR(st.st_mode):
            return MediaRef(ref, refused="not found in the media folder")
        if last and not stat.S_ISREG(st.st_mode):
            return MediaRef(ref, refused="not a regular file")
        if last and st.st_size > MAX_MEDIA_BYTES:
            return MediaRef(ref, refused=f"larger than {MAX_MEDIA_BYTES // (1024 * 1024)} MiB")
    resolved = current.resolve()
    for p in protected if protected is not None else protected_paths():
        if _inside(resolved, p):
            return MediaRef(ref, refused="netral's own data is never evidence")
    return MediaRef(ref, path=current)


def classify_all(entries: list[Any] | None, source: str | None) -> list[MediaRef]:
    root = media_root(source)
    protected = protected_paths() if entries else []
    return [classify(e, root, protected) for e in entries or []]


def read_media(path: Path) -> bytes:
    """Read a file :func:`classify` admitted, refusing a swap to a link or a special file
    between the check and the read (``O_NOFOLLOW``, ``fstat`` on the open descriptor)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise MediaRefused(f"{path.name}: symbolic link") from exc
        raise MediaRefused(f"{path.name}: {exc.strerror or exc}") from exc
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise MediaRefused(f"{path.name}: not a regular file")
        data = fh.read(MAX_MEDIA_BYTES + 1)
    if len(data) > MAX_MEDIA_BYTES:
        raise MediaRefused(f"{path.name}: larger than {MAX_MEDIA_BYTES // (1024 * 1024)} MiB")
    return data
