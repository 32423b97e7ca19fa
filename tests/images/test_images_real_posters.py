"""The real poster/banner photo set (data/images/real/posters.csv).

The table (labels, provenance, licence) is committed and always checked. The pictures are
copies of a public repository that states no licence: they are rebuilt by
tools/images/collect_real.py --only posters and never committed, so the tests that read them
skip loudly where they are absent.
"""

from __future__ import annotations

import csv
import importlib.util
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SET_DIR = ROOT / "data" / "images" / "real"
POSTERS = SET_DIR / "posters.csv"
VERDICTS = {"kampanye", "tinjau", "netral"}


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, mod)
    spec.loader.exec_module(mod)
    return mod


def _rows() -> list[dict[str, str]]:
    with POSTERS.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _present() -> bool:
    return POSTERS.is_file() and all((SET_DIR / r["file"]).is_file() for r in _rows())


needs_pictures = pytest.mark.skipif(
    not _present(),
    reason="LOUD SKIP: the real poster/banner photos are not here (data/images/real/posters/; "
           "rebuild them with tools/images/collect_real.py --only posters from a snapshot of "
           "the source named in posters.csv); this test did not run",
)


def test_table_is_complete_and_traceable() -> None:
    collect = _load("collect_real", ROOT / "tools" / "images" / "collect_real.py")
    rows = _rows()
    assert list(rows[0]) == collect.POSTER_COLUMNS
    hand_files = {r["file"] for r in csv.DictReader((SET_DIR / "labels.csv").open(encoding="utf-8"))}
    seen: set[str] = set()
    for n, r in enumerate(rows, start=2):
        where = f"{POSTERS}:{n}"
        assert re.fullmatch(r"posters/b\d{3}\.jpg", r["file"]), where
        assert r["file"] not in seen and r["file"] not in hand_files, where
        seen.add(r["file"])
        repo, commit, licence, _ = collect.SOURCES[r["source"]]
        assert (r["repo"], r["commit"], r["licence"]) == (repo, commit, licence), where
        assert re.fullmatch(r"[0-9a-f]{40}", r["commit"]) and r["path"], where
        assert {r["expected"], r["pass_b_expected"], r["final_expected"]} <= VERDICTS, where
        # where both passes agree the adjudicated label is theirs
        if r["expected"] == r["pass_b_expected"]:
            assert r["final_expected"] == r["expected"], where
        assert r["campaign_content"] in {"yes", "no", "unclear"}, where
        assert r["text_legible"] in {"yes", "partly", "no"}, where
        assert r["kind"] == "poster" and r["hands"] == "0", where
        if r["final_expected"] == "kampanye":
            assert r["target"], f"{where}: a campaign poster names its target"


def test_disagreements_are_adjudicated_in_writing() -> None:
    text = (SET_DIR / "ADJUDICATION-posters.md").read_text(encoding="utf-8")
    for r in _rows():
        if r["expected"] != r["pass_b_expected"]:
            assert r["file"] in text, f"{r['file']}: disagreement not adjudicated"


@needs_pictures
def test_neutral_election_banners_stay_netral() -> None:
    """KPU/Bawaslu/government banners that speak of the election but take no side (guideline
    7) are the false alarm a poster check is most likely to raise."""
    from netral.images import check_image

    by_file = {r["file"]: r for r in _rows()}
    for name in ("posters/b002.jpg", "posters/b003.jpg", "posters/b005.jpg"):
        assert by_file[name]["final_expected"] == "netral"
        res = check_image(str(SET_DIR / name))
        assert str(res.verdict) == "netral", (name, res.ocr_text)


@needs_pictures
def test_bench_reports_posters_per_class_and_where_text_is_right() -> None:
    bench = _load("bench_images", ROOT / "bench" / "bench_images.py")
    rows = [r for r in bench.poster_rows(SET_DIR) if r["file"] in
            {"posters/b003.jpg", "posters/b006.jpg", "posters/b020.jpg"}]
    judged = bench.judge_posters(SET_DIR, rows)
    fig = bench.poster_figures(judged)
    assert set(fig["image_right_per_class"]) == {"kampanye", "netral"}
    assert fig["image_right_per_class"]["netral"] == "2/2"
    n_text, d_text = map(int, fig["transcription_text_right"].split("/"))
    n_where, d_where = map(int, fig["image_right_where_text_right"].split("/"))
    assert d_text == 3 and d_where == n_text
    assert n_where == sum(j["text"] == j["expected"] == j["image"] for j in judged)


def test_transcript_turns_line_marks_into_lines() -> None:
    bench = _load("bench_images", ROOT / "bench" / "bench_images.py")
    assert bench._transcript("SUKSESKAN !!! / PEMILU …DAMAI") == "SUKSESKAN !!!\nPEMILU  DAMAI"


def test_candidate_banner_transcriptions_are_flagged() -> None:
    """Candidates' banners (name, office and term, or a name and a service slogan, no call to
    vote) were all missed by the text detector (docs/images.md); issue 10's second rules pass
    reads them as a campaign prop, for review at least. The labels say kampanye, so the exact
    verdict is still a miss (tinjau): this guards the flag, not the class."""
    import netral

    bench = _load("bench_images", ROOT / "bench" / "bench_images.py")
    by_file = {r["file"]: r for r in _rows()}
    for name in ("posters/b001.jpg", "posters/b006.jpg"):
        assert by_file[name]["final_expected"] == "kampanye"
        text = bench._transcript(by_file[name]["text"])
        assert str(netral.check(text).verdict) != "netral", (name, text)
