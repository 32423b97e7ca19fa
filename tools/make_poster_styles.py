#!/usr/bin/env python3
"""Render text pictures in the five styles netral's OCR is measured on, from real texts.

    python tools/make_poster_styles.py OUT_DIR [--seed 2024] [--per-style 24]

Styles (``labels.jsonl``: ``file``, ``style``, ``words``, ``label``, ``source_id``):

* ``flat``       — a poster as designed: lines of text on a plain, gradient or photo band;
* ``photo``      — the same poster photographed: pasted on a textured wall, perspective
                   (corners moved 4–14 %), uneven light, slight blur, noise, JPEG q 70;
* ``small``      — the poster shrunk to 180–260 px wide and re-saved as JPEG q 60
                   (a thumbnail or a forwarded WhatsApp picture);
* ``rotated``    — the poster turned 6–28° (both ways) on a background;
* ``screenshot`` — a social-media post card (avatar, name, handle, 2–6 lines of the post's
                   text in a 15–22 px regular font, counters), as a phone screenshot.

Texts are real: poster lines are short posts and headlines from ``data/corpus/corpus.jsonl``
(campaign and neutral, the corpus' ``dev`` split), cut into poster lines; screenshots carry
a whole post. Deterministic for a seed; the OCR was tuned on seed 7, measured on 2024.
Those texts are not committed: rebuild them first with ``tools/corpus/rebuild.py``.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import re
import sys
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from netral.detect.withheld import FILE, read_ids

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from make_image_set import font, gradient, landscape  # noqa: E402

STYLES = ("flat", "photo", "small", "rotated", "screenshot")
REGULAR = ["DejaVuSans.ttf", "LiberationSans-Regular.ttf"]
_URL = re.compile(r"https?://\S+|@\w+|…")


def _regular(size: int, idx: int = 0) -> ImageFont.ImageFont:
    for name in REGULAR[idx % 2:] + REGULAR[: idx % 2]:
        for d in (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/liberation")):
            if (d / name).exists():
                return ImageFont.truetype(str(d / name), size)
    return ImageFont.load_default(size=size)


def texts(rng: random.Random) -> tuple[list[dict], list[dict]]:
    """(short texts for posters, longer texts for screenshots) from the corpus' dev split."""
    corpus = ROOT / "data/corpus/corpus.jsonl"
    if not corpus.is_file():
        raise SystemExit(f"{corpus} is not here: the real corpus' texts are not committed; "
                         "rebuild them with tools/corpus/rebuild.py --mirror DIR "
                         "(data/corpus/SOURCES.md, 'How to get the texts')")
    rows = [json.loads(line) for line in corpus.open(encoding="utf-8")]
    # rows whose text overlaps a reserved dataset are in no split (data/corpus/withheld.jsonl);
    # the list is read too, so that a corpus.jsonl rebuilt before it cannot bring one back
    withheld = read_ids(corpus.with_name(FILE))
    out_short, out_long = [], []
    for r in rows:
        if r.get("split") != "dev" or r["id"] in withheld:
            continue
        t = _URL.sub(" ", r["text"])
        t = re.sub(r"[^\w\s#.,!?:/()'-]", " ", t)
        t = re.sub(r"\s+", " ", t).strip()
        words = t.split()
        if 3 <= len(words) <= 9 and all(len(w) <= 16 for w in words):
            out_short.append({"text": t, "label": r["label"], "id": r["id"]})
        elif 12 <= len(words) <= 40:
            out_long.append({"text": t, "label": r["label"], "id": r["id"]})
    rng.shuffle(out_short)
    rng.shuffle(out_long)
    return out_short, out_long


def _lines(text: str, per_line: int) -> list[str]:
    words = text.split()
    return [" ".join(words[i:i + per_line]) for i in range(0, len(words), per_line)]


