"""Ingest of collector records whose media (downloaded by the collector, paths relative to
the source file) are pictures: a campaign poster becomes a finding, and its evidence capture
holds the picture with its hash. Without Tesseract, ingestion still works and says why."""

from __future__ import annotations

import hashlib
import json
import shutil
import warnings
from pathlib import Path

import orjson
import pytest
from sqlalchemy import select

from netral.ingest import ingest_source
from netral.store.base import make_sessionmaker
from netral.store.models import Detection, Finding, Item

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "images"


def _images_ok() -> bool:
    from netral.images import available

    ok, why = available()
    if not ok:
        warnings.warn(f"LOUD SKIP: image checks unavailable here ({why})", stacklevel=2)
    return ok


def _source(tmp_path: Path) -> tuple[Path, bytes]:
    if not (FIXTURES / "real" / "subhih_two.jpg").exists():
        pytest.skip("LOUD SKIP: the real hand photos are not here "
                    "(tests/fixtures/images/real/README.md); this test did not run")
    media = tmp_path / "media"
    media.mkdir()
    poster = FIXTURES / "poster_campaign_0_00.png"
    shutil.copy(poster, media / "poster.png")
    shutil.copy(FIXTURES / "landscape_00.jpg", media / "pemandangan.jpg")
    shutil.copy(FIXTURES / "real" / "subhih_two.jpg", media / "tangan.jpg")
    records = [
        {"platform": "twitter", "handle": "@budi", "id": "img-1", "text": "Selamat pagi!",
         "created_at": "2024-02-03T01:00:00Z", "media": ["media/poster.png"]},
        {"platform": "twitter", "handle": "@budi", "id": "img-2", "text": "Libur dulu",
         "created_at": "2024-02-04T01:00:00Z",
         "media": ["media/pemandangan.jpg", "https://cdn.example/x.jpg"]},
        {"platform": "twitter", "handle": "@budi", "id": "img-3", "text": "Foto bersama",
         "created_at": "2024-02-05T01:00:00Z", "media": ["media/tangan.jpg"]},
    ]
    src = tmp_path / "collected.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return src, poster.read_bytes()


@pytest.mark.skipif(not _images_ok(), reason="LOUD SKIP: netral.images unavailable")
def test_media_poster_becomes_a_finding_with_the_picture_as_evidence(roster_engine, detector,
                                                                     tmp_path):
    from netral.images.gesture import model_status

    if not model_status()[0]:
        pytest.skip(f"LOUD SKIP: hand-landmark model unavailable ({model_status()[1]})")
    from netral.evidence.capture import capture_item
    from netral.evidence.filestore import FileStore

    src, poster = _source(tmp_path)
    rep = ingest_source(roster_engine, str(src), detector=detector, sample_rate=0.0)
    assert rep.images_checked == 3 and rep.images_flagged == 2, rep.to_dict()
    with make_sessionmaker(roster_engine)() as s:
        ids = dict(s.execute(select(Item.external_id, Item.id)).all())
        det = s.execute(select(Detection).where(Detection.item_id == ids["img-1"])).scalar_one()
        assert det.verdict == "kampanye"
        assert det.result["judged_on"] == "image"
        [img] = det.result["images"]
        assert img["media"] == "media/poster.png" and img["verdict"] == "kampanye"
        words = {b["text"].upper() for r in img["reasons"] for b in r.get("boxes") or []}
        assert "COBLOS" in words
        other = s.execute(select(Detection).where(Detection.item_id == ids["img-2"])).scalar_one()
        assert other.verdict == "netral" and other.result["images"][0]["verdict"] == "netral"
        hand = s.execute(select(Detection).where(Detection.item_id == ids["img-3"])).scalar_one()
        [pic] = hand.result["images"]
        assert pic["gesture_method"] == "landmark"  # the model path, not the fallback
        assert [g["name"] for g in pic["gestures"]] == ["dua_jari"] and pic["verdict"] == "tinjau"
        findings = s.execute(select(Finding.item_id)).scalars().all()
        assert ids["img-1"] in findings and ids["img-2"] not in findings
        entry = capture_item(s, ids["img-1"], FileStore(tmp_path / "evidence"))
        s.commit()
        files = orjson.loads(entry.body)["files"]
    media = [f for f in files if f["role"] == "media"]
    assert [f["sha256"] for f in media] == [hashlib.sha256(poster).hexdigest()]
    # idempotent: a second run adds nothing and checks no picture again
    again = ingest_source(roster_engine, str(src), detector=detector, sample_rate=0.0)
    assert again.items_new == 0 and again.findings_new == 0 and again.images_checked == 0


def test_without_tesseract_ingest_degrades_with_a_note(roster_engine, detector, tmp_path,
                                                       monkeypatch):
    from netral.images.ocr import tesseract_langs

    src, _ = _source(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    tesseract_langs.cache_clear()
    rep = ingest_source(roster_engine, str(src), detector=detector, sample_rate=0.0)
    assert rep.images_checked == 0 and rep.items_new == 3 and rep.scanned == 3
    assert rep.images_note and rep.to_dict()["images"]["note"] == rep.images_note
    assert rep.findings_new == 0  # the text alone is harmless; the picture was not judged
