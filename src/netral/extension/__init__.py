"""The netral browser extension (Chromium, Manifest V3): its files and the zip builder.

The extension lives in ``chrome/`` as plain JavaScript (no framework, no build step): the zip
is those files with ``config.json`` set to the server's address. ``make extension`` and
``netral extension build`` write it to a file; the web app serves the same zip, set to its own
address, at ``/extension.zip``.

The manifest carries a public ``key``, so the extension's id — and with it the origin
``chrome-extension://<id>`` that the server's CORS admits — is the same wherever it is
installed unpacked. The id is not a secret (anyone can copy the key): it keeps web pages out
of the check endpoint; the personal token is what identifies a person.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import zipfile
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from urllib.parse import urlsplit

SOURCE: Traversable = resources.files("netral.extension").joinpath("chrome")
# a fixed time for every entry, so the same files give the same zip, byte for byte
_ZIP_TIME = (2024, 1, 1, 0, 0, 0)


class ServerAddressError(ValueError):
    """The server address is not a plain http(s) origin."""


def _files(root: Traversable, prefix: str = "") -> list[tuple[str, Traversable]]:
    out: list[tuple[str, Traversable]] = []
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name.startswith((".", "__")):
            continue
        name = f"{prefix}{entry.name}"
        if entry.is_dir():
            out.extend(_files(entry, name + "/"))
        else:
            out.append((name, entry))
    return out


@cache
def manifest() -> dict:
    return json.loads(SOURCE.joinpath("manifest.json").read_text(encoding="utf-8"))


def extension_id(key_b64: str | None = None) -> str:
    """Chromium's id for a manifest ``key``: the SHA-256 of the public key, its first 32 hex
    digits written with the letters a–p."""
    der = base64.b64decode(key_b64 or manifest()["key"])
    return "".join(chr(ord("a") + int(c, 16)) for c in hashlib.sha256(der).hexdigest()[:32])


def version() -> str:
    return str(manifest()["version"])


def normalise_server(url: str) -> str:
    """``http(s)://host[:port]`` without a trailing slash; anything else is refused (a path,
    query, user name or other scheme would be a misconfiguration, not a server)."""
    raw = str(url or "").strip().rstrip("/")
    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError as exc:
        raise ServerAddressError(f"not a server address: {raw!r}") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path \
            or parts.query or parts.fragment or parts.username or parts.password:
        raise ServerAddressError(
            f"not a server address: {raw!r} (expected http(s)://host[:port])")
    return f"{parts.scheme}://{parts.netloc}"


def build_zip(server: str, lang: str = "id") -> bytes:
    """The extension as a zip, its ``config.json`` set to ``server`` and ``lang``."""
    config = {"server": normalise_server(server), "lang": lang if lang in ("id", "en") else "id"}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, entry in _files(SOURCE):
            data = entry.read_bytes()
            if name == "config.json":
                data = (json.dumps(config, indent=2) + "\n").encode()
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return buf.getvalue()


def zip_name() -> str:
    return f"netral-extension-{version()}.zip"
