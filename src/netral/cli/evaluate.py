"""`netral eval`: precision/recall/F1 of the detector on a labelled JSONL set."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from netral.cli._common import console, fail
from netral.detect.evaluation import EvalError, evaluate_file


def register(app: typer.Typer) -> None:
    @app.command("eval")
    def eval_cmd(
        src: Path = typer.Argument(..., help="JSONL dengan 'text' dan 'label' (kampanye|netral)."),
        pack: str = typer.Option(None, "--pack", help="Paket, dipisah koma (default: semua)."),
        worst: int = typer.Option(10, "--worst", help="Jumlah kesalahan terburuk yang ditampilkan."),
        as_json: bool = typer.Option(False, "--json", help="Cetak metrik sebagai JSON."),
        rules_only: bool = typer.Option(False, "--rules-only", help="Tanpa model statistik."),
        split: str = typer.Option(None, "--split",
                                  help="Hanya baris dengan 'split' ini (mis. dev) / only this split."),
        by: str = typer.Option(None, "--by", help="Rincian per kolom, dipisah koma (mis. type,source)."),
    ) -> None:
        """Ukur presisi, recall dan F1 / measure precision, recall and F1."""
        packs = tuple(p.strip() for p in pack.split(",")) if pack else None
        try:
            report = evaluate_file(src, packs=packs, use_model=not rules_only, split=split)
        except EvalError as exc:
            fail(str(exc))
        fields = [f.strip() for f in by.split(",") if f.strip()] if by else []
        if as_json:
            out = report.metrics()
            for f in fields:
                out[f"by_{f}"] = report.breakdown(f)
            print(json.dumps(out, indent=2))
            return
        m = report.metrics()
        t = Table(title=f"Evaluasi {src.name} (n={m['n']})")
        t.add_column("metrik")
        t.add_column("nilai", justify="right")
        for key in ("precision", "recall", "f1", "accuracy", "hard_negative_precision",
                    "false_alarm_rate"):
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
        for f in fields:
            bt = Table(title=f"Per {f}")
            for col in (f, "n", "precision", "recall", "f1", "false alarms"):
                bt.add_column(col, justify="left" if col == f else "right")
            for key, fm in report.breakdown(f).items():
                fa = fm["false_alarm_rate"]
                bt.add_row(key, str(fm["n"]), f"{fm['precision']:.3f}", f"{fm['recall']:.3f}",
                           f"{fm['f1']:.3f}", "-" if fa is None else f"{fa:.1%}")
            console.print(bt)
        errs = report.worst(worst)
        if errs:
            w = Table(title="Kesalahan terburuk / worst errors", show_lines=True)
            for col in ("id", "label", "prediksi", "skor", "teks"):
                w.add_column(col, overflow="fold")
            for e in errs:
                w.add_row(str(e["id"]), e["label"], e["verdict"], f"{e['score']:.2f}", e["text"])
            console.print(w)
