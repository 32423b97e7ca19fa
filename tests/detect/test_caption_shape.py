"""The caption shape feature (netral.detect.combine.shape, "caption") reads a colon followed by
nothing but links. Its pattern must take time in proportion to the text: a run of links glued
together ("http://http://…") followed by a word once made the engine try every way of cutting
the run into links, twice as many for every two more, on every text judged (shape runs on
each), so one short hostile text held a worker for hours."""

from __future__ import annotations

import time

import pytest

from netral.detect.combine import shape


@pytest.mark.parametrize("lead", [": ", "saat ditanya: "])
def test_glued_links_after_a_colon_take_no_time(lead):
    text = lead + "http://" * 36 + " x"
    start = time.perf_counter()
    assert shape(text)["caption"] == 0.0
    assert time.perf_counter() - start < 0.5


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
