"""Validated packs are cached per content (a cold `netral check` must not parse and validate
the shipped packs every time), and the cache never serves a pack whose files changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from netral.config import get_settings
from netral.packs import _cache_path, available_packs, load_pack_dir


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("NETRAL_CACHE_DIR", str(tmp_path / "cache"))
    get_settings.cache_clear()
    yield tmp_path / "cache"
    get_settings.cache_clear()


def test_cached_pack_equals_the_validated_one(tmp_path: Path, cache_dir: Path) -> None:
    pack_dir = tmp_path / "pemilu-2024"
    shutil.copytree(available_packs()["pemilu-2024"], pack_dir)
    first = load_pack_dir(pack_dir)
    cached = _cache_path(pack_dir)
    assert cached is not None and cached.is_file() and cached.is_relative_to(cache_dir)
    again = load_pack_dir(pack_dir)
    assert again == first and again is not first

    # an edited pack is read afresh, under another cache entry
    yml = pack_dir / "pack.yaml"
    yml.write_text(yml.read_text(encoding="utf-8").replace(
        f"title: {first.title}", "title: Pemilu uji"), encoding="utf-8")
    edited = load_pack_dir(pack_dir)
    assert edited.title == "Pemilu uji" and _cache_path(pack_dir) != cached

    # a corrupt cache file is rebuilt, not fatal
    path = _cache_path(pack_dir)
    path.write_bytes(b"not a pickle")
    assert load_pack_dir(pack_dir) == edited
