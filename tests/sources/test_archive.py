"""Reading exports safely: zip-slip, zip bombs, symlinks, nested zips, truncated JSON."""

import io
import json
import os
import stat
import zipfile
from functools import partial

import pytest

from netral.sources import Export, ParseContext, ZipLimits, get_parser
from netral.sources.helpers import FormatError, iter_json

TWEETS = "window.YTD.tweets.part0 = " + json.dumps(
    [{"tweet": {"id_str": str(i), "created_at": "Fri Dec 01 02:00:00 +0000 2023",
                "full_text": f"tweet nomor {i}", "entities": {}}} for i in range(50)]
)


def _zip(path, members: dict[str, bytes | str], *, infos=()):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
        for info, data in infos:
            z.writestr(info, data)
    return path


def _codes(export):
    return {p.code for p in export.problems}


def test_zip_slip_entry_refused_rest_listed(tmp_path):
    z = _zip(tmp_path / "x.zip", {"data/tweets.js": TWEETS, "../../evil.json": "{}",
                                   "/abs/evil.json": "{}"})
    with Export() as ex:
        ex.add(z)
        assert [f.path for f in ex.files] == ["data/tweets.js"]
        slips = [p for p in ex.problems if p.code == "zip_slip"]
        assert {p.file.split("!")[1] for p in slips} == {"../../evil.json", "/abs/evil.json"}


def test_zip_bomb_ratio_and_total_cap(tmp_path):
    bomb = b"\0" * (3 * 1024 * 1024)  # ~3000:1
    z = _zip(tmp_path / "b.zip", {"bomb.json": bomb, "data/tweets.js": TWEETS})
    with Export(ZipLimits(max_ratio=100)) as ex:
        ex.add(z)
        assert [f.path for f in ex.files] == ["data/tweets.js"]
        assert _codes(ex) == {"zip_bomb_ratio"}
    with Export(ZipLimits(max_total_bytes=1000, max_ratio=10_000)) as ex:
        ex.add(z)
        assert "zip_bomb_total" in _codes(ex)


def test_symlink_in_zip_and_in_folder_not_followed(tmp_path):
    link = zipfile.ZipInfo("data/link.js")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    z = _zip(tmp_path / "s.zip", {"data/tweets.js": TWEETS}, infos=[(link, "/etc/passwd")])
    with Export() as ex:
        ex.add(z)
        assert [f.path for f in ex.files] == ["data/tweets.js"]
        assert _codes(ex) == {"symlink"}
    d = tmp_path / "dir"
    d.mkdir()
    (d / "ok.txt").write_text("x")
    os.symlink("/etc/passwd", d / "passwd.txt")
    with Export() as ex:
        ex.add(d)
        assert [f.path for f in ex.files] == ["ok.txt"]
        assert _codes(ex) == {"symlink"}


def test_nested_zip_read_in_place_and_depth_capped(tmp_path):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("data/tweets.js", TWEETS)
    outer = _zip(tmp_path / "o.zip", {"twitter-2023.zip": inner.getvalue()})
    with Export() as ex:
        ex.add(outer)
        (f,) = ex.files
        assert f.display.endswith("o.zip!twitter-2023.zip!data/tweets.js")
        items = list(get_parser("twitter").parse_file(f, ParseContext(export=ex)))
        assert len(items) == 50
    with Export(ZipLimits(max_depth=1)) as ex:
        ex.add(outer)
        assert ex.files == [] and _codes(ex) == {"zip_depth"}


def test_damaged_zip_named(tmp_path):
    bad = tmp_path / "rusak.zip"
    bad.write_bytes(b"PK\x03\x04 this is not really a zip")
    with Export() as ex:
        assert ex.add(bad) is False
        (p,) = ex.problems
        assert p.code == "bad_zip" and p.file == str(bad)


def test_truncated_json_names_byte_position(tmp_path):
    data = TWEETS.encode()
    cut = tmp_path / "tweets.js"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(FormatError) as ei:
        list(iter_json(partial(open, cut, "rb"), "item", skip_to=b"["))
    assert ei.value.code == "json_truncated"
    assert ei.value.position.startswith("byte ")


def test_malformed_json_is_format_error(tmp_path):
    p = tmp_path / "x.json"
    p.write_text('[{"a": 1}, {"a": ]')
    with pytest.raises(FormatError) as ei:
        list(iter_json(partial(open, p, "rb"), "item"))
    assert ei.value.code == "json_malformed"
