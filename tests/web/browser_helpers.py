"""Page helpers shared by the browser tests (the fixtures ``live`` and ``browser`` are in
conftest.py, ``shots`` in tests/conftest.py; Chromium starts in tests/browser_launch.py)."""

from __future__ import annotations

from web_seed import PASSWORD


class Dialogs:
    """Fails the test if any JavaScript dialog opens (alert/confirm/prompt from injected code)."""

    def __init__(self, page):
        self.seen: list[str] = []
        page.on("dialog", self._on)

    def _on(self, dialog) -> None:
        self.seen.append(dialog.message)
        dialog.dismiss()


CSP_VIOLATIONS: list[str] = []


def _page(browser, base: str, **kw):
    ctx = browser.new_context(base_url=base, accept_downloads=True, **kw)
    page = ctx.new_page()
    page.set_default_timeout(10000)
    # anything our own pages do that the CSP blocks (inline script/style) shows up here
    page.on("console", lambda m: CSP_VIOLATIONS.append(m.text)
            if "Content Security Policy" in m.text or "Refused to" in m.text else None)
    return ctx, page


def _login(page, username: str) -> None:
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url("**/dashboard")
