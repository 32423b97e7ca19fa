"""Ballot-number hand gestures: one, two, three raised fingers and the metal sign.

Two detectors:

* ``landmark`` (default): MediaPipe's palm detector and hand-landmark model, shipped inside
  netral (``netral/images/models/``) and run with OpenCV's DNN module
  (:mod:`netral.images.hand_model`); the 21 landmarks of every hand are named as a pose by
  :mod:`netral.images.hand_pose`.
* ``classical`` (fallback only, when the model cannot be loaded): skin segmentation and
  finger runs on circles around the palm, described below. It is much weaker on real
  photos; the result says which detector ran (``ImageResult.gesture_method``) and, when
  the fallback ran, why (``ImageResult.notes``).

``NETRAL_GESTURE_DETECTOR=classical`` forces the fallback (benchmarks, comparison).

Classical detector:

1. skin segmentation in YCrCb with a hue limit, cleaned by morphology;
2. for every hand-sized skin blob, the palm centre and palm radius ``r`` come from the
   distance transform (the widest inner point of the blob);
3. the blob is sampled on circles of radius 1.6r, 1.85r and 2.1r around the palm centre;
   each run of skin pixels on a circle is a finger (narrow run), the wrist/forearm (wide run)
   or noise. The wrist gives the hand's "up" direction; a narrow run far to the side of "up"
   is the thumb;
4. the count of raised fingers, with the metal sign recognised as two raised fingers
   (index and little finger) with a gap of two folded fingers between them.
"""

from __future__ import annotations

import logging
import math
from dataclasses import asdict, dataclass, field

import numpy as np
from PIL import Image

WORK_SIDE = 640  # pictures are reduced to this side for gesture detection
RADII = (1.6, 1.85, 2.1)  # sampling circles, in palm radii
BALLOT = {"satu_jari": 1, "dua_jari": 2, "tiga_jari": 3, "metal": 3}


@dataclass(slots=True)
class Gesture:
    # satu_jari | dua_jari | tiga_jari | metal | empat_jari | lima_jari | kepal | jempol
    # (landmark detector also: tunjuk, pistol, telepon, lainnya)
    name: str
    fingers: int  # raised fingers (thumb included)
    box: tuple[int, int, int, int]  # left, top, width, height in the original picture
    confidence: float
    thumb: bool = False
    method: str = "classical"
    frame: int = 0
    detail: dict[str, float] = field(default_factory=dict)

    @property
    def number(self) -> int | None:
        """The ballot number the pose can be read as, or None."""
        return BALLOT.get(self.name)

    @property
    def is_ballot(self) -> bool:
        return self.name in BALLOT

    def to_dict(self) -> dict[str, object]:
        d = asdict(self)
        d["number"] = self.number
        return d


def _label(n_fingers: int, thumb: bool, metal: bool) -> str:
    if metal:
        return "metal"
    if n_fingers == 0:
        return "kepal"
    if n_fingers == 1 and thumb:
        return "jempol"
    return {1: "satu_jari", 2: "dua_jari", 3: "tiga_jari", 4: "empat_jari"}.get(
        n_fingers, "lima_jari"
    )


# ----------------------------------------------------------------------------- classical
def skin_mask(rgb: np.ndarray) -> np.ndarray:
    import cv2

    ycrcb = cv2.cvtColor(rgb, cv2.COLOR_RGB2YCrCb)
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    m1 = cv2.inRange(ycrcb, (40, 135, 77), (255, 175, 127))
    # skin hue is red-orange; yellow/green backgrounds fall inside the YCrCb box
    hue = hsv[:, :, 0]
    m2 = ((hue <= 22) | (hue >= 170)).astype(np.uint8) * 255
    m3 = cv2.inRange(hsv[:, :, 1], 25, 200)  # not grey, not neon
    mask = cv2.bitwise_and(cv2.bitwise_and(m1, m2), m3)
    k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5))
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, k)
    size = max(5, min(mask.shape[:2]) // 120) | 1  # bridge shadows and creases
    k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, k)
    return mask


def _runs(values: np.ndarray) -> list[tuple[int, int]]:
    """Circular runs of True: (start index, length)."""
    n = len(values)
    if values.all():
        return [(0, n)]
    if not values.any():
        return []
    shift = int(np.argmin(values))  # start at a False so runs do not wrap
    v = np.roll(values, -shift)
    out: list[tuple[int, int]] = []
    i = 0
    while i < n:
        if v[i]:
            j = i
            while j < n and v[j]:
                j += 1
            out.append(((i + shift) % n, j - i))
            i = j
        else:
            i += 1
    return out


