"""Scale: batch scanning on Apache Spark with the same rows as the local ``netral scan``.

``run_spark_scan`` is imported lazily so that ``import netral.scale`` does not need pyspark
(install the ``spark`` extra: ``pip install 'netral[spark]'``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["SparkScanError", "run_spark_scan"]


def run_spark_scan(
    input_path: str,
    output_dir: str,
    *,
    master: str = "local[*]",
    fmt: str = "jsonl",
    packs: Sequence[str] | str | None = None,
    **options: Any,
) -> dict:
    """Scan posts on Spark; see :func:`netral.scale.engine.run_spark_scan`.

    Returns ``{"rows", "input_records", "flagged", "verdicts", "errors", "output", "format",
    "master", "seconds"}``; ``errors`` counts rows by type (missing_text, empty_text, truncated,
    invalid_record, internal_error, malformed).
    """
    from netral.scale.engine import run_spark_scan as _run

    return _run(input_path, output_dir, master=master, fmt=fmt, packs=packs, **options)


def __getattr__(name: str):
    if name == "SparkScanError":
        from netral.scale.engine import SparkScanError

        return SparkScanError
    raise AttributeError(name)
