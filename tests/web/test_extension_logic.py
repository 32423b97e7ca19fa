"""Unit tests of the extension's JavaScript logic (issue 16), run in Debian's Chromium: reading
a draft out of rich editors' markup, turning the server's code-point offsets into DOM ranges,
which act a box is for, which button sends, which site a host is."""

from __future__ import annotations

import pytest
from browser_launch import chromium

from netral.extension import SOURCE

pytestmark = [pytest.mark.browser]


@pytest.fixture(scope="module")
def page():
    with chromium("extension logic tests") as b:
        pg = b.new_page()
        # a page with a real origin (history.replaceState sets the path a rule may read)
        pg.route("https://logic.test/**", lambda r: r.fulfill(
            status=200, content_type="text/html",
            body="<!doctype html><html><body><div id='t'></div></body></html>"))
        pg.goto("https://logic.test/")
        for name in ("messages.js", "sites.js", "textmap.js"):
            pg.add_script_tag(content=SOURCE.joinpath(name).read_text(encoding="utf-8"))
        yield pg


def _read(page, html: str) -> str:
    return page.evaluate("""h => { const t = document.getElementById('t'); t.innerHTML = h;
        return netralReadText(t.firstElementChild).text; }""", html)


def test_code_points_to_utf16(page):
    f = "([s, n]) => netralCpToUnits(s, n)"
    assert page.evaluate(f, ["🤟🤟 Ayo", 3]) == 5
    assert page.evaluate(f, ["abc", 2]) == 2
    assert page.evaluate(f, ["a🤟b", 2]) == 3
    assert page.evaluate(f, ["ab", 10]) == 2  # clipped to the text


@pytest.mark.parametrize(("html", "text"), [
    # Draft.js (X, TikTok): one div per block, empty line = <br data-text>
    ('<div contenteditable="true"><div data-contents="true">'
     '<div data-block="true"><div><span><span data-text="true">Ayo </span></span>'
     '<span><span data-text="true">coblos</span></span></div></div>'
     '<div data-block="true"><div><span><br data-text="true"></span></div></div>'
     '<div data-block="true"><div><span><span data-text="true">nomor 2</span></span></div></div>'
     '</div></div>', "Ayo coblos\n\nnomor 2"),
    # Lexical (Facebook, Instagram, Threads, WhatsApp): paragraphs, an empty last line
    ('<div contenteditable="true"><p><span>satu</span></p><p><span>dua</span></p><p><br></p></div>',
     "satu\ndua"),
    # Quill (LinkedIn)
    ('<div contenteditable="true" class="ql-editor"><p>a <strong>b</strong></p><p>c</p></div>',
     "a b\nc"),
    # plain box with <br> line breaks (Telegram)
    ('<div contenteditable="true">baris 1<br>baris 2</div>', "baris 1\nbaris 2"),
])
def test_read_text_of_rich_editors(page, html, text):
    assert _read(page, html) == text


def test_ranges_follow_code_point_offsets_across_nodes(page):
    # "🤟🤟 Ayo coblos nomor 2": the server says coblos nomor 2 is [7, 21) in code points;
    # the text is split over three nodes, one boundary inside the span
    got = page.evaluate("""() => { const t = document.getElementById('t');
        t.innerHTML = '<div contenteditable="true"><p><span>🤟🤟 Ayo cob</span><b>los nom</b>'
            + '<span>or 2</span></p><p>#PrabowoGibran</p></div>';
        const read = netralReadText(t.firstElementChild);
        return netralRangesFor(read, [{start: 7, end: 21}, {start: 22, end: 36}])
            .map(r => r.toString()); }""")
    assert got == ["coblos nomor 2", "#PrabowoGibran"]


def test_textarea_reads_its_value(page):
    assert page.evaluate("""() => { const t = document.getElementById('t');
        t.innerHTML = '<textarea></textarea>'; const ta = t.firstElementChild;
        ta.value = 'bio saya\\nbaris 2'; const r = netralReadText(ta);
        return [r.text, r.parts]; }""") == ["bio saya\nbaris 2", None]


