"""Images: text in pictures (Tesseract OCR), ballot-number hand gestures and campaign
attributes (reference logos/visuals, twibbon frames), judged with the same detector as text.

    from netral.images import check_image
    r = check_image("poster.png", caption="Ayo datang!", kind="post")
    r.verdict, r.reasons[0].boxes, r.ocr_text, r.gestures

Needs the optional extra ``netral[images]`` (pytesseract, imagehash, OpenCV) and the Debian
packages ``tesseract-ocr`` and ``tesseract-ocr-ind``.
"""

from __future__ import annotations

from netral.images.load import ImageError, LoadedImage, load_image

__all__ = ["ImageError", "ImageReason", "ImageResult", "LoadedImage", "check_image",
           "load_image"]


def __getattr__(name: str):
    if name in ("check_image", "ImageResult", "ImageReason"):
        from netral.images import check as _check

        return getattr(_check, name)
    raise AttributeError(name)
