"""Geometry passes for OCR on photographed posters: find a tilted text direction (deskew)
and a poster's four corners (perspective), and build the "views" Tesseract reads.

A view is the picture as Tesseract sees it plus the map from the view's pixels back to the
original picture, so every word keeps a box in the picture the user gave.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

SKEW_MIN_DEG = 2.5  # below this Tesseract copes by itself
SKEW_MAX_DEG = 40.0
SKEW_GAIN = 5.0  # the best angle's profile score must beat the straight one by this factor
# (tilted text lines gave 6.7-100 on the tuning renders; hills and trees up to 4.8)


@dataclass(slots=True)
class View:
    name: str  # straight | deskew | perspective
    gray: np.ndarray  # what Tesseract reads (grey, uint8)
    to_picture: Callable[[np.ndarray], np.ndarray]  # (n, 2) view pixels -> picture pixels
    detail: dict[str, float]


def _profile_score(bw: np.ndarray, angle: float) -> float:
    """Postl's projection-profile criterion: text lines turned horizontal give rows that
    alternate sharply between ink and gaps."""
    import cv2

    h, w = bw.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    rot = cv2.warpAffine(bw, m, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
    prof = rot.sum(axis=1, dtype=np.float64)
    return float(np.square(np.diff(prof)).sum())


def text_mask(gray: np.ndarray, side: int = 480) -> np.ndarray:
    """A small binary mask of stroke edges (morphological gradient + Otsu): text is dense
    there whatever its colour, smooth backgrounds are not."""
    import cv2

    h, w = gray.shape
    s = min(1.0, side / max(h, w))
    small = cv2.resize(gray, (max(1, round(w * s)), max(1, round(h * s))),
                       interpolation=cv2.INTER_AREA) if s < 1 else gray
    grad = cv2.morphologyEx(small, cv2.MORPH_GRADIENT,
                            cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3)))
    _, bw = cv2.threshold(grad, 0, 1, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return bw


def estimate_skew(gray: np.ndarray) -> tuple[float, float]:
    """(angle in degrees to turn the picture counter-clockwise so its text is level, gain
    of the best angle over 0°). Coarse 1° search over ±40°, then 0.25° refinement."""
    bw = text_mask(gray)
    if bw.sum() < 50:
        return 0.0, 1.0
    base = _profile_score(bw, 0.0) or 1.0
    coarse = {a: _profile_score(bw, a) for a in np.arange(-SKEW_MAX_DEG, SKEW_MAX_DEG + 0.1, 1.0)}
    best = max(coarse, key=coarse.get)
    fine = {a: _profile_score(bw, a) for a in np.arange(best - 0.75, best + 0.8, 0.25)}
    best = max(fine, key=fine.get)
    return float(best), fine[best] / base


def deskew_view(gray: np.ndarray, angle: float, back: Callable[[np.ndarray], np.ndarray]) -> View:
    """``gray`` turned by ``angle`` degrees on an enlarged canvas (nothing cut off); the
    border is filled with the picture's median grey so it reads as background."""
    import cv2

    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(h * sin + w * cos), int(h * cos + w * sin)
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    out = cv2.warpAffine(gray, m, (nw, nh), flags=cv2.INTER_CUBIC,
                         borderValue=int(np.median(gray)))
    inv = cv2.invertAffineTransform(m)

    def to_picture(pts: np.ndarray) -> np.ndarray:
        return back(pts @ inv[:, :2].T + inv[:, 2])

    return View("deskew", out, to_picture, {"angle": round(angle, 2)})


def find_quad(gray: np.ndarray) -> np.ndarray | None:
    """Corners (tl, tr, br, bl) of the largest convex four-sided outline covering 15–92 %
    of the picture that is clearly not an upright rectangle — a poster, banner or screen
    photographed at an angle — or None."""
    import cv2

    h, w = gray.shape
    if min(h, w) < 32:  # a sliver (a 1 x 2000 picture) has no outline to straighten
        return None
    s = min(1.0, 640 / max(h, w))
    small = (cv2.resize(gray, (max(1, round(w * s)), max(1, round(h * s))),
                        interpolation=cv2.INTER_AREA) if s < 1 else gray)
    edges = cv2.Canny(cv2.GaussianBlur(small, (5, 5), 0), 40, 120)
    edges = cv2.dilate(edges, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    contours, _ = cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    area_img = small.shape[0] * small.shape[1]
    best = None
    for c in sorted(contours, key=cv2.contourArea, reverse=True)[:12]:
        area = cv2.contourArea(c)
        if not 0.15 * area_img <= area <= 0.92 * area_img:
            continue
        approx = cv2.approxPolyDP(c, 0.02 * cv2.arcLength(c, True), True)
        if len(approx) != 4 or not cv2.isContourConvex(approx):
            continue
        best = approx.reshape(4, 2).astype(np.float64) / s
        break
    if best is None:
        return None
    # order: top-left, top-right, bottom-right, bottom-left
    ssum, diff = best.sum(1), np.diff(best, axis=1).ravel()
    quad = np.array([best[np.argmin(ssum)], best[np.argmin(diff)], best[np.argmax(ssum)],
                     best[np.argmax(diff)]])
    # an upright rectangle (a framed poster shot straight on) needs no warp
    tilt = max(abs(quad[0, 1] - quad[1, 1]), abs(quad[3, 1] - quad[2, 1]),
               abs(quad[0, 0] - quad[3, 0]), abs(quad[1, 0] - quad[2, 0]))
    if tilt < 0.03 * max(h, w):
        return None
    return quad


def perspective_view(gray: np.ndarray, quad: np.ndarray,
                     back: Callable[[np.ndarray], np.ndarray]) -> View:
    import cv2

    tl, tr, br, bl = quad
    out_w = int(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    out_h = int(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    dst = np.array([[0, 0], [out_w - 1, 0], [out_w - 1, out_h - 1], [0, out_h - 1]], np.float64)
    hmat = cv2.getPerspectiveTransform(quad.astype(np.float32), dst.astype(np.float32))
    out = cv2.warpPerspective(gray, hmat, (out_w, out_h), flags=cv2.INTER_CUBIC,
                              borderMode=cv2.BORDER_REPLICATE)
    inv = np.linalg.inv(hmat)

    def to_picture(pts: np.ndarray) -> np.ndarray:
        ph = np.column_stack([pts, np.ones(len(pts))]) @ inv.T
        return back(ph[:, :2] / ph[:, 2:3])

    return View("perspective", out, to_picture, {"width": out_w, "height": out_h})


def box_to_picture(view: View, left: int, top: int, width: int, height: int) -> tuple[int, int, int, int]:
    """The upright bounding box, in picture pixels, of a word box found in ``view``."""
    corners = np.array([[left, top], [left + width, top], [left + width, top + height],
                        [left, top + height]], dtype=np.float64)
    p = view.to_picture(corners)
    x0, y0 = p.min(0)
    x1, y1 = p.max(0)
    return (round(x0), round(y0), max(1, round(x1 - x0)), max(1, round(y1 - y0)))

