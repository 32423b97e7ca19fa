"""Limits every export reader works within, and the byte filter that enforces them on JSON.

Export files are written by strangers. Whatever they hold, reading one must end quickly, in
bounded memory, with the items before a bad spot kept and the bad spot named (file + byte).
Two shapes of JSON used to defeat that:

* deep nesting (``[[[[…`` — 400 KB of brackets drove a ``tweets.js`` to tens of GB of RSS,
  because the streaming parser builds a path string as long as the nesting for every event);
* one huge string (a 200 MB post text was copied into the item, the detector and the report).

:class:`JSONBounder` sits between the file and ijson. It scans the bytes once (a C regex per
string or bracket, not per byte), refuses nesting beyond ``max_depth`` with
``json_too_deep at byte N``, and cuts every string longer than ``max_string`` bytes (keeping
its head and an ellipsis), so the parser never holds more than the limits allow.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from netral.kinds import MAX_TEXT_CHARS

KiB = 1024


@dataclass(frozen=True, slots=True)
class Bounds:
    # Real exports nest at most ~10 levels (Telegram text entities, Facebook attachments).
    max_depth: int = 64
    # A post is at most tens of KB (Facebook notes ~60 KB, Telegram 4 KB); longer strings are
    # cut. The head is kept, so what was written is still judged.
    max_string: int = 256 * KiB
    # One record (a tweet, a post, a message: the values a reader asks for) at most this many
    # bytes; beyond it the file is not read further (records before it are kept). Strings are
    # cut at max_string first, so only a record of very many values reaches this.
    max_record: int = 8 * 1024 * KiB
    # Text files (chats, CSV): one line or one chat message at most this many characters.
    max_line: int = 256 * KiB
    # The text of one item (several strings joined): the longest text any door judges.
    max_text: int = MAX_TEXT_CHARS


BOUNDS = Bounds()
ELLIPSIS = "…"
_ELLIPSIS_B = ELLIPSIS.encode()

# outside strings: the next bracket or quote; a whole string; a bracket
_STRUCT = re.compile(rb'[\[\]{}"]')
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)


@functools.cache
def _step_table():
    """numpy and a byte table: +1 for an opening bracket, -1 for a closing one, else 0
    (imported on first use, so commands that read no JSON do not load numpy)."""
    import numpy as np

    table = np.zeros(256, dtype=np.int8)
    table[[0x5B, 0x7B]] = 1
    table[[0x5D, 0x7D]] = -1
    return np, table
# inside a string: ordinary bytes and complete escapes up to the closing quote / lone backslash
_BODY = re.compile(rb'[^"\\]*(?:\\.[^"\\]*)*', re.DOTALL)


class TooDeep(ValueError):
    """Nesting beyond the limit. ``pos`` is the byte offset of the bracket that went too deep;
    ``head`` the bytes of the last chunk before it (the parser still gets them)."""

    code = "json_too_deep"

    def __init__(self, pos: int, limit: int, head: bytes = b"", what: str = ""):
        super().__init__(what or f"nesting deeper than {limit} levels")
        self.pos = pos
        self.limit = limit
        self.head = head


class TooBig(TooDeep):
    """One record beyond ``max_record`` bytes; ``pos`` is where that record starts."""

    code = "json_record_too_big"


def cap_text(text: str, limit: int = BOUNDS.max_text) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis when it was cut."""
    return text if len(text) <= limit else text[:limit] + ELLIPSIS


