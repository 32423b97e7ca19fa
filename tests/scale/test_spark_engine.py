"""Spark engine vs local engine: identical rows on the same mixed input, bad data counted.

Small inputs, one shared local[2] SparkSession (see conftest.py); this module runs on a single
xdist worker.
"""

from __future__ import annotations

import json
import os
from collections import Counter

import pytest
from scale_cases import MALFORMED_LINES, mixed_records
from scale_helpers import (
    assert_same_rows,
    read_local_csv,
    read_local_jsonl,
    read_spark_rows,
    read_summary,
    write_jsonl,
)

from netral.scale import run_spark_scan
from netral.scale.rows import process_record

pytestmark = [
    pytest.mark.xdist_group("spark"),
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
]


def _error_type(row):
    return None if row["error"] is None else row["error"].split(":", 1)[0]


def test_spark_equals_local_engine_on_mixed_jsonl(spark, detector, tmp_path):
    records = mixed_records(240)
    src = write_jsonl(tmp_path / "posts.jsonl", records, ["", *MALFORMED_LINES])
    out = tmp_path / "out"

    counts = run_spark_scan(str(src), str(out), master="local[2]")

    local_records, local_malformed = read_local_jsonl(src)
    local_rows = [process_record(r, detector) for r in local_records]
    spark_rows = read_spark_rows(out)
    assert_same_rows(spark_rows, local_rows)

    # the mix really exercises the detector and every bad-data path
    verdicts = Counter(r["verdict"] for r in local_rows)
    assert verdicts["kampanye"] > 0 and verdicts["netral"] > 0
    errors = Counter(_error_type(r) for r in local_rows if r["error"])
    assert {"missing_text", "empty_text", "truncated"} <= set(errors)

    # counts returned = counts of the local engine
    assert counts["rows"] == len(local_rows)
    assert counts["input_records"] == len(local_rows) + local_malformed
    assert counts["flagged"] == sum(r["verdict"] in ("kampanye", "tinjau") for r in local_rows)
    assert counts["errors"] == dict(sorted({**errors, "malformed": local_malformed}.items()))
    assert counts["verdicts"] == {k: verdicts[k] for k in sorted(k for k in verdicts if k)}

    # malformed lines are kept for inspection, with their source file
    rejected = [
        json.loads(line)
        for f in sorted((out / "rejected").glob("part-*.json"))
        for line in f.read_text(encoding="utf-8").splitlines()
    ]
    assert sorted(r["raw"] for r in rejected) == sorted(MALFORMED_LINES)
    assert all(r["source"].endswith("posts.jsonl") for r in rejected)

    # summaries agree with the rows (agency comes from the input, author/day/target from rows)
    by_author = {r["author"]: r for r in read_summary(out, "by_author")}
    for author, n in Counter(r["author"] for r in local_rows).items():
        assert by_author[author]["rows"] == n
    flagged_by_agency = Counter(
        rec.get("agency")
        for rec, row in zip(local_records, local_rows, strict=True)
        if row["verdict"] in ("kampanye", "tinjau")
    )
    by_agency = {r["agency"]: r["flagged"] for r in read_summary(out, "by_agency")}
    assert {k: v for k, v in by_agency.items() if v} == dict(flagged_by_agency)
    by_target = {r["target"]: r["rows"] for r in read_summary(out, "by_target")}
    assert by_target == dict(Counter(t for r in local_rows for t in r["targets"]))
    by_day = {r["day"]: r["rows"] for r in read_summary(out, "by_day")}
    assert sum(by_day.values()) == len(local_rows)
    (totals,) = read_summary(out, "totals")
    assert totals["rows"] == counts["rows"] and totals["errors"] == counts["errors"]


