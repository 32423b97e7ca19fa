"""How the pages say things: readable labels for internal codes, times with their zone, and
inline code without Markdown (issue 15, problem 7).

Every function here turns something stored or computed for machines — a reason category
(``ajakan_memilih``), a rule id (``skb-h``), a target kind (``pair``), an audit action
(``finding.confirm``), a UTC timestamp, a backticked command — into what a person reads on an
Indonesian (or English) page. The templates use them as Jinja filters (see
:func:`install`); the filters that depend on the reader take the page's language and the
agency's time zone from the template context.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from jinja2 import Environment, pass_context
from markupsafe import Markup, escape

from netral.review.zones import DEFAULT_ZONE, local
from netral.web.i18n import translate

# a rule reference ends with the rule table's uncertainty marker; the page shows one badge
_UNCERTAIN_MARK = re.compile(
    r"\s*\[(belum pasti|uncertain|tidak pasti|belum terverifikasi|unverified)\]\s*$")
_BACKTICKS = re.compile(r"``([^`\n]+)``|`([^`\n]+)`")  # Markdown and reST inline code

PLATFORMS = {
    "x": "X", "twitter": "X (Twitter)", "facebook": "Facebook", "instagram": "Instagram",
    "tiktok": "TikTok", "mastodon": "Mastodon", "youtube": "YouTube", "whatsapp": "WhatsApp",
    "telegram": "Telegram", "threads": "Threads", "linkedin": "LinkedIn", "bluesky": "Bluesky",
}


def split_uncertain(rule_ref: str | None) -> tuple[str, bool]:
    """``"PP 94/2021 Pasal 5 [belum pasti]"`` -> ``("PP 94/2021 Pasal 5", True)``."""
    text = rule_ref or ""
    m = _UNCERTAIN_MARK.search(text)
    return (text[: m.start()], True) if m else (text, False)


def codespans(text: Any) -> Markup:
    """Text with Markdown-style ```code``` shown as ``<code>`` (everything else escaped)."""
    escaped = str(escape("" if text is None else text))
    return Markup(_BACKTICKS.sub(lambda m: f"<code>{m.group(1) or m.group(2)}</code>", escaped))


def platform_name(platform: str | None) -> str:
    p = (platform or "").strip()
    return PLATFORMS.get(p.lower(), p[:1].upper() + p[1:] if p else "—")


def category_label(category: str | None, lang: str) -> str:
    from netral.rules import category_label as label

    if not category:
        return ""
    try:
        return label(category, lang)
    except KeyError:
        return category.replace("_", " ")


def rule_title(rule_id: str | None, lang: str) -> str:
    from netral.rules import rule

    if not rule_id:
        return ""
    try:
        title = rule(rule_id).title
    except KeyError:
        return rule_id
    return title.get(lang) or title.get("id") or rule_id


def _when(value: Any, zone: str, with_time: bool) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        dt = local(value, zone)
        assert dt is not None
        if with_time:
            return f"{dt:%Y-%m-%d %H:%M} {dt.tzname()}"
        return f"{dt:%Y-%m-%d}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _zone(ctx) -> str:
    return ctx.get("zone") or DEFAULT_ZONE


def _lang(ctx) -> str:
    return ctx.get("lang") or "id"


@pass_context
def when_filter(ctx, value: Any) -> str:
    """A stored UTC time as ``2024-01-10 16:00 WIB`` in the agency's zone."""
    return _when(value, _zone(ctx), True)


@pass_context
def day_filter(ctx, value: Any) -> str:
    """A stored UTC time as the local date in the agency's zone."""
    return _when(value, _zone(ctx), False)


@pass_context
def category_filter(ctx, category: str | None) -> str:
    return category_label(category, _lang(ctx))


@pass_context
def rule_filter(ctx, rule_id: str | None) -> str:
    return rule_title(rule_id, _lang(ctx))


@pass_context
def target_kind_filter(ctx, kind: str | None) -> str:
    key = f"target.kind.{kind}"
    text = translate(key, _lang(ctx))
    return "" if not kind else (text if text != key else kind.replace("_", " "))


@pass_context
def audit_action_filter(ctx, action: str | None) -> str:
    key = f"audit.action.{action}"
    text = translate(key, _lang(ctx))
    return text if text != key else str(action or "")


@pass_context
def audit_object_filter(ctx, object_type: str | None) -> str:
    if not object_type:
        return ""
    key = f"audit.object.{object_type}"
    text = translate(key, _lang(ctx))
    return text if text != key else object_type


def install(env: Environment) -> None:
    env.filters.update(
        when=when_filter,
        day=day_filter,
        category=category_filter,
        rule_title=rule_filter,
        target_kind=target_kind_filter,
        audit_action=audit_action_filter,
        audit_object=audit_object_filter,
        platform=platform_name,
        codespans=codespans,
    )
    env.globals.update(split_uncertain=split_uncertain)
