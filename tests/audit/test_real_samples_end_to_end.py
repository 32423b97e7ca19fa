"""``netral audit`` end to end on the licensed Telegram Desktop samples, laid out as Telegram
Desktop writes them (``ChatExport_<date>/result.json``) inside a zip: no traceback, the item
count the file holds, the self-unknown notice where the owner cannot be inferred."""

from __future__ import annotations

import zipfile
from pathlib import Path

from netral.audit import AuditOptions, run_audit

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "exports" / "real" / "telegram"


def _zip(tmp_path: Path, sample: str) -> Path:
    z = tmp_path / f"{sample}.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(REAL / sample, "ChatExport_2023-05-01/result.json")
        zf.writestr("ChatExport_2023-05-01/photos/", "")
    return z


def test_chatstyle_sample_zip(tmp_path):
    report = run_audit([_zip(tmp_path, "chatstyle_result_personal_chat.json")],
                       AuditOptions(include_all=True, images=False))
    assert report.skipped == []
    assert [(s.platform, s.version, s.items) for s in report.sources] == [
        ("telegram", "single-chat export", 6)]
    assert sorted(int(f.item.id) for f in report.items) == [1, 3, 4, 7, 9, 12]
    assert report.flagged == 0  # small talk, nothing political


def test_lokb_sample_zip_needs_me(tmp_path):
    z = _zip(tmp_path, "lokb_result_three_authors_no_unixtime.json")
    report = run_audit([z], AuditOptions(include_all=True, images=False))
    assert [p.code for p in report.skipped] == ["self_unknown"]
    assert report.scanned == 0
    report = run_audit([z], AuditOptions(me=["Alice"], include_all=True, images=False))
    assert report.skipped == []
    assert report.scanned == 4


def test_threads_documented_layout_zip(tmp_path):
    """No licensed real Threads export exists in the test data; this is the synthetic fixture of
    the documented layout, zipped as Meta ships it (threads/ inside the Instagram download)."""
    folder = REAL.parents[1] / "synthetic" / "threads_documented"
    z = tmp_path / "instagram-budi-2024-02-05-AbCd.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(folder.rglob("*.json")):
            zf.write(f, f.relative_to(folder).as_posix())
    report = run_audit([z], AuditOptions(include_all=True, images=False))
    assert report.skipped == []
    assert [(s.platform, s.items) for s in report.sources] == [("threads", 6)]
    assert sorted(f.item.kind for f in report.items) == [
        "comment", "follow", "like", "like", "post", "post"]
