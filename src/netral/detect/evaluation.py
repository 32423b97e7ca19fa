"""Evaluate the detector on a labelled JSONL set (``text``, ``label``; optional ``id``,
``kind``, ``date``/``created_at``, ``hard_negative``, ``split`` and any grouping field such as
``type`` or ``source``). ``tinjau`` predictions count as positive: a text sent to review is a
flag a person has to look at.

A withheld row is never evaluated, whatever ``--split`` asks: one whose ``split`` is
``withheld``, or whose id a ``withheld.jsonl`` beside the file lists (the real corpus' rows whose
text overlaps a reserved dataset, data/corpus/withheld.jsonl: a corpus.jsonl rebuilt before the
list still cannot count them)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from netral.detect import withheld
from netral.detect.detector import get_detector
from netral.detect.request import Request

LABELS = ("kampanye", "netral")


class EvalError(ValueError):
    pass


@dataclass
class EvalReport:
    items: list[dict[str, Any]] = field(default_factory=list)
    confusion: dict[str, dict[str, int]] = field(
        default_factory=lambda: {lab: defaultdict(int) for lab in LABELS}
    )

    def metrics(self) -> dict[str, Any]:
        tp = sum(1 for i in self.items if i["label"] == "kampanye" and i["positive"])
        fp = sum(1 for i in self.items if i["label"] == "netral" and i["positive"])
        fn = sum(1 for i in self.items if i["label"] == "kampanye" and not i["positive"])
        tn = sum(1 for i in self.items if i["label"] == "netral" and not i["positive"])
        return _figures(tp, fp, fn, tn, self.items)

    def breakdown(self, field: str) -> dict[str, dict[str, Any]]:
        """The same figures per value of ``field`` (e.g. type, source, election)."""
        groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for i in self.items:
            groups[str(i["fields"].get(field))].append(i)
        out = {}
        for key in sorted(groups):
            sub = EvalReport(items=groups[key])
            out[key] = sub.metrics()
        return out

    def worst(self, n: int) -> list[dict[str, Any]]:
        wrong = [i for i in self.items if (i["label"] == "kampanye") != i["positive"]]
        wrong.sort(key=lambda i: -abs(i["score"] - 0.5))
        return wrong[:n]


def _figures(tp: int, fp: int, fn: int, tn: int, items: list[dict[str, Any]]) -> dict[str, Any]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    hard = [i for i in items if i.get("hard_negative")]
    hard_ok = sum(1 for i in hard if not i["positive"])
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "accuracy": round((tp + tn) / len(items), 4) if items else 0.0,
        "n": len(items),
        "tp": tp, "fp": fp, "fn": fn, "tn": tn,
        # share of hard negatives left unflagged (1 - their false-positive rate)
        "hard_negative_precision": round(hard_ok / len(hard), 4) if hard else None,
        "hard_negatives": len(hard),
        # share of netral texts flagged (kampanye or tinjau): what a user sees as false alarms
        "false_alarm_rate": round(fp / (fp + tn), 4) if fp + tn else None,
    }


def load_labelled(path: Path) -> list[dict[str, Any]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise EvalError(f"{path}: {exc.strerror}") from None
    rows = []
    for lineno, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise EvalError(f"{path}:{lineno}: malformed JSON ({exc.msg})") from None
        if not isinstance(obj, dict) or "text" not in obj or obj.get("label") not in LABELS:
            raise EvalError(f"{path}:{lineno}: needs 'text' and 'label' in {LABELS}")
        obj.setdefault("id", lineno)
        rows.append(obj)
    if not rows:
        raise EvalError(f"{path}: no labelled rows")
    return rows


def select_rows(path: Path, split: str | None = None) -> list[dict[str, Any]]:
    """The labelled rows of ``path`` that are evaluated: never a withheld one, and only those of
    ``split`` when it is given."""
    held = withheld.read_ids(path.parent / withheld.FILE)
    rows = [r for r in load_labelled(path) if r.get("split") != withheld.SPLIT and r["id"] not in held]
    if split is not None:
        rows = [r for r in rows if r.get("split") == split]
        if not rows:
            raise EvalError(f"{path}: no rows with split {split!r}")
    elif not rows:
        raise EvalError(f"{path}: every labelled row is withheld")
    return rows


def evaluate_file(path: Path, packs: tuple[str, ...] | None = None,
                  use_model: bool = True, split: str | None = None) -> EvalReport:
    rows = select_rows(path, split)
    return evaluate_rows(rows, packs=packs, use_model=use_model, where=str(path))


def evaluate_rows(rows: list[dict[str, Any]], packs: tuple[str, ...] | None = None,
                  use_model: bool = True, where: str = "rows") -> EvalReport:
    det = get_detector(packs)
    results = det.judge_many([Request(r["text"], r.get("kind") or "post",
                                      r.get("created_at") or r.get("date")) for r in rows],
                             use_model=use_model)
    report = EvalReport()
    for row, res in zip(rows, results, strict=True):
        if isinstance(res, Exception):
            raise EvalError(f"{where}: item {row['id']}: {res}")
        verdict = str(res.verdict)
        report.confusion[row["label"]][verdict] += 1
        report.items.append({
            "id": row["id"], "text": row["text"], "label": row["label"], "verdict": verdict,
            "score": res.score, "model_score": res.model_score, "positive": verdict != "netral",
            "hard_negative": bool(row.get("hard_negative")), "group": row.get("group"),
            "fields": {k: v for k, v in row.items() if k not in ("text",)},
        })
    return report
