"""Writing a file of the user cache so that readers never see half of it.

The packs cache, the built-detector cache and the YAML cache all keep derived data that can be
computed again, so a write that fails (a read-only or full cache folder) is not an error: the
data is simply computed again next time.
"""

from __future__ import annotations

import os
from pathlib import Path


def write_quietly(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and an atomic rename (readers see the
    old file or the whole new one); on ``OSError`` nothing is written and nothing is raised."""
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # this user's alone whatever the umask (002 is common): ``read_own`` reads no other
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0),
                     0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)


def read_own(path: Path) -> bytes | None:
    """The bytes of ``path`` when this user wrote it and nobody else can change it; None when
    it is missing, unreadable, or owned by someone else or writable by group or others.

    For a cache whose content is trusted as it is read (the packs cache holds pickles, and
    unpickling runs code): a cache folder others can write to (``NETRAL_CACHE_DIR`` set to a
    shared place) must not let them choose what netral loads. The checks are made on the
    opened file, not its name, so the file cannot be swapped in between."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        if hasattr(os, "geteuid"):  # POSIX; elsewhere the user's profile folder guards it
            st = os.fstat(fh.fileno())
            if st.st_uid != os.geteuid() or st.st_mode & 0o022:
                return None
        try:
            return fh.read()
        except OSError:
            return None
