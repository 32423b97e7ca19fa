"""Telegram Desktop export, machine-readable JSON (``result.json``).

Two shapes: a single chat (``{"name","type","id","messages"}``) and the full account export
(``personal_information``, ``chats.list[*]``, ``left_chats.list[*]``). ``text`` is a string or a
list mixing strings and entity objects. Raw control characters are tolerated. Own messages:
in a full export those whose ``from_id`` is ``user<personal_information.user_id>``; in a single
chat the ``--me`` names, else inferred (saved messages; the other side of a personal chat; the
one author common to several chats). Groups and channels in the chat list are "join" items.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from netral.item import Item, Locator
from netral.sources.archive import ExportFile
from netral.sources.base import ParseContext, Parser, json_shape
from netral.sources.helpers import WIB, find_urls, from_unix, iter_json, parse_iso, stream_matching

_GROUP_TYPES = {
    "private_group",
    "private_supergroup",
    "public_supergroup",
    "public_channel",
    "private_channel",
}


def flatten_text(text: Any) -> str:
    """Telegram ``text``: a string, or a list of strings and ``{"type","text"}`` entities."""
    if isinstance(text, str):
        return text
    if isinstance(text, list):
        return "".join(p if isinstance(p, str) else str((p or {}).get("text", "")) for p in text)
    return ""


def _text_urls(msg: dict) -> list[str]:
    """Links of both entity lists: ``text`` (when a list) and ``text_entities`` need not agree
    (a parser author's sample has a placeholder ``text_entities`` next to a ``text`` list that
    holds the link), so a ``text_link`` href found in either is kept."""
    urls: list[str] = []
    text = msg.get("text")
    for source in (msg.get("text_entities"), text if isinstance(text, list) else None):
        for p in source if isinstance(source, list) else []:
            if not isinstance(p, dict):
                continue
            url = None
            if p.get("type") == "link" and p.get("text"):
                url = str(p["text"])
            elif p.get("type") == "text_link" and p.get("href"):
                url = str(p["href"])
            if url and url not in urls:
                urls.append(url)
    return urls


def _want(prefix: str) -> str | None:
    if prefix == "messages.item":
        return "msg"
    if prefix.endswith("chats.list.item.messages.item"):
        return "msg"
    return None


_CHAT_PREFIXES = ("chats.list.item", "left_chats.list.item")


def _capture(prefix: str) -> bool:
    if prefix.startswith("personal_information.") or prefix in ("name", "type", "id"):
        return True
    if prefix in _CHAT_PREFIXES:
        return True
    head, _, field = prefix.rpartition(".")
    return head in _CHAT_PREFIXES and field in ("name", "type", "id")


class TelegramParser(Parser):
    platform = "telegram"
    label = "Telegram"
    _tz = WIB

    def can_read(self, f: ExportFile) -> float:
        if not f.name.lower().endswith(".json"):
            return 0.0
        _shape, keys = json_shape(f)
        ks = set(keys)
        if "personal_information" in ks and ("chats" in ks or "contacts" in ks):
            return 0.95
        if "messages" in ks and "type" in ks and "participants" not in ks:
            return 0.9 if f.name.lower() == "result.json" else 0.7
        return 0.0

    def version(self, files: list[ExportFile]) -> str:
        full = any("personal_information" in json_shape(f)[1] for f in files)
        return "full account export" if full else "single-chat export"

    def prepare(self, files: list[ExportFile], ctx: ParseContext) -> None:
        if ctx.me:
            # the person is named (--me): parse_file matches each message's author against
            # the names, so reading every message once more to guess who the person is would
            # change nothing (and cost as much as the parse itself)
            ctx.cache["telegram:self"] = {}
            return
        chats = []
        for f in files:
            keys = json_shape(f)[1]
            if "personal_information" in keys:
                continue
            try:
                head = {}
                authors: set[str] = set()
                for label, prefix, value in stream_matching(f.open, _want, capture=_capture):
                    if label == "scalar":
                        head[prefix] = value
                    elif isinstance(value, dict) and value.get("from"):
                        authors.add(str(value["from"]))
                chats.append((f.display, head.get("name"), head.get("type"), authors))
            except Exception:
                continue
        me = {n.casefold() for n in ctx.me}
        selves: dict[str, set[str] | str] = {}
        common = set.intersection(*(c[3] for c in chats)) if len(chats) >= 2 else set()
        for display, name, typ, authors in chats:
            if me:
                selves[display] = me
            elif typ == "saved_messages":
                selves[display] = "*"
            elif typ == "personal_chat" and name and len(authors - {name}) == 1:
                selves[display] = {(authors - {name}).pop().casefold()}
            elif len(common) == 1:
                selves[display] = {next(iter(common)).casefold()}
        ctx.cache["telegram:self"] = selves

    def parse_file(self, f: ExportFile, ctx: ParseContext) -> Iterator[Item]:
        self._tz = ctx.tz
        me_id: str | None = None
        me_set: set[str] | str | None = ctx.cache.get("telegram:self", {}).get(f.display)
        if me_set is None and ctx.me:
            me_set = {n.casefold() for n in ctx.me}
        chat: dict[str, Any] = {}
        counters = {"chats.list.item": -1, "left_chats.list.item": -1}
        chat_path = "$"
        msg_idx = 0
        bio_parts: list[str] = []
        joined = False
        told = False
        for label, prefix, value in stream_matching(f.open, _want, capture=_capture):
            if label == "start":  # a new chat object in a full export
                if chat and not joined and chat.get("type") in _GROUP_TYPES:
                    yield self._join(chat, f, chat_path)
                counters[prefix] += 1
                chat_path = "$." + prefix.replace(".item", f"[{counters[prefix]}]")
                chat, msg_idx, joined = {}, 0, False
                continue
            if label == "scalar":
                field = prefix.rsplit(".", 1)[-1]
                if prefix == "personal_information.user_id":
                    me_id = f"user{value}"
                elif prefix.startswith("personal_information."):
                    if field in ("first_name", "last_name", "username", "bio") and value:
                        bio_parts.append(str(value))
                else:
                    chat[field] = value
                continue
            if bio_parts:
                yield self._bio(bio_parts, f)
                bio_parts = []
            if not joined and chat.get("type") in _GROUP_TYPES and chat.get("name"):
                joined = True
                yield self._join(chat, f, chat_path)
            if not isinstance(value, dict):
                continue
            where = f"{chat_path}.messages[{msg_idx}]"
            msg_idx += 1
            if value.get("type") != "message":
                continue
            if me_id is not None:
                own = value.get("from_id") == me_id
            elif me_set == "*":
                own = True
            elif me_set:
                own = str(value.get("from", "")).casefold() in me_set
            else:
                if not told:
                    ctx.notice(f, "self_unknown", "Telegram")
                    told = True
                own = False
            if own:
                it = self._message(value, f, where, chat)
                if it:
                    yield it
        if bio_parts:
            yield self._bio(bio_parts, f)
        if chat and not joined and chat.get("type") in _GROUP_TYPES and chat.get("name"):
            yield self._join(chat, f, chat_path)

    def _bio(self, parts: list[str], f: ExportFile) -> Item:
        return Item(
            platform=self.platform,
            kind="bio",
            text=" ".join(parts),
            locator=Locator(f.display, "$.personal_information"),
        )

    def _join(self, chat: dict, f: ExportFile, where: str) -> Item:
        cid = chat.get("id")
        return Item(
            platform=self.platform,
            kind="join",
            id=str(cid) if cid is not None else None,
            target=str(chat.get("name")),
            locator=Locator(f.display, where),
            extra={"chat_type": chat.get("type")},
        )

    def _message(self, m: dict, f: ExportFile, where: str, chat: dict) -> Item | None:
        text = flatten_text(m.get("text"))
        if not text and m.get("text_entities"):
            text = flatten_text(m["text_entities"])
        media = [
            m[k]
            for k in ("photo", "file")
            if isinstance(m.get(k), str) and not m[k].startswith("(File not included")
        ]
        if not text and not media:
            return None
        when = from_unix(m.get("date_unixtime")) or parse_iso(m.get("date"), self._tz)
        kind = "share" if m.get("forwarded_from") else "message"
        urls = _text_urls(m)
        urls += [u for u in find_urls(text) if u not in urls]
        return Item(
            platform=self.platform,
            kind=kind,
            id=str(m.get("id")),
            created_at=when,
            text=text,
            urls=urls,
            media=media,
            target=chat.get("name"),
            locator=Locator(f.display, where),
            extra=_extra(m),
        )


def _extra(m: dict) -> dict[str, Any]:
    """What the message answers or passes on: the forward's source, the replied message id."""
    extra: dict[str, Any] = {}
    if m.get("forwarded_from"):
        extra["forwarded_from"] = m["forwarded_from"]
    if m.get("reply_to_message_id") is not None:
        extra["reply_to_message_id"] = m["reply_to_message_id"]
    return extra


__all__ = ["TelegramParser", "flatten_text", "iter_json"]
