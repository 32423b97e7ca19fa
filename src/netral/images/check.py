"""``check_image``: one picture (plus its caption) -> one explained ``netral.Result``.

The text read from the picture goes through the same detector as any post (``netral``'s
detection core); gestures, reference attributes and twibbon frames add image reasons. A
ballot-number gesture alone is ``tinjau``; with election context (campaign text or election
words in the caption or picture, a matched campaign attribute or twibbon, the pack's campaign
period at ``when``, the contestant's colours) its weight rises, and the explanation names
the context.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from netral.detect.result import Reason, Result, Target, Verdict
from netral.detect.score import verdict_for
from netral.detect.when import parse_when
from netral.images import attributes as attr
from netral.images.gesture import Gesture, GestureRun, detect_gestures
from netral.images.load import LoadedImage, load_image
from netral.images.messages import gesture_name, msg
from netral.images.ocr import OcrResult, OcrUnavailable, Word, ocr_frames, words_in_span
from netral.kinds import Kind

# Gesture -> the signal token the knowledge packs use for it (Entity.gestures).
GESTURE_TOKENS = {
    "satu_jari": "emo_1jari",
    "dua_jari": "emo_2jari",
    "tiga_jari": "emo_3jari",
    "metal": "emo_metal",
    "empat_jari": "emo_4jari",
    "jempol": "emo_jempol",
    "ok": "emo_3jari",  # some regional handouts read the OK shape as 3
}
GESTURE_NUMBER = {"satu_jari": 1, "dua_jari": 2, "tiga_jari": 3, "metal": 3, "empat_jari": 4,
                  "jempol": 1, "ok": 3}
# Poses that are everyday far more often than they are salutes (a thumbs up — a 2019
# symbol — and the OK sign, which only some regional handouts read as 3): they count only
# together with election context. Four fingers with the thumb folded (salam 4 jari, 2024)
# counts alone, like the ballot salutes (labelling rule: four -> tinjau).
NEEDS_CONTEXT = {"jempol", "ok"}

# Weights of image evidence (noisy-OR with the text score; verdict thresholds are the
# detector's). A gesture alone stays below the kampanye threshold by design.
W_GESTURE = 0.5
W_ATTRIBUTE = 0.5
W_TWIBBON = 0.45
CONTEXT_WEIGHT = {
    "text_flag": 0.3,  # the detector flagged the caption or the picture's text
    "election_words": 0.2,  # election vocabulary in the caption or picture
    "attribute": 0.25,  # a matched campaign attribute in the same picture
    "twibbon": 0.2,
    "gesture": 0.2,  # (for attributes) a ballot gesture in the same picture
    "campaign_period": 0.12,  # weak: many unrelated photos are taken in a campaign period
    "party_colour": 0.12,  # weak: colours are everywhere
}
COLOUR_SHARE_MIN = 0.25
ELECTION_WORDS = (
    "pemilu", "pilpres", "pileg", "pilkada", "pilgub", "pilbup", "pilwalkot", "capres",
    "cawapres", "caleg", "paslon", "coblos", "nyoblos", "kampanye", "partai", "nomor urut",
    "no urut", "tps", "pemungutan suara", "surat suara", "kpu", "bawaslu", "pencoblosan",
    # a vote for a number on a picture (a twibbon's "SAYA PILIH NOMOR 2"): in text alone the
    # detector reads "pilih nomor 2" without other election words as a possible menu choice
    "pilih nomor", "pilih no",
)
# words of a phrase may be split over lines of a poster or frame ("PILIH\nNOMOR 2")
_ELECTION_RE = re.compile(
    r"\b(" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ELECTION_WORDS) + r")\b",
    re.IGNORECASE)


@dataclass(slots=True)
class ImageReason(Reason):
    """A Reason that also says where it was found: ``where`` is ``image`` (text read from
    the picture, a gesture, an attribute), ``caption`` or ``frame`` (twibbon); ``boxes``
    lists the recognised words / hands / logos with their boxes (left, top, width,
    height in the original picture)."""

    where: str = "image"
    boxes: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class ImageResult(Result):
    """``netral.Result`` for a picture. Reason spans refer to ``source_text`` (the caption,
    a blank line, then the text read from the picture)."""

    source_text: str = ""
    caption_span: tuple[int, int] = (0, 0)
    ocr_span: tuple[int, int] = (0, 0)
    image: dict[str, Any] = field(default_factory=dict)
    ocr_text: str = ""
    ocr_words: list[dict[str, Any]] = field(default_factory=list)
    ocr_lang: str = ""
    gestures: list[dict[str, Any]] = field(default_factory=list)
    gesture_method: str = ""
    attributes: list[dict[str, Any]] = field(default_factory=list)
    twibbon: dict[str, Any] | None = None
    context: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _word_box(w: Word) -> dict[str, Any]:
    return {"text": w.text, "box": list(w.box), "conf": round(w.conf, 1), "frame": w.frame}


def _box_str(box) -> str:
    x, y, w, h = box
    return f"x={x} y={y} {w}×{h}"


class _PackIndex:
    """Gesture tokens, colours and campaign periods from the detector's packs."""

    def __init__(self, detector) -> None:
        self.detector = detector
        self.packs = list(getattr(detector, "packs", []))

    def packs_at(self, day: date | None):
        if day is not None:
            live = [p for p in self.packs if p.in_force.contains(day)]
            if live:
                return live
        with_gestures = [p for p in self.packs if any(e.gestures for e in p.entities)]
        if not with_gestures:
            return []
        latest = max(with_gestures, key=lambda p: p.election_date)
        return [latest]

    def entity_for(self, gesture: str, day: date | None):
        token = GESTURE_TOKENS.get(gesture)
        if token is None:
            return None, None
        for pack in self.packs_at(day):
            ents = [e for e in pack.entities if token in e.gestures]
            ents.sort(key=lambda e: (e.kind != "pair", e.number or 0))
            if ents:
                return pack, ents[0]
        return None, None

    def label(self, pack, entity, lang: str) -> str:
        return self.detector.target_label(pack.name, entity.id, lang)[0]

    def campaign_period(self, day: date | None):
        if day is None:
            return None, None
        for pack in self.packs:
            period = pack.period_at(day)
            if period is not None and period.kind == "kampanye":
                return pack, period
        return None, None


