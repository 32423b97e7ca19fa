"""The audit pipeline end to end, with the real detector."""

import json
import zipfile

import pytest

from netral.audit import AuditOptions, AuditUsageError, problem_message, run_audit
from netral.demo.export import write_demo_export
from netral.sources import ZipLimits

CAMPAIGN_TWEET = "Ayo coblos no. 2 tgl 14 Feb, biar Indonesia Maju! #PrabowoGibran2024"
NEUTRAL_TWEET = "Rapat koordinasi Dinas Pendidikan hari ini berjalan lancar."


def _tweets_js(texts):
    recs = [{"tweet": {"id_str": str(100 + i), "created_at": "Fri Dec 01 02:00:00 +0000 2023",
                       "full_text": t, "entities": {}}} for i, t in enumerate(texts)]
    return "window.YTD.tweets.part0 = " + json.dumps(recs)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = write_demo_export(tmp_path_factory.mktemp("demo") / "export")
    return root, run_audit([root])


def test_demo_export_all_platforms_and_campaign_traces(demo):
    _, report = demo
    assert {s.platform for s in report.sources} == {
        "twitter", "facebook", "instagram", "threads", "tiktok", "telegram", "whatsapp",
        "youtube", "mastodon"}
    assert report.skipped == []
    assert report.scanned > 500 and 0 < report.flagged < report.scanned / 4
    flagged = {(f.item.kind, f.checked_text) for f in report.findings}
    assert ("post", CAMPAIGN_TWEET) in flagged
    # interactions without own text are judged on their target
    kinds = {f.item.kind for f in report.findings}
    assert {"post", "like", "follow", "join", "message"} <= kinds
    joined = {f.item.target for f in report.findings if f.item.kind == "join"}
    assert "Relawan Prabowo-Gibran Jawa Tengah" in joined
    # everyday / civic posts are not findings
    texts = {f.checked_text for f in report.findings}
    assert "Tolak politik uang! #PemiluDamai" not in texts
    assert not any(t.startswith("Selamat pagi, semangat bekerja") for t in texts)
    # 2019 campaign posts are found too
    assert any(f.item.created_at and f.item.created_at.year == 2019 for f in report.findings)
    # highest risk first
    ranks = [f.rank for f in report.findings]
    assert ranks == sorted(ranks, reverse=True)
    # WhatsApp: only the owner's messages (inferred from the private chat)
    wa = [f for f in report.findings if f.item.platform == "whatsapp" and f.item.kind == "message"]
    assert wa and all(f.item.extra["author"] == "Rina Lestari" for f in wa)


def test_bad_archive_rest_still_audited(tmp_path):
    z = tmp_path / "twitter-ekspor.zip"
    good = _tweets_js([CAMPAIGN_TWEET, NEUTRAL_TWEET])
    truncated = _tweets_js([NEUTRAL_TWEET] * 20 + [CAMPAIGN_TWEET])
    truncated = truncated[: int(len(truncated) * 0.97)]
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("data/tweets.js", good)
        zf.writestr("data/tweets-part1.js", truncated)
        zf.writestr("../../../etc/cron.d/evil.json", "{}")
        zf.writestr("data/bomb.json", b"\0" * (2 * 1024 * 1024))
    report = run_audit([z], AuditOptions(limits=ZipLimits(max_ratio=100)))
    codes = {p.code: p for p in report.skipped}
    assert set(codes) == {"zip_slip", "zip_bomb_ratio", "json_truncated"}
    assert codes["json_truncated"].file.endswith("twitter-ekspor.zip!data/tweets-part1.js")
    assert codes["json_truncated"].position.startswith("byte ")
    assert codes["zip_slip"].file.endswith("!../../../etc/cron.d/evil.json")
    msg = problem_message(codes["json_truncated"], "id")
    assert "terpotong" in msg and codes["json_truncated"].position in msg
    # the good file and the readable part of the truncated one were audited
    assert report.scanned == 2 + 20
    assert [f.checked_text for f in report.findings] == [CAMPAIGN_TWEET]


def test_unknown_layout_and_forced_platform(tmp_path):
    d = tmp_path / "bukan-ekspor"
    d.mkdir()
    (d / "catatan.txt").write_text("daftar belanja: beras, telur")
    report = run_audit([d])
    assert [(p.file, p.code) for p in report.skipped] == [(str(d), "unknown_layout")]
    assert report.ignored_files == [f"{d}/catatan.txt"]
    with pytest.raises(AuditUsageError):
        run_audit([d], AuditOptions(platform="myspace"))


def test_include_all_and_me(tmp_path):
    chat = tmp_path / "Chat WhatsApp dengan Grup Kantor.txt"
    chat.write_text(
        "02/01/24 08.00 - Andi: Selamat pagi\n"
        "02/01/24 08.01 - Rina: Ayo coblos nomor 3 ya, salam tiga jari\n"
        "02/01/24 08.02 - Budi: Siap\n", encoding="utf-8")
    report = run_audit([chat])
    assert [p.code for p in report.skipped] == ["self_unknown"]
    report = run_audit([chat], AuditOptions(me=["Rina"], include_all=True))
    assert report.skipped == []
    msgs = [f for f in report.items if f.item.kind == "message"]
    assert [m.item.extra["author"] for m in msgs] == ["Rina"]
    assert report.flagged == 1
    # the group itself (3 authors) is a join item judged on its name
    assert any(f.item.kind == "join" for f in report.items)


def _long_tweets(n: int) -> list[str]:
    # distinct texts (one judgement each), a campaign post every 50th
    return [CAMPAIGN_TWEET + f" {i}" if i % 50 == 0 else f"{NEUTRAL_TWEET} ({i})"
            for i in range(n)]


def test_long_audit_on_worker_processes_finds_the_same(tmp_path, monkeypatch):
    """A long audit judges on the worker pool while it reads on: the same findings, in the
    same order, as judging everything in this process."""
    import netral.detect.judge as judge_mod

    data = tmp_path / "x" / "data"
    data.mkdir(parents=True)
    (data / "tweets.js").write_text(_tweets_js(_long_tweets(4_500)), encoding="utf-8")

    def findings(workers: int) -> list[tuple]:
        rep = run_audit([tmp_path / "x"], AuditOptions(workers=workers, images=False))
        return [(f.checked_text, f.verdict, f.score) for f in rep.findings]

    here = findings(1)
    monkeypatch.setattr(judge_mod, "_asked", judge_mod.WARM_UP)  # a long run is under way
    sent: list[int] = []
    real = judge_mod._submit_to_pool

    def spy(requests, *a):
        sent.append(len(requests))
        return real(requests, *a)

    monkeypatch.setattr(judge_mod, "_submit_to_pool", spy)
    try:
        assert findings(2) == here and len(here) == 90
    finally:
        judge_mod.shutdown()
    assert sum(sent) == 4_500


def test_progress_reports_items_and_moves_inside_one_big_file(tmp_path):
    data = tmp_path / "x" / "data"
    data.mkdir(parents=True)
    (data / "tweets.js").write_text(_tweets_js(_long_tweets(6_000)), encoding="utf-8")
    calls: list[tuple[str, int, int, int]] = []
    run_audit([tmp_path / "x"], AuditOptions(workers=1, images=False),
              progress=lambda *a: calls.append(a))
    inside = [(done, items) for name, done, total, items in calls
              if name.endswith("tweets.js") and 0 < done < total]
    assert inside, calls  # the bar moves before the only file is finished
    assert [i for _d, i in inside] == sorted(i for _d, i in inside)
    assert calls[-1][3] == 6_000
