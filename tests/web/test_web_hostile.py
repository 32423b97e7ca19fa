"""Hostile requests (issue 14): no 500 for NUL bytes, ids above 2³¹−1, huge offsets or tiny
pictures; error answers carry the security headers; signed-in answers are never cached;
bodies are refused by size before anyone is signed in; picture decoding and roster imports
cost a bounded amount before anything is analysed."""

from __future__ import annotations

import contextlib
import io
import resource
import socket
import struct
import time
import zipfile

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from web_helpers import ApiClient, live_server, make_app
from web_seed import PASSWORD, World

from netral.web import image_bridge

_OK, _WHY = image_bridge.image_support()
needs_images = pytest.mark.skipif(
    not _OK, reason=f"LOUD SKIP: image support unavailable here ({_WHY}); the picture tests "
                    "did not run")

HUGE = [2**31, 2**63, 10**30]
LOGIN_LIMIT, DEFAULT_LIMIT = 16 * 1024, 2 * 1024 * 1024  # docs/security.md, netral.web.limits
SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "x-frame-options",
                    "referrer-policy")


def _raw_client(app, username: str) -> ApiClient:
    """An API client that reports a server error as a 500 instead of raising it."""
    c = ApiClient(app)
    c.http = TestClient(app, raise_server_exceptions=False)
    r = c.http.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    c.csrf = r.json()["csrf_token"]
    return c


def test_nul_bytes_huge_ids_and_offsets_are_refused_not_500(app, world: World):
    c = _raw_client(app, "a_admin")
    f = world.pool["A"][0]
    gets = [u for n in HUGE for u in (
        f"/api/v1/findings/{n}", f"/api/v1/cases/{n}", f"/api/v1/findings?offset={n}",
        f"/api/v1/staff?offset={n}", f"/api/v1/accounts?offset={n}", f"/api/v1/audit?offset={n}",
        f"/api/v1/feedback?offset={n}", f"/api/v1/dashboard?agency_id={n}",
        f"/api/v1/settings?agency_id={n}", f"/api/v1/reports/findings.csv?agency_id={n}",
        f"/findings/{n}", f"/cases/{n}", f"/queue?page={n}", f"/roster?page={n}",
        f"/accounts?page={n}", f"/audit?page={n}", f"/dashboard?agency_id={n}")]
    gets += ["/api/v1/findings?status=new%00", "/api/v1/cases?status=open%00",
             "/queue?status=a%00b", "/api/v1/dashboard?start=2024-01-01%00", "/login?next=%00",
             "/findings/1%00"]
    for url in gets:
        r = c.get(url)
        # the API refuses (4xx); a page may also show its last page or ignore the filter
        low = 400 if url.startswith("/api/") or "%00" in url else 200
        assert low <= r.status_code < 500, (url, r.status_code, r.text[:200])
        assert all(h in r.headers for h in SECURITY_HEADERS), url
    posts = [
        ("/api/v1/auth/login", {"username": "a_admin\u0000", "password": "x"}),
        ("/api/v1/findings/bulk", {"ids": [2**31, 2**63], "action": "claim"}),
        ("/api/v1/findings/bulk", {"ids": [f], "action": "assign", "user_id": 2**40}),
        ("/api/v1/cases", {"finding_ids": [2**33]}),
        ("/api/v1/findings/sample", {"rate": 0.0, "agency_id": 2**40}),
        ("/api/v1/users", {"username": "hostile1", "password": "0123456789a",
                           "role": "reviewer", "unit_id": 2**40}),
        ("/api/v1/users", {"username": "hostile2", "password": "0123456789a",
                           "role": "reviewer", "display_name": "a\u0000b"}),
        (f"/api/v1/findings/{f}/escalate", {"reason": "x\u0000y"}),
        ("/api/v1/check", {"text": "coblos\u0000 02"}),
        ("/api/v1/auth/password", {"current_password": "\u0000", "new_password": "a" * 12}),
    ]
    for url, body in posts:
        r = c.post(url, json=body)
        assert 400 <= r.status_code < 500, (url, body, r.status_code, r.text[:200])
    r = c.put("/api/v1/settings", json={"ppk": "Bupati\u0000"})
    assert r.status_code == 422
    r = c.request("PATCH", f"/api/v1/users/{2**40}", json={"role": "auditor"})
    assert r.status_code == 422
    # the page forms: a NUL in a reason, an id out of range
    page = c.get(f"/findings/{f}").text
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    for form in ({"action": "escalate", "reason": "x\u0000"},
                 {"action": "assign", "user_id": str(2**40)}):
        r = c.http.post(f"/findings/{f}/action", data={"csrf_token": token, **form},
                        follow_redirects=False)
        assert r.status_code < 500, (form, r.status_code)
    r = c.http.post("/queue/bulk", data={"csrf_token": token, "action": "claim",
                                         "ids": [str(2**63), "²"]}, follow_redirects=False)
    assert r.status_code < 500


