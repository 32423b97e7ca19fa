#!/usr/bin/env python3
"""Render netral's labelled image test set (and the synthetic reference visuals).

Everything here is drawn with Pillow from code: text posters, procedural landscapes,
synthetic hands (palm + finger capsules in skin tones, no photographs), twibbon frames and
party-logo-like emblems that are NOT real logos. Output is deterministic for a given seed.

    python tools/make_image_set.py OUT_DIR            # full labelled set (>= 100 images)
    python tools/make_image_set.py OUT_DIR --small    # the small committed subset
    python tools/make_image_set.py --references DIR   # synthetic reference visuals

``OUT_DIR/labels.jsonl`` holds one JSON object per image: ``file``, ``category``
(poster_campaign | poster_neutral | landscape | hand | hand_hard | twibbon | logo | combo), ``words`` (ground
truth words for OCR), ``gesture`` (satu_jari | dua_jari | tiga_jari | metal | none | lima |
null when no hand), ``fingers`` and ``expect`` (the verdict the checker should give).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIRS = [
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/truetype/liberation"),
]
FONT_FILES = [
    "DejaVuSans-Bold.ttf",
    "LiberationSans-Bold.ttf",
    "DejaVuSans.ttf",
    "LiberationSans-Regular.ttf",
    "DejaVuSerif-Bold.ttf",
]

SKIN = [
    (224, 172, 105),
    (198, 134, 66),
    (141, 85, 36),
    (255, 219, 172),
    (241, 194, 125),
    (232, 190, 160),
    (176, 120, 80),
]
BACKGROUNDS = [
    (40, 80, 160),
    (30, 120, 60),
    (90, 90, 95),
    (200, 205, 210),
    (60, 40, 110),
    (20, 25, 30),
    (120, 170, 210),
    (245, 245, 240),
]

CAMPAIGN_POSTERS = [
    ["COBLOS NO. 2"],
    ["Coblos No. 2", "Prabowo Gibran"],
    ["PILIH NOMOR 1"],
    ["Pilih Nomor 1", "Anies Muhaimin"],
    ["Ayo Coblos", "Nomor 3"],
    ["Menangkan", "Ganjar Mahfud", "Nomor 3"],
    ["Dukung Paslon 02", "Indonesia Maju"],
    ["Coblos Nomor 1", "Untuk Perubahan"],
    ["Pilih Nomor 2", "Lanjutkan"],
    ["Salam Tiga Jari", "Coblos 03"],
    ["Coblos Gerindra", "Nomor 2"],
    ["Pilih PDI Perjuangan", "Nomor 3"],
]
NEUTRAL_POSTERS = [
    ["Jadwal Pemungutan Suara", "14 Februari 2024"],
    ["Ayo ke TPS", "Gunakan Hak Pilihmu"],
    ["Jangan Golput", "Datang ke TPS"],
    ["Rapat Koordinasi", "Dinas Pendidikan"],
    ["Selamat Hari Guru", "25 November"],
    ["Posyandu Balita", "Setiap Selasa"],
    ["Kerja Bakti", "Minggu Pagi"],
    ["Promo Nasi Goreng", "Rp 15.000"],
    ["ASN Netral", "Pemilu Damai"],
    ["Lomba Tujuhbelasan", "Balai Desa"],
    ["Pelayanan KTP", "Senin sampai Jumat"],
    ["Vaksinasi Gratis", "Puskesmas Kota"],
]


def font(size: int, idx: int = 0) -> ImageFont.ImageFont:
    names = FONT_FILES[idx % len(FONT_FILES) :] + FONT_FILES[: idx % len(FONT_FILES)]
    for name in names:
        for d in FONT_DIRS:
            p = d / name
            if p.exists():
                return ImageFont.truetype(str(p), size)
    return ImageFont.load_default(size=size)


def words_of(lines: list[str]) -> list[str]:
    return [w for line in lines for w in line.split()]


# ----------------------------------------------------------------------------- backgrounds
def gradient(size: tuple[int, int], top: tuple[int, int, int], bottom: tuple[int, int, int]):
    w, h = size
    im = Image.new("RGB", size)
    d = ImageDraw.Draw(im)
    for y in range(h):
        t = y / max(1, h - 1)
        d.line([(0, y), (w, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=False)))
    return im


def landscape(rng: random.Random, size=(640, 420)) -> Image.Image:
    w, h = size
    sky_top = rng.choice([(70, 130, 200), (110, 160, 220), (40, 60, 120), (150, 180, 210)])
    im = gradient(size, sky_top, (200, 220, 235))
    d = ImageDraw.Draw(im)
    if rng.random() < 0.7:  # sun or moon
        r = rng.randint(20, 40)
        x, y = rng.randint(r, w - r), rng.randint(r, h // 3)
        d.ellipse([x - r, y - r, x + r, y + r], fill=(250, 240, 200))
    for layer in range(3):  # mountain ranges
        base = int(h * (0.45 + 0.15 * layer))
        pts = [(0, h)]
        x = 0
        while x <= w:
            pts.append((x, base - rng.randint(0, int(h * 0.25))))
            x += rng.randint(40, 120)
        pts += [(w, base), (w, h)]
        g = 60 + 30 * layer
        d.polygon(pts, fill=(30 + 10 * layer, g + rng.randint(0, 40), 50 + 10 * layer))
    for _ in range(rng.randint(3, 9)):  # trees
        x, y = rng.randint(0, w), rng.randint(int(h * 0.7), h)
        s = rng.randint(10, 30)
        d.rectangle([x - 2, y - s // 2, x + 2, y + s], fill=(70, 50, 30))
        d.polygon([(x - s, y), (x + s, y), (x, y - 2 * s)], fill=(20, 90 + rng.randint(0, 50), 30))
    if rng.random() < 0.4:  # lake
        d.ellipse([w * 0.2, h * 0.78, w * 0.8, h * 1.05], fill=(60, 110, 170))
    return im.filter(ImageFilter.GaussianBlur(0.6))


def noisy(im: Image.Image, rng: random.Random, amount: int = 12) -> Image.Image:
    noise = Image.effect_noise(im.size, amount).convert("L")
    seedshift = rng.randint(0, 3)
    r, g, b = im.split()
    out = Image.merge(
        "RGB",
        [Image.blend(c, noise, 0.06 + 0.01 * seedshift).point(lambda v: v) for c in (r, g, b)],
    )
    return out


# ----------------------------------------------------------------------------- posters
def poster(lines: list[str], rng: random.Random, style: str) -> Image.Image:
    w = rng.choice([640, 720, 800])
    h = int(w * rng.choice([0.75, 1.0, 1.25]))
    if style == "dark_on_light":
        bg = rng.choice([(250, 250, 245), (255, 235, 150), (200, 230, 250), (230, 240, 220)])
        fg = rng.choice([(20, 20, 20), (150, 10, 10), (10, 40, 120)])
        im = Image.new("RGB", (w, h), bg)
    elif style == "light_on_dark":
        bg = rng.choice([(180, 20, 25), (20, 40, 120), (20, 20, 20), (20, 110, 50)])
        fg = rng.choice([(255, 255, 255), (255, 230, 90)])
        im = Image.new("RGB", (w, h), bg)
    elif style == "on_photo":
        im = landscape(rng, (w, h))
        fg = (255, 255, 255)
        bg = None
    else:  # gradient
        im = gradient((w, h), (250, 200, 60), (220, 80, 40))
        fg = (20, 20, 60)
        bg = None
    d = ImageDraw.Draw(im)
    fidx = rng.randint(0, 4)
    longest = max(len(s) for s in lines)
    size = max(24, min(int(w * 1.5 / max(6, longest)), 110))
    f = font(size, fidx)
    while size > 20 and max(d.textlength(s, font=f) for s in lines) > 0.86 * w:
        size -= 4
        f = font(size, fidx)
    total = len(lines) * int(size * 1.35)
    y = (h - total) // 2
    for line in lines:
        tw = d.textlength(line, font=f)
        x = (w - tw) / 2
        if style == "on_photo":  # banner behind the text, as on real flyers
            d.rectangle([x - 12, y - 6, x + tw + 12, y + size * 1.2], fill=(150, 20, 25))
        d.text((x, y), line, font=f, fill=fg)
        y += int(size * 1.35)
    if bg is not None and rng.random() < 0.5:  # decorative border
        d.rectangle([8, 8, w - 9, h - 9], outline=fg, width=4)
    return im


# ----------------------------------------------------------------------------- hands
FINGERS = {  # which of thumb, index, middle, ring, pinky are raised
    "none": (0, 0, 0, 0, 0),
    "satu_jari": (0, 1, 0, 0, 0),
    "dua_jari": (0, 1, 1, 0, 0),
    "tiga_jari": (0, 1, 1, 1, 0),
    "metal": (1, 1, 0, 0, 1),
    "lima": (1, 1, 1, 1, 1),
}


def _capsule(d: ImageDraw.ImageDraw, x0, y0, x1, y1, width, fill) -> None:
    d.line([(x0, y0), (x1, y1)], fill=fill, width=int(width))
    r = width / 2
    for x, y in ((x0, y0), (x1, y1)):
        d.ellipse([x - r, y - r, x + r, y + r], fill=fill)


def draw_hand(canvas: Image.Image, gesture: str, rng: random.Random, *, pw: float,
              cx: float, cy: float, skin: tuple[int, int, int], angle: float,
              mirror: bool) -> tuple[int, int, int, int]:
    """Draw a hand seen from the palm side, fingers up, rotated by ``angle`` degrees; returns
    the hand's bounding box in canvas coordinates."""
    raised = FINGERS[gesture]
    side = int(pw * 5)
    layer = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    ox, oy = side / 2, side * 0.6  # palm centre in the layer
    shade = (*tuple(int(c * 0.88) for c in skin), 255)
    fill = (*skin, 255)
    # forearm down to the layer's bottom
    d.rounded_rectangle([ox - pw * 0.38, oy, ox + pw * 0.38, side], radius=pw * 0.2, fill=fill)
    # palm
    d.rounded_rectangle(
        [ox - pw / 2, oy - pw * 0.55, ox + pw / 2, oy + pw * 0.5], radius=pw * 0.22, fill=fill
    )
    # four fingers: index .. pinky (left to right before mirroring)
    fw = pw * 0.21
    lengths = (0.9, 1.0, 0.92, 0.72)
    spread = rng.uniform(6, 11)
    for k in range(4):
        bx = ox - pw * 0.36 + k * pw * 0.24
        by = oy - pw * 0.5
        if raised[k + 1]:
            a = math.radians((k - 1.5) * spread + rng.uniform(-2, 2))
            ln = pw * lengths[k] * rng.uniform(0.92, 1.08)
            tx, ty = bx + math.sin(a) * ln, by - math.cos(a) * ln
            _capsule(d, bx, by, tx, ty, fw, fill)
        else:  # curled finger: a knuckle bump over the palm's top
            _capsule(d, bx, by + pw * 0.05, bx, by + pw * 0.2, fw * 1.05, shade)
    # thumb from the palm's lower left
    tbx, tby = ox - pw * 0.45, oy + pw * 0.1
    if raised[0]:
        a = math.radians(-55 + rng.uniform(-10, 8))
        ln = pw * 0.75
        _capsule(d, tbx, tby, tbx + math.sin(a) * ln, tby - math.cos(a) * ln, fw * 1.15, fill)
    else:
        _capsule(d, tbx, tby, ox + pw * 0.05, oy - pw * 0.1, fw * 1.1, shade)
    # a few palm creases
    for _ in range(2):
        y = oy + rng.uniform(-0.2, 0.3) * pw
        d.arc([ox - pw * 0.4, y - pw * 0.2, ox + pw * 0.3, y + pw * 0.2], 200, 330,
              fill=shade, width=2)
    if mirror:
        layer = layer.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    layer = layer.rotate(angle, resample=Image.Resampling.BICUBIC, center=(ox, oy))
    px, py = int(cx - ox), int(cy - oy)
    canvas.paste(layer, (px, py), layer)
    bbox = layer.getbbox() or (0, 0, side, side)
    return (
        max(0, px + bbox[0]),
        max(0, py + bbox[1]),
        min(canvas.width, px + bbox[2]),
        min(canvas.height, py + bbox[3]),
    )


