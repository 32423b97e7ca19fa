"""Stage 1, match: lexicon, hashtag and account hits, read in one election per span.

Cue words go to ``doc.ctx`` by group; references to contestants go to ``doc.ent_hits``
after the ambiguous ones (a name in two packs, a short acronym, a word only meaningful in
one election) have been resolved or dropped.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from datetime import date
from operator import attrgetter, sub

from netral.detect.chance import has_pieces, real_hits
from netral.detect.document import Document
from netral.detect.domain import swamped
from netral.detect.knowledge import Knowledge
from netral.detect.lexicon import Entry, Hit
from netral.detect.wordsets import PROMOTE_SKIP
from netral.text import NormText

_WEAK_GROUPS = ("weak_name", "weak_slogan", "weak_hashtag")
_START, _END = attrgetter("start"), attrgetter("end")


def match(doc: Document, kb: Knowledge) -> None:
    nt = doc.nt
    groups = doc.ctx.groups
    ent_hits = kb.lexicon.match(nt.text, nt.starts, groups)
    ent_hits.extend(_hashtag_hits(nt, kb))
    ent_hits.extend(_account_hits(nt, kb))
    # hits that are letters random text holds by chance: pieces of a split token (most texts
    # split none), and in a text swamped by noise (only a text with an election term left:
    # one without is netral there anyway, domain.outside_language), hits with no words around
    if (ent_hits or groups) and has_pieces(nt):
        ent_hits = _real(nt, ent_hits, groups, kb, False)
    if (ent_hits or groups.get("election")) and swamped(nt):
        doc.noise = True
        ent_hits = _real(nt, ent_hits, groups, kb, True)
    ent_hits = _one_pack_per_span(_longest(ent_hits), doc.day, kb)
    doc.live = kb.live_packs(doc.day)
    doc.after_vote = kb.after_vote(doc.live, doc.day)
    doc.out_of_season = kb.out_of_season(doc.live, doc.day)
    if doc.live:  # ambiguous words only mean something in the election in force at the date
        ent_hits = [h for h in ent_hits if h.entry.pack in doc.live
                    or h.entry.group not in _WEAK_GROUPS]
    doc.ent_hits, doc.confirmed = _weak_hits(nt, ent_hits)
    doc.pack_weight = kb.pack_weights(doc.live, doc.day)
    doc.tokens = nt.words  # read by every later stage, changed by none
    doc.election_ctx = doc.ctx.has("election") or any(
        h.entry.group in ("name", "hashtag", "slogan") for h in doc.ent_hits
    )


def _real(nt: NormText, ent_hits: list[Hit], groups: dict[str, list[Hit]], kb: Knowledge,
          noise: bool) -> list[Hit]:
    """``chance.real_hits`` of the references to contestants (returned) and of the cue words
    (``groups``, in place): "tps" in "x8tps2" is no election word either."""
    for name, hits in list(groups.items()):
        kept = real_hits(nt, hits, kb, noise)
        if not kept:
            del groups[name]
        elif len(kept) < len(hits):
            groups[name] = kept
    return real_hits(nt, ent_hits, kb, noise)


def _one_pack_per_span(hits: list[Hit], day: date | None, kb: Knowledge) -> list[Hit]:
    """A name found in several packs (Prabowo in 2019 and 2024) is read in one election:
    the one in force at the date, else the one other names in the text point to, else the
    most recent."""
    packs_of: dict[tuple[int, int], set[str]] = {}
    several = False
    for h in hits:
        pack = h.entry.pack
        got = packs_of.get((h.i, h.j))
        if got is None:
            packs_of[(h.i, h.j)] = {pack}
        elif pack not in got:
            got.add(pack)
            several = True
    if not several:  # most texts: every span in one pack
        return hits
    unique_support: dict[str, int] = {}
    for v in packs_of.values():
        if len(v) == 1:
            p = next(iter(v))
            unique_support[p] = unique_support.get(p, 0) + 1
    ranks: dict[str, tuple] = {}  # each pack's rank once, not once per span it is in

    def rank(pack: str) -> tuple:
        r = ranks.get(pack)
        if r is None:
            p = kb.pack_by_name[pack]
            live = day is not None and p.in_force.contains(day)
            r = ranks[pack] = (live, unique_support.get(pack, 0), p.election_date)
        return r

    # spans in one pack keep all their hits; of the others, only the chosen pack's
    chosen = {span: max(v, key=rank) for span, v in packs_of.items() if len(v) > 1}
    return [h for h in hits
            if (c := chosen.get((h.i, h.j))) is None or h.entry.pack == c]


def _weak_hits(nt: NormText, hits: list[Hit]) -> tuple[list[Hit], set[tuple[str, str]]]:
    """Short acronyms (PAS, PD, HT) count only when written in capitals, where they read as
    names; several weak references to one contestant (AMIN + perubahan + ☝️) confirm
    each other."""
    out: list[Hit] = []
    weak_count: dict[tuple[str, str], set[str]] = {}
    for h in hits:
        if h.entry.group == "weak_name":
            s, e = nt.token_span(h.i, h.j)
            letters = "".join(c for c in nt.original[s:e] if c.isalpha())
            if len(letters) <= 3 and not letters.isupper():
                continue
            if (letters.isupper() and len(letters) <= 4 and letters.lower() not in PROMOTE_SKIP
                    and not _acronym_of_something_else(nt.original, s, e)):
                h = Hit(Entry("name", h.entry.pack, h.entry.entity), h.i, h.j)
        if h.entry.group in ("weak_name", "weak_slogan", "weak_hashtag", "gesture"):
            alias = " ".join(t.text for t in nt.tokens[h.i:h.j + 1])
            weak_count.setdefault((h.entry.pack, h.entry.entity), set()).add(alias)
        out.append(h)
    confirmed = {k for k, spans in weak_count.items() if len(spans) >= 2}
    if confirmed:
        out = [Hit(Entry("name", h.entry.pack, h.entry.entity), h.i, h.j)
               if h.entry.group == "weak_name" and (h.entry.pack, h.entry.entity) in confirmed
               else h for h in out]
    return out, confirmed


_GLUED_DIGIT = re.compile(r"[A-Z]\d(?!\d)")  # "PS4", not "PS2024"


def _acronym_of_something_else(original: str, start: int, end: int) -> bool:
    """A capitals acronym glued to a digit ("PS4", "#PS5") names a product, and one followed by
    a colon ("PS: …", the postscript) closes a letter: neither is the contestant's initials
    ("PS 08", "PS 2024" are, and stay weak names that context or a second reference confirms).
    The pieces of a glued token share its span ("PS4" is "ps" and "4" over the same three
    characters), hence the look inside the span."""
    return original[end:end + 1] == ":" or _GLUED_DIGIT.search(original, start, end) is not None


def _hashtag_hits(nt: NormText, kb: Knowledge) -> list[Hit]:
    out = []
    find: TokenFinder | None = None
    for tag in nt.hashtags:
        entries = kb.lexicon.hashtags.get(tag.text)
        if not entries:
            continue
        find = find or TokenFinder(nt)
        i = find.at(tag.start)
        j = find.at(tag.end - 1, last=True)
        out.extend(Hit(e, i, j) for e in entries)
    return out


def _account_hits(nt: NormText, kb: Knowledge) -> list[Hit]:
    out = []
    find: TokenFinder | None = None
    for m in nt.mentions:
        for e in kb.lexicon.accounts.get(m.text, ()):
            find = find or TokenFinder(nt)
            i = find.at(m.start)
            out.append(Hit(Entry("name", e.pack, e.entity), i, i))
    return out


def _longest(hits: list[Hit]) -> list[Hit]:
    """Drop hits strictly inside a longer name/hashtag/slogan hit (``prabowo`` inside
    ``prabowo sandi`` or ``#PrabowoGibran``): the longer reference is the more specific one.
    Of a pair and a party sharing one name (Prabowo/Gerindra), keep the pair."""
    # only a hit over several tokens can hold a shorter one: most texts have none
    outer = [h for h in hits if h.j > h.i and h.entry.group in ("name", "hashtag", "slogan", "mock",
                                                                 "mock_camp")]
    if outer:
        # hit o holds a shorter hit h when o.i <= h.i, h.j <= o.j and the spans differ: of
        # the longer hits starting at each token, the furthest end is all that tells; a hit
        # can only be inside one that starts at most the longest span before it (linear in a
        # text of thousands of names)
        reach: dict[int, int] = {}
        for o in outer:
            if reach.get(o.i, -1) < o.j:
                reach[o.i] = o.j
        longest = max(o.j - o.i for o in outer)
        get = reach.get
        out = []
        for h in hits:
            i, j = h.i, h.j
            if get(i, -1) > j:  # one starting where h does and ending after it
                continue
            # one starting before h and ending at or after it: it starts >= j - longest (a
            # hashtag whose last token was not found has j = 0 < i: then >= i - longest)
            for s in range(max(i, j) - longest, i):
                if get(s, -1) >= j:
                    break
            else:
                out.append(h)
    else:
        out = hits
    pair_spans = {(h.i, h.j, h.entry.pack) for h in out
                  if h.entry.entity and h.entry.entity.startswith("pair")}
    if not pair_spans:
        return out
    return [h for h in out if not (h.entry.entity and h.entry.entity.startswith("party")
                                   and (h.i, h.j, h.entry.pack) in pair_spans)]


class TokenFinder:
    """Tokens by where they stand in the original, found by bisection over the tokens' starts:
    a text of thousands of tags or mentions costs thousands of short look-ups, not tags ×
    tokens (hostile input)."""

    def __init__(self, nt: NormText) -> None:
        self.tokens = nt.tokens
        # C-level maps and a sort, not Python loops: a finder is made for most texts that
        # name an account
        self.starts = starts = list(map(_START, nt.tokens))
        self.ordered = starts == sorted(starts)  # timsort sees a sorted list in one pass
        self.longest = max(map(sub, map(_END, nt.tokens), starts), default=0)

    def at(self, pos: int, last: bool = False) -> int:
        """The first (or ``last``) token covering ``pos`` (0 when none does)."""
        if self.ordered:
            lo = bisect_left(self.starts, pos - self.longest + 1)
            idx = [k for k in range(lo, bisect_right(self.starts, pos))
                   if self.tokens[k].end > pos]
        else:
            idx = [k for k, t in enumerate(self.tokens) if t.start <= pos < t.end]
        if not idx:
            return 0
        return idx[-1] if last else idx[0]

    def within(self, start: int, end: int) -> list[int]:
        """The tokens wholly inside characters ``start``..``end`` of the original, in order."""
        if not self.ordered:
            return [k for k, t in enumerate(self.tokens) if start <= t.start and t.end <= end]
        out = []
        for k in range(bisect_left(self.starts, start), len(self.tokens)):
            if self.starts[k] >= end:
                break
            if self.tokens[k].end <= end:
                out.append(k)
        return out
