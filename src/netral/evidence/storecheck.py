"""Check the evidence file store against the ledger: stale temporary files of interrupted
writes (kill -9 during a blob write leaves ``.tmp-*`` for good), objects no capture refers to
(a crash between writing the blobs and committing the ledger entry), and — the serious case —
objects a capture refers to that are missing from disk.

Only files older than ``min_age`` count as stale or unreferenced, so a capture running right
now (its blobs written, its ledger entry not yet committed) is never disturbed. ``fix``
removes stale temporary files and unreferenced objects; missing objects can only be reported.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from netral.evidence.filestore import FileStore
from netral.evidence.models import LedgerEntry

DEFAULT_MIN_AGE = timedelta(hours=1)
_HEX = frozenset("0123456789abcdef")


@dataclass(slots=True)
class StoreCheck:
    objects: int = 0
    stale_temp: list[str] = field(default_factory=list)  # paths relative to the store root
    unreferenced: list[str] = field(default_factory=list)  # sha256 of objects nobody cites
    missing: list[str] = field(default_factory=list)  # sha256 cited by a capture, not on disk
    removed: int = 0
    removed_bytes: int = 0

    @property
    def clean(self) -> bool:
        return not (self.stale_temp or self.unreferenced or self.missing)

    def to_dict(self) -> dict:
        return {"objects": self.objects, "stale_temp": self.stale_temp,
                "unreferenced": self.unreferenced, "missing": self.missing,
                "removed": self.removed, "removed_bytes": self.removed_bytes,
                "clean": self.clean}


def referenced_objects(session: Session) -> set[str]:
    """Every blob any capture in the ledger names (captures of purged items included: their
    files are released by ``netral evidence purge``, not here)."""
    out: set[str] = set()
    for (body,) in session.execute(select(LedgerEntry.body).where(LedgerEntry.kind == "capture")):
        for f in orjson.loads(body).get("files", []):
            if isinstance(f, dict) and isinstance(f.get("sha256"), str):
                out.add(f["sha256"])
    return out


def _remove(path: Path, check: StoreCheck) -> None:
    try:
        size = path.stat().st_size
        path.unlink()
    except FileNotFoundError:
        return
    check.removed += 1
    check.removed_bytes += size


def sweep_temp(store: FileStore, *, min_age: timedelta = DEFAULT_MIN_AGE,
               fix: bool = True) -> StoreCheck:
    """Only the stale temporary files (cheap: no database); run before every capture run."""
    check = StoreCheck()
    objects = store.root / "objects"
    if not objects.is_dir():
        return check
    cutoff = time.time() - min_age.total_seconds()
    for tmp in objects.glob("*/*/.tmp-*"):
        if tmp.is_file() and tmp.stat().st_mtime < cutoff:
            check.stale_temp.append(str(tmp.relative_to(store.root)))
            if fix:
                _remove(tmp, check)
    return check


def check_store(session: Session, store: FileStore, *, fix: bool = False,
                min_age: timedelta = DEFAULT_MIN_AGE) -> StoreCheck:
    check = sweep_temp(store, min_age=min_age, fix=fix)
    cited = referenced_objects(session)
    on_disk: set[str] = set()
    objects = store.root / "objects"
    cutoff = time.time() - min_age.total_seconds()
    if objects.is_dir():
        for dirpath, _dirs, files in os.walk(objects):
            for name in files:
                if len(name) != 64 or not _HEX.issuperset(name):
                    continue  # temporary files: above
                on_disk.add(name)
                if name in cited:
                    continue
                path = Path(dirpath) / name
                if path.stat().st_mtime < cutoff:
                    check.unreferenced.append(name)
                    if fix:
                        _remove(path, check)
    check.objects = len(on_disk)
    check.unreferenced.sort()
    check.missing = sorted(cited - on_disk)
    return check
