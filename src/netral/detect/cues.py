"""Evidence stages around named contestants: stance, membership, photos, interactions and
the global call to vote.

Each stage appends ``Evidence`` to ``doc.evidence``; weights are the rule layer's prior
belief that the span is campaigning, before context and pack weights lower them.
"""

from __future__ import annotations

from netral.detect.document import Document, Evidence
from netral.detect.knowledge import Knowledge
from netral.detect.lexicon import Hit
from netral.detect.wordsets import (
    CAMPAIGN_ACCOUNT_WORDS,
    CANDIDATE_ROLES,
    FIRST_PERSON,
    HONORIFIC,
    PARTY_MEMBER,
    WEAK_ATTACK,
)


def entity_evidence(doc: Document, kb: Knowledge) -> None:
    """Names, slogans, hashtags and mocking nicknames of contestants."""
    ctx, tokens, ev = doc.ctx, doc.tokens, doc.evidence
    named = {(h.entry.pack, h.entry.entity) for h in doc.ent_hits
             if h.entry.group in ("name", "hashtag", "mock")} | doc.confirmed
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
        if g == "mock":
            if h.i > 0 and tokens[h.i - 1] in HONORIFIC:
                continue  # "Pak Samsul" is somebody's name
            w = 0.8 if doc.election_ctx else 0.45
            ev.append(Evidence("serangan", h.i, h.j, pack, ent, w, "lexicon", True, "oppose"))
            continue
        if g == "hashtag":
            neg = ctx.near("negation", h.i, h.j, 1) or ctx.near("attack", h.i, h.j, 2)
            ev.append(Evidence("slogan_tagar", h.i, h.j, pack, ent, 0.82, "lexicon", True,
                               "oppose" if neg and neg.j < h.i else "support"))
            continue
        if g in ("slogan", "weak_slogan", "weak_hashtag"):
            w = 0.7 if g == "slogan" else 0.5
            if ctx.near("support", h.i, h.j) or ctx.near("calls", h.i, h.j):
                w += 0.15
            ev.append(Evidence("slogan_tagar", h.i, h.j, pack, ent, w, "lexicon", g == "slogan"))
            continue
        if g == "gesture":
            continue  # judged with numbers and context in numbers.gesture_evidence
        # a reference to the contestant by name: look for stance cues around it
        _stance(doc, h, pack, ent, weak)


def _stance(doc: Document, h: Hit, pack: str, ent: str, weak: bool) -> None:
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
            cat = "ajakan_memilih" if call or not first_person else "dukungan"
            i, j = min(vote.i, h.i), max(vote.j, h.j)
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
        ev.append(Evidence("dukungan", i, j, pack, ent, 0.78 * scale, "pattern", True))
        return
    ev.append(Evidence("sebutan_calon", h.i, h.j, pack, ent, 0.2 * scale, "lexicon"))


def membership_evidence(doc: Document, kb: Knowledge) -> None:
    """"Kader PDIP": party membership, looked for in bios and next to support words only."""
    if not (doc.kind == "bio" or doc.ctx.has("support")):
        return
    tokens = doc.tokens
    for h in doc.ent_hits:
        entity = kb.entity(h.entry.pack, h.entry.entity)
        if entity.kind not in ("party", "local_party") or h.entry.group != "name":
            continue
        before = tokens[max(0, h.i - 3):h.i]
        if any(t in PARTY_MEMBER for t in before):
            doc.evidence.append(Evidence("anggota_partai", max(0, h.i - 3), h.j, h.entry.pack,
                                         h.entry.entity, 0.85, "pattern", True))


def candidate_photo(doc: Document, kb: Knowledge) -> None:
    """"Foto bareng Pak Cagub di kampanye" (SKB point G) even when no name is given."""
    ctx, tokens = doc.ctx, doc.tokens
    for k, tok in enumerate(tokens):
        if tok not in ("foto", "selfie", "swafoto", "photo", "wefie"):
            continue
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


def global_call(doc: Document, kb: Knowledge) -> None:
    """An imperative vote verb anywhere ("Pilih beliau!") binds to the contestant the text
    points at by number or name, even when they are far apart."""
    ctx, ev = doc.ctx, doc.evidence
    verbs = [v for v in ctx.groups.get("vote_verbs", ()) if not ctx.negated(v)]
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
