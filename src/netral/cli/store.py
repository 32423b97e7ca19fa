"""Monitoring-store commands: ``db upgrade``, ``roster import``, ``ingest``, ``rescan``,
``purge``, ``demo-seed``. Thin: parse, call one core function, render with Rich.

Every command takes ``--db URL`` (overrides ``NETRAL_DATABASE_URL``; default: a SQLite file
in the user data directory).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from rich.console import Console
from rich.table import Table

from netral.cli._common import (
    EXIT_DATABASE,
    EXIT_USAGE,
    DbOpt,
    JsonOpt,
    LangOpt,
    err_console,
    exit_error,
    show_url,
    styled,
)
from netral.cli.text import cli_lang, refuse, t, words
from netral.config import get_settings

# no markup: names, file names, URLs and messages are shown as they are
console = Console(markup=False, highlight=False)

# what a purge counts per agency (labels: count_<key> in messages.yaml, as for the ingest counts)
PURGE_COUNTS = ("purge_unflagged", "purge_resolved", "held_review", "held_open_case", "kept_recent")

WorkersOpt = Annotated[int, typer.Option(
    "--workers", "-w", min=0,
    help="Processes that judge (0 = every core; used for large batches only).")]


def _url(db: str | None) -> str:
    return db or get_settings().database_url


def _engine(db: str | None, lang: str, *, migrated: bool = True):
    """An engine on the database, checked to be at the newest schema revision."""
    from sqlalchemy.exc import SQLAlchemyError

    from netral.store.base import make_engine
    from netral.store.migrate import current_revision, head_revision

    url = _url(db)
    try:
        engine = make_engine(url)
        rev = current_revision(engine)
    except (SQLAlchemyError, OSError, ValueError) as exc:
        # a bad URL is a usage error; a database that does not answer is its own exit status
        code = EXIT_USAGE if isinstance(exc, ValueError) else EXIT_DATABASE
        raise exit_error(
            t("db_error", lang, url=show_url(url), error=str(exc).splitlines()[0]), code
        ) from None
    if migrated and rev != head_revision():
        engine.dispose()
        raise refuse("not_migrated", lang, url=show_url(url), rev=rev, head=head_revision())
    return engine


def _print_json(data: Any) -> None:
    typer.echo(orjson.dumps(data, option=orjson.OPT_INDENT_2, default=str).decode())


def _counts_table(title: str, counts: dict[str, Any], lang: str) -> Table:
    table = Table(title=title, show_header=False)
    table.add_column()
    table.add_column(justify="right")
    for k, v in counts.items():  # a count without a label yet shows under its own name
        table.add_row(words().text(f"count_{k}", lang, default=k), str(v))
    return table


# --------------------------------------------------------------------------- db


def db_upgrade(db: DbOpt = None, lang: LangOpt = None) -> None:
    """Siapkan/perbarui skema basis data / create or upgrade the database schema."""
    from sqlalchemy.exc import SQLAlchemyError

    from netral.store.migrate import upgrade

    lang = cli_lang(lang)
    url = _url(db)
    try:
        rev = upgrade(url)
    except (SQLAlchemyError, OSError) as exc:
        raise exit_error(
            t("db_error", lang, url=show_url(url), error=str(exc).splitlines()[0]), 1
        ) from None
    console.print(t("upgraded", lang, url=show_url(url), rev=rev), highlight=False)


def db_check(db: DbOpt = None, lang: LangOpt = None) -> None:
    """Bandingkan skema dengan model / compare the schema with the models."""
    from netral.store.migrate import drift

    lang = cli_lang(lang)
    engine = _engine(db, lang, migrated=False)
    diffs = drift(engine)
    engine.dispose()
    if diffs:
        for d in diffs:
            console.print(repr(d), highlight=False)
        raise refuse("drift_some", lang, 1, n=len(diffs))
    console.print(t("drift_none", lang))


# --------------------------------------------------------------------------- roster


def roster_import(
    file: Annotated[Path, typer.Argument(help="Roster file (.csv or .xlsx).")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only validate; change nothing.")
    ] = False,
    agency: Annotated[
        str | None, typer.Option("--agency", help="Agency code (created when new).")
    ] = None,
    agency_name: Annotated[
        str | None, typer.Option("--agency-name", help="Agency name when it is created.")
    ] = None,
    create_units: Annotated[
        bool, typer.Option("--create-units", help="Create units that do not exist yet.")
    ] = False,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Import valid rows, skip rows with errors.")
    ] = False,
    db: DbOpt = None,
    lang: LangOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Impor daftar pegawai dan akunnya dari CSV/XLSX / import the staff roster.

    Kolom: NIP, nama, jabatan, kelas, unit, platform, akun. Exit 2 bila ada galat."""
    from netral.store.base import make_sessionmaker
    from netral.store.roster import RosterFileError, import_roster

    lang = cli_lang(lang)
    if not file.is_file():
        raise refuse("file_missing", lang, path=file)
    engine = _engine(db, lang)
    try:
        with make_sessionmaker(engine)() as session:
            report = import_roster(
                session,
                file,
                agency_code=agency,
                agency_name=agency_name,
                dry_run=dry_run,
                create_units=create_units,
                skip_invalid=skip_invalid,
            )
    except ValueError:
        raise refuse("agency_needed", lang) from None
    except RosterFileError as exc:
        raise exit_error(str(exc)) from None
    finally:
        engine.dispose()
    if as_json:
        _print_json(report.to_dict(lang))
    else:
        if report.problems:
            table = Table(title=t("roster_title", lang, file=file.name))
            for col in ("row", "column", "severity", "problem"):
                table.add_column(t(col, lang))
            for p in report.problems:
                style = "red" if p.severity == "error" else "yellow"
                table.add_row(
                    str(p.row),
                    p.column or "",
                    styled((t(p.severity, lang), style)),
                    p.message(lang),
                )
            console.print(table)
        if dry_run:
            console.print(
                t(
                    "roster_dry",
                    lang,
                    rows=report.rows,
                    errors=len(report.errors),
                    warnings=len(report.warnings),
                )
            )
        elif report.applied:
            console.print(t("roster_done", lang, **report.counts))
    if not report.applied and not dry_run:
        raise refuse("roster_refused", lang, errors=len(report.errors))
    if dry_run and report.errors:
        raise typer.Exit(2)


