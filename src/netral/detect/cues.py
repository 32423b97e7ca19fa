"""Evidence stages around named contestants: stance, membership, photos, interactions and
the global call to vote.

Each stage appends ``Evidence`` to ``doc.evidence``; weights are the rule layer's prior
belief that the span is campaigning, before context and pack weights lower them.
"""

from __future__ import annotations

from netral.detect.context import asks_choice
from netral.detect.document import Document, Evidence
from netral.detect.knowledge import Knowledge
from netral.detect.lexicon import Hit
from netral.detect.nicknames import GROUPS as NICKNAMES
from netral.detect.nicknames import nickname_evidence
from netral.detect.voice import (
    own_membership,
    subject_choosing_another,
    third_party_subject,
    told_form,
)
from netral.detect.wordsets import (
    CAMPAIGN_ACCOUNT_WORDS,
    CANDIDATE_ROLES,
    FIRST_PERSON,
    PARTY_MEMBER,
    UNDECIDED,
    WEAK_ATTACK,
)

# the word before a coalition's name, which may be a camp's slogan word ("Perubahan",
# "Indonesia Maju"): news names the coalition so in every other sentence (guideline point 6)
_COALITION = frozenset({"koalisi"})


def entity_evidence(doc: Document, kb: Knowledge) -> None:
    """Names, slogans, hashtags and mocking nicknames of contestants."""
    ctx, tokens, ev = doc.ctx, doc.tokens, doc.evidence
    named = {(h.entry.pack, h.entry.entity) for h in doc.ent_hits
             if h.entry.group in ("name", "hashtag", *NICKNAMES)} | doc.confirmed
    opening = opening_handles(doc)
    for h in doc.ent_hits:
        g = h.entry.group
        pack, ent = h.entry.pack, h.entry.entity
        entity = kb.entity(pack, ent)
        if entity.kind == "camp":
            ev.append(Evidence("serangan", h.i, h.j, pack, ent, 0.85, "lexicon", True, "oppose"))
            continue
        weak = g in ("weak_name", "weak_slogan", "weak_hashtag")
        if weak and not (doc.election_ctx or (pack, ent) in named):
            continue
        if g in NICKNAMES:
            nickname_evidence(doc, kb, h)
            continue
        if g == "hashtag":
            neg = ctx.near("negation", h.i, h.j, 1) or ctx.near("attack", h.i, h.j, 2)
            ev.append(Evidence("slogan_tagar", h.i, h.j, pack, ent, 0.82, "lexicon", True,
                               "oppose" if neg and neg.j < h.i else "support"))
            continue
        if g in ("slogan", "weak_slogan", "weak_hashtag"):
            if g != "weak_hashtag" and h.i > 0 and tokens[h.i - 1] in _COALITION:
                continue  # "Koalisi Perubahan", "Koalisi Indonesia Maju": a coalition's name
            w = 0.7 if g == "slogan" else 0.5
            if ctx.near("support", h.i, h.j) or ctx.near("calls", h.i, h.j):
                w += 0.15
            ev.append(Evidence("slogan_tagar", h.i, h.j, pack, ent, w, "lexicon", g == "slogan"))
            continue
        if g == "gesture":
            continue  # judged with numbers and context in numbers.gesture_evidence
        # a reference to the contestant by name: look for stance cues around it
        found = len(ev)
        _stance(doc, kb, h, pack, ent, weak)
        if found < len(ev) and h.i > 0 and h.j < opening:
            for e in ev[found:]:
                e.weight *= COPIED_IN
                e.strong = False


# A reply opens on the handles of the thread it answers, which the platform fills in: "@user
# @gibran_tweet Goblok" insults the user answered, not the contestant copied in. A stance cue
# bound to such a handle is the combiner's to weigh, not explicit: below the floor and not
# strong (floors.FLOOR_AT). On the training split, the texts floored by such a binding alone
# were 52 campaign and 73 netral (point 11 most). A handle that opens the text is the one
# answered, and stays.
COPIED_IN = 0.75


def opening_handles(doc: Document) -> int:
    """How many handles open the text (a reply's thread); a hit on any but the first
    (``hit.i > 0`` and ``hit.j`` below this) is a contestant copied in."""
    n = 0
    for t in doc.nt.tokens:
        if t.kind != "mention":
            break
        n += 1
    return n


