"""`netral spark-scan`: the Spark engine from the command line (also behind
`netral scan --engine spark`, which calls :func:`spark_scan`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from netral.cli._common import BOILERPLATE_HELP, check_lang, read_boilerplate
from netral.cli.text import t


def render_counts(counts: dict[str, Any], lang: str = "id", console: Console | None = None):
    console = console or Console(markup=False, highlight=False)
    table = Table(title=t("spark_title", lang), show_header=False)
    table.add_column(style="bold")
    table.add_column(justify="right")
    seconds = counts.get("seconds") or 0.0
    table.add_row(t("spark_input_records", lang), f"{counts['input_records']:,}")
    table.add_row(t("spark_rows", lang), f"{counts['rows']:,}")
    table.add_row(t("count_flagged", lang), f"{counts['flagged']:,}")
    for verdict, n in counts["verdicts"].items():
        table.add_row(f"{t('spark_verdict', lang)}: {verdict}", f"{n:,}")
    for etype, n in counts["errors"].items():
        table.add_row(f"{t('error', lang)}: {etype}", f"{n:,}")
    if not counts["errors"]:
        table.add_row(t("error", lang), t("spark_no_errors", lang))
    table.add_row(t("spark_seconds", lang), f"{seconds:.1f}")
    if seconds > 0:
        table.add_row(t("spark_rate", lang), f"{counts['input_records'] / seconds:,.0f}")
    table.add_row(t("spark_output", lang), str(counts.get("output", "")))
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
        err.print(t("spark_no_pyspark", lang), style="red")
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
        err.print(t("spark_no_pyspark", lang), style="red")
        return 2
    except SparkScanError as exc:
        err.print(t(f"spark_{exc.code}", lang, **exc.params), style="red")
        return 2
    if as_json:
        import orjson

        typer.echo(orjson.dumps(counts).decode())
    else:
        render_counts(counts, lang, console)
    return 0


def register(app: typer.Typer) -> None:
    # option help in Indonesian, as every command's; the command's own help in both languages
    @app.command("spark-scan", help=f"{t('spark_help', 'id')} / {t('spark_help', 'en')}")
    def spark_scan_cmd(
        input_path: str = typer.Argument(..., metavar="INPUT", help=t("spark_input_help", "id")),
        output: str = typer.Option(..., "--output", "-o", help=t("spark_output_help", "id")),
        master: str = typer.Option("local[*]", "--master", help=t("spark_master_help", "id")),
        fmt: str = typer.Option("jsonl", "--format", help=t("spark_format_help", "id")),
        input_format: str = typer.Option("auto", "--input-format", help=t("spark_input_format_help", "id")),
        pack: list[str] | None = typer.Option(None, "--pack", help=t("spark_pack_help", "id")),
        overwrite: bool = typer.Option(False, "--overwrite", help=t("spark_overwrite_help", "id")),
        partitions: int | None = typer.Option(None, "--partitions", help=t("spark_partitions_help", "id")),
        rules_only: bool = typer.Option(False, "--rules-only", help=t("spark_no_model_help", "id")),
        as_json: bool = typer.Option(False, "--json", help=t("spark_json_help", "id")),
        lang: str | None = typer.Option(None, "--lang", callback=check_lang,
                                        help=t("spark_lang_help", "id")),
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
