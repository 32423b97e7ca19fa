"""Quality figures of the shipped detector on the real corpus, as Markdown tables.

Usage:
    .venv/bin/python tools/corpus/report.py [--corpus data/corpus/corpus.jsonl] [--split dev]

Prints, for the split (dev by default: sources never trained on): precision, recall, F1 and
false alarms for flags (kampanye or tinjau) and for kampanye alone; the same per text type,
per source and per election, and for hard negatives; and reliability tables of the model's
probability and of the final score (does p = 0.7 mean seven in ten are campaign content?).
The figures in the README and the model card are this script's output. The counting is
``netral.detect.evaluation``'s, the same as ``netral eval``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from texts import read_corpus  # noqa: E402

from netral.detect.evaluation import EvalReport, evaluate_file  # noqa: E402

HEAD = ["| set | n | precision | recall | F1 | false alarms |", "|---|---|---|---|---|---|"]


def row(name: str, m: dict[str, Any]) -> str:
    # from the counts, not the rounded rates: no rounding twice
    tp, fp, fn, tn = m["tp"], m["fp"], m["fn"], m["tn"]
    fa_s = f"{fp / (fp + tn):.1%}" if fp + tn else "–"
    if tp + fn == 0:  # no campaign text in the group: only false alarms mean anything
        return f"| {name} | {m['n']} | – | – | – | {fa_s} |"
    pr = tp / (tp + fp) if tp + fp else 0.0
    rc = tp / (tp + fn)
    f1 = 2 * pr * rc / (pr + rc) if pr + rc else 0.0
    return f"| {name} | {m['n']} | {pr:.3f} | {rc:.3f} | {f1:.3f} | {fa_s} |"


def reliability(title: str, items: list[dict[str, Any]], key: str) -> list[str]:
    out = [f"\n{title}\n", "| p | n | share kampanye |", "|---|---|---|"]
    for k in range(10):
        lo, hi = k / 10, (k + 1) / 10
        sel = [i["label"] == "kampanye" for i in items
               if lo <= i[key] < hi or (k == 9 and i[key] == 1.0)]
        if sel:
            out.append(f"| {lo:.1f}–{hi:.1f} | {len(sel)} | {sum(sel) / len(sel):.2f} |")
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=ROOT / "data" / "corpus" / "corpus.jsonl")
    ap.add_argument("--split", default="dev")
    args = ap.parse_args()
    read_corpus(args.corpus)  # a clear message, not a traceback, when it was not rebuilt
    rep = evaluate_file(args.corpus, split=args.split)
    kampanye_only = EvalReport(items=[{**i, "positive": i["verdict"] == "kampanye"}
                                      for i in rep.items])
    hard = EvalReport(items=[i for i in rep.items if i["hard_negative"]])
    sources = {i["fields"].get("source") for i in rep.items}
    print(f"### {args.split} split: {len(rep.items)} texts from {len(sources)} sources\n")
    print("\n".join(HEAD))
    print(row("all, flag (kampanye or tinjau)", rep.metrics()))
    print(row("all, kampanye only", kampanye_only.metrics()))
    print(row("hard negatives (netral with election words)", hard.metrics()))
    for key in ("type", "source", "election"):
        print(f"\nper {key} (flag)\n")
        print("\n".join(HEAD))
        for name, m in rep.breakdown(key).items():
            print(row(name, m))
    print("\n".join(reliability("reliability of the model's probability (model_score)",
                                rep.items, "model_score")))
    print("\n".join(reliability("reliability of the final score", rep.items, "score")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
