"""WhatsApp "Export chat" ``.txt`` (Android and iOS, 12h/24h, many locales incl. id-ID).

Header forms accepted (one message per header line; other lines continue the message):

* Android ``DATE, TIME - Author: text`` (``dd/mm/yyyy, HH:MM``, ``dd.mm.yyyy, HH:MM``,
  ``yyyy-mm-dd, h:mm PM``, ``h:mm p.m.``), Indonesian ``dd/mm/yy HH.MM - Author: text``
  (dot in the time, no comma), Finnish ``klo``;
* iOS ``[DATE, TIME] Author: text`` / ``[dd-mm-yy HH:MM:SS] Author: text`` with optional U+200E
  and U+202F.

The day/month order is inferred per file (a first number above 12 means day-first, a second
above 12 means month-first; otherwise day-first, as Indonesian phones write it).

Only the exporting person's own messages are audited. Who that is comes from ``--me``, else
is inferred, in this order: authors of "You deleted this message" / "Anda menghapus pesan ini"
lines; the other author of a private chat whose name is in the file name; the only author
present in every exported chat. When none works the chat is reported and ``--me`` is asked for.
A group chat is also a "join" item judged on the group name.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from netral.item import Item, Locator
from netral.sources.archive import ExportFile
from netral.sources.base import ParseContext, Parser
from netral.sources.bounds import BOUNDS
from netral.sources.helpers import (
    clean_line,
    decode_bytes,
    find_urls,
    sniff_encoding,
    text_lines,
)

HEADER = re.compile(
    r"""^\[?
    (?P<date>\d{1,4}[./-]\s?\d{1,2}[./-]\s?\d{2,4})\.?
    (?:,\s*|\s+klo\s+|\s+)
    (?P<time>\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)
    (?:\s*(?P<ampm>[aApP]\.?\s?[mM]\.?))?
    (?:\]\s*|\s[-–]\s|:\s)
    (?P<rest>.*)$""",
    re.X,
)
_AUTHOR = re.compile(r"^(?P<author>[^:]{1,80}?):\s(?P<text>.*)$", re.S)

_MEDIA_OMITTED = re.compile(
    r"^<?\s*(media omitted|media tidak disertakan|media tidak dilampirkan|"
    r"(image|video|audio|sticker|gif|document) omitted|"
    r"(gambar|video|audio|stiker|gif|dokumen) (tidak disertakan|dihilangkan))\s*>?$",
    re.I,
)
# file names are at most 255 characters: an unbounded \S+ made one long word quadratic
# (a 256 KB line of letters took minutes)
_ATTACHED = re.compile(
    r"(?:<\s*attached:\s*(?P<a>[^>]{1,255})>"
    r"|(?P<b>\S{1,255}\.\w{2,4})\s*\((?:file attached|file terlampir)\)"
    r"|(?P<c>\S{1,255}\.\w{2,4})\s*<attached>|<\s*terlampir:\s*(?P<d>[^>]{1,255})>)",
    re.I,
)
_ATTACHED_HINT = re.compile(r"attached|terlampir", re.I)
_DELETED_BY_ME = re.compile(r"^(you deleted this message|anda menghapus pesan ini)\.?$", re.I)
_DELETED = re.compile(r"^(this message was deleted|pesan ini (telah )?dihapus)\.?$", re.I)
_SYSTEM_TEXT = re.compile(
    r"(end-to-end|terenkripsi|secured with|tap for more info|ketuk untuk info)", re.I
)
_CREATED_GROUP = re.compile(
    r'(?:you created group|anda membuat grup|membuat grup|created group)\s*[“"](?P<g>[^”"]+)[”"]', re.I
)
_CHAT_NAME = re.compile(
    r"^(?:whatsapp chat (?:with|-)|chat whatsapp dengan|chat whatsapp -|obrolan whatsapp dengan)"
    r"\s*(?P<n>.+?)(?:\.txt|\.zip)?$",
    re.I,
)


# compiled once: re.split(pattern_text, …) looks the pattern up in re's cache on every line
_DATE_SEP = re.compile(r"[./-]\s?")
_TIME_SEP = re.compile(r"[:.]")


@dataclass(slots=True)
class Message:
    line: int
    date: tuple[int, int, int]
    time: str
    ampm: str | None
    author: str | None
    text: str
    media: list[str] = field(default_factory=list)


def _norm(name: str) -> str:
    return clean_line(name).strip().casefold()


def iter_messages(lines: Iterable[str]) -> Iterator[Message]:
    """Messages of a chat, one at a time (continuation lines joined). Memory: one message."""
    cur: Message | None = None
    for n, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if not line.isascii():
            line = clean_line(line)
        m = HEADER.match(line)
        if m:
            if cur is not None:
                yield cur
            a, b, c = map(int, _DATE_SEP.split(m.group("date")))
            rest = m.group("rest")
            am = _AUTHOR.match(rest)
            author, body = (am.group("author").strip(), am.group("text")) if am else (None, rest)
            cur = Message(n, (a, b, c), m.group("time"), m.group("ampm"), author, body)
        elif cur is not None and len(cur.text) <= BOUNDS.max_text:  # cut later, with a note
            cur.text += "\n" + line
    if cur is not None:
        yield cur


class _OrderVote:
    """Day/month order from all dates of a file: >12 in first place -> day first, etc."""

    def __init__(self) -> None:
        self.n = 0
        self.ymd = 0
        self.first_gt12 = False
        self.second_gt12 = False

    def add(self, m: Message) -> None:
        self.n += 1
        if m.date[0] > 31:
            self.ymd += 1
        elif m.date[0] > 12:
            self.first_gt12 = True
        elif m.date[1] > 12:
            self.second_gt12 = True

    @property
    def order(self) -> str:
        if self.n and self.ymd == self.n:
            return "ymd"
        if self.first_gt12:
            return "dmy"
        if self.second_gt12:
            return "mdy"
        return "dmy"  # ambiguous: day first, as Indonesian phones write it


def parse_chat(text: str) -> tuple[list[Message], str]:
    """All messages of a chat text, with the inferred date order ("dmy", "mdy", "ymd")."""
    vote = _OrderVote()
    msgs = []
    for m in iter_messages(text.splitlines()):
        vote.add(m)
        msgs.append(m)
    return msgs, vote.order


def to_datetime(m: Message, order: str, tz: tzinfo) -> datetime | None:
    a, b, c = m.date
    if order == "ymd":
        y, mo, d = a, b, c
    elif order == "mdy":
        mo, d, y = a, b, c
    else:
        d, mo, y = a, b, c
    if y < 100:
        y += 2000
    parts = [int(x) for x in _TIME_SEP.split(m.time)]
    hh, mm = parts[0], parts[1]
    ss = parts[2] if len(parts) > 2 else 0
    if m.ampm:
        pm = m.ampm.lower().startswith("p")
        if hh == 12:
            hh = 0
        if pm:
            hh += 12
    try:
        return datetime(y, mo, d, hh, mm, ss, tzinfo=tz)
    except ValueError:
        return None


def chat_name(f: ExportFile) -> str | None:
    for candidate in (f.name, posixpath.basename(f.container.split("!")[-1])):
        stem = re.sub(r"\.(txt|zip)$", "", candidate, flags=re.I)
        m = _CHAT_NAME.match(stem)
        if m:
            return m.group("n").strip()
    return None


class WhatsAppParser(Parser):
    platform = "whatsapp"
    label = "WhatsApp"

    def can_read(self, f: ExportFile) -> float:
        if not f.name.lower().endswith(".txt"):
            return 0.0
        head = f.cache.get("wa_head")
        if head is None:
            try:
                head, _ = decode_bytes(f.head(4096))
            except OSError:
                head = ""
            f.cache["wa_head"] = head
        lines = [clean_line(x) for x in head.splitlines()[:12] if x.strip()]
        hits = sum(1 for x in lines if HEADER.match(x))
        if not lines or hits == 0:
            return 0.0
        named = chat_name(f) is not None or f.name.lower() == "_chat.txt"
        if hits >= min(2, len(lines)):
            return 0.95 if named else 0.8
        return 0.5 if named else 0.0

    def version(self, files: list[ExportFile]) -> str:
        kinds = set()
        for f in files:
            head = f.cache.get("wa_head") or ""
            first = next((clean_line(x) for x in head.splitlines() if x.strip()), "")
            if first.startswith("["):
                kinds.add("iOS")
            elif re.match(r"^\d{1,2}/\d{1,2}/\d{2,4} \d{1,2}\.\d{2} - ", first):
                kinds.add("Android id-ID")
            else:
                kinds.add("Android")
        return ", ".join(sorted(kinds))

    def _lines(self, f: ExportFile, ctx: ParseContext, note: bool = False) -> Iterator[str]:
        """Decoded lines, streamed: UTF-8 (BOM or not), UTF-16 (BOM), else cp1252."""
        enc = sniff_encoding(f.head(65536))
        if note and enc in ("cp1252", "utf-16"):
            ctx.notice(f, "encoding_fallback", enc)
        yield from text_lines(f.open, enc)

    def _summary(self, f: ExportFile, ctx: ParseContext) -> dict:
        """One streaming pass: authors, self hints, date order, group name."""
        key = "wa:sum:" + f.display
        if key not in ctx.cache:
            vote = _OrderVote()
            authors: set[str] = set()
            deleted_by: set[str] = set()
            group = None
            first = None
            for i, m in enumerate(iter_messages(self._lines(f, ctx, note=True))):
                vote.add(m)
                if first is None:
                    first = m
                if m.author:
                    authors.add(m.author)
                    if _DELETED_BY_ME.match(m.text.strip()):
                        deleted_by.add(_norm(m.author))
                elif i < 50 and group is None:
                    g = _CREATED_GROUP.search(m.text)
                    if g:
                        group = g.group("g")
            ctx.cache[key] = {"order": vote.order, "authors": authors, "deleted_by": deleted_by,
                              "group": group, "first": first}
        return ctx.cache[key]

    def prepare(self, files: list[ExportFile], ctx: ParseContext) -> None:
        sums = {}
        for f in files:
            try:
                sums[f.display] = self._summary(f, ctx)
            except Exception:  # reported when the file itself is parsed
                continue
        if ctx.me:
            ctx.cache["wa:self"] = {_norm(n) for n in ctx.me}
            return
        selves: set[str] = set()
        per_chat: list[set[str]] = []
        private_hints: set[str] = set()
        for f in files:
            sm = sums.get(f.display)
            if sm is None:
                continue
            authors = {_norm(a) for a in sm["authors"]}
            per_chat.append(authors)
            selves |= sm["deleted_by"]
            name = chat_name(f)
            if name and len(authors) == 2 and _norm(name) in authors:
                private_hints |= authors - {_norm(name)}
        if not selves:
            selves |= private_hints
        if not selves and len(per_chat) >= 2:
            common = set.intersection(*per_chat)
            if len(common) == 1:
                selves = common
        ctx.cache["wa:self"] = selves

    def parse_file(self, f: ExportFile, ctx: ParseContext) -> Iterator[Item]:
        sm = self._summary(f, ctx)
        order = sm["order"]
        if "wa:self" not in ctx.cache:
            ctx.cache["wa:self"] = {_norm(n) for n in ctx.me}
        selves: set[str] = ctx.cache["wa:self"]
        name = chat_name(f)
        authors = sm["authors"]
        group = sm["group"]
        if group is None and name and len(authors) > 2:
            group = name
        if group:
            first = sm["first"]
            yield Item(
                platform=self.platform,
                kind="join",
                target=group,
                created_at=to_datetime(first, order, ctx.tz) if first else None,
                locator=Locator(f.display, "line 1"),
                extra={"members_seen": len(authors)},
            )
        if not selves:
            if authors:
                ctx.notice(f, "self_unknown", "WhatsApp")
            return
        for m in iter_messages(self._lines(f, ctx)):
            if not m.author or _norm(m.author) not in selves:
                continue
            body = m.text.strip()
            if not body or _DELETED_BY_ME.match(body) or _DELETED.match(body):
                continue
            if _SYSTEM_TEXT.search(body) and len(body) < 200 and m.author == name:
                continue
            media: list[str] = []
            if _MEDIA_OMITTED.match(body):
                media.append("<media>")
                body = ""
            elif _ATTACHED_HINT.search(body):
                for am in _ATTACHED.finditer(body):
                    media.append(next(g for g in am.groups() if g).strip())
                body = _ATTACHED.sub("", body).strip()
            if not body and not media:
                continue
            yield Item(
                platform=self.platform,
                kind="message",
                created_at=to_datetime(m, order, ctx.tz),
                text=body,
                urls=find_urls(body),
                media=media,
                target=group or name,
                locator=Locator(f.display, f"line {m.line}"),
                extra={"author": m.author},
            )
