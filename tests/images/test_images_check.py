"""check_image end to end: the issue's 'done when' cases, context raising a gesture, the
CLI command and bad input through the CLI."""

from __future__ import annotations

import io
import json
import random

import pytest
from PIL import Image, ImageDraw
from typer.testing import CliRunner

from netral.images import ImageError, check_image

from .conftest import FIXTURES


@pytest.fixture(scope="module")
def coblos_poster(tmp_path_factory, generator):
    path = tmp_path_factory.mktemp("posters") / "coblos.png"
    generator.poster(["Coblos No. 2"], random.Random(1), "dark_on_light").save(path)
    return path


def test_coblos_poster_is_kampanye_with_words_highlighted(coblos_poster, tesseract_ready):
    r = check_image(coblos_poster)
    assert r.verdict == "kampanye" and r.flagged
    text_reasons = [x for x in r.reasons if x.where == "image" and x.source != "gesture"]
    assert text_reasons, r.reasons
    top = text_reasons[0]
    assert top.target_id == "pemilu-2024/pair-2"
    assert r.source_text[top.start:top.end] == top.text
    words = [b["text"].lower() for b in top.boxes]
    assert "coblos" in words and "2" in words
    for b in top.boxes:
        _x, _y, w, h = b["box"]
        assert w > 0 and h > 0 and b["conf"] > 50
    d = json.loads(r.to_json())
    assert d["verdict"] == "kampanye" and d["reasons"][0]["boxes"]
    assert d["ocr_text"].lower().startswith("coblos")


REAL = FIXTURES / "real"


def test_two_finger_photo_is_tinjau_with_gesture_named(tesseract_ready, hand_model_ready):
    r = check_image(REAL / "subhih_two.jpg", lang="en")
    assert r.gesture_method == "landmark" and not r.notes
    assert r.verdict == "tinjau"
    g = [x for x in r.reasons if x.source == "gesture"]
    assert len(g) == 1
    assert "two fingers" in g[0].text and g[0].target_id == "pemilu-2024/pair-2"
    assert "review" in g[0].advice and g[0].rule == "skb-g" and g[0].uncertain
    assert r.gestures[0]["name"] == "dua_jari" and r.gestures[0]["number"] == 2


def test_landscape_is_netral(tesseract_ready):
    r = check_image(FIXTURES / "landscape_00.jpg")
    assert r.verdict == "netral" and not r.reasons and r.gestures == []


def test_neutral_election_poster_is_netral(tesseract_ready):
    r = check_image(FIXTURES / "poster_neutral_0_00.png")
    assert "Jadwal" in r.ocr_text
    assert r.verdict == "netral"


@pytest.mark.parametrize("name", ["subhih_fist.jpg", "subhih_palm.jpg"])
def test_neutral_hands_are_netral(name, tesseract_ready, hand_model_ready):
    r = check_image(REAL / name)
    assert r.gesture_method == "landmark"
    assert r.gestures and not any(g["number"] for g in r.gestures), r.gestures
    assert r.verdict == "netral", r.reasons


def test_fallback_when_the_model_is_missing(tmp_path, monkeypatch, tesseract_ready):
    """No model files: a clear note, the classical detector, no crash."""
    from netral.images import hand_model

    monkeypatch.setenv("NETRAL_HAND_MODEL_DIR", str(tmp_path / "nowhere"))
    hand_model.reset_model()
    try:
        r = check_image(REAL / "subhih_two.jpg", lang="en")
        assert r.gesture_method == "classical"
        assert any("hand-landmark model could not be loaded" in n and "nowhere" in n
                   for n in r.notes), r.notes
        assert all(g["method"] == "classical" for g in r.gestures)
        r_id = check_image(REAL / "subhih_two.jpg")
        assert any("detektor klasik cadangan" in n for n in r_id.notes)
    finally:
        monkeypatch.delenv("NETRAL_HAND_MODEL_DIR")
        hand_model.reset_model()


def test_election_context_raises_a_gesture(tesseract_ready, hand_model_ready):
    hand = REAL / "subhih_two.jpg"
    alone = check_image(hand)
    in_campaign = check_image(hand, when="2024-01-20")
    with_caption = check_image(hand, caption="Bareng relawan, ayo coblos nomor 2!")
    outside = check_image(hand, when="2022-03-01")
    assert alone.verdict == "tinjau" and outside.verdict == "tinjau"
    assert in_campaign.score > alone.score
    assert any("masa kampanye" in c for c in in_campaign.context)
    assert with_caption.verdict == "kampanye"
    g = next(x for x in with_caption.reasons if x.source == "gesture")
    assert "konteks pemilu" in g.advice and "caption" in g.advice
    cap = next(x for x in with_caption.reasons if x.source != "gesture")
    assert cap.where == "caption" and cap.end <= len("Bareng relawan, ayo coblos nomor 2!")


