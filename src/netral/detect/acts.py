"""The act's own context, for content that already needs review: who posted it (official
account, pejabat, PPPK, non-ASN) and when (quiet period, campaign period, an old election).

It runs only from the tinjau threshold on, so that context never turns neutral content into
a finding; it raises the score and adds reasons and advice notes.
"""

from __future__ import annotations

from netral import rules
from netral.detect.document import Document
from netral.detect.knowledge import Knowledge
from netral.detect.result import Reason
from netral.detect.score import TINJAU_AT


def act_context(doc: Document, kb: Knowledge) -> None:
    if doc.score < TINJAU_AT:
        return
    lang, notes = doc.lang, doc.notes
    if doc.account == "official":
        # an agency account campaigning is also misuse of state facilities
        doc.score = min(1.0, doc.score + 0.2)
        r = rules.rule("fasilitas-negara")
        doc.reasons.append(Reason(
            category="fasilitas_negara", start=0, end=0, text="",
            target=None, target_id=None, rule=r.id, rule_ref=r.citation(lang),
            advice=rules.context_advice("official_account", lang), weight=0.2,
            source="context", uncertain=r.uncertain,
        ))
    if doc.employee == "pejabat":
        notes.append(rules.context_advice("pejabat", lang))
        r = rules.rule("pejabat")
        doc.reasons.append(Reason(
            category="pejabat", start=0, end=0, text="", target=None, target_id=None,
            rule=r.id, rule_ref=r.citation(lang), advice=rules.context_advice("pejabat", lang),
            weight=0.1, source="context", uncertain=r.uncertain,
        ))
    elif doc.employee == "pppk":
        notes.append(rules.context_advice("pppk", lang))
    elif doc.employee == "non_asn":
        notes.append(rules.context_advice("non_asn", lang))
    day = doc.day
    if day is None:
        return
    period = None
    for p in kb.packs:
        period = p.period_at(day)
        if period:
            break
    if period is not None and period.kind == "tenang":
        # campaigning in the quiet period before the vote weighs more
        doc.score = min(1.0, doc.score + 0.1)
        notes.append(rules.context_advice("quiet_period", lang, period=period.label))
    elif period is not None:
        doc.score = min(1.0, doc.score + 0.05)
        notes.append(rules.context_advice("campaign_period", lang, period=period.label))
    else:
        notes.append(rules.context_advice("outside_campaign", lang))
    # an old post about a past election is still a digital trace worth removing
    old = {t.pack for t in doc.targets.values()
           if t.pack in kb.pack_by_name and kb.pack_by_name[t.pack].in_force.end < day}
    for name in sorted(old):
        notes.append(rules.context_advice("old_election", lang, pack=kb.pack_by_name[name].title))