class JSONBounder:
    """Streaming filter over the raw bytes of a JSON document (see the module docstring).

    ``feed(chunk)`` returns the bytes to hand to the parser; it raises :class:`TooDeep` once
    nesting passes the limit (the bytes before that bracket were already returned, so the
    records before it are parsed). ``truncated`` counts the strings that were cut and
    ``first_cut`` is the byte offset of the first one.
    """

    __slots__ = (
        "bounds",
        "depth",
        "esc_buf",
        "esc_u",
        "escape",
        "first_cut",
        "in_string",
        "offset",
        "out_total",
        "record_depth",
        "record_out",
        "record_start",
        "skipping",
        "str_len",
        "truncated",
    )

    def __init__(self, bounds: Bounds = BOUNDS, offset: int = 0, record_depth: int = 0):
        self.bounds = bounds
        self.offset = offset  # byte offset of the next chunk in the file
        # nesting level of the records the reader asks for (0: no record limit)
        self.record_depth = record_depth
        self.record_start: int | None = None  # raw byte where the open record began
        self.record_out = 0  # the same point counted in bytes handed on (cut strings shrink)
        self.out_total = 0
        self.depth = 0
        self.in_string = False
        # bytes of an escape begun at the end of the previous chunk (no cut may split it);
        # esc_u: the next byte is the escaped character itself (``u`` adds four hex digits)
        self.escape = 0
        self.esc_u = False
        self.esc_buf = b""
        self.skipping = False  # the current string passed max_string: drop until it closes
        self.str_len = 0
        self.truncated = 0
        self.first_cut: int | None = None

    def feed(self, chunk: bytes) -> bytes:
        n = len(chunk)
        parts: list[bytes] = []
        keep = 0  # start of the slice of ``chunk`` still to be kept
        i = 0
        if self.in_string:  # finish the string the last chunk ended in, byte-exactly
            i, keep = self._exact(chunk, 0, parts, keep, until_closed=True)
        if i < n:
            # fast path: complete strings skipped by one C regex, brackets counted on the
            # rest; the exact scan takes over for an unterminated last string, and redoes the
            # chunk when nesting would pass the limit (so the error names the exact byte)
            state = (self.depth, self.record_start, self.record_out)
            q = self._fast(chunk, i, n)
            if q < 0:
                self.depth, self.record_start, self.record_out = state
            else:
                i = q
            if i < n:
                i, keep = self._exact(chunk, i, parts, keep, until_closed=False)
        if not self.skipping:  # while skipping, the rest of the chunk is the cut string
            parts.append(chunk[keep:])
        out = b"".join(parts)
        self.offset += n
        self.out_total += len(out)
        start = self.record_start
        if start is not None and self.out_total - self.record_out > self.bounds.max_record:
            # a record larger than the limit began in an earlier chunk: this chunk is all
            # inside it, so nothing complete is lost by stopping here
            raise TooBig(start, self.bounds.max_record, out,
                         f"one record larger than {self.bounds.max_record // (1024 * KiB)} MiB")
        return out

    def _fast(self, chunk: bytes, i: int, n: int) -> int:
        """Scan ``chunk[i:]`` (outside a string) up to the opening quote of a string that the
        chunk ends in (or to ``n``); returns that position, or -1 when nesting would pass the
        limit there (the caller restores the state and scans exactly). All in C: escaped
        backslashes and quotes are blanked (same length), the quotes then alternate, and the
        brackets outside strings are summed with numpy."""
        region = chunk[i:n] if i else chunk
        if b"\\\\" in region:
            region = region.replace(b"\\\\", b"__")
        if b'\\"' in region:
            region = region.replace(b'\\"', b"__")
        pieces = region.split(b'"')
        q = n
        if len(pieces) % 2 == 0:  # odd number of quotes: the chunk ends inside a string
            q = i + region.rfind(b'"')
        structural = b"".join(pieces[0::2])
        opens = structural.count(b"[") + structural.count(b"{")
        if not opens and not (structural.count(b"]") + structural.count(b"}")):
            return q
        np, table = _step_table()
        steps = table[np.frombuffer(structural, dtype=np.uint8)]
        steps = steps[steps != 0]
        depths = np.cumsum(steps, dtype=np.int64) + self.depth
        if int(depths.max()) > self.bounds.max_depth:
            return -1
        rd = self.record_depth
        if rd:
            before = np.concatenate(([self.depth], depths[:-1]))
            starts = np.flatnonzero((depths == rd) & (before < rd))
            if starts.size:  # a record began in this chunk (counted from the chunk's start)
                self.record_start = self.offset + i
                self.record_out = self.out_total + i
            if int(depths[-1]) < rd:
                self.record_start = None
        self.depth = int(depths[-1])
        return q

    def _exact(self, chunk: bytes, i: int, parts: list[bytes], keep: int, *,
               until_closed: bool) -> tuple[int, int]:
        """Byte-exact scan from ``i``: cuts long strings, names the exact byte of a too deep
        bracket. Returns (position reached, start of the slice still to keep)."""
        n = len(chunk)
        cap = self.bounds.max_string
        max_depth = self.bounds.max_depth
        while i < n:
            if self.in_string:
                if self.escape:  # the rest of an escape begun at the end of the last chunk
                    self.escape -= 1
                    self.esc_buf += chunk[i : i + 1]
                    if self.esc_u:  # the escaped byte itself: \uXXXX has four more
                        self.esc_u = False
                        if chunk[i] == 0x75:
                            self.escape += 4
                    if not self.escape and _HIGH_SURROGATE.fullmatch(self.esc_buf):
                        self.escape, self.esc_buf = 6, b""  # its low half comes next
                    if not self.skipping:
                        self.str_len += 1
                    i += 1
                    continue
                j = _BODY.match(chunk, i).end()  # type: ignore[union-attr]
                if not self.skipping and self.str_len + (j - i) > cap:
                    cut = _safe_cut(chunk, i, i + (cap - self.str_len))
                    parts.append(chunk[keep:cut])
                    parts.append(_ELLIPSIS_B)
                    self.skipping = True
                    self.truncated += 1
                    if self.first_cut is None:
                        self.first_cut = self.offset + cut
                elif not self.skipping:
                    self.str_len += j - i
                if j >= n:
                    # an escape or UTF-8 character split by the chunk border: no cut inside it
                    u = _open_unicode_escape(chunk, i, n)
                    self.esc_buf = chunk[chunk.rfind(b"\\", 0, n) :] if u else b""
                    self.escape = (u or _open_utf8(chunk, i, n)
                                   or (6 if n - 6 >= i and _HIGH_SURROGATE.fullmatch(chunk, n - 6)
                                       else 0))
                    i = n
                elif chunk[j] == 0x22:  # closing quote
                    if self.skipping:
                        keep = j
                        self.skipping = False
                    self.in_string = False
                    i = j + 1
                    if until_closed:
                        return i, keep
                else:  # a backslash as the last byte: its escaped byte is in the next chunk
                    self.escape, self.esc_u, self.esc_buf = 1, True, b"\\"
                    if not self.skipping:
                        self.str_len += 1
                    i = n
                continue
            m = _STRUCT.search(chunk, i)
            if m is None:
                return n, keep
            i = m.end()
            c = chunk[i - 1]
            if c == 0x22:
                self.in_string = True
                self.str_len = 0
            elif c in (0x5B, 0x7B):  # [ {
                self.depth += 1
                if self.depth > max_depth:
                    parts.append(chunk[keep : i - 1])
                    raise TooDeep(self.offset + i - 1, max_depth, b"".join(parts))
                if self.depth == self.record_depth:
                    self.record_start = self.offset + i - 1
                    self.record_out = self.out_total + i - 1
            else:
                if self.depth == self.record_depth:
                    self.record_start = None
                self.depth -= 1
        return i, keep


