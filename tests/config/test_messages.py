"""One catalogue loader and one language rule for every part that speaks to people."""

from __future__ import annotations

import pytest

from netral.config.messages import catalogue, is_lang, normalise_lang


@pytest.mark.parametrize(("value", "expected"), [
    ("en", "en"), ("EN", "en"), ("en-US", "en"), ("en_GB", "en"), ("id", "id"),
    ("id-ID", "id"), (None, "id"), ("", "id"), ("fr", "id"), ("english", "id"),
])
def test_normalise_lang(value, expected):
    assert normalise_lang(value) == expected


def test_unknown_language_is_recognised_as_unknown():
    assert is_lang("en-US") and is_lang("ID") and not is_lang("fr") and not is_lang(None)
    assert normalise_lang("fr", default="en") == "en"


@pytest.mark.parametrize("package", ["netral.web", "netral.audit"])
def test_every_catalogue_speaks_both_languages(package):
    cat = catalogue(package)
    assert cat.entries
    missing = [k for k, v in cat.entries.items() if not (v.get("id") and v.get("en"))]
    assert missing == [], f"{cat.where}: {missing}"


def test_text_falls_back_and_never_fails_a_page():
    cat = catalogue("netral.audit")
    assert cat.text("not_found", "en", detail="x.zip") == "File or folder not found (x.zip)."
    assert cat.text("not_found", "fr", detail="x.zip").startswith("Berkas atau folder")
    assert cat.text("not_found", "id").startswith("Berkas")  # a missing field: as written
    assert cat.text("no-such-key", "id") == "no-such-key"
    assert cat.text("no-such-key", "id", default="") == ""
