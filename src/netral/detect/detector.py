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

from netral.detect import (
    acts,
    candidacy,
    context,
    cues,
    domain,
    explain,
    match,
    numbers,
    roles,
    score,
)
from netral.detect.document import Document
from netral.detect.gc_pause import gc_paused
from netral.detect.knowledge import Knowledge
from netral.detect.lexicon import Lexicon
from netral.detect.request import Checked, Request, RequestError, validate
from netral.detect.result import Result
from netral.detect.score import KAMPANYE_AT, TINJAU_AT, verdict_for
from netral.detect.segments import SEGMENT, merge, segments
from netral.detect.when import parse_when
from netral.kinds import KINDS as ALL_KINDS
from netral.packs import Pack, load_packs
from netral.text import Normaliser, NormText

if TYPE_CHECKING:
    from netral.detect.model import LinearTextModel, NullModel

__all__ = ["DETECTOR_VERSION", "KAMPANYE_AT", "KINDS", "SEGMENT", "STAGES", "TINJAU_AT", "Detector",
           "get_detector", "parse_when", "verdict_for"]

DETECTOR_VERSION = "1.0.0"
KINDS = set(ALL_KINDS)  # kept for callers of this module; the vocabulary is netral.kinds

Stage = Callable[[Document, Knowledge], None]
# The order is the logic: gestures read the evidence of names and numbers as context, the
# global call binds to what earlier stages found, context lowers all evidence, and the act's
# context only applies to a score that already needs review.
STAGES: tuple[Stage, ...] = (
    match.match,
    domain.trust_model,
    cues.entity_evidence,
    numbers.number_evidence,
    numbers.gesture_evidence,
    cues.membership_evidence,
    roles.campaign_team,
    candidacy.own_candidacy,
    roles.candidate_banner,
    cues.candidate_photo,
    cues.interaction_evidence,
    cues.role_attack,
    cues.global_call,
    context.reported_speech,
    context.mitigations,
    score.weigh,
    domain.outside_language,
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
        # the pack set get_detector() built this for (None: every pack); False: built by hand,
        # so a worker process cannot build the same one (netral.detect.judge stays in-process)
        self.pack_key: tuple[str, ...] | bool | None = False

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
    def model(self) -> LinearTextModel | NullModel:
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
        """Judge one text: the one-item case of ``judge_many``; a bad request raises its
        ``RequestError`` (a ValueError with a ``code``)."""
        if not isinstance(text, str):
            raise TypeError("text must be str")
        out = self.judge_many([Request(text, kind, when, account, employee, tuple(boilerplate),
                                       lang)], isolate=False)[0]
        if isinstance(out, Exception):
            raise out
        return out

    def judge_many(self, requests: Sequence[Request], *, use_model: bool = True,
                   isolate: bool = True) -> list[Result | Exception]:
        """The one door: judge every request, each with its own act, date, actor and agency
        boilerplate, with one model call for all of them. Results are identical to judging
        each alone. A request that cannot be judged yields its ``RequestError``; with
        ``isolate`` (the default) an unexpected failure on one item yields that exception for
        the item and the others are still judged."""
        # the batch's objects die by reference counting: the cyclic collector only costs here
        with gc_paused():
            return self._judge_batch(requests, use_model, isolate)

    def _judge_batch(self, requests: Sequence[Request], use_model: bool,
                     isolate: bool) -> list[Result | Exception]:
        prepared: list[tuple[Checked, NormText | None] | Exception] = []
        for req in requests:
            try:
                c = validate(req)
            except RequestError as exc:
                prepared.append(exc)
                continue
            if len(c.text) > SEGMENT or not self.lexicon.may_concern(c.text):
                prepared.append((c, None))  # segments, or cleared by the pre-filter: below
                continue
            try:
                nt = self.normaliser.normalise(c.text)
                if c.boilerplate:
                    nt = context.drop_boilerplate(nt, c.text, c.boilerplate)
            except Exception as exc:
                if not isolate:
                    raise
                prepared.append(exc)
                continue
            prepared.append((c, nt))
        with_tokens = [p[1] for p in prepared
                       if not isinstance(p, Exception) and p[1] is not None and p[1].tokens]
        probs = iter(self.model.predict_many(with_tokens) if use_model and with_tokens else [])
        out: list[Result | Exception] = []
        for p in prepared:
            if isinstance(p, Exception):
                out.append(p)
                continue
            c, nt = p
            try:
                if nt is None:
                    res = self._check_text(c.text, c.kind, c.lang, c.day, c.account,
                                           c.employee, c.boilerplate, use_model)
                else:
                    prob = next(probs) if use_model and nt.tokens else None
                    res = self._judge(nt, c.kind, c.lang, c.day, c.account, c.employee, prob)
                res.truncated = c.truncated
                res.judged_text = c.judged_text
                out.append(res)
            except Exception as exc:
                if not isolate:
                    raise
                out.append(exc)
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
    if key is not None:  # "a,b" and "b,a" are one pack set: one detector
        key = tuple(sorted(set(key)))
    det = _detectors.get(key)
    if det is None:
        with _lock:
            det = _detectors.get(key)
            if det is None:
                det = Detector(load_packs(key))
                det.pack_key = key
                _detectors[key] = det
    return det
