"""`make demo`: a tour of netral on bundled sample data, as the commands a user would type."""

from __future__ import annotations

import shlex
import subprocess
import sys
from importlib import resources
from importlib.util import find_spec

from rich.console import Console
from rich.rule import Rule
from rich.text import Text

from netral.config import get_settings
from netral.demo.corpus import samples

console = Console(markup=False, highlight=False)  # commands and paths are shown as they are
OUT = get_settings().demo_dir  # NETRAL_DEMO_DIR


def run(*args: str, ok: tuple[int, ...] = (0, 1)) -> int:
    cmd = ["netral", *args]
    console.print(f"\n$ {shlex.join(cmd)}", style="bold cyan")
    proc = subprocess.run([sys.executable, "-m", "netral.cli", *args], check=False)
    if proc.returncode not in ok:
        console.print(f"perintah gagal (status {proc.returncode})", style="red")
        raise SystemExit(proc.returncode)
    return proc.returncode


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    console.print(Rule(Text("netral — demo", style="bold")))
    console.print("1. Memeriksa draf unggahan sebelum diunggah (pre-post check)")
    for text, options in samples().tour_checks:
        run("check", text, *options)

    console.print(Rule("2. Memindai banyak unggahan (scan)"))
    sample = OUT / "contoh-unggahan.jsonl"
    sample.write_bytes(resources.files("netral.data").joinpath("demo_posts.jsonl").read_bytes())
    run("scan", str(sample), "-o", str(OUT / "hasil-scan.jsonl"), "--quiet")

    if find_spec("netral.audit") is not None:
        console.print(Rule("3. Audit jejak digital dari unduhan data pribadi (self-audit)"))
        export = OUT / "ekspor-contoh"
        run("demo-export", str(export))
        run("audit", str(export), "-o", str(OUT / "laporan-jejak-digital.html"))

    if find_spec("netral.web") is not None and find_spec("netral.demo.seed") is not None:
        console.print(Rule("4. Data contoh instansi untuk aplikasi web"))
        db = (OUT / "netral-demo.db").resolve()
        db.unlink(missing_ok=True)
        run("demo-seed", "--db", f"sqlite:///{db}", ok=(0,))
        from netral.evidence.settings import evidence_settings

        if not evidence_settings().key_path.exists():  # evidence bundles from the web need a signing key
            run("evidence", "keygen", ok=(0,))
        console.print(
            "\nJalankan aplikasi web / start the web app:  make serve"
            f"  (= .venv/bin/netral serve --db sqlite:///{db})\n"
            "  lalu buka http://127.0.0.1:8000 — akun demo: admin / admin-demo-2024, "
            "supervisor / supervisor-demo-2024, reviewer / reviewer-demo-2024, "
            "auditor / auditor-demo-2024"
        )
    console.print(Rule(Text("selesai", style="green")))
    console.print(f"Semua keluaran demo ada di: {OUT.resolve()}")

