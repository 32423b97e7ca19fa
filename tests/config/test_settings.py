"""One settings object: environment, then the settings file, then defaults."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from netral.config import get_settings
from netral.evidence.settings import evidence_settings


def test_environment_wins_over_file_and_file_over_defaults(tmp_path, monkeypatch):
    conf = tmp_path / "netral.toml"
    conf.write_text('lang = "en"\ntsa_url = "http://tsa.file.example"\n'
                    f'evidence_dir = "{tmp_path / "bukti"}"\n', encoding="utf-8")
    monkeypatch.setenv("NETRAL_CONFIG", str(conf))
    s = get_settings()
    assert s.lang == "en" and s.tsa_url == "http://tsa.file.example"
    assert evidence_settings().store_dir == tmp_path / "bukti"
    monkeypatch.setenv("NETRAL_TSA_URL", "http://tsa.env.example")
    monkeypatch.setenv("NETRAL_LANG", "id")
    s = get_settings()
    assert s.tsa_url == "http://tsa.env.example" and s.lang == "id"


def test_defaults_and_empty_variables(tmp_path, monkeypatch):
    monkeypatch.setenv("NETRAL_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("NETRAL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NETRAL_TSA_URL", "")  # empty counts as unset
    monkeypatch.delenv("NETRAL_DATABASE_URL", raising=False)
    s = get_settings()
    assert s.tsa_url is None
    assert s.database_url == f"sqlite:///{Path(tmp_path) / 'netral.db'}" and s.is_sqlite
    ev = evidence_settings()
    assert ev.store_dir == tmp_path / "evidence"
    assert ev.key_path == tmp_path / "keys" / "evidence-ed25519.pem"


def test_an_unknown_language_falls_back_to_indonesian(monkeypatch):
    monkeypatch.setenv("NETRAL_LANG", "fr")
    assert get_settings().lang == "id"
    monkeypatch.setenv("NETRAL_LANG", "en-US")
    assert get_settings().lang == "en"


def test_no_module_reads_netral_variables_of_its_own():
    """Settings are read in netral.config only (secrets that must never sit in a file, like
    the signing key's passphrase, are the stated exception)."""
    import re

    src = Path(__file__).resolve().parents[2] / "src" / "netral"
    allowed = {src / "config" / "__init__.py", src / "evidence" / "keys.py",
               # writes the URL for uvicorn's worker processes, which read it through settings
               src / "cli" / "web.py",
               }
    pattern = re.compile(r"""environ(?:\.get)?\s*[\[(]\s*["']NETRAL_|getenv\(\s*["']NETRAL_""")
    offenders = [str(p.relative_to(src)) for p in src.rglob("*.py")
                 if p not in allowed and pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


# (field, raw value) pairs as a variable or the settings file may give them
RAW_VALUES = [
    ("web_max_image_bytes", v) for v in
    ("12", " 12 ", "1_000", "12.0", "12.00", "-3", "+4", "abc", "1.5", "1e3", "12.", ".0",
     "0x10", "١٢", "12 .0", "", 7, 7.0, 1.5, True)
] + [
    ("extension_token_required", v) for v in
    ("yes", "No", "ON", "t", "0", "1", " yes ", "maybe", "", 1, 0, 2, 1.0, 0.5)
] + [
    ("tsa_ca", v) for v in ("/x/ca.pem", "", 3, None)
] + [
    ("gesture_detector", v) for v in ("classical", 3, None)
]


@pytest.mark.parametrize(("name", "raw"), RAW_VALUES)
def test_values_are_read_as_the_pydantic_model_read_them(name, raw, tmp_path, monkeypatch):
    """Settings is a plain dataclass (a cold `netral check` must not import pydantic, issue
    15); every value is still read as the pydantic model of before read it, and one it refused
    is refused with a line that names the variable."""
    import dataclasses

    import pydantic

    from netral.config import Settings, SettingsError

    monkeypatch.setenv("NETRAL_CONFIG", str(tmp_path / "none.toml"))
    field = next(f for f in dataclasses.fields(Settings) if f.name == name)
    annotation = eval(field.type, {"Path": Path})  # postponed annotations: "Path | None"
    before = pydantic.create_model("Before", **{name: (annotation, field.default)})
    try:
        expected = getattr(before(**{name: raw}), name)
    except pydantic.ValidationError:
        with pytest.raises(SettingsError, match=f"NETRAL_{name.upper()}"):
            Settings(**{name: raw})
        return
    got = getattr(Settings(**{name: raw}), name)
    assert (got, type(got)) == (expected, type(expected))


def test_settings_are_frozen_and_keep_the_secret_out_of_their_repr(monkeypatch):
    import dataclasses

    monkeypatch.setenv("NETRAL_SECRET_KEY", "s3cret-value")
    s = get_settings()
    assert s.secret_key == "s3cret-value" and "s3cret-value" not in repr(s)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.lang = "en"  # type: ignore[misc]


def test_a_bad_variable_is_one_line_not_a_traceback(tmp_path):
    import os
    import subprocess
    import sys

    src = Path(__file__).resolve().parents[2] / "src"
    env = {**os.environ, "PYTHONPATH": str(src), "NETRAL_WEB_MAX_IMAGE_BYTES": "banyak",
           "NETRAL_CACHE_DIR": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-m", "netral.cli", "check", "halo"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == ("netral: NETRAL_WEB_MAX_IMAGE_BYTES (web_max_image_bytes): "
                                   "'banyak' bukan bilangan bulat / is not a whole number")


def test_a_bad_value_in_the_settings_file_names_the_file(tmp_path, monkeypatch):
    """The variable is not set: pointing at NETRAL_WEB_MAX_IMAGE_BYTES would send the user
    looking in the wrong place. A variable that overrides the file is named as before."""
    from netral.config import Settings, SettingsError

    conf = tmp_path / "netral.toml"
    conf.write_text('web_max_image_bytes = "banyak"\n', encoding="utf-8")
    monkeypatch.setenv("NETRAL_CONFIG", str(conf))
    monkeypatch.delenv("NETRAL_WEB_MAX_IMAGE_BYTES", raising=False)
    with pytest.raises(SettingsError) as caught:
        Settings()
    assert str(caught.value) == (f"{conf}: web_max_image_bytes: 'banyak' bukan bilangan bulat / "
                                 "is not a whole number")
    monkeypatch.setenv("NETRAL_WEB_MAX_IMAGE_BYTES", "x")
    with pytest.raises(SettingsError, match=r"^NETRAL_WEB_MAX_IMAGE_BYTES \(web_max_image_bytes\)"):
        Settings()
    monkeypatch.setenv("NETRAL_WEB_MAX_IMAGE_BYTES", "12")  # the variable wins: the file's
    assert Settings().web_max_image_bytes == 12  # bad value is never read


@pytest.mark.parametrize("content", [b'lang = \n', b'lang = "en"\nlang = "id"\n', b'\xff = 1\n'],
                         ids=["no-value", "twice", "not-utf8"])
def test_a_settings_file_that_is_not_toml_is_a_settings_error(tmp_path, monkeypatch, content):
    from netral.config import Settings, SettingsError

    conf = tmp_path / "netral.toml"
    conf.write_bytes(content)
    monkeypatch.setenv("NETRAL_CONFIG", str(conf))
    with pytest.raises(SettingsError, match=f"^{re.escape(str(conf))}: berkas pengaturan .* / "):
        Settings()


def test_a_broken_settings_file_is_one_line_for_every_command(tmp_path):
    """Not only `netral check`: a typer command (`netral pack list`) reads the settings too."""
    import os
    import subprocess
    import sys

    conf = tmp_path / "netral.toml"
    conf.write_text("lang = \n", encoding="utf-8")
    src = Path(__file__).resolve().parents[2] / "src"
    env = {**os.environ, "PYTHONPATH": str(src), "NETRAL_CONFIG": str(conf),
           "NETRAL_CACHE_DIR": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-m", "netral.cli", "pack", "list"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr.strip() == (f"netral: {conf}: berkas pengaturan bukan TOML yang sah / the "
                                   "settings file is not valid TOML (Invalid value (at line 1, "
                                   "column 8))")


@pytest.mark.skipif(__import__("os").name == "nt", reason="Windows upper-cases variable names")
def test_a_change_to_a_variable_in_lower_case_is_seen(monkeypatch, tmp_path):
    """Names are read without regard to case; the cache of settings must be keyed the same
    way, or a changed ``netral_lang`` keeps the old value for the life of the process."""
    monkeypatch.setenv("NETRAL_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.delenv("NETRAL_LANG", raising=False)
    monkeypatch.setenv("netral_lang", "en")
    assert get_settings().lang == "en"
    monkeypatch.setenv("netral_lang", "id")
    assert get_settings().lang == "id"
