"""Texts that take no side in so many words (guideline points 7 and 9), a mitigation of
``context.mitigations``: whoever wins, every candidate, or not yet decided."""

from __future__ import annotations

import re

from netral.detect.document import Document

# Phrases that take no side in so many words (guideline points 7 and 9): "siapa pun yang menang /
# presidennya", "semua paslon", "ketiganya", and indecision: "masih bingung mau pilih", "belum
# nentuin pilihan". They lower weak evidence only (a praise or support word near a name):
# explicit support ("siapapun presidennya, pilihan saya tetap X") is left as it is. Matched on
# the normalised tokens joined by spaces ("yg" is "yang", "nyoblos" is "coblos").
_NO_SIDE = re.compile(
    r"(?:^| )(?:"
    r"siapa ?(?:pun|saja|aja) (?:yang )?(?:menang|jadi|terpilih|nanti|presiden|pemimpin|gubernur"
    r"|bupati|walikota|wali kota|capres|paslon|calon)\w*"
    r"|(?:semua|ketiga|seluruh|para) (?:paslon|capres|cawapres|calon|kandidat|pasangan|cagub"
    r"|cabup|cawalkot)\w*"
    r"|ketiganya|ketiga nya"
    r"|(?:bingung|galau|bimbang|ragu|nimbang|menimbang) (?:mau |mo |pengen |ingin |harus )?"
    r"(?:pilih|coblos|dukung|vote)\w*"
    r"|belum (?:nentuin|menentukan|tentukan|tahu|tau|punya|ada) (?:mau )?(?:pilih|coblos|dukung)\w*"
    r")(?= |$)"
)

# the words a ``_NO_SIDE`` phrase can open with, each followed by a space or the end, so a
# whole token when no token holds a space; the "siapa" of "siapa pun", "siapapun",
# "siapasaja" is looked for as text
_NO_SIDE_OPENS = frozenset({"semua", "ketiga", "seluruh", "para", "ketiganya", "bingung",
                            "galau", "bimbang", "ragu", "nimbang", "menimbang", "belum"})
_PUNCT = re.compile(r"[,.;:!?()\n]")
# words that turn indecision into someone else's, addressed by the writer: "buat yang masih
# galau", "kalau masih bingung" — the advice that follows is a call
_ADDRESSED = frozenset({"yang", "kalau", "kalo", "klo", "jika", "bila", "buat", "bagi", "untuk"})


def takes_no_side(doc: Document) -> bool:
    """Whether the text says in so many words that it takes no side (``_NO_SIDE``), as the
    writer's own words: not across punctuation ("yang masih galau, pilih 02 aja" is a call
    to the undecided), not said of others ("yang masih bingung"), not ranking the contestants."""
    tokens = doc.tokens
    joined = " ".join(tokens)
    if joined.count(" ") == len(tokens) - 1:  # no token holds a space (all, in practice)
        # one pass over the tokens finds both the ranking words and the words a phrase can
        # open with (``_NO_SIDE_OPENS``): most texts hold none, and that look-up costs a
        # third of a search of the regular expression, which tries its first group of
        # alternatives at every position (two thirds of the mitigations' time, issue 10)
        seen = _GATE.intersection(tokens)
        if not _RANKING.isdisjoint(seen):
            return False
        if "siapa" not in joined and _NO_SIDE_OPENS.isdisjoint(seen):
            return False
    elif not _RANKING.isdisjoint(tokens):
        return False
    # the phrase's own search on the plain token text says whether one is there before the
    # clause boundaries are marked (a match there never spans a "¦", so one is here too)
    if not _NO_SIDE.search(joined):
        return False
    nt = doc.nt
    words: list[str] = []
    for k, tok in enumerate(nt.tokens):
        if k and _PUNCT.search(nt.original[nt.tokens[k - 1].end:tok.start]):
            words.append("¦")  # a clause boundary: no phrase spans it
        words.append(tok.text)
    joined = " ".join(words)
    for m in _NO_SIDE.finditer(joined):
        before = joined[:m.start()].split()[-3:]
        if set(before) & _ADDRESSED:
            continue  # "yang / kalau masih bingung …": the undecided addressed, not the writer
        return True
    return False


# "yang paling mendingan dari ketiga capres": ranking the contestants takes a side (decisions
# D5, D23), whatever words of even-handedness it uses
_RANKING = frozenset({"paling", "lebih", "mendingan", "mending", "terbaik", "unggul"})
_GATE = _RANKING | _NO_SIDE_OPENS
