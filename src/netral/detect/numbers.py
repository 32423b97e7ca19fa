"""Evidence stages for ballot numbers ("coblos 02", "salam 3 jari") and number gestures (☝️✌️).

A number alone means little (times, dates, episodes, handles, quantities); it becomes a ballot
number through a cue word before it, a salute, or election context in the same text, and it is
mapped to the contestant the rest of the text makes most likely. A number glued to letters or
to other digits ("ep01", "ibulut02", "7:02:36", "03.05.2014", "tutuu.02") is part of a name,
a time or a date and never a ballot number; a bare "02" with nothing electoral around it
(a follow of "tutuu 02", "nov 02, 2015") is not one either (issue 15).
"""

from __future__ import annotations

from datetime import date
from itertools import compress

from netral.detect.cues import ironic
from netral.detect.document import Context, Document, Evidence
from netral.detect.knowledge import Knowledge
from netral.detect.lexicon import Hit
from netral.detect.wordsets import (
    GESTURE_NUM,
    NOT_BALLOT,
    NUM_CUES,
    PARTY_CTX,
    PILKADA_CTX,
    WEAK_ATTACK,
)
from netral.packs import Entity, Pack
from netral.text import NormText

# words after a number that make it a quantity or part of a slogan the lexicon already knows
_COUNT_WORDS = ("periode", "putaran", "kali", "tahun", "orang", "hari", "jam", "persen")
# "01 menang", "02 pasti menang": a pair's padded ballot number next to a win word is the
# supporters' chant (guideline point 2), not a score: matches are written "2-1", not "01"
_CHANT = ("menang",)
_CHANT_MODAL = ("pasti", "harus", "wajib", "auto", "bakal", "akan")


def victory_chant(tokens: list[str], k: int) -> int | None:
    """The index of the win word that makes padded pair number ``k`` a chant, or None."""
    nxt = tokens[k + 1] if k + 1 < len(tokens) else ""
    if nxt in _CHANT:
        return k + 1
    if nxt in _CHANT_MODAL and k + 2 < len(tokens) and tokens[k + 2] in _CHANT:
        return k + 2
    return None


def resolve_number(num: int, tokens: list[str], ent_hits: list[Hit], day: date | None,
                   kb: Knowledge) -> tuple[str, str] | None:
    """Map a ballot number to (pack, entity id) given the surrounding context; an empty
    entity id is a Pilkada pair whose region the text does not name."""
    toks = set(tokens)
    party = bool(toks & PARTY_CTX)
    pilkada = bool(toks & PILKADA_CTX)
    mentioned = {(h.entry.pack, h.entry.entity) for h in ent_hits}
    regions = kb.regions_named(toks)
    if not kb.numbered(num):
        return None
    # the contests the text names someone of, looked up once: each of a number's seventy-odd
    # candidates asked every mention for its entity and contest again (~80 µs a number)
    named_contests = frozenset((m[0], kb.entity(m[0], m[1]).contest) for m in mentioned)
    pack, e = choose_numbered(num, day, party, pilkada, named_contests, frozenset(regions), kb)
    # every region has its own pair 1, 2, 3: without its name the pair stays unnamed
    if (pack.election == "pilkada" and (pack.name, e.contest) not in regions
            and not any(m[0] == pack.name for m in mentioned)):
        return (pack.name, "") if pilkada else None
    return pack.name, e.id


CHOICES_MAX = 4096  # choices remembered per Knowledge (bounded memory; then afresh)


def choose_numbered(num: int, day: date | None, party: bool, pilkada: bool,
                    named_contests: frozenset[tuple[str, str | None]],
                    regions: frozenset[tuple[str, str]], kb: Knowledge) -> tuple[Pack, Entity]:
    """The entity of ``kb.numbered(num)`` (not empty) that the text's context makes most
    likely. Remembered by its arguments, all it depends on: a choice ranks the seventy-odd
    entities of a number (~40 µs), and a stream asks the same few again and again."""
    key = (num, day, party, pilkada, named_contests, regions)
    choices = kb.number_choices
    hit = choices.get(key)
    if hit is None:
        hit = _choose(num, day, party, pilkada, named_contests, regions, kb)
        if len(choices) >= CHOICES_MAX:
            choices.clear()
        choices[key] = hit
    return hit


def _choose(num: int, day: date | None, party: bool, pilkada: bool,
            named_contests: frozenset[tuple[str, str | None]],
            regions: frozenset[tuple[str, str]], kb: Knowledge) -> tuple[Pack, Entity]:
    def score(pe: tuple[Pack, Entity]) -> tuple:
        pack, e = pe
        in_force = day is not None and pack.in_force.contains(day)
        same_contest = (pack.name, e.contest) in named_contests
        kind_fit = (
            (e.kind in ("party", "local_party")) == party
            and ((pack.election == "pilkada") == pilkada or same_contest)
        )
        region_fit = (pack.name, e.contest) in regions
        return (in_force, region_fit, same_contest, kind_fit, e.kind == "pair",
                e.kind != "local_party", pack.election_date)

    # the first of the best, in the packs' and entities' order (kb.numbered)
    return max(kb.numbered(num), key=score)


