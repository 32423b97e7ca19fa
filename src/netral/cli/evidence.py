"""``netral evidence …``: capture, export and verify tamper-evident evidence bundles.

Thin commands over :mod:`netral.evidence`. ``verify`` needs neither the database nor the
network; the others take ``--db URL`` (default: ``NETRAL_DATABASE_URL`` or the SQLite file in the
data directory).
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
    exit_error,
    show_url,
    styled,
)
from netral.cli.text import cli_lang
from netral.config import get_settings
from netral.evidence.messages import render

# no markup: file names, keys, TSA names and messages are shown as they are
console = Console(markup=False, highlight=False)
err = Console(stderr=True, markup=False, highlight=False)

TsaUrlOpt = Annotated[
    str | None, typer.Option("--tsa-url", help="RFC 3161 TSA URL (default: NETRAL_TSA_URL).")
]
TsaCaOpt = Annotated[
    Path | None,
    typer.Option("--tsa-ca", help="PEM with the TSA certificate chain (default: NETRAL_TSA_CA)."),
]

evidence_app = typer.Typer(
    help="Bukti anti-ubah: rekam, ekspor dan periksa paket bukti / tamper-evident evidence.",
    no_args_is_help=True,
)
ledger_app = typer.Typer(help="Buku besar bukti / evidence ledger.", no_args_is_help=True)
evidence_app.add_typer(ledger_app, name="ledger")


def register(app: typer.Typer) -> None:
    app.add_typer(evidence_app, name="evidence")


# ------------------------------------------------------------------------------ helpers
def _fail(code: str, lang: str, exit_code: int = 2, **params: Any) -> typer.Exit:
    """``netral: <evidence message>`` on stderr (the evidence catalogue: its checks and these
    commands share their words)."""
    return exit_error(render(code, lang, **params), exit_code)


def _engine(db: str | None, lang: str):
    from sqlalchemy.exc import SQLAlchemyError

    from netral.store.base import make_engine
    from netral.store.migrate import current_revision, head_revision

    url = db or get_settings().database_url
    try:
        engine = make_engine(url)
        rev = current_revision(engine)
    except (SQLAlchemyError, OSError, ValueError) as exc:
        code = EXIT_USAGE if isinstance(exc, ValueError) else EXIT_DATABASE
        raise _fail("store_error", lang, code,
                    detail=f"{show_url(url)}: {str(exc).splitlines()[0]}") from None
    if rev != head_revision():
        engine.dispose()
        raise _fail("store_error", lang, detail=(
            f"{show_url(url)}: schema revision {rev}, need {head_revision()} — "
            f"netral db upgrade --db {show_url(url)}"))
    return engine


def _session(db: str | None, lang: str):
    from netral.store.base import make_sessionmaker

    return make_sessionmaker(_engine(db, lang))()


def _store():
    from netral.evidence.filestore import FileStore
    from netral.evidence.settings import evidence_settings

    return FileStore(evidence_settings().store_dir)


def _key(lang: str):
    from netral.evidence.keys import SigningKeyError, load_key
    from netral.evidence.settings import evidence_settings

    try:
        return load_key(evidence_settings().key_path)
    except SigningKeyError as exc:
        raise _fail("key_error", lang, detail=str(exc)) from None


def _tsa(url: str | None, ca: Path | None, lang: str, *, enabled: bool = True):
    from netral.evidence.heads import TSAConfig
    from netral.evidence.settings import evidence_settings

    if not enabled:
        return None
    s = evidence_settings()
    url = url or s.tsa_url
    ca = ca or s.tsa_ca
    if not url:
        return None
    if ca is None:
        raise _fail("no_tsa_ca", lang)
    try:
        chain = ca.read_bytes()
    except OSError as exc:
        raise _fail("file_error", lang, path=ca, detail=exc.strerror or str(exc)) from None
    return TSAConfig(url=url, chain_pem=chain, timeout=s.tsa_timeout)


def _print_json(data: Any) -> None:
    typer.echo(orjson.dumps(data, option=orjson.OPT_INDENT_2, default=str).decode())


def _problem_table(report, lang: str) -> Table:
    en = lang == "en"
    table = Table(show_lines=False)
    table.add_column("Tingkat" if not en else "Severity")
    table.add_column("Sasaran" if not en else "Target", overflow="fold")
    table.add_column("Masalah" if not en else "Problem", overflow="fold")
    style = {"error": "bold red", "warning": "yellow", "info": "dim"}
    for p in report.problems:
        msg = p.message(lang).removeprefix(f"{p.target}: ")
        table.add_row(styled((p.severity, style[p.severity])), p.target, msg)
    return table


# ------------------------------------------------------------------------------ commands
@evidence_app.command("keygen")
def keygen(
    out: Annotated[Path | None, typer.Option("--out", help="Private key path "
                   "(default: NETRAL_EVIDENCE_KEY or <data dir>/keys/evidence-ed25519.pem).")]
    = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing key.")] = False,
    lang: LangOpt = None,
) -> None:
    """Buat kunci Ed25519 instansi / create the agency's Ed25519 signing key."""
    from netral.evidence.keys import generate_key, public_key_path
    from netral.evidence.settings import evidence_settings

    lang = cli_lang(lang)
    path = out or evidence_settings().key_path
    try:
        key = generate_key(path, force=force)
    except FileExistsError:
        raise _fail("key_exists", lang, path=path) from None
    except OSError as exc:
        raise _fail("file_error", lang, path=path, detail=exc.strerror or str(exc)) from None
    console.print(render("keygen_done", lang, path=path, pub=public_key_path(path),
                         fpr=key.fingerprint), highlight=False, soft_wrap=True)


