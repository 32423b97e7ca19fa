"""Pictures in a self-audit: media files an item refers to (read inside the zip through the
archive layer) and profile photos are judged with netral.images; bad pictures are listed as
skipped; without Tesseract the audit still runs and says why pictures were not checked."""

from __future__ import annotations

import json
import warnings
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from netral.audit import AuditOptions, run_audit
from netral.demo.export import demo_landscape, demo_poster
from netral.report.audit_report import render

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "images"


def _images_ok() -> bool:
    from netral.images import available

    ok, why = available()
    if not ok:
        warnings.warn(f"LOUD SKIP: image checks unavailable here ({why})", stacklevel=2)
    return ok


needs_images = pytest.mark.skipif(not _images_ok(), reason="LOUD SKIP: netral.images unavailable")


def _export(tmp_path: Path) -> Path:
    """A small Instagram export zip: a post whose campaign text is only in its picture, an
    ordinary landscape post, a post with a corrupt picture, and a profile photo."""
    posts = [
        {"media": [{"uri": "media/posts/202402/poster.png", "creation_timestamp": 1706918400,
                    "title": "Semangat pagi semua!"}]},
        {"media": [{"uri": "media/posts/202306/libur.jpg", "creation_timestamp": 1687046400,
                    "title": "Libur akhir pekan"}]},
        {"media": [{"uri": "media/posts/202306/rusak.jpg", "creation_timestamp": 1687046500,
                    "title": "Foto keluarga"}]},
        {"media": [{"uri": "media/posts/202402/tangan.jpg", "creation_timestamp": 1707000000,
                    "title": "Foto bersama"}]},
    ]
    if not (FIXTURES / "real" / "subhih_two.jpg").exists():
        pytest.skip("LOUD SKIP: the real hand photos are not here "
                    "(tests/fixtures/images/real/README.md); this test did not run")
    path = tmp_path / "instagram-uji.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("your_instagram_activity/content/posts_1.json", json.dumps(posts))
        z.writestr("media/posts/202402/poster.png",
                   (FIXTURES / "poster_campaign_0_00.png").read_bytes())
        z.writestr("media/posts/202306/libur.jpg", demo_landscape(3))
        z.writestr("media/posts/202306/rusak.jpg", demo_poster()[:700])  # truncated JPEG
        z.writestr("media/posts/202402/tangan.jpg",
                   (FIXTURES / "real" / "subhih_two.jpg").read_bytes())
        z.writestr("media/profile/202401/profile_photo.jpg", demo_landscape(5))
    return path


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    path = _export(tmp_path_factory.mktemp("img"))
    return path, run_audit([path], AuditOptions())


@needs_images
def test_poster_in_zip_is_an_image_finding_with_its_words(audited):
    from netral.images.gesture import model_status

    if not model_status()[0]:
        pytest.skip(f"LOUD SKIP: hand-landmark model unavailable ({model_status()[1]})")
    path, report = audited
    # poster, landscape, hand, profile photo (the corrupt one is skipped)
    assert report.images_checked == 4
    image_findings = {f.image: f for f in report.findings if f.image}
    assert set(image_findings) == {f"{path}!media/posts/202402/poster.png",
                                   f"{path}!media/posts/202402/tangan.jpg"}
    hand = image_findings[f"{path}!media/posts/202402/tangan.jpg"]
    assert hand.verdict == "tinjau"  # a gesture alone is only a pointer for review
    assert [g["name"] for g in hand.result["gestures"]] == ["dua_jari"]
    assert hand.result["gesture_method"] == "landmark"  # the model, not the fallback
    f = image_findings[f"{path}!media/posts/202402/poster.png"]
    assert f.verdict == "kampanye"
    assert f.item.text == "Semangat pagi semua!"
    reasons = f.result["reasons"]
    assert any(r["where"] == "image" for r in reasons)
    words = {b["text"].upper() for r in reasons if r["where"] == "image" for b in r["boxes"]}
    assert "COBLOS" in words
    # the landscape and the profile photo are not findings
    assert not any("libur" in (x.image or "") or "profile" in (x.image or "")
                   for x in report.findings)
    html = render(report, "html", "id")
    assert "Temuan pada gambar" in html and "poster.png" in html and "<mark>COBLOS</mark>" in html
    assert "gestur: dua jari" in html.lower()
    doc = json.loads(render(report, "json", "en"))
    assert doc["summary"]["images"]["checked"] == 4
    assert any(x["image"] and x["image"].endswith("poster.png") for x in doc["findings"])


@needs_images
def test_corrupt_picture_is_listed_as_skipped(audited):
    path, report = audited
    bad = [p for p in report.skipped if p.code == "image_error"]
    assert [p.file for p in bad] == [f"{path}!media/posts/202306/rusak.jpg"]
    doc = json.loads(render(report, "json", "en"))
    msg = next(s["message"] for s in doc["skipped"] if s["code"] == "image_error")
    assert msg.startswith("Picture could not be checked")