def hand_image(gesture: str, rng: random.Random, bg_kind: str = "solid") -> Image.Image:
    w, h = rng.choice([(480, 480), (640, 480), (480, 640)])
    if bg_kind == "landscape":
        im = landscape(rng, (w, h))
    elif bg_kind == "gradient":
        a, b = rng.sample(BACKGROUNDS, 2)
        im = gradient((w, h), a, b)
    else:
        im = Image.new("RGB", (w, h), rng.choice(BACKGROUNDS))
    pw = rng.uniform(0.17, 0.24) * min(w, h)
    cx = w / 2 + rng.uniform(-0.12, 0.12) * w
    cy = h * rng.uniform(0.58, 0.68)
    draw_hand(im, gesture, rng, pw=pw, cx=cx, cy=cy, skin=rng.choice(SKIN),
              angle=rng.uniform(-22, 22), mirror=rng.random() < 0.5)
    im = im.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.0)))
    return noisy(im, rng)


def draw_face(canvas: Image.Image, rng: random.Random, cx: float, cy: float, fw: float,
              skin: tuple[int, int, int]) -> None:
    """A simple cartoon head and shoulders (skin-coloured face with ears and neck)."""
    d = ImageDraw.Draw(canvas)
    fh = fw * 1.3
    shirt = rng.choice([(30, 60, 140), (200, 200, 205), (60, 60, 60), (20, 110, 70)])
    d.rounded_rectangle([cx - fw * 1.4, cy + fh * 0.75, cx + fw * 1.4, canvas.height + 10],
                        radius=fw * 0.4, fill=shirt)
    d.rectangle([cx - fw * 0.22, cy + fh * 0.3, cx + fw * 0.22, cy + fh * 0.8], fill=skin)
    for sx in (-1, 1):  # ears
        d.ellipse([cx + sx * fw * 0.5 - fw * 0.1, cy - fh * 0.1, cx + sx * fw * 0.5 + fw * 0.1,
                   cy + fh * 0.12], fill=skin)
    d.ellipse([cx - fw / 2, cy - fh / 2, cx + fw / 2, cy + fh / 2], fill=skin)
    d.chord([cx - fw * 0.52, cy - fh * 0.56, cx + fw * 0.52, cy + fh * 0.1], 180, 360,
            fill=(25, 20, 20))
    for sx in (-1, 1):  # eyes
        d.ellipse([cx + sx * fw * 0.18 - 5, cy - 4, cx + sx * fw * 0.18 + 5, cy + 4],
                  fill=(30, 25, 25))
    d.arc([cx - fw * 0.2, cy + fh * 0.1, cx + fw * 0.2, cy + fh * 0.3], 20, 160,
          fill=(120, 40, 40), width=3)