def test_twibbon_profile_picture(generator, tmp_path, tesseract_ready):
    path = tmp_path / "tw.png"
    generator.twibbon(["SAYA PILIH", "NOMOR 2"], random.Random(4)).save(path)
    r = check_image(path, kind="bio")
    assert r.verdict == "kampanye"
    assert r.twibbon is not None and any(x.source == "twibbon" for x in r.reasons)


def test_animated_gif_is_handled(tmp_path, tesseract_ready):
    frames = []
    for text in ("Selamat pagi", "COBLOS NO. 2", "Salam sehat"):
        im = Image.new("RGB", (480, 200), (250, 250, 250))
        ImageDraw.Draw(im).text((20, 60), text, fill=(0, 0, 0), font_size=48)
        frames.append(im)
    path = tmp_path / "anim.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=500, loop=0)
    r = check_image(path)
    assert r.image["frames"] == 3 and r.notes
    assert r.verdict == "kampanye"
    assert {b["frame"] for x in r.reasons for b in x.boxes} == {1}


def test_bytes_input_and_errors(tesseract_ready):
    buf = io.BytesIO()
    Image.new("RGB", (200, 100), (10, 120, 40)).save(buf, format="PNG")
    assert check_image(buf.getvalue()).verdict == "netral"
    with pytest.raises(ImageError):
        check_image(b"\x89PNG\r\n\x1a\n garbage")
    with pytest.raises(ValueError, match="unknown kind"):
        check_image(buf.getvalue(), kind="tweet")
    with pytest.raises(ValueError, match="kemarin"):
        check_image(buf.getvalue(), when="kemarin")


def _cli():
    from netral.cli import app

    return app


def test_cli_check_image(coblos_poster, tmp_path, tesseract_ready):
    runner = CliRunner()
    res = runner.invoke(_cli(), ["check-image", str(coblos_poster), "--json"])
    assert res.exit_code == 1, res.output
    data = json.loads(res.output)
    assert data["verdict"] == "kampanye" and data["ocr_words"]
    res = runner.invoke(_cli(), ["check-image", str(FIXTURES / "landscape_00.jpg")])
    assert res.exit_code == 0 and "NETRAL" in res.output
    res = runner.invoke(_cli(), ["check-image", str(coblos_poster), "--caption", "Info saja"])
    assert res.exit_code == 1 and "Coblos" in res.output
    bad = tmp_path / "rusak.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0 truncated")
    res = runner.invoke(_cli(), ["check-image", str(bad)])
    assert res.exit_code == 2 and "rusak.jpg" in res.output and "Traceback" not in res.output
    res = runner.invoke(_cli(), ["check-image", str(tmp_path / "missing.png")])
    assert res.exit_code == 2 and "missing.png" in res.output


def test_selfie_with_a_campaign_banner_behind(generator, tesseract_ready, hand_model_ready):
    """A real V-sign photo with a campaign banner in the picture: the gesture and the
    banner's text are each a reason, and the gesture's explanation names the banner as its
    election context."""
    photo = Image.open(REAL / "subhih_two.jpg").convert("RGB").resize((960, 720))
    banner = generator.poster(["COBLOS NO. 2"], random.Random(3), "light_on_dark")
    banner = banner.resize((440, round(banner.height * 440 / banner.width)))
    photo.paste(banner, (960 - 440, 0))
    buf = io.BytesIO()
    photo.save(buf, format="JPEG", quality=90)
    r = check_image(buf.getvalue(), lang="en")
    assert r.gesture_method == "landmark"
    assert r.verdict == "kampanye", [(x.source, x.text) for x in r.reasons]
    gesture = next(x for x in r.reasons if x.source == "gesture")
    text = next(x for x in r.reasons if x.source != "gesture" and x.where == "image")
    assert gesture.target_id == "pemilu-2024/pair-2" == text.target_id
    assert "campaign text" in gesture.advice
    assert {b["text"].lower() for b in text.boxes} >= {"coblos"}


@pytest.mark.parametrize(("w", "h"), [(1, 2000), (2000, 1), (7, 5000), (300, 8000), (20000, 400)])
def test_a_thin_or_long_picture_costs_a_bounded_number_of_palm_passes(w, h, hand_model_ready):
    """Each tile is one forward pass of the palm model: a hostile 1 × 2,000 px upload once
    made 2,001 of them (minutes for one picture). A strip too thin for a hand gets none, a very
    long picture at most MAX_TILES along its length."""
    from netral.images.hand_model import MAX_TILES, get_model

    wins = get_model()._windows(w, h)
    assert len(wins) <= 1 + MAX_TILES
    if min(w, h) < 96:
        assert wins == [(0, 0, w, h)]
