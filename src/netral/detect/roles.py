"""Being part of a campaign, and a candidate's own banner (issue 10, second rules pass).

``campaign_team``: "Tim Ahli Pemenangan Paslon 02", "Jurkam paslon nomor 3", "Timses cabup
Budi" — a campaign or winning-team role bound to a contestant is SKB point I (taking part in
a campaign team; reason category ``tim_kampanye``, rule ``skb-i`` in rules.yaml). In a bio it
is the writer's own description; in a post it is unless the team is the subject of a
reporting verb ("Tim pemenangan paslon 02 melaporkan …" is news).

``candidate_banner``: "CALON WAKIL BUPATI KARANGANYAR PERIODE 2024-2029 … MENGABDI" or
"BERSAMA MENGABDI UNTUK NEGERI / <name>": a text presenting someone as a candidate for an
office and term, or a contestant's name with a service slogan and nothing else, is the wording
of a campaign prop (alat peraga); sharing one is what SKB forbids, so it is for review at
least. A headline that tells of the candidate ("KPU tetapkan calon …") has a verb and stays.
"""

from __future__ import annotations

from netral.detect.document import Document, Evidence
from netral.detect.knowledge import Knowledge
from netral.detect.wordsets import (
    CAMPAIGN_TEAMS,
    CANDIDACY,
    CANDIDATE_ROLES,
    ELECTION_BODIES,
    FIRST_PERSON,
    REPORTING_VERBS,
)

# roles that are campaign roles only right before a contestant ("saksi paslon 01", "relawan
# Ganjar"); "saksi mata", "relawan bencana" are not
_BARE = frozenset({"saksi", "relawan"})
# words that may stand between a team and its contestant ("tim kampanye daerah Prabowo")
_BETWEEN = frozenset({"daerah", "nasional", "wilayah", "kecamatan", "kabupaten", "kota",
                      "provinsi", "pusat", "inti", "resmi", "pasangan", "dari", "untuk"})
_NUMBER_WORDS = frozenset({"nomor", "no", "nomer", "urut"})


