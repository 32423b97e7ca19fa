"""tools/corpus/rebuild.py: the real corpus' texts are rebuilt from repository snapshots with
the cleaning of collect.py, each checked against the hash kept with its label; a missing
snapshot, a missing row or a changed text is named (file, row), never a traceback, and no
partial corpus is written. Rows drawn and not labelled yet (unlabelled.jsonl) are rebuilt the
same way into the pool only. The source file here is made up for the test."""

from __future__ import annotations

import hashlib
import importlib.util
import re
import sys
from pathlib import Path

import orjson
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / "tools" / "corpus"

# made-up rows in the layout of a scraped-tweets CSV (not from any source)
CSV = (
    "full_text,tweet_url,created_at\n"
    '"Contoh teks buatan &amp; bukan kutipan, baris satu",https://example.invalid/1,2024-01-01\n'
    '"<b>Teks</b> buatan kedua  untuk uji",https://example.invalid/2,2024-01-02\n'
)


def _rebuild():
    sys.path.insert(0, str(TOOLS))
    spec = importlib.util.spec_from_file_location("rebuild", TOOLS / "rebuild.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture
def world(tmp_path: Path, git_commit):
    repo = tmp_path / "mirror" / "someone+tweets" / "repo"
    repo.mkdir(parents=True)
    (repo / "t.csv").write_text(CSV, encoding="utf-8")
    commit = git_commit(repo)
    src = {"id": "made-up", "repo": "someone/tweets", "commit": commit, "path": "t.csv",
           "format": "csv", "text": "full_text", "html": True, "licence": "none stated"}
    (tmp_path / "sources.yaml").write_text(yaml.safe_dump({"sources": [src]}), encoding="utf-8")
    texts = ["Contoh teks buatan & bukan kutipan, baris satu", "Teks buatan kedua untuk uji"]
    labels = [
        {"id": f"real-0000{i + 1}", "text_sha256": _sha(t), "label": "netral", "split": "dev",
         "source": "made-up", "repo": src["repo"], "commit": commit, "path": "t.csv",
         "row": str(i + 2), "url": None, "licence": "none stated", "election": "x",
         "pool_date": None}
        for i, t in enumerate(texts)
    ]
    return tmp_path, labels, texts


def _run(tmp: Path, labels: list[dict], *extra: str, unlabelled: list[dict] | None = None) -> int:
    (tmp / "labels.jsonl").write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in labels))
    (tmp / "unlabelled.jsonl").write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in unlabelled or []))
    return _rebuild().main(["--labels", str(tmp / "labels.jsonl"), "--sources",
                            str(tmp / "sources.yaml"), "--resourced", str(tmp / "none.jsonl"),
                            "--unlabelled", str(tmp / "unlabelled.jsonl"),
                            "--out", str(tmp / "corpus.jsonl"), "--pool", str(tmp / "pool.jsonl"),
                            *extra])


def test_rebuilds_and_verifies_every_row(world, capsys):
    tmp, labels, texts = world
    assert _run(tmp, labels, "--mirror", str(tmp / "mirror")) == 0
    rows = [orjson.loads(x) for x in (tmp / "corpus.jsonl").read_bytes().splitlines()]
    assert [r["text"] for r in rows] == texts  # cleaned as collect.py cleans (entities, tags)
    assert list(rows[0])[:2] == ["id", "text"] and "text_sha256" not in rows[0]
    assert "made-up" in capsys.readouterr().out


def test_a_changed_text_is_named_and_nothing_is_written(world, capsys):
    tmp, labels, _ = world
    labels[1]["text_sha256"] = _sha("something else")
    assert _run(tmp, labels, "--mirror", str(tmp / "mirror")) == 1
    err = capsys.readouterr().err
    assert "t.csv row 3" in err and "real-00002" in err and "Traceback" not in err
    assert not (tmp / "corpus.jsonl").exists()


