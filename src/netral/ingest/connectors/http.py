"""A small, careful HTTP fetcher shared by the connectors (httpx, size-capped, no retries)."""

from __future__ import annotations

from pathlib import Path

import httpx

from netral.version import __version__

USER_AGENT = f"netral/{__version__} (ASN neutrality monitoring; public feeds only)"
MAX_BYTES = 20 * 1024 * 1024


class FetchError(Exception):
    pass


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def fetch_bytes(
    source: str,
    *,
    accept: str,
    client: httpx.Client | None = None,
    timeout: float = 20.0,
    max_bytes: int = MAX_BYTES,
) -> bytes:
    """The body at ``source`` (an http(s) URL, a ``file://`` URL or a local path)."""
    if not is_url(source):
        path = Path(source.removeprefix("file://"))
        try:
            return path.read_bytes()
        except OSError as exc:
            raise FetchError(f"{source}: {exc.strerror or exc}") from exc
    own = client is None
    client = client or httpx.Client(
        timeout=timeout, follow_redirects=True, headers={"User-Agent": USER_AGENT}
    )
    try:
        with client.stream("GET", source, headers={"Accept": accept}) as resp:
            if resp.status_code != 200:
                raise FetchError(f"{source}: HTTP {resp.status_code}")
            chunks: list[bytes] = []
            size = 0
            for chunk in resp.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"{source}: response larger than {max_bytes} bytes")
                chunks.append(chunk)
            return b"".join(chunks)
    except httpx.HTTPError as exc:
        raise FetchError(f"{source}: {exc.__class__.__name__}: {exc}") from exc
    finally:
        if own:
            client.close()
