"""Who may call the check endpoints from outside the app's own pages (issue 16).

* **CORS** (:class:`CheckCorsMiddleware`): the check endpoints answer cross-origin requests
  only from the browser extension's origin ``chrome-extension://<id>`` (the configured ids,
  default the id of the extension shipped with netral). A preflight from any other origin gets
  403 and no ``Access-Control-Allow-*`` header, so no web page can read a verdict or send a
  draft with someone's token.
* **Tokens** (:func:`check_access`): ``Authorization: Bearer ntl_…`` is checked against the
  hashed tokens (:mod:`netral.review.tokens`); a revoked or unknown token answers 401 whoever
  sends it. A call from the extension without a token answers 401 ``token_required`` unless
  the server runs for one person (``netral serve --personal``). Calls without an ``Origin``
  (curl, scripts) and from the app's own pages stay public as before.
* **Rate limit**: :class:`TokenRateLimiter`, a sliding window per token (per process).
* **Nothing kept**: every answer of these endpoints says ``Cache-Control: no-store``, so no
  browser or proxy cache holds a draft's verdict; the request body is never logged (the
  server writes no access log, and these modules log nothing).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from urllib.parse import urlsplit

from fastapi import Request
from sqlalchemy.orm import Session

from netral.review import tokens
from netral.web.config import WebConfig

CHECK_PATHS = frozenset({"/api/v1/check", "/api/v1/check-image"})
# pages that show a verdict of a draft: never cached either
NO_STORE_PATHS = CHECK_PATHS | {"/check", "/share"}
PREFLIGHT_MAX_AGE = "600"


class CheckDenied(Exception):
    """A check call refused: HTTP ``status`` with the stable ``code``."""

    def __init__(self, status: int, code: str, retry_after: int | None = None) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.retry_after = retry_after


def allowed_origins(config: WebConfig) -> frozenset[str]:
    from netral.extension import extension_id

    ids = config.extension_ids or (extension_id(),)
    return frozenset(f"chrome-extension://{i}" for i in ids)


class TokenRateLimiter:
    """At most ``limit`` checks per token in any ``window`` seconds (sliding window).

    Per process: with ``--workers N`` a token may get up to N times the limit."""

    def __init__(self, limit: int = 120, window: float = 60.0) -> None:
        self.limit = limit
        self.window = window
        self._hits: dict[int, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: int) -> int | None:
        """Count one check; ``None`` if allowed, else the seconds to wait."""
        now = time.monotonic()
        with self._lock:
            q = self._hits.setdefault(key, deque())
            while q and now - q[0] >= self.window:
                q.popleft()
            if len(q) >= self.limit:
                return max(1, int(self.window - (now - q[0])) + 1)
            q.append(now)
            if len(self._hits) > 10000:  # forget idle tokens
                for k in [k for k, v in self._hits.items() if not v or now - v[-1] > self.window]:
                    del self._hits[k]
            return None


def _same_origin(request: Request, origin: str) -> bool:
    try:
        netloc = urlsplit(origin).netloc
    except ValueError:
        return False
    return bool(netloc) and netloc == request.headers.get("host", "")


def check_access(request: Request, db: Session) -> int | None:
    """Admit or refuse a call of a check endpoint; returns the token holder's agency (its
    standard phrases then apply, as on the check page for signed-in staff) or ``None``."""
    app = request.app
    config: WebConfig = app.state.config
    origin = request.headers.get("origin")
    from_extension = origin is not None and origin in app.state.check_origins
    if origin and not from_extension and not _same_origin(request, origin):
        raise CheckDenied(403, "origin_not_allowed")
    auth = request.headers.get("authorization")
    if auth:
        scheme, _, value = auth.partition(" ")
        row = tokens.authenticate(db, value.strip()) if scheme.lower() == "bearer" else None
        if row is None:
            raise CheckDenied(401, "token_invalid")
        wait = app.state.token_limiter.hit(row.id)
        if wait is not None:
            raise CheckDenied(429, "token_rate_limited", wait)
        return row.user.agency_id
    if from_extension and config.check_token_required:
        raise CheckDenied(401, "token_required")
    return None


class CheckCorsMiddleware:
    """CORS for the check endpoints (extension origins only) and ``no-store`` on every answer
    that carries a draft's verdict. Pure ASGI, so it adds no route."""

    def __init__(self, app, origins: frozenset[str]) -> None:
        self.app = app
        self.origins = origins

    async def __call__(self, scope, receive, send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or path not in NO_STORE_PATHS:
            await self.app(scope, receive, send)
            return
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        origin = headers.get(b"origin", b"").decode("latin-1")
        allowed = path in CHECK_PATHS and origin in self.origins
        if scope["method"] == "OPTIONS" and path in CHECK_PATHS:
            await self._preflight(send, origin if allowed else None,
                                  headers.get(b"access-control-request-method", b""))
            return

        async def wrapped(message) -> None:
            if message["type"] == "http.response.start":
                extra = [(b"cache-control", b"no-store")]
                if allowed:
                    extra += [(b"access-control-allow-origin", origin.encode("latin-1")),
                              (b"access-control-expose-headers", b"Retry-After"),
                              (b"vary", b"Origin")]
                kept = [(k, v) for k, v in message.get("headers", [])
                        if k.lower() != b"cache-control"]
                message = {**message, "headers": kept + extra}
            await send(message)

        await self.app(scope, receive, wrapped)

    @staticmethod
    async def _preflight(send, origin: str | None, method: bytes) -> None:
        if origin is None or method.upper() != b"POST":
            body = b'{"detail":"origin_not_allowed"}'
            await send({"type": "http.response.start", "status": 403, "headers": [
                (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                (b"vary", b"Origin")]})
            await send({"type": "http.response.body", "body": body})
            return
        await send({"type": "http.response.start", "status": 204, "headers": [
            (b"access-control-allow-origin", origin.encode("latin-1")),
            (b"access-control-allow-methods", b"POST"),
            (b"access-control-allow-headers", b"authorization, content-type"),
            (b"access-control-max-age", PREFLIGHT_MAX_AGE.encode()),
            (b"vary", b"Origin"), (b"cache-control", b"no-store")]})
        await send({"type": "http.response.body", "body": b""})
