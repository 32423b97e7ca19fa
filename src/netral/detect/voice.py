"""Whose voice carries a stance: the writer's, or somebody the text tells of (guideline points
6 and 11). Read by the evidence stages of ``cues``: a vote verb whose subject is a party, another
contestant or a third person, or that stands in a stating form, tells of somebody's choice; a
party title before a name is somebody's office, not the writer's membership."""

from __future__ import annotations

from netral.detect.document import Document
from netral.detect.knowledge import Knowledge
from netral.detect.lexicon import Hit
from netral.detect.news import news_form
from netral.detect.wordsets import FIRST_PERSON, REPORTING_VERBS, THIRD_PERSON


def third_party_subject(doc: Document, kb: Knowledge, verb_i: int,
                         target: tuple[str, str]) -> bool:
    """Whether the words just before a vote verb name who chooses: a party, another
    contestant or a third person ("mereka", "partai"), up to three tokens back (an adverb
    may stand between: "PKB cenderung pilih", "Demokrat akhirnya dukung")."""
    lo = max(0, verb_i - 3)
    if any(t in THIRD_PERSON for t in doc.tokens[lo:verb_i]):
        return True
    for h in doc.ent_hits:
        if (lo <= h.j < verb_i and (h.entry.pack, h.entry.entity) != target
                and kb.entity(h.entry.pack, h.entry.entity).kind != "camp"):
            return True
    return False


# the active prefixed forms of the vote verbs ("mendukung", "memilih", "milih", "ndukung",
# "memenangkan") state what somebody does; a call to vote uses the bare imperative ("dukung",
# "pilih", "coblos", "menangkan"). The noun ("dukungan luas dari …") and the passive ("didukung
# kelompok …") are left alone: on the training sources they carried praise and attacks as
# often as news.
_TOLD_PREFIXES = ("mem", "men", "meng", "meny", "mi", "ndu")
_RELATIVE = frozenset({"yang"})


def told_form(doc: Document, verb_i: int) -> bool:
    """"Ijtima Ulama mendukung Anies", "para menteri yang dukung X": a vote verb in a stating
    form, or heading a relative clause, tells of somebody's choice
    (guideline points 6 and 11) unless the writer speaks in the first person or calls on the
    reader (the caller checks both)."""
    if any(t in FIRST_PERSON for t in doc.tokens[max(0, verb_i - 5):verb_i]):
        return False  # "kami warga desa X mendukung …" is the writer's own
    tok = doc.nt.tokens[verb_i]
    surface = doc.nt.original[tok.start:tok.end].casefold()
    if verb_i > 0 and doc.tokens[verb_i - 1] in _RELATIVE:
        return True
    if _headline_subject(doc, verb_i):
        return True
    if surface == tok.text or not surface.isalpha():
        return False  # the bare verb, or a spelling variant the normaliser undid
    # a noun ("dukungan") is left alone, but not the causative "-kan" ("memenangkan")
    return surface.startswith(_TOLD_PREFIXES) and (not surface.endswith("an")
                                                   or surface.endswith("kan"))


def _headline_subject(doc: Document, verb_i: int) -> bool:
    """"Forum Petani Muda Jatim Dukung Ganjar": a Title Case verb after a Title Case subject
    of two words or more is a headline telling who supports whom (guideline point 6), which
    the headline test of context.py misses when the headline's other words are names."""
    if verb_i < 2:
        return False
    nt = doc.nt

    def title(k: int) -> bool:
        w = nt.original[nt.tokens[k].start:nt.tokens[k].end]
        return w[:1].isupper() and not w.isupper()

    return title(verb_i) and title(verb_i - 1) and title(verb_i - 2)


def subject_choosing_another(doc: Document, kb: Knowledge, h: Hit, verb_i: int,
                              verb_j: int) -> bool:
    """"PKB cenderung pilih Ganjar": the name just before the verb chooses another contestant
    named just after it; the name is the subject, not the one chosen."""
    if not (h.j < verb_i <= h.j + 3):
        return False
    chosen = (h.entry.pack, h.entry.entity)
    return any(verb_j < o.i <= verb_j + 3 and (o.entry.pack, o.entry.entity) != chosen
               and kb.entity(o.entry.pack, o.entry.entity).kind != "camp" for o in doc.ent_hits)


def own_membership(doc: Document, member: int) -> bool:
    """"Saya kader PDIP", "kami pengurus DPC …", "aku anggota partai X": the writer in the
    first person within the three words before the membership word; or the membership word
    opening a sentence of a text that is no report ("Kader PDIP sejak 2010, Merdeka!", the
    pronoun dropped as posts drop it). "Ketua DPP PDIP Puan mengatakan …" opens on
    a title in a report's form, "ribuan kader NasDem mundur" tells of others."""
    tokens = doc.tokens
    if any(t in FIRST_PERSON for t in tokens[max(0, member - 3):member]):
        return True
    before = doc.nt.original[:doc.nt.tokens[member].start].rstrip()
    opens = not before or before[-1] in ".!?\n"
    return (opens and REPORTING_VERBS.isdisjoint(tokens)
            and not news_form(doc.nt.original))
