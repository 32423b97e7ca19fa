"""Reading an export safely without unpacking it to disk.

An input is a folder, a zip, or a single file. Zips are read member by member in place;
nested zips are opened inside their parent. Every problem becomes a :class:`Problem` (file +
message code + position) and the rest of the input is still read:

* zip-slip entries (``../``, absolute paths, drive letters) are refused;
* symbolic links (in folders or stored in zips) are never followed;
* zip bombs: members whose compression ratio exceeds ``max_ratio`` and anything beyond
  ``max_total_bytes`` of declared uncompressed data are refused; nesting is capped;
* unreadable / corrupt zips name the zip and the reason.
"""

from __future__ import annotations

import contextlib
import fnmatch
import os
import posixpath
import shutil
import stat
import tempfile
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

MiB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ZipLimits:
    max_total_bytes: int = 16 * 1024 * MiB  # declared uncompressed bytes over all zips of a run
    max_ratio: float = 200.0  # per member, uncompressed / compressed
    ratio_min_bytes: int = 1 * MiB  # small members may compress extremely well; ignore them
    max_depth: int = 3  # zips inside zips
    max_members: int = 500_000
    spool_bytes: int = 64 * MiB  # nested zips above this are buffered in a deleted temp file


@dataclass(slots=True)
class Problem:
    file: str
    code: str
    detail: str = ""
    position: str | None = None

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "code": self.code,
            "detail": self.detail,
            "position": self.position,
        }


@dataclass(slots=True)
class ExportFile:
    """One file of an export, wherever it lives (folder, zip, zip in zip)."""

    path: str  # posix path inside its container, e.g. "data/tweets.js"
    display: str  # human path naming the input, e.g. "twitter.zip!data/tweets.js"
    size: int
    _open: Callable[[], BinaryIO] = field(repr=False)
    container: str = ""  # display name of the folder / zip holding it
    cache: dict = field(default_factory=dict, repr=False)  # sniff results shared by parsers

    @property
    def name(self) -> str:
        return posixpath.basename(self.path)

    @property
    def parent(self) -> str:
        return posixpath.dirname(self.path)

    def open(self) -> BinaryIO:
        return self._open()

    def head(self, n: int = 4096) -> bytes:
        try:
            with self.open() as f:
                return f.read(n)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError) as exc:
            # a member that cannot be read is named in the report, not taken as "unknown"
            self.cache.setdefault("read_error", f"{type(exc).__name__}: {exc}")
            raise

    def read_bytes(self) -> bytes:
        with self.open() as f:
            return f.read()

    def match(self, *patterns: str) -> bool:
        low = self.path.lower()
        return any(
            fnmatch.fnmatch(low, p) or fnmatch.fnmatch(self.name.lower(), p) for p in patterns
        )