def flat(lines: list[str], rng: random.Random) -> Image.Image:
    w = rng.choice([640, 720, 800])
    h = int(w * rng.choice([0.75, 1.0, 1.25]))
    kind = rng.choice(["dark_on_light", "light_on_dark", "band", "gradient"])
    if kind == "dark_on_light":
        im = Image.new("RGB", (w, h), rng.choice([(250, 250, 245), (255, 235, 150), (200, 230, 250)]))
        fg = rng.choice([(20, 20, 20), (150, 10, 10), (10, 40, 120)])
    elif kind == "light_on_dark":
        im = Image.new("RGB", (w, h), rng.choice([(180, 20, 25), (20, 40, 120), (20, 20, 20)]))
        fg = rng.choice([(255, 255, 255), (255, 230, 90)])
    elif kind == "band":
        im = landscape(rng, (w, h))
        fg = (255, 255, 255)
    else:
        im = gradient((w, h), (250, 200, 60), (220, 80, 40))
        fg = (20, 20, 60)
    d = ImageDraw.Draw(im)
    fidx = rng.randint(0, 4)
    size = max(22, min(int(w * 1.6 / max(8, max(len(s) for s in lines))), 96))
    f = font(size, fidx)
    while size > 18 and (max(d.textlength(s, font=f) for s in lines) > 0.88 * w
                         or len(lines) * size * 1.35 > 0.9 * h):
        size -= 3
        f = font(size, fidx)
    y = (h - len(lines) * int(size * 1.35)) // 2
    for line in lines:
        tw = d.textlength(line, font=f)
        x = (w - tw) / 2
        if kind == "band":
            d.rectangle([x - 10, y - 5, x + tw + 10, y + size * 1.2], fill=(150, 20, 25))
        d.text((x, y), line, font=f, fill=fg)
        y += int(size * 1.35)
    return im


def _wall(size: tuple[int, int], rng: random.Random) -> Image.Image:
    base = rng.choice([(180, 170, 150), (120, 110, 100), (200, 200, 195), (90, 100, 90)])
    im = Image.new("RGB", size, base)
    noise = Image.effect_noise(size, 40).convert("RGB").filter(ImageFilter.GaussianBlur(2))
    return Image.blend(im, noise, 0.25)


def photo(poster: Image.Image, rng: random.Random) -> Image.Image:
    pw, ph = poster.size
    W, H = int(pw * 1.35), int(ph * 1.35)
    canvas = _wall((W, H), rng)
    ox, oy = (W - pw) // 2, (H - ph) // 2
    j = rng.uniform(0.04, 0.14)

    def jit(v: float, side: int) -> float:
        return v + rng.uniform(-j, j) * side

    quad = [(jit(ox, pw), jit(oy, ph)), (jit(ox + pw, pw), jit(oy, ph)),
            (jit(ox + pw, pw), jit(oy + ph, ph)), (jit(ox, pw), jit(oy + ph, ph))]
    coeffs = _perspective_coeffs(quad, [(0, 0), (pw, 0), (pw, ph), (0, ph)])
    warped = poster.transform((W, H), Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BICUBIC)
    mask = Image.new("L", poster.size, 255).transform((W, H), Image.Transform.PERSPECTIVE, coeffs)
    canvas.paste(warped, (0, 0), mask)
    shade = gradient((W, H), (255, 255, 255), tuple(rng.randint(110, 170) for _ in range(3)))
    if rng.random() < 0.5:
        shade = shade.rotate(90, expand=False)
    canvas = ImageChops.multiply(canvas, shade)  # uneven light across the wall
    canvas = canvas.filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 1.4)))
    noise = Image.effect_noise((W, H), 18).convert("RGB")
    canvas = Image.blend(canvas, noise, 0.06)
    return _jpeg(canvas, 70)


def _perspective_coeffs(src, dst):
    """Coefficients for Image.transform(PERSPECTIVE) mapping output ``src`` quad to input ``dst``."""
    import numpy as np

    a, b = [], []
    for (x, y), (u, v) in zip(src, dst, strict=True):
        a.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        a.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        b.extend([u, v])
    return np.linalg.solve(np.asarray(a, float), np.asarray(b, float)).tolist()


def _jpeg(im: Image.Image, q: int) -> Image.Image:
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=q)
    buf.seek(0)
    return Image.open(buf).convert("RGB")


def small(poster: Image.Image, rng: random.Random) -> Image.Image:
    w = rng.randint(180, 260)
    h = round(poster.height * w / poster.width)
    return _jpeg(poster.resize((w, h), Image.Resampling.BILINEAR), 60)