def _stance(doc: Document, kb: Knowledge, h: Hit, pack: str, ent: str, weak: bool) -> None:
    ctx, ev = doc.ctx, doc.evidence
    vote = ctx.near("vote_verbs", h.i, h.j)
    attack = ctx.near("attack", h.i, h.j)
    support = ctx.near("support", h.i, h.j)
    call = ctx.has("calls")
    scale = 0.85 if weak else 1.0
    if vote is not None:
        negated = ctx.negated(vote)
        if negated:
            ev.append(Evidence("serangan", min(negated.i, h.i), max(vote.j, h.j), pack, ent,
                               0.85 * scale, "pattern", True, "oppose"))
        else:
            first_person = any(t in FIRST_PERSON or t.endswith("ku")
                               for t in doc.tokens[max(0, vote.i - 2):vote.j + 1])
            i, j = min(vote.i, h.i), max(vote.j, h.j)
            undecided = any(t in UNDECIDED for t in doc.tokens[max(0, vote.i - 2):vote.i])
            if undecided or asks_choice(doc, vote.i, vote.j):  # "bingung pilih X", "pilih siapa?"
                ev.append(Evidence("sebutan_calon", i, j, pack, ent, 0.3 * scale, "pattern",
                                   note="ragu" if undecided else "tanya"))
                return
            if not (call or first_person) and (
                    third_party_subject(doc, kb, vote.i, (pack, ent))
                    or subject_choosing_another(doc, kb, h, vote.i, vote.j)
                    or told_form(doc, vote.i)):
                # "PKB cenderung pilih Ganjar", "Nasdem pilih Anies", "dia dukung Prabowo":
                # somebody else's choice, told — not the writer's call to vote
                ev.append(Evidence("dukungan", i, j, pack, ent, 0.5 * scale, "pattern", False,
                                   note="pilihan_pihak_lain"))
                return
            cat = "ajakan_memilih" if call or not first_person else "dukungan"
            ev.append(Evidence(cat, i, j, pack, ent, 0.88 * scale, "pattern", True))
        return
    if attack is not None and not ctx.negated(attack):
        i, j = min(attack.i, h.i), max(attack.j, h.j)
        weak_attack = " ".join(doc.tokens[attack.i:attack.j + 1]) in WEAK_ATTACK
        ev.append(Evidence("serangan", i, j, pack, ent, (0.6 if weak_attack else 0.8) * scale,
                           "pattern", not weak_attack, "oppose"))
        return
    if support is not None and not ctx.negated(support):
        i, j = min(support.i, h.i), max(support.j, h.j)
        if ironic(doc, support.i, support.j, h.i, h.j):
            ev.append(Evidence("serangan", i, j, pack, ent, 0.6 * scale, "pattern", False,
                               "oppose", "sindiran"))
            return
        ev.append(Evidence("dukungan", i, j, pack, ent, 0.78 * scale, "pattern", True))
        return
    ev.append(Evidence("sebutan_calon", h.i, h.j, pack, ent, 0.2 * scale, "lexicon"))


# "Wah hebat ya 02, janji makan siang gratis tapi anggaran dipotong": praise said with a mocking
# tag ("hebat ya", laughter), then turned around by a "but", is an attack dressed as praise
# (issue 15), weighed as a weak attack. Praise with a "but" alone ("lelah tapi bahagia") stays.
CONTRAST = frozenset({"tapi", "tetapi", "namun", "padahal", "sayangnya"})
_MOCK_TAGS = frozenset({"ya", "yah", "yaa", "deh", "dong", "sekali"})


def ironic(doc: Document, praise_i: int, praise_j: int, target_i: int, target_j: int) -> bool:
    """Praise before a contestant, said mockingly, and turned around later by a contrast."""
    tokens = doc.tokens
    if praise_j >= target_i or not any(t in CONTRAST for t in tokens[target_j + 1:]):
        return False
    tagged = praise_j + 1 < len(tokens) and tokens[praise_j + 1] in _MOCK_TAGS
    return tagged or "emo_tawa" in tokens


def membership_evidence(doc: Document, kb: Knowledge) -> None:
    """"Kader PDIP": party membership, looked for in bios and next to support words only."""
    if not (doc.kind == "bio" or doc.ctx.has("support")):
        return
    tokens = doc.tokens
    for h in doc.ent_hits:
        entity = kb.entity(h.entry.pack, h.entry.entity)
        if entity.kind not in ("party", "local_party") or h.entry.group != "name":
            continue
        member = next((k for k in range(max(0, h.i - 3), h.i) if tokens[k] in PARTY_MEMBER),
                      None)
        if member is None:
            continue
        if doc.kind == "bio" or own_membership(doc, member):
            doc.evidence.append(Evidence("anggota_partai", max(0, h.i - 3), h.j, h.entry.pack,
                                         h.entry.entity, 0.85, "pattern", True))
        else:
            # "Ketua DPP PDIP Puan mengatakan …", "kader NasDem mundur": a title or
            # somebody else's membership, told (guideline point 6), not the writer's
            doc.evidence.append(Evidence("anggota_partai", max(0, h.i - 3), h.j, h.entry.pack,
                                         h.entry.entity, 0.5, "pattern", False,
                                         note="anggota_pihak_lain"))


