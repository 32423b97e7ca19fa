"""What the user is shown: reasons with spans of the ORIGINAL text, rules and advice per
reason, the contestants targeted, mitigations, a one-line summary and the advice.
"""

from __future__ import annotations

from netral import rules
from netral.detect.combine import name_tag
from netral.detect.document import Document
from netral.detect.knowledge import Knowledge
from netral.detect.result import Mitigation, Reason, Result, Target, Verdict
from netral.detect.score import TINJAU_AT

# below this weight a bare mention of a contestant is not worth showing as a reason
_MIN_MENTION_WEIGHT = 0.3
# the model explains a verdict only when it adds this much and no rule explains it already
_MIN_MODEL_PART = 0.3
# a netral verdict still lists targets the text clearly points at
_MIN_NETRAL_TARGET_WEIGHT = 0.5

_MITIGATION_NOTES = {
    "cek_fakta": ("Konteks cek fakta/bantahan hoaks", "Fact-check / hoax debunk context"),
    "ketidaksetujuan": ("Dikutip untuk tidak disetujui", "Quoted with disapproval"),
    "pengingat_netralitas": ("Pengingat netralitas ASN", "ASN neutrality reminder"),
    "info_pemilu": ("Informasi pemilu/ajakan netral", "Neutral election information"),
    "berita": ("Pemberitaan", "News reporting"),
    "kedinasan": ("Kegiatan kedinasan/pelayanan publik", "Official work / public service"),
    "berimbang": ("Menyebut semua peserta secara berimbang", "Mentions all contestants evenly"),
    "tanpa_pihak": ("Tidak memihak (siapa pun yang menang, semua calon, belum memilih)",
                    "Takes no side (whoever wins, all candidates, undecided)"),
}


# evidence notes of a mocking nickname (cues.entity_evidence) -> the advice that names it
_NICKNAME_NOTES = {"julukan": "mock_nickname", "julukan_pendukung": "mock_camp"}


def evidence_reasons(doc: Document, kb: Knowledge) -> None:
    """A reason per weighed piece of evidence, and the targets with their strongest weight."""
    nt, targets, target_weight = doc.nt, doc.targets, doc.target_weight
    for item in doc.weighed:
        e, w, label, tid = item.evidence, item.weight, item.label, item.target_id
        if tid:
            t = targets.get(tid)
            if t is None or w > target_weight[tid]:
                entity = kb.entity(e.pack, e.entity) if e.entity else None
                targets[tid] = Target(
                    id=tid, label=label, kind=entity.kind if entity else "pair",
                    number=entity.number if entity else None, pack=e.pack or "",
                    stance=e.stance,
                )
                target_weight[tid] = w
        if e.category == "sebutan_calon" and w < _MIN_MENTION_WEIGHT:
            continue
        s, t_end = nt.token_span(e.i, e.j)
        rule = rules.rule_for(e.category, doc.kind)
        if e.note in _NICKNAME_NOTES and label:
            # the rule by its first reference: the reason carries the full citation
            note = rules.context_advice(_NICKNAME_NOTES[e.note], doc.lang, term=nt.original[s:t_end],
                                        target=label, rule=rule.first_citation(doc.lang))
            if note not in doc.notes:
                doc.notes.append(note)
        doc.reasons.append(Reason(
            category=e.category, start=s, end=t_end, text=nt.original[s:t_end],
            target=label, target_id=tid, rule=rule.id, rule_ref=rule.citation(doc.lang),
            advice=rules.advice(e.category, doc.lang), weight=round(w, 4), source=e.source,
            uncertain=rule.uncertain,
        ))


