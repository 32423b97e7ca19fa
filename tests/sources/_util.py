from __future__ import annotations

from pathlib import Path

from netral.sources import Export, ParseContext, get_parser

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
REAL = FIXTURES / "real"
SYN = FIXTURES / "synthetic"


def parse(path: Path, platform: str, me: tuple[str, ...] = ()):
    """Items and problems of one platform parser over a fixture folder/zip/file."""
    export = Export()
    export.add(path)
    ctx = ParseContext(export=export, me=list(me))
    parser = get_parser(platform)
    items = list(parser.parse(export, ctx))
    version = parser.version([f for f in export.files if parser.can_read(f) > 0])
    export.close()
    return items, ctx.problems, version


def by_kind(items, kind: str):
    return [i for i in items if i.kind == kind]
