"""Evidence bundles downloaded from the web are timestamped by the configured TSA (the local
RFC 3161 TSA of the evidence tests), verify offline with the timestamp token, and still
download (signed only, with a note) when the TSA cannot be reached."""

from __future__ import annotations

import importlib.util
import shutil
import socket
import zipfile
from pathlib import Path

import pytest
from cryptography import x509
from web_helpers import ApiClient, make_app
from web_seed import take

from netral.evidence.keys import generate_key
from netral.evidence.verify import TrustOptions, verify_bundle

if shutil.which("openssl") is None:  # pragma: no cover - Debian always has it
    pytest.skip("openssl CLI missing: the local TSA needs it", allow_module_level=True)


def _localtsa():
    path = Path(__file__).resolve().parents[1] / "evidence" / "localtsa.py"
    spec = importlib.util.spec_from_file_location("netral_test_localtsa", path)
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def tsa(tmp_path_factory):
    with _localtsa().LocalTSA(tmp_path_factory.mktemp("web-tsa"), label="Web") as t:
        yield t


@pytest.fixture
def evidence_env(monkeypatch, tmp_path, tsa):
    monkeypatch.setenv("NETRAL_EVIDENCE_DIR", str(tmp_path / "store"))
    monkeypatch.setenv("NETRAL_EVIDENCE_KEY", str(tmp_path / "keys" / "ev.pem"))
    monkeypatch.setenv("NETRAL_TSA_URL", tsa.url)
    monkeypatch.setenv("NETRAL_TSA_CA", str(tsa.chain_pem))
    return generate_key(tmp_path / "keys" / "ev.pem")


@pytest.fixture(scope="module")
def web(sqlite_db):
    url, world = sqlite_db
    app = make_app(url, login_max_failures=1000)
    yield app, world
    app.state.engine.dispose()


def _case_with_capture(web) -> tuple[ApiClient, int]:
    app, world = web
    fid = take(world)
    rev, sup = ApiClient(app, "a_reviewer"), ApiClient(app, "a_supervisor")
    assert rev.post(f"/api/v1/findings/{fid}/confirm", json={"reason": "terbukti"}).status_code \
        == 200
    cid = sup.post("/api/v1/cases", json={"finding_ids": [fid]}).json()["id"]
    assert rev.post(f"/api/v1/findings/{fid}/capture").status_code == 200
    return sup, cid


def test_web_bundle_is_timestamped_and_verifies(web, evidence_env, tsa, tmp_path):
    sup, cid = _case_with_capture(web)
    before = tsa.requests
    r = sup.get(f"/api/v1/cases/{cid}/evidence")
    assert r.status_code == 200, r.text
    assert r.headers["x-netral-timestamped"] == "yes"
    assert "x-netral-evidence-note" not in r.headers
    assert tsa.requests > before  # the TSA was really asked
    bundle = tmp_path / "web-bundle.zip"
    bundle.write_bytes(r.content)
    names = zipfile.ZipFile(bundle).namelist()
    assert any(n.endswith("/token.tsr") for n in names), names
    root = x509.load_pem_x509_certificate(tsa.ca_pem.read_bytes())
    report = verify_bundle(bundle, TrustOptions(key_fingerprint=evidence_env.fingerprint,
                                                tsa_roots=(root,), require_timestamp=True))
    assert report.ok, report.to_dict("en")
    # the settings page shows the fingerprint to publish and the TSA in use
    page = sup.get("/settings")
    assert evidence_env.fingerprint in page.text and tsa.url in page.text


def _dead_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/tsa"  # nothing listens there any more


def test_unreachable_tsa_still_downloads_with_a_note(web, evidence_env, monkeypatch, tmp_path):
    sup, cid = _case_with_capture(web)
    monkeypatch.setenv("NETRAL_TSA_URL", _dead_url())
    r = sup.get(f"/api/v1/cases/{cid}/evidence")
    assert r.status_code == 200
    assert r.headers["x-netral-timestamped"] == "no"
    assert r.headers["x-netral-evidence-note"].startswith("TSA failed")
    bundle = tmp_path / "unstamped.zip"
    bundle.write_bytes(r.content)
    assert verify_bundle(bundle).ok  # signed, valid, just not timestamped
    assert not verify_bundle(bundle, TrustOptions(require_timestamp=True)).ok
    # the page download says so on the next page the user opens
    page = sup.get(f"/cases/{cid}/evidence.zip")
    assert page.status_code == 200 and page.headers["content-type"] == "application/zip"
    case = sup.get(f"/cases/{cid}")
    assert "TANPA cap waktu" in case.text or "WITHOUT a timestamp" in case.text


def test_page_download_without_key_explains_keygen(web, evidence_env, tmp_path, monkeypatch):
    sup, cid = _case_with_capture(web)
    monkeypatch.setenv("NETRAL_EVIDENCE_KEY", str(tmp_path / "none" / "missing.pem"))
    case = sup.get(f"/cases/{cid}")
    assert 'id="evidence-key-missing"' in case.text and "netral evidence keygen" in case.text
    r = sup.get(f"/cases/{cid}/evidence.zip", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/cases/{cid}"
    assert "netral evidence keygen" in sup.get(f"/cases/{cid}").text
    assert not (tmp_path / "none").exists()
