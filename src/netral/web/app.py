"""The FastAPI application factory."""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DataError, DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from netral.config import Settings, get_settings
from netral.review.authz import Conflict, Forbidden, NotFound
from netral.store.base import make_engine, make_sessionmaker
from netral.store.errors import classify
from netral.version import __version__
from netral.web.check_access import CheckCorsMiddleware, CheckDenied, TokenRateLimiter, allowed_origins
from netral.web.config import WebConfig, web_config
from netral.web.deps import CsrfFailed, LoginRequired, lang_of
from netral.web.i18n import forbidden_text, translate
from netral.web.limits import BodyLimitMiddleware
from netral.web.security import SecurityMiddleware
from netral.web.throttle import Throttle, ThrottlePolicy

API_PREFIX = "/api/v1"


def iter_routes(app: FastAPI):
    """(methods, path, name) of every route, including those of included routers."""
    for route in app.routes:
        contexts = getattr(route, "effective_route_contexts", None)
        if contexts is not None:
            for ctx in contexts():
                yield frozenset(ctx.methods or ()), ctx.path, ctx.name
        elif hasattr(route, "path"):
            yield frozenset(getattr(route, "methods", None) or ()), route.path, route.name


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(request: Request, status: int, code: str, message: str | None = None) -> Response:
    lang = lang_of(request)
    text = message or translate(f"error.{code}", lang)
    if _is_api(request):
        return JSONResponse({"detail": code, "message": text}, status_code=status)
    from netral.web.templating import render

    return render(request, "error.html", status_code=status, status=status, code=code,
                  message=text)


