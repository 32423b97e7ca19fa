"""Driver side of the Spark engine: read posts, scan them on the executors, write rows + summaries.

Layout of OUTPUT (a local folder or any Hadoop-compatible URI: hdfs://, s3a://, gs://, abfss://):

    OUTPUT/part-*.json|.parquet   one row per input record, same schema as ``netral scan``
    OUTPUT/_SUCCESS
    OUTPUT/summary/totals/        one row: rows, flagged, verdicts, errors by type
    OUTPUT/summary/by_author/     per author: rows, flagged, kampanye, tinjau, errors, scores
    OUTPUT/summary/by_agency/     same per agency (input column ``agency``, optional)
    OUTPUT/summary/by_target/     per pair/party named in a row: rows, flagged, authors
    OUTPUT/summary/by_day/        per day (``created_at`` as YYYY-MM-DD...)
    OUTPUT/rejected/              malformed input lines (source file + raw text), if any
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import sys
import time
import warnings
from collections.abc import Sequence
from functools import partial
from typing import Any

from netral.scale import worker

# pyspark warns about pandas 3 on every Arrow call; the engine uses Arrow only (no pandas API).
warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)

DEFAULT_MASTER = "local[*]"
FORMATS = ("jsonl", "parquet")
INPUT_FORMATS = ("auto", "jsonl", "csv", "parquet")

# Applied when we build the session, unless the launch configuration (spark-submit --conf,
# spark-defaults.conf) already sets them.
SESSION_DEFAULTS = {
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.session.timeZone": "UTC",
    # Arrow batches between JVM and Python: small enough that 100k-char rows stay bounded.
    "spark.sql.execution.arrow.maxRecordsPerBatch": "4096",
    # Detection costs far more than I/O: smaller splits give every core work sooner.
    "spark.sql.files.maxPartitionBytes": "16m",
}

_COMPRESSION_SUFFIXES = (".gz", ".bz2", ".deflate", ".zst", ".lz4", ".snappy", ".xz")
_EXTENSIONS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
}


class SparkScanError(Exception):
    """A usage or input problem (exit status 2 in the CLI). ``code`` keys the message catalogue."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(f"{code}: {params}")


# --------------------------------------------------------------------------- session


def ensure_java() -> None:
    """Spark needs Java 17+. Set JAVA_HOME only when it is unset and ``java`` is not on PATH."""
    if os.environ.get("JAVA_HOME") or shutil.which("java"):
        return
    for home in sorted(glob.glob("/usr/lib/jvm/*"), reverse=True):
        if os.path.exists(os.path.join(home, "bin", "java")):
            os.environ["JAVA_HOME"] = home
            return
    raise SparkScanError("no_java")


def _launch_conf():
    """The configuration spark-submit launched us with (--master, --conf, spark-defaults.conf),
    or None when this Python process starts Spark itself."""
    if not os.environ.get("PYSPARK_GATEWAY_PORT"):  # set by spark-submit for Python apps
        return None
    from pyspark import SparkConf, SparkContext

    SparkContext._ensure_initialized()  # connects to the JVM spark-submit already started
    return SparkConf()  # loads the spark.* properties of that JVM


