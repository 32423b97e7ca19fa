"""A cold `netral check` (issue 15, problem 2): it imports only what judging a text needs and
stays under 120 MB. The time target (< 300 ms, against the old code in the same run) is
measured by bench/bench_cold_start.py in `make bench`: wall time on a shared 2-core machine
is too noisy for a test, what is imported and the memory are not."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import netral

SRC = Path(netral.__file__).resolve().parents[1]
TEXT = "Ayo coblos nomor 2, lanjutkan! #PrabowoGibran"  # reaches the text model
# libraries a pre-post check must not load: training, database, web, pictures, Spark
HEAVY = ("sklearn", "scipy", "pandas", "joblib", "sqlalchemy", "alembic", "fastapi",
         "starlette", "uvicorn", "cryptography", "pyspark", "pyarrow", "cv2", "PIL",
         "pytesseract", "click")
# libraries a check could load but does not need: settings are read without pydantic-settings
# (~45 ms of CPU to import, issue 15) or pydantic (Settings and the pack schema are plain
# dataclasses; pydantic validates a pack only when it is read from its files, ~100-200 ms),
# TOML only when a settings file exists
NOT_NEEDED = ("pydantic_settings", "pydantic", "pydantic_core", "annotated_types",
              "typing_inspection", "tomllib", "dotenv", "typer")

PROBE = """
import atexit, json, sys
out, text, extra = sys.argv[1], sys.argv[2], sys.argv[3:]
def _dump():
    # VmHWM: this process's own peak RSS (wait4's figure would count the forking parent's)
    status = open("/proc/self/status").read()
    hwm = next(int(ln.split()[1]) for ln in status.splitlines() if ln.startswith("VmHWM:"))
    with open(out, "w") as fh:
        json.dump({"modules": sorted(sys.modules), "peak_kb": hwm}, fh)
atexit.register(_dump)
sys.argv = ["netral", "check", text, *extra]
from netral.cli import main
main()
"""


def _probe(tmp_path: Path, *extra: str) -> dict:
    out = tmp_path / "probe.json"
    proc = subprocess.run([sys.executable, "-c", PROBE, str(out), TEXT, *extra], capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(SRC)}, timeout=300)
    assert proc.returncode == 1, proc.stderr  # kampanye
    return json.loads(out.read_text())


def test_check_loads_no_heavy_library(tmp_path: Path) -> None:
    modules = _probe(tmp_path)["modules"]
    loaded = {m.split(".")[0] for m in modules}
    assert "netral.detect.model_small" in modules  # the model did run
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_a_second_check_reads_the_built_detector_and_imports_no_numpy(tmp_path: Path,
                                                                      monkeypatch) -> None:
    # the first check in a fresh cache builds the detector's data (numpy writes the model's
    # log table); every later one reads it and scores the text in Python (netral.detect.built,
    # netral.detect.model_small)
    monkeypatch.setenv("NETRAL_CACHE_DIR", str(tmp_path / "cache"))
    first = _probe(tmp_path)["modules"]
    assert "numpy" in first
    cached = sorted(p.name.split("-")[0] for p in (tmp_path / "cache" / "detector").iterdir())
    assert cached == ["knowledge", "model"]
    second = _probe(tmp_path)["modules"]
    assert "netral.detect.model_small" in second and "numpy" not in second
    # the weights are read in place from the model's binary cache file (model_cache.pack):
    # no JSON file of base64 arrays to parse and decode (~30 ms of a cold check)
    assert [p.suffix for p in sorted((tmp_path / "cache" / "detector").glob("model-*"))] == [".bin"]
    assert "base64" not in second


def test_check_loads_no_library_it_does_not_need(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("NETRAL_CONFIG", str(tmp_path / "absent.toml"))
    # a check after the first one in this cache: the packs are read back, not validated again
    monkeypatch.setenv("NETRAL_CACHE_DIR", str(tmp_path / "cache"))
    first = _probe(tmp_path)["modules"]
    assert "pydantic" in first  # the first check validated the packs read from their files
    modules = _probe(tmp_path)["modules"]
    loaded = {m.split(".")[0] for m in modules}
    assert "netral.config" in modules  # the settings were read
    assert not loaded & set(NOT_NEEDED), sorted(loaded & set(NOT_NEEDED))


def test_check_json_prints_without_rich(tmp_path: Path, monkeypatch) -> None:
    # rich lays out the terminal verdict (panel, table); JSON is printed as it is
    monkeypatch.setenv("NETRAL_CACHE_DIR", str(tmp_path / "cache"))
    assert "rich" in {m.split(".")[0] for m in _probe(tmp_path)["modules"]}
    modules = _probe(tmp_path, "--json")["modules"]
    assert "netral.detect.model_small" in modules
    assert "rich" not in {m.split(".")[0] for m in modules}


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="needs Linux /proc")
def test_check_peak_memory_is_under_120_mb(tmp_path: Path) -> None:
    peak_mb = _probe(tmp_path)["peak_kb"] / 1024
    assert peak_mb < 120, f"peak RSS {peak_mb:.0f} MB"