def model_reasons(doc: Document, kb: Knowledge) -> None:
    """The words that made the model confident, when only the model sees campaigning: when it
    adds enough to the hand-set score, or when the combiner (which weighs the model itself)
    flags a text no rule explains — every flag must say why."""
    if any(r.category != "sebutan_calon" for r in doc.reasons):
        return
    flagged_by_model = doc.model_used and doc.score >= TINJAU_AT
    if doc.model_part < _MIN_MODEL_PART and not flagged_by_model:
        return
    nt = doc.nt
    spans = kb.model.explain(nt, top=3)
    # a hashtag built on a contestant's name (combine.name_tag) is shown first, once: the
    # combiner weighs it beside the model, and it is what a reader can remove
    tag = name_tag(doc) if flagged_by_model else None
    if tag is not None:
        ts, te = nt.token_span(*tag)
        spans = [tag, *(sp for sp in spans if not _overlaps(nt.token_span(*sp), ts, te))]
    if not spans and not flagged_by_model:
        return
    rule = rules.rule_for("implisit", doc.kind)
    # the model cannot tell whom it is about: the target of the evidence weighed first (the
    # strongest before context) is the best guess
    target = next(iter(doc.targets.values()), None)
    # no word stands out (the model read numbers, emoji or masked names): the whole text is
    # what it read, and a flag must still say why
    places = [nt.token_span(i, j) for i, j in spans] or [(0, len(nt.original))]
    for s, e in places:
        doc.reasons.append(Reason(
            category="implisit", start=s, end=e, text=nt.original[s:e],
            target=target.label if target else None, target_id=target.id if target else None,
            rule=rule.id, rule_ref=rule.citation(doc.lang), advice=rules.advice("implisit", doc.lang),
            weight=round(doc.model_part, 4), source="model", uncertain=rule.uncertain,
        ))


def _overlaps(span: tuple[int, int], start: int, end: int) -> bool:
    return span[0] < end and start < span[1]


def result(doc: Document, kb: Knowledge) -> Result:
    """The Result of a document that went through every stage."""
    nt, lang, verdict = doc.nt, doc.lang, doc.verdict
    reasons = [] if verdict is Verdict.NETRAL else doc.reasons
    reasons.sort(key=lambda r: (-r.weight, r.start))
    mit_out = []
    for cat, m in doc.applied.items():
        if m.hit is None:
            mit_out.append(Mitigation(cat, 0, 0, "", mitigation_note(cat, lang)))
        else:
            s, e_ = nt.token_span(m.hit.i, m.hit.j)
            mit_out.append(Mitigation(cat, s, e_, nt.original[s:e_], mitigation_note(cat, lang)))
    weight = doc.target_weight
    target_list = sorted(doc.targets.values(), key=lambda t: -weight[t.id])
    if verdict is Verdict.NETRAL:
        target_list = [t for t in target_list if weight[t.id] >= _MIN_NETRAL_TARGET_WEIGHT]
    low = low_note(doc, lang) if verdict is Verdict.NETRAL else None
    return Result(
        verdict=verdict,
        score=round(doc.score, 4),
        kind=doc.kind,
        lang=lang,
        reasons=reasons,
        targets=target_list,
        mitigations=mit_out,
        summary=low[0] if low else summary(verdict, target_list, reasons, lang),
        advice=low[1] if low else " ".join(advice_lines(verdict, reasons, doc.kind, lang,
                                                         doc.notes)),
        packs=list(kb.pack_names),
        rule_score=round(doc.rule_score, 4),
        model_score=round(doc.model_p, 4),
        detector_version=kb.version,
        disclaimer=rules.disclaimer(lang),
    )


def clear(kind: str, lang: str, kb: Knowledge) -> Result:
    """The result for text the pre-filter found nothing in (no name, cue, number, emoji)."""
    return Result(
        verdict=Verdict.NETRAL, score=0.0, kind=kind, lang=lang,
        summary=summary(Verdict.NETRAL, [], [], lang),
        advice=" ".join(advice_lines(Verdict.NETRAL, [], kind, lang, [])),
        packs=list(kb.pack_names), detector_version=kb.version,
        disclaimer=rules.disclaimer(lang),
    )


def mitigation_note(cat: str, lang: str) -> str:
    idn, en = _MITIGATION_NOTES[cat]
    return en if lang == "en" else idn


# a netral verdict is explained (what was noticed, why it stayed low) from this score on, or
# whenever some evidence was found
_NOTICED_FROM = 0.15


