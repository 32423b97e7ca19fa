"""Quality figures of the shipped detector on the real corpus, as Markdown tables.

Usage:
    .venv/bin/python tools/corpus/report.py [--corpus data/corpus/corpus.jsonl] [--split dev]

Prints, for the split (dev by default: sources never trained on): precision, recall, F1 and
false alarms for flags (kampanye or tinjau) and for kampanye alone; the same per text type,
per source and for hard negatives; and reliability tables of the model's probability and of
the final score (does p = 0.7 mean seven in ten are campaign content?). The figures in the
README and the model card are this script's output.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

import netral  # noqa: E402


def figures(pairs: list[tuple[bool, bool]]) -> tuple[int, float, float, float, float | None]:
    tp = sum(1 for y, p in pairs if y and p)
    fp = sum(1 for y, p in pairs if not y and p)
    fn = sum(1 for y, p in pairs if y and not p)
    tn = sum(1 for y, p in pairs if not y and not p)
    pr = tp / (tp + fp) if tp + fp else 0.0
    rc = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * pr * rc / (pr + rc) if pr + rc else 0.0
    fa = fp / (fp + tn) if fp + tn else None
    return len(pairs), pr, rc, f1, fa


def row(name: str, pairs: list[tuple[bool, bool]]) -> str:
    n, pr, rc, f1, fa = figures(pairs)
    fa_s = "–" if fa is None else f"{fa:.1%}"
    if not any(y for y, _ in pairs):
        return f"| {name} | {n} | – | – | – | {fa_s} |"
    return f"| {name} | {n} | {pr:.3f} | {rc:.3f} | {f1:.3f} | {fa_s} |"


def reliability(title: str, ys: list[bool], ps: list[float]) -> list[str]:
    out = [f"\n{title}\n", "| p | n | share kampanye |", "|---|---|---|"]
    for k in range(10):
        lo, hi = k / 10, (k + 1) / 10
        sel = [y for y, p in zip(ys, ps, strict=True) if lo <= p < hi or (k == 9 and p == 1.0)]
        if sel:
            out.append(f"| {lo:.1f}–{hi:.1f} | {len(sel)} | {sum(sel) / len(sel):.2f} |")
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=ROOT / "data" / "corpus" / "corpus.jsonl")
    ap.add_argument("--split", default="dev")
    args = ap.parse_args()
    rows = [orjson.loads(x) for x in args.corpus.read_bytes().splitlines() if x.strip()]
    rows = [r for r in rows if r["split"] == args.split]
    det = netral.get_detector()
    results = det.check_batch([(r["text"], "post", r.get("date")) for r in rows])
    ys = [r["label"] == "kampanye" for r in rows]
    flag = [str(x.verdict) != "netral" for x in results]
    kamp = [str(x.verdict) == "kampanye" for x in results]
    head = ["| set | n | precision | recall | F1 | false alarms |", "|---|---|---|---|---|---|"]
    print(f"### {args.split} split: {len(rows)} texts from {len({r['source'] for r in rows})} sources\n")
    print("\n".join(head))
    print(row("all, flag (kampanye or tinjau)", list(zip(ys, flag, strict=True))))
    print(row("all, kampanye only", list(zip(ys, kamp, strict=True))))
    hard = [(y, p) for r, y, p in zip(rows, ys, flag, strict=True) if r.get("hard_negative")]
    print(row("hard negatives (netral with election words)", hard))
    for key in ("type", "source", "election"):
        groups: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
        for r, y, p in zip(rows, ys, flag, strict=True):
            groups[str(r.get(key))].append((y, p))
        print(f"\nper {key} (flag)\n")
        print("\n".join(head))
        for k in sorted(groups):
            print(row(k, groups[k]))
    print(
        "\n".join(
            reliability(
                "reliability of the model's probability (model_score)", ys, [x.model_score for x in results]
            )
        )
    )
    print("\n".join(reliability("reliability of the final score", ys, [x.score for x in results])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
