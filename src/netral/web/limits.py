"""Request-size limits, applied before anything reads the body (before authentication),
and no NUL bytes in the address.

A 150 MB multipart body to ``/login`` used to be spooled to disk by the form parser before
the CSRF check refused it, and a 200 MB JSON body was read into memory (issue 14). This ASGI
middleware answers **413** at once when ``Content-Length`` is above the limit of the path,
and stops a body without a length (chunked) as soon as it grows past it, so no more than the
limit is ever read. Limits per path:

* sign-in forms: 16 KiB;
* the pre-post checker's picture upload (``/check``, ``/api/v1/check-image``, multipart
  only): the upload limit (``NETRAL_WEB_MAX_IMAGE_BYTES``, 10 MB) plus room for the other
  fields;
* roster import: 10 MB plus room — for a signed-in session only (a cookie signed by this
  server that names a user); anyone else gets the default limit;
* everything else: 2 MiB (the longest text, 100,000 characters, fits with any escaping).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from netral.web import roster_bridge, upload
from netral.web.deps import lang_of
from netral.web.i18n import translate

LOGIN_BODY = 16 * 1024
DEFAULT_BODY = 2 * 1024 * 1024
IMAGE_BODY = upload.MAX_IMAGE_BYTES + upload.FORM_OVERHEAD
ROSTER_BODY = roster_bridge.MAX_UPLOAD + upload.FORM_OVERHEAD

_LOGIN_PATHS = frozenset({"/login", "/api/v1/auth/login"})
_IMAGE_PATHS = frozenset({"/check", "/api/v1/check-image"})
_ROSTER_PATHS = frozenset({"/roster/import", "/api/v1/roster/import"})


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when a body without a declared length passes the limit. An
    HTTPException, so FastAPI's body parsing passes it on (it turns other errors into 400)
    and the app's handler answers 413 in the usual format."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail="too_large")
        self.limit = limit


def body_limit(path: str, signed_in: bool, multipart: bool = True) -> int:
    if path in _LOGIN_PATHS:
        return LOGIN_BODY
    if path in _IMAGE_PATHS and multipart:  # a picture comes only in a multipart form
        return IMAGE_BODY
    if path in _ROSTER_PATHS and signed_in:
        return ROSTER_BODY
    return DEFAULT_BODY


def _declared_length(headers: list[tuple[bytes, bytes]]) -> int | None:
    for name, value in headers:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return -1
    return None


def _has_nul(scope) -> bool:
    """A NUL byte in the path or query string: no netral value holds one, and PostgreSQL
    refuses it in a query (``?status=new%00`` was a 500)."""
    qs = scope.get("query_string", b"")
    return "\x00" in scope.get("path", "") or b"%00" in qs or b"\x00" in qs


ErrorResponse = Callable[[Request, int, str, str | None], Response]


class BodyLimitMiddleware:
    """Pure ASGI middleware; ``error(request, 413, code, message)`` builds the answer (JSON on the API,
    the error page elsewhere), so it looks like every other error of the app."""

    def __init__(self, app, error: ErrorResponse) -> None:
        self.app = app
        self.error = error

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if _has_nul(scope):
            response = self.error(Request(scope), 400, "invalid", "NUL (0x00) in the address")
            await response(scope, receive, send)
            return
        if scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        session: dict[str, Any] = scope.get("session") or {}
        headers = scope.get("headers", [])
        multipart = any(k == b"content-type" and v.lower().startswith(b"multipart/form-data")
                        for k, v in headers)
        limit = body_limit(scope.get("path", ""), isinstance(session.get("uid"), int),
                           multipart)
        declared = _declared_length(headers)
        if declared is not None and (declared < 0 or declared > limit):
            await self._refuse(scope, receive, send, limit)
            return
        seen = 0
        started = False

        async def limited_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracking_send(message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if started:  # the app answered already and read on: nothing more to say
                return
            await self._refuse(scope, receive, send, limit)

    async def _refuse(self, scope, receive, send, limit: int) -> None:
        request = Request(scope)
        message = None
        if scope.get("path") in _IMAGE_PATHS:  # the same words as the upload's own check
            message = translate("error.image_too_large", lang_of(request),
                                mb=upload.MAX_IMAGE_BYTES // (1024 * 1024))
        response = self.error(request, 413, "too_large", message)
        response.headers["Connection"] = "close"  # the unread rest of the body is not wanted
        await response(scope, receive, send)
