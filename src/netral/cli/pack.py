"""`netral pack`: list, show, import and validate election knowledge packs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer
from rich.table import Table

from netral.cli._common import console, fail, styled
from netral.packs import PackError, available_packs, load_pack, load_pack_dir, user_packs_dir
from netral.packs.csvimport import CsvPackError, build_pack, read_entities_csv, write_pack


def _date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option}: '{value}' bukan tanggal YYYY-MM-DD / not a YYYY-MM-DD date")


def register(app: typer.Typer) -> None:
    pack_app = typer.Typer(help="Paket pengetahuan pemilu / election knowledge packs.",
                           no_args_is_help=True)
    app.add_typer(pack_app, name="pack")

    @pack_app.command("list")
    def list_cmd() -> None:
        """Daftar paket yang aktif / list available packs."""
        t = Table(title="Paket pengetahuan")
        for col in ("nama", "versi", "judul", "pemungutan", "kampanye", "entitas", "lokasi"):
            t.add_column(col, no_wrap=col in ("nama", "versi"), overflow="fold")
        for name, path in available_packs().items():
            try:
                p = load_pack(name)
            except PackError as exc:
                t.add_row(name, "-", styled((str(exc), "red")), "", "", "", str(path))
                continue
            camp = ", ".join(f"{c.start}–{c.end}" for c in p.campaign_periods if c.kind == "kampanye")
            t.add_row(p.name, p.version, p.title, str(p.election_date), camp,
                      str(len(p.entities)), "paket bawaan" if "site-packages" in str(path)
                      or "src/netral" in str(path) else str(path))
        console.print(t)

    @pack_app.command("show")
    def show_cmd(name: str) -> None:
        """Tampilkan isi satu paket / show one pack."""
        try:
            p = load_pack(name)
        except PackError as exc:
            fail(str(exc))
        console.print(styled((p.title, "bold"),
                             f" ({p.name} v{p.version}) — pemungutan {p.election_date}"))
        for c in p.campaign_periods:
            console.print(f"  {c.kind}: {c.label} {c.start} – {c.end}")
        t = Table(show_lines=True)
        for col in ("id", "no", "nama", "nama jelas", "nama samar", "slogan/tagar"):
            t.add_column(col, overflow="fold", no_wrap=col == "id")
        for e in p.entities:
            tags = ", ".join([*e.slogans, *e.weak_slogans] + [f"#{h}" for h in
                                                               [*e.hashtags, *e.weak_hashtags]])
            t.add_row(e.id, "" if e.number is None else str(e.number), e.label,
                      ", ".join(e.names), ", ".join(e.weak), tags)
        console.print(t)

    @pack_app.command("validate")
    def validate_cmd(path: Path) -> None:
        """Periksa berkas paket (pack.yaml, folder, atau CSV) / validate a pack file."""
        try:
            if path.is_dir():
                p = load_pack_dir(path)
                console.print(styled(("OK", "green"), f" {p.name} v{p.version}: {len(p.entities)} entitas"))
            elif path.suffix.lower() == ".csv":
                ents = read_entities_csv(path)
                console.print(styled(("OK", "green"), f" {path}: {len(ents)} entitas"))
            else:
                p = load_pack_dir(path.parent) if path.name == "pack.yaml" else None
                if p is None:
                    fail(f"{path}: berikan folder paket, pack.yaml, atau CSV")
                console.print(styled(("OK", "green"), f" {p.name} v{p.version}: {len(p.entities)} entitas"))
        except CsvPackError as exc:
            for problem in exc.problems:
                console.print(styled(("✗", "red"), f" {problem}"))
            raise typer.Exit(1) from None
        except PackError as exc:
            console.print(styled(("✗", "red"), f" {exc}"))
            raise typer.Exit(1) from None

    @pack_app.command("import")
    def import_cmd(
        csv_path: Path = typer.Argument(..., help="CSV entitas (lihat packs/README.md)."),
        name: str = typer.Option(..., "--name", help="Nama paket, mis. pilkada-2029-jabar."),
        title: str = typer.Option(..., "--title", help="Judul pemilihan."),
        election_date: str = typer.Option(..., "--election-date", help="YYYY-MM-DD"),
        campaign_start: str = typer.Option(None, "--campaign-start", help="YYYY-MM-DD"),
        campaign_end: str = typer.Option(None, "--campaign-end", help="YYYY-MM-DD"),
        election: str = typer.Option("pilkada", "--election", help="pemilu|pilkada|lainnya"),
        version: str = typer.Option("1", "--version"),
        dest: Path = typer.Option(None, "--dest", help="Folder tujuan (default: data pengguna)."),
    ) -> None:
        """Buat paket baru dari CSV tanpa mengubah kode / build a pack from a CSV."""
        campaign = None
        if campaign_start or campaign_end:
            if not (campaign_start and campaign_end):
                fail("--campaign-start dan --campaign-end harus diisi keduanya")
            campaign = (_date(campaign_start, "--campaign-start"),
                        _date(campaign_end, "--campaign-end"))
        try:
            pack = build_pack(csv_path, name=name, title=title,
                              election_date=_date(election_date, "--election-date"),
                              campaign=campaign, election=election, version=version)
        except CsvPackError as exc:
            for problem in exc.problems:
                console.print(styled(("✗", "red"), f" {problem}"))
            raise typer.Exit(1) from None
        target = (dest or user_packs_dir()) / pack.name
        written = write_pack(pack, target)
        console.print(styled(("OK", "green"),
                             f" paket {pack.name}: {len(pack.entities)} entitas → {written}"))
