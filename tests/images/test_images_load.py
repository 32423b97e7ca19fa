"""Bad input never crashes: corrupt files, decompression bombs, huge dimensions, animations,
HEIC without a plugin, odd colour modes."""

from __future__ import annotations

import io
import shutil

import pytest
from PIL import Image, ImageDraw

from netral.images import ImageError, load_image
from netral.images.load import HEIF_SUPPORTED


def _png(im: Image.Image) -> bytes:
    buf = io.BytesIO()
    im.save(buf, format="PNG")
    return buf.getvalue()


def test_missing_and_empty_files(tmp_path):
    with pytest.raises(ImageError) as exc:
        load_image(tmp_path / "nope.png")
    assert exc.value.code == "not_found" and "nope.png" in exc.value.message
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    with pytest.raises(ImageError) as exc:
        load_image(empty)
    assert exc.value.code == "empty"
    with pytest.raises(ImageError) as exc:
        load_image(tmp_path)
    assert exc.value.code == "corrupt"


def test_corrupt_and_truncated(tmp_path):
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"this is not an image at all")
    with pytest.raises(ImageError) as exc:
        load_image(bad, lang="en")
    assert exc.value.code == "corrupt" and "bad.png" in str(exc.value)
    assert "unknown format" in str(exc.value)
    data = _png(Image.new("RGB", (300, 200), (10, 200, 30)))
    with pytest.raises(ImageError) as exc:
        load_image(data[: len(data) // 2], name="half.png")
    assert exc.value.code == "corrupt" and "half.png" in exc.value.message
    jpeg = io.BytesIO()
    Image.effect_noise((400, 400), 50).convert("RGB").save(jpeg, format="JPEG")
    cut = jpeg.getvalue()[:500]
    with pytest.raises(ImageError):
        load_image(cut)


def test_decompression_bomb_is_refused_before_decoding():
    # 9000×9000 1-bit: a few kilobytes on disk, 81 megapixels once decoded
    data = _png(Image.new("1", (9000, 9000)))
    assert len(data) < 200_000
    with pytest.raises(ImageError) as exc:
        load_image(data, name="bomb.png")
    assert exc.value.code == "bomb"
    assert "9000×9000" in exc.value.message and "decompression bomb" in exc.value.message


def test_huge_side_is_refused():
    data = _png(Image.new("1", (20000, 8)))
    with pytest.raises(ImageError) as exc:
        load_image(data, name="strip.png", lang="en")
    assert exc.value.code == "too_wide" and "20000" in exc.value.message


def test_heic_without_plugin_is_a_clear_error():
    if HEIF_SUPPORTED:
        pytest.skip("pillow-heif is installed here; HEIC is read")
    fake = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
    with pytest.raises(ImageError) as exc:
        load_image(fake, name="IMG_0001.HEIC")
    assert exc.value.code == "heic_unsupported" and "pillow-heif" in exc.value.message


@pytest.mark.parametrize("fmt", ["GIF", "WEBP"])
def test_animations_are_sampled(fmt):
    frames = []
    for i in range(9):
        im = Image.new("RGB", (200, 120), (250, 250, 250))
        ImageDraw.Draw(im).rectangle([i * 20, 10, i * 20 + 15, 100], fill=(200, 0, 0))
        frames.append(im)
    buf = io.BytesIO()
    frames[0].save(buf, format=fmt, save_all=True, append_images=frames[1:], duration=80,
                   loop=0)
    img = load_image(buf.getvalue(), name=f"anim.{fmt.lower()}")
    assert img.animated and img.n_frames == 9
    assert img.frame_indices[0] == 0 and img.frame_indices[-1] == 8
    assert 2 <= len(img.frames) <= 4
    assert all(f.mode == "RGB" and f.size == (200, 120) for f in img.frames)
    # the sampled frames differ (the bar moves)
    assert img.frames[0].tobytes() != img.frames[-1].tobytes()


def test_colour_modes_and_large_pictures_are_normalised():
    rgba = Image.new("RGBA", (64, 64), (255, 0, 0, 0))
    assert load_image(_png(rgba)).frames[0].getpixel((5, 5)) == (255, 255, 255)
    pal = Image.new("P", (64, 64), 3)
    assert load_image(_png(pal)).frames[0].mode == "RGB"
    deep = Image.new("I;16", (64, 64), 40000)
    assert load_image(_png(deep)).frames[0].mode == "RGB"
    big = load_image(_png(Image.new("RGB", (5000, 1000), (1, 2, 3))))
    assert big.width == 5000 and max(big.frames[0].size) == 2000
    info = big.info()
    assert info["format"] == "PNG" and len(info["sha256"]) == 64


def test_exif_orientation_is_applied():
    im = Image.new("RGB", (120, 60), (0, 0, 255))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise when shown
    buf = io.BytesIO()
    im.save(buf, format="JPEG", exif=exif)
    assert load_image(buf.getvalue()).frames[0].size == (60, 120)


def test_available_reports_a_working_setup():
    from netral.images import IMAGE_EXTENSIONS, available

    ok, why = available()
    if not ok and shutil.which("tesseract") is None:
        pytest.skip(f"LOUD SKIP: Tesseract is not installed here ({why}); CI installs it")
    assert ok, why
    assert ".jpg" in IMAGE_EXTENSIONS and ".heic" in IMAGE_EXTENSIONS


def test_random_and_mutated_bytes_never_crash():
    """Fuzz: random bytes and bit-flipped real images give a picture or an ImageError."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    good = _png(Image.effect_noise((64, 48), 40).convert("RGB"))
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 10, 10)).save(buf, format="GIF")
    gif = buf.getvalue()

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.one_of(
        st.binary(min_size=1, max_size=300),
        st.tuples(st.sampled_from([good, gif]), st.integers(0, 10_000), st.integers(0, 255))
        .map(lambda t: t[0][: t[1] % len(t[0])] + bytes([t[2]]) + t[0][t[1] % len(t[0]) + 1:]),
    ))
    def check(data: bytes) -> None:
        try:
            img = load_image(data)
        except ImageError as exc:
            assert exc.code and exc.message
        else:
            assert img.frames and img.frames[0].mode == "RGB"

    check()


def test_tesseract_reasons_come_from_the_message_catalogue_in_both_languages(monkeypatch):
    """Why OCR cannot run is part of Indonesian (and English) messages: it must not be
    Tesseract's or pytesseract's English text with an Indonesian sentence around it."""
    import netral.images as images
    from netral.images import ocr
    from netral.images.messages import msg

    exc = ocr.OcrUnavailable("no_executable")
    assert exc.reason("id") == "program tesseract tidak ditemukan"
    assert exc.reason("en") == "the tesseract program was not found"
    failed = ocr.OcrUnavailable("failed", "exit status 1")
    assert failed.reason("id").startswith("Tesseract gagal dijalankan (exit status 1)")
    note = msg("ocr_unavailable", "id", reason=exc.reason("id"))
    assert "tidak ditemukan" in note and "not found" not in note

    def missing() -> tuple[str, ...]:
        raise ocr.OcrUnavailable("no_executable")

    monkeypatch.setattr(ocr, "tesseract_langs", missing)
    ok, why_id = images.available("id")
    assert not ok and why_id == "Tesseract OCR tidak tersedia: program tesseract tidak ditemukan"
    ok, why_en = images.available("en")
    assert not ok and why_en == "Tesseract OCR unavailable: the tesseract program was not found"
    monkeypatch.setattr(ocr, "tesseract_langs", lambda: ("eng", "osd"))
    ok, why = images.available()  # Indonesian by default
    assert not ok and "model bahasa Indonesia" in why and "tesseract-ocr-ind" in why
    monkeypatch.setattr(images, "missing_modules", lambda: ["pytesseract"])
    assert images.available("id")[1] == "ekstra netral[images] belum terpasang (tidak ada: pytesseract)"
    assert images.available("en")[1] == "netral[images] extra not installed (missing pytesseract)"


def test_check_image_notes_a_missing_tesseract_in_the_requested_language(monkeypatch):
    from netral.images import check as check_mod
    from netral.images import ocr

    def gone(*_a: object, **_k: object) -> None:
        raise ocr.OcrUnavailable("no_executable")

    monkeypatch.setattr(check_mod, "ocr_frames", gone)
    img = _png(Image.new("RGB", (64, 48), (255, 255, 255)))
    for lang, text in (("id", "program tesseract tidak ditemukan"),
                       ("en", "the tesseract program was not found")):
        notes = check_mod.check_image(img, lang=lang, gesture_detector="classical").notes
        assert any(text in n for n in notes), notes