class Export:
    """All readable files of one or more inputs, plus the problems met while listing them."""

    def __init__(self, limits: ZipLimits | None = None):
        self.limits = limits or ZipLimits()
        self.files: list[ExportFile] = []
        self.problems: list[Problem] = []
        self.inputs: list[str] = []
        self._stack = contextlib.ExitStack()
        self._budget = self.limits.max_total_bytes

    # -- lifecycle
    def close(self) -> None:
        self._stack.close()

    def __enter__(self) -> Export:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- queries
    def siblings(self, f: ExportFile, *patterns: str) -> list[ExportFile]:
        """Files in the same container whose path matches (fnmatch, lower-case) a pattern."""
        return [g for g in self.files if g.container == f.container and g.match(*patterns)]

    # -- building
    def add(self, path: Path) -> bool:
        """Add one input path. Returns False (with a Problem) when it cannot be read at all."""
        display = str(path)
        self.inputs.append(display)
        try:
            st = path.lstat()
        except OSError as exc:
            self.problems.append(Problem(display, "not_found", exc.strerror or str(exc)))
            return False
        if stat.S_ISLNK(st.st_mode):
            self.problems.append(Problem(display, "symlink"))
            return False
        if stat.S_ISDIR(st.st_mode):
            self._add_dir(path, display)
            return True
        if zipfile.is_zipfile(path):
            try:
                zf = self._stack.enter_context(open_zip(path))
            except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
                self.problems.append(Problem(display, "bad_zip", str(exc)))
                return False
            self._add_zip(zf, display, depth=1)
            return True
        if path.suffix.lower() == ".zip":
            self.problems.append(Problem(display, "bad_zip", "not a zip archive"))
            return False
        self.files.append(_fs_file(path, path.name, display, str(path.parent)))
        return True

    def _add_dir(self, root: Path, display: str) -> None:
        for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
            dirnames.sort()
            d = Path(dirpath)
            for dn in list(dirnames):
                if (d / dn).is_symlink():
                    rel = printable((d / dn).relative_to(root).as_posix())
                    self.problems.append(Problem(f"{display}/{rel}", "symlink"))
                    dirnames.remove(dn)
            for fn in sorted(filenames):
                p = d / fn
                rel = printable(p.relative_to(root).as_posix())
                shown = f"{display.rstrip('/')}/{rel}"
                try:
                    st = p.lstat()
                except OSError as exc:
                    self.problems.append(Problem(shown, "read_error", str(exc)))
                    continue
                if stat.S_ISLNK(st.st_mode):
                    self.problems.append(Problem(shown, "symlink"))
                    continue
                if not stat.S_ISREG(st.st_mode):  # FIFO, socket, device: reading could hang
                    self.problems.append(Problem(shown, "not_regular_file"))
                    continue
                if fn.lower().endswith(".zip"):
                    try:
                        zf = self._stack.enter_context(open_zip(p))
                    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
                        self.problems.append(Problem(shown, "bad_zip", str(exc)))
                        continue
                    self._add_zip(zf, shown, depth=1)
                    continue
                self.files.append(_fs_file(p, rel, shown, display))

    def _add_zip(self, zf: zipfile.ZipFile, display: str, depth: int) -> None:
        lim = self.limits
        infos = zf.infolist()
        if len(infos) > lim.max_members:
            self.problems.append(Problem(display, "zip_members", str(len(infos))))
            infos = infos[: lim.max_members]
        for info in infos:
            name = _member_name(info)
            shown = f"{display}!{name}"
            if info.is_dir():
                continue
            if _unsafe_name(name):
                self.problems.append(Problem(shown, "zip_slip"))
                continue
            mode = (info.external_attr >> 16) & 0xFFFF
            if stat.S_ISLNK(mode):
                self.problems.append(Problem(shown, "symlink"))
                continue
            if info.flag_bits & 0x1:
                self.problems.append(Problem(shown, "encrypted"))
                continue
            size = info.file_size
            comp = max(info.compress_size, 1)
            if size >= lim.ratio_min_bytes and size / comp > lim.max_ratio:
                self.problems.append(
                    Problem(shown, "zip_bomb_ratio", f"{size / comp:.0f}:1 > {lim.max_ratio:.0f}:1")
                )
                continue
            if size > self._budget:
                self.problems.append(
                    Problem(shown, "zip_bomb_total", f"{size:,} B > {max(self._budget, 0):,} B")
                )
                continue
            self._budget -= size
            if name.lower().endswith(".zip"):
                if depth >= lim.max_depth:
                    self.problems.append(Problem(shown, "zip_depth", str(depth)))
                    continue
                inner = self._open_nested(zf, info, shown)
                if inner is not None:
                    self._add_zip(inner, shown, depth + 1)
                continue
            self.files.append(
                ExportFile(
                    path=name,
                    display=shown,
                    size=size,
                    _open=_zip_opener(zf, info, lim),
                    container=display,
                )
            )

    def _open_nested(
        self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str
    ) -> zipfile.ZipFile | None:
        try:
            buf = self._stack.enter_context(
                tempfile.SpooledTemporaryFile(max_size=self.limits.spool_bytes)  # noqa: SIM115
            )
            with zf.open(info) as src:
                shutil.copyfileobj(src, buf, 1 << 20)
            buf.seek(0)
            return self._stack.enter_context(open_zip(buf))
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            self.problems.append(Problem(shown, "bad_zip", str(exc)))
            return None