def test_a_missing_snapshot_or_row_is_named(world, capsys):
    tmp, labels, _ = world
    assert _run(tmp, labels, "--mirror", str(tmp)) == 1  # no snapshot of someone/tweets here
    assert "t.csv row 2 (real-00001): no snapshot of someone/tweets under" in capsys.readouterr().err
    labels[0]["row"] = "9"
    assert _run(tmp, labels, "--mirror", str(tmp / "mirror")) == 1
    assert "t.csv row 9: not in the file (real-00001)" in capsys.readouterr().err
    assert not (tmp / "corpus.jsonl").exists()


def _drawn(label: dict) -> dict:
    """A labels.jsonl row as an unlabelled.jsonl row: provenance and hash, no label."""
    keep = ("id", "text_sha256", "source", "repo", "commit", "path", "row", "url", "licence",
            "election", "pool_date")
    return {"batch": 3, **{k: label[k] for k in keep}}


def test_unlabelled_rows_go_to_the_pool_only(world, capsys):
    tmp, labels, texts = world
    assert _run(tmp, labels[:1], "--mirror", str(tmp / "mirror"), unlabelled=[_drawn(labels[1])]) == 0
    corpus = [orjson.loads(x) for x in (tmp / "corpus.jsonl").read_bytes().splitlines()]
    pool = [orjson.loads(x) for x in (tmp / "pool.jsonl").read_bytes().splitlines()]
    assert [r["id"] for r in corpus] == ["real-00001"]
    assert [(r["id"], r["text"]) for r in pool] == [("real-00001", texts[0]), ("real-00002", texts[1])]
    assert "1 drawn for labelling" in capsys.readouterr().out
    # a changed text of a drawn row stops the rebuild like a labelled one's
    bad = {**_drawn(labels[1]), "text_sha256": _sha("x")}
    assert _run(tmp, labels[:1], "--mirror", str(tmp / "mirror"), "--check", unlabelled=[bad]) == 1
    assert "real-00002" in capsys.readouterr().err
    # once labelled (merged into labels.jsonl) its line in unlabelled.jsonl is only a record
    assert _run(tmp, labels, "--mirror", str(tmp / "mirror"), unlabelled=[_drawn(labels[1])]) == 0
    assert len((tmp / "pool.jsonl").read_bytes().splitlines()) == 2


def test_resourced_texts_fill_in_without_a_snapshot(world, capsys):
    tmp, labels, texts = world
    (tmp / "res.jsonl").write_bytes(b"".join(
        orjson.dumps({"id": lab["id"], "text": t}) + b"\n" for lab, t in zip(labels, texts, strict=True)))
    (tmp / "labels.jsonl").write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in labels))
    code = _rebuild().main(["--labels", str(tmp / "labels.jsonl"), "--sources",
                            str(tmp / "sources.yaml"), "--resourced", str(tmp / "res.jsonl"),
                            "--unlabelled", str(tmp / "none.jsonl"), "--check"])
    assert code == 0 and "every row rebuilt and verified" in capsys.readouterr().out


