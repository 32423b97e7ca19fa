"""A civil servant's own run for office (SKB point D; reason category ``pencalonan``).

"Mohon doa restu, saya maju sebagai caleg DPRD dapil 3", "Insya Allah saya nyaleg tahun
depan", "aku mencalonkan diri jadi cabup": the writer announces that they seek a nomination.
A civil servant who does so before resigning approaches a party or the public as a prospective
candidate, which the SKB forbids (point D) even when no contestant is named — so no knowledge
pack is needed, and the detector had no reading of it at all (issue 10, fourteenth pass: the
hand-written "saya maju sebagai caleg PSI" scored 0.12).

Only the writer's own candidacy counts: the first-person pronoun must be the verb's subject
("saya maju", "saya insya Allah akan nyaleg"), not a possessor ("adik saya nyaleg" tells of a
relative: a plea for votes, which the support rules read), and a negation ("saya tidak akan
nyaleg"), somebody else's run ("saya dengar dia nyaleg") or a report quoting the words
("'Saya maju sebagai caleg,' kata Budi") is no announcement.
"""

from __future__ import annotations

from netral.detect.document import Document, Evidence
from netral.detect.knowledge import Knowledge
from netral.detect.wordsets import CANDIDACY, FIRST_PERSON

# verbs that are a run for office on their own; "maju" and "jadi" need an office after them
_RUN = frozenset({"nyaleg", "nyalon", "nyagub", "nyabup", "dicalonkan"})
_STEP = frozenset({"maju", "jadi", "menjadi", "daftar", "mendaftar", "terdaftar"})
# what "maju sebagai …" / "daftar jadi …" runs for: an election or a candidate's title; a bare
# "calon" only before an office ("saya jadi calon pengantin" is no run for office), and never a
# bare office ("kalau saya jadi bupati" muses, "jadi anggota koperasi" joins)
_OFFICE = (CANDIDACY - {"calon"}) | frozenset({
    "bacaleg", "pileg", "pilkada", "pilgub", "pilbup", "pilwalkot", "legislatif", "dprd", "dpr",
    "dpd", "dapil"})
_CALON_OF = frozenset({"anggota", "legislatif", "dprd", "dpr", "dpd", "bupati", "gubernur",
                       "walikota", "wali", "presiden", "wakil", "kepala"})
# words that may stand between the pronoun and the verb without changing who runs
_BETWEEN = frozenset({
    "akan", "insya", "insyaallah", "allah", "inshaallah", "tetap", "resmi", "siap", "kembali",
    "juga", "mau", "ingin", "hendak", "berniat", "berencana", "memutuskan", "untuk", "sudah",
    "telah", "udah", "sdh", "mencoba", "coba", "ikut", "turut", "pun", "bismillah", "in",
    "sya", "nanti", "tahun", "ini", "depan", "sebagai"})
# attribution after the words: a news report quoting somebody's announcement
_SAID = frozenset({"kata", "katanya", "ujar", "ujarnya", "tutur", "tuturnya", "ungkap",
                   "ungkapnya", "jelasnya", "ucap", "ucapnya", "imbuhnya", "pungkasnya"})
# the reach of "maju/jadi/daftar" to its office: "maju sebagai caleg", "maju di pileg 2024"
_REACH = 3


# "adik saya", "suami saya": a noun before the pronoun owns it, and the run is theirs
_POSSESSORS = frozenset({
    "adik", "adek", "kakak", "kaka", "abang", "teman", "temen", "kawan", "suami", "istri",
    "bini", "anak", "ayah", "bapak", "bapa", "ibu", "mama", "papa", "om", "tante", "paman",
    "bibi", "sepupu", "keponakan", "ponakan", "saudara", "sodara", "keluarga", "tetangga",
    "atasan", "bos", "pacar", "mertua", "ipar", "kakek", "nenek", "cucu", "mas", "mbak", "mba",
    "kang", "teteh", "uda", "uni", "guru", "dosen", "rekan", "sahabat", "kenalan", "pakde",
    "bude", "paklik", "bulik", "ortu", "orangtua", "tua"})


def _runs_at(tokens: list[str], k: int) -> int | None:
    """The last token of a run-for-office phrase starting at ``k``, or None."""
    tok = tokens[k]
    if tok in _RUN:
        return k
    if tok == "mencalonkan" and tokens[k + 1:k + 2] == ["diri"]:  # not "mencalonkan dia"
        return k + 1
    if tok in _STEP:
        for m in range(k + 1, min(len(tokens), k + 1 + _REACH)):
            if tokens[m] in _OFFICE:
                return m
            if tokens[m] == "calon" and not _CALON_OF.isdisjoint(tokens[m + 1:m + 3]):
                return m + 1
    return None


def _own_subject(tokens: list[str], k: int) -> bool:
    """Whether a first-person pronoun is the subject of the verb at ``k``: it stands before
    the verb with only adverbs between (so "saya tidak akan nyaleg" is none), and is not a
    possessor ("adik saya")."""
    m = k - 1
    while m >= 0 and k - m <= 5 and tokens[m] in _BETWEEN:
        m -= 1
    if m < 0 or tokens[m] not in FIRST_PERSON:
        return False
    # "adik saya", "suami saya": a noun before the pronoun owns it; the run is theirs
    return m == 0 or tokens[m - 1] not in _POSSESSORS


def own_candidacy(doc: Document, kb: Knowledge) -> None:
    """The writer announcing their own run for office: SKB point D evidence."""
    if doc.kind not in ("post", "bio", "caption", "message", "comment"):
        return
    tokens = doc.tokens
    if FIRST_PERSON.isdisjoint(tokens) or (
            _RUN.isdisjoint(tokens) and _STEP.isdisjoint(tokens) and "mencalonkan" not in tokens):
        return
    for k in range(len(tokens)):
        end = _runs_at(tokens, k)
        if end is None or not _own_subject(tokens, k):
            continue
        if not _SAID.isdisjoint(tokens[end + 1:]):
            return  # "'Saya maju sebagai caleg,' kata Budi": a report quoting the candidate
        doc.evidence.append(Evidence("pencalonan", k, end, None, None, 0.85, "pattern", True,
                                     note="pencalonan"))
        return
