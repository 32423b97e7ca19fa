"""Compose evidence, mitigations and the model into one score, and the score into a verdict.

``verdict_for`` and the thresholds are public: every judge of ASN content (text, images)
must draw the kampanye/tinjau/netral lines at the same places.
"""

from __future__ import annotations

from netral.detect.combine import load_combiner
from netral.detect.context import body_announcement
from netral.detect.document import Document, Evidence, MitigationHit, Weighed
from netral.detect.knowledge import Knowledge
from netral.detect.result import Verdict

KAMPANYE_AT = 0.65  # score from which content is likely campaigning
TINJAU_AT = 0.40  # score from which a human reviewer should look

# floors of the combined mitigation factors: context lowers evidence, never erases it
_MIN_STRONG_FACTOR = 0.15
_MIN_WEAK_FACTOR = 0.1


def verdict_for(score: float) -> Verdict:
    """The verdict a score in [0, 1] stands for."""
    if score >= KAMPANYE_AT:
        return Verdict.KAMPANYE
    if score >= TINJAU_AT:
        return Verdict.TINJAU
    return Verdict.NETRAL


def weigh(doc: Document, kb: Knowledge) -> None:
    """Weigh each piece of evidence, combine them into the rule score and add the model."""
    # each mitigation category counts once, at its strongest
    applied: dict[str, MitigationHit] = {}
    for m in doc.mitigations:
        if m.category not in applied or m.strong_factor < applied[m.category].strong_factor:
            applied[m.category] = m
    strong_factor = 1.0
    weak_factor = 1.0
    for m in applied.values():
        strong_factor *= m.strong_factor
        weak_factor *= m.weak_factor
    strong_factor = max(strong_factor, _MIN_STRONG_FACTOR)
    weak_factor = max(weak_factor, _MIN_WEAK_FACTOR)
    doc.applied = applied

    # strongest evidence per (target, category); categories combine by noisy-OR within a
    # target; the best-supported target decides (support for several is not additive)
    best: dict[tuple[str | None, str], float] = {}
    for e in _dedupe(doc.evidence):
        w = e.weight * doc.pack_weight.get(e.pack or "", 1.0)
        # explicit and weak evidence are lowered differently by the same context
        w *= strong_factor if e.strong else weak_factor
        label, tid = kb.target_label(e.pack, e.entity, doc.lang)
        key = (tid, e.category)
        best[key] = max(best.get(key, 0.0), w)
        doc.weighed.append(Weighed(e, w, label, tid))
    per_target: dict[str | None, float] = {}
    for (tid, _), w in best.items():
        per_target[tid] = 1.0 - (1.0 - per_target.get(tid, 0.0)) * (1.0 - w)
    untargeted = per_target.pop(None, 0.0)
    top = max(per_target.values(), default=0.0)
    doc.rule_score = 1.0 - (1.0 - top) * (1.0 - untargeted)

    # the model: implicit support, weighing more where the text is election-related at all;
    # only confident predictions count (p=0.5 adds nothing, p>=0.95 adds model_w)
    model_w = 0.7 if doc.election_ctx else 0.45
    doc.model_part = min(1.0, max(0.0, (doc.model_p - 0.5) / 0.45)) * model_w * weak_factor
    doc.score = 1.0 - (1.0 - doc.rule_score) * (1.0 - doc.model_part)
    # with the model at hand, the learned combiner weighs everything at once (combine.py)
    combiner = load_combiner() if doc.model_used else None
    if combiner is not None:
        doc.score = combiner.probability(doc)
        if body_announcement(doc):  # an election body's own act: the rules' reading stands
            doc.score = min(doc.score, doc.rule_score)


def decide(doc: Document, kb: Knowledge) -> None:
    """The verdict, once the act's context (account, employee, period) has moved the score."""
    doc.score = min(max(doc.score, 0.0), 1.0)
    doc.verdict = verdict_for(doc.score)


def _dedupe(ev: list[Evidence]) -> list[Evidence]:
    """One piece of evidence per overlapping span and target: the strongest.

    The token positions each target's kept spans cover are a set, so that a text of a
    thousand salutes costs a thousand look-ups, not a million comparisons (hostile input)."""
    kept: list[Evidence] = []
    covered: dict[tuple[str | None, str | None], set[int]] = {}
    for e in sorted(ev, key=lambda x: -x.weight):
        taken = covered.setdefault((e.pack, e.entity), set())
        span = range(e.i, e.j + 1)
        if any(k in taken for k in span):
            continue
        taken.update(span)
        kept.append(e)
    return kept
