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
    out = tmp_path_factory.mktemp("image_set")
    generator.build(out)
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
