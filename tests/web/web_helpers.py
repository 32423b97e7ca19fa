"""Helpers shared by the web tests: the app on a database URL, and a signed-in API client."""

from __future__ import annotations

import uuid

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
