"""Benchmark: local engine (1 and 2 workers) vs Spark local[1] and local[2], same input, same run.

    .venv/bin/python bench/bench_spark.py            # 1,000,000 generated posts
    .venv/bin/python bench/bench_spark.py -n 50000   # quick look

Reports posts/s for each engine, the 1→2 core scaling, and for Spark the per-row cost of the
Python/JVM boundary, measured by three runs into Spark's ``noop`` sink:
  (a) the (cached) input rows in the JVM only, (b) (a) + a no-op ``mapInArrow`` that moves every
  row to Python and back (Arrow batches, Python dict per row), (c) (a) + the real scan.
  boundary = (b - a) / N; detection = (c - b) / N.
The "full" Spark figure is ``run_spark_scan``: read, scan, write JSONL parts + summaries.
CPU seconds of the JVM and of the Python workers are reported for the scan and the full run.
Needs the ``spark`` extra and Java 17+. Timings are wall-clock on whatever else the machine runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import orjson

from netral.scale.synth import generate_posts


def generate(path: Path, n: int) -> float:
    t = time.perf_counter()
    with path.open("wb") as f:
        buf = []
        for rec in generate_posts(n, seed=2024):
            buf.append(orjson.dumps(rec))
            if len(buf) >= 10_000:
                f.write(b"\n".join(buf) + b"\n")
                buf = []
        if buf:
            f.write(b"\n".join(buf) + b"\n")
    return time.perf_counter() - t


def spark_cpu() -> tuple[float, float]:
    """CPU seconds used so far by the JVM and by Spark's Python workers (our child processes)."""
    import psutil

    jvm = py = 0.0
    for child in psutil.Process().children(recursive=True):
        try:
            t = child.cpu_times()
            name = child.name()
        except psutil.Error:
            continue
        if "java" in name:
            jvm += t.user + t.system
        else:
            py += t.user + t.system
    return jvm, py


def bench_local(src: Path, work: Path, workers: int, use_model: bool) -> dict:
    from netral.scale.local import scan_file  # the engine behind `netral scan --workers N`

    dst = work / f"local-{workers}.jsonl"
    t = time.perf_counter()
    summary = scan_file(src, dst, workers=workers, use_model=use_model)
    seconds = time.perf_counter() - t
    dst.unlink()
    return {"rows": summary.rows + summary.malformed, "seconds": seconds}


