"""Shared helpers for the parsers: text repair, time parsing, streaming JSON, HTML to text."""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any, BinaryIO

import ftfy
import ijson

from netral.sources.bounds import BOUNDS, ELLIPSIS, Bounds, JSONBounder, TooDeep

# ---------------------------------------------------------------------------- errors


class FormatError(Exception):
    """A file could not be read as the expected layout. ``position`` names where."""

    def __init__(self, code: str, detail: str = "", position: str | None = None):
        super().__init__(detail or code)
        self.keys: list[str] = []  # top-level keys read before the error (json_shape)
        self.code = code
        self.detail = detail
        self.position = position


# ---------------------------------------------------------------------------- text

_MOJIBAKE_HINT = re.compile("[\u00c2-\u00f4][\u0080-\u00bf]")


def fix_mojibake(s: str) -> str:
    """Undo Meta's "UTF-8 bytes escaped as Latin-1 code points" (Facebook/Instagram/Threads).

    ``"T\\u00c5\\u0091ke"`` -> ``"Tőke"``. Strings that are already right are returned unchanged.
    """
    if not s or s.isascii():
        return s
    try:
        return s.encode("latin-1").decode("utf-8")
    except UnicodeError:
        pass
    if _MOJIBAKE_HINT.search(s):  # mixed string: let ftfy repair what it can
        return ftfy.fix_encoding(s)
    return s


def fix_tree(value: Any) -> Any:
    """fix_mojibake applied to every string in a decoded JSON value."""
    if isinstance(value, str):
        return fix_mojibake(value)
    if isinstance(value, list):
        return [fix_tree(v) for v in value]
    if isinstance(value, dict):
        return {fix_mojibake(k): fix_tree(v) for k, v in value.items()}
    return value


_INVISIBLE = dict.fromkeys(map(ord, "\u200e\u200f\ufeff\u2066\u2067\u2068\u2069"), None)
_SPACES = dict.fromkeys(map(ord, "\u202f\u00a0\u2007"), " ")


def clean_line(s: str) -> str:
    """Drop direction marks / BOMs and make narrow no-break spaces ordinary spaces."""
    return s.translate(_INVISIBLE).translate(_SPACES)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a text file's bytes: UTF-8 (BOM or not), UTF-16 (BOM), else cp1252 + ftfy.

    Returns (text, encoding_used). Never raises.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1252", errors="replace")
    return ftfy.fix_text(text), "cp1252"


class _Readable(io.RawIOBase):
    """Adapts a zip member / file object to what io.TextIOWrapper needs."""

    def __init__(self, raw: BinaryIO) -> None:
        super().__init__()
        self._raw = raw

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        data = self._raw.read(len(b))
        b[: len(data)] = data
        return len(data)


def sniff_encoding(head: bytes) -> str:
    """UTF-8 (BOM or not), UTF-16 (BOM), else cp1252, from the first bytes of a text file."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the head
            return "cp1252"
    return "utf-8"


def text_lines(opener: Callable[[], BinaryIO], encoding: str) -> Iterator[str]:
    """Lines of a text file, streamed and decoded (undecodable bytes replaced)."""
    limit = BOUNDS.max_line
    with opener() as raw:
        text = io.TextIOWrapper(_Readable(raw), encoding=encoding, errors="replace", newline="")
        while line := text.readline(limit):
            if len(line) >= limit and not line.endswith(("\n", "\r")):
                # an overlong line: keep its head, skip the rest without holding it
                rest = line
                while len(rest) >= limit and not rest.endswith(("\n", "\r")):
                    rest = text.readline(limit)
                line = line + ELLIPSIS + "\n"
            yield line


_URL_RE = re.compile(r"https?://[^\s<>\"']+")


def find_urls(text: str) -> list[str]:
    return [u.rstrip(".,;:!?)") for u in _URL_RE.findall(text or "")]


# ---------------------------------------------------------------------------- time

WIB = timezone(timedelta(hours=7), "WIB")
_MONTHS = {m: i for i, m in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1)}


def from_unix(value: Any) -> datetime | None:
    """Unix seconds or milliseconds (auto-detected), int/float/str -> aware UTC datetime."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    if v <= 0:
        return None
    if v > 1e11:  # milliseconds
        v /= 1000.0
    try:
        return datetime.fromtimestamp(v, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def parse_iso(value: Any, default_tz: tzinfo = UTC) -> datetime | None:
    """ISO-8601 (``Z`` or offset; naive values get ``default_tz``)."""
    if not isinstance(value, str) or not value.strip():
        return None
    s = value.strip().replace("Z", "+00:00")
    if " " in s and "T" not in s:
        s = s.replace(" ", "T", 1)
    try:
        dt = datetime.fromisoformat(s)
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=default_tz)