def hard_image(kind: str, gesture: str | None, rng: random.Random) -> Image.Image:
    """Harder scenes: a person with a hand beside the face, two hands, a small hand, a hand
    on a skin-like (beige/wood) background."""
    w, h = 640, 480
    skin = rng.choice(SKIN)
    if kind == "beige":
        im = gradient((w, h), (222, 196, 160), (190, 150, 110))
    else:
        im = Image.new("RGB", (w, h), rng.choice(BACKGROUNDS[:6]))
    if kind == "face":
        draw_face(im, rng, w * 0.4, h * 0.38, w * 0.2, skin)
        if gesture:
            draw_hand(im, gesture, rng, pw=w * 0.12, cx=w * 0.72, cy=h * 0.62, skin=skin,
                      angle=rng.uniform(-15, 15), mirror=True)
    elif kind == "two_hands":
        draw_hand(im, gesture or "none", rng, pw=w * 0.13, cx=w * 0.3, cy=h * 0.62, skin=skin,
                  angle=rng.uniform(-15, 15), mirror=False)
        draw_hand(im, "none", rng, pw=w * 0.13, cx=w * 0.72, cy=h * 0.65, skin=skin,
                  angle=rng.uniform(-15, 15), mirror=True)
    elif kind == "small":
        draw_hand(im, gesture or "none", rng, pw=w * 0.07, cx=rng.uniform(0.2, 0.8) * w,
                  cy=h * 0.75, skin=skin, angle=rng.uniform(-20, 20), mirror=rng.random() < 0.5)
    else:  # beige
        draw_hand(im, gesture or "none", rng, pw=w * 0.16, cx=w * 0.5, cy=h * 0.62, skin=skin,
                  angle=rng.uniform(-20, 20), mirror=rng.random() < 0.5)
    im = im.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.9)))
    return noisy(im, rng)