_PHOTO = frozenset({"foto", "selfie", "swafoto", "photo", "wefie", "fotbar", "potret", "poto"})
# "foto bareng X": the words that make a photo one taken *with* somebody
_WITH = frozenset({"bareng", "bersama", "dengan", "sama", "ama", "bersanding", "with"})


def candidate_photo(doc: Document, kb: Knowledge) -> None:
    """"Foto bareng Mas Gibran" or "foto bareng Pak Cagub di kampanye": a photo with a
    candidate is SKB point G, so it is at least for review (issue 15), named or not."""
    ctx, tokens = doc.ctx, doc.tokens
    for k, tok in enumerate(tokens):
        if tok not in _PHOTO:
            continue
        with_at = next((m for m in range(k + 1, min(len(tokens), k + 4)) if tokens[m] in _WITH),
                       None)
        person = None
        if with_at is not None or tok in ("selfie", "swafoto", "wefie", "fotbar"):
            start = (with_at if with_at is not None else k) + 1
            person = next((h for h in doc.ent_hits if start <= h.i <= start + 3
                           and h.entry.group in ("name", "weak_name")
                           and kb.entity(h.entry.pack, h.entry.entity).kind != "camp"), None)
        if person is not None:
            w = 0.6 + (0.15 if ctx.has("support") else 0.0)
            doc.evidence.append(Evidence("atribut_gestur", k, person.j, person.entry.pack,
                                         person.entry.entity, w, "pattern", True,
                                         note="foto_bersama"))
            return
        window = tokens[k + 1:k + 5]
        if any(t in CANDIDATE_ROLES for t in window):
            w = 0.55 + (0.2 if ctx.has("support") else 0.0) + (0.1 if ctx.has("election") else 0.0)
            doc.evidence.append(Evidence("atribut_gestur", k, min(len(tokens) - 1, k + 4), None,
                                         None, min(w, 0.85), "pattern", ctx.has("support")))
            return


def interaction_evidence(doc: Document, kb: Knowledge) -> None:
    """A follow/join/like whose target (account/group/page name) is a contestant's."""
    if doc.kind not in ("follow", "join", "like") or not doc.ent_hits:
        return
    tokens = doc.tokens
    campaignish = bool(set(tokens) & CAMPAIGN_ACCOUNT_WORDS)
    for h in doc.ent_hits:
        if h.entry.group not in ("name", "hashtag", "account", "slogan"):
            continue
        w = 0.85 if campaignish else 0.55
        # the whole text is the account's name: the evidence spans all of it
        doc.evidence.append(Evidence("interaksi", 0, len(tokens) - 1, h.entry.pack,
                                     h.entry.entity, w, "pattern", campaignish))
        return


def role_attack(doc: Document, kb: Knowledge) -> None:
    """"Jangan pilih capres yang melanggar HAM!": a call not to vote for a candidate the text
    describes instead of naming is still an attack on a contestant (guideline point 3), for
    review at least; a call *to* vote for "the honest candidate" takes no side and is left."""
    ctx, tokens = doc.ctx, doc.tokens
    for v in ctx.groups.get("vote_verbs", ()):
        neg = ctx.negated(v)
        if neg is None:
            continue
        role = next((m for m in range(v.j + 1, min(len(tokens), v.j + 3))
                     if tokens[m] in CANDIDATE_ROLES), None)
        if role is not None and not any(e.category == "serangan" for e in doc.evidence):
            doc.evidence.append(Evidence("serangan", min(neg.i, v.i), role, None, None, 0.6,
                                         "pattern", True, "oppose"))
            return


_NOT_A_CALL = frozenset({"pilihan_pihak_lain", "ragu", "tanya"})


def global_call(doc: Document, kb: Knowledge) -> None:
    """An imperative vote verb anywhere ("Pilih beliau!") binds to the contestant the text
    points at by number or name, even when they are far apart."""
    ctx, ev = doc.ctx, doc.evidence
    # a verb read as somebody else's choice, hesitation or a question is not a call either
    told = [e for e in ev if e.note in _NOT_A_CALL]
    verbs = [v for v in ctx.groups.get("vote_verbs", ())
             if not ctx.negated(v) and not any(e.i <= v.i <= e.j for e in told)]
    if not verbs or any(e.category == "ajakan_memilih" for e in ev):
        return
    cands = [e for e in ev if e.category in ("nomor_urut", "sebutan_calon", "dukungan")
             and e.stance == "support" and e.entity is not None]
    if not cands:
        return
    best = max(cands, key=lambda e: e.weight)
    v = verbs[0]
    ev.append(Evidence("ajakan_memilih", min(v.i, best.i), max(v.j, best.j), best.pack,
                       best.entity, 0.8, "pattern", True))
