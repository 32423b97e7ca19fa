"""Fixtures for the image tests: the labelled synthetic image set, rendered deterministically
by tools/make_image_set.py into a temporary folder (a small subset is committed under
tests/fixtures/images/ for quick manual checks)."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "images"

_MISSING = [m for m in ("cv2", "pytesseract", "imagehash")
            if importlib.util.find_spec(m) is None]


def pytest_collection_modifyitems(config, items):
    """Without the netral[images] extra every image test is skipped, loudly."""
    if not _MISSING:
        return
    skip = pytest.mark.skip(reason=f"LOUD SKIP: netral[images] extra not installed "
                                   f"(missing {', '.join(_MISSING)}); image tests did not run")
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).parent == here:
            item.add_marker(skip)


def load_generator():
    spec = importlib.util.spec_from_file_location("make_image_set",
                                                  ROOT / "tools" / "make_image_set.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="session")
def generator():
    return load_generator()


@pytest.fixture(scope="session")
def image_set(tmp_path_factory, generator) -> tuple[Path, list[dict]]:
    """Rendered once per test run: xdist workers share it through a lock file."""
    import os
    import time

    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    out = base / "netral-image-set"
    done = out / ".complete"
    lock = base / "netral-image-set.lock"
    deadline = time.monotonic() + 300
    while not done.exists():
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            if time.monotonic() > deadline:
                pytest.fail(f"timed out waiting for {lock}")
            time.sleep(0.5)
            continue
        try:
            if not done.exists():
                generator.build(out)
                done.write_text("ok")
        finally:
            os.close(fd)
            os.unlink(lock)
    rows = [json.loads(line) for line in (out / "labels.jsonl").read_text().splitlines()]
    return out, rows


@pytest.fixture(scope="session")
def tesseract_ready() -> None:
    if shutil.which("tesseract") is None:
        pytest.skip("LOUD SKIP: the tesseract executable is missing (apt-get install "
                    "tesseract-ocr tesseract-ocr-ind); OCR tests did not run")
    from netral.images.ocr import tesseract_langs

    if "ind" not in tesseract_langs():
        pytest.skip("LOUD SKIP: Tesseract's Indonesian model is missing (tesseract-ocr-ind)")


@pytest.fixture(scope="session")
def hand_model_ready() -> None:
    """The shipped hand-landmark model loads with this OpenCV, or the test skips loudly."""
    from netral.images.hand_model import HandModelUnavailable, get_model

    try:
        get_model()
    except HandModelUnavailable as exc:
        pytest.skip(f"LOUD SKIP: the hand-landmark model cannot be loaded here ({exc}); "
                    "landmark tests did not run")
