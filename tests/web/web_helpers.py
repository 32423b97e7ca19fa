"""Helpers shared by the web tests: the app on a database URL, and a signed-in API client."""

from __future__ import annotations

import io
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi.testclient import TestClient
from web_seed import PASSWORD

from netral.web.app import create_app
from netral.web.config import WebConfig


def make_app(url: str, **overrides):
    cfg = WebConfig(database_url=url, secret_key="test-secret-" + uuid.uuid4().hex, **overrides)
    return create_app(config=cfg)


class ApiClient:
    """A TestClient signed in through the API, sending the CSRF header on every call."""

    def __init__(self, app, username: str | None = None, password: str = PASSWORD):
        self.http = TestClient(app, base_url="http://testserver")
        self.csrf = ""
        if username:
            r = self.http.post("/api/v1/auth/login",
                               json={"username": username, "password": password})
            assert r.status_code == 200, r.text
            self.csrf = r.json()["csrf_token"]

    def request(self, method: str, url: str, **kw):
        headers = {"X-CSRF-Token": self.csrf, **kw.pop("headers", {})}
        return self.http.request(method, url, headers=headers, **kw)

    def get(self, url: str, **kw):
        return self.request("GET", url, **kw)

    def post(self, url: str, **kw):
        return self.request("POST", url, **kw)

    def put(self, url: str, **kw):
        return self.request("PUT", url, **kw)


FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


def poster(text: str = "Coblos No. 2") -> bytes:
    """A plain campaign poster rendered with Pillow (black text on white, DejaVu Sans Bold):
    made here, no third-party image."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(FONT), 90) if FONT.exists() else ImageFont.load_default(90)
    im = Image.new("RGB", (900, 400), "white")
    ImageDraw.Draw(im).text((60, 140), text, fill="black", font=font)
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def live_server(app) -> Iterator[str]:
    """Run ``app`` in a real uvicorn server on a free loopback port; yields its base URL.

    Sync endpoints run in uvicorn's thread pool, so requests really overlap, as in
    ``netral serve``."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