_NAMES_LOCK = threading.Lock()


def open_zip(file) -> zipfile.ZipFile:
    """``zipfile.ZipFile(file)``, also when a member's name is flagged UTF-8 but is not (some
    zip tools set the flag on cp437 / cp866 / Shift-JIS names): such an archive is read with
    every name taken as cp437, instead of refusing the whole archive."""
    try:
        return zipfile.ZipFile(file)
    except UnicodeDecodeError:
        if hasattr(file, "seek"):
            file.seek(0)
    # the flag test reads this module constant at run time; off only while the index is read
    with _NAMES_LOCK:
        saved = zipfile._MASK_UTF_FILENAME  # type: ignore[attr-defined]
        zipfile._MASK_UTF_FILENAME = 0  # type: ignore[attr-defined]
        try:
            zf = zipfile.ZipFile(file)
        finally:
            zipfile._MASK_UTF_FILENAME = saved  # type: ignore[attr-defined]
    for info in zf.infolist():  # opening a member compares names decoded the same way
        info.flag_bits &= ~0x800
    return zf


def printable(name: str) -> str:
    """A file name as text that can be printed and written to a report: bytes that were not
    UTF-8 (kept by Python as surrogates) are shown as ``\\xff`` escapes."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")


def _member_name(info: zipfile.ZipInfo) -> str:
    """A zip member's name: names without the UTF-8 flag are decoded by zipfile as cp437; many
    tools write UTF-8 without setting the flag, so those bytes are tried as UTF-8 first."""
    name = info.filename
    if info.flag_bits & 0x800 or name.isascii():
        return name
    try:
        return name.encode("cp437").decode("utf-8")
    except UnicodeError:
        return name


def _unsafe_name(name: str) -> bool:
    n = name.replace("\\", "/")
    if n.startswith("/") or (len(n) > 1 and n[1] == ":"):
        return True
    return any(part == ".." for part in n.split("/"))


def _fs_file(p: Path, rel: str, shown: str, container: str) -> ExportFile:
    try:
        size = p.stat().st_size
    except OSError:
        size = 0
    return ExportFile(
        path=rel, display=shown, size=size, _open=lambda: open(p, "rb"), container=container
    )


class _Capped:
    """Read-through wrapper refusing to return more than ``cap`` bytes (defence in depth)."""

    def __init__(self, raw: BinaryIO, cap: int, shown: str):
        self._raw, self._left, self._shown = raw, cap, shown

    def read(self, n: int = -1) -> bytes:
        data = self._raw.read(n)
        self._left -= len(data)
        if self._left < 0:
            raise zipfile.BadZipFile(f"{self._shown}: more data than declared")
        return data

    def readline(self, limit: int = -1) -> bytes:
        data = self._raw.readline(limit)
        self._left -= len(data)
        if self._left < 0:
            raise zipfile.BadZipFile(f"{self._shown}: more data than declared")
        return data

    def __iter__(self):
        while True:
            line = self.readline()
            if not line:
                return
            yield line

    def close(self) -> None:
        self._raw.close()

    def __enter__(self) -> _Capped:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _zip_opener(zf: zipfile.ZipFile, info: zipfile.ZipInfo, lim: ZipLimits):
    def _open() -> BinaryIO:
        return _Capped(zf.open(info), info.file_size, info.filename)  # type: ignore[return-value]

    return _open


def iter_files(export: Export, patterns: tuple[str, ...]) -> Iterator[ExportFile]:
    for f in export.files:
        if f.match(*patterns):
            yield f
