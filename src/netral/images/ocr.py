"""Text in pictures: Tesseract (Indonesian model) behind preprocessing made for social-media
images — small pictures are upscaled (towards 1000 px, at most 3×), converted to grey and
contrast-equalised (CLAHE); Tesseract reads that picture and an adaptive-threshold
binarisation of it (uneven backgrounds, text on photos and on coloured bands, light-on-dark
text), and the readings are merged. Words come back with their boxes in the ORIGINAL
picture's coordinates and their confidences; noise (low confidence, symbol soup, pictures
that yield only one- or two-letter tokens) is dropped."""

from __future__ import annotations

import math
import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from functools import lru_cache

import numpy as np
from PIL import Image

from netral.images.ocr_geometry import (
    SKEW_GAIN,
    SKEW_MIN_DEG,
    View,
    box_to_picture,
    deskew_view,
    estimate_skew,
    find_quad,
    perspective_view,
)

# One Tesseract thread per call: the machine has two cores and callers parallelise by image.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

_PARALLEL = min(2, os.cpu_count() or 1)
MIN_CONF = 55.0  # words below this confidence are dropped (noise on photos)
TARGET_SIDE = 1000  # small pictures are upscaled towards this longer side (max 3×)
SMALL_TEXT_PX = 15  # words read smaller than this (lower quartile of heights) trigger the scale pass
TARGET_TEXT_PX = 28  # ... which enlarges the view so that words reach about this height
MAX_SMALL_TEXT_ZOOM = 2.5
MAX_OCR_PIXELS = 9_000_000  # the scale pass never makes Tesseract read more than this
# Scene pass: a street or room photo whose banners hold short lines of text among wires,
# trees and buildings. Tesseract's page layout finds little there at the photo's own size;
# enlarged and read as sparse text it finds more (docs/images.md, real banner photos).
SCENE_MIN_SIDE = 900  # only views this large (after preprocess(): pictures under 300 px never)
SCENE_MAX_CHARS = 60  # ... whose straight reading kept fewer confident characters than this
SCENE_ZOOM = 2.0
_WORDCHAR = re.compile(r"[0-9A-Za-zÀ-ÿ]")


