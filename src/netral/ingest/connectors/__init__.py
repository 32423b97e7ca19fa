"""Connectors: fetch public feeds or platform APIs and yield collector records.

A connector is any object with a ``name`` and ``fetch(source, **options)`` that yields
``(position, record)`` pairs, where ``record`` is a dict in the collector schema
(:mod:`netral.ingest.schema`). The ingestion pipeline stores, matches and scans them exactly
like file records, so a connector never touches the database.

Plugging in your own connector (an agency's scraper or a platform API client):

* in code: ``register(MyConnector())``;
* from another installed package: an entry point in the group ``netral.connectors``, e.g. in
  its ``pyproject.toml``::

      [project.entry-points."netral.connectors"]
      myplatform = "mypkg.connector:MyConnector"

Then ``netral ingest SOURCE --connector myplatform``.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib.metadata import entry_points
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class Connector(Protocol):
    name: str

    def fetch(self, source: str, **options: Any) -> Iterator[tuple[str, dict[str, Any]]]:
        """Yield ``(position, record)`` for everything ``source`` (URL/path) offers."""
        ...


_REGISTRY: dict[str, Connector] = {}


def register(connector: Connector) -> None:
    _REGISTRY[connector.name] = connector


def _builtin() -> None:
    if "activitypub" in _REGISTRY:
        return
    from netral.ingest.connectors.activitypub import ActivityPubConnector
    from netral.ingest.connectors.rss import FeedConnector

    register(ActivityPubConnector())
    register(FeedConnector())


def available() -> list[str]:
    _builtin()
    names = set(_REGISTRY)
    names.update(ep.name for ep in entry_points(group="netral.connectors"))
    return sorted(names)


def get_connector(name: str) -> Connector:
    _builtin()
    if name in _REGISTRY:
        return _REGISTRY[name]
    for ep in entry_points(group="netral.connectors"):
        if ep.name == name:
            obj = ep.load()
            conn = obj() if isinstance(obj, type) else obj
            register(conn)
            return conn
    raise KeyError(name)
