"""Hits that are letters random text holds by chance, not words someone wrote.

98,000 random letters, digits, '#' and '@' came out kampanye at 0.92: the normaliser split
random tokens at their digits ("a8ht6u8" -> a, 8, ht, 6, u, 8), a two- or three-letter party
acronym among the pieces ("ht", "pks", "pan") counted as an election term, that opened the
model's domain gate (``domain.trust_model``), and the model, reading noise, scored it high.
``real_hits`` drops such hits, of contestants and of cue words alike, before ``match`` reads
them.
"""

from __future__ import annotations

from operator import attrgetter

from netral.detect.domain import load_domain
from netral.detect.knowledge import Knowledge
from netral.detect.lexicon import Hit
from netral.text import NormText

# in a text swamped by noise, a hit needs MIN_NEAR_WORDS known words among the NEAR tokens on
# each side of it
NEAR = 4
MIN_NEAR_WORDS = 2
# a hit on a piece of a glued token this many letters long or longer is a word, not letters
# that fell together by chance
CHANCE_LETTERS = 5
_WORD_KINDS = frozenset(("word", "hashtag"))
# where the normaliser splits a word (netral.text.normalise)
_SEPARATORS = frozenset(".-*_·•/|")
_START = attrgetter("start")


def has_pieces(nt: NormText) -> bool:
    """Whether a token of the text was split into several (they share its span)."""
    starts = list(map(_START, nt.tokens))
    return len(set(starts)) < len(starts)


def real_hits(nt: NormText, hits: list[Hit], kb: Knowledge, noise: bool) -> list[Hit]:
    """The hits that are words someone wrote, not letters random text holds by chance: not a
    piece of a split token that the rest of it does not explain, or with ``noise`` (a text
    swamped by unknown words), not one without known words around it."""
    if not hits:
        return hits
    return _within_words(nt, hits, kb) if noise else _whole_pieces(nt, hits, kb)


def _within_words(nt: NormText, hits: list[Hit], kb: Knowledge) -> list[Hit]:
    """In a text swamped by noise (``domain.swamped``), a hit counts only with words around
    it: "Ayo coblos PKS nomor 8" pasted into a key dump still does, "abp" or "RK8" among
    random tokens (a three-letter name turns up every few thousand of them) does not."""
    toks = nt.tokens
    out = []
    for h in hits:
        i, j = h.i, max(h.i, h.j)
        around = [*toks[max(0, i - NEAR):i], *toks[j + 1:j + 1 + NEAR]]
        if sum(t.kind in _WORD_KINDS and not t.text.isdigit() and _known_piece(t.text, kb)
               for t in around) >= MIN_NEAR_WORDS:
            out.append(h)
    return out


def _whole_pieces(nt: NormText, hits: list[Hit], kb: Knowledge) -> list[Hit]:
    """Drop a hit on a short fragment of a glued token whose other pieces are not words: "pks"
    in "x9pks3", "ht" in "a8ht6u8" or "#NvHtSQgT2P", "pan" in "#pan1t0b". The normaliser
    splits a token at its digits, capitals and separators; when the other pieces are mostly
    words or numbers the split is a reading ("#PilihPKS", "pks2024", "#AniesSandiT3ladan"),
    and so it is when the writer split it ("PKS-PD") or wrote the piece in capitals among
    small letters ("#Te12dePAN"), or the piece is too long to be chance ("#DemokratS14P").
    Otherwise the name is a few letters random text holds by chance (98,000 random characters
    were kampanye at 0.92: their chance acronyms opened the model's domain gate, and the model
    scored the noise high)."""
    toks = nt.tokens
    n = len(toks)
    out = []
    for h in hits:
        i, j = h.i, h.j
        if j < i:  # a hashtag whose last token was not found: a whole tag, not a piece
            out.append(h)
            continue
        first, last = toks[i], toks[j]
        others = []
        k = i - 1
        while k >= 0 and toks[k].start == first.start and toks[k].end == first.end:
            others.append(toks[k].text)
            k -= 1
        k = j + 1
        while k < n and toks[k].start == last.start and toks[k].end == last.end:
            others.append(toks[k].text)
            k += 1
        if not others:
            out.append(h)
            continue
        letters = sum(len(t.text) for t in toks[i:j + 1] if t.text.isalpha())
        if letters >= CHANCE_LETTERS:
            out.append(h)
            continue
        raw = nt.original[first.start:last.end]
        if not _SEPARATORS.isdisjoint(raw):
            out.append(h)  # the writer split the words: "PKS-PD", "GP-MD"
            continue
        piece = "".join(t.text for t in toks[i:j + 1]).upper()
        if piece in raw and not raw.isupper() and (letters >= 3 or _wordlike(others)):
            # an acronym in capitals among small letters: "#HaqqulYaqinAMIN", and two capitals
            # among words, "#KemeriahanGPFestJogja" (not among random mixed case: "#OgPS")
            out.append(h)
            continue
        # the other pieces' letters mostly in words ("#pilihpks", "pks2024"; digits are
        # neutral), not chance letters ("a8ht6u8", "#NvHtSQgT2P": random capitals mark no words)
        known = unknown = 0
        for w in others:
            if w.isdigit():
                continue
            if _known_piece(w, kb):
                known += len(w)
            else:
                unknown += len(w)
        if known > unknown or not unknown:
            out.append(h)
    return out


def _wordlike(pieces: list[str]) -> bool:
    """Most letters of the pieces in pieces of three letters or more."""
    long = short = 0
    for w in pieces:
        if w.isdigit():
            continue
        if len(w) >= 3:
            long += len(w)
        else:
            short += len(w)
    return long > short


def _known_piece(w: str, kb: Knowledge) -> bool:
    """A piece of a split token that is a reading, not chance letters: a number, or a word of
    three or more letters the normaliser segments with or the model's training texts hold
    (two letters are too many to tell: 42 % of random pairs are training words)."""
    if w.isdigit():
        return True
    if len(w) < 3:
        return False
    if w in kb.normaliser.seg_vocab:
        return True
    domain = load_domain()
    return domain is not None and w in domain.words