class OcrUnavailable(RuntimeError):
    """Tesseract cannot run. ``code`` names why (``no_executable``, ``failed``) for the
    message catalogue; ``detail`` is Tesseract's own error text (technical, not translated)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(detail or code)
        self.code = code
        self.detail = detail

    def reason(self, lang: str = "id") -> str:
        """Why, in the requested language (netral.images.messages)."""
        from netral.images.messages import msg

        if self.code == "no_executable":
            return msg("ocr_reason_no_executable", lang)
        return msg("ocr_reason_failed", lang, detail=self.detail or self.code)


@dataclass(slots=True)
class Word:
    text: str
    conf: float
    left: int
    top: int
    width: int
    height: int
    frame: int = 0
    start: int = 0  # character offsets of the word in OcrResult.text
    end: int = 0

    @property
    def box(self) -> tuple[int, int, int, int]:
        return (self.left, self.top, self.width, self.height)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(slots=True)
class OcrResult:
    text: str
    words: list[Word]
    lang: str
    passes: list[str]

    @property
    def mean_conf(self) -> float:
        return float(np.mean([w.conf for w in self.words])) if self.words else 0.0


@lru_cache(maxsize=1)
def tesseract_langs() -> tuple[str, ...]:
    """Languages the installed Tesseract knows; raises OcrUnavailable when it is missing."""
    import pytesseract

    if shutil.which(pytesseract.pytesseract.tesseract_cmd) is None:
        raise OcrUnavailable("no_executable")
    try:
        return tuple(pytesseract.get_languages(config=""))
    except Exception as exc:  # pytesseract raises several types
        raise OcrUnavailable("failed", str(exc).strip()) from exc


def ocr_lang() -> str:
    langs = tesseract_langs()
    if "ind" in langs:
        return "ind"
    return "eng" if "eng" in langs else langs[0]


def preprocess(img: Image.Image) -> tuple[np.ndarray, float]:
    """Return the equalised grey picture (upscaled) and the scale factor used."""
    import cv2

    rgb = np.asarray(img.convert("RGB"))
    h, w = rgb.shape[:2]
    scale = min(3.0, TARGET_SIDE / max(h, w)) if max(h, w) < TARGET_SIDE else 1.0
    if scale > 1.05:
        rgb = cv2.resize(rgb, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    else:
        scale = 1.0
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    clahe = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8))
    return clahe.apply(gray), scale


def binarise(gray: np.ndarray, method: str = "otsu") -> np.ndarray:
    """Black text on white: Otsu or adaptive threshold; the majority colour becomes white."""
    import cv2

    blur = cv2.GaussianBlur(gray, (3, 3), 0)
    if method == "adaptive":
        block = max(15, (min(gray.shape[:2]) // 20) | 1)
        binary = cv2.adaptiveThreshold(
            blur, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, block, 10
        )
    else:
        _, binary = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    if binary.mean() < 127:  # mostly dark: light text on a dark background
        binary = 255 - binary
    return binary


def _read(binary: np.ndarray, lang: str, psm: int) -> list[Word]:
    import pytesseract

    data = pytesseract.image_to_data(
        Image.fromarray(binary),
        lang=lang,
        config=f"--oem 1 --psm {psm}",
        output_type=pytesseract.Output.DICT,
    )
    out: list[Word] = []
    for i, raw in enumerate(data["text"]):
        text = (raw or "").strip()
        try:
            conf = float(data["conf"][i])
        except (TypeError, ValueError):
            continue
        if not text or conf < 0:
            continue
        out.append(
            Word(
                text=text,
                conf=conf,
                left=int(data["left"][i]),
                top=int(data["top"][i]),
                width=int(data["width"][i]),
                height=int(data["height"][i]),
            )
        )
    return out


def _keep(word: Word) -> bool:
    """Drop noise: low confidence, no letters/digits, mostly symbols, short unsure tokens."""
    if word.conf < MIN_CONF or not _WORDCHAR.search(word.text):
        return False
    alnum = sum(ch.isalnum() for ch in word.text)
    if alnum < max(1, (len(word.text) + 1) // 2):
        return False
    if alnum <= 2 and word.conf < 80:
        return False
    return not (alnum == 1 and word.conf < 88)


def _iou(a: Word, b: Word) -> float:
    x1, y1 = max(a.left, b.left), max(a.top, b.top)
    x2 = min(a.left + a.width, b.left + b.width)
    y2 = min(a.top + a.height, b.top + b.height)
    inter = max(0, x2 - x1) * max(0, y2 - y1)
    union = a.width * a.height + b.width * b.height - inter
    return inter / union if union else 0.0


def _merge(base: list[Word], extra: list[Word]) -> list[Word]:
    out = list(base)
    for w in extra:
        clash = [i for i, o in enumerate(out) if _iou(o, w) > 0.3]
        if not clash:
            out.append(w)
        elif all(out[i].conf < w.conf - 5 for i in clash):
            for i in sorted(clash, reverse=True):
                out.pop(i)
            out.append(w)
    return out


def _score(words: list[Word]) -> float:
    return sum(w.conf / 100.0 * len(w.text) for w in words)


def _assemble(words: list[Word]) -> tuple[str, list[Word]]:
    """Order words in reading order (frame, line, x), join lines with newlines and record
    every word's character offsets."""
    ordered: list[Word] = []
    for frame in sorted({w.frame for w in words}):
        fw = sorted((w for w in words if w.frame == frame), key=lambda w: w.top + w.height / 2)
        lines: list[list[Word]] = []
        for w in fw:
            cy = w.top + w.height / 2
            if lines:
                last = lines[-1]
                ly = np.mean([x.top + x.height / 2 for x in last])
                lh = np.mean([x.height for x in last])
                if abs(cy - ly) < 0.5 * max(lh, w.height):
                    last.append(w)
                    continue
            lines.append([w])
        for line in lines:
            line.sort(key=lambda w: w.left)
            ordered.extend(line)
            ordered.append(None)  # type: ignore[arg-type]  # line break marker
    parts: list[str] = []
    pos = 0
    result: list[Word] = []
    prev_break = True
    for w in ordered:
        if w is None:
            if parts and not prev_break:
                parts.append("\n")
                pos += 1
            prev_break = True
            continue
        if not prev_break:
            parts.append(" ")
            pos += 1
        w.start, w.end = pos, pos + len(w.text)
        parts.append(w.text)
        pos = w.end
        result.append(w)
        prev_break = False
    return "".join(parts).rstrip("\n"), result


def _unsure(words: list[Word]) -> int:
    """Tokens that look like words but were read with too little confidence to keep."""
    return sum(1 for w in words if not _keep(w) and sum(ch.isalpha() for ch in w.text) >= 3)


