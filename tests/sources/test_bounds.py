"""Bounded JSON reading (issue 14, self-audit): nesting depth and string size limits hold on
any input, the bytes handed to the parser stay valid JSON, and errors name the byte."""

import io
import json
import random

import pytest

from netral.sources.bounds import Bounds, JSONBounder, TooDeep, bounded_lines
from netral.sources.helpers import FormatError, iter_json, stream_matching

PFX = b"window.YTD.tweets.part0 = "


def _op(data: bytes):
    return lambda: io.BytesIO(data)


def test_deep_nesting_stops_at_once_naming_the_byte():
    # 400 KB of brackets used to take 3.6-23 GB and die; now it ends at the 65th level
    data = PFX + b"[" * 400_000
    with pytest.raises(FormatError) as err:
        list(iter_json(_op(data), "item", skip_to=b"["))
    assert err.value.code == "json_too_deep"
    assert err.value.position == f"byte {len(PFX) + 64}"


def test_records_before_the_deep_spot_are_kept():
    good = json.dumps([{"tweet": {"id_str": str(i)}} for i in range(20)]).encode()
    data = PFX + good[:-1] + b"," + b"[" * 100_000
    got = []
    with pytest.raises(FormatError) as err:
        for rec in iter_json(_op(data), "item", skip_to=b"["):
            got.append(rec)
    assert [r["tweet"]["id_str"] for r in got] == [str(i) for i in range(20)]
    assert err.value.code == "json_too_deep"


def test_deep_object_in_streamed_file():
    with pytest.raises(FormatError) as err:
        list(stream_matching(_op(b'{"Activity":' * 100_000 + b"1"), lambda p: None))
    assert err.value.code == "json_too_deep" and err.value.position == "byte 768"


def test_huge_string_cut_with_ellipsis_and_noted():
    text = "é" * 400_000  # 800 KB of UTF-8
    data = json.dumps([{"a": text, "b": 1}, {"a": "ok"}], ensure_ascii=False).encode()

    class F:  # an export file: iter_json notes the cut on the file it reads
        def __init__(self):
            self.cache = {}

        def open(self):
            return io.BytesIO(data)

    f = F()
    recs = list(iter_json(f.open, "item"))
    assert recs[1] == {"a": "ok"} and recs[0]["b"] == 1
    assert recs[0]["a"].endswith("…") and text.startswith(recs[0]["a"][:-1])
    assert len(recs[0]["a"].encode()) <= 256 * 1024 + 3
    n, where, limit = f.cache["strings_cut"]
    assert n == 1 and where == "byte 262.152" and limit == 256 * 1024  # where the cut began


def test_utf16_tweets_js_is_read():
    data = (PFX + json.dumps([{"tweet": {"id_str": "1", "full_text": "halo ☺"}}]).encode())
    recs = list(iter_json(_op(data.decode().encode("utf-16")), "item", skip_to=b"["))
    assert recs[0]["tweet"]["full_text"] == "halo ☺"


@pytest.mark.parametrize("seed", range(4))
def test_cut_strings_stay_valid_json_whatever_the_chunks(seed):
    # escapes, quotes, multi-byte characters and chunk borders anywhere: the filtered bytes
    # always parse, and a cut string is a prefix of the original
    rnd = random.Random(seed)
    alphabet = ["a", "é", "\\", '"', "\n", "😀", "\u0001", "/", "ab" * 5]
    for _ in range(500):
        s = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 60)))
        doc = json.dumps({"k": [s, {"z": s}], "n": 1}, ensure_ascii=rnd.random() < 0.5).encode()
        bounder = JSONBounder(Bounds(max_string=rnd.randint(1, 24)))
        out, i = [], 0
        while i < len(doc):
            step = rnd.randint(1, 9)
            out.append(bounder.feed(doc[i : i + step]))
            i += step
        value = json.loads(b"".join(out))
        assert value["n"] == 1
        for got in (value["k"][0], value["k"][1]["z"]):
            assert s.startswith(got.removesuffix("…")) or got == s