@evidence_app.command("capture")
def capture(
    item: Annotated[list[int] | None, typer.Option("--item", help="Item id (repeatable).")]
    = None,
    flagged: Annotated[bool, typer.Option(
        "--flagged", help="Capture every item with a finding and no evidence yet.")] = False,
    media: Annotated[list[Path] | None, typer.Option(
        "--media", help="Extra local media file (e.g. a screenshot) for a single --item.")]
    = None,
    db: DbOpt = None,
    lang: LangOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Rekam butir sebagai bukti / capture items as evidence (files + ledger entry)."""
    from netral.evidence.capture import (
        CaptureError,
        ItemNotFound,
        capture_item,
        uncaptured_flagged_items,
    )

    lang = cli_lang(lang)
    items = list(item or [])
    if not items and not flagged:
        raise _fail("scope_required", lang)
    if media and len(items) != 1:
        raise _fail("scope_required", lang)
    store = _store()
    done = []
    with _session(db, lang) as s:
        if flagged:
            items += [i for i in uncaptured_flagged_items(s) if i not in items]
        for item_id in items:
            try:
                entry = capture_item(s, item_id, store, media_paths=media or (),
                                     actor="cli")
            except CaptureError as exc:
                s.rollback()
                code = "item_not_found" if isinstance(exc, ItemNotFound) else "store_error"
                raise _fail(code, lang, 1, item=item_id, detail=str(exc)) from None
            s.commit()
            nfiles = len(orjson.loads(entry.body)["files"])
            done.append({"item": item_id, "seq": entry.seq, "entry_hash": entry.entry_hash,
                         "files": nfiles})
    if as_json:
        _print_json(done)
        return
    for d in done:
        console.print(render("capture_done", lang, item=d["item"], seq=d["seq"],
                             files=d["files"]), highlight=False)


@evidence_app.command("export")
def export(
    out: Annotated[Path, typer.Argument(help="Bundle to write (OUT.zip).")],
    case: Annotated[int | None, typer.Option("--case", help="Case id.")] = None,
    item: Annotated[list[int] | None, typer.Option("--item", help="Item id (repeatable).")]
    = None,
    all_: Annotated[bool, typer.Option("--all", help="Every captured item.")] = False,
    capture_missing: Annotated[bool, typer.Option(
        "--capture-missing", help="Capture items in scope that have no evidence yet.")] = False,
    no_timestamp: Annotated[bool, typer.Option(
        "--no-timestamp", help="Do not ask the TSA even when one is configured.")] = False,
    tsa_url: TsaUrlOpt = None,
    tsa_ca: TsaCaOpt = None,
    db: DbOpt = None,
    lang: LangOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Ekspor paket bukti (zip) / export a self-contained evidence bundle."""
    from netral.evidence.bundle import ExportError, Scope, case_item_ids, export_bundle
    from netral.evidence.capture import CaptureError, capture_item, has_evidence
    from netral.evidence.tsa import TSAError
    from netral.store.audit import record

    lang = cli_lang(lang)
    if sum([case is not None, bool(item), all_]) != 1:
        raise _fail("scope_required", lang)
    key = _key(lang)
    tsa = _tsa(tsa_url, tsa_ca, lang, enabled=not no_timestamp)
    store = _store()
    with _session(db, lang) as s:
        if case is not None:
            try:
                ids, title = case_item_ids(s, case)
            except LookupError:
                raise _fail("case_not_found", lang, 1, case=case) from None
            scope, item_ids = Scope("case", case, title), ids
        elif item:
            scope = Scope("item", item[0]) if len(item) == 1 else Scope("items")
            item_ids = list(dict.fromkeys(item))
        else:
            scope, item_ids = Scope("all"), None
        try:
            if capture_missing and item_ids:
                for i in item_ids:
                    if not has_evidence(s, i):
                        capture_item(s, i, store, actor="cli")
            res = export_bundle(s, out, scope, store=store, key=key, item_ids=item_ids,
                                tsa=tsa)
        except (ExportError, CaptureError) as exc:
            s.rollback()
            raise _fail("store_error", lang, 1, detail=str(exc)) from None
        except TSAError as exc:
            s.rollback()
            raise _fail("tsa_failed", lang, 1, detail=str(exc)) from None
        except OSError as exc:
            s.rollback()
            raise _fail("file_error", lang, 1, path=out, detail=exc.strerror or str(exc)) \
                from None
        record(s, "evidence.export", actor="cli", agency_id=_scope_agency(s, scope),
               object_type=scope.kind, object_id=scope.id,
               details={"path": str(out), "items": res.items, "head_seq": res.cover_seq})
        s.commit()
    if as_json:
        _print_json({"path": str(res.path), "items": res.items, "entries": res.entries,
                     "heads": res.heads, "head_seq": res.cover_seq,
                     "timestamped": res.timestamped})
        return
    console.print(render("export_done", lang, path=res.path, items=res.items,
                         entries=res.entries, heads=res.heads), highlight=False)
    if not res.timestamped:
        console.print(render("no_tsa", lang), style="yellow")


def _scope_agency(session, scope) -> int | None:
    from netral.store.models import Case, Item

    if scope.kind == "case":
        case = session.get(Case, scope.id)
        return case.agency_id if case else None
    if scope.kind == "item":
        item = session.get(Item, scope.id)
        return item.agency_id if item else None
    return None


@evidence_app.command("verify")
def verify(
    bundle: Annotated[Path, typer.Argument(help="Evidence bundle (zip).")],
    key: Annotated[str | None, typer.Option(
        "--key", help="Expected agency key fingerprint (sha256:…).")] = None,
    tsa_ca: Annotated[Path | None, typer.Option(
        "--tsa-ca", help="Trust only these TSA root certificates (PEM).")] = None,
    require_timestamp: Annotated[bool, typer.Option(
        "--require-timestamp", help="Fail when a head has no RFC 3161 token.")] = False,
    lang: LangOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Periksa paket bukti tanpa basis data / verify a bundle offline (exit 0 only if valid)."""
    from cryptography import x509

    from netral.evidence.verify import TrustOptions, verify_bundle

    lang = cli_lang(lang)
    if key and not key.startswith("sha256:"):
        key = "sha256:" + key.strip().lower()
    if not bundle.is_file():
        raise _fail("file_error", lang, path=bundle, detail="not found")
    roots: tuple = ()
    if tsa_ca is not None:
        try:
            roots = tuple(x509.load_pem_x509_certificates(tsa_ca.read_bytes()))
        except (OSError, ValueError) as exc:
            raise _fail("file_error", lang, path=tsa_ca, detail=str(exc)) from None
    report = verify_bundle(bundle, TrustOptions(key_fingerprint=key, tsa_roots=roots,
                                                require_timestamp=require_timestamp))
    if as_json:
        _print_json(report.to_dict(lang))
    else:
        _render_verify(report, lang)
    raise typer.Exit(0 if report.ok else 1)


def _render_verify(report, lang: str) -> None:
    en = lang == "en"
    facts = report.facts
    if facts.get("signer"):
        console.print(("Signer key" if en else "Kunci penanda tangan") + f": {facts['signer']}",
                      highlight=False, soft_wrap=True)
    for h in facts.get("heads", []):
        line = (f"  {'head' if en else 'kepala'} {h['seq']}: "
                f"{'signed' if en else 'bertanda tangan'}={h.get('signed')}")
        if h.get("timestamped"):
            line += f", RFC 3161 {h['tsa_time']} — {h['tsa']} (root {h['tsa_root']}, " \
                    f"sha256 {h['tsa_root_sha256'][:16]}…)"
        console.print(line, highlight=False, soft_wrap=True)
    if report.problems:
        console.print(_problem_table(report, lang))
    heads = facts.get("heads", [])
    if report.ok and heads and all(h.get("timestamped") for h in heads):
        console.print(render("verify_ok", lang), style="bold green")
    elif report.ok:
        console.print(render("verify_ok_unstamped", lang), style="bold green")
    else:
        console.print(render("verify_fail", lang, n=len(report.errors)), style="bold red")


@ledger_app.command("verify")
def ledger_verify(
    key: Annotated[str | None, typer.Option(
        "--key", help="Expected agency key fingerprint (sha256:…).")] = None,
    db: DbOpt = None,
    lang: LangOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Periksa seluruh rantai buku besar / check the whole ledger chain and its heads."""
    from netral.evidence.ledger import Ledger

    lang = cli_lang(lang)
    with _session(db, lang) as s:
        report = Ledger(s).verify(trusted_key=key)
    if as_json:
        _print_json(report.to_dict(lang))
    else:
        if report.problems:
            console.print(_problem_table(report, lang))
        if report.ok:
            console.print(render("ledger_ok", lang, entries=report.facts.get("entries", 0),
                                 heads=report.facts.get("heads", 0),
                                 stamped=report.facts.get("heads_timestamped", 0)),
                          style="bold green", highlight=False)
        else:
            console.print(render("ledger_fail", lang, n=len(report.errors)), style="bold red")
    raise typer.Exit(0 if report.ok else 1)


@evidence_app.command("timestamp")
def timestamp(
    tsa_url: TsaUrlOpt = None,
    tsa_ca: TsaCaOpt = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Make a new head even if the tip already has one.")] = False,
    db: DbOpt = None,
    lang: LangOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Tanda tangani dan beri cap waktu kepala rantai / sign and timestamp the chain head."""
    from netral.evidence.heads import EmptyLedger, make_head
    from netral.evidence.tsa import TSAError
    from netral.store.audit import record

    lang = cli_lang(lang)
    key = _key(lang)
    tsa = _tsa(tsa_url, tsa_ca, lang)
    with _session(db, lang) as s:
        try:
            head = make_head(s, key, tsa, reuse=not force)
        except EmptyLedger:
            raise _fail("empty_ledger", lang, 1) from None
        except TSAError as exc:
            s.rollback()
            raise _fail("tsa_failed", lang, 1, detail=str(exc)) from None
        record(s, "evidence.head", actor="cli", object_type="ledger", object_id=head.seq,
               details={"entry_hash": head.entry_hash, "timestamped": head.tsr is not None})
        s.commit()
        out = {"seq": head.seq, "entry_hash": head.entry_hash, "key": head.key_fingerprint,
               "timestamped": head.tsr is not None, "tsa_url": head.tsa_url,
               "tsa_time": head.tsa_gen_time.isoformat() if head.tsa_gen_time else None}
    if as_json:
        _print_json(out)
        return
    stamped = (render("timestamp_stamped", lang, tsa=out["tsa_url"], time=out["tsa_time"])
               if out["timestamped"] else "")
    console.print(render("timestamp_done", lang, seq=out["seq"], stamped=stamped),
                  highlight=False)
    if tsa is None:
        console.print(render("no_tsa", lang), style="yellow")


@evidence_app.command("check-store")
def check_store_cmd(
    fix: Annotated[bool, typer.Option(
        "--fix", help="Hapus berkas sementara dan berkas tanpa rekaman / remove stale temporary "
                      "and unreferenced files.")] = False,
    db: DbOpt = None,
    lang: LangOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Periksa penyimpanan bukti terhadap buku besar / check the evidence store against the
    ledger. Exit 0 clean (or cleaned), 1 problems left (missing files, or found without --fix)."""
    from netral.evidence.storecheck import check_store

    lang = cli_lang(lang)
    with _session(db, lang) as s:
        report = check_store(s, _store(), fix=fix)
    left = bool(report.missing) or (not fix and not report.clean)
    if as_json:
        _print_json(report.to_dict())
        raise typer.Exit(1 if left else 0)
    if report.clean:
        console.print(render("store_clean", lang, objects=report.objects), highlight=False)
        return
    console.print(render("store_report", lang, objects=report.objects,
                         stale=len(report.stale_temp), unreferenced=len(report.unreferenced),
                         missing=len(report.missing)), highlight=False)
    for sha in report.missing[:50]:
        err.print(render("store_missing", lang, sha=sha), highlight=False)
    if fix:
        console.print(render("store_fixed", lang, removed=report.removed,
                             bytes=report.removed_bytes), highlight=False)
    else:
        console.print(render("store_fix_hint", lang), highlight=False)
    raise typer.Exit(1 if left else 0)


@evidence_app.command("purge")
def purge(
    apply: Annotated[bool, typer.Option(
        "--apply", help="Really delete (default: dry run, counts only).")] = False,
    db: DbOpt = None,
    lang: LangOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Hapus berkas bukti milik butir yang sudah dihapus oleh retensi / remove evidence files
    of items removed by retention (`netral purge`); the ledger keeps its hashes."""
    from netral.evidence.retention import release_purged

    lang = cli_lang(lang)
    with _session(db, lang) as s:
        report = release_purged(s, _store(), dry_run=not apply, actor="cli")
        s.commit()
    if as_json:
        _print_json(report.to_dict())
        return
    key = "purge_done" if apply else "purge_dry"
    console.print(render(key, lang, captures=report.captures, blobs=report.blobs,
                         bytes=report.bytes), highlight=False)
