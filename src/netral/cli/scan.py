"""`netral scan`: many posts from JSONL/CSV -> one result row each."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from netral.cli._common import BOILERPLATE_HELP, console, err_console, fail, read_boilerplate, styled

if TYPE_CHECKING:
    from netral.scale.local import ScanSummary


def _summary_table(summary: ScanSummary, seconds: float) -> Table:
    t = Table(title="Ringkasan pemindaian / scan summary")
    t.add_column("")
    t.add_column("jumlah", justify="right")
    t.add_row("baris diperiksa / rows", f"{summary.rows:,}")
    for v in ("kampanye", "tinjau", "netral"):
        t.add_row(v, f"{summary.verdicts.get(v, 0):,}")
    for err, n in sorted(summary.errors.items()):
        t.add_row(f"error: {err}", f"{n:,}")
    t.add_row("baris rusak dilewati / malformed", f"{summary.malformed:,}")
    for target, n in summary.targets.most_common(5):
        t.add_row(f"sasaran / target: {target}", f"{n:,}")
    rate = summary.rows / seconds if seconds > 0 else 0.0
    t.add_row("kecepatan / posts/s", f"{rate:,.0f}")
    return t


def register(app: typer.Typer) -> None:
    @app.command("scan")
    def scan_cmd(
        src_arg: str = typer.Argument(..., metavar="INPUT",
                                      help="JSONL atau CSV dengan kolom/field 'text' (Spark: juga URI)."),
        out_arg: str = typer.Option(..., "--out", "-o",
                                    help="Keluaran .jsonl atau .csv (Spark: folder atau URI)."),
        workers: int = typer.Option(1, "--workers", "-w", help="Jumlah proses (0 = semua inti)."),
        pack: str = typer.Option(None, "--pack", help="Paket, dipisah koma (default: semua)."),
        rules_only: bool = typer.Option(False, "--rules-only", help="Tanpa model statistik."),
        engine: str = typer.Option("local", "--engine", help="local|spark"),
        master: str = typer.Option("local[*]", "--master", help="URL master Spark."),
        fmt: str = typer.Option("jsonl", "--format", help="Spark: jsonl|parquet"),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="Tanpa peringatan per baris."),
        boilerplate: Path = typer.Option(None, "--boilerplate", help=BOILERPLATE_HELP),
    ) -> None:
        """Pindai banyak unggahan / scan many posts (streaming, bounded memory)."""
        from netral.scale.local import ScanInputError, default_workers, input_format

        packs = tuple(p.strip() for p in pack.split(",")) if pack else None
        src, out = Path(src_arg), Path(out_arg)  # Path would mangle hdfs:// URIs for Spark
        phrases = read_boilerplate(boilerplate)
        if engine == "spark":
            _spark(src_arg, out_arg, master, fmt, packs, not rules_only, phrases)
        if engine != "local":
            fail(f"--engine: '{engine}' bukan local|spark")
        if not src.is_file():
            fail(f"{src}: berkas tidak ditemukan / file not found")
        try:
            input_format(src)
        except ScanInputError as exc:
            fail(str(exc))
        if out.suffix.lower() not in (".jsonl", ".csv", ".ndjson"):
            fail(f"{out}: keluaran harus .jsonl atau .csv / output must be .jsonl or .csv")
        n_workers = default_workers() if workers <= 0 else workers
        start = time.perf_counter()

        def warn(msg: str) -> None:
            if not quiet:
                err_console.print(styled(("peringatan:", "yellow"), f" {msg}"))

        try:
            summary = _scan_with_progress(src, out, n_workers, packs, not rules_only, warn,
                                          phrases)
        except ScanInputError as exc:
            fail(str(exc))
        console.print(_summary_table(summary, time.perf_counter() - start))
        console.print(f"hasil / results: {out}")


def _scan_with_progress(src: Path, out: Path, workers: int, packs: tuple[str, ...] | None,
                        use_model: bool, warn: Callable[[str], None],
                        boilerplate: tuple[str, ...] = ()) -> ScanSummary:
    """The scan under a progress bar of the input read: percentage, rows, elapsed and ETA."""
    from rich.progress import (
        BarColumn,
        Progress,
        SpinnerColumn,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from netral.scale.local import scan_file

    # markup off: a file name like "posts[1].jsonl" is shown as it is
    with Progress(SpinnerColumn(), TextColumn("{task.description}", markup=False), BarColumn(),
                  TaskProgressColumn(), TextColumn("{task.fields[rows]:,} baris", markup=False),
                  TimeElapsedColumn(), TextColumn("sisa / ETA", markup=False),
                  TimeRemainingColumn(), console=err_console, transient=True) as progress:
        task = progress.add_task(f"memindai {src.name}", total=max(1, src.stat().st_size),
                                 rows=0)
        done = [0]

        def advance(rows: int, read_to: int) -> None:
            done[0] += rows
            progress.update(task, completed=read_to, rows=done[0])

        return scan_file(src, out, workers=workers, packs=packs, use_model=use_model,
                         boilerplate=boilerplate, on_progress=advance, warn=warn)


def _spark(src: Path, out: Path, master: str, fmt: str, packs, use_model: bool,
           boilerplate: tuple[str, ...] = ()) -> None:
    try:
        from netral.cli.spark import spark_scan
    except ImportError:
        fail("mesin Spark belum terpasang / Spark engine not installed: "
             "pip install 'netral[spark]'")
    code = spark_scan(str(src), str(out), master=master, fmt=fmt,
                      packs=list(packs) if packs else None, use_model=use_model,
                      boilerplate=boilerplate)
    raise typer.Exit(code)