_ZONES: dict[str, tzinfo] = {}  # "+0700" -> its zone: an export has a handful, its tweets many


def _zone(tz: str) -> tzinfo:
    off = timedelta(hours=int(tz[1:3]), minutes=int(tz[3:5]))
    zone = UTC if not off else timezone(off if tz[0] == "+" else -off)
    if len(_ZONES) < 4096:  # bounded: a crafted file cannot grow it without end
        _ZONES[tz] = zone
    return zone


def parse_twitter_time(value: Any) -> datetime | None:
    """``Fri Feb 20 09:10:58 +0000 2026`` (falls back to ISO)."""
    if not isinstance(value, str):
        return None
    parts = value.split()
    if len(parts) == 6 and parts[1] in _MONTHS and len(parts[4]) == 5:  # fast path
        try:
            hh, mm, ss = map(int, parts[3].split(":"))
            zone = _ZONES.get(parts[4]) or _zone(parts[4])
            return datetime(int(parts[5]), _MONTHS[parts[1]], int(parts[2]), hh, mm, ss,
                            tzinfo=zone)
        except ValueError:
            pass
    try:
        return datetime.strptime(value.strip(), "%a %b %d %H:%M:%S %z %Y")
    except ValueError:
        return parse_iso(value)


def parse_any_time(value: Any, default_tz: tzinfo = UTC) -> datetime | None:
    """Best effort for generic inputs: unix number, ISO, Twitter format."""
    if value is None:
        return None
    if isinstance(value, int | float) or (isinstance(value, str) and value.strip().isdigit()):
        return from_unix(value)
    return parse_iso(value, default_tz) or parse_twitter_time(value)


# ---------------------------------------------------------------------------- streams

_CTRL = bytes(range(256)).maketrans(
    bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]), b" " * 29
)


class _Utf16ToUtf8(io.RawIOBase):
    """A UTF-16 file (BOM) read as UTF-8 bytes, incrementally (Windows tools re-save
    ``tweets.js`` this way; byte positions then count UTF-8 bytes)."""

    def __init__(self, raw: BinaryIO) -> None:
        super().__init__()
        self._raw = raw
        self._dec = codecs.getincrementaldecoder("utf-16")(errors="replace")

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        while True:
            data = self._raw.read(1 << 16)
            text = self._dec.decode(data, final=not data)
            if text or not data:
                return text.encode("utf-8")

    def close(self) -> None:
        self._raw.close()


def utf8_stream(raw: BinaryIO) -> BinaryIO:
    """``raw`` itself, or a UTF-8 view of it when it starts with a UTF-16 byte-order mark."""
    peek = raw.read(2)
    if peek in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return _Utf16ToUtf8(_Prefixed(peek, raw))  # type: ignore[return-value]
    return _Prefixed(peek, raw)  # type: ignore[return-value]


class _Prefixed(io.RawIOBase):
    def __init__(self, head: bytes, raw: BinaryIO) -> None:
        super().__init__()
        self._head, self._raw = head, raw

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        if self._head:
            out, self._head = self._head, b""
            if n is None or n < 0:
                return out + self._raw.read()
            return out + self._raw.read(max(n - len(out), 0))
        return self._raw.read(n)

    def close(self) -> None:
        self._raw.close()


