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
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
