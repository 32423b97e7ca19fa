"""Rows of the real corpus kept out of every split: their text overlaps a dataset reserved for
independent evaluation (``data/corpus/withheld.jsonl`` in a source checkout, written by
``tools/corpus/withhold.py``: ids, sources and reasons, no text). The one reader of that list
for what trains on, evaluates or draws from the corpus."""

from __future__ import annotations

from pathlib import Path

import orjson

SPLIT = "withheld"  # the split merge_passes.py gives such a row
FILE = "withheld.jsonl"


def read_ids(listed: Path) -> set[str]:
    """The ids a withheld list holds (none where there is no such file)."""
    if not listed.is_file():
        return set()
    return {orjson.loads(line)["id"] for line in listed.read_bytes().splitlines() if line.strip()}