# ----------------------------------------------------------------------------- twibbon
def twibbon(lines: list[str], rng: random.Random, colour=(200, 20, 30)) -> Image.Image:
    """A 'profile photo' (landscape or face-less portrait) inside a coloured frame with text."""
    size = 640
    photo = landscape(rng, (size, size))
    frame = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(frame)
    band = int(size * 0.12)
    c = (*colour, 255)
    d.rectangle([0, 0, size, band], fill=c)
    d.rectangle([0, 0, band // 2, size], fill=c)
    d.rectangle([size - band // 2, 0, size, size], fill=c)
    d.rectangle([0, size - int(band * 1.8), size, size], fill=c)
    f = font(int(band * 0.55), 0)
    tw = d.textlength(lines[0], font=f)
    d.text(((size - tw) / 2, band * 0.18), lines[0], font=f, fill=(255, 255, 255, 255))
    if len(lines) > 1:
        f2 = font(int(band * 0.6), 0)
        tw = d.textlength(lines[1], font=f2)
        d.text(((size - tw) / 2, size - band * 1.5), lines[1], font=f2, fill=(255, 255, 255, 255))
    photo.paste(frame, (0, 0), frame)
    return photo


# ----------------------------------------------------------------------------- references
REFERENCES = [
    # file, label, kind, number, colour, shape, text
    ("contoh-lambang-bintang.png", "Lambang partai contoh 'Bintang' (sintetis)", "party_logo",
     None, (200, 20, 30), "star", "PCB"),
    ("contoh-lambang-matahari.png", "Lambang partai contoh 'Matahari' (sintetis)", "party_logo",
     None, (20, 60, 170), "sun", "PCM"),
    ("contoh-lambang-pohon.png", "Lambang partai contoh 'Pohon' (sintetis)", "party_logo",
     None, (230, 190, 20), "tree", "PCP"),
    ("contoh-kartu-paslon-02.png", "Kartu kampanye contoh paslon nomor 2 (sintetis)",
     "pair_visual", 2, (40, 120, 200), "card", "02"),
]


def emblem(shape: str, colour, text: str, size: int = 400) -> Image.Image:
    im = Image.new("RGB", (size, size), (255, 255, 255))
    d = ImageDraw.Draw(im)
    c = size // 2
    if shape == "card":
        d.rectangle([0, 0, size, size], fill=colour)
        d.rectangle([20, 20, size - 20, size - 20], outline=(255, 255, 255), width=8)
        f = font(int(size * 0.45), 0)
        tw = d.textlength(text, font=f)
        d.text(((size - tw) / 2, size * 0.18), text, font=f, fill=(255, 255, 255))
        f2 = font(int(size * 0.09), 0)
        for i, word in enumerate(["PASANGAN", "CONTOH"]):
            tw = d.textlength(word, font=f2)
            d.text(((size - tw) / 2, size * (0.68 + 0.11 * i)), word, font=f2, fill=(255, 240, 0))
        return im
    d.ellipse([10, 10, size - 10, size - 10], fill=colour)
    d.ellipse([40, 40, size - 40, size - 40], outline=(255, 255, 255), width=10)
    white = (255, 255, 255)
    if shape == "star":
        pts = []
        for i in range(10):
            r = size * (0.3 if i % 2 == 0 else 0.12)
            a = math.pi / 2 + i * math.pi / 5
            pts.append((c + r * math.cos(a), c - 20 - r * math.sin(a)))
        d.polygon(pts, fill=white)
    elif shape == "sun":
        d.ellipse([c - 60, c - 80, c + 60, c + 40], fill=white)
        for i in range(12):
            a = i * math.pi / 6
            d.line([(c + 75 * math.cos(a), c - 20 + 75 * math.sin(a)),
                    (c + 120 * math.cos(a), c - 20 + 120 * math.sin(a))], fill=white, width=10)
    else:  # tree
        d.rectangle([c - 15, c - 10, c + 15, c + 80], fill=(90, 50, 20))
        d.ellipse([c - 100, c - 140, c + 100, c + 20], fill=(20, 110, 40))
        d.ellipse([c - 60, c - 110, c - 20, c - 70], fill=white)
    f = font(int(size * 0.1), 0)
    tw = d.textlength(text, font=f)
    d.text(((size - tw) / 2, size * 0.72), text, font=f, fill=white)
    return im


def make_references(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    entries = []
    for fname, label, kind, number, colour, shape, text in REFERENCES:
        emblem(shape, colour, text).save(out / fname, optimize=True)
        entries.append({"file": fname, "label": label, "kind": kind, "number": number,
                        "target_id": None})
    (out / "references.json").write_text(json.dumps(entries, indent=2, ensure_ascii=False) + "\n")


def logo_photo(rng: random.Random, ref_index: int) -> Image.Image:
    """A landscape 'photo' with one of the synthetic emblems on a flag/banner in it."""
    _f, _l, _k, _n, colour, shape, text = REFERENCES[ref_index]
    im = landscape(rng, (720, 540))
    em = emblem(shape, colour, text)
    s = rng.randint(170, 240)
    em = em.resize((s, s), Image.Resampling.LANCZOS).rotate(rng.uniform(-8, 8), expand=True,
                                                            fillcolor=(255, 255, 255))
    im.paste(em, (rng.randint(20, 720 - em.width - 20), rng.randint(20, 540 - em.height - 20)))
    return im


# ----------------------------------------------------------------------------- the set
def build(out: Path, *, small: bool = False, seed: int = 2024) -> list[dict]:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    rows: list[dict] = []

    def save(im: Image.Image, name: str, row: dict, quality: int = 88) -> None:
        path = out / name
        if name.endswith(".jpg"):
            im.save(path, quality=quality)
        else:
            im.save(path, optimize=True)
        rows.append({"file": name, **row})

    styles = ["dark_on_light", "light_on_dark", "on_photo", "gradient"]
    n_rep = 1 if small else 2
    for rep in range(n_rep):
        for i, lines in enumerate(CAMPAIGN_POSTERS):
            if small and i % 4:
                continue
            style = styles[(i + rep) % len(styles)]
            im = poster(lines, rng, style)
            if rep == 1 and i % 3 == 0:  # low-resolution, recompressed social-media copy
                im = im.resize((im.width // 2, im.height // 2), Image.Resampling.BILINEAR)
                save(im, f"poster_campaign_{rep}_{i:02d}.jpg",
                     {"category": "poster_campaign", "words": words_of(lines), "gesture": None,
                      "fingers": None, "expect": "kampanye", "style": style + "+small"}, 60)
                continue
            save(im, f"poster_campaign_{rep}_{i:02d}.png",
                 {"category": "poster_campaign", "words": words_of(lines), "gesture": None,
                  "fingers": None, "expect": "kampanye", "style": style})
        for i, lines in enumerate(NEUTRAL_POSTERS):
            if small and i % 4:
                continue
            style = styles[(i + rep + 1) % len(styles)]
            im = poster(lines, rng, style)
            save(im, f"poster_neutral_{rep}_{i:02d}.png",
                 {"category": "poster_neutral", "words": words_of(lines), "gesture": None,
                  "fingers": None, "expect": "netral", "style": style})
    for i in range(4 if small else 14):
        save(landscape(rng, rng.choice([(640, 420), (800, 600), (480, 640)])),
             f"landscape_{i:02d}.jpg",
             {"category": "landscape", "words": [], "gesture": None, "fingers": None,
              "expect": "netral"})
    gestures = list(FINGERS)
    per = 2 if small else 9
    bgs = ["solid", "gradient", "landscape"]
    for g in gestures:
        for k in range(per):
            im = hand_image(g, rng, bgs[k % 3])
            ballot = g in ("satu_jari", "dua_jari", "tiga_jari", "metal")
            save(im, f"hand_{g}_{k:02d}.jpg",
                 {"category": "hand", "words": [], "gesture": g, "fingers": sum(FINGERS[g]),
                  "expect": "tinjau" if ballot else "netral", "background": bgs[k % 3]})
    if not small:
        hard = [("face", None), ("face", "dua_jari"), ("face", "satu_jari"),
                ("face", "metal"), ("two_hands", "dua_jari"), ("two_hands", "tiga_jari"),
                ("small", "dua_jari"), ("small", "satu_jari"), ("small", None),
                ("beige", "dua_jari"), ("beige", "none")]
        for k, (kind, g) in enumerate(hard * 2):
            ballot = g in ("satu_jari", "dua_jari", "tiga_jari", "metal")
            save(hard_image(kind, g, rng), f"hard_{kind}_{g or 'nohand'}_{k:02d}.jpg",
                 {"category": "hand_hard", "words": [], "gesture": g,
                  "fingers": sum(FINGERS[g]) if g else None,
                  "expect": "tinjau" if ballot else "netral", "scene": kind})
    for i, lines in enumerate([["SAYA PILIH", "NOMOR 2"], ["DUKUNG", "PASLON 01"]]):
        save(twibbon(lines, rng, [(200, 20, 30), (20, 60, 170)][i]), f"twibbon_{i:02d}.png",
             {"category": "twibbon", "words": words_of(lines), "gesture": None, "fingers": None,
              "expect": "kampanye"})
    if not small:
        for i in range(len(REFERENCES)):
            save(logo_photo(rng, i), f"logo_photo_{i:02d}.jpg",
                 {"category": "logo", "words": [], "gesture": None, "fingers": None,
                  "expect": "tinjau", "reference": REFERENCES[i][0]})
        # campaign poster + a V sign: the gesture with election context
        for i, (lines, g) in enumerate([(["Coblos No. 2"], "dua_jari"),
                                        (["Pilih Nomor 1"], "satu_jari")]):
            im = Image.new("RGB", (800, 600), (245, 245, 240))
            d = ImageDraw.Draw(im)
            f = font(64, 0)
            d.text((40, 40), lines[0], font=f, fill=(160, 10, 10))
            draw_hand(im, g, rng, pw=120, cx=560, cy=400, skin=rng.choice(SKIN), angle=-8,
                      mirror=False)
            save(im, f"combo_{i:02d}.jpg",
                 {"category": "combo", "words": words_of(lines), "gesture": g,
                  "fingers": sum(FINGERS[g]), "expect": "kampanye"})
    with (out / "labels.jsonl").open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", nargs="?", type=Path)
    ap.add_argument("--small", action="store_true", help="only the small committed subset")
    ap.add_argument("--references", type=Path, help="write the synthetic reference visuals")
    ap.add_argument("--seed", type=int, default=2024)
    a = ap.parse_args(argv)
    if a.references:
        make_references(a.references)
        print(f"references written to {a.references}")
    if a.out:
        rows = build(a.out, small=a.small, seed=a.seed)
        print(f"{len(rows)} images written to {a.out}")
    if not a.out and not a.references:
        ap.print_usage(sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
