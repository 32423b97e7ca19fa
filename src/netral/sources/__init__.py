"""Platform export readers: one module per platform, one normalised :class:`Item`.

See ``registry.py`` for the list and ``docs/audit.md`` for the formats.
"""

from netral.item import KINDS, Item, Locator
from netral.sources.archive import Export, ExportFile, Problem, ZipLimits
from netral.sources.base import ParseContext, Parser
from netral.sources.registry import PARSERS, all_parsers, get_parser, platforms

__all__ = [
    "KINDS",
    "PARSERS",
    "Export",
    "ExportFile",
    "Item",
    "Locator",
    "ParseContext",
    "Parser",
    "Problem",
    "ZipLimits",
    "all_parsers",
    "get_parser",
    "platforms",
]
