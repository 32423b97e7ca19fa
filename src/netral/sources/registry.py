"""The platform parsers, most specific first. Adding a platform = one module + one line here."""

from __future__ import annotations

from netral.sources.base import Parser
from netral.sources.facebook import FacebookParser
from netral.sources.generic import GenericParser
from netral.sources.instagram import InstagramParser
from netral.sources.mastodon import MastodonParser
from netral.sources.telegram import TelegramParser
from netral.sources.threads import ThreadsParser
from netral.sources.tiktok import TikTokParser
from netral.sources.twitter import TwitterParser
from netral.sources.whatsapp import WhatsAppParser
from netral.sources.youtube import YouTubeParser

PARSERS: list[type[Parser]] = [
    TwitterParser,
    FacebookParser,
    InstagramParser,
    ThreadsParser,
    TikTokParser,
    TelegramParser,
    WhatsAppParser,
    YouTubeParser,
    MastodonParser,
    GenericParser,
]

MIN_CONFIDENCE = 0.1


def platforms() -> list[str]:
    return [p.platform for p in PARSERS]


def get_parser(platform: str) -> Parser:
    for cls in PARSERS:
        if cls.platform == platform:
            return cls()
    raise KeyError(platform)


def all_parsers() -> list[Parser]:
    return [cls() for cls in PARSERS]
