"""Mocking nicknames of a contestant and epithets for its supporters (the packs' ``mock`` and
``camp_epithets``; docs/mocking.md): attack evidence on the contestant or its camp (guideline
point 3: coded nicknames, partisan slurs about a camp)."""

from __future__ import annotations

from netral.detect.document import Document, Evidence
from netral.detect.knowledge import Knowledge
from netral.detect.lexicon import Hit
from netral.detect.wordsets import HONORIFIC

GROUPS = ("mock", "mock_camp")
# a nickname of the contestant: explicit, at the combiner's floor (floors.FLOOR_AT) in context
MOCK_WEIGHT, MOCK_WEIGHT_OUT = 0.8, 0.45
# an insult of the supporters runs the camp down less directly, and is thrown at users, officials
# and "buzzers" who are no camp's too: below the floor, for the combiner to weigh
CAMP_WEIGHT, CAMP_WEIGHT_OUT = 0.6, 0.35
_NAMES = frozenset({"name", "weak_name", "hashtag", "account"})
# words that may stand between a name and the epithet given to it ("Ganjar si …", "X itu …")
_APPOSITION = frozenset({"si", "sang", "itu", "ini", "adalah", "alias", "aka", "yg", "yang"})


def nickname_evidence(doc: Document, kb: Knowledge, h: Hit) -> None:
    """The attack a nickname hit makes, weighing more when the text is about an election or is
    dated while the nickname's election is in force. An epithet given to another contestant
    named right beside it ("Ganjar si bapak politik identitas", "Prabowo antek asing") attacks
    that one: it is not the nickname of its own target there."""
    if h.i > 0 and doc.tokens[h.i - 1] in HONORIFIC:
        return  # "Pak Samsul" is somebody's name
    pack, ent, note = h.entry.pack, h.entry.entity, "julukan"
    # (a camp epithet keeps its camp: "kadrun" next to a name is seldom given to that name)
    other = _apposed_name(doc, kb, h) if h.entry.group == "mock" else None
    if other is not None:
        pack, ent, note = other.entry.pack, other.entry.entity, ""
    electoral = doc.election_ctx or pack in doc.live
    if h.entry.group == "mock":
        doc.evidence.append(Evidence("serangan", h.i, h.j, pack, ent,
                                     MOCK_WEIGHT if electoral else MOCK_WEIGHT_OUT, "lexicon",
                                     True, "oppose", note))
    else:
        doc.evidence.append(Evidence("serangan", h.i, h.j, pack, ent,
                                     CAMP_WEIGHT if electoral else CAMP_WEIGHT_OUT, "lexicon",
                                     False, "oppose", "julukan_pendukung"))


def _apposed_name(doc: Document, kb: Knowledge, h: Hit) -> Hit | None:
    """Another contestant's name just before the nickname (apposition words between) or just
    after it."""
    tokens = doc.tokens
    for o in doc.ent_hits:
        if (o.entry.group not in _NAMES
                or (o.entry.pack, o.entry.entity) == (h.entry.pack, h.entry.entity)
                or kb.entity(o.entry.pack, o.entry.entity).kind == "camp"):
            continue
        if o.j < h.i and all(t in _APPOSITION for t in tokens[o.j + 1:h.i]) and h.i - o.j <= 3:
            return o
        if o.i == h.j + 1:
            return o
    return None