def low_note(doc: Document, lang: str) -> tuple[str, str] | None:
    """Summary and advice of a netral verdict that saw *something*: what was noticed and why
    the score stayed low — never "safe" (issue 15). None for a text with nothing in it."""
    en = lang == "en"
    noticed: list[str] = []
    nt = doc.nt
    found = [(w.weight, w.evidence.category, nt.token_span(w.evidence.i, w.evidence.j))
             for w in doc.weighed]
    found += [(r.weight, r.category, (r.start, r.end)) for r in doc.reasons if r.source == "model"]
    for _, category, (s, e) in sorted(found, key=lambda x: -x[0]):
        label = rules.category_label(category, lang)
        item = f"{label} «{nt.original[s:e]}»" if e > s else label
        if item not in noticed:
            noticed.append(item)
        if len(noticed) == 3:
            break
    if not noticed and doc.model_used and doc.model_p >= 0.5:
        noticed.append("wording the statistical model associates with campaign posts" if en
                       else "pilihan kata yang oleh model statistik dikaitkan dengan unggahan "
                            "kampanye")
    if not noticed and doc.score < _NOTICED_FROM:
        return None
    if not noticed:
        noticed.append("a weak signal with no clear cue" if en
                       else "sinyal lemah tanpa petunjuk yang jelas")
    context = ", ".join(mitigation_note(cat, lang).lower() for cat in doc.applied)
    why = [f"the context is {context}" if en else f"konteksnya {context}"] if context else []
    if doc.floor_vetoed:  # explicit words, but the whole text reads like netral ones (floors)
        why.insert(0, "the text as a whole reads like posts that are not campaigning (a report, "
                      "official work, a reply about something else), which outweighs those words"
                   if en else "teks secara utuh lebih mirip unggahan yang bukan kampanye (berita, "
                              "kegiatan kedinasan, balasan tentang hal lain) sehingga kata-kata itu "
                              "tidak menentukan")
    if not doc.in_domain:
        why.append("the text is not in a language the model learned and has no election term"
                   if en else "bahasanya di luar cakupan model dan tidak ada istilah pemilu")
    if not why:
        strong = any(w.evidence.strong for w in doc.weighed)
        if doc.weighed and not strong:
            why.append("only a mention, with no call to vote, support or attack" if en
                       else "hanya penyebutan, tanpa ajakan memilih, dukungan, atau serangan")
        else:
            why.append("the evidence is too weak on its own" if en
                       else "buktinya terlalu lemah untuk berdiri sendiri")
    score = f"{doc.score:.2f}"
    if en:
        return (f"No clear campaign content. Noticed: {'; '.join(noticed)}. The score stayed "
                f"low ({score}) because {', and '.join(why)}.",
                "Nothing here needs removing, but posts that touch on contestants are easily "
                "read as support: keep what was noticed in mind.")
    return (f"Tidak jelas bermuatan kampanye. Yang terlihat: {'; '.join(noticed)}. Skor tetap "
            f"rendah ({score}) karena {', dan '.join(why)}.",
            "Tidak ada yang harus dihapus, tetapi unggahan yang menyinggung peserta pemilu mudah "
            "dibaca sebagai dukungan: perhatikan hal yang terlihat di atas.")


def _who(targets: list[Target], lang: str) -> str:
    """Targets with their stance: an attack is explained as an attack."""
    attacked = " (attacked)" if lang == "en" else " (diserang)"
    return ", ".join(t.label + (attacked if t.stance == "oppose" else "") for t in targets[:3])


def summary(verdict: Verdict, targets: list[Target], reasons: list[Reason], lang: str) -> str:
    who = _who(targets, lang)
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


def advice_lines(verdict: Verdict, reasons: list[Reason], kind: str, lang: str,
                 extra: list[str]) -> list[str]:
    """The strongest reason's advice, then the act's, then the date/role notes."""
    if verdict is Verdict.NETRAL:
        return ["Tidak ada tanda kampanye yang terdeteksi; tetap bijak bermedia sosial."
                if lang == "id" else "No sign of campaigning was detected; stay mindful online."]
    lines: list[str] = []
    if reasons:
        lines.append(reasons[0].advice)
    ka = rules.kind_advice(kind, lang)
    if ka:
        lines.append(ka)
    lines.extend(extra)
    return lines
