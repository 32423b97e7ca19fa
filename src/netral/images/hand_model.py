"""Hand landmarks from MediaPipe's two TFLite models, run with OpenCV's DNN module.

The models (``palm_detection_full.tflite``, ``hand_landmark_full.tflite``, Apache-2.0) ship
inside netral (``netral/images/models/``, provenance and licence next to them); nothing is
downloaded. OpenCV (already the image extra's dependency) reads TFLite files, so no extra
runtime is needed; docs/images.md explains why this beat the ``mediapipe`` wheel and LiteRT.

The pipeline re-implements the graph of MediaPipe's legacy ``solutions.hands`` in static
image mode:

1. palm detection: the picture letterboxed into 192×192 (values 0..1, black border);
   2016 SSD anchors (strides 8, 16, 16, 16; fixed size) decode into boxes + 7 keypoints,
   sigmoid scores ≥ ``min_score``, weighted non-maximum suppression (IoU 0.3). Large
   pictures are also searched in overlapping tiles so that small hands in group photos
   are seen (the palm model only gets 192 pixels for the whole picture);
2. each palm becomes a rotated square region: rotation from the wrist keypoint to the
   middle finger's knuckle (made upright), shifted half a palm towards the fingers and
   scaled 2.6×;
3. the landmark model reads that region warped to 224×224 and returns 21 landmarks
   (x, y, relative depth z), a hand-presence score and handedness; the landmarks are
   projected back into picture pixels. (``refine=True`` re-crops each hand from its own
   landmarks, as MediaPipe's tracking does; on the tuning photos it cost 40 % of the
   speed and gained nothing, so it is off.)
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_DIR = Path(__file__).parent / "models"
PALM_FILE = "palm_detection_full.tflite"
LANDMARK_FILE = "hand_landmark_full.tflite"
PALM_SIDE = 192
LANDMARK_SIDE = 224
TILE_MIN_SIDE = 1000  # pictures at least this large are also searched in tiles
TILE_MIN_SHORT_SIDE = 96  # a strip narrower than this holds no hand worth a tile of its own
MAX_TILES = 16  # each tile is one forward pass of the palm model: a bounded cost per picture
ZOOM_OUT = (1.5, 2.5)  # close-ups are searched again inside a margin this many times their side


class HandModelUnavailable(RuntimeError):
    """The landmark model cannot be used here (files missing or unreadable, no OpenCV DNN)."""


@dataclass(slots=True)
class Hand:
    """One hand: 21 landmarks (x, y in picture pixels; z relative depth in the same scale),
    presence score, handedness score (> 0.5: MediaPipe's "right" label) and the palm
    detector's score."""

    landmarks: np.ndarray  # (21, 3)
    presence: float
    handedness: float
    palm_score: float
    detail: dict[str, float] = field(default_factory=dict)

    @property
    def box(self) -> tuple[int, int, int, int]:
        xs, ys = self.landmarks[:, 0], self.landmarks[:, 1]
        x0, y0 = float(xs.min()), float(ys.min())
        return (round(x0), round(y0), round(float(xs.max()) - x0), round(float(ys.max()) - y0))


@dataclass(slots=True)
class _Palm:
    box: np.ndarray  # xmin, ymin, w, h in picture pixels
    keypoints: np.ndarray  # (7, 2) picture pixels
    score: float


# ----------------------------------------------------------------------------- anchors
@lru_cache(maxsize=1)
def palm_anchors() -> np.ndarray:
    """(2016, 2) anchor centres in 0..1, as MediaPipe's SsdAnchorsCalculator builds them for
    the palm model: strides 8, 16, 16, 16; layers of equal stride share a grid; two anchors
    per layer (aspect ratio 1 and the interpolated scale), all of fixed size."""
    strides = [8, 16, 16, 16]
    out: list[tuple[float, float]] = []
    i = 0
    while i < len(strides):
        j = i
        per_cell = 0
        while j < len(strides) and strides[j] == strides[i]:
            per_cell += 2
            j += 1
        side = math.ceil(PALM_SIDE / strides[i])
        for y in range(side):
            for x in range(side):
                out.extend([((x + 0.5) / side, (y + 0.5) / side)] * per_cell)
        i = j
    return np.asarray(out, dtype=np.float32)


def _iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """IoU of box ``a`` (xmin, ymin, w, h) with every box of ``b`` (n, 4)."""
    x1 = np.maximum(a[0], b[:, 0])
    y1 = np.maximum(a[1], b[:, 1])
    x2 = np.minimum(a[0] + a[2], b[:, 0] + b[:, 2])
    y2 = np.minimum(a[1] + a[3], b[:, 1] + b[:, 3])
    inter = np.clip(x2 - x1, 0, None) * np.clip(y2 - y1, 0, None)
    union = a[2] * a[3] + b[:, 2] * b[:, 3] - inter
    return np.where(union > 0, inter / np.maximum(union, 1e-9), 0.0)


def weighted_nms(boxes: np.ndarray, keypoints: np.ndarray, scores: np.ndarray,
                 threshold: float = 0.3) -> list[tuple[np.ndarray, np.ndarray, float]]:
    """MediaPipe's weighted non-maximum suppression: the best box absorbs every box that
    overlaps it by more than ``threshold`` IoU, and its location becomes their
    score-weighted mean (the score stays the best one's)."""
    order = np.argsort(-scores)
    remaining = list(order)
    out = []
    while remaining:
        best = remaining[0]
        idx = np.asarray(remaining)
        sim = _iou(boxes[best], boxes[idx])
        cluster = idx[sim > threshold]
        remaining = [int(i) for i in idx[sim <= threshold]]
        w = scores[cluster][:, None]
        box = (boxes[cluster] * w).sum(0) / w.sum()
        kps = (keypoints[cluster].reshape(len(cluster), -1) * w).sum(0) / w.sum()
        out.append((box, kps.reshape(-1, 2), float(scores[best])))
    return out


# ----------------------------------------------------------------------------- geometry
def crop_matrix(cx: float, cy: float, size: float, angle: float, out_side: int) -> np.ndarray:
    """Affine matrix taking picture pixels to the ``out_side``² crop of the square of side
    ``size`` centred at (cx, cy) and rotated by ``angle`` (radians, MediaPipe's sense: the
    region's "up" is the picture's up turned by ``angle`` clockwise)."""
    c, s = math.cos(angle), math.sin(angle)
    k = out_side / size
    # crop (u, v) -> picture: p = centre + R(angle) @ ((u, v) / k - size / 2)
    # inverse: (u, v) = k * R(-angle) @ (p - centre) + out_side / 2
    return np.array([
        [k * c, k * s, -k * (c * cx + s * cy) + out_side / 2],
        [-k * s, k * c, -k * (-s * cx + c * cy) + out_side / 2],
    ], dtype=np.float64)


def _normalize_angle(a: float) -> float:
    return a - 2 * math.pi * math.floor((a + math.pi) / (2 * math.pi))


def region_from_points(start: np.ndarray, end: np.ndarray, centre: np.ndarray, w: float,
                       h: float, scale: float, shift_y: float) -> tuple[float, float, float, float]:
    """MediaPipe's DetectionsToRects + RectTransformation in pixels: rotation makes the
    start→end vector point up; the centre is shifted by ``shift_y`` × height along the
    rotated "up" axis; the rectangle is squared on its long side and scaled."""
    angle = _normalize_angle(math.pi / 2 - math.atan2(-(end[1] - start[1]), end[0] - start[0]))
    sx = -h * shift_y * math.sin(angle)
    sy = h * shift_y * math.cos(angle)
    side = max(w, h) * scale
    return float(centre[0] + sx), float(centre[1] + sy), side, angle


# ----------------------------------------------------------------------------- model
class HandModel:
    """Palm detector + landmark model. Thread-safe (one lock around the networks)."""

    def __init__(self, model_dir: Path | None = None, *, min_palm_score: float = 0.3,
                 min_presence: float = 0.5, max_hands: int = 8, tiles: bool = True,
                 refine: bool = False) -> None:
        model_dir = Path(model_dir or MODEL_DIR)
        self.palm_path = model_dir / PALM_FILE
        self.landmark_path = model_dir / LANDMARK_FILE
        for p in (self.palm_path, self.landmark_path):
            if not p.is_file():
                raise HandModelUnavailable(f"model file missing: {p}")
        try:
            import cv2

            classic = cv2.dnn.ENGINE_CLASSIC  # the new engine returns only one output
            self._palm = cv2.dnn.readNetFromTFLite(str(self.palm_path), engine=classic)
            self._landmark = cv2.dnn.readNetFromTFLite(str(self.landmark_path), engine=classic)
        except Exception as exc:  # cv2 missing, too old (no TFLite reader) or a bad file
            raise HandModelUnavailable(f"cannot load the hand models with OpenCV: {exc}") from exc
        self.min_palm_score = min_palm_score
        self.min_presence = min_presence
        self.max_hands = max_hands
        self.tiles = tiles
        self.refine = refine
        self._lock = threading.Lock()

    # -- palm detection -------------------------------------------------------------------
    def _palms_in(self, rgb: np.ndarray, x0: int, y0: int) -> list[tuple[np.ndarray, np.ndarray, float]]:
        """Raw palm candidates (box, keypoints in picture pixels, score) in one window."""
        import cv2

        h, w = rgb.shape[:2]
        s = PALM_SIDE / max(h, w)
        nw, nh = max(1, round(w * s)), max(1, round(h * s))
        small = cv2.resize(rgb, (nw, nh), interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR)
        pad = np.zeros((PALM_SIDE, PALM_SIDE, 3), np.float32)
        oy, ox = (PALM_SIDE - nh) // 2, (PALM_SIDE - nw) // 2
        pad[oy:oy + nh, ox:ox + nw] = small.astype(np.float32) / 255.0
        with self._lock:
            self._palm.setInput(pad.transpose(2, 0, 1)[None].copy())
            raw, logits = self._palm.forward(["Identity", "Identity_1"])
        raw = raw.reshape(-1, 18)
        scores = 1.0 / (1.0 + np.exp(-np.clip(logits.reshape(-1), -100, 100)))
        keep = scores >= self.min_palm_score
        if not keep.any():
            return []
        anchors = palm_anchors()[keep]
        raw, scores = raw[keep], scores[keep]
        cx = raw[:, 0] / PALM_SIDE + anchors[:, 0]
        cy = raw[:, 1] / PALM_SIDE + anchors[:, 1]
        bw, bh = raw[:, 2] / PALM_SIDE, raw[:, 3] / PALM_SIDE
        kx = raw[:, 4::2] / PALM_SIDE + anchors[:, :1]
        ky = raw[:, 5::2] / PALM_SIDE + anchors[:, 1:]

        # letterbox square (0..1) -> window pixels -> picture pixels
        def to_px_x(v):
            return (v * PALM_SIDE - ox) / s + x0

        def to_px_y(v):
            return (v * PALM_SIDE - oy) / s + y0

        boxes = np.stack([to_px_x(cx - bw / 2), to_px_y(cy - bh / 2), bw * PALM_SIDE / s,
                          bh * PALM_SIDE / s], axis=1)
        kps = np.stack([to_px_x(kx), to_px_y(ky)], axis=2)
        return [(boxes[i], kps[i], float(scores[i])) for i in range(len(scores))]

    def _windows(self, w: int, h: int) -> list[tuple[int, int, int, int]]:
        """The whole picture, plus overlapping tiles when it is large (a group photo, a
        phone picture of a crowd): the palm model sees the whole picture at 192 px, where a
        hand of 5 % of a 1600 px picture's width is under 10 pixels."""
        wins = [(0, 0, w, h)]
        # a thin strip (1 × 2,000 px, 7 × 5,000 px) would be cut into thousands of tiles a few
        # pixels wide — thousands of forward passes for one hostile upload, and none can hold a hand
        if not self.tiles or max(w, h) < TILE_MIN_SIDE or min(w, h) < TILE_MIN_SHORT_SIDE:
            return wins
        # square tiles of about half the long side (a third for very large pictures),
        # never longer than the short side, overlapping by at least a quarter
        frac = 0.55 if max(w, h) < 1600 else 0.4
        side = min(w, h, round(max(w, h) * frac))
        step = side * 0.75
        nx = max(1, math.ceil((w - side) / step) + 1)
        ny = max(1, math.ceil((h - side) / step) + 1)
        if nx * ny > MAX_TILES:  # a very long picture: at most MAX_TILES, spread along it
            nx, ny = (min(nx, MAX_TILES), 1) if nx >= ny else (1, min(ny, MAX_TILES))
        xs = np.linspace(0, w - side, nx).round().astype(int)
        ys = np.linspace(0, h - side, ny).round().astype(int)
        for y in sorted(set(ys.tolist())):
            for x in sorted(set(xs.tolist())):
                wins.append((x, y, side, side))
        return wins

    def detect_palms(self, rgb: np.ndarray, zoom_out: float | None = None) -> list[_Palm]:
        """Palms in the picture (and its tiles), or — with ``zoom_out`` — in the picture
        shrunk inside a black margin ``zoom_out`` times its side."""
        h, w = rgb.shape[:2]
        cands = []
        if zoom_out:
            cands = self._palms_zoomed_out(rgb, zoom_out)
        else:
            for x, y, ww, hh in self._windows(w, h):
                cands.extend(self._palms_in(rgb[y:y + hh, x:x + ww], x, y))
        if not cands:
            return []
        boxes = np.stack([c[0] for c in cands])
        kps = np.stack([c[1] for c in cands])
        scores = np.asarray([c[2] for c in cands])
        merged = weighted_nms(boxes, kps, scores, 0.3)
        return [_Palm(b, k, sc) for b, k, sc in merged[: self.max_hands * 2]]

    def _palms_zoomed_out(self, rgb: np.ndarray, factor: float) -> list:
        h, w = rgb.shape[:2]
        side = round(max(h, w) * factor)
        canvas = np.zeros((side, side, 3), np.uint8)
        oy, ox = (side - h) // 2, (side - w) // 2
        canvas[oy:oy + h, ox:ox + w] = rgb
        return self._palms_in(canvas, -ox, -oy)

    # -- landmarks ------------------------------------------------------------------------
    def _landmarks_in(self, rgb: np.ndarray, cx: float, cy: float, size: float,
                      angle: float) -> tuple[np.ndarray, float, float]:
        import cv2

        m = crop_matrix(cx, cy, size, angle, LANDMARK_SIDE)
        crop = cv2.warpAffine(rgb, m, (LANDMARK_SIDE, LANDMARK_SIDE), flags=cv2.INTER_LINEAR,
                              borderMode=cv2.BORDER_REPLICATE)
        x = (crop.astype(np.float32) / 255.0).transpose(2, 0, 1)[None].copy()
        with self._lock:
            self._landmark.setInput(x)
            lm, presence, handed = self._landmark.forward(["Identity", "Identity_1", "Identity_2"])
        pts = lm.reshape(21, 3).astype(np.float64)
        # crop pixels -> picture pixels (inverse of the affine map); z scales like x
        inv = cv2.invertAffineTransform(m)
        xy = pts[:, :2] @ inv[:, :2].T + inv[:, 2]
        z = pts[:, 2] * size / LANDMARK_SIDE
        return np.column_stack([xy, z]), float(presence.reshape(-1)[0]), float(handed.reshape(-1)[0])

    def hands(self, rgb: np.ndarray) -> list[Hand]:
        """Every hand in an RGB uint8 picture (H, W, 3). When none is found, the picture is
        searched again shrunk inside a margin: in a close-up the hand fills the frame, and
        the palm model expects some surroundings."""
        rgb = np.ascontiguousarray(rgb[:, :, :3])
        for zoom in (None, *ZOOM_OUT):
            found = self._hands_from(rgb, self.detect_palms(rgb, zoom))
            if found:
                return found
        return []

    def _hands_from(self, rgb: np.ndarray, palms: list[_Palm]) -> list[Hand]:
        out: list[Hand] = []
        for palm in palms:
            bx, by, bw, bh = palm.box
            centre = np.array([bx + bw / 2, by + bh / 2])
            cx, cy, size, angle = region_from_points(palm.keypoints[0], palm.keypoints[2],
                                                     centre, bw, bh, 2.6, -0.5)
            pts, presence, handed = self._landmarks_in(rgb, cx, cy, size, angle)
            if presence < self.min_presence:
                continue
            if self.refine:
                pts2, presence2, handed2 = self._landmarks_in(rgb, *self.region_from_landmarks(pts))
                if presence2 >= presence - 0.1:
                    pts, presence, handed = pts2, max(presence, presence2), handed2
            hand = Hand(pts, presence, handed, palm.score,
                        detail={"palm_score": round(palm.score, 3)})
            if any(_same_hand(hand, o) for o in out):
                continue
            out.append(hand)
            if len(out) >= self.max_hands:
                break
        return out

    @staticmethod
    def region_from_landmarks(pts: np.ndarray) -> tuple[float, float, float, float]:
        """MediaPipe's hand_landmark_landmarks_to_roi: rotation from the wrist towards the
        knuckles (middle knuckle averaged with the mean of index and ring knuckles), the
        upright bounding box of the palm and lower finger joints, squared on its long side,
        scaled 2.0 and shifted 0.1 of its height towards the wrist."""
        keep = [0, 1, 2, 3, 5, 6, 9, 10, 13, 14, 17, 18]
        p = pts[keep, :2]
        wrist = pts[0, :2]
        knuckles = ((pts[5, :2] + pts[13, :2]) / 2 + pts[9, :2]) / 2
        angle = _normalize_angle(math.pi / 2 - math.atan2(-(knuckles[1] - wrist[1]),
                                                          knuckles[0] - wrist[0]))
        # box of the points in the rotated frame
        c, s = math.cos(angle), math.sin(angle)
        rot = np.array([[c, s], [-s, c]])  # picture -> upright
        q = p @ rot.T
        lo, hi = q.min(0), q.max(0)
        centre_up = (lo + hi) / 2
        w, h = hi - lo
        centre = centre_up @ rot  # upright -> picture
        sx = -h * -0.1 * s
        sy = h * -0.1 * c
        side = max(w, h) * 2.0
        return float(centre[0] + sx), float(centre[1] + sy), float(side), angle


def _same_hand(a: Hand, b: Hand) -> bool:
    ax, ay, aw, ah = a.box
    bx, by, bw, bh = b.box
    box_a = np.array([ax, ay, max(aw, 1), max(ah, 1)], dtype=float)
    box_b = np.array([[bx, by, max(bw, 1), max(bh, 1)]], dtype=float)
    return float(_iou(box_a, box_b)[0]) > 0.45


_model: HandModel | None = None
_model_error: str | None = None
_model_lock = threading.Lock()


def model_dir() -> Path:
    """``NETRAL_HAND_MODEL_DIR`` (an agency's own copy of the same two files) or the
    models shipped inside netral."""
    from netral.config import get_settings

    return get_settings().hand_model_dir or MODEL_DIR  # NETRAL_HAND_MODEL_DIR


def get_model() -> HandModel:
    """The shared model, loaded once; raises HandModelUnavailable (remembered) when it
    cannot be loaded."""
    global _model, _model_error
    with _model_lock:
        if _model is not None:
            return _model
        if _model_error is not None:
            raise HandModelUnavailable(_model_error)
        try:
            _model = HandModel(model_dir())
        except HandModelUnavailable as exc:
            _model_error = str(exc)
            raise
        return _model


def reset_model() -> None:
    """Forget the loaded model (tests, or after NETRAL_HAND_MODEL_DIR changed)."""
    global _model, _model_error
    with _model_lock:
        _model, _model_error = None, None
