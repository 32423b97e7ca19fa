"""`netral spark-scan`: the Spark engine from the command line (also behind
`netral scan --engine spark`, which calls :func:`spark_scan`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from netral.cli._common import BOILERPLATE_HELP, check_lang, read_boilerplate

MESSAGES: dict[str, dict[str, str]] = {
    "id": {
        "help": "Pindai banyak unggahan dengan Apache Spark (hasil sama dengan `netral scan`).",
        "input_help": "Berkas/folder JSONL, CSV atau Parquet (lokal atau URI Hadoop: hdfs://, s3a://).",
        "output_help": "Folder keluaran (berkas part-*, ringkasan di summary/).",
        "master_help": "URL master Spark, mis. local[*], spark://host:7077, yarn, k8s://…",
        "format_help": "Format keluaran: jsonl atau parquet.",
        "input_format_help": "Format masukan: auto (dari nama berkas), jsonl, csv, parquet.",
        "pack_help": "Paket pengetahuan (boleh diulang); bawaan: semua paket.",
        "overwrite_help": "Timpa folder keluaran yang sudah ada.",
        "partitions_help": "Bagi ulang masukan menjadi N partisi sebelum dipindai.",
        "json_help": "Cetak hitungan sebagai JSON.",
        "lang_help": "Bahasa pesan: id atau en.",
        "title": "Hasil pindai Spark",
        "rows": "baris",
        "flagged": "ditandai (kampanye/tinjau)",
        "input_records": "rekaman masukan",
        "seconds": "detik",
        "rate": "unggahan/detik",
        "output": "keluaran",
        "verdict": "putusan",
        "error": "galat",
        "no_errors": "tidak ada baris bermasalah",
        "bad_format": "Format keluaran tidak dikenal: {fmt} (pakai jsonl atau parquet).",
        "bad_input_format": "Format masukan tidak dikenal: {fmt}.",
        "bad_partitions": "Jumlah partisi harus ≥ 1 (diberikan {n}).",
        "output_is_input": "Folder keluaran sama dengan masukan: {path}.",
        "output_exists": "Keluaran sudah ada: {path} (pakai --overwrite untuk menimpa).",
        "input_not_found": "Masukan tidak ditemukan: {path}.",
        "unknown_input_format": "Format masukan {path} tidak dapat ditebak; pakai --input-format.",
        "unreadable_input": "Masukan {path} tidak dapat dibaca: {detail}",
        "no_java": "Java 17+ tidak ditemukan (pasang OpenJDK 17 atau setel JAVA_HOME).",
        "no_pyspark": "PySpark belum terpasang: pip install 'netral[spark]'.",
        "job_failed": "Pekerjaan Spark gagal: {detail}",
        "executor_import": "Executor Spark tidak dapat mengimpor netral atau dependensinya "
        "({detail}). Kirim lingkungan Python ke cluster: lihat docs/scale.md.",
        "no_text_column": "{path}: tidak ada kolom 'text' (ditemukan: {found}).",
        "no_model_help": "Hanya lapisan aturan (tanpa model statistik), lebih cepat.",
    },
    "en": {
        "help": "Scan many posts with Apache Spark (same rows as `netral scan`).",
        "input_help": "JSONL, CSV or Parquet file/folder (local or Hadoop URI: hdfs://, s3a://).",
        "output_help": "Output folder (part-* files, summaries in summary/).",
        "master_help": "Spark master URL, e.g. local[*], spark://host:7077, yarn, k8s://…",
        "format_help": "Output format: jsonl or parquet.",
        "input_format_help": "Input format: auto (from the file name), jsonl, csv, parquet.",
        "pack_help": "Knowledge pack (repeatable); default: every pack.",
        "overwrite_help": "Replace an existing output folder.",
        "partitions_help": "Repartition the input into N partitions before scanning.",
        "json_help": "Print the counts as JSON.",
        "lang_help": "Message language: id or en.",
        "title": "Spark scan result",
        "rows": "rows",
        "flagged": "flagged (kampanye/tinjau)",
        "input_records": "input records",
        "seconds": "seconds",
        "rate": "posts/s",
        "output": "output",
        "verdict": "verdict",
        "error": "error",
        "no_errors": "no problem rows",
        "bad_format": "Unknown output format: {fmt} (use jsonl or parquet).",
        "bad_input_format": "Unknown input format: {fmt}.",
        "bad_partitions": "Partitions must be ≥ 1 (got {n}).",
        "output_is_input": "Output folder is the input: {path}.",
        "output_exists": "Output already exists: {path} (use --overwrite to replace it).",
        "input_not_found": "Input not found: {path}.",
        "unknown_input_format": "Cannot tell the input format of {path}; use --input-format.",
        "unreadable_input": "Cannot read input {path}: {detail}",
        "no_java": "Java 17+ not found (install OpenJDK 17 or set JAVA_HOME).",
        "no_pyspark": "PySpark is not installed: pip install 'netral[spark]'.",
        "job_failed": "Spark job failed: {detail}",
        "executor_import": "Spark executors cannot import netral or a dependency ({detail}). "
        "Ship the Python environment to the cluster: see docs/scale.md.",
        "no_text_column": "{path}: no 'text' column (found: {found}).",
        "no_model_help": "Rule layer only (no statistical model), faster.",
    },
}


def _msg(lang: str, key: str, **params: Any) -> str:
    table = MESSAGES.get(lang, MESSAGES["id"])
    return table[key].format(**params)


def render_counts(counts: dict[str, Any], lang: str = "id", console: Console | None = None):
    console = console or Console(markup=False, highlight=False)
    m = MESSAGES.get(lang, MESSAGES["id"])
    table = Table(title=m["title"], show_header=False)
    table.add_column(style="bold")
    table.add_column(justify="right")
    seconds = counts.get("seconds") or 0.0
    table.add_row(m["input_records"], f"{counts['input_records']:,}")
    table.add_row(m["rows"], f"{counts['rows']:,}")
    table.add_row(m["flagged"], f"{counts['flagged']:,}")
    for verdict, n in counts["verdicts"].items():
        table.add_row(f"{m['verdict']}: {verdict}", f"{n:,}")
    for etype, n in counts["errors"].items():
        table.add_row(f"{m['error']}: {etype}", f"{n:,}")
    if not counts["errors"]:
        table.add_row(m["error"], m["no_errors"])
    table.add_row(m["seconds"], f"{seconds:.1f}")
    if seconds > 0:
        table.add_row(m["rate"], f"{counts['input_records'] / seconds:,.0f}")
    table.add_row(m["output"], str(counts.get("output", "")))
    console.print(table)


def spark_scan(
    input_path: str,
    output: str,
    *,
    master: str = "local[*]",
    fmt: str = "jsonl",
    packs: list[str] | None = None,
    input_format: str = "auto",
    overwrite: bool = False,
    partitions: int | None = None,
    use_model: bool = True,
    boilerplate: tuple[str, ...] = (),
    lang: str = "id",
    as_json: bool = False,
    console: Console | None = None,
) -> int:
    """Run the Spark scan and render the result. Returns the exit status (0 ok, 2 usage/input
    error). This is what ``netral scan --engine spark`` calls."""
    console = console or Console(markup=False, highlight=False)
    # no markup: the messages hold text like pip install 'netral[spark]'
    err = Console(stderr=True, markup=False, highlight=False, soft_wrap=True)
    try:
        from netral.scale import run_spark_scan
        from netral.scale.engine import SparkScanError
    except ImportError:
        err.print(_msg(lang, "no_pyspark"), style="red")
        return 2
    try:
        counts = run_spark_scan(
            input_path,
            output,
            master=master,
            fmt=fmt,
            packs=packs or None,
            input_format=input_format,
            overwrite=overwrite,
            partitions=partitions,
            use_model=use_model,
            boilerplate=boilerplate,
        )
    except ImportError:
        err.print(_msg(lang, "no_pyspark"), style="red")
        return 2
    except SparkScanError as exc:
        err.print(_msg(lang, exc.code, **exc.params), style="red")
        return 2
    if as_json:
        import orjson

        typer.echo(orjson.dumps(counts).decode())
    else:
        render_counts(counts, lang, console)
    return 0


def register(app: typer.Typer) -> None:
    m = MESSAGES["id"]

    @app.command("spark-scan", help=f"{m['help']} / {MESSAGES['en']['help']}")
    def spark_scan_cmd(
        input_path: str = typer.Argument(..., metavar="INPUT", help=m["input_help"]),
        output: str = typer.Option(..., "--output", "-o", help=m["output_help"]),
        master: str = typer.Option("local[*]", "--master", help=m["master_help"]),
        fmt: str = typer.Option("jsonl", "--format", help=m["format_help"]),
        input_format: str = typer.Option("auto", "--input-format", help=m["input_format_help"]),
        pack: list[str] | None = typer.Option(None, "--pack", help=m["pack_help"]),
        overwrite: bool = typer.Option(False, "--overwrite", help=m["overwrite_help"]),
        partitions: int | None = typer.Option(None, "--partitions", help=m["partitions_help"]),
        rules_only: bool = typer.Option(False, "--rules-only", help=m["no_model_help"]),
        as_json: bool = typer.Option(False, "--json", help=m["json_help"]),
        lang: str | None = typer.Option(None, "--lang", callback=check_lang,
                                        help=m["lang_help"]),
        boilerplate: Path = typer.Option(None, "--boilerplate", help=BOILERPLATE_HELP),
    ) -> None:
        if lang is None:
            from netral.config import get_settings

            lang = get_settings().lang
        code = spark_scan(
            input_path,
            output,
            master=master,
            fmt=fmt,
            packs=pack,
            input_format=input_format,
            overwrite=overwrite,
            partitions=partitions,
            use_model=not rules_only,
            boilerplate=read_boilerplate(boilerplate),
            lang=lang,
            as_json=as_json,
        )
        raise typer.Exit(code)
