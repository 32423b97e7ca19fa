"""Long texts are judged in segments, so that the cost stays linear in the length (cue
binding looks at pairs of hits), and the segments' results are merged into one."""

from __future__ import annotations

from netral.detect.result import Mitigation, Reason, Result, Target, Verdict

SEGMENT = 4000  # characters judged at once; longer texts are split at whitespace
MAX_MERGED_REASONS = 50


def segments(text: str) -> list[tuple[int, str]]:
    """Split a long text at whitespace into (offset, piece) of at most SEGMENT characters."""
    out = []
    start = 0
    n = len(text)
    while start < n:
        end = min(n, start + SEGMENT)
        if end < n:
            # cut in the second half of the window, so no piece gets too short to judge
            lo = start + SEGMENT // 2
            if n - end < SEGMENT // 4:
                # the rest would leave a short last piece (" @flexvyhjbltf abt", judged alone,
                # says nothing): the two last pieces share what is left
                end = start + (n - start) // 2
                lo = start + SEGMENT // 4
            cut = text.rfind(" ", lo, end)
            cut = cut if cut > start else text.rfind("\n", lo, end)
            end = cut if cut > start else end
        out.append((start, text[start:end]))
        start = end
    return out


def merge(parts: list[tuple[int, Result]]) -> Result:
    """One Result for a text judged in pieces: the riskiest piece decides; reasons, targets
    and mitigations of every piece are kept, with offsets into the whole text."""
    best = max((r for _, r in parts), key=lambda r: r.score)
    reasons: list[Reason] = []
    mitigations: list[Mitigation] = []
    targets: dict[str, Target] = {}
    for off, r in parts:
        for x in r.reasons:
            if x.end > x.start:  # context reasons have no span to move
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
