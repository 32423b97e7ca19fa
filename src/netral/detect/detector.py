"""The hybrid detector: lexicon + patterns + statistical model + context -> one Result.

Layers each add to one evidence object (spaCy's idea of pipeline components annotating one
Doc): the lexicon finds names, slogans, hashtags and cue words; patterns find ballot-number
cues; the model scores implicit support; context (news, KPU info, official work, fact-checks,
disapproval, neutrality reminders) lowers what the others found. Reasons always carry spans of
the ORIGINAL text.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from netral import rules
from netral.detect.lexicon import Entry, Hit, Lexicon, pack_vocabulary
from netral.detect.result import Kind, Mitigation, Reason, Result, Target, Verdict
from netral.packs import Entity, Pack, load_packs
from netral.text import Normaliser, NormText

DETECTOR_VERSION = "1.0.0"

SEGMENT = 4000  # characters judged at once; longer texts are split at whitespace
MAX_MERGED_REASONS = 50
KAMPANYE_AT = 0.65  # score thresholds of the verdicts
TINJAU_AT = 0.40
WINDOW = 8  # tokens between a target and a cue that still binds them
KINDS = {k.value for k in Kind}

# Words after which a number is a ballot number, by the contest they point to.
_NUM_CUES = {"nomor", "paslon", "urut", "capres", "cawapres", "pasangan", "coblos", "pilih",
             "menangkan", "dukung", "calon", "cagub", "cabup", "cawalkot", "salam", "caleg",
             "partai", "kotak", "allin", "pokoknya"}
_PARTY_CTX = {"partai", "parpol", "caleg", "dpr", "dprd", "dpd", "pileg", "legislatif", "dapil"}
_PILKADA_CTX = {"pilkada", "pilgub", "pilbup", "pilwalkot", "cagub", "cawagub", "cabup",
                "cawabup", "cawalkot", "gubernur", "bupati", "walikota", "wali", "bupatiku",
                "gubernurku", "walikotaku"}
_FIRST_PERSON = {"saya", "aku", "kami", "kita", "gue", "gua", "gw", "ane", "ku"}
_PARTY_MEMBER = {"kader", "pengurus", "anggota", "ketua", "sekretaris", "bendahara", "dpc", "dpw",
                 "dpp", "ranting", "simpatisan"}
_CAMPAIGN_ACCOUNT_WORDS = {"relawan", "timses", "pemenangan", "tkn", "tpn", "timnas", "pendukung",
                           "fans", "lovers", "sahabat", "barisan", "komunitas", "simpatisan",
                           "menang", "presiden", "2024", "2019", "capres", "official", "koalisi"}
_WEAK_ATTACK = {"gagal", "kalah", "pasti kalah", "curang", "kecurangan", "pemilu curang", "tolak",
                "anti", "bukan", "dinasti", "politik dinasti", "pencitraan", "lengser", "turunkan",
                "buzzer", "menolak hasil", "tidak layak", "tidak becus", "kapok", "ngotot", "never"}
_META = {"tagar", "hashtag", "slogan", "jargon", "istilah", "sebutan", "julukan", "yel", "frasa",
         "kata", "kalimat", "tulisan", "poster", "spanduk", "baliho", "pesan", "teriak", "bertuliskan"}
_HONORIFIC = {"pak", "bu", "bapak", "ibu", "mas", "mbak", "kak", "bang", "om", "tante", "mang", "teh"}
_NOT_BALLOT = {"tps", "rt", "rw", "pukul", "jam", "tanggal", "tgl", "kamar", "ruang", "lantai", "kelas",
               "gang", "blok", "kode", "kelompok", "regu", "lt", "nomor", "tahun", "ke", "jalan", "jl"}
_CANDIDATE_ROLES = {"cagub", "cawagub", "cabup", "cawabup", "cawalkot", "capres", "cawapres", "caleg",
                    "paslon", "calon", "timses", "kandidat"}
_PROMOTE_SKIP = {"amin", "abah", "aamiin"}
_GESTURE_NUM = {"emo_1jari": 1, "emo_2jari": 2, "emo_3jari": 3, "emo_metal": 3, "emo_4jari": 4}


def parse_when(when: date | datetime | str | None) -> date | None:
    """The date of an act from a date, datetime or ISO string; ValueError if unreadable."""
    if when is None or when == "":
        return None
    if isinstance(when, datetime):
        return when.date()
    if isinstance(when, date):
        return when
    text = str(when).strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise ValueError(f"tanggal tidak dikenali / unrecognised date: {when!r}") from None


@dataclass(slots=True)
class _Evidence:
    """Reasons under construction, before rule/advice lookup."""

    category: str
    i: int
    j: int
    pack: str | None
    entity: str | None
    weight: float
    source: str
    strong: bool = False  # explicit: only fact-check/disapproval/neutrality context lowers it
    stance: str = "support"
    note: str = ""


@dataclass(slots=True)
class _Ctx:
    groups: dict[str, list[Hit]] = field(default_factory=dict)

    def has(self, group: str) -> bool:
        return bool(self.groups.get(group))

    def near(self, group: str, i: int, j: int, window: int = WINDOW) -> Hit | None:
        best = None
        for h in self.groups.get(group, ()):
            if h.j >= i - window and h.i <= j + window and (h.j < i or h.i > j):
                dist = i - h.j if h.j < i else h.i - j
                if best is None or dist < best[0]:
                    best = (dist, h)
        return best[1] if best else None


class Detector:
    def __init__(self, packs: Sequence[Pack]) -> None:
        self.packs = list(packs)
        self.pack_by_name = {p.name: p for p in self.packs}
        self.normaliser = Normaliser(pack_vocabulary(self.packs))
        self.lexicon = Lexicon(self.packs, self.normaliser)
        self.pack_versions = {p.name: p.version for p in self.packs}
        self._model = None
        self._model_lock = threading.Lock()
        self._labels: dict[tuple, tuple[str | None, str | None]] = {}

    # -- public ------------------------------------------------------------------------------
    @property
    def detector_version(self) -> str:
        return DETECTOR_VERSION

    @property
    def pack_version(self) -> str:
        """The active packs and their versions, e.g. ``pemilu-2019@2019.2,pemilu-2024@2024.3``."""
        return ",".join(f"{n}@{v}" for n, v in sorted(self.pack_versions.items()))

    @property
    def version(self) -> str:
        return f"{DETECTOR_VERSION}+{self.pack_version}"

    @property
    def model(self):
        if self._model is None:
            with self._model_lock:
                if self._model is None:
                    from netral.detect.model import load_model

                    self._model = load_model(self.normaliser, self.version)
        return self._model

    def check(
        self,
        text: str,
        kind: str = "post",
        lang: str = "id",
        *,
        when: date | datetime | str | None = None,
        account: str = "personal",
        employee: str = "pns",
        boilerplate: Iterable[str] = (),
    ) -> Result:
        if not isinstance(text, str):
            raise TypeError("text must be str")
        kind = (kind or "post").lower()
        if kind not in KINDS:
            raise ValueError(f"unknown kind '{kind}' (one of: {', '.join(sorted(KINDS))})")
        lang = "en" if lang == "en" else "id"
        day = parse_when(when)
        return self._check_text(text, kind, lang, day, account, employee, tuple(boilerplate), True)

    def _check_text(self, text: str, kind: str, lang: str, day: date | None, account: str,
                    employee: str, boilerplate: tuple[str, ...], use_model: bool) -> Result:
        if len(text) > SEGMENT:
            # long texts are judged in pieces: cost stays linear in the length
            parts = [(off, self._check_text(seg, kind, lang, day, account, employee, boilerplate,
                                            use_model)) for off, seg in _segments(text)]
            return _merge(parts)
        if not self.lexicon.may_concern(text):
            return self._clear(kind, lang)
        nt = self.normaliser.normalise(text)
        if boilerplate:
            nt = _drop_boilerplate(nt, text, boilerplate)
        model_p = self.model.predict(nt) if use_model and nt.tokens else 0.0
        return self._judge(nt, kind, lang, day, account, employee, model_p)

    def check_batch(
        self, items: Sequence[tuple[str, str, date | datetime | str | None]], lang: str = "id",
        *, use_model: bool = True, account: str = "personal", employee: str = "pns",
    ) -> list[Result | ValueError]:
        """Judge many ``(text, kind, when)`` at once: one model call for the whole batch.
        A bad item (unknown kind, unparsable date) yields its ValueError instead of a Result.
        Results are identical to ``check`` on each item."""
        prepared: list[tuple[NormText, str, date | None] | ValueError] = []
        for text, kind, when in items:
            kind = (kind or "post").lower()
            if kind not in KINDS:
                prepared.append(ValueError(f"unknown kind '{kind}'"))
                continue
            try:
                day = parse_when(when)
            except ValueError as exc:
                prepared.append(exc)
                continue
            if len(text) > SEGMENT or not self.lexicon.may_concern(text):
                prepared.append((text, kind, day))  # judged on its own below
                continue
            prepared.append((self.normaliser.normalise(text), kind, day))
        ok = [p for p in prepared if not isinstance(p, ValueError) and not isinstance(p[0], str)]
        probs = self.model.predict_many([p[0] for p in ok]) if use_model else [0.0] * len(ok)
        it = iter(probs)
        out: list[Result | ValueError] = []
        for p in prepared:
            if isinstance(p, ValueError):
                out.append(p)
                continue
            nt, kind, day = p
            if isinstance(nt, str):
                out.append(self._check_text(nt, kind, "en" if lang == "en" else "id", day,
                                            account, employee, (), use_model))
                continue
            prob = next(it)
            out.append(self._judge(nt, kind, "en" if lang == "en" else "id", day, account,
                                   employee, prob if nt.tokens else 0.0))
        return out

    def _clear(self, kind: str, lang: str) -> Result:
        """The result for text the pre-filter found nothing in (no name, cue, number, emoji)."""
        return Result(
            verdict=Verdict.NETRAL, score=0.0, kind=kind, lang=lang,
            summary=_summary(Verdict.NETRAL, [], [], lang),
            advice=" ".join(_advice_lines(Verdict.NETRAL, [], kind, lang, [])),
            packs=sorted(self.pack_by_name), detector_version=self.version,
            disclaimer=rules.disclaimer(lang),
        )

    # -- evidence ----------------------------------------------------------------------------
    def _judge(self, nt: NormText, kind: str, lang: str, day: date | None, account: str,
               employee: str, model_p: float) -> Result:
        hits = self.lexicon.match(nt.text, nt.token_index)
        ctx = _Ctx()
        ent_hits: list[Hit] = []
        for h in hits:
            if h.entry.entity is None:
                ctx.groups.setdefault(h.entry.group, []).append(h)
            else:
                ent_hits.append(h)
        ent_hits.extend(self._hashtag_hits(nt))
        ent_hits.extend(self._account_hits(nt))
        ent_hits = self._one_pack_per_span(_longest(ent_hits), day)
        live = self._live_packs(day)
        if live:  # ambiguous words only mean something in the election in force at the date
            ent_hits = [h for h in ent_hits if h.entry.pack in live
                        or h.entry.group not in ("weak_name", "weak_slogan", "weak_hashtag")]
        ent_hits, confirmed = self._weak_hits(nt, ent_hits)
        pack_weight = self._pack_weights(live)
        tokens = [t.text for t in nt.tokens]
        election_ctx = ctx.has("election") or any(
            h.entry.group in ("name", "hashtag", "slogan") for h in ent_hits
        )
        ev: list[_Evidence] = []
        self._entity_evidence(ent_hits, ctx, tokens, election_ctx, confirmed, ev)
        self._number_evidence(tokens, ctx, ent_hits, day, election_ctx, ev)
        self._gesture_evidence(tokens, ctx, ent_hits, election_ctx, ev)
        if kind == "bio" or ctx.has("support"):
            self._membership_evidence(tokens, ent_hits, ev)
        self._candidate_photo(tokens, ctx, ev)
        if kind in ("follow", "join", "like"):
            self._interaction_evidence(kind, tokens, ent_hits, ev)
        self._global_call(ctx, tokens, ev)
        self._reported_speech(nt, tokens, ctx, ev)
        mitigations = self._mitigations(ctx, ev)
        return self._compose(nt, kind, lang, day, account, employee, model_p, ev, mitigations,
                             pack_weight, election_ctx, ctx)

    def _one_pack_per_span(self, hits: list[Hit], day: date | None) -> list[Hit]:
        """A name found in several packs (Prabowo in 2019 and 2024) is read in one election:
        the one in force at the date, else the one other names in the text point to, else the
        most recent."""
        packs_of: dict[tuple[int, int], set[str]] = {}
        for h in hits:
            packs_of.setdefault((h.i, h.j), set()).add(h.entry.pack)
        if all(len(v) == 1 for v in packs_of.values()):
            return hits
        unique_support: dict[str, int] = {}
        for v in packs_of.values():
            if len(v) == 1:
                p = next(iter(v))
                unique_support[p] = unique_support.get(p, 0) + 1

        def rank(pack: str) -> tuple:
            p = self.pack_by_name[pack]
            live = day is not None and p.in_force.contains(day)
            return (live, unique_support.get(pack, 0), p.election_date)

        chosen = {span: max(v, key=rank) for span, v in packs_of.items()}
        return [h for h in hits if h.entry.pack == chosen[(h.i, h.j)]]

    def _weak_hits(self, nt: NormText, hits: list[Hit]) -> tuple[list[Hit], set[tuple[str, str]]]:
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
                if letters.isupper() and len(letters) <= 4 and letters.lower() not in _PROMOTE_SKIP:
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

    def _hashtag_hits(self, nt: NormText) -> list[Hit]:
        out = []
        for tag in nt.hashtags:
            entries = self.lexicon.hashtags.get(tag.text)
            if not entries:
                continue
            i = _token_at(nt, tag.start)
            j = _token_at(nt, tag.end - 1, last=True)
            out.extend(Hit(e, i, j) for e in entries)
        return out

    def _account_hits(self, nt: NormText) -> list[Hit]:
        out = []
        for m in nt.mentions:
            for e in self.lexicon.accounts.get(m.text, ()):
                i = _token_at(nt, m.start)
                out.append(Hit(Entry("name", e.pack, e.entity), i, i))
        return out

    def _entity(self, pack: str, entity_id: str) -> Entity:
        return self.pack_by_name[pack].entity(entity_id)

    def _entity_evidence(self, ent_hits: list[Hit], ctx: _Ctx, tokens: list[str],
                         election_ctx: bool, confirmed: set[tuple[str, str]],
                         ev: list[_Evidence]) -> None:
        named = {(h.entry.pack, h.entry.entity) for h in ent_hits
                 if h.entry.group in ("name", "hashtag", "mock")} | confirmed
        for h in ent_hits:
            g = h.entry.group
            pack, ent = h.entry.pack, h.entry.entity
            entity = self._entity(pack, ent)
            if entity.kind == "camp":
                ev.append(_Evidence("serangan", h.i, h.j, pack, ent, 0.85, "lexicon", True,
                                    "oppose"))
                continue
            weak = g in ("weak_name", "weak_slogan", "weak_hashtag")
            if weak and not (election_ctx or (pack, ent) in named):
                continue
            if g == "mock":
                if h.i > 0 and tokens[h.i - 1] in _HONORIFIC:
                    continue  # "Pak Samsul" is somebody's name
                w = 0.8 if election_ctx else 0.45
                ev.append(_Evidence("serangan", h.i, h.j, pack, ent, w, "lexicon", True, "oppose"))
                continue
            if g == "hashtag":
                neg = ctx.near("negation", h.i, h.j, 1) or ctx.near("attack", h.i, h.j, 2)
                ev.append(_Evidence("slogan_tagar", h.i, h.j, pack, ent, 0.82, "lexicon", True,
                                    "oppose" if neg and neg.j < h.i else "support"))
                continue
            if g in ("slogan", "weak_slogan", "weak_hashtag"):
                w = 0.7 if g == "slogan" else 0.5
                if ctx.near("support", h.i, h.j) or ctx.near("calls", h.i, h.j):
                    w += 0.15
                ev.append(_Evidence("slogan_tagar", h.i, h.j, pack, ent, w, "lexicon", g == "slogan"))
                continue
            if g == "gesture":
                continue  # handled with numbers and context in _gesture_evidence
            # a reference to the contestant by name: look for stance cues around it
            self._stance(h, pack, ent, ctx, tokens, weak, ev)

    def _stance(self, h: Hit, pack: str, ent: str, ctx: _Ctx, tokens: list[str], weak: bool,
                ev: list[_Evidence]) -> None:
        vote = ctx.near("vote_verbs", h.i, h.j)
        attack = ctx.near("attack", h.i, h.j)
        support = ctx.near("support", h.i, h.j)
        call = ctx.has("calls")
        scale = 0.85 if weak else 1.0
        if vote is not None:
            negated = _negated(ctx, vote)
            if negated:
                ev.append(_Evidence("serangan", min(negated.i, h.i), max(vote.j, h.j), pack, ent,
                                    0.85 * scale, "pattern", True, "oppose"))
            else:
                first_person = any(t in _FIRST_PERSON or t.endswith("ku")
                                   for t in tokens[max(0, vote.i - 2):vote.j + 1])
                cat = "ajakan_memilih" if call or not first_person else "dukungan"
                i, j = min(vote.i, h.i), max(vote.j, h.j)
                ev.append(_Evidence(cat, i, j, pack, ent, 0.88 * scale, "pattern", True))
            return
        if attack is not None and not _negated(ctx, attack):
            i, j = min(attack.i, h.i), max(attack.j, h.j)
            weak_attack = " ".join(tokens[attack.i:attack.j + 1]) in _WEAK_ATTACK
            ev.append(_Evidence("serangan", i, j, pack, ent, (0.6 if weak_attack else 0.8) * scale,
                                "pattern", not weak_attack, "oppose"))
            return
        if support is not None and not _negated(ctx, support):
            i, j = min(support.i, h.i), max(support.j, h.j)
            ev.append(_Evidence("dukungan", i, j, pack, ent, 0.78 * scale, "pattern", True))
            return
        ev.append(_Evidence("sebutan_calon", h.i, h.j, pack, ent, 0.2 * scale, "lexicon"))

    def _resolve_number(self, num: int, tokens: list[str], ent_hits: list[Hit],
                        day: date | None) -> tuple[str, str] | None:
        """Map a ballot number to (pack, entity id) given the surrounding context."""
        toks = set(tokens)
        party = bool(toks & _PARTY_CTX)
        pilkada = bool(toks & _PILKADA_CTX)
        mentioned = {(h.entry.pack, h.entry.entity) for h in ent_hits}
        candidates: list[tuple[Pack, Entity]] = []
        for pack in self.packs:
            for e in pack.entities:
                if e.number == num:
                    candidates.append((pack, e))
        if not candidates:
            return None

        def score(pe: tuple[Pack, Entity]) -> tuple:
            pack, e = pe
            in_force = day is not None and pack.in_force.contains(day)
            same_contest = any(
                m[0] == pack.name and self._entity(m[0], m[1]).contest == e.contest
                for m in mentioned
            )
            kind_fit = (
                (e.kind in ("party", "local_party")) == party
                and ((pack.election == "pilkada") == pilkada or same_contest)
            )
            return (in_force, same_contest, kind_fit, e.kind == "pair",
                    e.kind != "local_party", pack.election_date)

        pack, e = max(candidates, key=score)
        if pack.election == "pilkada" and not any(m[0] == pack.name for m in mentioned):
            return (pack.name, "") if pilkada else None
        return pack.name, e.id

    def _number_evidence(self, tokens: list[str], ctx: _Ctx, ent_hits: list[Hit],
                         day: date | None, election_ctx: bool, ev: list[_Evidence]) -> None:
        n = len(tokens)
        for k, tok in enumerate(tokens):
            if not tok.isdigit() or len(tok) > 2:
                continue
            num = int(tok)
            if not 1 <= num <= 24:
                continue
            prev = tokens[k - 1] if k else ""
            prev2 = tokens[k - 2] if k > 1 else ""
            nxt = tokens[k + 1] if k + 1 < n else ""
            salute = nxt == "jari" and (prev == "salam" or election_ctx
                                         or any(t.startswith("emo_") and t.endswith("jari") for t in tokens))
            cued = prev in _NUM_CUES or (prev2 in _NUM_CUES and prev in ("nomor", "urut", "for", "to"))
            zero = tok.startswith("0") and num <= 3  # "02" standing alone is a common pair reference
            if prev in _NOT_BALLOT and not cued:
                continue
            if prev == "nomor" and prev2 in _NOT_BALLOT:
                continue
            if not (cued or salute or zero):
                continue
            if nxt in ("periode", "putaran", "kali", "tahun", "orang", "hari", "jam", "persen"):
                continue  # slogans, handled by the lexicon, or plain quantities
            target = self._resolve_number(num, tokens, ent_hits, day)
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
                ev.append(_Evidence("atribut_gestur", i, j, pack, ent or None, 0.82, "pattern", True))
            elif vote is not None and _negated(ctx, vote):
                neg = _negated(ctx, vote)
                ev.append(_Evidence("serangan", min(neg.i, i), j, pack, ent or None, 0.85,
                                    "pattern", True, "oppose"))
            elif attack is not None and not _negated(ctx, attack) and attack.i < i:
                ev.append(_Evidence("serangan", attack.i, j, pack, ent or None, 0.8 * ctx_scale,
                                    "pattern", election_ctx, "oppose"))
            elif vote is not None or prev in ("coblos", "pilih", "menangkan", "dukung", "allin"):
                s = min(vote.i, i) if vote else i
                e = max(vote.j, j) if vote else j
                # "pilih nomor 2" alone may be a menu; with election context it is a ballot
                w = 0.9 if (election_ctx or named) else 0.35
                ev.append(_Evidence("ajakan_memilih", s, e, pack, ent or None, w, "pattern",
                                    election_ctx or named))
            elif support is not None and not _negated(ctx, support):
                ev.append(_Evidence("dukungan", min(support.i, i), max(support.j, j), pack,
                                    ent or None, 0.78 * ctx_scale, "pattern", election_ctx or named))
            elif election_ctx or named:
                # the number together with the same contestant's name reads as a campaign tag
                ev.append(_Evidence("nomor_urut", i, j, pack, ent or None, 0.7 if named else 0.45,
                                    "pattern", named))
            elif zero:
                ev.append(_Evidence("nomor_urut", i, j, pack, ent or None, 0.42, "pattern"))

    def _gesture_evidence(self, tokens: list[str], ctx: _Ctx, ent_hits: list[Hit],
                          election_ctx: bool, ev: list[_Evidence]) -> None:
        strong_ctx = election_ctx or any(e.weight >= 0.4 for e in ev) or ctx.has("vote_verbs")
        numbers = {int(t) for t in tokens if t.isdigit() and len(t) <= 2}
        for k, tok in enumerate(tokens):
            num = _GESTURE_NUM.get(tok)
            if num is None:
                continue
            target = self._resolve_number(num, tokens, ent_hits, None) if num <= 3 else None
            if num in numbers and target is not None:  # "nmr 1 … 👆": number and salute agree
                pack, ent = target
                ev.append(_Evidence("atribut_gestur", k, k, pack, ent or None,
                                    0.72 if strong_ctx else 0.4, "pattern", strong_ctx))
                continue
            if num == 4:
                camp = next((h for h in ent_hits if self._entity(h.entry.pack, h.entry.entity)
                             .kind == "camp"), None)
                if camp or strong_ctx:
                    ev.append(_Evidence("atribut_gestur", k, k, "pemilu-2024" if camp else None,
                                        "camp-salam4jari" if camp else None, 0.6, "pattern"))
                continue
            if target is None:
                continue
            pack, ent = target
            w = 0.7 if strong_ctx else 0.15
            ev.append(_Evidence("atribut_gestur", k, k, pack, ent or None, w, "pattern"))

    def _candidate_photo(self, tokens: list[str], ctx: _Ctx, ev: list[_Evidence]) -> None:
        """"Foto bareng Pak Cagub di kampanye" (SKB point G) even when no name is given."""
        for k, tok in enumerate(tokens):
            if tok not in ("foto", "selfie", "swafoto", "photo", "wefie"):
                continue
            window = tokens[k + 1:k + 5]
            if any(t in _CANDIDATE_ROLES for t in window):
                w = 0.55 + (0.2 if ctx.has("support") else 0.0) + (0.1 if ctx.has("election") else 0.0)
                ev.append(_Evidence("atribut_gestur", k, min(len(tokens) - 1, k + 4), None, None,
                                    min(w, 0.85), "pattern", ctx.has("support")))
                return

    def _membership_evidence(self, tokens: list[str], ent_hits: list[Hit],
                             ev: list[_Evidence]) -> None:
        for h in ent_hits:
            entity = self._entity(h.entry.pack, h.entry.entity)
            if entity.kind not in ("party", "local_party") or h.entry.group != "name":
                continue
            before = tokens[max(0, h.i - 3):h.i]
            if any(t in _PARTY_MEMBER for t in before):
                ev.append(_Evidence("anggota_partai", max(0, h.i - 3), h.j, h.entry.pack,
                                    h.entry.entity, 0.85, "pattern", True))

    def _interaction_evidence(self, kind: str, tokens: list[str], ent_hits: list[Hit],
                              ev: list[_Evidence]) -> None:
        """A follow/join/like whose target (account/group/page name) is a contestant's."""
        if not ent_hits:
            return
        campaignish = bool(set(tokens) & _CAMPAIGN_ACCOUNT_WORDS)
        for h in ent_hits:
            if h.entry.group not in ("name", "hashtag", "account", "slogan"):
                continue
            w = 0.85 if campaignish else 0.55
            ev.append(_Evidence("interaksi", 0, len(tokens) - 1, h.entry.pack, h.entry.entity, w,
                                "pattern", campaignish))
            return

    def _global_call(self, ctx: _Ctx, tokens: list[str], ev: list[_Evidence]) -> None:
        """An imperative vote verb anywhere ("Pilih beliau!") binds to the contestant the text
        points at by number or name, even when they are far apart."""
        verbs = [v for v in ctx.groups.get("vote_verbs", ()) if not _negated(ctx, v)]
        if not verbs or any(e.category == "ajakan_memilih" for e in ev):
            return
        cands = [e for e in ev if e.category in ("nomor_urut", "sebutan_calon", "dukungan")
                 and e.stance == "support" and e.entity is not None]
        if not cands:
            return
        best = max(cands, key=lambda e: e.weight)
        v = verbs[0]
        ev.append(_Evidence("ajakan_memilih", min(v.i, best.i), max(v.j, best.j), best.pack,
                            best.entity, 0.8, "pattern", True))

    def _reported_speech(self, nt: NormText, tokens: list[str], ctx: _Ctx,
                         ev: list[_Evidence]) -> None:
        """Slogans talked about ("tagar #2019GantiPresiden memicu …") or quoted inside a
        report, fact-check or reprimand are not the writer's own campaigning."""
        reporting = any(ctx.has(g) for g in ("news", "disapproval", "factcheck", "neutrality"))
        quotes = _quote_spans(nt.original) if reporting else []
        for e in ev:
            before = tokens[max(0, e.i - 2):e.i]
            meta = any(t in _META for t in before)
            s, t_end = nt.token_span(e.i, e.j)
            quoted = any(qs <= s and t_end <= qe for qs, qe in quotes)
            if meta:
                e.weight *= 0.35
                e.strong = False
            elif quoted:
                e.weight *= 0.5
                e.strong = False

    # -- context -----------------------------------------------------------------------------
    def _mitigations(self, ctx: _Ctx, ev: list[_Evidence]) -> list[tuple[str, float, float, Hit | None]]:
        """(category, factor for explicit evidence, factor for weak evidence, hit)."""
        out: list[tuple[str, float, float, Hit | None]] = []

        def first(group: str) -> Hit | None:
            hs = ctx.groups.get(group)
            return hs[0] if hs else None

        if ctx.has("factcheck"):
            out.append(("cek_fakta", 0.35, 0.3, first("factcheck")))
        if ctx.has("disapproval"):
            out.append(("ketidaksetujuan", 0.4, 0.35, first("disapproval")))
        if ctx.has("neutrality"):
            out.append(("pengingat_netralitas", 0.55, 0.35, first("neutrality")))
        if ctx.has("civic"):
            out.append(("info_pemilu", 1.0, 0.45, first("civic")))
        if ctx.has("info"):
            out.append(("info_pemilu", 0.9, 0.5, first("info")))
        if ctx.has("news"):
            out.append(("berita", 0.8, 0.45, first("news")))
        if ctx.has("official"):
            out.append(("kedinasan", 0.9, 0.5, first("official")))
        # all contestants of one contest referred to: balanced information
        by_contest: dict[tuple[str, str | None], set[str]] = {}
        for e in ev:
            if e.pack and e.entity:
                entity = self._entity(e.pack, e.entity)
                if entity.kind == "pair":
                    by_contest.setdefault((e.pack, entity.contest), set()).add(entity.id)
        for (pack, contest), ids in by_contest.items():
            total = sum(1 for x in self.pack_by_name[pack].entities
                        if x.kind == "pair" and x.contest == contest)
            if total >= 2 and (len(ids) >= total or len(ids) >= 3):
                out.append(("berimbang", 0.3, 0.25, None))
                break
        return out

    # -- verdict ---------------------------------------------------------------------------
    def _compose(self, nt, kind, lang, day, account, employee, model_p, ev, mitigations,
                 pack_weight, election_ctx, ctx) -> Result:
        # each mitigation category counts once; explicit and weak evidence are lowered differently
        seen: dict[str, tuple[float, float, Hit | None]] = {}
        for cat, fs, fw, hit in mitigations:
            if cat not in seen or fs < seen[cat][0]:
                seen[cat] = (fs, fw, hit)
        strong_factor = 1.0
        weak_factor = 1.0
        for fs, fw, _ in seen.values():
            strong_factor *= fs
            weak_factor *= fw
        strong_factor = max(strong_factor, 0.15)
        weak_factor = max(weak_factor, 0.1)

        reasons: list[Reason] = []
        targets: dict[str, Target] = {}
        target_weight: dict[str, float] = {}
        # strongest evidence per (target, category); categories combine by noisy-OR within a
        # target; the best-supported target decides (support for several is not additive)
        best: dict[tuple[str | None, str], float] = {}
        for e in _dedupe(ev):
            w = e.weight * pack_weight.get(e.pack or "", 1.0)
            w *= strong_factor if e.strong else weak_factor
            label, tid = self._target_label(e, lang)
            key = (tid, e.category)
            best[key] = max(best.get(key, 0.0), w)
            if tid:
                t = targets.get(tid)
                if t is None or w > target_weight[tid]:
                    entity = self._entity(e.pack, e.entity) if e.entity else None
                    targets[tid] = Target(
                        id=tid, label=label, kind=entity.kind if entity else "pair",
                        number=entity.number if entity else None, pack=e.pack or "",
                        stance=e.stance,
                    )
                    target_weight[tid] = w
            if e.category == "sebutan_calon" and w < 0.3:
                continue
            s, t_end = nt.token_span(e.i, e.j)
            rule = rules.rule_for(e.category, kind)
            reasons.append(Reason(
                category=e.category, start=s, end=t_end, text=nt.original[s:t_end],
                target=label, target_id=tid, rule=rule.id, rule_ref=rule.citation(lang),
                advice=rules.advice(e.category, lang), weight=round(w, 4), source=e.source,
                uncertain=rule.uncertain,
            ))
        per_target: dict[str | None, float] = {}
        for (tid, _), w in best.items():
            per_target[tid] = 1.0 - (1.0 - per_target.get(tid, 0.0)) * (1.0 - w)
        untargeted = per_target.pop(None, 0.0)
        top = max(per_target.values(), default=0.0)
        rule_score = 1.0 - (1.0 - top) * (1.0 - untargeted)

        # the model: implicit support, only where the text is election-related at all
        # only confident model predictions count (p=0.5 adds nothing, p>=0.95 adds model_w)
        model_w = 0.7 if election_ctx else 0.45
        mp = min(1.0, max(0.0, (model_p - 0.5) / 0.45)) * model_w * weak_factor
        score = 1.0 - (1.0 - rule_score) * (1.0 - mp)
        if mp >= 0.3 and not any(r.category != "sebutan_calon" for r in reasons):
            reasons.extend(self._model_reasons(nt, kind, lang, mp, targets))

        extra_advice: list[str] = []
        if score >= TINJAU_AT:
            score, extra_advice = self._act_context(score, kind, lang, day, account, employee,
                                                    targets, reasons, nt)
        score = min(max(score, 0.0), 1.0)
        verdict = (Verdict.KAMPANYE if score >= KAMPANYE_AT
                   else Verdict.TINJAU if score >= TINJAU_AT else Verdict.NETRAL)
        if verdict is Verdict.NETRAL:
            reasons = []
        reasons.sort(key=lambda r: (-r.weight, r.start))
        mit_out = []
        for cat, (_, _, hit) in seen.items():
            if hit is None:
                mit_out.append(Mitigation(cat, 0, 0, "", _mitigation_note(cat, lang)))
            else:
                s, e_ = nt.token_span(hit.i, hit.j)
                mit_out.append(Mitigation(cat, s, e_, nt.original[s:e_], _mitigation_note(cat, lang)))
        target_list = sorted(targets.values(), key=lambda t: -target_weight[t.id])
        if verdict is Verdict.NETRAL:
            target_list = [t for t in target_list if target_weight[t.id] >= 0.5]
        return Result(
            verdict=verdict,
            score=round(score, 4),
            kind=kind,
            lang=lang,
            reasons=reasons,
            targets=target_list,
            mitigations=mit_out,
            summary=_summary(verdict, target_list, reasons, lang),
            advice=" ".join(_advice_lines(verdict, reasons, kind, lang, extra_advice)),
            packs=sorted(self.pack_by_name),
            rule_score=round(rule_score, 4),
            model_score=round(model_p, 4),
            detector_version=self.version,
            disclaimer=rules.disclaimer(lang),
        )

    def _target_label(self, e: _Evidence, lang: str) -> tuple[str | None, str | None]:
        return self.target_label(e.pack, e.entity, lang)

    def target_label(self, pack_name: str | None, entity_id: str | None,
                     lang: str = "id") -> tuple[str | None, str | None]:
        """(label, target id) shown for a contestant, e.g. ("02 Prabowo–Gibran",
        "pemilu-2024/pair-2"); an unnamed Pilkada pair gets a generic label."""
        key = (pack_name, entity_id, lang)
        hit = self._labels.get(key)
        if hit is None:
            hit = self._labels[key] = self._make_label(pack_name, entity_id, lang)
        return hit

    def _make_label(self, pack_name: str | None, entity_id: str | None,
                    lang: str) -> tuple[str | None, str | None]:
        if pack_name is None:
            return None, None
        if not entity_id:
            return ("Paslon Pilkada (daerah tidak disebut)" if lang == "id"
                    else "Regional-election pair (region not named)"), f"{pack_name}/pilkada-unknown"
        entity = self._entity(pack_name, entity_id)
        label = entity.label
        pack = self.pack_by_name[pack_name]
        if entity.number is not None and entity.kind == "pair":
            label = f"{entity.number:02d} {label}" if pack.election == "pemilu" else \
                f"{entity.number} {label}"
        return label, f"{pack_name}/{entity_id}"

    def _model_reasons(self, nt: NormText, kind: str, lang: str, weight: float,
                       targets: dict[str, Target]) -> list[Reason]:
        spans = self.model.explain(nt, top=3)
        if not spans:
            return []
        rule = rules.rule_for("implisit", kind)
        out = []
        target = next(iter(targets.values()), None)
        for i, j in spans:
            s, e = nt.token_span(i, j)
            out.append(Reason(
                category="implisit", start=s, end=e, text=nt.original[s:e],
                target=target.label if target else None, target_id=target.id if target else None,
                rule=rule.id, rule_ref=rule.citation(lang), advice=rules.advice("implisit", lang),
                weight=round(weight, 4), source="model", uncertain=rule.uncertain,
            ))
        return out

    def _act_context(self, score, kind, lang, day, account, employee, targets, reasons, nt):
        notes: list[str] = []
        if account == "official":
            score = min(1.0, score + 0.2)
            r = rules.rule("fasilitas-negara")
            reasons.append(Reason(
                category="fasilitas_negara", start=0, end=len(nt.original[:0]), text="",
                target=None, target_id=None, rule=r.id, rule_ref=r.citation(lang),
                advice=rules.context_advice("official_account", lang), weight=0.2,
                source="context", uncertain=r.uncertain,
            ))
        if employee == "pejabat":
            notes.append(rules.context_advice("pejabat", lang))
            r = rules.rule("pejabat")
            reasons.append(Reason(
                category="pejabat", start=0, end=0, text="", target=None, target_id=None,
                rule=r.id, rule_ref=r.citation(lang), advice=rules.context_advice("pejabat", lang),
                weight=0.1, source="context", uncertain=r.uncertain,
            ))
        elif employee == "pppk":
            notes.append(rules.context_advice("pppk", lang))
        elif employee == "non_asn":
            notes.append(rules.context_advice("non_asn", lang))
        if day is not None:
            period = None
            for p in self.packs:
                period = p.period_at(day)
                if period:
                    break
            if period is not None and period.kind == "tenang":
                score = min(1.0, score + 0.1)
                notes.append(rules.context_advice("quiet_period", lang, period=period.label))
            elif period is not None:
                score = min(1.0, score + 0.05)
                notes.append(rules.context_advice("campaign_period", lang, period=period.label))
            else:
                notes.append(rules.context_advice("outside_campaign", lang))
            old = {t.pack for t in targets.values()
                   if t.pack in self.pack_by_name
                   and self.pack_by_name[t.pack].in_force.end < day}
            for name in sorted(old):
                notes.append(rules.context_advice("old_election", lang,
                                                  pack=self.pack_by_name[name].title))
        return score, notes

    def _live_packs(self, day: date | None) -> set[str]:
        if day is None:
            return set()
        return {p.name for p in self.packs if p.in_force.contains(day)}

    def _pack_weights(self, live: set[str]) -> dict[str, float]:
        """Packs in force at the act's date weigh 1.0, the others 0.75 (none: all equal)."""
        if not live:
            return {}
        return {p.name: (1.0 if p.name in live else 0.75) for p in self.packs}