def _run(jobs: list[tuple[np.ndarray, int]], lang: str) -> list[list[Word]]:
    if _PARALLEL > 1 and len(jobs) > 1:  # Tesseract processes side by side (lower latency)
        with ThreadPoolExecutor(_PARALLEL) as ex:
            return list(ex.map(lambda j: _read(j[0], lang, j[1]), jobs))
    return [_read(a, lang, p) for a, p in jobs]


def _small_text_factor(readings: list[list[Word]], gray: np.ndarray) -> float:
    """How much to enlarge a view whose text Tesseract found but read at a small size
    (lower-quartile word height under SMALL_TEXT_PX: a whole form or page in one photo); 1.0 when
    the text is large enough or the enlarged picture would pass MAX_OCR_PIXELS."""
    # word-like tokens only; table rules and picture edges read as tall junk, so the lower
    # quartile of heights speaks for the small print
    heights = [w.height for r in readings for w in r
               if sum(ch.isalpha() for ch in w.text) >= 3 and w.conf >= 30]
    if len(heights) < 3:
        return 1.0
    small = float(np.percentile(heights, 25))
    if small >= SMALL_TEXT_PX:
        return 1.0
    return _within_budget(min(MAX_SMALL_TEXT_ZOOM, TARGET_TEXT_PX / max(small, 1.0)), gray)


def _within_budget(factor: float, gray: np.ndarray) -> float:
    """``factor`` lowered so the enlarged picture stays within MAX_OCR_PIXELS; 1.0 (no pass)
    when what is left is under 1.3, too little to read anything new."""
    room = math.sqrt(MAX_OCR_PIXELS / max(1, gray.shape[0] * gray.shape[1]))
    factor = min(factor, room)
    return factor if factor >= 1.3 else 1.0


def _alnum(text: str) -> int:
    return sum(ch.isalnum() for ch in text)


def _scene_factor(readings: list[list[Word]], gray: np.ndarray) -> float:
    """How much to enlarge a large picture in which Tesseract kept little text but saw
    word-like tokens (a photographed street scene with banners); 1.0 when it does not apply
    or the enlarged picture would pass MAX_OCR_PIXELS."""
    if max(gray.shape[:2]) < SCENE_MIN_SIDE:
        return 1.0
    kept = sum(len(w.text) for r in readings for w in r if _keep(w))
    if kept >= SCENE_MAX_CHARS:
        return 1.0
    # text seen but not read: a word-like token (three or more letters) too unsure to keep.
    # A photo with no text at all (hands, landscapes) and a short poster read cleanly cost
    # nothing more
    if not any(_unsure(r) for r in readings):
        return 1.0
    return _within_budget(SCENE_ZOOM, gray)


def _enlarged(gray: np.ndarray, factor: float, jobs: list[tuple[str, int]],
              lang: str) -> list[list[Word]]:
    """Read ``gray`` enlarged by ``factor`` (``grey`` or ``adaptive`` binarisation with the
    given page-segmentation mode); boxes come back in ``gray``'s pixels."""
    import cv2

    big = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
    arrays = {"grey": big}
    if any(kind == "adaptive" for kind, _ in jobs):
        arrays["adaptive"] = binarise(big, "adaptive")
    readings = _run([(arrays[kind], psm) for kind, psm in jobs], lang)
    for words in readings:
        for w in words:
            w.left, w.top = round(w.left / factor), round(w.top / factor)
            w.width, w.height = max(1, round(w.width / factor)), max(1, round(w.height / factor))
    return readings


