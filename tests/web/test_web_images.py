"""Pictures in the pre-post checker: ``POST /api/v1/check-image`` and the upload field of the
checker page. No login, nothing stored or written, clear answers for bad, huge or
unsupported pictures."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from web_helpers import poster

import netral
from netral.config import Settings
from netral.store.base import make_sessionmaker
from netral.store.models import AuditLog
from netral.web import image_bridge, upload
from netral.web.app import create_app
from netral.web.config import WebConfig

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "images"

_OK, _WHY = image_bridge.image_support()
needs_images = pytest.mark.skipif(
    not _OK, reason=f"LOUD SKIP: image support unavailable here ({_WHY}); image upload tests "
                    "did not run")


def _tree(path: Path) -> dict[str, str]:
    return {str(p.relative_to(path)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(path.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def env(sqlite_db, tmp_path_factory):
    """(client, app, data dir, database file) on an app whose data directory is empty."""
    url, _world = sqlite_db
    data = tmp_path_factory.mktemp("img-data")
    settings = Settings(data_dir=data, cache_dir=tmp_path_factory.mktemp("img-cache"),
                        database_url=url, lang="id")
    app = create_app(settings, config=WebConfig(database_url=url,
                                                secret_key="t-" + uuid.uuid4().hex))
    yield TestClient(app), app, data, Path(make_url(url).database)
    app.state.engine.dispose()


def _audit(app) -> int:
    with make_sessionmaker(app.state.engine)() as db:
        return db.scalar(select(func.count()).select_from(AuditLog))


def _token(client: TestClient) -> str:
    page = client.get("/")
    return page.text.split('name="csrf_token" value="')[1].split('"')[0]


@needs_images
def test_api_poster_is_kampanye_with_words_and_nothing_is_kept(env):
    client, app, data, dbfile = env
    before, db_before, audit_before = _tree(data), dbfile.read_bytes(), _audit(app)
    r = client.post("/api/v1/check-image",
                    files={"file": ("poster.png", poster(), "image/png")},
                    data={"kind": "post", "lang": "en"})
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["verdict"] == "kampanye"
    words = [w["text"].lower() for w in d["ocr_words"]]
    assert "coblos" in words and "2" in words
    top = next(x for x in d["reasons"] if x["where"] == "image" and x["source"] != "gesture")
    assert top["target_id"] == "pemilu-2024/pair-2"
    assert d["source_text"][top["start"]:top["end"]] == top["text"]
    assert {b["text"].lower() for b in top["boxes"]} >= {"coblos", "2"}
    assert top["advice"] and top["rule"]
    # no login, no session, nothing stored, logged or written
    assert "set-cookie" not in r.headers
    assert _tree(data) == before and dbfile.read_bytes() == db_before
    assert _audit(app) == audit_before


@needs_images
def test_api_hand_photo_goes_through_the_landmark_model(env):
    from netral.images.gesture import model_status

    if not model_status()[0]:
        pytest.skip(f"LOUD SKIP: hand-landmark model unavailable ({model_status()[1]})")
    client, *_ = env
    hand = (FIXTURES / "real" / "subhih_two.jpg").read_bytes()
    r = client.post("/api/v1/check-image", files={"file": ("hand.jpg", hand, "image/jpeg")},
                    data={"lang": "en"})
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["gesture_method"] == "landmark" and d["verdict"] == "tinjau"
    assert [g["name"] for g in d["gestures"]] == ["dua_jari"]
    assert all(g["method"] == "landmark" for g in d["gestures"])


@needs_images
def test_api_caption_kind_and_bad_input(env):
    client, *_ = env
    r = client.post("/api/v1/check-image", files={"file": ("x.png", b"\x89PNG garbage", "image/png")})
    assert r.status_code == 422
    assert r.json()["detail"] == "image_invalid" and r.json()["code"] == "corrupt"
    assert r.json()["message"]
    r = client.post("/api/v1/check-image", files={"file": ("e.png", b"", "image/png")})
    assert r.status_code == 422  # an empty file is no picture
    r = client.post("/api/v1/check-image",
                    files={"file": ("p.png", poster("Selamat pagi"), "image/png")},
                    data={"kind": "tweet"})
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "kind"]
    r = client.post("/api/v1/check-image", data={"text": "tanpa gambar"})
    assert r.status_code == 422  # not multipart
    big = b"\x89PNG\r\n\x1a\n" + b"\0" * (upload.MAX_IMAGE_BYTES + 1)
    r = client.post("/api/v1/check-image", files={"file": ("big.png", big, "image/png")})
    assert r.status_code == 413 and r.json()["detail"] == "too_large"
    assert "10 MB" in r.json()["message"]


def test_openapi_documents_the_upload(env):
    client, *_ = env
    spec = client.get("/api/v1/openapi.json").json()
    op = spec["paths"]["/api/v1/check-image"]["post"]
    schema = op["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert schema["properties"]["file"]["format"] == "binary" and schema["required"] == ["file"]
    assert {"200", "413", "422", "503"} <= set(op["responses"])


@needs_images
def test_checker_page_upload_shows_verdict_words_and_gestures(env):
    from netral.images.gesture import model_status

    if not model_status()[0]:
        pytest.skip(f"LOUD SKIP: hand-landmark model unavailable ({model_status()[1]})")
    client, _app, data, _db = env
    before = _tree(data)
    token = _token(client)
    assert 'type="file" id="image" name="image" accept=' in client.get("/").text
    r = client.post("/check", data={"csrf_token": token, "text": "", "kind": "post"},
                    files={"image": ("poster.png", poster(), "image/png")})
    assert r.status_code == 200
    assert 'data-verdict="kampanye"' in r.text
    assert 'id="ocr-words"' in r.text and '<span class="word">Coblos</span>' in r.text
    assert "<mark" in r.text  # the recognised words are highlighted
    hand = (FIXTURES / "real" / "subhih_two.jpg").read_bytes()
    r = client.post("/check", data={"csrf_token": token, "text": "Foto bersama", "kind": "post"},
                    files={"image": ("hand.jpg", hand, "image/jpeg")})
    assert r.status_code == 200 and 'data-verdict="tinjau"' in r.text
    assert 'id="gestures"' in r.text and image_bridge.gesture_label("dua_jari", "id") in r.text
    r = client.post("/check", data={"csrf_token": token, "text": "x"},
                    files={"image": ("bad.jpg", b"rusak", "image/jpeg")})
    assert r.status_code == 422 and 'id="check-error"' in r.text
    big = b"\xff\xd8" + b"\0" * (upload.MAX_IMAGE_BYTES + 1)
    r = client.post("/check", data={"csrf_token": token},
                    files={"image": ("big.jpg", big, "image/jpeg")})
    assert r.status_code == 413 and "10 MB" in r.text
    # the CSRF token is still required for the multipart form
    r = client.post("/check", data={"csrf_token": "salah"},
                    files={"image": ("poster.png", poster(), "image/png")})
    assert r.status_code == 403
    # text only still works through the same form (multipart without a file)
    r = client.post("/check", data={"csrf_token": token, "text": "Ayo coblos nomor 2!"},
                    files={"image": ("", b"", "application/octet-stream")})
    assert r.status_code == 200 and 'id="result"' in r.text and 'id="ocr-words"' not in r.text
    assert _tree(data) == before


def test_without_image_support_the_field_is_disabled_and_the_api_says_503(env, monkeypatch):
    import netral.images

    client, *_ = env
    monkeypatch.setattr(netral.images, "available",
                        lambda lang="id": (False, "Tesseract OCR unavailable: test"))
    image_bridge.reset_cache()
    try:
        page = client.get("/")
        assert 'id="image" name="image" disabled' in page.text
        assert 'id="image-unavailable"' in page.text and "tesseract-ocr-ind" in page.text
        r = client.post("/api/v1/check-image",
                        files={"file": ("poster.png", poster(), "image/png")})
        assert r.status_code == 503 and r.json()["detail"] == "images_unavailable"
        assert "Tesseract OCR unavailable: test" in r.json()["message"]
        r = client.post("/check", data={"csrf_token": _token(client), "text": "x"},
                        files={"image": ("poster.png", poster(), "image/png")})
        assert r.status_code == 503 and "netral[images]" in r.text
    finally:
        image_bridge.reset_cache()


def test_chunked_upload_without_length_is_cut_off_at_the_limit(env):
    """A client that sends no Content-Length is stopped while reading (413), not buffered."""
    client, *_ = env
    boundary = "netraltestboundary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"big.png\"\r\nContent-Type: image/png\r\n\r\n").encode()

    def body():
        yield head
        chunk = b"\0" * (1024 * 1024)
        for _ in range(upload.MAX_IMAGE_BYTES // len(chunk) + 2):
            yield chunk
        yield f"\r\n--{boundary}--\r\n".encode()

    r = client.post("/api/v1/check-image", content=body(),
                    headers={"content-type": f"multipart/form-data; boundary={boundary}"})
    assert r.status_code in (413, 503)  # 503 only where image support is missing
    if r.status_code == 413:
        assert r.json()["detail"] == "too_large"


def test_checker_page_keeps_every_kind_and_never_cuts_text_silently(env):
    """One vocabulary and one length limit on every door (netral.kinds, issue 13)."""
    from netral.kinds import KINDS, MAX_TEXT_CHARS

    client, *_ = env
    token = _token(client)
    page = client.get("/").text
    for kind in KINDS:  # like/follow/join/message are offered, not turned into "post"
        assert f'name="kind" value="{kind}"' in page
    r = client.post("/check", data={"csrf_token": token, "text": "@tkn.prabowo_gibran",
                                    "kind": "follow"})
    assert r.status_code == 200
    assert 'name="kind" value="follow" checked' in r.text
    expected = netral.check("@tkn.prabowo_gibran", kind="follow").verdict.value
    assert f'data-verdict="{expected}"' in r.text
    # longer than what is judged: judged on its first MAX_TEXT_CHARS characters, and said so
    r = client.post("/check", data={"csrf_token": token, "text": "coblos 02 " * (MAX_TEXT_CHARS // 9)})
    assert r.status_code == 200 and 'id="check-truncated"' in r.text and "100,000" in r.text
    from netral.web.api import MAX_CHECK_BODY_CHARS

    r = client.post("/check", data={"csrf_token": token,
                                    "text": "x" * (MAX_CHECK_BODY_CHARS + 1)})
    assert r.status_code == 413 and 'id="check-error"' in r.text
    r = client.post("/api/v1/check", json={"text": "x" * (MAX_CHECK_BODY_CHARS + 1)})
    assert r.status_code == 413