@pytest.mark.real_corpus
def test_no_committed_file_copies_a_corpus_text(capsys):
    """Texts brought from the sources' snapshots stay out of git: no tracked file holds 40 or
    more characters of a corpus text, beyond the phrases and pending files the tool lists."""
    spec = importlib.util.spec_from_file_location("find_copies", TOOLS / "find_copies.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.main([]) == 0, capsys.readouterr().out


def test_drawn_batches_are_training_rows_after_the_labelled_ones():
    """unlabelled.jsonl (batch 3 on) continues the ids, repeats no labelled row or text, comes
    from training sources only, and its chunks list exactly its rows with the same hashes."""
    sys.path.insert(0, str(TOOLS))
    from merge_passes import DEV_SOURCES

    def rows(path: Path) -> list[dict]:
        return [orjson.loads(x) for x in path.read_bytes().splitlines() if x.strip()]

    labels = rows(ROOT / "data" / "corpus" / "labels.jsonl")
    drawn = rows(ROOT / "data" / "corpus" / "unlabelled.jsonl")
    declared = {s["id"] for s in yaml.safe_load((TOOLS / "sources.yaml").read_text())["sources"]}
    labelled = {r["id"] for r in labels}
    pending = [r for r in drawn if r["id"] not in labelled]
    last = max(int(i.split("-")[1]) for i in labelled)
    numbers = [int(r["id"].split("-")[1]) for r in pending]
    # Ids continue the labelled ones in order; the only gaps are rows of a source withdrawn
    # after its draw (collect.py `withdrawn:`), at most its cap.
    spec = yaml.safe_load((TOOLS / "sources.yaml").read_text())["sources"]
    withdrawn_caps = sum(s["cap"] for s in spec if s.get("withdrawn"))
    if numbers:  # a drawn batch still waiting for its labels
        assert numbers == sorted(set(numbers)) and numbers[0] == last + 1
        assert numbers[-1] - last - len(numbers) <= withdrawn_caps
    assert all(r["source"] in declared and r["source"] not in DEV_SOURCES for r in drawn)
    assert not any(s.get("withdrawn") for s in spec if s["id"] in {r["source"] for r in drawn})
    assert not {r["text_sha256"] for r in pending} & {r["text_sha256"] for r in labels}
    assert len({(r["source"], r["path"], r["row"]) for r in drawn}) == len(drawn)
    chunks = ROOT / "data" / "corpus" / "labelling" / "chunks"
    listed = [r for n in (16, 17) for r in rows(chunks / f"chunk-{n}.jsonl")]
    assert {(r["id"], r["text_sha256"]) for r in listed} == {
        (r["id"], r["text_sha256"]) for r in drawn if r["batch"] == 3}


def test_revised_labels_name_a_written_decision_and_reach_the_labels():
    """A later decision may change a label the passes agreed on, or one a third reader decided;
    each such revision names the decision (it must be written in DECISIONS.md), covers a labelled
    text, and the last revision of a text (the file is a log: a later re-reading supersedes an
    earlier one) is the label labels.jsonl carries."""
    sys.path.insert(0, str(TOOLS))
    from merge_passes import CORPUS, LAB, REVISED, read_by_id
    from texts import read_jsonl

    if not REVISED.is_file():
        pytest.skip("no revision of an agreed label")
    revised = read_jsonl(REVISED)
    written = (CORPUS / "DECISIONS.md").read_text("utf-8")
    # numbered rows ("84. **…**") and the first round's table rows ("| D6 | …")
    decisions = set(re.findall(r"^(\d+)\. \*\*", written, re.M))
    decisions |= set(re.findall(r"^\| D(\d+) \|", written, re.M))
    labels = {r["id"]: r for r in read_jsonl(CORPUS / "labels.jsonl")}
    a, b = read_by_id(LAB / "pass-a"), read_by_id(LAB / "pass-b")
    adjudicated = read_by_id(LAB / "adjudication" / "decided")
    last = {}
    for r in revised:
        assert r["decision"].removeprefix("D") in decisions, r
        agreed = a[r["id"]]["label"] == b[r["id"]]["label"]
        assert agreed or r["id"] in adjudicated, f"{r['id']}: neither agreed nor adjudicated"
        last[r["id"]] = r
    for r in last.values():
        assert labels[r["id"]]["label"] == r["label"] and labels[r["id"]]["decided"] == "revised", r


def test_an_undated_x_post_is_dated_by_its_status_id():
    """D132: an X status id is a Snowflake whose top bits are the posting time; the corpus gives
    an undated text that date (the day, UTC), and nothing to a URL without a status id."""
    sys.path.insert(0, str(TOOLS))
    from merge_passes import CORPUS, status_date
    from texts import read_jsonl

    # real-31948's stored date is 2024-02-15 and its URL's id gives the same second
    assert status_date("https://twitter.com/tvOneNews/status/1758067522237288760") == "2024-02-15"
    assert status_date("https://x.com/someone/status/1708205699153776937?s=20") == "2023-09-30"
    assert status_date("https://twitter.com/someone/status/123") is None  # not a Snowflake
    assert status_date("https://www.youtube.com/watch?v=abc") is None
    assert status_date(None) is None
    labels = [r for r in read_jsonl(CORPUS / "labels.jsonl") if r.get("url")]
    for r in labels:
        if not r.get("pool_date") and status_date(r["url"]):
            assert r["date"] == status_date(r["url"]), r["id"]
