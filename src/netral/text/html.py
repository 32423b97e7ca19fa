"""HTML fragment -> plain text (paragraphs and line breaks kept as newlines; scripts and styles
dropped): the one conversion for export readers (Mastodon, Twitter `source`) and collectors
(ActivityPub, RSS)."""

from __future__ import annotations

import html
from html.parser import HTMLParser

_BLOCK = {"p", "br", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "tr"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in _BLOCK and self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        elif tag in _BLOCK and tag != "br":
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(fragment: str | None) -> str:
    if not fragment:
        return ""
    if "<" not in fragment:
        return html.unescape(fragment).strip()
    p = _Text()
    p.feed(fragment)
    p.close()
    lines = [" ".join(line.split()) for line in "".join(p.parts).split("\n")]
    return "\n".join(line for line in lines if line).strip()