# --------------------------------------------------------------------------- ingest


def _capture_pending(engine, lang: str, failures: list[str] | None = None) -> int:
    """Capture evidence for every flagged finding whose item has none yet
    (:func:`netral.evidence.pending.capture_pending`); returns how many were captured."""
    from netral.evidence.pending import capture_pending

    def report(item_id: int, exc: Exception) -> None:
        if failures is not None:
            failures.append(f"item {item_id}: {exc}")
        err_console.print(t("capture_failed", lang, item=item_id, error=exc), highlight=False)

    return capture_pending(engine, actor="ingest", on_failure=report).captured


def _get_detector(lang: str):
    try:
        from netral.detect.detector import get_detector

        return get_detector()
    except ImportError as exc:
        raise refuse("detector_missing", lang, 1, error=exc) from None


def _render_ingest(report, title: str, lang: str) -> None:
    console.print(_counts_table(title, report.counts(), lang))
    if report.detector_version:
        console.print(f"detector {report.detector_version} · packs {report.pack_version}")
    if report.images_checked:
        console.print(t("images_checked", lang, n=report.images_checked))
    if report.images_note:
        console.print(report.images_note, style="yellow")
    if report.unmatched_accounts:
        table = Table(title=t("unmatched_title", lang))
        table.add_column(t("account", lang))
        table.add_column(t("count", lang), justify="right")
        for acc, n in report.unmatched_accounts.most_common(20):
            table.add_row(acc, str(n))
        console.print(table)
    if report.errors:
        table = Table(title=t("errors_title", lang))
        table.add_column(t("position", lang))
        table.add_column(t("problem", lang))
        for pos, msg in report.errors[:20]:
            table.add_row(pos, msg)
        console.print(table)