def create_app(
    settings: Settings | None = None,
    *,
    config: WebConfig | None = None,
    engine: Engine | None = None,
) -> FastAPI:
    """Build the web application.

    ``settings`` defaults to :func:`netral.config.get_settings`; ``config`` (secret key, rate
    limits, sample rate…) to :func:`netral.web.config.web_config`; ``engine`` to an engine on
    ``config.database_url``. The database must already be migrated (``netral serve`` does it).
    """
    settings = settings or get_settings()
    config = config or web_config(settings)
    engine = engine or make_engine(config.database_url)

    app = FastAPI(
        title="netral",
        version=__version__,
        description=(
            "Netralitas ASN: pre-post checker, supervision dashboard, review queue and case "
            "workflow. Every page action is also a call here. Sign in with "
            "`POST /api/v1/auth/login`; state-changing calls then send the returned "
            "`csrf_token` in the `X-CSRF-Token` header."
        ),
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,
        redoc_url=None,
        # No request telemetry: the pre-post checker promises to store and log nothing, and
        # FastAPI's OpenTelemetry hooks could record request data if exporters were set up.
        telemetry={"tracing": False, "metrics": False, "logs": False,
                   "operation_spans": False, "auto_configure": False},
    )
    app.state.config = config
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_max_age = config.session_max_age
    app.state.sessionmaker = make_sessionmaker(engine)
    app.state.login_throttle = Throttle(config.secret_key, ThrottlePolicy(
        max_failures=config.login_max_failures,
        window_seconds=config.login_window_seconds,
        max_failures_per_address=config.login_max_failures_per_address
        or 6 * config.login_max_failures,
        max_delay_seconds=config.login_max_delay_seconds,
        known_days=config.login_known_days,
    ))

    app.state.check_origins = allowed_origins(config)
    app.state.token_limiter = TokenRateLimiter(config.token_checks_per_minute, 60.0)

    # the last added runs first: security headers and session, then the extension's CORS on
    # the check endpoints (a preflight is answered before any body is read), then the size
    # limits (which need the session to know who is signed in), then the app
    app.add_middleware(BodyLimitMiddleware, error=_error)
    app.add_middleware(CheckCorsMiddleware, origins=app.state.check_origins)
    app.add_middleware(SecurityMiddleware, secret_key=config.secret_key,
                       max_age=config.session_max_age)

    static_dir = resources.files("netral.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static_dir)), name="static")

    from netral.web import api, install, pages, pages_course, pages_queue, pages_users

    app.include_router(pages.first)  # the most visited page first (see there)
    app.include_router(api.router, prefix=API_PREFIX)
    app.include_router(pages.router)
    app.include_router(pages_queue.router)
    app.include_router(pages_users.router)
    app.include_router(pages_course.router)
    app.include_router(install.router)

    @app.exception_handler(LoginRequired)
    async def _login_required(request: Request, exc: LoginRequired):
        if _is_api(request):
            return _error(request, 401, "login_required")
        nxt = request.url.path
        return RedirectResponse(f"/login?next={nxt}", status_code=303)

    @app.exception_handler(CheckDenied)
    async def _check_denied(request: Request, exc: CheckDenied):
        resp = JSONResponse({"detail": exc.code,
                             "message": translate(f"error.{exc.code}", lang_of(request))},
                            status_code=exc.status)
        if exc.retry_after is not None:
            resp.headers["Retry-After"] = str(exc.retry_after)
        if exc.status == 401:
            resp.headers["WWW-Authenticate"] = 'Bearer realm="netral-check"'
        return resp

    @app.exception_handler(CsrfFailed)
    async def _csrf(request: Request, exc: CsrfFailed):
        return _error(request, 403, "csrf")

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden):
        if str(exc) == "two_person_rule":
            return _error(request, 403, "two_person_rule")
        # say why where the catalogue can (an escalated finding), not just "your role"
        return _error(request, 403, "forbidden", forbidden_text(str(exc), lang_of(request)))

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound):
        return _error(request, 404, "not_found")

    @app.exception_handler(Conflict)
    async def _conflict(request: Request, exc: Conflict):
        # "code" or "code:detail" with a catalogue entry error.<code> -> that message
        raw = str(exc)
        code, _, detail = raw.partition(":")
        key = f"error.{code}"
        lang = lang_of(request)
        if code and translate(key, lang) != key:
            return _error(request, 409, code, translate(key, lang, detail=detail))
        return _error(request, 409, "conflict", raw)

    @app.exception_handler(DBAPIError)
    async def _database(request: Request, exc: DBAPIError):
        # A writer holding the lock or a lost connection: say so and ask to retry; the
        # request's transaction was rolled back, nothing half-done remains.
        kind = classify(exc)
        if kind is None:
            if isinstance(exc, DataError):
                # a value the database cannot hold (a NUL in text, a number out of range on
                # PostgreSQL): the input was bad, nothing was stored
                return _error(request, 422, "invalid", translate("error.unstorable",
                                                                 lang_of(request)))
            raise exc
        resp = _error(request, 503, f"db_{kind}")
        resp.headers["Retry-After"] = "2"
        return resp

    @app.exception_handler(OverflowError)
    async def _overflow(request: Request, exc: OverflowError):
        # a number too large for the database driver (SQLite: above 2^63 - 1)
        return _error(request, 422, "invalid", translate("error.unstorable", lang_of(request)))

    @app.exception_handler(ValueError)
    async def _invalid(request: Request, exc: ValueError):
        key = str(exc)
        msg = translate(f"error.{key}", lang_of(request))
        return _error(request, 400, "invalid", msg if msg != f"error.{key}" else key)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        code = {404: "not_found", 405: "method", 401: "login_required", 403: "forbidden",
                429: "rate_limited", 413: "too_large"}.get(exc.status_code, "error")
        resp = _error(request, exc.status_code, code,
                      None if code != "error" else str(exc.detail))
        for k, v in (exc.headers or {}).items():  # e.g. Retry-After of a 429
            resp.headers[k] = v
        return resp

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        if _is_api(request):
            errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg")} for e in exc.errors()]
            return JSONResponse({"detail": "invalid", "errors": errors}, status_code=422)
        return _error(request, 422, "invalid")

    return app
