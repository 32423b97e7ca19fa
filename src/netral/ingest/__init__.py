"""Ingestion of collected social-media items into the monitoring store.

Sources: collector files (JSONL/CSV/JSON in the schema of :mod:`netral.ingest.schema`), the
self-audit export of :mod:`netral.sources`, and connectors (:mod:`netral.ingest.connectors`).
"""

from __future__ import annotations

from netral.ingest.pipeline import IngestReport, RecordRefused, ingest_records, rescan

__all__ = ["IngestReport", "RecordRefused", "ingest_records", "ingest_source", "rescan"]


def ingest_source(
    engine,
    source: str,
    *,
    connector: str | None = None,
    handle: str | None = None,
    platform: str | None = None,
    **kwargs,
) -> IngestReport:
    """Ingest a file (by extension) or, with ``connector``, a feed URL/path."""
    from pathlib import Path

    from netral.ingest.connectors import get_connector
    from netral.ingest.readers import read_file

    if connector and connector != "file":
        records = get_connector(connector).fetch(source, handle=handle)
        name = connector
    else:
        records = read_file(Path(source))
        name = "file"
    return ingest_records(
        engine,
        records,
        source=source,
        connector=name,
        default_platform=platform,
        default_handle=handle,
        **kwargs,
    )