def _refused(exc, lang: str, as_json: bool, message: str = "ingest_refused",
             stored_count: str = "items_new") -> SystemExit:
    """A record the database refused (:class:`netral.ingest.RecordRefused`): the file, the
    record's position and the driver's reason in one line, and how much was stored before it
    (the report's ``stored_count``: new items of an ingest, verdicts written by a rescan)."""
    stored = 0 if exc.report is None else getattr(exc.report, stored_count)
    if as_json and exc.report is not None:
        refused = {"position": exc.position, "error": exc.reason}
        _print_json({**exc.report.to_dict(), "refused": refused})
    fields = {"source": exc.source, "position": exc.position, "error": exc.reason}
    return refuse(message, lang, EXIT_DATABASE, stored=stored, **fields)


def ingest(
    source: Annotated[str, typer.Argument(help="Collector file (.jsonl/.csv/.json) or feed URL.")],
    connector: Annotated[
        str,
        typer.Option("--connector", help="file (default), activitypub, rss, or a plugin name."),
    ] = "file",
    handle: Annotated[
        str | None, typer.Option("--handle", help="Account for records that name none.")
    ] = None,
    platform: Annotated[
        str | None, typer.Option("--platform", help="Platform for records that name none.")
    ] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1)] = 1000,
    scan: Annotated[bool, typer.Option("--scan/--no-scan", help="Run the detector.")] = True,
    capture: Annotated[
        bool, typer.Option("--capture/--no-capture", help="Capture evidence of new findings.")
    ] = True,
    sample_rate: Annotated[
        float | None,
        typer.Option("--sample-rate", help="Share of netral items sent to review.", min=0, max=1),
    ] = None,
    workers: WorkersOpt = 0,
    db: DbOpt = None,
    lang: LangOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Simpan, cocokkan dan pindai item terkumpul / ingest collected items.

    Idempoten: menjalankan sumber yang sama lagi tidak menambah apa pun. Kode keluar / exit
    codes: 0 selesai / done; 2 sumber atau opsi salah / bad source or option; 3 selesai tetapi
    perekaman bukti gagal untuk sebagian item / done, but some evidence captures failed; 4
    basis data tidak terjangkau, sibuk, atau menolak sebuah rekaman (yang sebelumnya tetap
    tersimpan) / database unreachable, busy, or it refused a record (those before it stay)."""
    from netral.ingest import RecordRefused, ingest_source
    from netral.ingest.connectors import available
    from netral.ingest.connectors.http import FetchError
    from netral.ingest.readers import SourceError

    lang = cli_lang(lang)
    if connector != "file" and connector not in available():
        raise refuse("connector_unknown", lang, name=connector, known=", ".join(available()))
    detector = _get_detector(lang) if scan else None
    engine = _engine(db, lang)
    try:
        report = ingest_source(
            engine,
            source,
            connector=connector,
            handle=handle,
            platform=platform,
            detector=detector,
            scan=scan,
            batch_size=batch_size,
            sample_rate=sample_rate,
            workers=workers,
        )
        failures: list[str] = []
        captured = _capture_pending(engine, lang, failures) if capture else 0
    except (SourceError, FetchError) as exc:
        # broken part-way (a JSON array, a feed's later page): the records before are stored
        stored = getattr(getattr(exc, "report", None), "items_new", 0)
        if stored:
            raise refuse("source_error_partial", lang, error=exc, stored=stored) from None
        raise refuse("source_error", lang, error=exc) from None
    except RecordRefused as exc:
        raise _refused(exc, lang, as_json) from None
    finally:
        engine.dispose()
    if as_json:
        _print_json({**report.to_dict(), "captured": captured, "capture_failed": len(failures)})
    else:
        _render_ingest(report, t("ingest_title", lang, source=source), lang)
        if captured:
            console.print(t("captured", lang, n=captured))
    if failures:  # a scheduled job must see that evidence is missing
        err_console.print(t("captures_failed_total", lang, n=len(failures)), highlight=False)
        raise typer.Exit(3)


def rescan_cmd(
    agency: Annotated[str | None, typer.Option("--agency", help="Only this agency.")] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1)] = 1000,
    workers: WorkersOpt = 0,
    db: DbOpt = None,
    lang: LangOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Pindai ulang dengan detektor/paket terbaru / rescan stored items (history kept)."""
    from sqlalchemy import select

    from netral.ingest import RecordRefused, rescan
    from netral.store.models import Agency

    lang = cli_lang(lang)
    detector = _get_detector(lang)
    engine = _engine(db, lang)
    try:
        agency_id = None
        if agency:
            with engine.connect() as conn:
                agency_id = conn.execute(
                    select(Agency.id).where(Agency.code == agency)
                ).scalar_one_or_none()
            if agency_id is None:
                raise refuse("agency_unknown", lang, code=agency)
        report = rescan(engine, detector=detector, agency_id=agency_id, batch_size=batch_size,
                        workers=workers)
    except RecordRefused as exc:
        raise _refused(exc, lang, as_json, "rescan_refused", "scanned") from None
    finally:
        engine.dispose()
    if as_json:
        _print_json(report.to_dict())
        return
    _render_ingest(report, t("rescan_title", lang), lang)