class JSONSource(io.RawIOBase):
    """A read-only byte stream for ijson that counts bytes (for error positions), can skip a
    JavaScript prefix (``window.YTD.tweets.part0 = ``), reads UTF-16 files as UTF-8, turns
    raw control characters — which break strict parsers (seen in Telegram exports) — into
    spaces, and enforces :class:`~netral.sources.bounds.Bounds` (nesting depth, string size)
    so that no file, however built, costs more than bounded memory and time."""

    def __init__(
        self,
        raw: BinaryIO,
        *,
        skip_to: bytes | None = None,
        head_limit: int = 65536,
        bounds: Bounds = BOUNDS,
        record_depth: int = 0,
    ):
        super().__init__()
        self._raw = utf8_stream(raw)
        self.pos = 0  # bytes of the file consumed so far
        self._pending = b""
        self._error: FormatError | None = None
        if skip_to is not None:
            head = self._raw.read(head_limit)
            i = head.find(skip_to)
            if i < 0:
                raise FormatError("no_json_start", f"no {skip_to.decode()!r} found", "byte 0")
            self.pos = i
            self._pending = head[i:]
        else:
            self._pending = self._raw.read(3)
            if self._pending.startswith(codecs.BOM_UTF8):
                self._pending = self._pending[3:]
                self.pos = 3
        self.bounder = JSONBounder(bounds, offset=self.pos, record_depth=record_depth)

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        if self._error is not None:
            raise self._error
        while True:
            if self._pending:
                raw, self._pending = self._pending, b""
                if n is not None and n >= 0 and len(raw) > n:
                    raw, self._pending = raw[:n], raw[n:]
            else:
                raw = self._raw.read(n if n is not None and n >= 0 else 1 << 16)
            self.pos += len(raw)
            try:
                out = self.bounder.feed(raw)
            except TooDeep as exc:
                # hand over what came before the bracket (its records are kept); fail next read
                self._error = FormatError(exc.code, str(exc), _byte(exc.pos))
                self.pos = exc.pos
                out = exc.head
                if not out:
                    raise self._error from None
            # an empty answer means end of file to ijson: a chunk that was all cut string is not
            if out or not raw:
                return out.translate(_CTRL)

    def readinto(self, b) -> int:  # pragma: no cover - ijson uses read()
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)

    def close(self) -> None:
        super().close()


MiB = 1024 * 1024


def _byte(pos: int) -> str:
    return f"byte {pos:,}".replace(",", ".")


def _note_cuts(opener: Callable[[], BinaryIO], src: JSONSource) -> None:
    """Remember on the export file (``opener`` is its bound ``open``) that strings were cut, so
    the audit can say so; readers keep calling ``iter_json(f.open, ...)``."""
    b = src.bounder
    cache = getattr(getattr(opener, "__self__", None), "cache", None)
    if b.truncated and isinstance(cache, dict):
        cache["strings_cut"] = (b.truncated, _byte(b.first_cut or 0), b.bounds.max_string)


def json_error(exc: Exception, src: JSONSource | None) -> FormatError:
    where = _byte(src.pos) if src is not None else None
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if isinstance(exc, ijson.IncompleteJSONError) and "premature" in msg.lower():
        return FormatError("json_truncated", msg, where)
    if isinstance(exc, UnicodeDecodeError):
        return FormatError("encoding", msg, where)
    return FormatError("json_malformed", msg, where)


def guarded(src: JSONSource, it: Iterator[Any]) -> Iterator[Any]:
    """Re-raise ijson / decoding errors as FormatError naming the byte position."""
    try:
        yield from it
    except FormatError:
        raise
    except (ijson.JSONError, UnicodeDecodeError, ValueError) as exc:
        raise json_error(exc, src) from None


def iter_json(
    opener: Callable[[], BinaryIO], prefix: str, *, skip_to: bytes | None = None
) -> Iterator[Any]:
    """Stream the values at ``prefix`` (ijson syntax, e.g. ``"item"``, ``"messages.item"``)."""
    # the records asked for sit this deep ("item": 2, "messages.item": 3); "" is the document
    record_depth = len(prefix.split(".")) + 1 if prefix else 0
    with opener() as raw:
        src = JSONSource(raw, skip_to=skip_to, record_depth=record_depth)
        try:
            yield from guarded(src, ijson.items(src, prefix, use_float=True))
        finally:
            _note_cuts(opener, src)


