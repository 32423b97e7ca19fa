"""`netral eval`: precision/recall/F1 of the detector on a labelled JSONL set."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from netral.cli._common import console, fail
from netral.evaluation import EvalError, evaluate_file


def register(app: typer.Typer) -> None:
    @app.command("eval")
    def eval_cmd(
        src: Path = typer.Argument(..., help="JSONL dengan 'text' dan 'label' (kampanye|netral)."),
        pack: str = typer.Option(None, "--pack", help="Paket, dipisah koma (default: semua)."),
        worst: int = typer.Option(10, "--worst", help="Jumlah kesalahan terburuk yang ditampilkan."),
        as_json: bool = typer.Option(False, "--json", help="Cetak metrik sebagai JSON."),
        rules_only: bool = typer.Option(False, "--rules-only", help="Tanpa model statistik."),
    ) -> None:
        """Ukur presisi, recall dan F1 / measure precision, recall and F1."""
        packs = tuple(p.strip() for p in pack.split(",")) if pack else None
        try:
            report = evaluate_file(src, packs=packs, use_model=not rules_only)
        except EvalError as exc:
            fail(str(exc))
        if as_json:
            print(json.dumps(report.metrics(), indent=2))
            return
        m = report.metrics()
        t = Table(title=f"Evaluasi {src.name} (n={m['n']})")
        t.add_column("metrik")
        t.add_column("nilai", justify="right")
        for key in ("precision", "recall", "f1", "accuracy", "hard_negative_precision"):
            if m.get(key) is not None:
                t.add_row(key, f"{m[key]:.4f}")
        console.print(t)
        cm = Table(title="Confusion matrix (tinjau = positif)")
        cm.add_column("label \\ prediksi")
        for v in ("kampanye", "tinjau", "netral"):
            cm.add_column(v, justify="right")
        for label in ("kampanye", "netral"):
            cm.add_row(label, *[str(report.confusion[label][v]) for v in
                                ("kampanye", "tinjau", "netral")])
        console.print(cm)
        errs = report.worst(worst)
        if errs:
            w = Table(title="Kesalahan terburuk / worst errors", show_lines=True)
            for col in ("id", "label", "prediksi", "skor", "teks"):
                w.add_column(col, overflow="fold")
            for e in errs:
                w.add_row(str(e["id"]), e["label"], e["verdict"], f"{e['score']:.2f}", e["text"])
            console.print(w)