def rotated(poster: Image.Image, rng: random.Random) -> Image.Image:
    angle = rng.uniform(6, 28) * rng.choice([-1, 1])
    bg = rng.choice([(235, 235, 230), (60, 60, 70), (120, 150, 120)])
    return poster.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=bg)


def screenshot(text: str, rng: random.Random) -> Image.Image:
    W = rng.choice([540, 720, 1080])
    k = W / 540
    fsize = round(rng.uniform(15, 20) * k)
    f = _regular(fsize, rng.randint(0, 1))
    fb = font(round(fsize * 1.05), 1)
    dark = rng.random() < 0.3
    bg, fg, grey = ((21, 32, 43), (240, 240, 240), (140, 150, 160)) if dark else \
        ((255, 255, 255), (15, 20, 25), (100, 110, 120))
    probe = ImageDraw.Draw(Image.new("RGB", (10, 10)))
    lines, cur = [], ""
    for word in text.split():
        trial = (cur + " " + word).strip()
        if probe.textlength(trial, font=f) > W - 40 * k:
            lines.append(cur)
            cur = word
        else:
            cur = trial
    if cur:
        lines.append(cur)
    H = int(110 * k + len(lines) * fsize * 1.45 + 90 * k)
    im = Image.new("RGB", (W, H), bg)
    d = ImageDraw.Draw(im)
    d.rectangle([0, 0, W, int(28 * k)], fill=(0, 0, 0) if dark else (245, 245, 245))
    d.text((int(16 * k), int(6 * k)), "12:41", font=_regular(round(13 * k)), fill=grey)
    d.ellipse([int(16 * k), int(40 * k), int(60 * k), int(84 * k)], fill=(120, 160, 200))
    d.text((int(70 * k), int(42 * k)), rng.choice(["Budi Santoso", "Sri Wahyuni", "Andi Pratama"]),
           font=fb, fill=fg)
    d.text((int(70 * k), int(42 * k) + fsize * 1.3), "@akun_" + str(rng.randint(10, 999)) + " · 3j",
           font=_regular(round(fsize * 0.85)), fill=grey)
    y = int(100 * k)
    for line in lines:
        d.text((int(20 * k), y), line, font=f, fill=fg)
        y += int(fsize * 1.45)
    y += int(16 * k)
    d.line([(0, y), (W, y)], fill=grey, width=1)
    d.text((int(20 * k), y + int(14 * k)), f"{rng.randint(2, 99)} Suka   {rng.randint(1, 40)} Komentar",
           font=_regular(round(fsize * 0.85)), fill=grey)
    return im if rng.random() < 0.5 else _jpeg(im, 80)


def build(out: Path, *, seed: int = 2024, per_style: int = 24) -> list[dict]:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    short, long_ = texts(rng)
    rows: list[dict] = []
    for style in STYLES:
        for i in range(per_style):
            if style == "screenshot":
                item = long_[i % len(long_)] if seed % 2 == 0 else long_[-1 - i % len(long_)]
                im = screenshot(item["text"], rng)
                words = item["text"].split()
            else:
                item = short[(STYLES.index(style) * per_style + i) % len(short)] if seed % 2 == 0 \
                    else short[-1 - (STYLES.index(style) * per_style + i) % len(short)]
                per_line = rng.choice([2, 3, 3, 4])
                lines = _lines(item["text"], per_line)
                im = flat(lines, rng)
                words = item["text"].split()
                if style == "photo":
                    im = photo(im, rng)
                elif style == "small":
                    im = small(im, rng)
                elif style == "rotated":
                    im = rotated(im, rng)
            name = f"{style}_{i:02d}.jpg"
            im.save(out / name, quality=90)
            rows.append({"file": name, "style": style, "words": words, "label": item["label"],
                         "source_id": item["id"]})
    with (out / "labels.jsonl").open("w") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--per-style", type=int, default=24)
    a = ap.parse_args(argv)
    rows = build(a.out, seed=a.seed, per_style=a.per_style)
    print(f"{len(rows)} pictures in {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
