"""What the user is shown: reasons with spans of the ORIGINAL text, rules and advice per
reason, the contestants targeted, mitigations, a one-line summary and the advice.
"""

from __future__ import annotations

from netral import rules
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
}


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
    return Result(
        verdict=verdict,
        score=round(doc.score, 4),
        kind=doc.kind,
        lang=lang,
        reasons=reasons,
        targets=target_list,
        mitigations=mit_out,
        summary=summary(verdict, target_list, reasons, lang),
        advice=" ".join(advice_lines(verdict, reasons, doc.kind, lang, doc.notes)),
        packs=sorted(kb.pack_by_name),
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
        packs=sorted(kb.pack_by_name), detector_version=kb.version,
        disclaimer=rules.disclaimer(lang),
    )


def mitigation_note(cat: str, lang: str) -> str:
    idn, en = _MITIGATION_NOTES[cat]
    return en if lang == "en" else idn


def summary(verdict: Verdict, targets: list[Target], reasons: list[Reason], lang: str) -> str:
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


def advice_lines(verdict: Verdict, reasons: list[Reason], kind: str, lang: str,
                 extra: list[str]) -> list[str]:
    """The strongest reason's advice, then the act's, then the date/role notes."""
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