_JOINERS = ".:/-_"


def glued(nt: NormText, k: int) -> bool:
    """Whether number token ``k`` is written as part of something longer in the original:
    a handle or a word ("ibulut02", "ep01"), a time or a date ("7:02:36", "03.05.2014")."""
    tok = nt.tokens[k]
    text = nt.original
    written = text[tok.start:tok.end]
    if tok.text in written and written != tok.text:
        return True  # one original token the normaliser split ("tutuu.02", "03.05.2014")
    before = text[tok.start - 1] if tok.start > 0 else " "
    after = text[tok.end] if tok.end < len(text) else " "
    if before.isalnum() or after.isalnum():
        return True
    before2 = text[tok.start - 2] if tok.start > 1 else " "
    after2 = text[tok.end + 1] if tok.end + 1 < len(text) else " "
    return (before in _JOINERS and before2.isdigit()) or (after in _JOINERS and after2.isdigit())


def _reported(ctx: Context) -> bool:
    """Whether the text reports (KPU information, news, civic calls) rather than campaigns."""
    return any(ctx.has(g) for g in ("info", "news", "civic"))


def _electoral(doc: Document, k: int, ballot: bool) -> bool:
    """Whether the text around number token ``k`` is about an election: an election word or
    any reference to a contestant, even a weak one ("Paket komplit 01 Amin"), the ballot's
    numbers together, or a vote or attack cue next to it ("asal jangan 01"). Everyday praise
    ("keren", "mantap") is not enough: it is said of episodes and players as well."""
    if doc.election_ctx or doc.ent_hits or ballot:
        return True
    if doc.ctx.near("vote_verbs", k, k, 3) is not None:
        return True
    attack = doc.ctx.near("attack", k, k, 3)
    return attack is not None and " ".join(doc.tokens[attack.i:attack.j + 1]) not in WEAK_ATTACK


_PADDED = frozenset({"01", "02", "03"})  # the pair numbers as ballots print them


