"""Issue 16, server side: personal check tokens (scope, revocation, hashing at rest, rate
limit), CORS on the check endpoints for the extension's origin only, the extension download,
and the installable app's manifest, service worker, offline page and share target."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from web_helpers import ApiClient, make_app, poster
from web_seed import World

from netral.extension import extension_id
from netral.store.base import make_sessionmaker
from netral.store.models import ApiToken, AuditLog, User

EXT = f"chrome-extension://{extension_id()}"
CAMPAIGN = "Ayo coblos nomor 2, lanjutkan! #PrabowoGibran"


@pytest.fixture(scope="module")
def app(sqlite_db):
    url, _ = sqlite_db
    application = make_app(url, login_max_failures=1000, token_checks_per_minute=1000)
    yield application
    application.state.engine.dispose()


@pytest.fixture(scope="module")
def world(sqlite_db) -> World:
    return sqlite_db[1]


def _make_token(app, username: str, name: str = "laptop") -> tuple[dict, str]:
    c = ApiClient(app, username)
    r = c.post("/api/v1/tokens", json={"name": name})
    assert r.status_code == 201, r.text
    body = r.json()
    return body, body.pop("token")


def _ext(token: str | None = None, origin: str = EXT) -> dict[str, str]:
    h = {"Origin": origin}
    if token:
        h["Authorization"] = f"Bearer {token}"
    return h


def test_token_made_listed_and_hashed_at_rest(app, sqlite_db):
    meta, plain = _make_token(app, "a_reviewer", "laptop kantor")
    assert plain.startswith("ntl_") and len(plain) > 40
    assert meta["prefix"] == plain[:10] and meta["active"] and meta["scope"] == "check"
    listed = ApiClient(app, "a_reviewer").get("/api/v1/tokens").json()["items"]
    assert [t["name"] for t in listed if t["id"] == meta["id"]] == ["laptop kantor"]
    assert all("token" not in t and "token_hash" not in t for t in listed)
    with make_sessionmaker(app.state.engine)() as db:
        row = db.get(ApiToken, meta["id"])
        assert row.token_hash == hashlib.sha256(plain.encode()).hexdigest()
        assert plain not in (row.token_hash, row.prefix, row.name)
        audit = db.scalars(select(AuditLog).where(AuditLog.action == "token.create")
                           .order_by(AuditLog.id.desc())).first()
        assert audit.object_id == str(meta["id"]) and plain not in json.dumps(audit.details)
    # the database file holds the hash, never the token
    from pathlib import Path

    from sqlalchemy.engine import make_url

    raw = Path(make_url(sqlite_db[0]).database).read_bytes()
    assert plain.encode() not in raw


def test_token_checks_from_the_extension_and_revocation_refuses_it(app):
    meta, plain = _make_token(app, "a_reviewer")
    http = TestClient(app)
    r = http.post("/api/v1/check", json={"text": CAMPAIGN, "kind": "comment"},
                  headers=_ext(plain))
    assert r.status_code == 200, r.text
    assert r.json()["verdict"] == "kampanye"
    assert r.headers["access-control-allow-origin"] == EXT
    assert "Origin" in r.headers["vary"] and r.headers["cache-control"] == "no-store"
    assert "set-cookie" not in r.headers  # a token call opens no session
    with make_sessionmaker(app.state.engine)() as db:
        assert db.get(ApiToken, meta["id"]).last_used_at is not None
    # revoked through the API: refused at once, whoever sends it
    revoked = ApiClient(app, "a_reviewer").post(f"/api/v1/tokens/{meta['id']}/revoke", json={})
    assert revoked.status_code == 200 and revoked.json()["active"] is False
    for headers in (_ext(plain), {"Authorization": f"Bearer {plain}"}):
        r = http.post("/api/v1/check", json={"text": CAMPAIGN}, headers=headers)
        assert r.status_code == 401 and r.json()["detail"] == "token_invalid"
        assert r.headers["www-authenticate"].startswith("Bearer")
        assert "verdict" not in r.text


def test_a_token_opens_the_check_only(app):
    _meta, plain = _make_token(app, "a_admin")
    http = TestClient(app)
    auth = {"Authorization": f"Bearer {plain}"}
    for path in ("/api/v1/auth/me", "/api/v1/findings", "/api/v1/tokens", "/api/v1/users",
                 "/api/v1/dashboard"):
        r = http.get(path, headers=auth)
        assert r.status_code == 401, (path, r.status_code)
    r = http.post("/api/v1/tokens", json={"name": "x"}, headers=auth)
    assert r.status_code in (401, 403)
    assert http.get("/settings", headers=auth, follow_redirects=False).status_code == 303


def test_bad_tokens_and_other_origins_are_refused(app):
    http = TestClient(app)
    for auth in ("Bearer ntl_nope", "Bearer ", "Basic dXNlcjpwdw==", "Bearer " + "x" * 300):
        r = http.post("/api/v1/check", json={"text": "halo"}, headers={**_ext(), "Authorization": auth})
        assert r.status_code == 401 and r.json()["detail"] == "token_invalid", auth
    # the extension without a token: the agency server asks for one
    r = http.post("/api/v1/check", json={"text": "halo"}, headers=_ext())
    assert r.status_code == 401 and r.json()["detail"] == "token_required"
    # any other web origin: refused, and never told the verdict
    _meta, plain = _make_token(app, "a_reviewer")
    for origin in ("https://evil.example", "chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                   "null"):
        r = http.post("/api/v1/check", json={"text": CAMPAIGN}, headers=_ext(plain, origin))
        assert r.status_code == 403 and r.json()["detail"] == "origin_not_allowed", origin
        assert "access-control-allow-origin" not in r.headers
    # no Origin (curl, scripts) and the app's own origin stay public as before
    assert http.post("/api/v1/check", json={"text": "halo"}).status_code == 200
    assert http.post("/api/v1/check", json={"text": "halo"},
                     headers={"Origin": "http://testserver"}).status_code == 200


def test_cors_preflight_admits_only_the_extension(app):
    http = TestClient(app)
    ask = {"Access-Control-Request-Method": "POST",
           "Access-Control-Request-Headers": "authorization, content-type"}
    for path in ("/api/v1/check", "/api/v1/check-image"):
        ok = http.options(path, headers={**ask, "Origin": EXT})
        assert ok.status_code == 204
        assert ok.headers["access-control-allow-origin"] == EXT
        assert ok.headers["access-control-allow-methods"] == "POST"
        assert "authorization" in ok.headers["access-control-allow-headers"]
        for origin in ("https://evil.example", "http://localhost:3000"):
            bad = http.options(path, headers={**ask, "Origin": origin})
            assert bad.status_code == 403 and "access-control-allow-origin" not in bad.headers
    # no CORS anywhere else, even for the extension's origin
    other = http.options("/api/v1/findings", headers={**ask, "Origin": EXT})
    assert "access-control-allow-origin" not in other.headers


def test_configured_extension_ids_replace_the_default(sqlite_db):
    custom = "bcdefghijklmnopabcdefghijklmnopa"
    app = make_app(sqlite_db[0], extension_ids=(custom,), check_token_required=False)
    try:
        http = TestClient(app)
        r = http.post("/api/v1/check", json={"text": "halo"},
                      headers={"Origin": f"chrome-extension://{custom}"})
        assert r.status_code == 200  # personal mode: no token needed
        assert r.headers["access-control-allow-origin"] == f"chrome-extension://{custom}"
        assert http.post("/api/v1/check", json={"text": "halo"},
                         headers=_ext()).status_code == 403
    finally:
        app.state.engine.dispose()


def test_rate_limit_per_token(sqlite_db):
    app = make_app(sqlite_db[0], token_checks_per_minute=3)
    try:
        _m1, first = _make_token(app, "a_supervisor")
        _m2, second = _make_token(app, "a_supervisor")
        http = TestClient(app)
        codes = [http.post("/api/v1/check", json={"text": "halo"}, headers=_ext(first)).status_code
                 for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        r = http.post("/api/v1/check", json={"text": "halo"}, headers=_ext(first))
        assert r.json()["detail"] == "token_rate_limited" and int(r.headers["retry-after"]) >= 1
        assert "Retry-After" in r.headers["access-control-expose-headers"]
        # another token is counted on its own
        assert http.post("/api/v1/check", json={"text": "halo"},
                         headers=_ext(second)).status_code == 200
    finally:
        app.state.engine.dispose()


def test_deactivated_user_token_stops_working(app, world):
    _meta, plain = _make_token(app, "a_auditor")
    http = TestClient(app)
    assert http.post("/api/v1/check", json={"text": "halo"}, headers=_ext(plain)).status_code == 200
    with make_sessionmaker(app.state.engine)() as db:
        db.get(User, world.users["a_auditor"]).active = False
        db.commit()
    try:
        r = http.post("/api/v1/check", json={"text": "halo"}, headers=_ext(plain))
        assert r.status_code == 401
    finally:
        with make_sessionmaker(app.state.engine)() as db:
            db.get(User, world.users["a_auditor"]).active = True
            db.commit()


def test_admin_issues_and_revokes_for_agency_users_only(app, world):
    admin = ApiClient(app, "a_admin")
    r = admin.post("/api/v1/tokens", json={"name": "untuk reviewer",
                                           "user_id": world.users["a_reviewer"]})
    assert r.status_code == 201 and r.json()["username"] == "a_reviewer"
    tid = r.json()["id"]
    assert any(t["id"] == tid for t in admin.get("/api/v1/tokens").json()["items"])
    # another reviewer neither sees nor revokes it; the owner does
    other = ApiClient(app, "a_unitreviewer")
    assert all(t["id"] != tid for t in other.get("/api/v1/tokens").json()["items"])
    assert other.post(f"/api/v1/tokens/{tid}/revoke", json={}).status_code == 404
    assert other.post("/api/v1/tokens", json={"name": "x", "user_id": world.users["a_reviewer"]}
                      ).status_code == 403
    assert ApiClient(app, "a_reviewer").post(f"/api/v1/tokens/{tid}/revoke",
                                             json={}).status_code == 200
    # B's token is out of A's admin's reach
    assert admin.post(f"/api/v1/tokens/{world.b_token}/revoke", json={}).status_code == 404


def test_token_management_on_the_settings_page(app):
    c = ApiClient(app, "a_supervisor")
    page = c.get("/settings")
    assert page.status_code == 200 and 'id="tokens"' in page.text
    assert 'href="/extension.zip"' in page.text
    r = c.post("/settings/tokens", data={"csrf_token": c.csrf, "name": "ponsel"})
    assert r.status_code == 201
    plain = r.text.split('id="new-token">')[1].split("<")[0]
    assert plain.startswith("ntl_")
    assert "set-cookie" not in r.headers or plain not in r.headers["set-cookie"]
    assert TestClient(app).post("/api/v1/check", json={"text": "halo"},
                                headers=_ext(plain)).status_code == 200
    # shown once: the next page load lists the token without it
    again = c.get("/settings")
    assert plain not in again.text and plain[:10] in again.text
    tid = next(t["id"] for t in c.get("/api/v1/tokens").json()["items"] if t["name"] == "ponsel")
    assert c.post(f"/settings/tokens/{tid}/revoke", data={"csrf_token": "wrong"}).status_code == 403
    r = c.post(f"/settings/tokens/{tid}/revoke", data={"csrf_token": c.csrf},
               follow_redirects=False)
    assert r.status_code == 303
    assert TestClient(app).post("/api/v1/check", json={"text": "halo"},
                                headers=_ext(plain)).status_code == 401


def test_cli_token_create_list_revoke(app, sqlite_db):
    from typer.testing import CliRunner

    from netral.cli import app as cli

    run = CliRunner()
    url = sqlite_db[0]
    res = run.invoke(cli, ["token", "create", "--user", "a_reviewer", "--name", "cli laptop",
                           "--db", url, "--json"])
    assert res.exit_code == 0, res.output
    made = json.loads(res.output)
    http = TestClient(app)
    assert http.post("/api/v1/check", json={"text": "halo"},
                     headers=_ext(made["token"])).status_code == 200
    listed = run.invoke(cli, ["token", "list", "--user", "a_reviewer", "--db", url, "--json"])
    assert listed.exit_code == 0 and made["token"] not in listed.output
    assert any(t["id"] == made["id"] for t in json.loads(listed.output))
    res = run.invoke(cli, ["token", "revoke", str(made["id"]), "--db", url, "--lang", "en"])
    assert res.exit_code == 0 and "revoked" in res.output
    assert http.post("/api/v1/check", json={"text": "halo"},
                     headers=_ext(made["token"])).status_code == 401
    bad = run.invoke(cli, ["token", "create", "--user", "nobody", "--name", "x", "--db", url])
    assert bad.exit_code == 2 and "nobody" in bad.output
    assert run.invoke(cli, ["token", "revoke", "999999", "--db", url]).exit_code == 2


# --------------------------------------------------------------------------- extension zip


def test_extension_download_is_set_to_this_server(app, sqlite_db):
    r = TestClient(app, base_url="https://netral.example.go.id").get("/extension.zip")
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    assert "attachment" in r.headers["content-disposition"]
    zf = zipfile.ZipFile(io.BytesIO(r.content))
    names = set(zf.namelist())
    assert {"manifest.json", "background.js", "content.js", "sites.js", "textmap.js",
            "config.json", "popup.html", "options.html"} <= names
    assert json.loads(zf.read("config.json")) == {"server": "https://netral.example.go.id",
                                                  "lang": "id"}
    manifest = json.loads(zf.read("manifest.json"))
    assert manifest["manifest_version"] == 3
    assert extension_id(manifest["key"]) == EXT.split("//")[1]
    # the public address wins when the server sits behind a proxy
    app2 = make_app(sqlite_db[0], public_url="https://cek.example.go.id")
    try:
        z2 = zipfile.ZipFile(io.BytesIO(TestClient(app2).get("/extension.zip").content))
        assert json.loads(z2.read("config.json"))["server"] == "https://cek.example.go.id"
    finally:
        app2.state.engine.dispose()


def test_extension_build_refuses_a_bad_address(tmp_path):
    from typer.testing import CliRunner

    from netral import extension
    from netral.cli import app as cli

    for bad in ("ftp://x", "http://x/path", "netral.example", "http://u:p@x", "http://x:99999"):
        with pytest.raises(extension.ServerAddressError):
            extension.build_zip(bad)
    out = tmp_path / "ext.zip"
    res = CliRunner().invoke(cli, ["extension", "build", "--server", "http://10.0.0.5:8000/",
                                   "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert json.loads(zipfile.ZipFile(out).read("config.json"))["server"] == "http://10.0.0.5:8000"
    assert extension.build_zip("http://a:1") == extension.build_zip("http://a:1")  # reproducible
    res = CliRunner().invoke(cli, ["extension", "build", "--server", "x", "-o", str(out)])
    assert res.exit_code == 2


# --------------------------------------------------------------------------- installable app


def test_manifest_service_worker_and_offline_page(app):
    http = TestClient(app)
    m = http.get("/manifest.webmanifest")
    assert m.status_code == 200 and m.headers["content-type"] == "application/manifest+json"
    data = m.json()
    assert data["display"] == "standalone" and data["start_url"].startswith("/")
    assert {i["sizes"] for i in data["icons"]} >= {"192x192", "512x512"}
    for icon in data["icons"]:
        assert http.get(icon["src"]).status_code == 200
    st = data["share_target"]
    assert st["action"] == "/share" and st["method"] == "POST"
    assert st["enctype"] == "multipart/form-data" and st["params"]["text"] == "text"
    assert st["params"]["files"][0]["name"] == "image"
    sw = http.get("/sw.js")
    assert sw.status_code == 200 and "javascript" in sw.headers["content-type"]
    assert sw.headers["service-worker-allowed"] == "/"
    off = http.get("/offline")
    assert off.status_code == 200
    assert "memerlukan server" in off.text and "needs the netral server" in off.text
    assert "csrf" not in off.text  # the kept page holds nothing of a session
    home = http.get("/")
    assert 'rel="manifest" href="/manifest.webmanifest"' in home.text


def test_share_target_checks_the_shared_text(app):
    http = TestClient(app)
    r = http.post("/share", files={"image": ("", b"", "application/octet-stream")},
                  data={"title": "Dukung!", "text": CAMPAIGN,
                        "url": "https://x.com/someone/status/1"})
    assert r.status_code == 200, r.text[:500]
    assert 'data-verdict="kampanye"' in r.text
    assert "Dukung!\nAyo coblos nomor 2" in r.text  # prefilled in the text box
    assert r.headers["cache-control"] == "no-store"
    assert "<mark" in r.text
    # plain form post (some share sheets send text only)
    r = http.post("/share", data={"text": "Rapat koordinasi anggaran dinas hari ini lancar"})
    assert 'data-verdict="netral"' in r.text
    # a link inside the text is not repeated
    from netral.web.install import _shared_text

    assert _shared_text({"text": "lihat https://a.b/c", "url": "https://a.b/c"}) == \
        "lihat https://a.b/c"
    assert http.get("/share", follow_redirects=False).status_code == 303


def test_share_target_checks_a_shared_picture(app):
    from netral.images import available

    ok, why = available()
    if not ok:
        pytest.skip(f"image support missing ({why}): shared-picture check SKIPPED")
    r = TestClient(app).post("/share", files={"image": ("poster.png", poster(), "image/png")},
                             data={"text": ""})
    assert r.status_code == 200
    assert 'id="image-findings"' in r.text and 'data-verdict="kampanye"' in r.text
