"""One settings object: environment, then the settings file, then defaults."""

from __future__ import annotations

from pathlib import Path

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