def test_a_server_error_still_carries_the_security_headers(web_db):
    app = make_app(web_db[0])

    @app.get("/api/v1/test-boom")
    def boom():
        raise RuntimeError("boom")

    @app.get("/test-boom")
    def page_boom():
        raise RuntimeError("boom")

    try:
        c = TestClient(app, raise_server_exceptions=False)
        for url in ("/api/v1/test-boom", "/test-boom"):
            r = c.get(url)
            assert r.status_code == 500
            assert all(h in r.headers for h in SECURITY_HEADERS), r.headers
            assert r.headers["cache-control"] == "no-store"
            assert "boom" not in r.text and "Traceback" not in r.text
        assert c.get("/api/v1/test-boom").json() == {"detail": "server_error"}
    finally:
        app.state.engine.dispose()


def test_signed_in_pages_and_exports_are_never_cached(app, world: World, login):
    c = login("a_admin")
    for url in ("/dashboard", "/queue", "/settings", f"/findings/{world.unit_finding}",
                "/api/v1/findings", "/api/v1/auth/me", "/reports/findings.csv",
                "/api/v1/reports/findings.csv", "/reports/report.pdf",
                "/api/v1/feedback.jsonl", "/api/v1/staff", "/audit"):
        r = c.get(url)
        assert r.status_code == 200, url
        assert r.headers["cache-control"] == "no-store", url
    anon = TestClient(app)
    assert anon.get("/").headers["cache-control"] == "no-store"  # drafts are private too
    assert anon.get("/api/v1/findings").headers["cache-control"] == "no-store"  # 401
    static = anon.get("/static/app.css")
    assert static.status_code == 200 and static.headers.get("cache-control") != "no-store"


# --------------------------------------------------------------------------- body size


