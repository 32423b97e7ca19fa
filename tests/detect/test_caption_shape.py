"""The caption shape feature (netral.detect.combine.shape, "caption") reads a colon followed by
nothing but links. Its pattern must take time in proportion to the text: a run of links glued
together ("http://http://…") followed by a word once made the engine try every way of cutting
the run into links, twice as many for every two more, on every text judged (shape runs on
each), so one short hostile text held a worker for hours."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from netral.detect.combine import shape


def _times_as_long(hostile: Callable[[], object], plain: Callable[[], object]) -> float:
    """How many times as long the hostile text takes as a plain text of the same length, the
    fastest of five runs each: relative to the same machine at the same moment, so a loaded CI
    runner does not fail it, while backtracking (seconds against microseconds) still does."""

    def best(fn: Callable[[], object]) -> float:
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            fn()
            runs.append(time.perf_counter() - start)
        return min(runs)

    return best(hostile) / max(best(plain), 1e-6)


@pytest.mark.parametrize("lead", [": ", "saat ditanya: "])
def test_glued_links_after_a_colon_take_no_time(lead):
    text = lead + "http://" * 36 + " x"
    assert shape(text)["caption"] == 0.0
    plain = lead + "kata " * (len(text) // 5)
    ratio = _times_as_long(lambda: shape(text), lambda: shape(plain))
    assert ratio < 50, ratio


@pytest.mark.parametrize(
    ("text", "caption"),
    [
        ("Anies setelah liat Cak Imin perform: https://t.co/x", 1.0),
        ("pak X ketika ditanya:", 1.0),
        ("saat itu:  http://a.id/1 HTTPS://b.id/2  ", 1.0),
        ("saat itu: http://a.id/1http://b.id/2", 1.0),  # glued links are still links
        ("saat itu: http://a.id/1 lalu", 0.0),
        ("saat itu: http://", 0.0),
        ("rapat: https://t.co/x", 0.0),  # no caption word before the colon
    ],
)
def test_what_reads_as_a_caption(text, caption):
    assert shape(text)["caption"] == caption


def test_a_long_run_of_links_reads_in_linear_time():
    """The article-link pattern once searched from every "http" of a run of glued links to the
    run's end: a text of the longest size judged (100,000 characters) held a worker a minute."""
    text = "lihat " + "http://" * 6000 + " x"
    assert shape(text)["article_url"] == 0.0
    plain = "lihat " + "kata " * (len(text) // 5)
    ratio = _times_as_long(lambda: shape(text), lambda: shape(plain))
    assert ratio < 50, ratio


@pytest.mark.parametrize(
    ("text", "article"),
    [
        ("baca https://kompas.com/read/2019/03/02/capres", 1.0),
        ("https://t.co/abc lalu https://detik.com/berita/x", 1.0),
        ("https://t.co/http://news.id/2019/01/x", 1.0),  # a second link inside the first run
        ("https://x.com/a/status/1-2-3-4", 0.0),  # a social site says nothing
        ("https://t.co/abc /read/ itu", 0.0),  # the path of no link
        ("http://a.id/Capres-Janji-Perbaiki-Jalan", 1.0),
        ("http://a.id/x.HTML?q=1", 1.0),
        ("http://a.id/x.htmlz", 0.0),
    ],
)
def test_what_reads_as_an_article_link(text, article):
    assert shape(text)["article_url"] == article
