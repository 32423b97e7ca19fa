"""Sessions, CSRF, login rate limiting and security headers (password hashing:
:mod:`netral.review.passwords`).

Sessions are signed cookies (itsdangerous): HttpOnly, SameSite=Lax, Secure whenever the
request came over https. Each session carries a random CSRF token; every form posts it back in
``csrf_token`` and every state-changing API call made with the session cookie sends it in the
``X-CSRF-Token`` header.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from http.cookies import SimpleCookie
from typing import Any

import orjson
from itsdangerous import BadSignature, URLSafeTimedSerializer

SESSION_COOKIE = "netral_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"

def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def csrf_ok(session: dict[str, Any], supplied: str | None) -> bool:
    expected = session.get("csrf")
    return bool(expected and supplied) and hmac.compare_digest(str(expected), str(supplied))


class LoginRateLimiter:
    """Sliding-window count of failed logins per client address and per user name."""

    max_keys = 10000

    def __init__(self, max_failures: int = 5, window: float = 300.0) -> None:
        self.max_failures = max_failures
        self.window = window
        self._fails: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _prune(self, key: str, now: float) -> deque[float]:
        q = self._fails.setdefault(key, deque())
        while q and now - q[0] > self.window:
            q.popleft()
        return q

    def blocked(self, *keys: str) -> bool:
        now = time.monotonic()
        with self._lock:
            return any(len(self._prune(k, now)) >= self.max_failures for k in keys)

    def failure(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            if len(self._fails) > self.max_keys:  # many distinct names: drop stale windows
                for k in [k for k, q in self._fails.items() if not q or now - q[-1] > self.window]:
                    del self._fails[k]
            for k in keys:
                self._prune(k, now).append(now)

    def success(self, *keys: str) -> None:
        with self._lock:
            for k in keys:
                self._fails.pop(k, None)


CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)

_BASE_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]


class SecurityMiddleware:
    """Pure ASGI middleware: signed-cookie session in ``scope['session']`` + security headers."""

    def __init__(self, app, secret_key: str, max_age: int = 8 * 3600) -> None:
        self.app = app
        self.max_age = max_age
        self.serializer = URLSafeTimedSerializer(secret_key, salt="netral.session")

    def _load(self, headers: list[tuple[bytes, bytes]]) -> tuple[dict[str, Any], str | None]:
        for name, value in headers:
            if name == b"cookie":
                cookie = SimpleCookie()
                try:
                    cookie.load(value.decode("latin-1"))
                except Exception:
                    continue
                morsel = cookie.get(SESSION_COOKIE)
                if morsel is None:
                    continue
                try:
                    data = self.serializer.loads(morsel.value, max_age=self.max_age)
                except BadSignature:
                    return {}, None
                if isinstance(data, dict):
                    return data, morsel.value
        return {}, None

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        session, raw = self._load(scope.get("headers", []))
        before = orjson.dumps(session, option=orjson.OPT_SORT_KEYS)
        scope["session"] = session
        https = scope.get("scheme") == "https"

        async def wrapped_send(message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                for k, v in _BASE_HEADERS:
                    if k not in present:
                        headers.append((k, v))
                if https:
                    headers.append((b"strict-transport-security", b"max-age=31536000"))
                current = scope["session"]
                after = orjson.dumps(current, option=orjson.OPT_SORT_KEYS)
                attrs = f"Path=/; HttpOnly; SameSite=Lax{'; Secure' if https else ''}"
                if after != before or (raw is None and current):
                    if current:
                        value = self.serializer.dumps(current)
                        cookie = f"{SESSION_COOKIE}={value}; Max-Age={self.max_age}; {attrs}"
                    else:
                        cookie = f"{SESSION_COOKIE}=; Max-Age=0; {attrs}"
                    headers.append((b"set-cookie", cookie.encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, wrapped_send)
