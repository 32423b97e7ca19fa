"""Cheap checks of a roster spreadsheet before openpyxl reads it.

openpyxl needs about 50 µs per row: a 297 KB XLSX that inflates to a million rows took 54 s
and 900 MB in the web's roster import (issue 14). Before any parsing, the archive's declared
sizes are summed (a zip bomb is refused outright) and the worksheets' ``<row`` tags are
counted in the decompressed stream, stopping as soon as the limit is passed — milliseconds
for any file, since only the first rows up to the limit are ever inflated.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

MAX_XLSX_UNCOMPRESSED = 256 * 1024 * 1024  # all members together, as declared
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_CHUNK = 1 << 20


def xlsx_too_big(path: Path, max_rows: int) -> str | None:
    """Why the XLSX at ``path`` must not be parsed (``None`` when it may be): more than
    ``max_rows`` rows in its worksheets together, or more inflated bytes than
    :data:`MAX_XLSX_UNCOMPRESSED`. A file that is no zip at all is left to openpyxl, which
    reports it as unreadable."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            total = sum(i.file_size for i in infos)
            if total > MAX_XLSX_UNCOMPRESSED:
                return f"{total:,} bytes uncompressed (at most {MAX_XLSX_UNCOMPRESSED:,})"
            rows = 0
            for info in infos:
                if not info.filename.startswith("xl/worksheets/"):
                    continue
                rows += _count_rows(z, info, max_rows - rows)
                if rows > max_rows:
                    return f"more than {max_rows:,} rows"
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        return None
    return None


def _count_rows(z: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> int:
    """Rows of one worksheet, counted up to ``budget + 1`` (then it stops inflating)."""
    n = 0
    tail = b""
    with z.open(info) as fh:
        while chunk := fh.read(_CHUNK):
            data = tail + chunk
            cut = max(0, len(data) - 64)  # a tag starting after this is counted next round
            n += sum(1 for m in _ROW_TAG.finditer(data) if m.start() < cut)
            tail = data[cut:]
            if n > budget:
                return n
    return n + len(_ROW_TAG.findall(tail))
