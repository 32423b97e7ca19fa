"""Images: text in pictures (Tesseract OCR), ballot-number hand gestures and campaign
attributes (reference logos/visuals, twibbon frames), judged with the same detector as text.

    from netral.images import check_image
    r = check_image("poster.png", caption="Ayo datang!", kind="post")
    r.verdict, r.reasons[0].boxes, r.ocr_text, r.gestures

Needs the optional extra ``netral[images]`` (pytesseract, imagehash, OpenCV) and the Debian
packages ``tesseract-ocr`` and ``tesseract-ocr-ind``.
"""

from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from netral.images.load import ImageError, LoadedImage, load_image

__all__ = ["REQUIRED_MODULES", "ImageError", "ImageReason", "ImageResult", "LoadedImage",
           "available", "check_image", "load_image", "missing_modules"]

# what the ``images`` extra installs; without one of them no picture can be checked (Pillow
# too: importing this package must work without it, so callers can say what is missing)
REQUIRED_MODULES = ("PIL", "cv2", "pytesseract", "imagehash")

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff",
                    ".avif", ".heic", ".heif")


def missing_modules() -> list[str]:
    """The modules of the ``images`` extra that are not installed here."""
    return [m for m in REQUIRED_MODULES if importlib.util.find_spec(m) is None]


def available(lang: str = "id") -> tuple[bool, str]:
    """(True, "") when image checks can run fully here; else (False, why) — for callers
    (audit, ingest, web) that want to degrade gracefully instead of failing. ``why`` is in
    ``lang`` (message catalogue), since callers put it inside their own messages."""
    from netral.images.messages import msg

    missing = missing_modules()
    if missing:
        return False, msg("images_extra_missing", lang, modules=", ".join(missing))
    from netral.images.ocr import OcrUnavailable, tesseract_langs

    try:
        langs = tesseract_langs()
    except OcrUnavailable as exc:
        return False, msg("ocr_unavailable_short", lang, reason=exc.reason(lang))
    if "ind" not in langs:
        return False, msg("ocr_unavailable_short", lang, reason=msg("ocr_reason_no_ind", lang))
    return True, ""


def __getattr__(name: str):
    if name in ("ImageError", "LoadedImage", "load_image"):
        from netral.images import load as _load

        return getattr(_load, name)
    if name in ("check_image", "ImageResult", "ImageReason"):
        from netral.images import check as _check

        return getattr(_check, name)
    raise AttributeError(name)
