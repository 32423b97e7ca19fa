"""tools/corpus/everyday.py: the sources it measures are sourced and not reserved, and it reads
each format, drops what it must, and judges what is left at the dates it says."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools" / "corpus"))

import everyday  # noqa: E402
from collect import LOOSE, loose_key  # noqa: E402

RESERVED = ROOT.parent / "shared" / "RESERVED.md"


def _sources() -> list[dict]:
    return yaml.safe_load(everyday.SOURCES.read_text(encoding="utf-8"))["sources"]


def test_every_source_is_pinned_licensed_and_split():
    names = set()
    for s in _sources():
        assert s["name"] not in names, s["name"]
        names.add(s["name"])
        assert re.fullmatch(r"[0-9a-f]{40}", s["commit"]), s["name"]
        assert s["licence"] and s["format"] in ("lines", "tsv", "csv") and s["path"], s["name"]
        assert s["split"] in ("tune", "heldout"), s["name"]
    assert {"tune", "heldout"} == {s["split"] for s in _sources()}


def test_no_source_is_a_reserved_dataset():
    if not RESERVED.is_file():
        pytest.skip("shared/RESERVED.md is not beside this checkout")
    reserved = set(re.findall(r"^- ([\w.-]+/[\w.-]+)\s*$", RESERVED.read_text(encoding="utf-8"), re.M))
    assert reserved
    assert not {s["repo"] for s in _sources()} & reserved


def _repo(tmp_path: Path, git_commit) -> tuple[Path, str]:
    """A mirror holding one made-up repository (texts written for this test)."""
    work = tmp_path / "work"
    (work / "d").mkdir(parents=True)
    (work / "d" / "a.txt").write_text(
        "See you at the beach tonight with the whole crew!\n"
        "see you at the beach tonight, with the whole crew\n"  # the same key: a duplicate
        "\n"
        "Bakso di ujung gang ini enak sekali, kuahnya gurih\n", encoding="utf-8")
    (work / "d" / "b.csv").write_text(
        "when,body\n2021-07-01 08:00:00,Antre vaksin di puskesmas pagi ini lancar\n", encoding="utf-8")
    (work / "d" / "c.tsv").write_text("Kita berangkat besok pagi.\t1, 2\n", encoding="utf-8")
    commit = git_commit(work)
    mirror = tmp_path / "mirror"
    (mirror / "o+r").mkdir(parents=True)
    (work / ".git").rename(mirror / "o+r" / "repo")
    return mirror, commit


def test_reads_every_format_and_drops_duplicates_and_reserved(tmp_path, monkeypatch, git_commit):
    mirror, commit = _repo(tmp_path, git_commit)
    spec = {"sources": [
        {"name": "lines", "repo": "o/r", "commit": commit, "path": "d/a.txt", "format": "lines",
         "split": "tune", "licence": "x"},
        {"name": "csv", "repo": "o/r", "commit": commit, "path": "d/b.csv", "format": "csv",
         "header": True, "column": "body", "date_column": "when", "split": "heldout", "licence": "x"},
        {"name": "tsv", "repo": "o/r", "commit": commit, "path": "d/{c}.tsv", "format": "tsv",
         "column": 0, "split": "heldout", "licence": "x"},
    ]}
    sources = tmp_path / "sources.yaml"
    sources.write_text(yaml.safe_dump(spec), encoding="utf-8")
    monkeypatch.setattr(everyday, "SOURCES", sources)
    import hashlib

    reserved = {LOOSE + hashlib.sha256(loose_key("Kita berangkat besok pagi.").encode()).hexdigest()}
    items, dropped = everyday.load(mirror, "all", reserved)
    texts = [x["text"] for x in items]
    assert texts == ["See you at the beach tonight with the whole crew!",
                     "Bakso di ujung gang ini enak sekali, kuahnya gurih",
                     "Antre vaksin di puskesmas pagi ini lancar"]
    assert dropped == {"duplicate": 1, "empty": 1, "reserved": 1}
    assert items[2]["date"] == "2021-07-01" and items[0]["date"] is None
    assert [x["split"] for x in items] == ["tune", "tune", "heldout"]
    assert all(not r.flagged for r in everyday.judge(items, True))


def test_a_missing_snapshot_is_named(tmp_path):
    with pytest.raises(SystemExit, match="no snapshot"):
        everyday.read_blob(tmp_path / "nope", "o/r", "0" * 40, "x.txt")