# -- helpers ------------------------------------------------------------------------------------
def _negated(ctx: _Ctx, hit: Hit) -> Hit | None:
    for n in ctx.groups.get("negation", ()):
        if n.j == hit.i - 1:
            return n
    for a in ctx.groups.get("attack", ()):
        # "jangan pilih", "asal bukan" are attack cues that contain the verb itself
        if a.i <= hit.i <= a.j and a.j > hit.i - 1 and a.i < hit.i:
            return a
    return None


def _segments(text: str) -> list[tuple[int, str]]:
    """Split a long text at whitespace into pieces of at most SEGMENT characters."""
    out = []
    start = 0
    n = len(text)
    while start < n:
        end = min(n, start + SEGMENT)
        if end < n:
            cut = text.rfind(" ", start + SEGMENT // 2, end)
            cut = cut if cut > start else text.rfind("\n", start + SEGMENT // 2, end)
            end = cut if cut > start else end
        out.append((start, text[start:end]))
        start = end
    return out


def _merge(parts: list[tuple[int, Result]]) -> Result:
    """One Result for a text judged in pieces: the riskiest piece decides; reasons, targets
    and mitigations of every piece are kept, with offsets into the whole text."""
    best = max((r for _, r in parts), key=lambda r: r.score)
    reasons: list[Reason] = []
    mitigations: list[Mitigation] = []
    targets: dict[str, Target] = {}
    for off, r in parts:
        for x in r.reasons:
            if x.end > x.start:
                x.start += off
                x.end += off
            reasons.append(x)
        for m in r.mitigations:
            if m.end > m.start:
                m.start += off
                m.end += off
            mitigations.append(m)
        for t in r.targets:
            targets.setdefault(t.id, t)
    if best.verdict is Verdict.NETRAL:
        reasons = []
    reasons.sort(key=lambda x: (-x.weight, x.start))
    del reasons[MAX_MERGED_REASONS:]  # a long text keeps its strongest reasons
    return Result(
        verdict=best.verdict, score=best.score, kind=best.kind, lang=best.lang, reasons=reasons,
        targets=list(targets.values()), mitigations=mitigations, summary=best.summary,
        advice=best.advice, packs=best.packs, rule_score=max(r.rule_score for _, r in parts),
        model_score=max(r.model_score for _, r in parts),
        detector_version=best.detector_version, disclaimer=best.disclaimer,
    )


def _dedupe(ev: list[_Evidence]) -> list[_Evidence]:
    """One piece of evidence per overlapping span and target: the strongest."""
    kept: list[_Evidence] = []
    for e in sorted(ev, key=lambda x: -x.weight):
        if any(k.entity == e.entity and k.pack == e.pack and not (e.j < k.i or e.i > k.j)
               for k in kept):
            continue
        kept.append(e)
    return kept


def _longest(hits: list[Hit]) -> list[Hit]:
    """Drop hits strictly inside a longer name/hashtag/slogan hit (``prabowo`` inside
    ``prabowo sandi`` or ``#PrabowoGibran``): the longer reference is the more specific one.
    Of a pair and a party sharing one name (Prabowo/Gerindra), keep the pair."""
    outer = [h for h in hits if h.entry.group in ("name", "hashtag", "slogan", "mock")]
    out = [
        h for h in hits
        if not any(o.i <= h.i and h.j <= o.j and (o.j - o.i) > (h.j - h.i) for o in outer)
    ]
    pair_spans = {(h.i, h.j, h.entry.pack) for h in out
                  if h.entry.entity and h.entry.entity.startswith("pair")}
    return [h for h in out if not (h.entry.entity and h.entry.entity.startswith("party")
                                   and (h.i, h.j, h.entry.pack) in pair_spans)]


_QUOTE_RE = re.compile(r'"[^"\n]{2,}"|“[^”\n]{2,}”|«[^»\n]{2,}»|\'[^\'\n]{3,}\'')


def _quote_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _QUOTE_RE.finditer(text)]


def _token_at(nt: NormText, pos: int, last: bool = False) -> int:
    idx = [k for k, t in enumerate(nt.tokens) if t.start <= pos < t.end]
    if not idx:
        return 0
    return idx[-1] if last else idx[0]


def _drop_boilerplate(nt: NormText, text: str, phrases: Iterable[str]) -> NormText:
    low = text.casefold()
    spans = []
    for p in phrases:
        p = p.casefold().strip()
        if not p:
            continue
        start = low.find(p)
        while start >= 0:
            spans.append((start, start + len(p)))
            start = low.find(p, start + 1)
    if not spans:
        return nt
    keep = [t for t in nt.tokens if not any(s <= t.start and t.end <= e for s, e in spans)]
    tags = [t for t in nt.hashtags if not any(s <= t.start and t.end <= e for s, e in spans)]
    return NormText(nt.original, keep, hashtags=tags, mentions=nt.mentions, urls=nt.urls)


_MITIGATION_NOTES = {
    "cek_fakta": ("Konteks cek fakta/bantahan hoaks", "Fact-check / hoax debunk context"),
    "ketidaksetujuan": ("Dikutip untuk tidak disetujui", "Quoted with disapproval"),
    "pengingat_netralitas": ("Pengingat netralitas ASN", "ASN neutrality reminder"),
    "info_pemilu": ("Informasi pemilu/ajakan netral", "Neutral election information"),
    "berita": ("Pemberitaan", "News reporting"),
    "kedinasan": ("Kegiatan kedinasan/pelayanan publik", "Official work / public service"),
    "berimbang": ("Menyebut semua peserta secara berimbang", "Mentions all contestants evenly"),
}


def _mitigation_note(cat: str, lang: str) -> str:
    idn, en = _MITIGATION_NOTES[cat]
    return en if lang == "en" else idn


def _summary(verdict: Verdict, targets: list[Target], reasons: list[Reason], lang: str) -> str:
    who = ", ".join(t.label for t in targets[:3])
    cats = ", ".join(dict.fromkeys(rules.category_label(r.category, lang) for r in reasons))
    if lang == "en":
        if verdict is Verdict.NETRAL:
            return "No campaign content found."
        head = "Likely campaign content" if verdict is Verdict.KAMPANYE else "Needs review"
        return f"{head}: {cats}" + (f" — target: {who}" if who else "") + "."
    if verdict is Verdict.NETRAL:
        return "Tidak ditemukan muatan kampanye."
    head = "Kemungkinan muatan kampanye" if verdict is Verdict.KAMPANYE else "Perlu ditinjau"
    return f"{head}: {cats}" + (f" — sasaran: {who}" if who else "") + "."


def _advice_lines(verdict: Verdict, reasons: list[Reason], kind: str, lang: str,
                  extra: list[str]) -> list[str]:
    if verdict is Verdict.NETRAL:
        return ["Aman dari sisi netralitas; tetap bijak bermedia sosial." if lang == "id"
                else "No neutrality concern found; stay mindful online."]
    lines: list[str] = []
    if reasons:
        lines.append(reasons[0].advice)
    ka = rules.kind_advice(kind, lang)
    if ka:
        lines.append(ka)
    lines.extend(extra)
    return lines


_detectors: dict[tuple[str, ...] | None, Detector] = {}
_lock = threading.Lock()


def get_detector(packs: Sequence[str] | str | None = None) -> Detector:
    key: tuple[str, ...] | None
    if packs is None or packs == "" or packs == ():
        key = None
    elif isinstance(packs, str):
        key = tuple(p.strip() for p in packs.split(",") if p.strip())
    else:
        key = tuple(packs)
    det = _detectors.get(key)
    if det is None:
        with _lock:
            det = _detectors.get(key)
            if det is None:
                det = Detector(load_packs(key))
                _detectors[key] = det
    return det
