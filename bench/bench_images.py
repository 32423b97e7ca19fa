#!/usr/bin/env python3
"""Image benchmark: images/s for OCR, gesture detection, attribute matching and the whole
``check_image`` on this machine, plus the quality figures (OCR word recall, gesture
precision/recall) on the full labelled synthetic set.

    .venv/bin/python bench/bench_images.py [--workers 2] [--json out.json]

The labelled set is rendered by tools/make_image_set.py into a temporary folder.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEXT = ("poster_campaign", "poster_neutral", "landscape", "twibbon", "combo")
BALLOT = {"satu_jari", "dua_jari", "tiga_jari", "metal"}


def _generator():
    spec = importlib.util.spec_from_file_location("make_image_set",
                                                  ROOT / "tools" / "make_image_set.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _norm(s: str) -> str:
    return re.sub(r"[^0-9a-z]", "", s.lower())


def _ocr_one(path: str) -> list[str]:
    from PIL import Image

    from netral.images.ocr import ocr_image

    return [w.text for w in ocr_image(Image.open(path).convert("RGB")).words]


def _gesture_one(path: str) -> list[tuple[str, bool]]:
    from PIL import Image

    from netral.images.gesture import detect_classical

    return [(g.name, g.is_ballot) for g in detect_classical(Image.open(path).convert("RGB"))]


def _run(fn, paths: list[str], workers: int):
    t = time.perf_counter()
    if workers == 1:
        out = [fn(p) for p in paths]
    else:
        with ProcessPoolExecutor(workers) as ex:
            out = list(ex.map(fn, paths, chunksize=2))
    return out, time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json", type=Path, help="also write the figures as JSON")
    a = ap.parse_args(argv)

    from PIL import Image

    from netral.images import attributes as attr
    from netral.images import check_image
    from netral.images.ocr import tesseract_langs

    tmp = Path(tempfile.mkdtemp(prefix="netral-images-"))
    t0 = time.perf_counter()
    rows = _generator().build(tmp)
    gen_s = time.perf_counter() - t0
    text_rows = [r for r in rows if r["category"] in TEXT]
    text_paths = [str(tmp / r["file"]) for r in text_rows]
    all_paths = [str(tmp / r["file"]) for r in rows]
    load = os.getloadavg()[0]
    print(f"{len(rows)} images rendered in {gen_s:.1f}s into {tmp}; tesseract langs "
          f"{','.join(tesseract_langs())}; load average {load:.2f}; {os.cpu_count()} CPUs")

    figures: dict[str, object] = {"images": len(rows), "text_images": len(text_rows)}
    # warm up (imports, Tesseract model files into the page cache)
    _ocr_one(text_paths[0])
    _gesture_one(all_paths[0])

    for workers in sorted({1, a.workers}):
        words, secs = _run(_ocr_one, text_paths, workers)
        figures[f"ocr_images_per_s_{workers}w"] = round(len(text_paths) / secs, 2)
        print(f"OCR      {workers} worker(s): {len(text_paths) / secs:6.2f} images/s "
              f"({secs:.1f}s for {len(text_paths)})")
    exp_total = hit = noise = 0
    for r, got_words in zip(text_rows, words, strict=True):
        got = Counter(_norm(w) for w in got_words if _norm(w))
        exp = Counter(_norm(w) for w in r["words"] if _norm(w))
        hit += sum((got & exp).values())
        exp_total += sum(exp.values())
        noise += sum((got - exp).values())
    figures["ocr_word_recall"] = round(hit / exp_total, 4)
    figures["ocr_extra_words_per_image"] = round(noise / len(text_rows), 3)
    print(f"OCR word recall {hit / exp_total:.3f} ({hit}/{exp_total}); extra words "
          f"{noise / len(text_rows):.2f}/image")

    for workers in sorted({1, a.workers}):
        found, secs = _run(_gesture_one, all_paths, workers)
        figures[f"gesture_images_per_s_{workers}w"] = round(len(all_paths) / secs, 1)
        print(f"Gestures {workers} worker(s): {len(all_paths) / secs:6.1f} images/s "
              f"({secs:.2f}s for {len(all_paths)})")
    tp = fp = fn = 0
    for r, gs in zip(rows, found, strict=True):
        pred = any(b for _, b in gs)
        truth = r["gesture"] in BALLOT
        tp += pred and truth
        fp += pred and not truth
        fn += truth and not pred
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    figures.update(gesture_precision=round(prec, 4), gesture_recall=round(rec, 4),
                   gesture_tp=tp, gesture_fp=fp, gesture_fn=fn)
    print(f"Gesture precision {prec:.3f} recall {rec:.3f} (tp={tp} fp={fp} fn={fn})")

    attr.references()
    t = time.perf_counter()
    for p in all_paths:
        attr.match_references(Image.open(p).convert("RGB"))
    secs = time.perf_counter() - t
    figures["attribute_images_per_s"] = round(len(all_paths) / secs, 1)
    print(f"Attributes 1 worker: {len(all_paths) / secs:6.1f} images/s")

    check_image(all_paths[0])  # loads the detector
    t = time.perf_counter()
    verdicts = [str(check_image(p).verdict) for p in all_paths]
    secs = time.perf_counter() - t
    figures["check_image_images_per_s"] = round(len(all_paths) / secs, 2)
    agree = sum(v == r["expect"] for v, r in zip(verdicts, rows, strict=True))
    figures["verdict_agreement"] = round(agree / len(rows), 4)
    confusion = Counter((r["expect"], v) for v, r in zip(verdicts, rows, strict=True))
    figures["verdict_confusion"] = {f"{e}->{v}": n for (e, v), n in sorted(confusion.items())}
    print(f"check_image 1 worker: {len(all_paths) / secs:6.2f} images/s; verdict agrees with "
          f"the label on {agree}/{len(rows)} images ({agree / len(rows):.1%})")
    for (e, v), n in sorted(confusion.items()):
        print(f"  expected {e:8s} -> {v:8s} {n}")
    figures["load_average_at_start"] = round(load, 2)
    if a.json:
        a.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
