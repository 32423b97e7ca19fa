"""Knowledge.regions_named, which compares only the regions whose least word a text holds,
finds what comparing every region finds: on random word sets drawn from the regions' own
words, the level cues and everyday words."""

from __future__ import annotations

import random

from netral.detect.detector import get_detector
from netral.detect.knowledge import _LEVEL_CUES


def _every_region(kb, tokens: set[str]) -> set[tuple[str, str]]:
    """The look-up before the index: every region's words compared with the text's."""
    matched = [(w, p, c, lvl) for w, p, c, lvl in kb._regions if w <= tokens]
    found = [(p, c, lvl) for w, p, c, lvl in matched if not any(w < o for o, *_ in matched)]
    levels = {lvl for lvl, cues in _LEVEL_CUES.items() if tokens & cues}
    if levels:
        found = [f for f in found if f[2] in levels] or found
    return {(p, c) for p, c, _ in found}


def test_indexed_regions_are_every_region_s() -> None:
    kb = get_detector().kb
    rng = random.Random(7)
    words = sorted({w for r in kb._regions for w in r[0]})
    cues = sorted({c for cs in _LEVEL_CUES.values() for c in cs})
    everyday = ["coblos", "nomor", "2", "pilkada", "mantap", "barat", "utara", "kota"]
    named = 0
    for _ in range(5000):
        tokens = set(rng.sample(words, rng.randint(0, 4)) + rng.sample(cues, rng.randint(0, 2))
                     + rng.sample(everyday, rng.randint(0, 3)))
        # whole names too, so that nested ones ("papua barat daya") meet
        for r in rng.sample(kb._regions, rng.randint(0, 2)):
            tokens |= r[0]
        got = kb.regions_named(tokens)
        assert got == _every_region(kb, tokens), sorted(tokens)
        named += bool(got)
    assert named > 1000
