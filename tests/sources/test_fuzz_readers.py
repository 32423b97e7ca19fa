"""Every platform reader fuzzed with seeded mutations of real and synthetic export files
(issue 14): truncation, flipped bytes, injected nesting, a huge string. Whatever the bytes,
a reader ends with items or a precise error naming file and position — never another
exception — and the items read before the bad spot are kept.

Real samples: tests/fixtures/exports/real (copied from /work/shared/formats and, for
Telegram, from licensed parser fixtures; licences in
tests/fixtures/exports/real/LICENSES); synthetic: tests/fixtures/exports/synthetic.
"""

from __future__ import annotations

import random
import shutil
import zipfile
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netral.audit.pipeline import assign
from netral.sources import Export, ParseContext, all_parsers
from netral.sources.helpers import FormatError

from ._util import REAL, SYN

SAMPLES = sorted(
    p for root in (REAL, SYN) for p in root.rglob("*")
    if p.is_file() and "LICENSES" not in p.parts and p.suffix in (".json", ".js", ".txt",
                                                                  ".csv", ".jsonl")
)
# errors a reader may end with: each names the file (and the position where it has one)
EXPECTED = (FormatError, zipfile.BadZipFile, zlib.error, OSError, EOFError)


def _read(folder: Path):
    """(items per file, errors per file) as the audit reads them, without the detector."""
    items: dict[str, list[tuple]] = {}
    errors: dict[str, BaseException] = {}
    with Export() as export:
        export.add(folder)
        parsers = all_parsers()
        ctx = ParseContext(export=export, me=["Budi"])
        for idx, files in assign(export, parsers, forced=False).items():
            parsers[idx].prepare(files, ctx)
            for f in files:
                got = items.setdefault(f.path, [])
                try:
                    for it in parsers[idx].parse_file(f, ctx):
                        got.append((it.kind, it.text, it.target))
                except EXPECTED as exc:
                    errors[f.path] = exc
    return items, errors


def _mutate(data: bytes, rnd: random.Random) -> tuple[str, bytes]:
    how = rnd.choice(["truncate", "flip", "nest", "huge", "nul"])
    at = rnd.randrange(len(data) + 1)
    if how == "truncate":
        return how, data[:at]
    if how == "flip":
        out = bytearray(data)
        for _ in range(rnd.randint(1, 8)):
            if out:
                out[rnd.randrange(len(out))] = rnd.randrange(256)
        return how, bytes(out)
    if how == "nest":
        return how, data[:at] + rnd.choice([b"[", b'{"a":', b"[{"]) * 50_000 + data[at:]
    if how == "huge":
        return how, data[:at] + b'"' + b"x" * 2_000_000 + b'"' + data[at:]
    return how, data[:at] + b"\x00\xff\xfe" * 100 + data[at:]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_mutated_samples_never_raise_and_keep_earlier_items(tmp_path, sample):
    root = SYN if SYN in sample.parents else REAL
    rel = sample.relative_to(root)
    top = rel.parts[0]
    base_dir = root / top
    original, orig_errors = _read(base_dir)
    key = rel.relative_to(top).as_posix()
    rnd = random.Random(f"{rel}")
    data = sample.read_bytes()
    for n in range(6):
        how, mutated = _mutate(data, rnd)
        work = tmp_path / f"m{n}"
        shutil.copytree(base_dir, work)
        (work / rel.relative_to(top)).write_bytes(mutated)
        items, errors = _read(work)  # any other exception fails the test
        err = errors.get(key)
        if isinstance(err, FormatError):
            assert err.code and err.code != "parser_error", (how, err)
            if err.code.startswith("json_") and err.code != "json_malformed":
                assert err.position and err.position.startswith("byte "), (how, err)
        if how == "truncate" and key in original and key not in orig_errors:
            before, after = original[key], items.get(key, [])
            # the items read before the cut are kept (the last one may be cut short)
            assert after[:-1] == before[: max(len(after) - 1, 0)], how
        if how == "nest" and key.endswith((".json", ".js")):
            assert len(items.get(key, [])) <= len(original.get(key, [])) + 1


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sample=st.sampled_from(SAMPLES), cut=st.floats(0, 1), junk=st.binary(max_size=64))
def test_hypothesis_cut_and_junk(tmp_path_factory, sample, cut, junk):
    data = sample.read_bytes()
    work = tmp_path_factory.mktemp("hyp")
    (work / sample.name).write_bytes(data[: int(len(data) * cut)] + junk)
    _read(work)  # no exception other than the named, expected ones
