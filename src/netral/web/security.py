"""Sessions, CSRF and security headers (password hashing: :mod:`netral.review.passwords`;
login limits: ``throttle.py``).

Sessions are signed cookies (itsdangerous): HttpOnly, SameSite=Lax, Secure whenever the
request came over https. Each session carries a random CSRF token; every form posts it back in
``csrf_token`` and every state-changing API call made with the session cookie sends it in the
``X-CSRF-Token`` header.
"""

from __future__ import annotations

import hmac
import secrets
from http.cookies import SimpleCookie
from typing import Any

import orjson
from itsdangerous import BadSignature, URLSafeTimedSerializer

from netral.web import recent

SESSION_COOKIE = "netral_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"

def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def csrf_ok(session: dict[str, Any], supplied: str | None) -> bool:
    expected = session.get("csrf")
    return bool(expected and supplied) and hmac.compare_digest(str(expected), str(supplied))


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


_NO_STORE = (b"cache-control", b"no-store")


def _server_error(api: bool) -> tuple[bytes, bytes]:
    if api:
        return b"application/json", b'{"detail":"server_error"}'
    return b"text/plain; charset=utf-8", b"Internal Server Error / Kesalahan server"


class SecurityMiddleware:
    """Pure ASGI middleware: signed-cookie session in ``scope['session']`` + security headers.

    Every answer carries the headers, error answers too: an exception that escapes the app
    is answered here (500, with the headers) before Starlette's outer error middleware, which
    then only logs it. Every answer except static files is ``Cache-Control: no-store``:
    pages, API answers and exports hold personal data (and the checker's drafts) that no
    browser or proxy cache should keep.
    """

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
        # a request that may change state forgets what was checked a moment ago, now and
        # when it answers (after its commit): netral.web.recent
        changing = "app" in scope and recent.may_change(scope, session)
        if changing:
            recent.forget(scope["app"].state)
        https = scope.get("scheme") == "https"
        path = scope.get("path", "")
        static = path.startswith("/static/")
        started = False

        async def wrapped_send(message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if changing:
                    recent.forget(scope["app"].state)
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                for k, v in _BASE_HEADERS:
                    if k not in present:
                        headers.append((k, v))
                if not static and b"cache-control" not in present:
                    headers.append(_NO_STORE)
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

        try:
            await self.app(scope, receive, wrapped_send)
        except Exception:
            if not started:
                scope["session"] = orjson.loads(before)  # what failed half-way is not kept
                ctype, body = _server_error(path.startswith("/api/"))
                await wrapped_send({"type": "http.response.start", "status": 500, "headers": [
                    (b"content-type", ctype), (b"content-length", str(len(body)).encode())]})
                await wrapped_send({"type": "http.response.body", "body": body})
            raise  # Starlette's error middleware logs it (and sends nothing more)