def _angle_diff(a: float, b: float) -> float:
    d = (a - b + math.pi) % (2 * math.pi) - math.pi
    return d


def _analyse_blob(blob: np.ndarray, cx: float, cy: float, r: float) -> dict | None:
    h, w = blob.shape
    n = 360
    thetas = np.linspace(0, 2 * math.pi, n, endpoint=False)
    per_radius = []
    for k in RADII:
        rad = k * r
        xs = np.round(cx + rad * np.cos(thetas)).astype(int)
        ys = np.round(cy + rad * np.sin(thetas)).astype(int)
        inside = (xs >= 0) & (xs < w) & (ys >= 0) & (ys < h)
        vals = np.zeros(n, dtype=bool)
        vals[inside] = blob[ys[inside], xs[inside]] > 0
        # leaving the picture counts as a wide run (arm cut by the border)
        edge = ~inside
        step = 2 * math.pi * rad / n
        fingers, wide = [], []
        for start, length in _runs(vals | edge):
            arc = length * step
            centre = thetas[(start + length // 2) % n]
            touches_edge = bool(edge[[(start + i) % n for i in range(length)]].any())
            if touches_edge or arc > 1.2 * r:
                wide.append((centre, arc))
            elif arc >= 0.16 * r:
                fingers.append((centre, arc))
        per_radius.append((rad, fingers, wide))
    # up direction: away from the widest run (wrist / forearm) on the inner circle
    wides = [wd for _, _, ws in per_radius for wd in ws]
    if wides:
        wrist = max(wides, key=lambda t: t[1])[0]
        up = wrist + math.pi
    else:
        up = -math.pi / 2  # image up
    # a finger crosses neighbouring circles at nearly the same angle; ears, knuckles and
    # noise show on one circle only
    tol = math.radians(25)
    kept = []
    for i, (rad, fingers, wide) in enumerate(per_radius):
        nb = [c for j in (i - 1, i + 1) if 0 <= j < len(per_radius) for c, _ in per_radius[j][1]]
        fingers = [(c, arc) for c, arc in fingers
                   if any(abs(_angle_diff(c, o)) <= tol for o in nb)]
        kept.append((rad, fingers, wide))
    per_radius = kept
    best = None
    for rad, fingers, wide in per_radius:
        if len(wide) > 1:  # several wide runs: a body, a face with hair... not a hand
            continue
        offs = [(_angle_diff(c, up), arc) for c, arc in fingers]
        main = sorted(o for o in offs if abs(o[0]) <= math.radians(52))
        side = [o for o in offs if math.radians(52) < abs(o[0]) <= math.radians(115)]
        thumb = len(side) == 1
        if len(side) > 1:
            continue  # two "thumbs": ears of a face, not a hand
        count = len(main) + int(thumb)
        metal = False
        if len(main) == 2:
            gap = abs(main[1][0] - main[0][0]) * rad
            metal = gap >= 1.0 * r
        cand = {"count": count, "thumb": thumb, "metal": metal, "radius": rad, "main": main}
        if best is None or count > best["count"]:
            best = cand
    if best is None:
        return None
    counts = [len([1 for c, _ in f if abs(_angle_diff(c, up)) <= math.radians(115)])
              for _, f, _ in per_radius]
    agree = sum(1 for c in counts if c == best["count"]) / len(counts)
    best["agree"] = agree
    return best


def detect_classical(img: Image.Image, frame: int = 0) -> list[Gesture]:
    import cv2

    rgb = np.asarray(img.convert("RGB"))
    H, W = rgb.shape[:2]
    scale = min(1.0, WORK_SIDE / max(H, W))
    if scale < 1.0:
        # explicit size, at least 1 px: a picture 1 px thin would otherwise shrink to 0 px
        # and OpenCV asserts (a 500 on the public check)
        size = (max(1, round(W * scale)), max(1, round(H * scale)))
        rgb = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
    h, w = rgb.shape[:2]
    mask = skin_mask(rgb)
    n_lab, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out: list[Gesture] = []
    for lab in range(1, n_lab):
        x, y, bw, bh, area = (int(v) for v in stats[lab])
        if area < 0.006 * h * w or area > 0.5 * h * w:
            continue
        blob = (labels == lab).astype(np.uint8) * 255
        # pad so that a forearm cut by the picture's border does not look wide
        dist = cv2.distanceTransform(cv2.copyMakeBorder(blob, 1, 1, 1, 1, cv2.BORDER_CONSTANT, value=0),
                                     cv2.DIST_L2, 5)[1:-1, 1:-1]
        _, r, _, (pcx, pcy) = cv2.minMaxLoc(dist)
        if r < 8:
            continue
        # a hand's blob is much larger than its palm disc; a round patch (sun, face) is not
        if area < 2.2 * math.pi * r * r * 0.5:
            continue
        res = _analyse_blob(blob, float(pcx), float(pcy), float(r))
        if res is None:
            continue
        name = _label(res["count"], res["thumb"], res["metal"])
        conf = round(0.45 + 0.4 * res["agree"] + (0.1 if r > 20 else 0.0), 2)
        inv = 1.0 / scale
        out.append(
            Gesture(
                name=name,
                fingers=res["count"],
                box=(round(x * inv), round(y * inv), round(bw * inv), round(bh * inv)),
                confidence=min(conf, 0.95),
                thumb=res["thumb"],
                method="classical",
                frame=frame,
                detail={"palm_radius": round(r * inv, 1), "agree": round(res["agree"], 2)},
            )
        )
    return out


# ----------------------------------------------------------------------------- landmarks
log = logging.getLogger(__name__)
METHODS = ("landmark", "classical")
_warned = False


def detect_landmarks(img: Image.Image, frame: int = 0, model=None) -> list[Gesture]:
    """Every hand the landmark model finds, named by its pose."""
    from netral.images.hand_model import get_model
    from netral.images.hand_pose import classify

    model = model or get_model()
    out: list[Gesture] = []
    for hand in model.hands(np.asarray(img.convert("RGB"))):
        pose = classify(hand.landmarks)
        out.append(Gesture(
            name=pose.name, fingers=pose.fingers, box=hand.box,
            confidence=round(min(pose.confidence, hand.presence), 2), thumb=pose.thumb,
            method="landmark", frame=frame,
            detail={"presence": round(hand.presence, 3), "palm_score": round(hand.palm_score, 3),
                    "index_up_angle": pose.up_angle,
                    **{f"bend_{k}": v for k, v in pose.bends.items()}},
        ))
    return out


def requested_method() -> str:
    """``NETRAL_GESTURE_DETECTOR`` (``landmark``/``classical``), default ``landmark``."""
    from netral.config import get_settings

    value = get_settings().gesture_detector.strip().lower()  # NETRAL_GESTURE_DETECTOR
    return value if value in METHODS else "landmark"


def model_status() -> tuple[bool, str]:
    """(True, "") when the landmark model loads here, else (False, why)."""
    from netral.images.hand_model import HandModelUnavailable, get_model

    try:
        get_model()
    except HandModelUnavailable as exc:
        return False, str(exc)
    return True, ""


def detector_name() -> str:
    """The detector ``detect_gestures`` will use here: ``landmark`` or ``classical``."""
    if requested_method() == "classical":
        return "classical"
    return "landmark" if model_status()[0] else "classical"


@dataclass(slots=True)
class GestureRun:
    gestures: list[Gesture]
    method: str  # landmark | classical
    fallback_reason: str = ""  # why the classical fallback ran instead of the model


def detect_gestures(frames: list[Image.Image], method: str | None = None) -> GestureRun:
    """Gestures in every frame with the landmark model; the classical detector only when
    the model cannot be loaded (or when ``method="classical"`` is asked for)."""
    method = method or requested_method()
    reason = ""
    if method == "landmark":
        ok, why = model_status()
        if ok:
            out: list[Gesture] = []
            for i, frame in enumerate(frames):
                out.extend(detect_landmarks(frame, i))
            return GestureRun(out, "landmark")
        reason = why
        global _warned
        if not _warned:  # once per process: an audit of 10,000 pictures needs one line
            log.warning("hand-landmark model unavailable (%s); using the classical detector", why)
            _warned = True
    out = []
    for i, frame in enumerate(frames):
        out.extend(detect_classical(frame, i))
    return GestureRun(out, "classical", reason)
