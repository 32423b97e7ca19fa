"""Quality gate on the labelled development set (data/eval/dev.jsonl, never trained on)."""

from pathlib import Path

import orjson

from netral.detect.evaluation import evaluate_file

DEV = Path(__file__).resolve().parents[2] / "data" / "eval" / "dev.jsonl"


def test_dev_set_f1_and_hard_negative_precision() -> None:
    m = evaluate_file(DEV).metrics()
    assert m["n"] >= 600
    assert m["f1"] >= 0.90, m
    assert m["hard_negative_precision"] >= 0.95, m


def test_training_rows_never_appear_in_dev_set() -> None:
    from netral.detect.model import training_rows

    def key(t: str) -> str:
        return " ".join(t.casefold().split())

    train = {key(t) for t, _ in training_rows()}
    dev = [key(orjson.loads(line)["text"]) for line in DEV.read_bytes().splitlines() if line.strip()]
    assert train and dev and not any(d in train for d in dev)