def load_json(opener: Callable[[], BinaryIO], *, skip_to: bytes | None = None) -> Any:
    """Whole (small) JSON document, with the same error reporting."""
    for value in iter_json(opener, "", skip_to=skip_to):
        return value
    raise FormatError("json_truncated", "empty file", "byte 0")


def top_level_keys(opener: Callable[[], BinaryIO], limit: int = 64) -> tuple[str, list[str]]:
    """('array'|'object'|'other', first top-level keys) without reading the whole file."""
    keys: list[str] = []
    with opener() as raw:
        src = JSONSource(raw)
        try:
            for prefix, event, value in ijson.parse(src):
                if prefix == "" and event == "start_array":
                    return "array", []
                if prefix == "" and event == "map_key":
                    keys.append(value)
                    if len(keys) >= limit:
                        break
                elif prefix == "" and event not in ("start_map", "end_map"):
                    return "other", []
        except (ijson.JSONError, UnicodeDecodeError, ValueError, FormatError) as exc:
            if isinstance(exc, FormatError):  # past the limits: keys known so far go with it
                exc.keys = keys
                raise
            if keys:
                return "object", keys
            raise json_error(exc, src) from None
    return ("object" if keys else "other"), keys


def stream_matching(
    opener: Callable[[], BinaryIO],
    want: Callable[[str], str | None],
    *,
    capture: Callable[[str], bool] | None = None,
    bounds: Bounds = BOUNDS,
) -> Iterator[tuple[str, str, Any]]:
    """Walk a JSON file once and build the objects whose ijson prefix ``want(prefix)`` names.

    Yields (label, prefix, value) for each built value, ("scalar", prefix, value) for the
    scalars for which ``capture(prefix)`` is true (e.g. a chat's ``name`` before its messages)
    and ("start", prefix, None) when an object starts at a captured prefix.
    Memory is bounded by the largest single wanted value.
    """
    from ijson.common import ObjectBuilder

    with opener() as raw:
        src = JSONSource(raw, bounds=bounds)
        builder: ObjectBuilder | None = None
        max_record = src.bounder.bounds.max_record
        start = 0
        depth = 0
        label = ""
        bprefix = ""
        try:
            for prefix, event, value in ijson.parse(src, use_float=True):
                if builder is not None:
                    if src.pos - start > max_record:  # very many values in one record
                        raise FormatError("json_record_too_big",
                                          f"one record larger than {max_record // MiB} MiB",
                                          _byte(start))
                    builder.event(event, value)
                    if event in ("start_map", "start_array"):
                        depth += 1
                    elif event in ("end_map", "end_array"):
                        depth -= 1
                    if depth == 0:
                        yield label, bprefix, builder.value
                        builder = None
                    continue
                if event in ("start_map", "start_array"):
                    lab = want(prefix)
                    if lab:
                        start = src.pos
                        builder = ObjectBuilder()
                        builder.event(event, value)
                        depth, label, bprefix = 1, lab, prefix
                        continue
                    if event == "start_map" and capture is not None and capture(prefix):
                        yield "start", prefix, None
                elif (
                    event in ("string", "number", "boolean", "null")
                    and capture is not None
                    and capture(prefix)
                ):
                    yield "scalar", prefix, value
        except FormatError:
            raise
        except (ijson.JSONError, UnicodeDecodeError, ValueError) as exc:
            raise json_error(exc, src) from None
        finally:
            _note_cuts(opener, src)


def _nk(k: str) -> str:
    return k.replace(" ", "").replace("_", "").lower()


def ci_get(d: Any, *names: str, default: Any = None) -> Any:
    """Case-insensitive, space/underscore-insensitive dict lookup over several candidate keys."""
    if not isinstance(d, dict):
        return default
    for n in names:
        if n in d:
            return d[n]
    wanted = {_nk(n): i for i, n in enumerate(names)}
    best, best_i = default, len(names)
    for k, v in d.items():
        if isinstance(k, str) and v is not None:
            i = wanted.get(_nk(k))
            if i is not None and i < best_i:
                best, best_i = v, i
    return best
