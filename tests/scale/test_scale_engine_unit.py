"""Driver-side helpers of the Spark engine that need no SparkSession."""

from __future__ import annotations

import pytest

from netral.scale.engine import SparkScanError, _format_of_name, failure_detail, run_spark_scan


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("posts.jsonl", "jsonl"),
        ("hdfs://nn/data/posts.ndjson.gz", "jsonl"),
        ("s3a://bucket/x/part-0001.json.bz2", "jsonl"),
        ("posts.CSV", "csv"),
        ("posts.tsv", "csv"),
        ("part-0000.snappy.parquet", "parquet"),
        ("folder", None),
        ("README.md", None),
    ],
)
def test_input_format_from_name(name, fmt):
    assert _format_of_name(name) == fmt


def test_failure_detail_names_the_python_error():
    exc = Exception(
        "An exception was thrown from the Python worker:\n"
        "Traceback (most recent call last):\n"
        '  File "worker.py", line 75, in read_command\n'
        "ModuleNotFoundError: No module named 'netral'\n"
        " SQLSTATE: 38000"
    )
    assert failure_detail(exc) == "ModuleNotFoundError: No module named 'netral'"
    assert failure_detail(Exception("[PATH_NOT_FOUND] Path does not exist: x")).startswith("[PATH_NOT_FOUND]")


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"fmt": "xml"}, "bad_format"),
        ({"input_format": "xls"}, "bad_input_format"),
        ({"partitions": 0}, "bad_partitions"),
    ],
)
def test_usage_errors_are_raised_before_spark_starts(kwargs, code, tmp_path):
    with pytest.raises(SparkScanError) as err:
        run_spark_scan(str(tmp_path / "in.jsonl"), str(tmp_path / "out"), **kwargs)
    assert err.value.code == code


def test_output_may_not_be_the_input(tmp_path):
    with pytest.raises(SparkScanError) as err:
        run_spark_scan(str(tmp_path / "data/"), str(tmp_path / "data"))
    assert err.value.code == "output_is_input"