def bench_spark(src: Path, work: Path, cores: int, n: int, use_model: bool) -> dict:
    from pyspark.sql import SparkSession

    from netral.scale.engine import SESSION_DEFAULTS, read_input, run_spark_scan, scan_dataframe

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.master(f"local[{cores}]").appName(f"bench-local{cores}")
    conf = {
        **SESSION_DEFAULTS,
        "spark.ui.enabled": "false",
        "spark.driver.memory": "4g",
        "spark.sql.shuffle.partitions": str(4 * cores),
    }
    for k, v in conf.items():
        builder = builder.config(k, v)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    try:

        def timed(df) -> float:
            t = time.perf_counter()
            df.write.format("noop").mode("overwrite").save()
            return time.perf_counter() - t

        df, opts = read_input(spark, str(src))
        read_parse = timed(df)  # read + parse the JSONL file in the JVM
        if df.rdd.getNumPartitions() < cores:  # as run_spark_scan does for small inputs
            df = df.repartition(cores)
        df = df.cache()  # (a), (b), (c) then measure the Python side, not the file reader
        df.count()
        timed(scan_dataframe(df, noop=True))  # warm-up: JIT, Python workers started
        jvm_only = timed(df)
        noop = timed(scan_dataframe(df, noop=True))
        cpu0 = spark_cpu()
        real = timed(scan_dataframe(df, use_model=use_model, **opts))
        cpu1 = spark_cpu()
        out = work / f"spark-{cores}"
        t = time.perf_counter()
        counts = run_spark_scan(str(src), str(out), use_model=use_model, overwrite=True)
        full = time.perf_counter() - t
        cpu2 = spark_cpu()
        shutil.rmtree(out, ignore_errors=True)
        assert counts["input_records"] == n, counts
        df.unpersist()
        return {
            "rows": counts["input_records"],
            "seconds": full,
            "read_parse": read_parse,
            "jvm_only": jvm_only,
            "noop_arrow": noop,
            "scan_noop_sink": real,
            "partitions": df.rdd.getNumPartitions(),
            "scan_cpu_jvm": cpu1[0] - cpu0[0],
            "scan_cpu_python": cpu1[1] - cpu0[1],
            "full_cpu_jvm": cpu2[0] - cpu1[0],
            "full_cpu_python": cpu2[1] - cpu1[1],
        }
    finally:
        spark.stop()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("-n", "--posts", type=int, default=1_000_000, help="generated posts")
    p.add_argument("--workdir", help="where input/output go (default: a temp dir, removed)")
    p.add_argument("--rules-only", action="store_true", help="no statistical model")
    p.add_argument("--skip-local", action="store_true")
    p.add_argument("--skip-spark", action="store_true")
    p.add_argument("--json-out", help="also write the figures as JSON here")
    args = p.parse_args(argv)
    use_model = not args.rules_only
    work = Path(args.workdir or tempfile.mkdtemp(prefix="netral-bench-spark-"))
    work.mkdir(parents=True, exist_ok=True)
    src = work / "posts.jsonl"
    n = args.posts
    print(f"generating {n:,} posts -> {src} ...", flush=True)
    gen = generate(src, n)
    print(f"  {gen:.1f}s, {src.stat().st_size / 1e6:.0f} MB; cores: {os.cpu_count()}", flush=True)

    results: dict[str, dict] = {}
    try:
        if not args.skip_local:
            for w in (1, 2):
                print(f"local engine, {w} worker(s) ...", flush=True)
                results[f"local-{w}"] = bench_local(src, work, w, use_model)
        if not args.skip_spark:
            for c in (1, 2):
                print(f"spark local[{c}] ...", flush=True)
                results[f"spark-{c}"] = bench_spark(src, work, c, n, use_model)
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)

    print()
    print(f"{'engine':<22}{'seconds':>10}{'posts/s':>12}{'1→2 scaling':>14}")
    for name, label in (
        ("local-1", "local, 1 worker"),
        ("local-2", "local, 2 workers"),
        ("spark-1", "spark local[1]"),
        ("spark-2", "spark local[2]"),
    ):
        r = results.get(name)
        if not r:
            continue
        r["posts_per_s"] = r["rows"] / r["seconds"]
        one = results.get(name[:-1] + "1")
        scaling = ""
        if name.endswith("2") and one:
            r["scaling"] = one["seconds"] / r["seconds"]
            scaling = f"{r['scaling']:.2f}×"
        print(f"{label:<22}{r['seconds']:>10.1f}{r['posts_per_s']:>12,.0f}{scaling:>14}")

    spark_rows = [(k, v) for k, v in results.items() if k.startswith("spark")]
    if spark_rows:
        print()
        print("Spark, seconds into the noop sink (no output written); input cached after read:")
        print(
            f"{'master':<10}{'parts':>6}{'read+parse':>11}{'cached':>8}{'+noop py':>10}{'+scan':>10}"
            f"{'boundary µs/row':>17}{'scan µs/row':>13}{'boundary share':>16}"
        )
        for name, r in spark_rows:
            cores = int(name[-1])
            # per row and per core: wall time × cores / rows
            boundary = (r["noop_arrow"] - r["jvm_only"]) * cores / n * 1e6
            detect = (r["scan_noop_sink"] - r["noop_arrow"]) * cores / n * 1e6
            r["boundary_us_per_row_core"] = boundary
            r["detect_us_per_row_core"] = detect
            share = boundary / (boundary + detect) if boundary + detect > 0 else 0.0
            print(
                f"local[{cores}] {r['partitions']:>6}{r['read_parse']:>11.1f}{r['jvm_only']:>8.1f}"
                f"{r['noop_arrow']:>10.1f}"
                f"{r['scan_noop_sink']:>10.1f}{boundary:>17.1f}{detect:>13.1f}{share:>16.0%}"
            )
        print("(µs/row are per core: wall-clock difference × cores ÷ rows)")
        print()
        print("CPU seconds used (all cores), JVM vs Python workers:")
        print(f"{'master':<10}{'scan JVM':>10}{'scan Py':>10}{'full JVM':>10}{'full Py':>10}")
        for name, r in spark_rows:
            print(
                f"local[{name[-1]}] {r['scan_cpu_jvm']:>10.1f}{r['scan_cpu_python']:>10.1f}"
                f"{r['full_cpu_jvm']:>10.1f}{r['full_cpu_python']:>10.1f}"
            )
    if args.json_out:
        Path(args.json_out).write_text(json.dumps({"posts": n, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
