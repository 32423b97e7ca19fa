"""The checker where people post (issue 16): the browser extension download and the
installable web app (manifest, service worker, offline page, share target).

* ``GET /extension.zip`` — the Chromium extension set to this server's address
  (``NETRAL_PUBLIC_URL``, else the address the download was made from).
* ``GET /manifest.webmanifest`` and ``GET /sw.js`` make the check page an installable app;
  its ``share_target`` lets a phone *share* a text or a picture from any app to ``POST /share``,
  which answers the check page with the text filled in and checked.
* ``GET /offline`` is the page the service worker shows without a connection: it says plainly
  that checking needs the server. The service worker caches that page and the static files
  only, never a page with a draft or a verdict.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from netral.web.deps import DB, lang_of, optional_principal
from netral.web.i18n import translate
from netral.web.templating import env

router = APIRouter(include_in_schema=False)

SHARE_IMAGE_TYPES = ["image/jpeg", "image/png", "image/webp", "image/gif"]


def server_address(request: Request) -> str:
    config = request.app.state.config
    if config.public_url:
        return config.public_url
    return f"{request.url.scheme}://{request.url.netloc}"


@router.get("/extension.zip")
def extension_zip(request: Request) -> Response:
    from netral import extension

    data = extension.build_zip(server_address(request), lang_of(request))
    return Response(data, media_type="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{extension.zip_name()}"',
        "Cache-Control": "no-cache"})


@router.get("/manifest.webmanifest")
def web_manifest(request: Request) -> Response:
    import orjson

    lang = lang_of(request)
    manifest: dict[str, Any] = {
        "id": "/",
        "name": translate("pwa.name", lang),
        "short_name": "netral",
        "description": translate("pwa.description", lang),
        "lang": lang,
        "start_url": "/?source=app",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#f6f7f8",
        "theme_color": "#14323f",
        "icons": [
            {"src": "/static/icons/icon-192.png", "sizes": "192x192", "type": "image/png"},
            {"src": "/static/icons/icon-512.png", "sizes": "512x512", "type": "image/png"},
            {"src": "/static/icons/icon-maskable-512.png", "sizes": "512x512",
             "type": "image/png", "purpose": "maskable"},
        ],
        # the installed app's long-press menu: the neutrality course (issue 18)
        "shortcuts": [{"name": translate("nav.course", lang), "url": "/kursus",
                       "icons": [{"src": "/static/icons/icon-192.png", "sizes": "192x192",
                                  "type": "image/png"}]}],
        # a phone's share sheet sends text (title, text, link) and/or one picture here
        "share_target": {
            "action": "/share",
            "method": "POST",
            "enctype": "multipart/form-data",
            "params": {"title": "title", "text": "text", "url": "url",
                       "files": [{"name": "image", "accept": SHARE_IMAGE_TYPES}]},
        },
    }
    return Response(orjson.dumps(manifest), media_type="application/manifest+json",
                    headers={"Cache-Control": "no-cache"})


@router.get("/sw.js")
def service_worker() -> Response:
    js = resources.files("netral.web").joinpath("static", "sw.js").read_bytes()
    # served from the root so that it controls the whole app; always revalidated so a new
    # version reaches installed apps
    return Response(js, media_type="text/javascript", headers={
        "Cache-Control": "no-cache", "Service-Worker-Allowed": "/"})


@router.get("/offline", response_class=HTMLResponse)
def offline_page() -> HTMLResponse:
    # no user, no language switch, no form: the service worker keeps this page, so it must
    # hold nothing personal
    html = env().get_template("offline.html").render(t_id=_t("id"), t_en=_t("en"))
    return HTMLResponse(html, headers={"Cache-Control": "no-cache"})


def _t(lang: str):
    return lambda key, **kw: translate(key, lang, **kw)


def _shared_text(fields: dict[str, Any]) -> str:
    """What a share sheet sends, as one draft: apps put the words in ``text`` or ``title`` and
    a link in ``url`` (often also inside ``text``); each part once, in that order."""
    parts: list[str] = []
    for key in ("title", "text", "url"):
        value = str(fields.get(key) or "").strip()
        if value and not any(value in p for p in parts):
            parts.append(value)
    return "\n".join(parts)


@router.post("/share", response_class=HTMLResponse)
async def share_target(request: Request, db: DB):
    """The installed app's share target: the check page, the shared text filled in and checked
    (and the shared picture checked with it as caption).

    No CSRF token: the phone's share sheet cannot send one, and this answer changes nothing
    and stores nothing — it is the check page's answer for the shared draft, shown to the
    person who shared it."""
    from netral.web import pages, upload

    request.state.principal = optional_principal(request, db)
    picture = None
    if upload.is_multipart(request):
        try:
            picture = await upload.read_upload(request, "image")
        except upload.UploadTooLarge:
            return pages._checker(request, 413, error="error.image_too_large")
        except upload.UploadInvalid as exc:
            return pages._checker(request, 422, error="error.invalid_detail",
                                  error_detail=str(exc))
        fields: dict[str, Any] = dict(picture.fields)
    else:
        form = await request.form()
        fields = {k: form.get(k) for k in form}
    form_in = {"text": _shared_text(fields), "kind": str(fields.get("kind") or "post")}
    if picture is not None and not picture.has_file:
        picture = None
    return await pages._check_and_show(request, db, form_in, picture, shared=True)


@router.get("/share")
def share_get() -> RedirectResponse:
    return RedirectResponse("/", status_code=303)
