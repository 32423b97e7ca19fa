"""A text of thousands of repeated tags, names, numbers or salutes (up to the 100,000
characters a door accepts) costs about what ordinary text of that length costs: the stages
that compared every hit with every other now look hits up by position. Each look-up is checked
here against the plain scan it replaced (same answer, ties included), and the work is
counted, not timed (the figures belong to benchmarks)."""

from __future__ import annotations

import random

import pytest

import netral.detect.document as document
import netral.detect.numbers as numbers
from netral.detect.document import _INDEXED, Context, Evidence
from netral.detect.lexicon import Entry, Hit
from netral.detect.match import TokenFinder
from netral.detect.score import _dedupe
from netral.text.normalise import NormText, Token


def _hits(rng: random.Random, n: int, spread: int) -> list[Hit]:
    out = []
    for _ in range(n):
        i = rng.randrange(spread)
        out.append(Hit(Entry("attack", "p", f"e{rng.randrange(3)}"), i, i + rng.randrange(4)))
    return out


def _near_plain(hits: list[Hit], i: int, j: int, window: int, monkeypatch) -> Hit | None:
    """The plain scan: the same method with the index switched off."""
    with monkeypatch.context() as m:
        m.setattr(document, "_INDEXED", 10**9)
        return Context(groups={"attack": hits}).near("attack", i, j, window)


@pytest.mark.parametrize("seed", range(5))
def test_near_through_the_index_answers_as_the_plain_scan(seed, monkeypatch):
    rng = random.Random(seed)
    hits = _hits(rng, 400, 600)  # long enough for the index
    assert len(hits) > _INDEXED
    ctx = Context(groups={"attack": hits})
    for _ in range(500):
        i = rng.randrange(-10, 620)
        j = i + rng.randrange(5)
        window = rng.choice([1, 2, 4, 8])
        assert ctx.near("attack", i, j, window) is _near_plain(hits, i, j, window, monkeypatch)
    hits.extend(_hits(rng, 50, 600))  # a group that grew is indexed again
    for _ in range(100):
        i = rng.randrange(600)
        assert ctx.near("attack", i, i, 8) is _near_plain(hits, i, i, 8, monkeypatch)


def _dedupe_plain(ev: list[Evidence]) -> list[Evidence]:
    kept: list[Evidence] = []
    for e in sorted(ev, key=lambda x: -x.weight):
        if any(k.entity == e.entity and k.pack == e.pack and not (e.j < k.i or e.i > k.j)
               for k in kept):
            continue
        kept.append(e)
    return kept


@pytest.mark.parametrize("seed", range(5))
def test_dedupe_keeps_what_the_pairwise_comparison_kept(seed):
    rng = random.Random(seed)
    ev = []
    for _ in range(300):
        i = rng.randrange(200)
        ev.append(Evidence("dukungan", i, i + rng.randrange(6), rng.choice(["a", None]),
                           rng.choice(["x", "y", None]), round(rng.random(), 2), "pattern"))
    assert _dedupe(ev) == _dedupe_plain(ev)


def test_the_token_finder_answers_as_the_plain_scan():
    rng = random.Random(7)
    tokens, pos = [], 0
    for _ in range(300):
        pos += rng.randrange(0, 3)
        length = rng.randrange(1, 9)
        tokens.append(Token("w", pos, pos + length))
        pos += length
    nt = NormText("x" * (pos + 5), tokens)
    find = TokenFinder(nt)
    for p in range(pos + 3):
        for last in (False, True):
            idx = [k for k, t in enumerate(tokens) if t.start <= p < t.end]
            want = 0 if not idx else (idx[-1] if last else idx[0])
            assert find.at(p, last) == want
    for _ in range(500):  # the tokens wholly inside a span, as name_tag asks of a hashtag
        start = rng.randrange(pos + 3)
        end = start + rng.randrange(1, 40)
        want = [k for k, t in enumerate(tokens) if start <= t.start and t.end <= end]
        assert find.within(start, end) == want


def test_a_thousand_salutes_resolve_each_number_once(monkeypatch):
    from netral.detect.detector import get_detector

    detector = get_detector()
    calls = []
    real = numbers.resolve_number

    def counted(num, *args):
        calls.append(num)
        return real(num, *args)

    monkeypatch.setattr(numbers, "resolve_number", counted)
    res = detector.check("salam 2 jari ✌️ " * 250 + "coblos 02 " * 250)
    assert res.flagged
    # per 4,000-character segment, each number (2 from the salute and "02") at most twice:
    # once by the number stage and once by the salute stage
    segments = -(-len("salam 2 jari ✌️ " * 250 + "coblos 02 " * 250) // 4000)
    assert len(calls) <= 2 * segments
