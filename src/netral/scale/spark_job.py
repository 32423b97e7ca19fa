"""spark-submit entry point for the netral Spark scan.

    spark-submit --master spark://host:7077 --py-files netral-0.1.0-py3-none-any.whl \\
        src/netral/scale/spark_job.py INPUT OUTPUT [--format parquet] [--pack pemilu-2024]

or, where netral is installed on the driver: ``python -m netral.scale.spark_job INPUT OUTPUT``.
The master comes from spark-submit (``--master``) or ``--master`` here (default ``local[*]``).
Prints the counts as one JSON object; exit status 2 for a usage/input error.
"""

from __future__ import annotations

import argparse
import json
import sys

from netral.scale.engine import (
    DEFAULT_MASTER,
    FORMATS,
    INPUT_FORMATS,
    SparkScanError,
    run_spark_scan,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="netral-spark-scan", description=__doc__.split("\n")[0])
    parser.add_argument("input", help="JSONL/CSV/Parquet file, folder or glob (any Hadoop URI)")
    parser.add_argument("output", help="output folder (part files + summary/)")
    parser.add_argument("--master", default=DEFAULT_MASTER, help="Spark master URL")
    parser.add_argument("--format", dest="fmt", choices=FORMATS, default="jsonl")
    parser.add_argument("--input-format", choices=INPUT_FORMATS, default="auto")
    parser.add_argument("--pack", action="append", help="knowledge pack (repeatable)")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing output")
    parser.add_argument("--partitions", type=int, help="repartition the input into N parts")
    parser.add_argument("--rules-only", action="store_true", help="no statistical model")
    args = parser.parse_args(argv)
    try:
        counts = run_spark_scan(
            args.input,
            args.output,
            master=args.master,
            fmt=args.fmt,
            packs=args.pack,
            input_format=args.input_format,
            overwrite=args.overwrite,
            partitions=args.partitions,
            use_model=not args.rules_only,
        )
    except SparkScanError as exc:
        print(f"netral spark scan: {exc.code}: {exc.params}", file=sys.stderr)
        return 2
    print(json.dumps(counts, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
