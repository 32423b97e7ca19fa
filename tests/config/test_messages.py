"""One catalogue loader and one language rule for every part that speaks to people."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

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


SRC = Path(__file__).resolve().parents[2] / "src" / "netral"
CATALOGUES = sorted(".".join(p.parent.relative_to(SRC.parent).parts)
                    for p in SRC.rglob("messages.yaml"))


def test_the_catalogues_are_found():
    assert {"netral.web", "netral.audit", "netral.cli", "netral.evidence"} <= set(CATALOGUES)


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


@pytest.mark.parametrize("package", CATALOGUES)
def test_every_catalogue_speaks_both_languages(package):
    cat = catalogue(package)
    assert cat.entries
    missing = [k for k, v in cat.entries.items() if not (v.get("id") and v.get("en"))]
    assert missing == [], f"{cat.where}: {missing}"
    # a field in one language only would print a raw {brace} in the other
    uneven = [k for k, v in cat.entries.items() if _fields(v["id"]) != _fields(v["en"])]
    assert uneven == [], f"{cat.where}: fields differ in {uneven}"


def _literal_keys(path: Path, functions: set[str]) -> set[str]:
    """First arguments of calls to ``functions`` that are plain strings."""
    keys = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and node.args
                and getattr(node.func, "id", getattr(node.func, "attr", None)) in functions
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            keys.add(node.args[0].value)
    return keys


def _missing(keys: set[str], package: str) -> list[str]:
    return sorted(keys - set(catalogue(package).entries))


def test_every_key_the_command_line_names_is_in_its_catalogue():
    keys = set()
    for path in (SRC / "cli").glob("*.py"):
        keys |= _literal_keys(path, {"t", "refuse"})
    assert len(keys) > 60
    # keys built from a value: count_<count>, spark_<error code>, user_<action>
    from netral.cli.store import PURGE_COUNTS
    from netral.ingest.pipeline import COUNT_KEYS

    keys |= {f"count_{c}" for c in (*COUNT_KEYS, *PURGE_COUNTS)}
    engine = (SRC / "scale" / "engine.py").read_text(encoding="utf-8")
    keys |= {f"spark_{c}" for c in re.findall(r'SparkScanError\("([a-z_]+)"', engine)}
    users = (SRC / "cli" / "users.py").read_text(encoding="utf-8")
    actions = set(re.findall(r'_done\("([a-z]+)"', users))
    actions |= set(re.findall(r'action = "([a-z]+)" if \w+ else "([a-z]+)"', users)[0])
    assert len(actions) == 6
    keys |= {f"user_{a}" for a in actions}
    assert _missing(keys, "netral.cli") == []


def test_every_evidence_code_is_in_its_catalogue():
    codes = _literal_keys(SRC / "cli" / "evidence.py", {"render", "_fail"})
    for path in (SRC / "evidence").glob("*.py"):
        codes |= set(re.findall(r'\.add\(\s*"([a-z_]+)"', path.read_text(encoding="utf-8")))
    assert len(codes) > 50
    assert _missing(codes, "netral.evidence") == []


def test_a_missing_command_line_key_is_a_programming_error():
    from netral.cli.text import t

    assert t("user_help", "en").startswith("Users of the web app")
    assert t("user_help", "id").startswith("Pengguna aplikasi web")
    with pytest.raises(KeyError):
        t("no-such-key", "id")


def test_text_falls_back_and_never_fails_a_page():
    cat = catalogue("netral.audit")
    assert cat.text("not_found", "en", detail="x.zip") == "File or folder not found (x.zip)."
    assert cat.text("not_found", "fr", detail="x.zip").startswith("Berkas atau folder")
    assert cat.text("not_found", "id").startswith("Berkas")  # a missing field: as written
    assert cat.text("no-such-key", "id") == "no-such-key"
    assert cat.text("no-such-key", "id", default="") == ""
