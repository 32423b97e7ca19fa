"""Gesture detection on the labelled synthetic hands: precision/recall against floors."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from PIL import Image, ImageOps

from netral.images.gesture import detect_classical
from netral.images.hand_pose import classify

BALLOT = {"satu_jari", "dua_jari", "tiga_jari", "metal"}
PRECISION_FLOOR = 0.9
RECALL_FLOOR = 0.85
CLASS_ACCURACY_FLOOR = 0.8


def test_gesture_precision_recall(image_set):
    root, rows = image_set
    tp = fp = fn = correct = hands = 0
    for r in rows:
        found = detect_classical(Image.open(root / r["file"]).convert("RGB"))
        ballot = [g for g in found if g.is_ballot]
        truth = r["gesture"] in BALLOT
        if r["category"] == "hand":
            hands += 1
            names = {g.name for g in found}
            expected = {"none": "kepal", "lima": "lima_jari"}.get(r["gesture"], r["gesture"])
            correct += expected in names
        if ballot and truth:
            tp += 1
        elif ballot:
            fp += 1
        elif truth:
            fn += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    accuracy = correct / hands
    print(f"\ngesture precision {precision:.3f} recall {recall:.3f} (tp={tp} fp={fp} fn={fn}); "
          f"finger-class accuracy {accuracy:.3f} on {hands} hand images; {len(rows)} images")
    assert len(rows) >= 100 and hands >= 50
    assert precision >= PRECISION_FLOOR
    assert recall >= RECALL_FLOOR
    assert accuracy >= CLASS_ACCURACY_FLOOR


def test_gesture_box_and_number(generator):
    import random

    rng = random.Random(11)
    im = Image.new("RGB", (640, 480), (40, 80, 160))
    box = generator.draw_hand(im, "dua_jari", rng, pw=110, cx=300, cy=300,
                              skin=(224, 172, 105), angle=10, mirror=False)
    found = [g for g in detect_classical(im) if g.is_ballot]
    assert len(found) == 1
    g = found[0]
    assert g.name == "dua_jari" and g.fingers == 2 and g.number == 2
    gx, gy, _gw, _gh = g.box
    assert abs(gx - box[0]) < 40 and abs(gy - box[1]) < 40
    assert g.to_dict()["number"] == 2


def test_no_hands_no_gestures():
    assert detect_classical(Image.new("RGB", (300, 300), (30, 120, 60))) == []
    # a skin-coloured disc (a face, the sun) has no fingers
    from PIL import ImageDraw

    im = Image.new("RGB", (400, 400), (40, 80, 160))
    ImageDraw.Draw(im).ellipse([100, 100, 300, 320], fill=(224, 172, 105))
    assert not [g for g in detect_classical(im) if g.is_ballot]


def _hand(raised: list[bool], thumb: bool, angle: float = 0.0,
          mirror: bool = False) -> list[tuple[float, float, float]]:
    """21 landmark points (x, y, z) of an upright hand (y grows downwards), optionally
    turned by ``angle`` degrees and mirrored. A folded finger curls back towards the palm."""
    pts = [(0.0, 0.0)] * 21
    pts[0] = (0.5, 1.0)
    if thumb:  # out to the side, straight
        pts[1:5] = [(0.40, 0.92), (0.32, 0.85), (0.25, 0.78), (0.19, 0.72)]
    else:  # folded across the palm
        pts[1:5] = [(0.42, 0.92), (0.38, 0.84), (0.45, 0.78), (0.52, 0.76)]
    for f, base in enumerate((5, 9, 13, 17)):
        x = 0.38 + 0.08 * f
        pts[base] = (x, 0.7)
        if raised[f]:
            pts[base + 1], pts[base + 2], pts[base + 3] = (x, 0.55), (x, 0.45), (x, 0.36)
        else:
            pts[base + 1], pts[base + 2], pts[base + 3] = (x, 0.62), (x, 0.69), (x, 0.75)
    out = []
    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    for x, y in pts:
        x, y = x - 0.5, y - 0.8
        x, y = c * x - s * y, s * x + c * y
        out.append(((-x if mirror else x) * 200 + 300, y * 200 + 300, 0.0))
    return out


def test_landmark_poses():
    assert classify(_hand([True, True, False, False], False)).name == "dua_jari"
    assert classify(_hand([True, False, False, False], False)).name == "satu_jari"
    assert classify(_hand([True, True, True, False], False)).name == "tiga_jari"
    three_thumb = classify(_hand([True, True, False, False], True))
    assert three_thumb.name == "tiga_jari" and three_thumb.thumb and three_thumb.fingers == 3
    assert classify(_hand([True, False, False, True], False)).name == "metal"
    assert classify(_hand([True, False, False, True], True)).name == "metal"
    assert classify(_hand([False] * 4, False)).name == "kepal"
    assert classify(_hand([False] * 4, True)).name == "jempol"
    assert classify(_hand([True] * 4, True)).name == "lima_jari"


def test_landmark_poses_mirrored_and_rotated():
    for angle in (-40, 25, 160):
        for mirror in (False, True):
            assert classify(_hand([True, True, False, False], False, angle, mirror)).name == "dua_jari"
            assert classify(_hand([True, False, False, True], False, angle, mirror)).name == "metal"
            assert classify(_hand([False] * 4, False, angle, mirror)).name == "kepal"
    # a lone index finger is a salute only when it points up; sideways it is pointing
    assert classify(_hand([True, False, False, False], False, 30)).name == "satu_jari"
    assert classify(_hand([True, False, False, False], False, 90)).name == "tunjuk"
    assert classify(_hand([True, False, False, False], False, 180, True)).name == "tunjuk"


def test_real_photos_from_installed_packages():
    """Real photographs that ship inside installed packages (scikit-learn's CC-BY 2.0
    china.jpg; matplotlib's public-domain portrait of Grace Hopper when matplotlib is
    present): a temple and a face must not produce a ballot gesture. (scikit-learn's
    flower.jpg does: an orange dahlia bud is read as one finger — see docs/images.md.)"""
    import importlib.util
    from pathlib import Path

    import sklearn

    photos = [Path(sklearn.__file__).parent / "datasets" / "images" / "china.jpg"]
    spec = importlib.util.find_spec("matplotlib")
    if spec and spec.origin:
        hopper = Path(spec.origin).parent / "mpl-data" / "sample_data" / "grace_hopper.jpg"
        if hopper.exists():
            photos.append(hopper)
    for p in photos:
        found = detect_classical(Image.open(p).convert("RGB"))
        assert not [g for g in found if g.is_ballot], (p.name, found)


# ----------------------------------------------------------------------------- real photos
REAL = Path(__file__).resolve().parents[1] / "fixtures" / "images" / "real"
POSES = {"subhih_two": "dua_jari", "subhih_two_b": "dua_jari", "subhih_one": "satu_jari",
         "subhih_three": "tiga_jari", "subhih_fist": "kepal", "subhih_palm": "lima_jari"}


def _landmark(im):
    from netral.images.gesture import detect_landmarks

    return detect_landmarks(im)


@pytest.mark.parametrize("name", sorted(POSES))
def test_real_photo_poses(name, hand_model_ready):
    im = Image.open(REAL / f"{name}.jpg").convert("RGB")
    found = _landmark(im)
    assert [g.name for g in found] == [POSES[name]], [(g.name, g.detail) for g in found]
    g = found[0]
    assert g.method == "landmark" and 0.5 <= g.confidence <= 1.0
    x, y, w, h = g.box
    assert 0 <= x < im.width and 0 <= y < im.height and w > 20 and h > 20
    # mirrored: the same pose (a fist, a hard shape for the palm detector, may be missed:
    # that is still no ballot gesture)
    mirrored = [x.name for x in _landmark(ImageOps.mirror(im))]
    assert mirrored == [POSES[name]] or (name == "subhih_fist" and mirrored == [])


@pytest.mark.parametrize("name", ["subhih_two", "subhih_three", "subhih_two_b"])
@pytest.mark.parametrize("angle", [90, -35, 180])
def test_real_photo_rotated(name, angle, hand_model_ready):
    im = Image.open(REAL / f"{name}.jpg").convert("RGB").rotate(angle, expand=True)
    assert [g.name for g in _landmark(im)] == [POSES[name]]


def test_a_raised_finger_turned_sideways_is_pointing(hand_model_ready):
    im = Image.open(REAL / "subhih_one.jpg").convert("RGB")
    assert [g.name for g in _landmark(im.rotate(90, expand=True))] == ["tunjuk"]
    assert [g.name for g in _landmark(im.rotate(20, expand=True))] == ["satu_jari"]


def test_several_hands_in_one_large_picture(hand_model_ready):
    """Six real photos side by side (1440×720): the large picture is also searched in tiles,
    so the small hands are found and each is named."""
    names = ["subhih_two", "subhih_one", "subhih_three", "subhih_fist", "subhih_palm",
             "subhih_two_b"]
    canvas = Image.new("RGB", (1440, 720))
    for i, n in enumerate(names):
        canvas.paste(Image.open(REAL / f"{n}.jpg").convert("RGB").resize((480, 360)),
                     ((i % 3) * 480, (i // 3) * 360))
    found = _landmark(canvas)
    ballot = sorted(g.name for g in found if g.is_ballot)
    assert ballot == ["dua_jari", "dua_jari", "satu_jari", "tiga_jari"], [g.name for g in found]
    centres = {(g.box[0] + g.box[2] // 2) // 480 + 3 * ((g.box[1] + g.box[3] // 2) // 360): g.name
               for g in found}
    assert centres[0] == "dua_jari" and centres[1] == "satu_jari" and centres[2] == "tiga_jari"
    assert centres[5] == "dua_jari" and centres.get(4, "lima_jari") == "lima_jari"


def test_landmark_model_finds_no_hands_in_real_photos_without_any():
    """scikit-learn's real photographs (a temple, a flower; CC-BY 2.0): no hand at all."""
    import sklearn

    from netral.images.hand_model import HandModelUnavailable, get_model

    try:
        get_model()
    except HandModelUnavailable as exc:
        pytest.skip(f"LOUD SKIP: hand-landmark model unavailable ({exc})")
    base = Path(sklearn.__file__).parent / "datasets" / "images"
    for name in ("china.jpg", "flower.jpg"):
        assert _landmark(Image.open(base / name).convert("RGB")) == []
