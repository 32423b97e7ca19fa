"""Reference attributes (synthetic logos / campaign cards) and twibbon frames."""

from __future__ import annotations

import json
import random

from PIL import Image

from netral.images import attributes as attr


def test_shipped_references_are_synthetic_and_documented():
    refs = attr.references()
    assert len(refs) >= 4
    readme = (attr.REF_DIR / "README.md").read_text(encoding="utf-8")
    assert "synthetic" in readme.lower() or "sintetis" in readme.lower()
    index = json.loads((attr.REF_DIR / "references.json").read_text(encoding="utf-8"))
    assert {e["file"] for e in index} == {r.file for r in refs}


def test_logo_photos_match_their_reference_and_nothing_else(image_set):
    root, rows = image_set
    hits = misses = false = 0
    # every logo photo, and every third other picture (the bench matches them all)
    rows = [r for i, r in enumerate(rows) if r["category"] == "logo" or i % 3 == 0]
    for r in rows:
        found = attr.match_references(Image.open(root / r["file"]).convert("RGB"))
        if r["category"] == "logo":
            if [m.file for m in found] == [r["reference"]]:
                hits += 1
                _x, _y, w, h = found[0].box
                assert w > 50 and h > 50
            else:
                misses += 1
        elif found:
            false += 1
    print(f"\nattribute matches: {hits} hit, {misses} missed, {false} false on "
          f"{len(rows)} images")
    assert hits == 4 and misses == 0 and false == 0


def test_whole_copy_matches_by_perceptual_hash():
    ref_img = Image.open(attr.REF_DIR / "contoh-kartu-paslon-02.png").convert("RGB")
    copy = ref_img.resize((200, 200)).convert("RGB")
    found = attr.match_references(copy)
    assert found and found[0].file == "contoh-kartu-paslon-02.png" and found[0].number == 2


def test_agency_can_add_references(tmp_path, monkeypatch, generator):
    own = tmp_path / "refs"
    own.mkdir()
    emblem = generator.emblem("sun", (120, 20, 160), "XYZ")
    emblem.save(own / "lambang-xyz.png")
    (own / "references.json").write_text(json.dumps([
        {"file": "lambang-xyz.png", "label": "Partai XYZ", "kind": "party_logo", "number": 9,
         "target_id": "pemilu-2024/party-9"}]))
    monkeypatch.setenv("NETRAL_IMAGE_REFERENCES", str(own))
    assert any(r.label == "Partai XYZ" for r in attr.references())
    photo = generator.landscape(random.Random(3), (700, 500))
    photo.paste(emblem.resize((220, 220)), (400, 150))
    found = attr.match_references(photo)
    assert [m.label for m in found] == ["Partai XYZ"]
    assert found[0].target_id == "pemilu-2024/party-9"


def test_twibbon_frames(generator):
    rng = random.Random(8)
    framed = generator.twibbon(["SAYA PILIH", "NOMOR 2"], rng)
    tw = attr.detect_twibbon(framed)
    assert tw is not None and len(tw.sides) == 4 and tw.coverage > 0.7
    assert tw.colour[0] > 150 and tw.colour[1] < 80  # red frame
    assert attr.detect_twibbon(generator.landscape(rng, (640, 640))) is None
    plain = generator.poster(["Jangan Golput"], rng, "light_on_dark")
    assert attr.detect_twibbon(plain) is None


def test_colour_share():
    im = Image.new("RGB", (100, 100), (215, 20, 26))
    assert attr.colour_share(im, ["#d7141a"]) > 0.95
    assert attr.colour_share(im, ["#00a5e3"]) == 0.0
    assert attr.colour_share(im, ["not-a-colour"]) == 0.0
