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


@pytest.mark.skipif(not hasattr(__import__("os"), "geteuid"), reason="POSIX file modes")
def test_a_cache_file_others_can_write_is_never_unpickled(tmp_path: Path, cache_dir: Path) -> None:
    """Unpickling runs code: with the cache folder somewhere others can write to, a planted
    file named like the pack's entry (its name is predictable from the pack's content) must not
    be loaded. One writable by group or others is ignored, and the pack validated afresh."""
    import os
    import pickle

    pack_dir = tmp_path / "pemilu-2024"
    shutil.copytree(available_packs()["pemilu-2024"], pack_dir)
    first = load_pack_dir(pack_dir)
    cached = _cache_path(pack_dir)

    class Planted:
        def __reduce__(self):
            return (exec, ("import builtins; builtins.netral_planted_ran = True",))

    cached.write_bytes(pickle.dumps(Planted()))
    os.chmod(cached, 0o666)
    import builtins

    assert load_pack_dir(pack_dir) == first
    assert not getattr(builtins, "netral_planted_ran", False)
    # the control: the same file as this user's own (not writable by others) is read, so the
    # check above is what kept the planted code from running
    cached.write_bytes(pickle.dumps(Planted()))
    os.chmod(cached, 0o600)
    assert load_pack_dir(pack_dir) == first
    assert builtins.__dict__.pop("netral_planted_ran", False)


@pytest.mark.skipif(not hasattr(__import__("os"), "geteuid"), reason="POSIX file modes")
def test_the_cache_is_still_used_under_a_group_writable_umask(tmp_path: Path,
                                                              cache_dir: Path) -> None:
    """umask 002 (user private groups) would make every cache file group-writable, and so
    never read: cache files are written for this user alone whatever the umask."""
    import os

    from netral.data import cachefile

    pack_dir = tmp_path / "pemilu-2024"
    shutil.copytree(available_packs()["pemilu-2024"], pack_dir)
    old = os.umask(0o002)
    try:
        load_pack_dir(pack_dir)
    finally:
        os.umask(old)
    cached = _cache_path(pack_dir)
    assert cached.stat().st_mode & 0o777 == 0o600 and cachefile.read_own(cached) is not None
