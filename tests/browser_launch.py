"""One way for the tests to start Debian's Chromium (/usr/bin/chromium) through Playwright.

Every browser test (web pages, the offline report, the installable app, the extension and its
logic) starts it here, so the path, the flags and the loud skip when it is missing are written
once. Used as context managers inside module-scoped fixtures.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
# no sandbox (containers), no GPU, and nothing that phones home while a test runs
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def require_chromium(what: str) -> None:
    """Skip, loudly, the tests named by ``what`` when Chromium is not installed."""
    if not Path(CHROMIUM).exists():
        msg = f"{CHROMIUM} is missing: {what} SKIPPED (apt-get install chromium)"
        print(f"\n!!! {msg} !!!\n")
        pytest.skip(msg)


@contextmanager
def chromium(what: str) -> Iterator[Any]:
    """A headless Chromium browser (Playwright ``Browser``), closed on exit."""
    require_chromium(what)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", *FLAGS])
        try:
            yield b
        finally:
            b.close()


@contextmanager
def chromium_profile(what: str, profile: Path, *, extra_flags: Sequence[str] = (),
                     **context: Any) -> Iterator[Any]:
    """A headless Chromium with a real profile folder (``BrowserContext``): what an installable
    app or an unpacked extension needs, as an incognito context offers neither."""
    require_chromium(what)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True,
            args=[*FLAGS, *extra_flags], **context)
        try:
            yield ctx
        finally:
            ctx.close()
