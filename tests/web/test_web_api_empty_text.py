"""`POST /api/v1/check` refuses an empty or blank text with 422, as `netral check` and the
web form do (issue 15, problem 2): there is nothing to judge, and "netral / Aman" for an
empty post would be a verdict about nothing."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("text", ["", "   ", "\n\t "])
def test_empty_text_is_422(login, text: str) -> None:
    r = login(None).http.post("/api/v1/check", json={"text": text, "kind": "post"})
    assert r.status_code == 422
    body = r.json()
    assert body["detail"] == "invalid"
    assert [e["loc"] for e in body["errors"]] == [["body", "text"]]


def test_text_with_content_still_judged(login) -> None:
    r = login(None).http.post("/api/v1/check", json={"text": " Coblos nomor 3! ", "kind": "post"})
    assert r.status_code == 200 and r.json()["verdict"] in ("kampanye", "tinjau")