# --------------------------------------------------------------------------- retention


def purge_cmd(
    apply: Annotated[
        bool, typer.Option("--apply", help="Really delete (default: dry run, counts only).")
    ] = False,
    agency: Annotated[str | None, typer.Option("--agency", help="Only this agency.")] = None,
    db: DbOpt = None,
    lang: LangOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Terapkan retensi data (uji coba bawaan) / apply retention (dry run by default).

    Item kasus terbuka selalu ditahan / items of open cases are always held."""
    from netral.store.retention import purge

    lang = cli_lang(lang)
    engine = _engine(db, lang)
    try:
        report = purge(engine, dry_run=not apply, agency_code=agency)
    except KeyError:
        raise refuse("agency_unknown", lang, code=agency) from None
    finally:
        engine.dispose()
    if as_json:
        _print_json(report.to_dict())
        return
    data = report.to_dict()
    table = Table(title=t("purge_title" if not apply else "purge_title_apply", lang))
    table.add_column("")
    for a in data["agencies"]:
        table.add_column(a["agency"], justify="right")
    for key in PURGE_COUNTS:
        table.add_row(t(f"count_{key}", lang), *[str(a[key]) for a in data["agencies"]])
    console.print(table)
    if not apply and report.total:
        console.print(t("purge_hint", lang, n=report.total))


# --------------------------------------------------------------------------- demo


def demo_seed_cmd(db: DbOpt = None, lang: LangOpt = None, as_json: JsonOpt = False) -> None:
    """Isi basis data dengan instansi demo / seed a realistic demo agency."""
    from netral.demo.seed import DEMO_USERS, seed
    from netral.store.migrate import upgrade

    lang = cli_lang(lang)
    url = _url(db)
    upgrade(url)
    engine = _engine(db, lang)
    try:
        summary = seed(engine, detector=_get_detector(lang))
    finally:
        engine.dispose()
    if as_json:
        _print_json(summary)
        return
    users = ", ".join(f"{u}/{p}" for u, (p, _role) in DEMO_USERS.items())
    console.print(_counts_table("demo", summary.get("ingest", {}), lang))
    console.print(t("seeded", lang, url=show_url(url), users=users), highlight=False)


# --------------------------------------------------------------------------- registration


def register(app: typer.Typer) -> None:
    lang = cli_lang(None)
    db_app = typer.Typer(help=t("db_help", lang), no_args_is_help=True)
    db_app.command("upgrade")(db_upgrade)
    db_app.command("check")(db_check)
    app.add_typer(db_app, name="db")
    roster_app = typer.Typer(help=t("roster_help", lang), no_args_is_help=True)
    roster_app.command("import")(roster_import)
    app.add_typer(roster_app, name="roster")
    app.command("ingest")(ingest)
    app.command("rescan")(rescan_cmd)
    app.command("purge")(purge_cmd)
    app.command("demo-seed")(demo_seed_cmd)


if __name__ == "__main__":  # pragma: no cover - standalone use while developing
    _app = typer.Typer(no_args_is_help=True, pretty_exceptions_enable=False)
    register(_app)
    _app()
