"""Where the statistical model may be trusted: texts made of the words it was trained on.

The model learned Indonesian and regional election talk; on Russian, Chinese, Spanish or most
English its probability is noise (issue 15: "@a_pap Спасибо!" and "No te preocupes, neno."
came out risky). The share of a text's words that the training texts contain — its coverage —
says whether the text is inside what the model saw. The vocabulary and the coverage threshold
are built and calibrated from the training data by ``tools/corpus/build_domain.py``
(``data/domain.json``; leave-one-source-out, so the threshold is what an Indonesian text from a
source nobody trained on reaches).

Outside that region the model is not asked (its score is dropped), and a text with no election
term at all — no contestant, slogan, hashtag or election word — is netral: what is left are
numbers and gestures, which mean nothing without electoral context.

A like, follow or join judged on an account's handle alone ("ibulut02", "Native_01 (Native
01)") is the same case: a handle is a name, not a sentence in any language, and not a
declaration; it counts only through the election terms the lexicon finds in it (a contestant's
or a campaign team's account).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

import orjson

from netral.detect.document import Document
from netral.detect.knowledge import Knowledge
from netral.kinds import INTERACTION_KINDS
from netral.text import NormText
from netral.text.language import foreign

if TYPE_CHECKING:
    from netral.detect.lexicon import Hit

MIN_COUNT = 2  # a word the training texts contain at least this often is known
MIN_WORDS = 2  # fewer Latin-script words than this say nothing about the language
# a text of at least NOISE_MIN_WORDS words (of three letters or more), fewer than
# NOISE_COVERAGE of which the training texts hold, is noise to the model even with an election
# term in it (random text reaches about 0.05; the lowest texts of the training split, floods of
# hashed handles, reach 0.2 and 0.26)
NOISE_MIN_WORDS = 12
NOISE_COVERAGE = 0.15
# the score a text outside the model's region and without any election term is held under
OUTSIDE_CAP = 0.2
# an account handle as the audit writes a liked/followed target: "@name", "na.me_02", or
# "na.me_02 (na me 02)" (netral.kinds.readable_handle)
_HANDLE = re.compile(r"@?[\w.]+(?: \([\w ]+\))?", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Domain:
    words: frozenset[str]
    threshold: float


@lru_cache(maxsize=1)
def load_domain() -> Domain | None:
    res = resources.files("netral.detect").joinpath("data", "domain.json")
    if not res.is_file():
        return None
    spec = orjson.loads(res.read_bytes())
    return Domain(frozenset(spec["words"]), float(spec["threshold"]))


def word_tokens(nt: NormText) -> list[str]:
    """The text's words as the normaliser reads them: letters only, two or more of them
    (mentions, links, numbers, emoji and punctuation say nothing about the language)."""
    return [t.text for t in nt.tokens if t.kind == "word" and len(t.text) >= 2 and t.text.isalpha()]


def _judgeable(words: list[str]) -> bool:
    # one Chinese or Cyrillic word is already not Indonesian; one Latin word may be either
    return len(words) >= MIN_WORDS or any(not w.isascii() for w in words)


def coverage(nt: NormText, domain: Domain) -> float | None:
    """Share of the text's words the model was trained on; None when there are too few
    words to tell."""
    words = word_tokens(nt)
    if not words or not _judgeable(words):
        return None
    return sum(w in domain.words for w in words) / len(words)


def swamped(nt: NormText) -> bool:
    """A long run of words almost none of which the training texts hold: random letters, a
    base64 blob, a key or hash dump (hashtags' words count: a flood of random tags is one too).
    The model reads such a text as noise (98,000 random characters scored 0.6 and came out
    kampanye), and a name in it is one only where words stand around it
    (``chance._within_words``)."""
    domain = load_domain()
    if domain is None:
        return False
    # the words and the hashtags' words ("urltoken" is one too, and known)
    alpha = list(filter(str.isalpha, nt.words))
    if len(alpha) < NOISE_MIN_WORDS:
        return False
    known = domain.words.__contains__
    if sum(map(known, alpha)) >= len(alpha) / 2:  # most texts: half their words known
        return False
    # words of three letters or more: 42 % of random letter pairs are training words, 5 % of
    # triples, 0.4 % of quadruples
    words = [w for w in alpha if len(w) >= 3]
    return len(words) >= NOISE_MIN_WORDS and sum(map(known, words)) < NOISE_COVERAGE * len(words)


def trust_model(doc: Document, kb: Knowledge) -> None:
    """Drop the model's score for a text outside the region it was trained on: in a language
    it did not learn and about nothing electoral."""
    domain = load_domain()
    if domain is None:
        return
    if election_term(doc):
        # a contestant, slogan or election word is the model's subject, whatever the language
        # around it (code-mixed posts: "Gibran zero tata krama! Savage, cringe"), unless it is
        # swamped by words nobody wrote in any text the model saw
        doc.in_domain = not doc.noise
    elif doc.kind in INTERACTION_KINDS and _HANDLE.fullmatch(doc.nt.original.strip()):
        doc.in_domain = False  # a bare handle: a name, not language the model could read
    elif not word_tokens(doc.nt):
        # only numbers, dates, times, emoji or links ("02-08-23", "7:02:36pm"): no language to
        # read, and a number without electoral context is not a ballot number
        doc.in_domain = False
    else:
        cov = coverage(doc.nt, domain)
        doc.in_domain = cov is None or cov >= domain.threshold
    if not doc.in_domain:
        doc.model_used = False
        doc.model_p = 0.0


def election_term(doc: Document) -> bool:
    """Any contestant, slogan, hashtag or election word in the text."""
    return doc.election_ctx or bool(doc.ent_hits)


def outside_language(doc: Document, kb: Knowledge) -> None:
    """A text the model cannot read and with no election term is netral. So is one in a
    language the model did not learn that only the model would flag: its words may all be
    training words (English ones are), but nothing in it names an election, and the model's
    reading of English is noise (asked only here, of the few texts that would otherwise be
    flagged: ``netral.text.language``)."""
    if doc.score <= OUTSIDE_CAP:
        return
    # only where the model alone would flag it: a ballot number or gesture in a foreign-looking
    # post ("Go go nomor 2 ❤❤", "Alll in 02") is the rules' to weigh
    if doc.in_domain and _names_nothing(doc) and foreign(doc.nt.original):
        doc.in_domain = False
        doc.model_used = False
        doc.model_p = 0.0
        doc.score = OUTSIDE_CAP
    elif not doc.in_domain and not election_term(doc):
        doc.score = OUTSIDE_CAP


def _names_nothing(doc: Document) -> bool:
    """No election word, no rule evidence, and no reference to a contestant but an ambiguous
    acronym inside a longer hashtag ("#PeterPan", "#HTHarvest", "#GPRepost": PAN, HT, GP), whose
    only evidence is a weak mention."""
    if doc.election_ctx:
        return False
    pieces = {(h.i, h.j) for h in doc.ent_hits if _tag_piece(doc.nt, h)}
    if len(pieces) < len(doc.ent_hits):
        return False
    return all(ev.category == "sebutan_calon" and (ev.i, ev.j) in pieces for ev in doc.evidence)


def _tag_piece(nt: NormText, hit: Hit) -> bool:
    """A weak name that is only part of its hashtag's letters."""
    if hit.entry.group != "weak_name" or nt.tokens[hit.i].kind != "hashtag":
        return False
    start, end = nt.token_span(hit.i, hit.j)
    tag = nt.original[start:end].lstrip("#")
    return len(tag) > sum(len(t.text) for t in nt.tokens[hit.i:hit.j + 1])
