"""A judged text as the reviewer sees it: escaped, with the detector's reasons marked."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from markupsafe import Markup, escape


def highlight(text: str, spans: Iterable[tuple[int, int, str]]) -> Markup:
    """``text`` escaped, with the given (start, end, title) spans wrapped in ``<mark>``.

    Overlapping spans are merged; offsets outside the text are clipped."""
    text = text or ""
    merged: list[list[Any]] = []
    for start, end, title in sorted((max(0, s), min(len(text), e), t) for s, e, t in spans):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            if title and title not in merged[-1][2]:
                merged[-1][2].append(title)
        else:
            merged.append([start, end, [title] if title else []])
    out: list[str] = []
    pos = 0
    for start, end, titles in merged:
        out.append(str(escape(text[pos:start])))
        out.append(
            f'<mark title="{escape("; ".join(titles))}">{escape(text[start:end])}</mark>'
        )
        pos = end
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def result_spans(result: dict[str, Any] | None, lang: str = "id"
                 ) -> list[tuple[int, int, str]]:
    """(start, end, title) of each reason; the title names the category in words
    (``ajakan memilih``, not ``ajakan_memilih``) and cites the rule."""
    from netral.rules import category_label

    spans = []
    for r in (result or {}).get("reasons", []) or []:
        try:
            cat = category_label(r["category"], lang) if r.get("category") else None
            title = " · ".join(x for x in (cat, r.get("rule_ref")) if x)
            spans.append((int(r["start"]), int(r["end"]), title))
        except (KeyError, TypeError, ValueError):
            continue
    return spans
