#!/usr/bin/env python3
"""Image benchmark: gestures (landmark model vs the classical fallback, in the same run),
OCR word recall per style, verdicts and images/s.

    .venv/bin/python bench/bench_images.py [--real data/images/real] [--split heldout]
                                           [--per-style 24] [--no-verdicts] [--json out.json]

Sections:

1. **Gestures on real hand photos** (``--real``: the labelled real-photo set,
   ``labels.csv``; ``--split`` ``heldout`` (default), ``tune`` or ``all``): accuracy per
   class for both detectors (adjudicated labels where present) — a number class (one, two,
   three_index, three_thumb, metal, four) is right when a hand with that pose is found, a
   neutral class (fist, thumbs, palm, point, ok, none) when no such pose is found — plus
   "number gestures found" and "neutral hands flagged", and images/s of detection alone
   (pictures decoded beforehand).
2. **Verdicts on real photos**: ``check_image`` (model path, OCR included) against the
   ``expected`` column, per gesture class and for posters.
3. **OCR word recall on real posters** (transcribed ``text`` column) and **per style** on
   texts rendered by tools/make_poster_styles.py (flat, photo, small, rotated, screenshot;
   seed 2024 — the OCR was tuned on seed 7), with images/s.
4. **Real poster/banner photos** (``posters.csv``: campaign and neutral billboards, banners
   and signs photographed in the street): ``check_image`` verdict per expected class; the
   human transcription (``text``) and the OCR text each run through the text detector;
   and "posters right where the text is judged right" — ``check_image`` right among the
   posters whose transcription the text detector judges right, which separates picture
   failures (OCR) from text-detector failures.
5. Attribute matching and whole ``check_image`` throughput on the synthetic set of
   tools/make_image_set.py.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NUMBER = {"one": "satu_jari", "two": "dua_jari", "three_index": "tiga_jari",
          "three_thumb": "tiga_jari", "metal": "metal", "four": "empat_jari"}
# poses that make a picture tinjau on their own (four fingers: salam 4 jari)
BALLOT = {"satu_jari", "dua_jari", "tiga_jari", "metal", "empat_jari"}
CLASS_ORDER = ["one", "two", "three_index", "three_thumb", "metal", "four", "fist", "thumbs",
               "palm", "point", "ok", "none"]


def _tool(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(ROOT / "tools"))
    spec.loader.exec_module(mod)
    return mod


def _norm(s: str) -> str:
    return re.sub(r"[^0-9a-z]", "", s.lower())


def _recall(got_words, exp_words) -> tuple[int, int, int]:
    got = Counter(_norm(w) for w in got_words if _norm(w))
    exp = Counter(_norm(w) for w in exp_words if _norm(w))
    return sum((got & exp).values()), sum(exp.values()), sum((got - exp).values())


def _rows(real: Path, split: str) -> list[dict]:
    """Rows of the split; the adjudicated labels (``final_gesture``, ``final_expected``)
    replace the first pass where the file has them."""
    rows = list(csv.DictReader((real / "labels.csv").open(encoding="utf-8")))
    for r in rows:
        r["gesture"] = r.get("final_gesture") or r["gesture"]
        r["expected"] = r.get("final_expected") or r["expected"]
    return [r for r in rows if split == "all" or r["split"] == split]


def bench_gestures(real: Path, rows: list[dict], figures: dict) -> None:
    from netral.images.gesture import detect_classical, detect_landmarks
    from netral.images.hand_model import get_model
    from netral.images.load import load_image

    hands = [r for r in rows if r["kind"] == "hand"]
    if not hands:
        print("no hand photos in this split")
        return
    frames = [load_image(str(real / r["file"])).frames[0] for r in hands]
    model = get_model()
    detect_landmarks(frames[0], model=model)  # warm up
    out: dict[str, dict] = {}
    for method, fn in (("landmark", lambda im: detect_landmarks(im, model=model)),
                       ("classical", detect_classical)):
        t = time.perf_counter()
        found = [fn(im) for im in frames]
        secs = time.perf_counter() - t
        per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for r, gs in zip(hands, found, strict=True):
            ballot = {g.name for g in gs if g.name in BALLOT}
            want = NUMBER.get(r["gesture"])
            ok = want in ballot if want else not ballot
            per[r["gesture"]][0] += ok
            per[r["gesture"]][1] += 1
        num = [per[k] for k in per if k in NUMBER]
        neu = [per[k] for k in per if k not in NUMBER]
        found_n, found_d = sum(a for a, _ in num), sum(b for _, b in num)
        flag_n, flag_d = sum(b - a for a, b in neu), sum(b for _, b in neu)
        out[method] = {
            "per_class": {k: f"{per[k][0]}/{per[k][1]}" for k in CLASS_ORDER if k in per},
            "number_found": round(found_n / found_d, 4) if found_d else None,
            "number_found_n": f"{found_n}/{found_d}",
            "neutral_flagged": round(flag_n / flag_d, 4) if flag_d else None,
            "neutral_flagged_n": f"{flag_n}/{flag_d}",
            "accuracy": round(sum(a for a, _ in per.values()) / len(hands), 4),
            "images_per_s": round(len(frames) / secs, 2),
        }
    figures["gestures"] = out
    print(f"\nGestures on {len(hands)} real hand photos (accuracy per class; same run)")
    print(f"{'class':13s} {'landmark':>10s} {'classical':>10s}")
    for k in CLASS_ORDER:
        if k in out["landmark"]["per_class"]:
            print(f"{k:13s} {out['landmark']['per_class'][k]:>10s} {out['classical']['per_class'][k]:>10s}")
    for key, label in (("number_found_n", "number gestures found"),
                       ("neutral_flagged_n", "neutral hands flagged"), ("accuracy", "accuracy"),
                       ("images_per_s", "images/s")):
        print(f"{label:22s} {out['landmark'][key]!s:>10s} {out['classical'][key]!s:>10s}")


def bench_verdicts(real: Path, rows: list[dict], figures: dict) -> None:
    from netral.images import check_image

    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    confusion: Counter = Counter()
    t = time.perf_counter()
    methods = Counter()
    for r in rows:
        res = check_image(str(real / r["file"]))
        methods[res.gesture_method] += 1
        key = r["gesture"] if r["kind"] == "hand" else f"poster:{r['expected']}"
        per[key][0] += str(res.verdict) == r["expected"]
        per[key][1] += 1
        confusion[(r["kind"], r["expected"], str(res.verdict))] += 1
    secs = time.perf_counter() - t
    total = sum(b for _, b in per.values())
    right = sum(a for a, _ in per.values())
    figures["verdicts"] = {
        "per_class": {k: f"{a}/{b}" for k, (a, b) in sorted(per.items())},
        "agreement": round(right / total, 4) if total else None,
        "confusion": {f"{k}:{e}->{v}": n for (k, e, v), n in sorted(confusion.items())},
        "gesture_method": dict(methods),
        "images_per_s": round(total / secs, 2) if secs else None,
    }
    print(f"\ncheck_image verdict = expected on {right}/{total} real photos "
          f"({right / max(total, 1):.1%}); detector: {dict(methods)}; {total / secs:.2f} images/s")
    for k, (a, b) in sorted(per.items()):
        print(f"  {k:22s} {a}/{b}")
    for (k, e, v), n in sorted(confusion.items()):
        print(f"  {k:6s} expected {e:8s} -> {v:8s} {n}")


def _transcript(text: str) -> str:
    """The transcription as plain text: line breaks for " / ", the elision marks dropped."""
    return "\n".join(part.replace("…", " ").strip() for part in text.split(" / "))


def poster_rows(real: Path) -> list[dict]:
    """posters.csv rows whose picture is present, adjudicated label in ``expected``."""
    table = real / "posters.csv"
    if not table.is_file():
        return []
    rows = list(csv.DictReader(table.open(encoding="utf-8")))
    for r in rows:
        r["expected"] = r.get("final_expected") or r["expected"]
    return [r for r in rows if (real / r["file"]).is_file()]


def judge_posters(real: Path, rows: list[dict]) -> list[dict]:
    """One record per poster: expected, check_image's verdict, the text detector's verdict
    on the transcription and on the OCR text."""
    import netral
    from netral.images import check_image

    out = []
    for r in rows:
        t = time.perf_counter()
        res = check_image(str(real / r["file"]))
        secs = time.perf_counter() - t
        ocr = res.ocr_text or ""
        # word recall against the hand transcription ("…" marks what the labeller could not
        # read, so it is not expected of the OCR either)
        hit, exp, extra = _recall(ocr.split(), _transcript(r["text"]).split())
        out.append({
            "file": r["file"], "expected": r["expected"], "legible": r.get("text_legible", ""),
            "image": str(res.verdict),
            "text": str(netral.check(_transcript(r["text"])).verdict) if r["text"] else "netral",
            "ocr": str(netral.check(ocr).verdict) if ocr.strip() else "netral",
            "words_hit": hit, "words_expected": exp, "words_extra": extra, "secs": secs,
        })
    return out


def poster_figures(judged: list[dict]) -> dict:
    def frac(rows: list[dict], key: str) -> str:
        return f"{sum(j[key] == j['expected'] for j in rows)}/{len(rows)}"

    classes = sorted({j["expected"] for j in judged})
    text_right = [j for j in judged if j["text"] == j["expected"]]
    return {
        "posters": len(judged),
        "image_right_per_class": {c: frac([j for j in judged if j["expected"] == c], "image")
                                  for c in classes},
        "image_right": frac(judged, "image"),
        "transcription_text_right": frac(judged, "text"),
        "transcription_text_right_per_class": {
            c: frac([j for j in judged if j["expected"] == c], "text") for c in classes},
        "ocr_text_right": frac(judged, "ocr"),
        "image_right_where_text_right": frac(text_right, "image"),
        "ocr_word_recall": round(sum(j.get("words_hit", 0) for j in judged)
                                 / max(1, sum(j.get("words_expected", 0) for j in judged)), 3),
        "ocr_words": f"{sum(j.get('words_hit', 0) for j in judged)}/"
                     f"{sum(j.get('words_expected', 0) for j in judged)}",
        "max_secs_per_image": round(max((j.get("secs", 0.0) for j in judged), default=0.0), 1),
        "confusion": dict(Counter(f"{j['expected']}->{j['image']}" for j in judged)),
    }


def bench_posters(real: Path, figures: dict) -> None:
    rows = poster_rows(real)
    if not rows:
        print(f"no real poster photos at {real / 'posters'} (posters.csv or pictures missing; "
              "tools/images/collect_real.py --only posters rebuilds them): poster figures skipped")
        return
    t = time.perf_counter()
    judged = judge_posters(real, rows)
    secs = time.perf_counter() - t
    fig = poster_figures(judged)
    fig["images_per_s"] = round(len(rows) / secs, 2)
    figures["real_posters"] = fig
    print(f"\nReal poster/banner photos ({len(rows)}): check_image right {fig['image_right']}; "
          f"{fig['images_per_s']} images/s")
    for c, v in fig["image_right_per_class"].items():
        print(f"  {c:9s} check_image {v:>6s}   transcription->text detector "
              f"{fig['transcription_text_right_per_class'][c]:>6s}")
    print(f"  transcription judged right {fig['transcription_text_right']}; OCR text judged "
          f"right {fig['ocr_text_right']}; check_image right where the transcription is "
          f"judged right {fig['image_right_where_text_right']}")
    print(f"  OCR word recall against the transcriptions {fig['ocr_word_recall']} "
          f"({fig['ocr_words']}); slowest picture {fig['max_secs_per_image']} s")
    for j in judged:
        if j["image"] != j["expected"]:
            print(f"  miss {j['file']}: expected {j['expected']}, image {j['image']}, "
                  f"transcription {j['text']}, OCR text {j['ocr']} (legible: {j['legible']})")


def bench_real_ocr(real: Path, rows: list[dict], figures: dict) -> None:
    from netral.images.load import load_image
    from netral.images.ocr import ocr_frames

    posters = [r for r in rows if r["kind"] == "poster" and r.get("text")]
    if not posters:
        return
    hit = exp = 0
    per_source: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    t = time.perf_counter()
    for r in posters:
        res = ocr_frames(load_image(str(real / r["file"])).frames)
        h, e, _ = _recall([w.text for w in res.words], r["text"].replace(" / ", " ").split())
        hit += h
        exp += e
        per_source[r["source"]][0] += h
        per_source[r["source"]][1] += e
    secs = time.perf_counter() - t
    figures["ocr_real"] = {"word_recall": round(hit / exp, 4), "words": f"{hit}/{exp}",
                           "per_source": {k: f"{a}/{b}" for k, (a, b) in per_source.items()},
                           "images_per_s": round(len(posters) / secs, 3)}
    print(f"\nOCR word recall on {len(posters)} real poster/form photos: {hit / exp:.3f} "
          f"({hit}/{exp}); {len(posters) / secs:.2f} images/s")
    for k, (a, b) in per_source.items():
        print(f"  {k:12s} {a}/{b} = {a / max(b, 1):.3f}")


def bench_styles(per_style: int, figures: dict) -> None:
    from PIL import Image

    import netral
    from netral.images.ocr import ocr_image

    tmp = Path(tempfile.mkdtemp(prefix="netral-styles-"))
    rows = _tool("make_poster_styles").build(tmp, seed=2024, per_style=per_style)
    per: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0, 0, 0.0])
    # "right where the text itself is judged right": the picture's verdict (flagged or not)
    # equals the label, counted over the renders whose typed text the detector gets right
    judged: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        im = Image.open(tmp / r["file"]).convert("RGB")
        t = time.perf_counter()
        res = ocr_image(im)
        p = per[r["style"]]
        p[4] += time.perf_counter() - t
        h, e, x = _recall([w.text for w in res.words], r["words"])
        p[0] += h
        p[1] += e
        p[2] += x
        p[3] += 1
        want = r["label"] == "kampanye"
        if netral.check(" ".join(r["words"])).flagged == want:
            picture = netral.check(res.text).flagged if res.text.strip() else False
            judged[r["style"]][0] += picture == want
            judged[r["style"]][1] += 1
    out = {}
    print(f"\nOCR word recall per style ({per_style} renders of real corpus texts per style, seed 2024)")
    for style, (h, e, x, n, secs) in per.items():
        a, b = judged[style]
        out[style] = {"word_recall": round(h / e, 4), "words": f"{h}/{e}",
                      "extra_words_per_image": round(x / n, 2), "images_per_s": round(n / secs, 2),
                      "verdict_right_where_text_right": f"{a}/{b}"}
        print(f"  {style:11s} recall {h / e:.3f} ({h}/{e})  extra words/image {x / n:5.2f}  "
              f"{n / secs:.2f} images/s  verdict right where the text is judged right {a}/{b}")
    figures["ocr_styles"] = out


def bench_synthetic(figures: dict) -> None:
    from PIL import Image

    from netral.images import attributes as attr
    from netral.images import check_image

    tmp = Path(tempfile.mkdtemp(prefix="netral-images-"))
    rows = _tool("make_image_set").build(tmp)
    paths = [str(tmp / r["file"]) for r in rows]
    attr.references()
    t = time.perf_counter()
    for p in paths:
        attr.match_references(Image.open(p).convert("RGB"))
    figures["attribute_images_per_s"] = round(len(paths) / (time.perf_counter() - t), 1)
    check_image(paths[0])
    t = time.perf_counter()
    verdicts = [str(check_image(p).verdict) for p in paths]
    secs = time.perf_counter() - t
    agree = sum(v == r["expect"] for v, r in zip(verdicts, rows, strict=True))
    figures["synthetic_check_image_images_per_s"] = round(len(paths) / secs, 2)
    figures["synthetic_verdict_agreement"] = round(agree / len(rows), 4)
    print(f"\nSynthetic set ({len(rows)} images): attributes {figures['attribute_images_per_s']} "
          f"images/s; check_image {len(paths) / secs:.2f} images/s, verdict = label on "
          f"{agree}/{len(rows)} (the synthetic cartoon hands are not what the landmark model "
          f"is for; see the real-photo figures)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--real", type=Path, default=ROOT / "data" / "images" / "real")
    ap.add_argument("--split", choices=["heldout", "tune", "all"], default="heldout")
    ap.add_argument("--per-style", type=int, default=24)
    ap.add_argument("--no-verdicts", action="store_true", help="skip check_image on real photos")
    ap.add_argument("--no-synthetic", action="store_true")
    ap.add_argument("--no-real", action="store_true", help="skip the real-photo sections")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON")
    ap.add_argument("--posters-only", action="store_true",
                    help="only the real poster/banner photos (posters.csv)")
    a = ap.parse_args(argv)

    from netral.images.gesture import model_status
    from netral.images.hand_model import MODEL_DIR
    from netral.images.ocr import tesseract_langs

    ok, why = model_status()
    if not ok:
        print(f"the hand-landmark model cannot be loaded: {why}", file=sys.stderr)
        return 2
    load = os.getloadavg()[0]
    model_bytes = sum(p.stat().st_size for p in MODEL_DIR.glob("*.tflite"))
    figures: dict[str, object] = {"load_average_at_start": round(load, 2),
                                  "cpus": os.cpu_count(), "model_bytes": model_bytes,
                                  "split": a.split}
    print(f"tesseract {','.join(tesseract_langs())}; load average {load:.2f} on "
          f"{os.cpu_count()} CPUs; hand models {model_bytes / 1e6:.1f} MB")
    if a.posters_only:
        bench_posters(a.real, figures)
        figures["load_average_at_end"] = round(os.getloadavg()[0], 2)
        if a.json:
            a.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
        return 0
    if a.no_real:
        pass
    elif (a.real / "labels.csv").is_file():
        rows = _rows(a.real, a.split)
        figures["real_photos"] = len(rows)
        print(f"real-photo set {a.real} split={a.split}: {len(rows)} pictures")
        bench_gestures(a.real, rows, figures)
        if not a.no_verdicts:
            bench_verdicts(a.real, rows, figures)
        bench_real_ocr(a.real, rows, figures)
        if not a.no_verdicts:
            bench_posters(a.real, figures)
    else:
        print(f"no real-photo set at {a.real} (labels.csv missing): real-photo figures skipped")
    bench_styles(a.per_style, figures)
    if not a.no_synthetic:
        bench_synthetic(figures)
    figures["load_average_at_end"] = round(os.getloadavg()[0], 2)
    if a.json:
        a.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