def test_csv_input_parquet_output_equals_local(spark, detector, tmp_path):
    import csv

    import pyarrow.parquet as pq

    src = tmp_path / "posts.csv"
    records = mixed_records(50)
    fields = ["id", "text", "kind", "created_at", "author", "agency"]
    with src.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fields, extrasaction="ignore")
        w.writeheader()
        for rec in records:
            w.writerow({k: ("" if rec.get(k) is None else rec.get(k)) for k in fields})
        # csv writes CRLF line ends (like Excel); Spark must follow them
        f.write('c1,"Ayo ""coblos"" nomor 2\nbaris kedua",post\r\n')  # too few cells: a row
        f.write("c2,Pilih 03,post,2024-01-01,budi,Kemenkeu,EXTRA,CELLS\r\n")  # too many: bad
    out = tmp_path / "out"

    counts = run_spark_scan(str(src), str(out), fmt="parquet")

    local_records, local_malformed = read_local_csv(src)
    local_rows = [process_record(r, detector) for r in local_records]
    spark_rows = read_spark_rows(out, "parquet")
    assert_same_rows(spark_rows, local_rows)
    assert local_malformed == 1
    assert counts["rows"] == len(records) + 1 and counts["errors"]["malformed"] == 1
    # nested structure is kept in Parquet (list<struct>), not flattened to strings
    schema = pq.read_schema(next(out.glob("part-*.parquet")))
    assert str(schema.field("reasons").type).startswith("list<element: struct<category")
    assert list(pq.read_table(next((out / "summary" / "by_target").glob("*.parquet"))).schema.names)[:2] == [
        "target",
        "rows",
    ]


def test_detector_built_once_per_executor_process(spark):
    import pyarrow as pa

    from netral.scale import worker
    from netral.scale.synth import generate_posts

    rows = [{k: (None if v is None else str(v)) for k, v in r.items()} for r in generate_posts(400)]
    df = spark.createDataFrame(
        spark.sparkContext.parallelize(rows, 8),
        "id string, text string, kind string, created_at string, author string, agency string",
    )

    def probe(batches):  # scan the partition, then report which detector object was used
        n = sum(b.num_rows for b in worker.scan_batches(batches, packs=None))
        det = worker._DETECTORS[(None, None)]
        yield pa.RecordBatch.from_pylist(
            [{"pid": os.getpid(), "detector": id(det), "rows": n}],
            schema=pa.schema([("pid", pa.int64()), ("detector", pa.int64()), ("rows", pa.int64())]),
        )

    from pyspark.sql.functions import lit

    df = df.withColumn("_corrupt_record", lit(None).cast("string")).withColumn(
        "_source", lit(None).cast("string")
    )
    got = df.mapInArrow(probe, "pid long, detector long, rows long").collect()
    assert len(got) == 8 and sum(r["rows"] for r in got) == 400
    detectors_per_pid: dict[int, set[int]] = {}
    for r in got:
        detectors_per_pid.setdefault(r["pid"], set()).add(r["detector"])
    assert 1 <= len(detectors_per_pid) <= 2  # local[2]: at most two Python workers
    assert all(len(ids) == 1 for ids in detectors_per_pid.values())


def test_cli_and_spark_submit_entry_point(spark, tmp_path):
    import typer
    from typer.testing import CliRunner

    from netral.cli.spark import register
    from netral.scale import spark_job

    app = typer.Typer()
    register(app)
    app.command("noop", hidden=True)(lambda: None)  # keep spark-scan a named sub-command
    runner = CliRunner()
    src = write_jsonl(tmp_path / "in.jsonl", mixed_records(20)[:25], ["{broken"])
    out = tmp_path / "out"

    res = runner.invoke(app, ["spark-scan", str(src), "-o", str(out), "--json"])
    assert res.exit_code == 0, res.output
    counts = json.loads(res.output)
    assert counts["rows"] == 25 and counts["errors"]["malformed"] == 1

    res = runner.invoke(app, ["spark-scan", str(src), "-o", str(out), "--lang", "en"])
    assert res.exit_code == 2
    assert "already exists" in res.output and "--overwrite" in res.output
    res = runner.invoke(app, ["spark-scan", str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "o2")])
    assert res.exit_code == 2 and "tidak ditemukan" in res.output
    res = runner.invoke(app, ["spark-scan", str(src), "-o", str(tmp_path / "o3"), "--format", "xml"])
    assert res.exit_code == 2 and "xml" in res.output

    # spark-submit entry point: same engine, same checks (exit 2 before any Spark job)
    assert spark_job.main([str(src), str(out), "--format", "parquet"]) == 2
    with pytest.raises(SystemExit) as exc:
        spark_job.main([str(src), str(tmp_path / "o4"), "--format", "xml"])
    assert exc.value.code == 2