def _rule(category: str, kind: str, lang: str):
    from netral import rules

    r = rules.rule_for(category, kind)
    return r.id, r.citation(lang), r.uncertain


def check_image(
    path_or_bytes: str | os.PathLike[str] | bytes,
    *,
    caption: str | None = None,
    kind: str = "post",
    when: date | datetime | str | None = None,
    lang: str = "id",
    pack: str | list[str] | None = None,
    account: str = "personal",
    employee: str = "pns",
    name: str | None = None,
    ocr: bool = True,
    gestures: bool = True,
    thorough_ocr: bool = False,
    gesture_detector: str | None = None,
) -> ImageResult:
    """Judge a picture (a post's image, a shared flyer, a profile photo) as the act ``kind``.

    Raises :class:`netral.images.ImageError` for files that cannot or must not be read
    (missing, empty, corrupt, too large, decompression bombs, unsupported HEIC) and
    ``ValueError`` for a bad ``kind``/``when``. ``gesture_detector`` (``landmark`` or
    ``classical``) overrides ``NETRAL_GESTURE_DETECTOR``; the landmark model is the default
    and the classical detector runs only when the model cannot be loaded (the result's
    ``gesture_method`` says which ran, ``notes`` why)."""
    from netral.detect.detector import get_detector

    lang = "en" if lang == "en" else "id"
    if (kind or "post").lower() not in {k.value for k in Kind}:
        raise ValueError(f"unknown kind '{kind}' (one of: {', '.join(k.value for k in Kind)})")
    day = parse_when(when)
    loaded: LoadedImage = load_image(path_or_bytes, lang=lang, name=name)
    notes: list[str] = []
    if loaded.animated:
        notes.append(
            f"animasi {loaded.n_frames} bingkai; dianalisis bingkai {loaded.frame_indices}"
            if lang == "id" else
            f"animation of {loaded.n_frames} frames; analysed frames {loaded.frame_indices}"
        )

    # 1. text in the picture ---------------------------------------------------------------
    ocr_res: OcrResult | None = None
    if ocr:
        try:
            ocr_res = ocr_frames(loaded.frames, thorough=thorough_ocr)
        except OcrUnavailable as exc:
            notes.append(msg("ocr_unavailable", lang, reason=exc.reason(lang)))
    ocr_text = ocr_res.text if ocr_res else ""
    words = ocr_res.words if ocr_res else []
    cap = (caption or "").strip("\n")
    if cap and ocr_text:
        source = f"{cap}\n\n{ocr_text}"
        ocr_off = len(cap) + 2
    else:
        source = cap or ocr_text
        ocr_off = 0 if not cap else len(source)
    caption_span = (0, len(cap)) if cap else (0, 0)
    ocr_span = (ocr_off, ocr_off + len(ocr_text)) if ocr_text else (0, 0)

    detector = get_detector(pack)
    base = detector.check(source, kind=kind, lang=lang, when=when, account=account,
                          employee=employee)
    kind = base.kind
    index = _PackIndex(detector)

    where_img, where_cap = msg("ocr_where", lang), msg("caption_where", lang)
    reasons: list[Reason] = []
    for r in base.reasons:
        in_ocr = ocr_text and r.end > ocr_span[0] and r.start < ocr_span[1]
        boxes = []
        if in_ocr:
            boxes = [_word_box(w) for w in
                     words_in_span(words, r.start - ocr_span[0], r.end - ocr_span[0])]
        fields = {k: getattr(r, k) for k in Reason.__dataclass_fields__}
        reasons.append(ImageReason(**fields, where="image" if in_ocr else "caption",
                                   boxes=boxes))

    # 2. election context from the text ----------------------------------------------------
    ctx: dict[str, str] = {}
    flagged_where = {getattr(r, "where", "caption") for r in reasons}
    if base.verdict is not Verdict.NETRAL:
        ctx["text_flag"] = msg("ctx_text_flag", lang, where=" + ".join(
            where_img if w == "image" else where_cap for w in sorted(flagged_where)))
    found = []
    for seg, where in ((cap, where_cap), (ocr_text, where_img)):
        hits = sorted({" ".join(m.group(1).lower().split())
                       for m in _ELECTION_RE.finditer(seg or "")})
        if hits:
            found.append((where, hits))
    if found:
        ctx["election_words"] = "; ".join(
            msg("ctx_election_words", lang, where=w, words=", ".join(h)) for w, h in found)
    p_pack, period = index.campaign_period(day)
    if period is not None:
        ctx["campaign_period"] = msg("ctx_campaign_period", lang, when=day.isoformat(),
                                     pack=p_pack.name)

    # 3. attributes and twibbon ------------------------------------------------------------
    matches: list[attr.AttributeMatch] = []
    twib: attr.Twibbon | None = None
    for fi, frame in enumerate(loaded.frames):
        matches.extend(attr.match_references(frame, fi))
        if twib is None:
            twib = attr.detect_twibbon(frame, words, fi)
    if matches:
        ctx["attribute"] = "; ".join(msg("ctx_attribute", lang, label=m.label) for m in matches)
    if twib is not None:
        ctx["twibbon"] = msg("ctx_twibbon", lang)

    # 4. gestures --------------------------------------------------------------------------
    run: GestureRun | None = detect_gestures(loaded.frames, gesture_detector) if gestures else None
    found_gestures: list[Gesture] = run.gestures if run else []
    if run is not None and run.fallback_reason:
        notes.append(msg("gesture_fallback", lang, detail=run.fallback_reason))
    signal = []
    for g in found_gestures:
        if g.name in NEEDS_CONTEXT and not ctx:
            continue
        g_pack, entity = index.entity_for(g.name, day)
        if entity is not None:
            signal.append((g, g_pack, entity))

    targets: dict[str, Target] = {t.id: t for t in base.targets}
    image_weights: list[float] = []
    context_used: list[str] = []

    for g, g_pack, entity in signal:
        g_ctx = dict(ctx)
        if entity.colours:
            share = max(attr.colour_share(f, entity.colours) for f in loaded.frames)
            if share >= COLOUR_SHARE_MIN:
                g_ctx["party_colour"] = msg("ctx_party_colour", lang,
                                            colour=", ".join(entity.colours), share=share)
        weight = W_GESTURE * (0.9 + 0.1 * g.confidence)
        weight = min(0.97, weight + sum(CONTEXT_WEIGHT[k] for k in g_ctx))
        image_weights.append(weight)
        label = index.label(g_pack, entity, lang)
        tid = f"{g_pack.name}/{entity.id}"
        targets.setdefault(tid, Target(id=tid, label=label, kind=entity.kind,
                                       number=entity.number, pack=g_pack.name))
        gname = gesture_name(g.name, lang)
        number = GESTURE_NUMBER.get(g.name, "?")
        if g_ctx:
            advice = msg("gesture_context", lang, gesture=gname, number=number,
                         context="; ".join(g_ctx.values()))
            context_used.extend(v for v in g_ctx.values() if v not in context_used)
        else:
            advice = msg("gesture_alone", lang, gesture=gname, number=number)
        rid, ref, _unc = _rule("atribut_gestur", kind, lang)
        reasons.append(ImageReason(
            category="atribut_gestur", start=0, end=0,
            text=msg("gesture_text", lang, gesture=gname, box=_box_str(g.box)),
            target=label, target_id=tid, rule=rid, rule_ref=ref, advice=advice,
            weight=round(weight, 4), source="gesture",
            uncertain=True,  # whether the pose list is in the SKB itself is [uncertain]
            where="image",
            boxes=[{"text": g.name, "box": list(g.box), "conf": g.confidence, "frame": g.frame}],
        ))

    for m in matches:
        m_ctx = {k: v for k, v in ctx.items() if k != "attribute"}
        if signal:
            m_ctx["gesture"] = gesture_name(signal[0][0].name, lang)
        weight = min(0.97, W_ATTRIBUTE * (0.8 + 0.2 * m.similarity)
                     + sum(CONTEXT_WEIGHT[k] for k in m_ctx))
        image_weights.append(weight)
        context_used.extend(v for v in m_ctx.values() if v not in context_used)
        rid, ref, unc = _rule("atribut_gestur", kind, lang)
        reasons.append(ImageReason(
            category="atribut_gestur", start=0, end=0,
            text=msg("attribute_text", lang, label=m.label, similarity=m.similarity,
                     box=_box_str(m.box)),
            target=None, target_id=m.target_id, rule=rid, rule_ref=ref,
            advice=msg("attribute_advice", lang, label=m.label, kind=m.kind),
            weight=round(weight, 4), source="attribute", uncertain=unc, where="image",
            boxes=[{"text": m.label, "box": list(m.box), "conf": m.similarity,
                    "frame": m.frame}],
        ))

    if twib is not None:
        t_ctx = {k: v for k, v in ctx.items() if k in ("text_flag", "election_words")}
        weight = min(0.97, W_TWIBBON + (0.1 if kind == "bio" else 0.0)
                     + sum(CONTEXT_WEIGHT[k] for k in t_ctx))
        image_weights.append(weight)
        rid, ref, _unc = _rule("atribut_gestur", kind, lang)
        frame_boxes = [_word_box(w) for w in words if w.text in twib.words]
        reasons.append(ImageReason(
            category="atribut_gestur", start=0, end=0,
            text=msg("twibbon_text", lang, coverage=twib.coverage),
            target=None, target_id=None, rule=rid, rule_ref=ref,
            advice=msg("twibbon_advice", lang), weight=round(weight, 4), source="twibbon",
            uncertain=True, where="frame", boxes=frame_boxes,
        ))

    # 5. combine ---------------------------------------------------------------------------
    # text that the detector judged netral adds nothing (OCR noise on photos has a small
    # model score that must not push a lone gesture over the kampanye threshold)
    miss = 1.0 - base.score if base.verdict is not Verdict.NETRAL else 1.0
    for w in image_weights:
        miss *= 1.0 - w
    score = round(min(max(1.0 - miss, 0.0), 1.0), 4)
    verdict = verdict_for(score)
    if verdict is Verdict.NETRAL:
        reasons = []
    reasons.sort(key=lambda r: (-r.weight, r.start))
    image_advice = [r.advice for r in reasons if r.source in ("gesture", "attribute", "twibbon")]
    text_advice = [base.advice] if base.reasons else []
    advice = " ".join(dict.fromkeys(text_advice + image_advice))
    if verdict is Verdict.NETRAL:
        advice = base.advice
    summary = msg("summary_image", lang, name=os.path.basename(loaded.name), verdict=verdict,
                  n_words=len(words), n_gestures=len(signal), n_attrs=len(matches))
    if base.reasons and base.summary:
        summary = f"{summary} {base.summary}"
    target_list = list(targets.values()) if verdict is not Verdict.NETRAL else list(base.targets)
    return ImageResult(
        verdict=verdict,
        score=score,
        kind=kind,
        lang=lang,
        reasons=reasons,
        targets=target_list,
        mitigations=list(base.mitigations),
        summary=summary,
        advice=advice,
        packs=list(base.packs),
        rule_score=base.rule_score,
        model_score=base.model_score,
        detector_version=base.detector_version,
        disclaimer=base.disclaimer,
        source_text=source,
        caption_span=caption_span,
        ocr_span=ocr_span,
        image=loaded.info(),
        ocr_text=ocr_text,
        ocr_words=[_word_box(w) | {"start": w.start + ocr_off, "end": w.end + ocr_off}
                   for w in words],
        ocr_lang=ocr_res.lang if ocr_res else "",
        gestures=[g.to_dict() for g in found_gestures],
        gesture_method=run.method if run else "",
        attributes=[m.to_dict() for m in matches],
        twibbon=twib.to_dict() if twib else None,
        context=context_used,
        notes=notes,
    )
