"""`netral audit` (self-audit of one's own platform exports) and `netral demo-export`."""

from __future__ import annotations

import sys
import time
from datetime import timedelta, timezone, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer
from rich.progress import (
    BarColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from netral.cli._common import (
    BOILERPLATE_HELP,
    EXIT_FLAGGED,
    EXIT_OK,
    EXIT_USAGE,
    check_lang,
    console,
    err_console,
    fail,
    read_boilerplate,
    styled,
)
from netral.cli.text import t
from netral.kinds import ACCOUNTS, EMPLOYEES

FORMATS = ("html", "json", "csv")

def _tz(value: str) -> tzinfo:
    v = value.strip()
    if v.upper() in ("WIB", "WITA", "WIT"):
        return timezone(timedelta(hours={"WIB": 7, "WITA": 8, "WIT": 9}[v.upper()]), v.upper())
    if v[:1] in "+-" and ":" in v:
        sign = -1 if v[0] == "-" else 1
        hh, mm = v[1:].split(":", 1)
        return timezone(sign * timedelta(hours=int(hh), minutes=int(mm)))
    return ZoneInfo(v)


def _images_summary(report, lang: str, cap: int) -> None:
    why = report.images_skipped_reason
    if why == "off":
        err_console.print(t("audit_images_off", lang), style="dim")
    elif why:
        err_console.print(t("audit_images_missing", lang, why=why), style="yellow")
    elif report.images_checked or report.images_not_checked:
        err_console.print(t("audit_images", lang, checked=report.images_checked,
                                             flagged=report.images_flagged))
        if report.images_not_checked:
            err_console.print(t("audit_images_capped", lang, n=report.images_not_checked, cap=cap),
                              style="yellow")


def _summary(report, lang: str, out: str | None) -> None:
    table = Table(title=t("audit_title", lang), title_justify="left")
    table.add_column("Platform")
    table.add_column(t("audit_scanned", lang), justify="right")
    table.add_column(t("audit_flagged", lang), justify="right")
    for platform, c in sorted(report.by_platform().items(), key=lambda kv: -kv[1]["scanned"]):
        style = "bold red" if c["flagged"] else None
        table.add_row(platform, str(c["scanned"]), str(c["flagged"]), style=style)
    table.add_row("Σ", str(report.scanned), str(report.flagged), style="bold")
    err_console.print(table)
    if report.findings:
        top = Table(title=t("audit_top", lang), title_justify="left", show_header=False, expand=True)
        top.add_column(width=9)
        top.add_column(width=22)
        top.add_column(overflow="fold")
        for f in report.findings[:5]:
            when = f.item.created_at.date().isoformat() if f.item.created_at else "—"
            style = "red" if f.verdict == "kampanye" else "yellow"
            top.add_row(styled((f.verdict, style)), f"{f.item.platform} {f.item.kind} {when}",
                        f.checked_text[:160])
        err_console.print(top)
    else:
        err_console.print(t("audit_none", lang), style="green")
    if report.skipped:
        from netral.audit import problem_message

        err_console.print(f"{len(report.skipped)} {t('audit_skipped', lang)}", style="yellow")
        for prob in report.skipped[:8]:
            where = f" ({prob.position})" if prob.position else ""
            err_console.print(styled("  ", ("•", "yellow"),
                                     f" {prob.file}{where}: {problem_message(prob, lang)}"))
    if out:
        err_console.print(styled(f"{t('audit_written', lang)} ", (str(out), "bold")))


def register(app: typer.Typer) -> None:
    @app.command("audit")
    def audit_cmd(
        paths: list[Path] = typer.Argument(
            ..., help="Arsip unduhan (zip) atau foldernya; boleh beberapa / export zip or folder."
        ),
        output: str = typer.Option(
            None, "--output", "-o", help="Berkas laporan ('-' = stdout). Default netral-audit.<fmt>"
        ),
        fmt: str = typer.Option("html", "--format", help="html|json|csv"),
        platform: str = typer.Option(None, "--platform", help="Paksa satu platform / force one."),
        lang: str = typer.Option("id", "--lang", callback=check_lang, help="id|en"),
        include_all: bool = typer.Option(
            False, "--include-all", help="Tampilkan semua butir, bukan hanya yang ditandai."
        ),
        me: list[str] = typer.Option(
            None, "--me", help="Nama Anda di obrolan WhatsApp/Telegram/Messenger (bisa diulang)."
        ),
        pack: list[str] = typer.Option(None, "--pack", help="Paket pengetahuan (default: semua)."),
        tz: str = typer.Option(
            "WIB", "--tz", help="Zona waktu untuk ekspor tanpa zona (WIB|WITA|WIT|+07:00|IANA)."
        ),
        max_unpacked_mb: int = typer.Option(
            16384, "--max-unpacked-mb", help="Batas total ukuran terurai zip (MB)."
        ),
        max_ratio: float = typer.Option(200.0, "--max-ratio", help="Batas rasio kompresi zip."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="Tanpa ringkasan di terminal."),
        no_images: bool = typer.Option(
            False, "--no-images", help="Jangan periksa gambar / do not check pictures."
        ),
        max_images: int = typer.Option(
            500, "--max-images", help="Batas gambar yang diperiksa / max pictures checked."
        ),
        account: str = typer.Option("personal", "--account", help="personal|official"),
        employee: str = typer.Option("pns", "--employee", help="pns|pppk|pejabat|non_asn"),
        boilerplate: Path = typer.Option(None, "--boilerplate", help=BOILERPLATE_HELP),
        workers: int = typer.Option(
            0, "--workers", "-w", min=0,
            help="Proses pemeriksa audit panjang (0 = semua inti kecuali pembaca; 1 = satu proses).")
    ) -> None:
        """Audit jejak digital dari data unduhan akun Anda / audit your own platform exports.

        Exit 0 = tidak ada temuan, 1 = ada temuan, 2 = kesalahan penggunaan.
        """
        from netral.audit import AuditOptions, AuditUsageError, problem_message, run_audit
        from netral.report.audit_report import write_report
        from netral.sources.archive import ZipLimits
        from netral.sources.registry import platforms

        if fmt not in FORMATS:
            fail(f"--format: '{fmt}' bukan {'|'.join(FORMATS)}")
        if platform and platform not in platforms():
            fail(f"--platform: '{platform}' tidak dikenal / unknown ({', '.join(platforms())})")
        if account not in ACCOUNTS:
            fail(f"--account: '{account}' bukan {'|'.join(ACCOUNTS)}")
        if employee not in EMPLOYEES:
            fail(f"--employee: '{employee}' bukan {'|'.join(EMPLOYEES)}")
        if max_images < 0:
            fail("--max-images harus >= 0")
        if max_unpacked_mb <= 0 or max_ratio <= 1:
            fail("--max-unpacked-mb harus > 0 dan --max-ratio > 1")
        missing = [str(p) for p in paths if not p.exists() and not p.is_symlink()]
        if missing:
            fail(f"tidak ditemukan / not found: {', '.join(missing)}")
        try:
            zone = _tz(tz)
        except (ZoneInfoNotFoundError, ValueError, KeyError):
            fail(f"--tz: {t('audit_bad_tz', lang)} '{tz}'")
        opts = AuditOptions(
            platform=platform,
            me=[m for m in (me or []) if m.strip()],
            include_all=include_all,
            lang=lang,
            limits=ZipLimits(
                max_total_bytes=max_unpacked_mb * 1024 * 1024, max_ratio=float(max_ratio)
            ),
            tz=zone,
            packs=list(pack) if pack else None,
            images=not no_images,
            max_images=max_images,
            account=account,
            employee=employee,
            boilerplate=read_boilerplate(boilerplate),
            workers=workers,
        )
        out = output or f"netral-audit.{fmt}"
        with Progress(
            TextColumn("{task.description}", style="bold", markup=False),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TextColumn("{task.fields[items]:,} {task.fields[unit]} · {task.fields[rate]:,.0f}/s"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            TextColumn("{task.fields[file]}", style="dim", justify="left", markup=False),
            console=err_console,
            transient=True,
            disable=quiet,
        ) as bar:
            task = bar.add_task(t("audit_reading", lang), total=1, file="", items=0, rate=0.0,
                                unit=t("audit_items", lang))
            started = time.monotonic()

            def progress(name: str, done: int, total: int, items: int) -> None:
                # items/s since the start; the ETA (TimeRemainingColumn) follows the bytes read
                short = name if len(name) < 60 else "…" + name[-59:]
                rate = items / max(time.monotonic() - started, 1e-6)
                bar.update(task, completed=done, total=total, file=short, items=items,
                           rate=rate)

            try:
                report = run_audit([str(p) for p in paths], opts, progress=progress)
            except AuditUsageError as exc:
                fail(f"--platform: {exc}")
            except Exception as exc:  # never a traceback for the user
                fail(f"audit gagal / failed: {type(exc).__name__}: {exc}")
        if report.files_read == 0:  # nothing readable at all: say why, as an input error
            for prob in report.problems:
                err_console.print(styled((str(prob.file), "red"),
                                         f": {problem_message(prob, lang)}"))
            raise typer.Exit(EXIT_USAGE)
        try:
            if out == "-":
                write_report(report, sys.stdout, fmt, lang, opts.packs)
            else:
                with open(out, "w", encoding="utf-8", newline="") as fp:
                    write_report(report, fp, fmt, lang, opts.packs)
        except OSError as exc:
            fail(f"{out}: {exc.strerror or exc}")
        except Exception as exc:  # never a traceback for the user
            fail(f"laporan gagal dibuat / report failed: {type(exc).__name__}: {exc}")
        if not quiet:
            _summary(report, lang, None if out == "-" else out)
            _images_summary(report, lang, max_images)
        raise typer.Exit(EXIT_FLAGGED if report.findings else EXIT_OK)

    @app.command("demo-export")
    def demo_export_cmd(
        outdir: Path = typer.Argument(..., help="Folder tujuan / output folder."),
        seed: int = typer.Option(2024, "--seed", help="Benih acak (hasil tetap untuk benih sama)."),
        scale: int = typer.Option(1, "--scale", help="Pengali jumlah butir netral."),
        lang: str = typer.Option("id", "--lang", callback=check_lang, help="id|en"),
    ) -> None:
        """Tulis ekspor sintetis multi-platform untuk demo / write a synthetic demo export."""
        from netral.demo.export import write_demo_export

        if scale < 1:
            fail("--scale harus >= 1")
        if outdir.exists() and not outdir.is_dir():
            fail(f"{outdir}: bukan folder / not a folder")
        try:
            root = write_demo_export(outdir, seed=seed, scale=scale)
        except OSError as exc:
            fail(f"{outdir}: {exc.strerror or exc}")
        console.print(styled(f"{t('audit_demo', lang)} ", (str(root), "bold")))
        console.print(f"{t('audit_demo_next', lang)}: netral audit {root} -o laporan.html")
