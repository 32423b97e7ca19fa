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
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from netral.sources.archive import ExportFile
from netral.sources.base import ParseContext, Parser
from netral.sources.helpers import clean_line, decode_bytes, find_urls
from netral.sources.item import Item, Locator

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
_ATTACHED = re.compile(
    r"(?:<\s*attached:\s*(?P<a>[^>]+)>|(?P<b>\S+\.\w{2,4})\s*\((?:file attached|file terlampir)\)"
    r"|(?P<c>\S+\.\w{2,4})\s*<attached>|<\s*terlampir:\s*(?P<d>[^>]+)>)",
    re.I,
)
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


def parse_chat(text: str) -> tuple[list[Message], str]:
    """All messages of a chat text, with the inferred date order ("dmy", "mdy", "ymd")."""
    msgs: list[Message] = []
    for n, raw in enumerate(text.splitlines(), start=1):
        line = clean_line(raw)
        m = HEADER.match(line)
        if m:
            a, b, c = (int(x) for x in re.split(r"[./-]\s?", m.group("date")))
            rest = m.group("rest")
            am = _AUTHOR.match(rest)
            author, body = (am.group("author").strip(), am.group("text")) if am else (None, rest)
            msgs.append(Message(n, (a, b, c), m.group("time"), m.group("ampm"), author, body))
        elif msgs:
            msgs[-1].text += "\n" + line
    order = "dmy"
    if msgs and all(m.date[0] > 31 for m in msgs[:20]):
        order = "ymd"
    elif any(m.date[0] > 12 for m in msgs):
        order = "dmy"
    elif any(m.date[1] > 12 for m in msgs):
        order = "mdy"
    return msgs, order


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
    parts = [int(x) for x in re.split(r"[:.]", m.time)]
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

    def _load(self, f: ExportFile, ctx: ParseContext) -> tuple[list[Message], str]:
        key = "wa:" + f.display
        if key not in ctx.cache:
            text, enc = decode_bytes(f.read_bytes())
            if enc not in ("utf-8", "utf-8-sig"):
                ctx.notice(f, "encoding_fallback", enc)
            ctx.cache[key] = parse_chat(text)
        return ctx.cache[key]

    def prepare(self, files: list[ExportFile], ctx: ParseContext) -> None:
        if ctx.me:
            ctx.cache["wa:self"] = {_norm(n) for n in ctx.me}
            return
        selves: set[str] = set()
        per_chat: list[set[str]] = []
        private_hints: set[str] = set()
        for f in files:
            try:
                msgs, _ = self._load(f, ctx)
            except Exception:
                continue
            authors = {_norm(m.author) for m in msgs if m.author}
            per_chat.append(authors)
            for m in msgs:
                if m.author and _DELETED_BY_ME.match(m.text.strip()):
                    selves.add(_norm(m.author))
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
        msgs, order = self._load(f, ctx)
        selves: set[str] = ctx.cache.get("wa:self") or set()
        name = chat_name(f)
        authors = {m.author for m in msgs if m.author}
        group = None
        for m in msgs[:50]:
            g = _CREATED_GROUP.search(m.text) if m.author is None else None
            if g:
                group = g.group("g")
        if group is None and name and len(authors) > 2:
            group = name
        if group:
            first = next((m for m in msgs if m.date), None)
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
        for m in msgs:
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
            else:
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
