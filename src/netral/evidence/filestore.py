"""Content-addressed file store: each blob lives at ``objects/<h[:2]>/<h[2:4]>/<sha256>``.

Writes are atomic (temporary file + rename) and idempotent; reads re-check the hash so a blob
altered on disk is never handed out as evidence.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


class BlobCorrupted(Exception):
    """A stored blob no longer matches its SHA-256 name."""

    def __init__(self, sha256: str, path: Path):
        super().__init__(f"{path}: content no longer matches sha256 {sha256}")
        self.sha256 = sha256
        self.path = path


class FileStore:
    def __init__(self, root: Path):
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a sha256 hex digest: {sha256!r}")
        return self.root / "objects" / sha256[:2] / sha256[2:4] / sha256

    def put(self, data: bytes) -> str:
        """Store ``data``; returns its SHA-256 (hex)."""
        digest = hashlib.sha256(data).hexdigest()
        path = self.path_for(digest)
        if path.exists() and path.stat().st_size == len(data):
            return digest
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o444)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return digest

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).exists()

    def delete(self, sha256: str) -> int:
        """Remove a blob (retention); returns the bytes freed (0 when absent)."""
        path = self.path_for(sha256)
        try:
            size = path.stat().st_size
            path.unlink()
        except FileNotFoundError:
            return 0
        return size

    def get(self, sha256: str) -> bytes:
        path = self.path_for(sha256)
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != sha256:
            raise BlobCorrupted(sha256, path)
        return data