def number_evidence(doc: Document, kb: Knowledge) -> None:
    tokens, ctx, ent_hits, election_ctx = doc.tokens, doc.ctx, doc.ent_hits, doc.election_ctx
    ev = doc.evidence
    n = len(tokens)
    if not any(map(str.isdigit, tokens)):  # the loop below reads numbers, and many texts have none
        return
    # several pair numbers side by side ("01 …, 02 …, 03 …") are the ballot itself: they are
    # each other's context, the way several weak names of one pair confirm each other
    padded = set() if _PADDED.isdisjoint(tokens) else \
        {t for k, t in enumerate(tokens) if t in _PADDED and not glued(doc.nt, k)}
    # asked at most once, and only of a "… jari" salute that needs it: a text of thousands of
    # numbers stays linear (hostile input)
    finger_emoji: bool | None = None
    resolved: dict[int, tuple[str, str] | None] = {}  # a number reads the same everywhere
    # the numbers of one or two digits, found in C: the loop reads nothing else
    for k in compress(range(n), map(str.isdigit, tokens)):
        tok = tokens[k]
        if len(tok) > 2:
            continue
        num = int(tok)
        if not 1 <= num <= 24:
            continue
        prev = tokens[k - 1] if k else ""
        prev2 = tokens[k - 2] if k > 1 else ""
        nxt = tokens[k + 1] if k + 1 < n else ""
        if nxt == "jari" and finger_emoji is None and not (prev == "salam" or election_ctx):
            finger_emoji = any(t.startswith("emo_") and t.endswith("jari") for t in tokens)
        salute = nxt == "jari" and (prev == "salam" or election_ctx or bool(finger_emoji))
        cued = prev in NUM_CUES or (prev2 in NUM_CUES and prev in ("nomor", "urut", "for", "to"))
        zero = tok.startswith("0") and num <= 3  # "02" standing alone is a common pair reference
        if not (cued or salute) and glued(doc.nt, k):
            continue  # "ep01", "ibulut02", "7:02:36", "03.05.2014" ("#Nomor4" is cued)
        if prev in NOT_BALLOT and not cued:
            continue
        if prev == "nomor" and prev2 in NOT_BALLOT:
            continue
        chant = victory_chant(tokens, k) if zero else None
        if not (cued or salute or chant is not None
                or (zero and _electoral(doc, k, len(padded) >= 2))):
            continue  # a bare number needs electoral context in the same text
        if nxt in _COUNT_WORDS:
            continue
        if num not in resolved:
            resolved[num] = resolve_number(num, tokens, ent_hits, doc.day, kb)
        target = resolved[num]
        if target is None:
            continue
        pack, ent = target
        i = k - 1 if (cued or salute) and k else k
        j = k + 1 if salute else k
        vote = ctx.near("vote_verbs", i, j)
        attack = ctx.near("attack", i, j, 4)
        support = ctx.near("support", i, j, 4)
        named = any(h.entry.pack == pack and h.entry.entity == ent for h in ent_hits)
        ctx_scale = 1.0 if (election_ctx or named) else 0.6
        if salute:
            ev.append(Evidence("atribut_gestur", i, j, pack, ent or None, 0.82, "pattern", True))
        elif vote is not None and ctx.negated(vote):
            neg = ctx.negated(vote)
            ev.append(Evidence("serangan", min(neg.i, i), j, pack, ent or None, 0.85,
                               "pattern", True, "oppose"))
        elif attack is not None and not ctx.negated(attack) and attack.i < i:
            ev.append(Evidence("serangan", attack.i, j, pack, ent or None, 0.8 * ctx_scale,
                               "pattern", election_ctx, "oppose"))
        elif vote is not None or prev in ("coblos", "pilih", "menangkan", "dukung", "allin"):
            s = min(vote.i, i) if vote else i
            e = max(vote.j, j) if vote else j
            # "pilih nomor 2" alone may be a menu; with election context it is a ballot
            w = 0.9 if (election_ctx or named) else 0.35
            ev.append(Evidence("ajakan_memilih", s, e, pack, ent or None, w, "pattern",
                               election_ctx or named))
        elif chant is not None:
            # reported results ("quick count: 02 menang 58 %") are news: context lowers them
            ev.append(Evidence("dukungan", i, chant, pack, ent or None, 0.82, "pattern",
                               not _reported(ctx)))
        elif support is not None and not ctx.negated(support):
            if ironic(doc, support.i, support.j, i, j):
                # "hebat ya 02, … tapi anggaran dipotong": praise turned around (cues.ironic)
                ev.append(Evidence("serangan", support.i, j, pack, ent or None,
                                   0.6 * ctx_scale, "pattern", False, "oppose", "sindiran"))
                continue
            # praise bound to a ballot number ("paslon 2, bagus bgt") names the pair as the
            # ballot does: explicit, above the combiner's floor (floors.FLOOR_AT)
            ev.append(Evidence("dukungan", min(support.i, i), max(support.j, j), pack,
                               ent or None, 0.82 * ctx_scale, "pattern", election_ctx or named))
        elif election_ctx or named:
            # the number together with the same contestant's name reads as a campaign tag,
            # unless the text reports the draw or the list (KPU info, news): then it is a fact
            ev.append(Evidence("nomor_urut", i, j, pack, ent or None, 0.7 if named else 0.45,
                               "pattern", named and not _reported(ctx)))
        elif zero:  # "02" with electoral context elsewhere in the text (checked above)
            ev.append(Evidence("nomor_urut", i, j, pack, ent or None, 0.42, "pattern"))


def gesture_evidence(doc: Document, kb: Knowledge) -> None:
    """Finger salutes; they count only with a matching number or some election context."""
    tokens, ent_hits, ev = doc.tokens, doc.ent_hits, doc.evidence
    if GESTURE_NUM.keys().isdisjoint(tokens):  # no salute: most texts
        return
    # runs after the name and number stages on purpose: their evidence is context here
    strong_ctx = (doc.election_ctx or any(e.weight >= 0.4 for e in ev)
                  or doc.ctx.has("vote_verbs"))
    numbers = {int(t) for t in tokens if t.isdigit() and len(t) <= 2}
    resolved: dict[int, tuple[str, str] | None] = {}  # the same for every salute of a number
    for k, tok in enumerate(tokens):
        num = GESTURE_NUM.get(tok)
        if num is None:
            continue
        # no date, unlike number_evidence: a salute is resolved from the text alone
        if num not in resolved:
            resolved[num] = resolve_number(num, tokens, ent_hits, None, kb) if num <= 3 else None
        target = resolved[num]
        if num in numbers and target is not None:  # "nmr 1 … 👆": number and salute agree
            pack, ent = target
            ev.append(Evidence("atribut_gestur", k, k, pack, ent or None,
                               0.72 if strong_ctx else 0.4, "pattern", strong_ctx))
            continue
        if num == 4:
            # four fingers is the "salam 4 jari" movement, not a ballot number
            camp = next((h for h in ent_hits if kb.entity(h.entry.pack, h.entry.entity)
                         .kind == "camp"), None)
            if camp or strong_ctx:
                ev.append(Evidence("atribut_gestur", k, k, "pemilu-2024" if camp else None,
                                   "camp-salam4jari" if camp else None, 0.6, "pattern"))
            continue
        if target is None:
            continue
        pack, ent = target
        w = 0.7 if strong_ctx else 0.15
        ev.append(Evidence("atribut_gestur", k, k, pack, ent or None, w, "pattern"))
