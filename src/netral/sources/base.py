"""The parser interface: one subclass per platform (see ``registry.py``).

A parser answers ``can_read(file) -> confidence`` for each file of an export, and turns the
files it claimed into :class:`~netral.item.Item` objects. The audit pipeline gives every
file to the most confident parser, calls ``prepare`` once with all claimed files (for
cross-file facts such as "who is the account owner"), then ``parse_file`` per file, catching
errors per file so one bad file never stops the rest.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any, ClassVar

from netral.item import Item
from netral.sources.archive import Export, ExportFile, Problem
from netral.sources.helpers import WIB, FormatError, top_level_keys


@dataclass(slots=True)
class ParseContext:
    export: Export
    me: list[str] = field(default_factory=list)  # --me names (chat self-attribution)
    tz: tzinfo = WIB  # time zone for exports that write local times without an offset
    problems: list[Problem] = field(default_factory=list)  # notices found while parsing
    cache: dict[str, Any] = field(default_factory=dict)

    def notice(
        self, f: ExportFile | str, code: str, detail: str = "", position: str | None = None
    ) -> None:
        name = f.display if isinstance(f, ExportFile) else f
        self.problems.append(Problem(name, code, detail, position))


class Parser:
    platform: ClassVar[str] = ""
    label: ClassVar[str] = ""  # human name, e.g. "X / Twitter"

    # -- detection
    def can_read(self, f: ExportFile) -> float:
        """Confidence 0..1 that this parser understands ``f`` (by path and a peek at the head)."""
        raise NotImplementedError

    def version(self, files: list[ExportFile]) -> str:
        """Which export layout / version these files are (for the report)."""
        return ""

    # -- parsing
    def prepare(self, files: list[ExportFile], ctx: ParseContext) -> None:
        """Read cross-file facts before ``parse_file`` (optional)."""

    def parse_file(self, f: ExportFile, ctx: ParseContext) -> Iterator[Item]:
        raise NotImplementedError

    def parse(
        self, root: Export | Iterable[ExportFile], ctx: ParseContext | None = None
    ) -> Iterator[Item]:
        """Convenience: every item of the files this parser claims (errors propagate)."""
        files_all = root.files if isinstance(root, Export) else list(root)
        files = [f for f in files_all if self.can_read(f) > 0]
        if ctx is None:
            export = root if isinstance(root, Export) else Export()
            ctx = ParseContext(export=export)
        self.prepare(files, ctx)
        for f in files:
            yield from self.parse_file(f, ctx)


def head_text(f: ExportFile, n: int = 4096) -> str:
    key = f"head:{n}"
    if key not in f.cache:
        try:
            raw = f.head(n)
        except Exception:
            raw = b""
        if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # re-saved on Windows
            f.cache[key] = raw.decode("utf-16", errors="replace")
        else:
            f.cache[key] = raw.decode("utf-8", errors="replace")
    return f.cache[key]


def json_shape(f: ExportFile) -> tuple[str, list[str]]:
    """('array'|'object'|'other'|'error', first top-level keys) of a .json file, cached."""
    if "shape" not in f.cache:
        if not f.name.lower().endswith(".json"):
            f.cache["shape"] = ("other", [])
        else:
            try:
                f.cache["shape"] = top_level_keys(f.open)
            except FormatError as exc:
                # a file too deep for the limits still goes to its reader by the keys before
                # the bad spot (its records there are kept); unclaimed, the error is reported
                f.cache["shape"] = ("object", exc.keys) if exc.keys else ("error", [])
                f.cache["shape_error"] = exc
            except Exception as exc:  # unreadable member: named in the report by the audit
                f.cache["shape"] = ("error", [])
                f.cache.setdefault("read_error", f"{type(exc).__name__}: {exc}")
    return f.cache["shape"]
