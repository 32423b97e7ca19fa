"""Fixtures for the Spark engine tests: ONE small SparkSession per test session.

Every Spark test module sets ``pytestmark = pytest.mark.xdist_group("spark")`` so that, with
``pytest -n 2 --dist loadgroup``, all of them run on one xdist worker and share one JVM.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    pytest.importorskip("pyspark", reason="pyspark missing: install the 'spark' extra")
    from netral.scale.engine import SESSION_DEFAULTS, SparkScanError, ensure_java

    try:
        ensure_java()
    except SparkScanError:
        pytest.skip("SPARK TESTS SKIPPED: Java 17+ not found (install OpenJDK 17)")
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.master("local[2]").appName("netral-tests")
    conf = {
        **SESSION_DEFAULTS,
        "spark.ui.enabled": "false",
        "spark.sql.shuffle.partitions": "2",
        "spark.default.parallelism": "2",
        "spark.driver.memory": "1g",
    }
    for key, value in conf.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def detector() -> Any:
    """The real detector (every shipped pack), as the local engine uses it."""
    import netral

    return netral.get_detector(None)
