"""Every door that takes a picture goes through netral.images and so through the landmark
model: `netral check --image`, `netral check-image`, (audit, ingest and the web upload are
checked in tests/audit, tests/ingest and tests/web)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from .conftest import FIXTURES

HAND = FIXTURES / "real" / "subhih_two.jpg"


def _app():
    from netral.cli import app

    return app


def test_check_dash_image_uses_the_model(tesseract_ready, hand_model_ready):
    res = CliRunner().invoke(_app(), ["check", "--image", str(HAND), "--json"])
    assert res.exit_code == 1, res.output  # tinjau: flagged for review
    d = json.loads(res.output)
    assert d["gesture_method"] == "landmark" and d["verdict"] == "tinjau"
    assert [g["name"] for g in d["gestures"]] == ["dua_jari"]
    assert d["gestures"][0]["method"] == "landmark" and d["gestures"][0]["number"] == 2


def test_check_image_command_names_the_detector(tesseract_ready, hand_model_ready):
    res = CliRunner().invoke(_app(), ["check-image", str(HAND), "--lang", "en"])
    assert res.exit_code == 1, res.output
    assert "Gesture detector" in res.output and "hand-landmark model" in res.output
    assert "two fingers" in res.output


def test_check_image_command_names_the_fallback(tmp_path, monkeypatch, tesseract_ready):
    from netral.images import hand_model

    monkeypatch.setenv("NETRAL_HAND_MODEL_DIR", str(tmp_path))
    hand_model.reset_model()
    try:
        res = CliRunner().invoke(_app(), ["check-image", str(HAND)])
        assert res.exit_code in (0, 1) and "Traceback" not in res.output
        assert "detektor klasik cadangan" in res.output
    finally:
        monkeypatch.delenv("NETRAL_HAND_MODEL_DIR")
        hand_model.reset_model()