@needs_images
def test_no_images_and_max_images(tmp_path):
    path = _export(tmp_path)
    off = run_audit([path], AuditOptions(images=False))
    assert off.images_checked == 0 and not any(f.image for f in off.findings)
    assert off.images_skipped_reason == "off"
    assert not any(p.code.startswith("image") for p in off.problems)
    capped = run_audit([path], AuditOptions(max_images=1))
    assert capped.images_checked == 1 and capped.images_not_checked == 4
    assert any(p.code == "images_capped" for p in capped.notices)


def test_without_tesseract_the_audit_degrades_with_a_note(tmp_path, monkeypatch):
    """No Tesseract on PATH (the real availability check, no mock): text items are still
    audited, pictures are not, and both the report and the terminal say why."""
    from netral.cli import app
    from netral.images.ocr import tesseract_langs

    path = _export(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    tesseract_langs.cache_clear()  # the answer is cached per process; ask again
    report = run_audit([path], AuditOptions())
    assert report.scanned == 4 and report.images_checked == 0
    assert "tesseract" in report.images_skipped_reason.lower() or "extra" in \
        report.images_skipped_reason
    assert any(p.code == "images_unavailable" for p in report.notices)
    out = tmp_path / "r.json"
    res = CliRunner().invoke(app, ["audit", str(path), "-o", str(out), "--format", "json",
                                   "--lang", "en"])
    assert res.exit_code in (0, 1), res.output
    assert "Pictures not checked" in res.output
    doc = json.loads(out.read_text("utf-8"))
    assert any(n["code"] == "images_unavailable" for n in doc["notices"])


def test_without_tesseract_an_export_with_no_pictures_gets_no_picture_warning(tmp_path,
                                                                             monkeypatch):
    """A text-only export has nothing for OCR to read: saying "pictures not checked" there
    is noise that teaches users to skip warnings."""
    from netral.cli import app
    from netral.images.ocr import tesseract_langs

    export = tmp_path / "tweets.js"
    export.write_text('window.YTD.tweets.part0 = [{"tweet": {"id_str": "1", "full_text": '
                      '"Rapat koordinasi pelayanan publik hari ini", "created_at": '
                      '"Mon Jan 08 10:00:00 +0000 2024"}}]', "utf-8")
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    tesseract_langs.cache_clear()
    report = run_audit([export], AuditOptions())
    assert report.scanned == 1 and report.images_skipped_reason == ""
    assert not any(p.code == "images_unavailable" for p in report.notices)
    res = CliRunner().invoke(app, ["audit", str(export), "-o", str(tmp_path / "r.json"),
                                   "--format", "json", "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert "Pictures not checked" not in res.output and "pictures checked" not in res.output


@needs_images
def test_media_in_another_part_of_a_split_download(tmp_path):
    """Meta splits big downloads into several zips: the JSON in one, its media in another."""
    posts = [{"media": [{"uri": "media/posts/202402/poster.png", "creation_timestamp": 1706918400,
                         "title": "Selamat pagi"}]}]
    part1, part2 = tmp_path / "instagram-part1.zip", tmp_path / "instagram-part2.zip"
    with zipfile.ZipFile(part1, "w") as z:
        z.writestr("your_instagram_activity/content/posts_1.json", json.dumps(posts))
    with zipfile.ZipFile(part2, "w") as z:
        z.writestr("media/posts/202402/poster.png",
                   (FIXTURES / "poster_campaign_0_00.png").read_bytes())
    report = run_audit([part1, part2], AuditOptions())
    assert [f.image for f in report.findings if f.image] == [
        f"{part2}!media/posts/202402/poster.png"]
    assert report.images_missing == 0


def test_pictures_are_probed_only_when_the_export_has_some(tmp_path, monkeypatch):
    """Whether pictures can be judged here (importing the OCR stack, running tesseract:
    ≈ 1.3 s) is asked once an export shows a picture, never for one without (issue 17); a
    post referring to a picture that is not in the export still counts as missing."""
    import netral.audit.pipeline as pipeline

    asked: list[str] = []
    real = pipeline.available

    def counting(lang: str = "id"):
        asked.append(lang)
        return real(lang)

    monkeypatch.setattr(pipeline, "available", counting)
    plain = tmp_path / "plain.jsonl"
    plain.write_text(json.dumps({"text": "Rapat koordinasi berjalan lancar",
                                 "created_at": "2024-02-01T08:00:00+07:00"}) + "\n")
    rep = run_audit([str(plain)], AuditOptions())
    assert rep.scanned == 1 and asked == []
    assert not rep.images_skipped_reason and not rep.images_missing

    posts = [{"media": [{"uri": "media/posts/202402/hilang.jpg",
                         "creation_timestamp": 1706918400, "title": "Semangat pagi semua!"}]}]
    path = tmp_path / "instagram-hilang.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("your_instagram_activity/content/posts_1.json", json.dumps(posts))
    rep = run_audit([str(path)], AuditOptions())
    assert asked == ["id"]
    ok, _why = real("id")
    assert rep.images_missing == (1 if ok else 0)  # as before: counted when pictures are judged
