"""Campaign attributes in pictures: reference visuals (party logos, pair campaign cards)
found by perceptual hashing (whole-picture copies) and ORB feature matching with a RANSAC
homography (a logo on a flag or banner inside a photo); twibbon frames (a large coloured
overlay around the picture, usually with text); and the share of a contestant's colours.

References ship in ``netral/images/references/`` (synthetic examples, see its README); an
agency adds its own by dropping image files — optionally with a ``references.json`` that
gives each file a label, kind, ballot number and pack target id — into a folder named by
``NETRAL_IMAGE_REFERENCES`` (several folders separated by ``os.pathsep``) or into
``<data dir>/image-references/``.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image

REF_DIR = Path(__file__).parent / "references"
IMAGE_EXTS = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp"}
PHASH_MAX_DISTANCE = 10  # of 64 bits: a copy of the whole reference (recompressed, resized)
MIN_INLIERS = 22  # ORB matches consistent with one homography


@dataclass(slots=True)
class Reference:
    file: str
    label: str
    kind: str  # party_logo | pair_visual | twibbon | other
    number: int | None
    target_id: str | None
    phash: object = None
    keypoints: object = None
    descriptors: object = None
    size: tuple[int, int] = (0, 0)
    thumb: object = None  # 64×64 RGB array for the colour check


@dataclass(slots=True)
class AttributeMatch:
    file: str
    label: str
    kind: str
    number: int | None
    target_id: str | None
    similarity: float
    method: str  # phash | orb
    box: tuple[int, int, int, int]
    frame: int = 0

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(slots=True)
class Twibbon:
    colour: tuple[int, int, int]
    coverage: float  # share of the border band in the overlay colour
    sides: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)  # OCR words lying on the frame
    frame: int = 0

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


# ----------------------------------------------------------------------------- references
def reference_dirs() -> list[Path]:
    dirs = [REF_DIR]
    from netral.config import get_settings

    env = get_settings().image_references  # NETRAL_IMAGE_REFERENCES
    if env:
        dirs += [Path(p) for p in env.split(os.pathsep) if p]
    try:
        from netral.config import get_settings

        extra = get_settings().data_dir / "image-references"
        if extra.is_dir():
            dirs.append(extra)
    except Exception:  # settings are optional here
        pass
    return [d for d in dirs if d.is_dir()]


ORB_MIN_SIDE = 32  # below this, ORB's pyramid breaks and finds nothing anyway


def _orb():
    import cv2

    return cv2.ORB_create(nfeatures=1500)


def _gray(img: Image.Image, side: int) -> np.ndarray:
    g = img.convert("L")
    if max(g.size) != side:
        g = g.copy()
        ratio = side / max(g.size)
        g = g.resize((max(1, round(g.width * ratio)), max(1, round(g.height * ratio))),
                     Image.Resampling.LANCZOS)
    return np.asarray(g)


def _load_reference(path: Path, meta: dict) -> Reference | None:
    import imagehash

    from netral.images.load import ImageError, load_image

    try:
        img = load_image(path).frames[0]
    except ImageError:
        return None
    gray = _gray(img, 400)
    kp, des = _orb().detectAndCompute(gray, None)
    return Reference(
        file=str(path.name),
        label=str(meta.get("label") or path.stem.replace("-", " ").replace("_", " ")),
        kind=str(meta.get("kind") or "other"),
        number=meta.get("number"),
        target_id=meta.get("target_id"),
        phash=imagehash.phash(img),
        keypoints=[k.pt for k in kp] if kp else [],
        descriptors=des,
        size=(gray.shape[1], gray.shape[0]),
        thumb=np.asarray(img.convert("RGB").resize((64, 64), Image.Resampling.BILINEAR),
                         dtype=np.float32),
    )


@lru_cache(maxsize=4)
def _references(dirs: tuple[Path, ...]) -> tuple[Reference, ...]:
    out: list[Reference] = []
    for d in dirs:
        meta: dict[str, dict] = {}
        index = d / "references.json"
        if index.is_file():
            try:
                for entry in json.loads(index.read_text(encoding="utf-8")):
                    meta[entry["file"]] = entry
            except (ValueError, KeyError, TypeError):
                meta = {}
        for p in sorted(d.iterdir()):
            if p.suffix.lower() in IMAGE_EXTS and p.is_file():
                ref = _load_reference(p, meta.get(p.name, {}))
                if ref is not None:
                    out.append(ref)
    return tuple(out)


def references() -> tuple[Reference, ...]:
    return _references(tuple(reference_dirs()))


def match_references(img: Image.Image, frame: int = 0,
                     refs: tuple[Reference, ...] | None = None) -> list[AttributeMatch]:
    import cv2
    import imagehash

    refs = references() if refs is None else refs
    if not refs:
        return []
    W, H = img.size
    ph = imagehash.phash(img)
    side = min(900, max(W, H))
    gray = _gray(img, side)
    scale = max(W, H) / side
    # ORB's image pyramid fails on frames a few pixels thin (a 1x50 PNG gave an OpenCV
    # assertion, a 500 on the public check); such a frame has no keypoints worth matching
    kp, des = _orb().detectAndCompute(gray, None) if min(gray.shape[:2]) >= ORB_MIN_SIDE \
        else ((), None)
    matcher = cv2.BFMatcher(cv2.NORM_HAMMING)
    out: list[AttributeMatch] = []
    for ref in refs:
        dist = ph - ref.phash
        if dist <= PHASH_MAX_DISTANCE:
            out.append(AttributeMatch(ref.file, ref.label, ref.kind, ref.number, ref.target_id,
                                      round(1 - dist / 64, 3), "phash", (0, 0, W, H), frame))
            continue
        if des is None or ref.descriptors is None or len(kp) < 8 or len(ref.keypoints) < 8:
            continue
        pairs = matcher.knnMatch(ref.descriptors, des, k=2)
        good = [m for m, *n in pairs if n and m.distance < 0.75 * n[0].distance]
        if len(good) < MIN_INLIERS:
            continue
        src = np.float32([ref.keypoints[m.queryIdx] for m in good]).reshape(-1, 1, 2)
        dst = np.float32([kp[m.trainIdx].pt for m in good]).reshape(-1, 1, 2)
        hom, inl = cv2.findHomography(src, dst, cv2.RANSAC, 6.0)
        if hom is None or inl is None:
            continue
        inliers = int(inl.sum())
        if inliers < MIN_INLIERS or inliers < 0.3 * len(good):
            continue
        w, h = ref.size
        corners = np.float32([[0, 0], [w, 0], [w, h], [0, h]]).reshape(-1, 1, 2)
        quad = cv2.perspectiveTransform(corners, hom).reshape(-1, 2)
        if not cv2.isContourConvex(quad.astype(np.float32)):
            continue
        area = cv2.contourArea(quad)
        if area < 0.002 * gray.size or area > 1.5 * gray.size:
            continue
        # the matched region, warped back onto the reference, must also look like it in
        # colour (shared fonts or shapes alone give geometric matches)
        to_ref = np.float32([[64 / w, 0, 0], [0, 64 / h, 0], [0, 0, 1]]) @ np.linalg.inv(hom)
        colour = np.asarray(img.convert("RGB").resize(gray.shape[::-1]), dtype=np.float32)
        back = cv2.warpPerspective(colour, to_ref.astype(np.float64), (64, 64),
                                   borderMode=cv2.BORDER_REPLICATE)
        # compare the central part: corners of a rotated or cut-out logo show background
        diff = float(np.median(np.abs(back[12:52, 12:52] - ref.thumb[12:52, 12:52])))
        if diff > 40:
            continue
        x0, y0 = quad.min(axis=0) * scale
        x1, y1 = quad.max(axis=0) * scale
        box = (max(0, int(x0)), max(0, int(y0)), int(min(W, x1) - max(0, x0)),
               int(min(H, y1) - max(0, y0)))
        sim = round(min(1.0, inliers / 60), 3)
        out.append(AttributeMatch(ref.file, ref.label, ref.kind, ref.number, ref.target_id,
                                  sim, "orb", box, frame))
    # one reference per region: the best match wins
    out.sort(key=lambda m: -m.similarity)
    kept: list[AttributeMatch] = []
    for m in out:
        if all(_box_iou(m.box, k.box) < 0.3 for k in kept):
            kept.append(m)
    return kept


def _box_iou(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    x1, y1 = max(a[0], b[0]), max(a[1], b[1])
    x2, y2 = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[3], b[1] + b[3])
    inter = max(0, x2 - x1) * max(0, y2 - y1)
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union else 0.0


# ----------------------------------------------------------------------------- twibbon
def detect_twibbon(img: Image.Image, words=(), frame: int = 0) -> Twibbon | None:
    """A frame overlay: at least three border bands dominated by one saturated colour that
    does not also fill the centre of the picture."""
    import cv2

    small = img.convert("RGB").resize((240, 240), Image.Resampling.BILINEAR)
    hsv = cv2.cvtColor(np.asarray(small), cv2.COLOR_RGB2HSV).astype(int)
    n = 240
    b = int(n * 0.08)
    sat = (hsv[:, :, 1] > 90) & (hsv[:, :, 2] > 60)
    hue = hsv[:, :, 0]
    strips = {
        "atas": (slice(0, b), slice(0, n)),
        "bawah": (slice(n - b, n), slice(0, n)),
        "kiri": (slice(0, n), slice(0, b)),
        "kanan": (slice(0, n), slice(n - b, n)),
    }
    border = np.zeros((n, n), dtype=bool)
    for sl in strips.values():
        border[sl] = True
    hb = hue[border & sat]
    if hb.size < 0.4 * border.sum():
        return None
    hist = np.bincount(hb // 6, minlength=31)
    dom = int(np.argmax(hist))

    def in_colour(h: np.ndarray) -> np.ndarray:
        return (np.abs(h // 6 - dom) <= 1) | (np.abs(h // 6 - dom) >= 29)

    colour_mask = sat & in_colour(hue)
    sides = [name for name, sl in strips.items() if colour_mask[sl].mean() >= 0.6]
    if len(sides) < 3:
        return None
    W, H = img.size
    on_frame = []
    for w in words:
        if getattr(w, "frame", 0) != frame:
            continue
        cx, cy = (w.left + w.width / 2) / W, (w.top + w.height / 2) / H
        if min(cx, cy, 1 - cx, 1 - cy) < 0.2:
            on_frame.append(w.text)
    if len(sides) == 3 and not on_frame:  # three bands need text on them to count
        return None
    c0, c1 = int(n * 0.3), int(n * 0.7)
    if colour_mask[c0:c1, c0:c1].mean() > 0.4:  # a plain coloured poster, not a frame
        return None
    coverage = float(colour_mask[border].mean())
    pix = np.asarray(small).astype(int)[colour_mask & border]
    rgb = pix.mean(axis=0)
    # an overlay is flat colour; hills, sky and foliage vary
    if (np.abs(pix - rgb).sum(axis=1) <= 45).mean() < 0.75:
        return None
    return Twibbon(tuple(int(v) for v in rgb), round(coverage, 3), sides, on_frame, frame)


# ----------------------------------------------------------------------------- colours
def _hex_rgb(h: str) -> tuple[int, int, int] | None:
    h = h.strip().lstrip("#")
    if len(h) != 6:
        return None
    try:
        return (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16))
    except ValueError:
        return None


def colour_share(img: Image.Image, colours: list[str], max_delta_e: float = 18.0) -> float:
    """Share of the picture's pixels within ΔE (CIE76, Lab) of any of ``colours`` (hex)."""
    import cv2

    rgbs = [c for c in (_hex_rgb(h) for h in colours) if c is not None]
    if not rgbs:
        return 0.0
    small = np.asarray(img.convert("RGB").resize((96, 96), Image.Resampling.BILINEAR))
    lab = cv2.cvtColor(small.astype(np.float32) / 255.0, cv2.COLOR_RGB2Lab).reshape(-1, 3)
    refs = cv2.cvtColor(np.float32([rgbs]) / 255.0, cv2.COLOR_RGB2Lab).reshape(-1, 3)
    d = np.sqrt(((lab[:, None, :] - refs[None, :, :]) ** 2).sum(axis=2)).min(axis=1)
    return float((d <= max_delta_e).mean())
