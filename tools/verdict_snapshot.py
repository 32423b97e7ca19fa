"""Prove that a speed change changed no verdict: judge a fixed set of texts and write every
result's verdict, scores, reasons and mitigations, then compare two such snapshots exactly.

    python tools/verdict_snapshot.py dump before.jsonl          # on the code before the change
    python tools/verdict_snapshot.py dump after.jsonl           # on the code after it
    python tools/verdict_snapshot.py compare before.jsonl after.jsonl

The texts: the hand-written set (``data/eval/dev.jsonl``, tracked), the synthetic training set
(``src/netral/detect/data/train.jsonl``, tracked) and, where it was rebuilt, the real corpus's
training split (``data/corpus/real_train.jsonl``; gitignored, so a fresh checkout judges the
tracked sets alone). Never the real corpus's dev split: it is kept for evaluation only. Each
text is judged twice: alone, the way ``netral check`` does it (the text model in Python,
``netral.detect.model_small``, where the code has it), and in batches of 256 (numpy), the way
``scan``/``eval`` do; both must agree with each other (checked here) and with the other
snapshot (``compare``). Snapshot lines hold ids and results, never the texts.
``tests/detect/test_fast_paths.py`` runs the same comparison of the two ways on the
hand-written set.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parents[1]
SETS = (ROOT / "data" / "eval" / "dev.jsonl", ROOT / "src" / "netral" / "detect" / "data" / "train.jsonl",
        ROOT / "data" / "corpus" / "real_train.jsonl")
BATCH = 256


def load_rows(paths: tuple[Path, ...] = SETS) -> list[dict[str, Any]]:
    rows = []
    for path in paths:
        if not path.is_file():
            continue
        for n, line in enumerate(path.read_bytes().splitlines(), 1):
            if line.strip():
                row = orjson.loads(line)
                # the synthetic set has no ids: its line number stands in
                rows.append({"id": f"{path.stem}:{row.get('id', n)}", "text": row["text"],
                             "kind": row.get("kind") or "post",
                             "when": row.get("created_at") or row.get("date")})
    return rows


def digest(res: Any) -> dict[str, Any]:
    """Everything of a Result that a user or a later stage sees, compared exactly."""
    if isinstance(res, Exception):
        return {"error": f"{type(res).__name__}: {res}"}
    d = res.to_dict()
    d.pop("detector_version", None)  # names the pack versions: not a verdict
    return d


def _one_text_model_in_python(det: Any) -> None:
    """Where the model scores a few texts in Python (netral.detect.model_small), keep it doing
    so for every text judged alone, so that path is compared too (a long-lived process
    switches to numpy after a few calls)."""
    try:
        from netral.detect import model_small
    except ImportError:  # code of before the one-text path
        return
    model = det.model
    if isinstance(model, model_small.TextModel):
        model._numpy = None  # loaded again, for batches only
        model_small.WARM_AFTER = 10**9


def judge(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from netral.detect.detector import get_detector
    from netral.detect.request import Request

    det = get_detector()
    _one_text_model_in_python(det)
    reqs = [Request(r["text"], r["kind"], r["when"]) for r in rows]
    batched: list[Any] = []
    for i in range(0, len(reqs), BATCH):
        batched.extend(det.judge_many(reqs[i:i + BATCH]))
    out = []
    for row, req, res in zip(rows, reqs, batched, strict=True):
        alone = det.judge_many([req])[0]
        a, b = digest(alone), digest(res)
        if a != b:
            raise SystemExit(f"{row['id']}: judged alone and in a batch differ:\n{a}\n{b}")
        out.append({"id": row["id"], **a})
    return out


def compare(a_path: Path, b_path: Path) -> list[str]:
    a = [orjson.loads(x) for x in a_path.read_bytes().splitlines() if x.strip()]
    b = [orjson.loads(x) for x in b_path.read_bytes().splitlines() if x.strip()]
    problems = []
    if [x["id"] for x in a] != [x["id"] for x in b]:
        problems.append(f"not the same texts ({len(a)} vs {len(b)})")
        return problems
    for x, y in zip(a, b, strict=True):
        if x != y:
            keys = sorted(k for k in set(x) | set(y) if x.get(k) != y.get(k))
            problems.append(f"{x['id']}: {', '.join(keys)} differ")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out", type=Path)
    c = sub.add_parser("compare")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    args = ap.parse_args(argv)
    if args.cmd == "dump":
        rows = load_rows()
        results = judge(rows)
        args.out.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in results))
        print(f"{len(results)} texts judged alone and in batches (identical); -> {args.out}")
        return 0
    problems = compare(args.a, args.b)
    for p in problems[:50]:
        print(p)
    n = sum(1 for x in args.a.read_bytes().splitlines() if x.strip())
    print(f"{n} texts: {'identical' if not problems else f'{len(problems)} differ'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