def _escaped(chunk: bytes, q: int, start: int) -> bool:
    """Whether the quote at ``q`` is escaped (an odd run of backslashes before it)."""
    r = q
    while r > start and chunk[r - 1] == 0x5C:
        r -= 1
    return (q - r) % 2 == 1


def _open_unicode_escape(chunk: bytes, start: int, n: int) -> int:
    """Hex digits still owed by a ``\\uXXXX`` escape that the chunk ends inside (0 if none)."""
    k = chunk.rfind(b"\\", max(start, n - 5), n)
    if k < 0 or k + 1 >= n or chunk[k + 1] != 0x75:
        return 0
    r = k
    while r > start and chunk[r - 1] == 0x5C:
        r -= 1
    if (k - r) % 2:  # this backslash is itself escaped
        return 0
    return max(0, 4 - (n - (k + 2)))


def _open_utf8(chunk: bytes, start: int, n: int) -> int:
    """Continuation bytes still owed by a UTF-8 character that the chunk ends inside."""
    for p in range(n - 1, max(start, n - 4) - 1, -1):
        b = chunk[p]
        if b & 0xC0 != 0x80:
            need = 2 if 0xC0 <= b < 0xE0 else 3 if 0xE0 <= b < 0xF0 else 4 if b >= 0xF0 else 1
            return max(0, need - (n - p))
    return 0


_HIGH_SURROGATE = re.compile(rb"\\u[dD][89abAB][0-9a-fA-F]{2}")


def _safe_cut(chunk: bytes, start: int, cut: int) -> int:
    """A cut point at or before ``cut`` (not before ``start``) that splits no escape sequence
    and no UTF-8 character, so the shortened string is still valid JSON and valid UTF-8."""
    cut = max(cut, start)  # an escape finished at the chunk's start may already pass the cap
    window = chunk.rfind(b"\\", max(start, cut - 6), cut)
    if window >= 0:  # back to the start of the run of backslashes: always an escape start
        cut = window
        while cut > start and chunk[cut - 1] == 0x5C:
            cut -= 1
    while cut > start and (chunk[cut] & 0xC0) == 0x80:
        cut -= 1
    # nor the two halves of an escaped emoji (a lone surrogate cannot be written as UTF-8)
    if cut - 6 >= start and _HIGH_SURROGATE.fullmatch(chunk, cut - 6, cut):
        cut -= 6
    return cut


def bounded_lines(raw, limit: int = BOUNDS.max_line):
    """Lines of a binary stream, none longer than ``limit`` bytes: yields ``(line, cut)``; an
    overlong line is yielded as its head (``cut`` true) and the rest of it is skipped unread
    into memory, so a 200 MB line costs ``limit`` bytes, not 200 MB."""
    while True:
        line = raw.readline(limit)
        if not line:
            return
        if len(line) < limit or line.endswith((b"\n", b"\r")):
            yield line, False
            continue
        rest = line
        while rest and len(rest) >= limit and not rest.endswith((b"\n", b"\r")):
            rest = raw.readline(limit)
        yield line, True


def bound_item(item, f) -> None:
    """Cut an item's text to ``max_text`` characters (an ellipsis marks the cut) and count the
    cut on the file, so the audit says so: the detector and the report never get more."""
    limit = BOUNDS.max_text
    if len(item.text) > limit:
        f.cache["texts_cut"] = f.cache.get("texts_cut", 0) + 1
        f.cache.setdefault("text_cut_at", item.locator.where)
        item.extra["text_chars"] = len(item.text)
        item.text = cap_text(item.text, limit)


def note_cuts(f, ctx) -> None:
    """Tell the person (a notice in the report) that long strings or texts of ``f`` were cut."""
    cut = f.cache.get("strings_cut")
    if cut:
        n, where, limit = cut
        ctx.notice(f, "text_cut", f"{n} > {limit // KiB} KiB", where)
    elif f.cache.get("texts_cut"):
        ctx.notice(f, "text_cut", f"{f.cache['texts_cut']} > {BOUNDS.max_text:,} chars",
                   f.cache.get("text_cut_at"))
