"""The detector's structure: small stage modules, no import cycles, one verdict function,
word sets in data, and the old import paths still working."""

from __future__ import annotations

import ast
from datetime import date, datetime
from pathlib import Path

import pytest

import netral
from netral import Verdict
from netral.detect import score, wordsets
from netral.detect.score import KAMPANYE_AT, TINJAU_AT, verdict_for

DETECT = Path(netral.__file__).parent / "detect"
MAX_LINES = 300


def _modules() -> list[Path]:
    return sorted(DETECT.glob("**/*.py"))


def test_every_detect_module_is_small() -> None:
    too_long = {p.relative_to(DETECT).as_posix(): n for p in _modules()
                if (n := len(p.read_text("utf-8").splitlines())) > MAX_LINES}
    assert not too_long, f"split these modules (> {MAX_LINES} lines): {too_long}"


def test_detect_modules_import_no_cycle() -> None:
    def name(p: Path) -> str:
        rel = p.relative_to(DETECT).with_suffix("")
        parts = [x for x in rel.parts if x != "__init__"]
        return ".".join(["netral", "detect", *parts])

    names = {name(p) for p in _modules()}
    graph: dict[str, set[str]] = {}
    for p in _modules():
        deps: set[str] = set()
        for node in ast.walk(ast.parse(p.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                # "from netral.detect import score" imports the module netral.detect.score
                deps.update(f"{node.module}.{a.name}" for a in node.names)
                deps.add(node.module)
            elif isinstance(node, ast.Import):
                deps.update(a.name for a in node.names)
        graph[name(p)] = {d for d in deps if d in names and d != name(p)} - {"netral.detect"}

    done: set[str] = set()

    def visit(mod: str, path: tuple[str, ...]) -> None:
        if mod in path:
            pytest.fail("import cycle: " + " -> ".join((*path[path.index(mod):], mod)))
        if mod in done:
            return
        for dep in graph.get(mod, ()):
            visit(dep, (*path, mod))
        done.add(mod)

    for mod in graph:
        visit(mod, ())


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.0, Verdict.NETRAL),
        (TINJAU_AT - 1e-9, Verdict.NETRAL),
        (TINJAU_AT, Verdict.TINJAU),
        (0.5, Verdict.TINJAU),
        (KAMPANYE_AT - 1e-9, Verdict.TINJAU),
        (KAMPANYE_AT, Verdict.KAMPANYE),
        (1.0, Verdict.KAMPANYE),
    ],
)
def test_verdict_for_thresholds(value: float, expected: Verdict) -> None:
    assert verdict_for(value) is expected


def test_verdict_for_agrees_with_the_detector() -> None:
    for text in ["Ayo coblos nomor 2, lanjutkan! #PrabowoGibran", "Selamat pagi semua",
                 "Info TPS 05 buka pukul 07.00", "Prabowo presidenku"]:
        r = netral.check(text)
        assert verdict_for(r.score) is r.verdict


def test_old_import_paths_still_work() -> None:
    from netral.detect.detector import (
        DETECTOR_VERSION,
        KAMPANYE_AT,
        TINJAU_AT,
        Detector,
        get_detector,
        parse_when,
    )

    assert (KAMPANYE_AT, TINJAU_AT) == (score.KAMPANYE_AT, score.TINJAU_AT)
    det = get_detector()
    assert isinstance(det, Detector)
    assert det.version.startswith(DETECTOR_VERSION + "+")
    assert parse_when("2024-01-10T10:00:00Z") == date(2024, 1, 10)
    assert parse_when(datetime(2024, 2, 14, 23, 0)) == date(2024, 2, 14)
    assert parse_when(None) is None


def test_word_sets_come_from_data_as_strings() -> None:
    sets = [v for k, v in vars(wordsets).items() if k.isupper() and isinstance(v, frozenset)]
    assert len(sets) >= 12
    assert all(isinstance(w, str) and w == w.lower() for s in sets for w in s)
    assert "2024" in wordsets.CAMPAIGN_ACCOUNT_WORDS  # a quoted number stays a string
    assert "pasti kalah" in wordsets.WEAK_ATTACK
    assert wordsets.GESTURE_NUM["emo_metal"] == 3