def _read_view(view: View, lang: str, thorough: bool, scene: bool = False) -> list[Word]:
    """Tesseract on one view. First the equalised grey picture (page segmentation "auto")
    and an adaptive-threshold binarisation (sparse text), side by side. Then, as needed:

    * scale: when the words found are small (a form or page photographed whole), the view
      is enlarged so letters reach ~TARGET_TEXT_PX and read again;
    * scene (``scene=True``: the straight view of a picture with no poster outline and no
      tilt): when a large picture yields little confident text and word-like tokens too
      unsure to keep (banners in a street photo), it is enlarged 2× and read as sparse text
      (grey and adaptive binarisation);
    * contrast: when word-like tokens were read too unsurely to keep (blur, low contrast),
      a global Otsu binarisation ("auto") and the grey picture as one uniform block of text
      (page segmentation 6).

    ``thorough`` always runs the contrast passes, plus the inverted picture. Readings merge
    by box overlap (the more confident word wins); boxes stay in the view's pixels."""
    jobs = [(view.gray, 3), (binarise(view.gray, "adaptive"), 11)]
    readings = _run(jobs, lang)
    factor = _small_text_factor(readings, view.gray)
    if factor > 1.0:
        enlarged = _enlarged(view.gray, factor, [("grey", 3), ("adaptive", 11)], lang)
        readings = enlarged + readings  # the enlarged reading leads the merge
    elif scene:
        zoom = _scene_factor(readings, view.gray)
        if zoom > 1.0:
            # after the straight readings: it adds the words they missed and replaces one
            # only when clearly more confident, so what was read well stays as it was
            scene_words = _enlarged(view.gray, zoom, [("grey", 11), ("adaptive", 11)], lang)
            # sparse-text mode on an enlarged busy picture reads lone letters out of texture;
            # a lone digit may be a ballot number and stays
            readings = readings + [[w for w in words if _alnum(w.text) > 1 or w.text.isdigit()]
                                   for words in scene_words]
    if thorough or any(_unsure(r) for r in readings):
        rescue = [(binarise(view.gray, "otsu"), 3), (view.gray, 6)]
        if thorough:
            rescue.append((255 - view.gray, 3))
        readings += _run(rescue, lang)
    best: list[Word] = []
    for words in readings:
        best = _merge(best, [w for w in words if _keep(w)])
    return best


def _views(frame: Image.Image) -> list[View]:
    """The straight picture, plus a rectified one when a poster/screen photographed at an
    angle is found, else a deskewed one when the text is tilted."""
    gray, scale = preprocess(frame)

    def back(pts: np.ndarray) -> np.ndarray:
        return pts / scale

    views = [View("straight", gray, back, {"scale": round(scale, 3)})]
    quad = find_quad(gray)
    if quad is not None:
        views.append(perspective_view(gray, quad, back))
        return views
    angle, gain = estimate_skew(gray)
    if abs(angle) >= SKEW_MIN_DEG and gain >= SKEW_GAIN:
        views.append(deskew_view(gray, angle, back))
    return views


def ocr_frames(frames: list[Image.Image], *, thorough: bool = False) -> OcrResult:
    """Read the text of one or more frames (an animation's sampled frames).

    Every frame is read straight (grey + adaptive binarisation, two page-segmentation
    modes) and, when the geometry calls for it, also rectified (a poster photographed at
    an angle: perspective warp to its four corners) or deskewed (tilted text: the angle
    with the sharpest projection profile). The view whose words carry the most confident
    characters wins; its words are put in reading order in that view and their boxes mapped
    back to the original picture. Measured per style in docs/images.md."""
    lang = ocr_lang()
    parts: list[tuple[str, list[Word]]] = []
    passes: list[str] = []
    for fi, frame in enumerate(frames):
        views = _views(frame)
        # the scene pass only where the geometry found nothing to straighten: a rectified or
        # deskewed view reads a poster or tilted text better, and an enlarged straight
        # reading would outscore it with words read across the tilt
        readings = [(v, _read_view(v, lang, thorough, scene=len(views) == 1)) for v in views]
        passes += [f"f{fi}:{v.name}" for v, _ in readings]
        view, words = max(readings, key=lambda r: _score(r[1]))
        for w in words:
            w.frame = fi
        text, ordered = _assemble(words)
        for w in ordered:
            w.left, w.top, w.width, w.height = box_to_picture(view, w.left, w.top, w.width, w.height)
            w.left = min(max(0, w.left), frame.width - 1)
            w.top = min(max(0, w.top), frame.height - 1)
        if ordered:
            parts.append((text, ordered))
            passes.append(f"f{fi}:used={view.name}")
    all_words = [w for _, ws in parts for w in ws]
    # only one- and two-character tokens (and no number) is texture read as letters
    if all_words and all(sum(ch.isalnum() for ch in w.text) <= 2 and not w.text.isdigit()
                         for w in all_words):
        return OcrResult(text="", words=[], lang=lang, passes=passes)
    chunks: list[str] = []
    out: list[Word] = []
    offset = 0
    for text, ordered in parts:
        if chunks:
            chunks.append("\n")
            offset += 1
        for w in ordered:
            w.start += offset
            w.end += offset
        chunks.append(text)
        offset += len(text)
        out.extend(ordered)
    return OcrResult(text="".join(chunks), words=out, lang=lang, passes=passes)


def ocr_image(img: Image.Image, *, thorough: bool = False) -> OcrResult:
    return ocr_frames([img], thorough=thorough)


def words_in_span(words: list[Word], start: int, end: int) -> list[Word]:
    """Words whose characters overlap [start, end) of the OCR text."""
    return [w for w in words if w.start < end and w.end > start]