_LOG4J_QUIET = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
"""


def _quiet_log4j() -> str:
    """A log4j2 configuration that shows only errors (local runs: no start-up chatter)."""
    import tempfile

    path = os.path.join(tempfile.gettempdir(), "netral-spark-log4j2.properties")
    if not os.path.exists(path):
        with open(path, "w", encoding="utf-8") as f:
            f.write(_LOG4J_QUIET)
    return path


def get_session(master: str = DEFAULT_MASTER, conf: dict[str, str] | None = None):
    """(session, created): the active SparkSession if there is one, else a new one.

    Under spark-submit, its --master and --conf win over our defaults; ``master`` is used
    only when it differs from the default."""
    ensure_java()
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active, False
    launch = _launch_conf()

    def launched_with(key: str) -> bool:
        return launch is not None and launch.contains(key)

    if launched_with("spark.master") and master == DEFAULT_MASTER:
        master = launch.get("spark.master")
    if master.startswith("local") and not os.environ.get("PYSPARK_PYTHON"):
        # Local workers must run this interpreter (the one with netral installed).
        os.environ["PYSPARK_PYTHON"] = sys.executable
    builder = SparkSession.builder.master(master)
    if not launched_with("spark.app.name"):
        builder = builder.appName("netral-scan")
    for key, value in SESSION_DEFAULTS.items():
        if not launched_with(key):
            builder = builder.config(key, value)
    if launch is None and master.startswith("local") and "spark.driver.extraJavaOptions" not in (conf or {}):
        builder = builder.config(
            "spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={_quiet_log4j()}"
        )
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    if master.startswith("local"):
        session.sparkContext.setLogLevel("ERROR")
    return session, True


# --------------------------------------------------------------------------- input


def _is_local(path: str) -> bool:
    return "://" not in path or path.startswith("file:")


def _strip_file(path: str) -> str:
    return re.sub(r"^file:(//)?", "", path)


def _format_of_name(name: str) -> str | None:
    name = _base_name(name)
    for ext, fmt in _EXTENSIONS.items():
        if name.endswith(ext):
            return fmt
    return None


def _hadoop_fs(spark, path: str):
    jvm = spark.sparkContext._jvm
    jpath = jvm.org.apache.hadoop.fs.Path(path)
    return jpath.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()), jpath


def path_exists(spark, path: str) -> bool:
    fs, jpath = _hadoop_fs(spark, path)
    statuses = fs.globStatus(jpath)
    return statuses is not None and len(statuses) > 0


def detect_input_format(spark, input_path: str) -> str:
    """Input format from the file name, or from the files inside a folder / glob."""
    fmt = _format_of_name(input_path.rstrip("/"))
    if fmt:
        return fmt
    fs, jpath = _hadoop_fs(spark, input_path)
    statuses = fs.globStatus(jpath) or []
    if not statuses:
        raise SparkScanError("input_not_found", path=input_path)
    seen: set[str] = set()
    for status in statuses:
        if status.isDirectory():
            files = fs.listFiles(status.getPath(), True)
            checked = 0
            while files.hasNext() and checked < 200:
                name = files.next().getPath().getName()
                checked += 1
                if not name.startswith(("_", ".")) and (f := _format_of_name(name)):
                    seen.add(f)
        elif f := _format_of_name(status.getPath().getName()):
            seen.add(f)
    if len(seen) == 1:
        return seen.pop()
    raise SparkScanError("unknown_input_format", path=input_path)


def _csv_reader(spark, delimiter: str):
    return (
        spark.read.option("header", True)
        .option("sep", delimiter)
        .option("multiLine", True)  # quoted newlines inside posts
        .option("escape", '"')  # RFC 4180 "" inside quotes, like Python's csv module
        .option("mode", "PERMISSIVE")
        .option("columnNameOfCorruptRecord", worker.CORRUPT_COLUMN)
    )


def read_input(spark, input_path: str, input_format: str = "auto"):
    """(DataFrame, worker options): string columns ``worker.INPUT_FIELDS`` + the corrupt-record
    column + the source file, ready for :func:`scan_dataframe`."""
    from pyspark.errors import AnalysisException
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    if not path_exists(spark, input_path):
        raise SparkScanError("input_not_found", path=input_path)
    fmt = detect_input_format(spark, input_path) if input_format == "auto" else input_format
    source = F.col("_metadata.file_path").alias(worker.SOURCE_COLUMN)
    corrupt = worker.CORRUPT_COLUMN
    options: dict[str, Any] = {}
    try:
        if fmt == "jsonl":
            # Explicit schema: no inference pass over the data; numbers/objects in a string
            # field arrive as their JSON text; a malformed line fills only _corrupt_record.
            schema = T.StructType(
                [T.StructField(name, T.StringType()) for name in worker.INPUT_FIELDS]
                + [T.StructField(corrupt, T.StringType())]
            )
            df = (
                spark.read.schema(schema)
                .option("mode", "PERMISSIVE")
                .option("columnNameOfCorruptRecord", corrupt)
                .json(input_path)
            )
            return df.select(*worker.INPUT_FIELDS, corrupt, source), options
        if fmt == "csv":
            delimiter = "\t" if _base_name(input_path).endswith(".tsv") else ","
            header = [c.lstrip("\ufeff") for c in _csv_reader(spark, delimiter).csv(input_path).columns]
            if "text" not in header:  # same rule as the local engine
                raise SparkScanError("no_text_column", path=input_path, found=", ".join(header))
            schema = T.StructType(
                [T.StructField(f"_c{k}", T.StringType()) for k in range(len(header))]
                + [T.StructField(corrupt, T.StringType())]
            )
            df = _csv_reader(spark, delimiter).schema(schema).csv(input_path)
            # Rows with too few/many cells are re-read in the worker like csv.DictReader does.
            options = {"csv_header": header, "csv_delimiter": delimiter}
            by_name = {name: f"_c{k}" for k, name in reversed(list(enumerate(header)))}
            selected = [
                # Spark reads an empty CSV cell as null; Python's csv module as "".
                F.coalesce(F.col(by_name[name]), F.lit("")).alias(name)
                if name in by_name
                else F.lit(None).cast("string").alias(name)
                for name in worker.INPUT_FIELDS
            ]
            return df.select(*selected, corrupt, source), options
        if fmt != "parquet":
            raise SparkScanError("unknown_input_format", path=input_path)
        df = spark.read.parquet(input_path)
    except AnalysisException as exc:
        raise SparkScanError("unreadable_input", path=input_path, detail=str(exc)[:300]) from exc
    types = dict(df.dtypes)
    if "text" not in types:
        raise SparkScanError("no_text_column", path=input_path, found=", ".join(df.columns))
    selected = []
    for name in worker.INPUT_FIELDS:
        if name not in types:
            selected.append(F.lit(None).cast("string").alias(name))
        elif types[name].startswith("timestamp"):
            selected.append(F.date_format(name, "yyyy-MM-dd'T'HH:mm:ss").alias(name))
        else:
            selected.append(F.col(name).cast("string").alias(name))
    selected.append(F.lit(None).cast("string").alias(corrupt))
    return df.select(*selected, source), options


def _base_name(path: str) -> str:
    name = path.rstrip("/").lower()
    for suffix in _COMPRESSION_SUFFIXES:
        name = name.removesuffix(suffix)
    return name


# --------------------------------------------------------------------------- scan


def output_spark_schema():
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(worker.OUTPUT_SCHEMA)


def scan_dataframe(
    df,
    packs: Sequence[str] | str | None = None,
    *,
    noop: bool = False,
    use_model: bool = True,
    detector_factory=None,
    boilerplate: Sequence[str] = (),
    **worker_options: Any,
):
    """Apply ``netral.scale.rows.process_records`` to every Arrow batch on the executors
    (``mapInArrow``). ``worker_options`` come from :func:`read_input`;
    ``detector_factory(packs)`` replaces ``netral.get_detector`` (fault-injection tests only)."""
    if noop:
        mapper = partial(worker.noop_batches)
    else:
        mapper = partial(
            worker.scan_batches,
            packs=worker.packs_key(packs),
            factory=detector_factory,
            use_model=use_model,
            boilerplate=tuple(boilerplate),
            **worker_options,
        )
    return df.mapInArrow(mapper, output_spark_schema())


def _error_type_col():
    from pyspark.sql import functions as F

    return F.split(F.col("error"), ":").getItem(0)


def collect_counts(scanned) -> dict[str, Any]:
    """Totals over the scanned DataFrame: rows, flagged, verdicts, errors by type."""
    from pyspark.sql import functions as F

    groups = scanned.groupBy(F.col("verdict"), _error_type_col().alias("etype")).count().collect()
    verdicts: dict[str, int] = {}
    errors: dict[str, int] = {}
    rows = malformed = 0
    for g in groups:
        n = int(g["count"])
        if g["etype"] == "malformed":
            malformed += n
            errors["malformed"] = errors.get("malformed", 0) + n
            continue
        rows += n
        if g["verdict"] is not None:
            verdicts[g["verdict"]] = verdicts.get(g["verdict"], 0) + n
        if g["etype"] is not None:
            errors[g["etype"]] = errors.get(g["etype"], 0) + n
    flagged = verdicts.get("kampanye", 0) + verdicts.get("tinjau", 0)
    return {
        "rows": rows,
        "input_records": rows + malformed,
        "flagged": flagged,
        "verdicts": dict(sorted(verdicts.items())),
        "errors": dict(sorted(errors.items())),
    }


def summaries(rows) -> dict[str, Any]:
    """Summary DataFrames per author / agency / target / day (``rows`` = scanned, valid rows)."""
    from pyspark.sql import functions as F

    def n_where(cond):
        return F.sum(F.when(cond, 1).otherwise(0)).cast("long")

    verdict = F.col("verdict")

    def metrics():
        return [
            F.count(F.lit(1)).alias("rows"),
            n_where(verdict.isin("kampanye", "tinjau")).alias("flagged"),
            n_where(verdict == "kampanye").alias("kampanye"),
            n_where(verdict == "tinjau").alias("tinjau"),
            n_where(verdict.isNull()).alias("errors"),
            F.round(F.avg("score"), 6).alias("mean_score"),
            F.max("score").alias("max_score"),
        ]

    day = F.regexp_extract(F.col("created_at"), r"^(\d{4}-\d{2}-\d{2})", 1)
    with_day = rows.withColumn("day", F.when(day != "", day))
    targets = rows.select(F.explode("targets").alias("target"), "verdict", "score", "author")

    def one_sorted_file(frame, *order):
        # one small file per summary, sorted inside its single partition (no sampling job)
        return frame.coalesce(1).sortWithinPartitions(*order)

    return {
        "by_author": one_sorted_file(rows.groupBy("author").agg(*metrics()), F.desc("flagged"), "author"),
        "by_agency": one_sorted_file(rows.groupBy("agency").agg(*metrics()), F.desc("flagged"), "agency"),
        "by_target": one_sorted_file(
            targets.groupBy("target").agg(*metrics(), F.countDistinct("author").alias("authors")),
            F.desc("flagged"),
            "target",
        ),
        "by_day": one_sorted_file(with_day.groupBy("day").agg(*metrics()), "day"),
    }


def failure_detail(exc: BaseException) -> str:
    """The most telling line of a Spark failure: the Python worker's own exception if any."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    python_errors = [line for line in lines if re.match(r"^[A-Za-z_][\w.]*(Error|Exception|Exit)\b:?", line)]
    return (python_errors[-1] if python_errors else (lines[0] if lines else repr(exc)))[:500]


