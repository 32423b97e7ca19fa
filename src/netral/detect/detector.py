"""The hybrid detector: lexicon + patterns + statistical model + context -> one Result.

The work is a pipeline of small stages annotating one ``Document`` (spaCy's idea of
components annotating one Doc): ``match`` finds names, slogans, hashtags and cue words;
``cues`` and ``numbers`` turn them into evidence; ``context`` lowers what news, KPU
information, official work, fact-checks, disapproval and quotes explain; ``score``, ``acts``
and ``explain`` weigh, decide and explain. Reasons always carry spans of the ORIGINAL text.
This module only orchestrates: input checks, long texts, batches and the shared detectors.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from netral.detect import acts, context, cues, explain, match, numbers, score
from netral.detect.document import Document
from netral.detect.knowledge import Knowledge
from netral.detect.lexicon import Lexicon
from netral.detect.result import Kind, Result
from netral.detect.score import KAMPANYE_AT, TINJAU_AT, verdict_for
from netral.detect.segments import SEGMENT, merge, segments
from netral.detect.when import parse_when
from netral.packs import Pack, load_packs
from netral.text import Normaliser, NormText

if TYPE_CHECKING:
    from netral.detect.model import NullModel, TextModel

__all__ = ["DETECTOR_VERSION", "KAMPANYE_AT", "KINDS", "SEGMENT", "STAGES", "TINJAU_AT", "Detector",
           "get_detector", "parse_when", "verdict_for"]

DETECTOR_VERSION = "1.0.0"
KINDS = {k.value for k in Kind}

Stage = Callable[[Document, Knowledge], None]
# The order is the logic: gestures read the evidence of names and numbers as context, the
# global call binds to what earlier stages found, context lowers all evidence, and the act's
# context only applies to a score that already needs review.
STAGES: tuple[Stage, ...] = (
    match.match,
    cues.entity_evidence,
    numbers.number_evidence,
    numbers.gesture_evidence,
    cues.membership_evidence,
    cues.candidate_photo,
    cues.interaction_evidence,
    cues.global_call,
    context.reported_speech,
    context.mitigations,
    score.weigh,
    explain.evidence_reasons,
    explain.model_reasons,
    acts.act_context,
    score.decide,
)


class Detector:
    def __init__(self, packs: Sequence[Pack]) -> None:
        self.kb = Knowledge(packs, DETECTOR_VERSION)
        # the attributes callers (ingest, images, bench) read
        self.packs: list[Pack] = self.kb.packs
        self.pack_by_name: dict[str, Pack] = self.kb.pack_by_name
        self.pack_versions: dict[str, str] = self.kb.pack_versions
        self.normaliser: Normaliser = self.kb.normaliser
        self.lexicon: Lexicon = self.kb.lexicon

    # -- public ------------------------------------------------------------------------------
    @property
    def detector_version(self) -> str:
        return DETECTOR_VERSION

    @property
    def pack_version(self) -> str:
        """The active packs and their versions, e.g. ``pemilu-2019@2019.2,pemilu-2024@2024.3``."""
        return self.kb.pack_version

    @property
    def version(self) -> str:
        return self.kb.version

    @property
    def model(self) -> TextModel | NullModel:
        return self.kb.model

    def target_label(self, pack_name: str | None, entity_id: str | None,
                     lang: str = "id") -> tuple[str | None, str | None]:
        """(label, target id) shown for a contestant, e.g. ("02 Prabowo–Gibran",
        "pemilu-2024/pair-2"); an unnamed Pilkada pair gets a generic label."""
        return self.kb.target_label(pack_name, entity_id, lang)

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

    def check_batch(
        self, items: Sequence[tuple[str, str, date | datetime | str | None]], lang: str = "id",
        *, use_model: bool = True, account: str = "personal", employee: str = "pns",
    ) -> list[Result | ValueError]:
        """Judge many ``(text, kind, when)`` at once: one model call for the whole batch.
        A bad item (unknown kind, unparsable date) yields its ValueError instead of a Result.
        Results are identical to ``check`` on each item."""
        lang = "en" if lang == "en" else "id"
        prepared: list[tuple[NormText | str, str, date | None] | ValueError] = []
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
        ok = [p[0] for p in prepared if not isinstance(p, ValueError) and not isinstance(p[0], str)]
        probs: list[float | None] = (list(self.model.predict_many(ok)) if use_model
                                     else [None] * len(ok))
        it = iter(probs)
        out: list[Result | ValueError] = []
        for p in prepared:
            if isinstance(p, ValueError):
                out.append(p)
                continue
            nt, kind, day = p
            if isinstance(nt, str):
                out.append(self._check_text(nt, kind, lang, day, account, employee, (), use_model))
                continue
            prob = next(it)
            out.append(self._judge(nt, kind, lang, day, account, employee,
                                   prob if nt.tokens else None))
        return out

    # -- pipeline ----------------------------------------------------------------------------
    def _check_text(self, text: str, kind: str, lang: str, day: date | None, account: str,
                    employee: str, boilerplate: tuple[str, ...], use_model: bool) -> Result:
        if len(text) > SEGMENT:
            # long texts are judged in pieces: cost stays linear in the length
            parts = [(off, self._check_text(seg, kind, lang, day, account, employee, boilerplate,
                                            use_model)) for off, seg in segments(text)]
            return merge(parts)
        if not self.lexicon.may_concern(text):
            return explain.clear(kind, lang, self.kb)
        nt = self.normaliser.normalise(text)
        if boilerplate:
            nt = context.drop_boilerplate(nt, text, boilerplate)
        model_p = self.model.predict(nt) if use_model and nt.tokens else None
        return self._judge(nt, kind, lang, day, account, employee, model_p)

    def _judge(self, nt: NormText, kind: str, lang: str, day: date | None, account: str,
               employee: str, model_p: float | None) -> Result:
        return explain.result(self._document(nt, kind, lang, day, account, employee, model_p),
                              self.kb)

    def _document(self, nt: NormText, kind: str, lang: str, day: date | None, account: str,
                  employee: str, model_p: float | None) -> Document:
        # model_p None: judged without the model (rules only, or nothing for it to read)
        doc = Document(nt, kind, lang, day, account, employee, model_p or 0.0)
        doc.model_used = model_p is not None
        for stage in STAGES:
            stage(doc, self.kb)
        return doc

    def document(self, text: str, kind: str = "post", when: date | datetime | str | None = None,
                 *, model_p: float | None = None) -> Document:
        """Every stage's findings for one text, with the model's probability given from
        outside (None: rules only). For tools that study or train the stages, e.g.
        ``tools/corpus/train_combiner.py`` with out-of-fold model probabilities."""
        nt = self.normaliser.normalise(text)
        return self._document(nt, kind, "id", parse_when(when), "personal", "pns", model_p)


_detectors: dict[tuple[str, ...] | None, Detector] = {}
_lock = threading.Lock()


def get_detector(packs: Sequence[str] | str | None = None) -> Detector:
    """The detector for a set of packs (None = every shipped pack), built once per process:
    building compiles the lexicon and, on first check, loads the model."""
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
