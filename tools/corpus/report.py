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
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from texts import read_corpus  # noqa: E402

from netral.detect.evaluation import EvalReport, evaluate_file  # noqa: E402
from netral.detect.score import TINJAU_AT  # noqa: E402

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


# The failure classes of issue 10, as the corpus's labels name them: the guideline point that
# decides a text (shared/domain/LABELLING.md), its stance and its targets
CLASSES: tuple[tuple[str, Callable[[dict[str, Any]], bool]], ...] = (
    ("netral: news reports and headlines (point 6)", lambda f: f.get("point") == 6),
    ("netral: KPU/Bawaslu information, civic calls (point 7)", lambda f: f.get("point") == 7),
    ("netral: official work of office holders (point 8)", lambda f: f.get("point") == 8),
    ("netral: even-handed talk, questions, jokes (point 9)", lambda f: f.get("point") == 9),
    ("netral: everyday chatter, names dropped (point 11)", lambda f: f.get("point") == 11),
    ("kampanye: explicit calls, support, slogans (point 2)", lambda f: f.get("point") == 2),
    ("kampanye: implicit support or opposition (point 1)", lambda f: f.get("point") == 1),
    ("kampanye: attacks, ridicule, sarcasm (point 3)", lambda f: f.get("point") == 3),
    ("kampanye: campaign tag on other content (point 4)", lambda f: f.get("point") == 4),
    ("kampanye: after voting day (point 5)", lambda f: f.get("point") == 5),
    ("kampanye: comparative (one side praised, another belittled)",
     lambda f: f.get("stance") == "support" and ";" in (f.get("target") or "")),
)


def classes(items: list[dict[str, Any]]) -> list[str]:
    out = ["\nper failure class of issue 10 (flag)\n", *HEAD]
    for name, test in CLASSES:
        sel = [i for i in items if test(i["fields"])]
        if sel:
            out.append(row(name, EvalReport(items=sel).metrics()))
    return out


def loso_report(path: Path) -> int:
    """The same tables from train_combiner.py --dump: every training text scored by a detector
    that never saw its source (leave-one-source-out)."""
    items = []
    for line in path.read_bytes().splitlines():
        d = orjson.loads(line)
        items.append({"label": d["label"], "positive": d["score"] >= TINJAU_AT,
                      "score": d["score"], "model_score": d["model_p"],
                      "hard_negative": bool(d.get("hard_negative")), "fields": d})
    rep = EvalReport(items=items)
    print(f"### leave-one-source-out on the training split: {len(items)} texts\n")
    print("\n".join(HEAD))
    print(row("all, flag (kampanye or tinjau)", rep.metrics()))
    print(row("hard negatives", EvalReport(items=[i for i in items if i["hard_negative"]]).metrics()))
    print("\n".join(classes(items)))
    for key in ("type", "source"):
        print(f"\nper {key} (flag)\n")
        print("\n".join(HEAD))
        for name, m in rep.breakdown(key).items():
            print(row(name, m))
    return 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=ROOT / "data" / "corpus" / "corpus.jsonl")
    ap.add_argument("--split", default="dev")
    ap.add_argument("--loso", type=Path,
                    help="report on train_combiner.py --dump's leave-one-source-out scores instead")
    args = ap.parse_args()
    if args.loso:
        return loso_report(args.loso)
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
    print("\n".join(classes(rep.items)))
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