def test_bounded_lines_skip_the_rest_of_an_overlong_line():
    raw = io.BytesIO(b"short\n" + b"x" * 10_000 + b"\nnext\n")
    lines = list(bounded_lines(raw, limit=100))
    assert lines[0] == (b"short\n", False)
    assert lines[1][1] is True and len(lines[1][0]) == 100
    assert lines[2] == (b"next\n", False)


def test_record_of_very_many_values_stops_the_file_naming_its_start():
    # strings are cut at 256 KiB; a record of millions of small values is the other way to
    # make one record huge: beyond max_record the file ends there, earlier records are kept
    many = b"[" + b",".join([b"1"] * 3_000_000) + b"]"  # ~6 MB
    data = b'[{"id": 1}, {"id": 2, "v": ' + many + b"}, {\"id\": 3}]"
    got = []
    bounds = Bounds(max_record=1024 * 1024)
    with pytest.raises(FormatError) as err:
        src_iter = _iter_with(data, bounds)
        for rec in src_iter:
            got.append(rec)
    assert got == [{"id": 1}]
    # the start is named to within the 64 KiB read that holds it (here: the file's start)
    assert err.value.code == "json_record_too_big" and err.value.position.startswith("byte ")
    # the default limit lets the same record through whole
    assert len(list(iter_json(_op(data), "item"))) == 3


def test_streamed_record_limit():
    from netral.sources import helpers

    many = b"[" + b",".join([b"1"] * 700_000) + b"]"  # ~1.4 MB > 1 MiB
    data = b'{"messages": [{"id": 1}, {"id": 2, "v": ' + many + b"}]}"
    want = lambda p: "m" if p == "messages.item" else None  # noqa: E731
    got = []
    with pytest.raises(helpers.FormatError) as err:
        for _label, _prefix, rec in stream_matching(_op(data), want,
                                                    bounds=Bounds(max_record=1024 * 1024)):
            got.append(rec)
    assert got == [{"id": 1}] and err.value.code == "json_record_too_big"


def _iter_with(data: bytes, bounds: Bounds):
    import ijson

    from netral.sources.helpers import JSONSource, guarded

    src = JSONSource(io.BytesIO(data), bounds=bounds, record_depth=2)
    yield from guarded(src, ijson.items(src, "item", use_float=True))


def test_fast_and_exact_scans_agree_on_nesting():
    # the C fast path (strings blanked, brackets summed) and the byte-exact scan must refuse
    # exactly the documents nested deeper than the limit, whatever the chunking; brackets,
    # quotes and backslashes inside strings must not count
    rnd = random.Random(7)

    def gen(d):
        r = rnd.random()
        if d > 7 or r < 0.3:
            return rnd.choice(["a[", '\\"]{', "x\\", 1, None, "😀{"])
        if r < 0.65:
            return [gen(d + 1) for _ in range(rnd.randint(0, 3))]
        return {rnd.choice(["k", "[", '"{']): gen(d + 1) for _ in range(rnd.randint(0, 3))}

    def depth(v):
        if isinstance(v, list):
            return 1 + max([depth(x) for x in v] or [0])
        if isinstance(v, dict):
            return 1 + max([depth(x) for x in v.values()] or [0])
        return 0

    for _ in range(1500):
        v = gen(0)
        doc = json.dumps(v, ensure_ascii=rnd.random() < 0.5).encode()
        limit = rnd.randint(1, 6)
        bounder = JSONBounder(Bounds(max_depth=limit), record_depth=rnd.choice([0, 2]))
        out, i, raised = [], 0, False
        try:
            while i < len(doc):
                step = rnd.randint(1, 40)
                out.append(bounder.feed(doc[i : i + step]))
                i += step
        except TooDeep:
            raised = True
        assert raised == (depth(v) > limit), doc
        if not raised:
            assert json.loads(b"".join(out)) == v