@pytest.mark.parametrize(("html", "host", "path", "kind"), [
    ('<div contenteditable="true" aria-label="Post text"></div>', "x.com", "/home", "post"),
    ('<div><div class="public-DraftEditorPlaceholder-root">Post your reply</div>'
     '<div contenteditable="true" aria-label="Post text"></div></div>', "x.com", "/a/status/1",
     "comment"),
    ('<div role="dialog"><div contenteditable="true" aria-label="Post text"></div>'
     '<div data-testid="quoteTweet">kutipan</div></div>', "x.com", "/compose/post", "share"),
    ('<textarea name="description"></textarea>', "x.com", "/settings/profile", "bio"),
    ('<div contenteditable="true" aria-label="Tulis komentar…"></div>', "www.facebook.com", "/",
     "comment"),
    ('<div contenteditable="true" aria-label="Apa yang Anda pikirkan, Budi?"></div>',
     "www.facebook.com", "/", "post"),
    ('<textarea aria-label="Tambahkan komentar..."></textarea>', "www.instagram.com", "/p/x/",
     "comment"),
    ('<div contenteditable="true" aria-label="Message"></div>', "www.instagram.com", "/direct/t/1",
     "message"),
    ('<div contenteditable="true" aria-label="Ketik pesan"></div>', "web.whatsapp.com", "/",
     "message"),
    ('<div contenteditable="true" data-placeholder="What do you want to talk about?"></div>',
     "www.linkedin.com", "/feed/", "post"),
    ('<div contenteditable="true" aria-label="Start a post, share your thoughts"></div>',
     "www.linkedin.com", "/feed/", "share"),
    ('<textarea aria-label="Headline"></textarea>', "www.linkedin.com", "/in/me/edit", "bio"),
    ('<div id="contenteditable-root" contenteditable="true"></div>', "www.youtube.com",
     "/watch", "comment"),
])
def test_kind_of_a_box(page, html, host, path, kind):
    got = page.evaluate("""([h, host, path]) => { const t = document.getElementById('t');
        t.innerHTML = h; history.replaceState(null, '', path);
        const el = t.querySelector('textarea, [contenteditable]');
        return netralKindOf(el, netralSiteFor(host)); }""", [html, host, path])
    assert got == kind


def test_sites_editors_and_send_buttons(page):
    sites = page.evaluate("""() => ['x.com', 'mobile.x.com', 'www.facebook.com',
        'evil-facebook.com', 'm.youtube.com', 'www.threads.com', 'web.telegram.org',
        'example.org'].map(h => { const s = netralSiteFor(h); return s && s.id; })""")
    assert sites == ["x.com", "x.com", "facebook.com", None, "youtube.com", "threads.net",
                     "web.telegram.org", None]
    got = page.evaluate("""() => { const t = document.getElementById('t');
        t.innerHTML = '<input type="search"><div contenteditable="true" aria-label="Cari">x</div>'
          + '<div contenteditable="true" id="box"><p><span id="inner">teks</span></p></div>'
          + '<button id="kirim"><span id="ic">Kirim</span></button><button id="batal">Batal</button>'
          + '<div role="button" data-testid="tweetButton" id="tw"><span id="tws">Posting</span></div>';
        const x = netralSiteFor('x.com');
        return {
          search: netralEditorOf(t.children[1]),
          inner: netralEditorOf(document.getElementById('inner')).id,
          kirim: netralSendButton(document.getElementById('ic'), x).id,
          batal: netralSendButton(document.getElementById('batal'), x),
          tweet: netralSendButton(document.getElementById('tws'), x).id,
        }; }""")
    assert got == {"search": None, "inner": "box", "kirim": "kirim", "batal": None,
                   "tweet": "tw"}


def test_messages_have_both_languages(page):
    missing = page.evaluate("""() => {
        const id = Object.keys(NETRAL_MESSAGES.id), en = Object.keys(NETRAL_MESSAGES.en);
        return id.filter(k => !en.includes(k)).concat(en.filter(k => !id.includes(k))); }""")
    assert missing == []
    assert page.evaluate("() => netralT('en', 'error.server', {status: 500})").endswith(
        "(status 500). You can still post.")