def _by_first_word(teams: tuple[tuple[str, ...], ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """The team roles grouped by their first word, each group in the list's order (longest
    first): a token that starts no role costs one dict look-up instead of a comparison with
    every role (this stage was 7 % of a real post's time)."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for seq in teams:
        out.setdefault(seq[0], []).append(seq)
    return {first: tuple(seqs) for first, seqs in out.items()}


_TEAMS_BY_FIRST = _by_first_word(CAMPAIGN_TEAMS)  # wordsets.yaml campaign_teams


def _team_at(tokens: list[str], k: int) -> int | None:
    """The last index of a team role starting at ``k``, if one does."""
    for seq in _TEAMS_BY_FIRST.get(tokens[k], ()):  # longest first
        if tuple(tokens[k:k + len(seq)]) == seq:
            return k + len(seq) - 1
    return None


def _contestant_after(doc: Document, kb: Knowledge, end: int, reach: int) -> int | None:
    """The index where a contestant is named within ``reach`` tokens after ``end``: a
    candidate role ("paslon", "cabup"), a ballot number ("nomor 3") or a contestant's name."""
    tokens = doc.tokens
    m = end + 1
    while m < len(tokens) and m <= end + reach:
        t = tokens[m]
        if t in CANDIDATE_ROLES or (t in _NUMBER_WORDS and m + 1 < len(tokens)
                                    and tokens[m + 1].isdigit()):
            return m
        hit = next((h for h in doc.ent_hits if h.i == m and h.entry.group in ("name", "weak_name")
                    and kb.entity(h.entry.pack, h.entry.entity).kind != "camp"), None)
        if hit is not None:
            return hit.j
        if t not in _BETWEEN:
            return None
        m += 1
    return None


def _reported_team(doc: Document, k: int, bound: int) -> None:
    """"Tim pemenangan paslon 02 melaporkan …" is news about the team: the support cue the
    number stage bound to the pair is the team's name ("tim"), not the writer's praise, so it
    is left as a mention for the combiner to weigh."""
    for e in doc.evidence:
        if e.category == "dukungan" and k <= e.i and e.j <= bound + 1:
            e.weight, e.strong, e.note = min(e.weight, 0.45), False, "tim_dilaporkan"


def campaign_team(doc: Document, kb: Knowledge) -> None:
    """A campaign-team role bound to a contestant: membership evidence (SKB point I)."""
    if doc.kind not in ("bio", "post"):
        return
    tokens = doc.tokens
    # a role starts with one of these words, and most texts hold none: no look at every token
    if _TEAMS_BY_FIRST.keys().isdisjoint(tokens) and _BARE.isdisjoint(tokens):
        return
    for k, tok in enumerate(tokens):
        end = _team_at(tokens, k)
        reach = 3
        if end is None:
            if tok not in _BARE:
                continue
            end, reach = k, 1
        bound = _contestant_after(doc, kb, end, reach)
        if bound is None:
            continue
        # in a post the role is the writer's own only when said of themselves ("saya timses
        # paslon 2"); "saat jadi timses pak X", "Relawan X beralih dukung Y" tell of others
        own = doc.kind == "bio" or any(t in FIRST_PERSON for t in tokens[max(0, k - 3):k])
        if doc.kind != "bio" and any(t in REPORTING_VERBS for t in tokens[bound + 1:]):
            _reported_team(doc, k, bound)
            continue
        if not own:
            continue
        # its own reason category, so that the explanation cites SKB point I (being on a
        # winning team), not party membership (point E)
        doc.evidence.append(Evidence("tim_kampanye", k, bound, None, None,
                                     0.9 if doc.kind == "bio" else 0.85, "pattern", True,
                                     note="tim_kampanye"))
        return


_OFFICE = frozenset({"presiden", "gubernur", "bupati", "walikota", "wali", "dprd", "dpr", "dpd",
                     "legislatif", "anggota", "kepala", "wakil"})
# slogans of service on banners ("mengabdi", "amanah", "melayani")
_SERVICE = frozenset({"mengabdi", "amanah", "melayani", "berkhidmat", "mengabdikan",
                      "pengabdian"})
# ... but "semoga amanah" wishes an office holder well (guideline point 8: good wishes with no
# electoral call), the commonest reply to a new president or governor
_WISH = frozenset({"semoga", "smoga", "moga", "mudahan"})
# what a headline or a post *about* a candidate says happens to them: telling, not showing
_TOLD = frozenset(
    "tetapkan menetapkan ditetapkan daftar mendaftar mendaftarkan didaftarkan dilantik lantik "
    "melantik resmi usung mengusung diusung gugat digugat debat kalah menang unggul survei "
    "elektabilitas dukung mendukung pilih memilih kata ujar menurut ditangkap diperiksa "
    "mundur batal dibatalkan didiskualifikasi diskualifikasi sengketa laporkan dilaporkan "
    "bertemu kunjungi mengunjungi hadir menghadiri kampanye visi misi".split()
)
_TOLD_GROUPS = ("news", "info", "factcheck", "disapproval", "official", "neutrality")


def _told(doc: Document) -> bool:
    """A verb telling of the candidate; a banner photographed next to an agenda board keeps
    the board's words, so context groups only count where the office and term are missing."""
    return any(t in _TOLD for t in doc.tokens)


def _context_told(doc: Document) -> bool:
    return any(doc.ctx.has(g) for g in _TOLD_GROUPS)


def _term_after(tokens: list[str], k: int) -> bool:
    """"calon [wakil] bupati <region> periode 2024-2029": an office and a term after ``k``."""
    window = tokens[k + 1:k + 8]
    if not window or (window[0] not in _OFFICE and tokens[k] == "calon"):
        return False
    for m, t in enumerate(window):
        if t == "periode" and m + 1 < len(window) and window[m + 1].startswith("20"):
            return True
    return False


def candidate_banner(doc: Document, kb: Knowledge) -> None:
    """A candidate's self-presentation, worded like a banner: an attribute (SKB point G)."""
    if doc.kind not in ("post", "caption", "image", "poster") or _told(doc):
        return
    tokens = doc.tokens
    if not ELECTION_BODIES.isdisjoint(tokens):
        return  # "#KPUMelayani": the election body's own post on the candidates, no banner
    service = any(t in _SERVICE and _WISH.isdisjoint(tokens[:k]) for k, t in enumerate(tokens))
    for k, tok in enumerate(tokens):
        if tok not in CANDIDACY and not (tok == "bakal" and tokens[k + 1:k + 2] == ["calon"]):
            continue
        if _term_after(tokens, k) or (service and tok != "bakal" and len(tokens) <= 30
                                      and not _context_told(doc)):
            doc.evidence.append(Evidence("atribut_gestur", k, min(len(tokens) - 1, k + 5), None,
                                         None, 0.55, "pattern", True, note="alat_peraga"))
            return
    if not service or len(tokens) > 12 or _context_told(doc) or doc.nt.tokens[0].kind == "mention":
        return  # (a reply, "@ganjarpranowo kurang orang amanah", answers; a banner does not)
    # "BERSAMA MENGABDI UNTUK NEGERI / AHMAD LUTHFI": a name and a slogan, nothing else
    named = next((h for h in doc.ent_hits if h.entry.group == "name"
                  and kb.entity(h.entry.pack, h.entry.entity).kind not in ("camp", "party",
                                                                           "local_party")),
                 None)
    if named is not None:
        doc.evidence.append(Evidence("atribut_gestur", 0, len(tokens) - 1, named.entry.pack,
                                     named.entry.entity, 0.5, "pattern", True,
                                     note="alat_peraga"))