def _write(df, path: str, fmt: str, mode: str) -> None:
    writer = df.write.mode(mode)
    if fmt == "parquet":
        writer.parquet(path)
    else:  # JSON Lines, nulls kept so every row has every field (like the local scan)
        writer.option("ignoreNullFields", False).json(path)


def run_spark_scan(
    input_path: str,
    output_dir: str,
    *,
    master: str = DEFAULT_MASTER,
    fmt: str = "jsonl",
    packs: Sequence[str] | str | None = None,
    input_format: str = "auto",
    overwrite: bool = False,
    partitions: int | None = None,
    conf: dict[str, str] | None = None,
    use_model: bool = True,
    detector_factory=None,
    boilerplate: Sequence[str] = (),
) -> dict[str, Any]:
    """Scan ``input_path`` (JSONL/CSV/Parquet file, folder or glob; local or Hadoop URI) with
    Spark and write rows + ``summary/`` into ``output_dir``. Returns the counts.

    Reuses the active SparkSession if there is one (then ``master``/``conf`` are ignored and the
    session is left running); otherwise builds one and stops it at the end.
    Raises :class:`SparkScanError` for usage/input problems; bad rows never raise.
    """
    if fmt not in FORMATS:
        raise SparkScanError("bad_format", fmt=fmt)
    if input_format not in INPUT_FORMATS:
        raise SparkScanError("bad_input_format", fmt=input_format)
    if partitions is not None and partitions < 1:
        raise SparkScanError("bad_partitions", n=partitions)
    if input_path.rstrip("/") == output_dir.rstrip("/"):
        raise SparkScanError("output_is_input", path=output_dir)
    # Local paths: fail fast, before a JVM starts.
    if _is_local(output_dir) and not overwrite and os.path.exists(_strip_file(output_dir)):
        raise SparkScanError("output_exists", path=output_dir)
    local_input = _is_local(input_path) and "{" not in input_path  # Hadoop {a,b} globs: JVM
    if local_input and not glob.glob(_strip_file(input_path)):
        raise SparkScanError("input_not_found", path=input_path)
    from pyspark import StorageLevel
    from pyspark.errors import PySparkException
    from pyspark.sql import functions as F

    started = time.perf_counter()
    spark, created = get_session(master, conf)
    try:
        if not overwrite and path_exists(spark, output_dir):
            raise SparkScanError("output_exists", path=output_dir)
        df, worker_options = read_input(spark, input_path, input_format)
        if not partitions and df.rdd.getNumPartitions() < spark.sparkContext.defaultParallelism:
            # small input or a non-splittable file (multi-line CSV, gzip): detection costs far
            # more than a shuffle, so give every core a share
            partitions = spark.sparkContext.defaultParallelism
        if partitions:
            df = df.repartition(partitions)
        scanned = scan_dataframe(
            df, packs, use_model=use_model, detector_factory=detector_factory,
            boilerplate=boilerplate, **worker_options
        )
        scanned = scanned.persist(StorageLevel.MEMORY_AND_DISK)
        try:
            valid = scanned.filter(F.col("_raw").isNull())
            _write(valid.select(*worker.ROW_FIELDS), output_dir, fmt, "overwrite")
            counts = collect_counts(scanned)
            if counts["errors"].get("malformed"):
                rejected = scanned.filter(F.col("_raw").isNotNull()).select(
                    F.col("_source").alias("source"), F.col("_raw").alias("raw")
                )
                _write(rejected.coalesce(1), f"{output_dir}/rejected", "jsonl", "overwrite")
            for name, frame in summaries(valid).items():
                _write(frame, f"{output_dir}/summary/{name}", fmt, "overwrite")
            seconds = time.perf_counter() - started
            counts.update(
                output=output_dir,
                format=fmt,
                master=spark.sparkContext.master,
                seconds=round(seconds, 3),
            )
            totals = spark.createDataFrame(
                [
                    {
                        **{k: counts[k] for k in ("rows", "input_records", "flagged")},
                        "verdicts": counts["verdicts"],
                        "errors": counts["errors"],
                        "seconds": counts["seconds"],
                    }
                ],
                "rows long, input_records long, flagged long, verdicts map<string,long>, "
                "errors map<string,long>, seconds double",
            )
            _write(totals.coalesce(1), f"{output_dir}/summary/totals", fmt, "overwrite")
        finally:
            scanned.unpersist()
        return counts
    except PySparkException as exc:
        detail = failure_detail(exc)
        if "No module named" in detail:  # the executors' Python lacks netral or a dependency
            raise SparkScanError("executor_import", detail=detail) from exc
        raise SparkScanError("job_failed", detail=detail) from exc
    finally:
        if created:
            spark.stop()