def _post_raw(base: str, path: str, headers: dict[str, str], body_chunks, *,
              chunked: bool = False) -> tuple[int, int, float]:
    """Send a request over a real socket; returns (status, bytes of body sent before the
    answer came, seconds). Stops sending as soon as the server answers or closes."""
    host, port = base.removeprefix("http://").split(":")
    started = time.monotonic()
    with socket.create_connection((host, int(port)), timeout=30) as s:
        head = f"POST {path} HTTP/1.1\r\nHost: {host}\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
        s.sendall(head.encode())
        sent = 0
        s.setblocking(False)
        answer = b""
        for chunk in body_chunks:
            with contextlib.suppress(BlockingIOError):
                answer += s.recv(65536)
            if answer:
                break
            data = (f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n") if chunked else chunk
            try:
                s.setblocking(True)
                s.settimeout(5)
                s.sendall(data)
                sent += len(chunk)
            except (BrokenPipeError, ConnectionResetError, TimeoutError):
                break
            finally:
                s.setblocking(False)
        s.setblocking(True)
        s.settimeout(30)
        while b"\r\n" not in answer:
            more = s.recv(65536)
            if not more:
                break
            answer += more
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0
    return status, sent, time.monotonic() - started


def _mib(n: int, first: bytes = b""):
    block = b"x" * (1 << 20)
    yield first + block[len(first):]
    for _ in range(n - 1):
        yield block


# a real multipart head, so that a parser reading on would spool the "file" to disk
FILE_PART = b'--b\r\nContent-Disposition: form-data; name="f"; filename="a.bin"\r\n\r\n'


def test_oversized_bodies_are_refused_before_sign_in_and_never_parsed(web_db, monkeypatch):
    """150 MB multipart to /login and 200 MB JSON: 413 at once (declared length) or after
    the limit (chunked), with no form parsed, no file spooled and the rest never read."""
    import tempfile

    from starlette import formparsers

    parsed, spooled = [], []
    original_parse = formparsers.MultiPartParser.parse
    original_rollover = tempfile.SpooledTemporaryFile.rollover

    async def counting_parse(self):
        parsed.append(1)
        return await original_parse(self)

    def counting_rollover(self):  # an upload moving from memory to a file on disk
        spooled.append(1)
        return original_rollover(self)

    monkeypatch.setattr(formparsers.MultiPartParser, "parse", counting_parse)
    monkeypatch.setattr(tempfile.SpooledTemporaryFile, "rollover", counting_rollover)
    app = make_app(web_db[0])
    multipart = {"Content-Type": "multipart/form-data; boundary=b"}
    json_type = {"Content-Type": "application/json"}
    try:
        with live_server(app) as base:
            status, sent, took = _post_raw(base, "/login", {
                **multipart, "Content-Length": str(150 * 1024 * 1024)}, _mib(150, FILE_PART))
            assert status == 413 and sent <= 8 * (1 << 20) and took < 10, (status, sent, took)
            assert parsed == []  # refused on its declared length: no parser ever ran
            # without a length: the parser starts, and is cut off at the 16 KiB limit
            status, sent, took = _post_raw(base, "/login", {
                **multipart, "Transfer-Encoding": "chunked"}, _mib(150, FILE_PART), chunked=True)
            assert status == 413 and sent <= 8 * (1 << 20) and took < 10, (status, sent, took)
            status, sent, _ = _post_raw(base, "/api/v1/check", {
                **json_type, "Content-Length": str(200 * 1024 * 1024)}, _mib(200))
            assert status == 413 and sent <= 8 * (1 << 20)
            status, sent, _ = _post_raw(base, "/api/v1/auth/login", {
                **json_type, "Transfer-Encoding": "chunked"}, _mib(200), chunked=True)
            assert status == 413 and sent <= 8 * (1 << 20)
            # the roster limit is for signed-in users only
            status, _, _ = _post_raw(base, "/api/v1/roster/import", {
                **multipart, "Content-Length": str(DEFAULT_LIMIT + 1)}, _mib(1))
            assert status == 413
        assert spooled == []  # nothing was ever written to a temporary file
    finally:
        app.state.engine.dispose()


def test_the_size_refusal_looks_like_every_other_error(app):
    c = TestClient(app)
    r = c.post("/api/v1/check", content=b"{" + b" " * DEFAULT_LIMIT + b"}",
               headers={"content-type": "application/json"})
    assert r.status_code == 413 and r.json()["detail"] == "too_large"
    assert all(h in r.headers for h in SECURITY_HEADERS)
    r = c.post("/login", content=b"a=" + b"b" * LOGIN_LIMIT,
               headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413 and "<html" in r.text.lower()
    r = c.get("/api/v1/findings?status=%00")
    assert r.status_code == 400 and r.json()["detail"] == "invalid"


# --------------------------------------------------------------------------- pictures


def _png(w: int, h: int) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (w, h), "white").save(buf, "PNG")
    return buf.getvalue()


def _tiny_frames_gif(w: int = 4000, h: int = 4000, n: int = 150) -> bytes:
    """A GIF of ``n`` frames of one pixel each on a ``w`` × ``h`` canvas: 3.5 KB that makes
    an image library composite ``n`` full canvases."""
    out = io.BytesIO()
    out.write(b"GIF89a" + struct.pack("<HH", w, h) + bytes([0xF0, 0, 0]) + b"\0\0\0\xff\xff\xff")
    out.write(b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00")
    for i in range(n):
        out.write(b"\x21\xf9\x04\x00\x00\x00\x00\x00")
        out.write(b"\x2c" + struct.pack("<HHHH", i % w, 0, 1, 1) + b"\x00\x02\x02\x44\x01\x00")
    out.write(b"\x3b")
    return out.getvalue()


@needs_images
def test_tiny_and_thin_pictures_are_checked_not_500(app):
    c = TestClient(app, raise_server_exceptions=False)
    for w, h in ((1, 1), (1, 50), (50, 1), (2, 2), (1, 2000), (2000, 1), (7, 5000)):
        r = c.post("/api/v1/check-image", files={"file": (f"{w}x{h}.png", _png(w, h),
                                                          "image/png")})
        assert r.status_code == 200, (w, h, r.status_code, r.text[:200])
        assert r.json()["verdict"] == "netral"


def test_an_animation_is_decoded_only_within_the_budget():
    from netral.images.load import MAX_DECODED_PIXELS, load_image

    data = _tiny_frames_gif()
    started = time.process_time()
    loaded = load_image(data)
    cpu = time.process_time() - started
    assert loaded.n_frames == 150
    # every frame up to the last one sampled is decoded: that many canvases, no more
    assert (loaded.frame_indices[-1] + 1) * 4000 * 4000 <= MAX_DECODED_PIXELS
    assert len(loaded.frame_indices) > 1 and cpu < 4.0, (loaded.frame_indices, cpu)


@needs_images
def test_an_animation_bomb_costs_seconds_not_minutes_before_sign_in(app):
    c = TestClient(app)

    def cpu_of(frames: int) -> tuple[float, dict]:
        started = time.process_time()
        r = c.post("/api/v1/check-image",
                   files={"file": ("bomb.gif", _tiny_frames_gif(n=frames), "image/gif")})
        assert r.status_code == 200
        return time.process_time() - started, r.json()["image"]

    # the same canvas as a still picture: what one analysed frame costs on this machine (a
    # fixed number of seconds measured the machine more than the door: 8 s passed on one and
    # not on another, where a still 4000 × 4000 picture alone takes 2-3 s)
    still, _ = cpu_of(1)
    cpu, image = cpu_of(150)
    assert image["frames"] == 150
    # only frames near the start are reached (decoding frame k decodes all before it), and
    # the 150 frames cost a few frames' worth, not 150 frames' worth
    assert max(image["frames_analysed"]) < 10, image["frames_analysed"]
    assert cpu < 6 * still + 1.0, (image["frames_analysed"], cpu, still)


# --------------------------------------------------------------------------- roster


def _million_row_xlsx(rows: int = 1_000_000) -> bytes:
    """A well-formed XLSX of ``rows`` identical data rows: about 360 KB compressed."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    row = ('<row><c t="inlineStr"><is><t>198501012010011001</t></is></c>'
           '<c t="inlineStr"><is><t>Budi</t></is></c></row>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.'
            'openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
            f'ContentType="{ct}.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            f'sheet1.xml" ContentType="{ct}.worksheet+xml"/></Types>'))
        z.writestr("_rels/.rels", f'<?xml version="1.0"?><Relationships xmlns="{pkg}">'
                   f'<Relationship Id="rId1" Type="{rel}/officeDocument" '
                   'Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<?xml version="1.0"?><workbook xmlns="{main}" '
                   f'xmlns:r="{rel}"><sheets><sheet name="Roster" sheetId="1" r:id="rId1"/>'
                   '</sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", f'<?xml version="1.0"?><Relationships '
                   f'xmlns="{pkg}"><Relationship Id="rId1" Type="{rel}/worksheet" '
                   'Target="worksheets/sheet1.xml"/></Relationships>')
        with z.open("xl/worksheets/sheet1.xml", "w") as fh:
            fh.write(f'<?xml version="1.0"?><worksheet xmlns="{main}"><sheetData>'.encode())
            fh.write(b'<row><c t="inlineStr"><is><t>NIP</t></is></c>'
                     b'<c t="inlineStr"><is><t>nama</t></is></c></row>')
            block = (row * 10_000).encode()
            for _ in range(rows // 10_000):
                fh.write(block)
            fh.write(b"</sheetData></worksheet>")
    return buf.getvalue()


def test_a_million_row_roster_is_refused_in_milliseconds(app, login):
    data = _million_row_xlsx()
    assert len(data) < 400_000
    c = login("a_admin")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    r = c.post("/api/v1/roster/import", data={"dry_run": "true"},
               files={"file": ("roster.xlsx", data, "application/vnd.openxmlformats-"
                                                   "officedocument.spreadsheetml.sheet")})
    took = time.monotonic() - started
    grew_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    assert r.status_code == 400 and "NETRAL_WEB_ROSTER_MAX_ROWS" in r.json()["message"]
    assert took < 5 and grew_mb < 100, (took, grew_mb)
    # a small real roster still goes through
    ok = c.post("/api/v1/roster/import", data={"dry_run": "true"},
                files={"file": ("r.csv", b"NIP,nama\n198703152011012009,Ani\n", "text/csv")})
    assert ok.status_code == 200, ok.text
