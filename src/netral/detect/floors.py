"""Where the rules' explicit reading floors the combiner's probability (``final_score``).

The combiner (``combine.py``) weighs every stage's findings at once, learned from real labelled
posts. It does not lower what the rules find explicit on their own: a rule score of at least
``FLOOR_AT`` after context has lowered it (a vote call bound to a contestant, praise of a
numbered pair, a named attack), and a campaign hashtag, ballot-number salute or vote call that
still needs review after context (guideline point 4: the tag makes even news a promotion).
These are what the guideline names, and they are rare in any one corpus, so a learned weight
must not overrule them. Below that — a praise or support word next to a name, which real talk
about candidates is full of — the combiner decides: on the real training sources, flooring
every rule score from the kampanye threshold (0.65) up made one netral text in ten a flag that
no learned weight could lower (issue 10).

One exception, measured out of source (issue 10, thirteenth pass): where the combiner is sure
the text is no campaign (``VETO_BELOW``: a report, official work, a reply about something
else), the floor stands down. On the 36,411 training texts, each scored by a combiner that never
saw its source, the floor had turned 122 netral texts and 14 campaign ones below that into
flags; a short explicit call such as "coblos PDIP ya teman2" scores 0.3 there and stays
floored. ``tools/corpus/train_combiner.py`` applies the same rule when it sets the operating
point.
"""

from __future__ import annotations

from typing import Any

# the rule score from which the rules' verdict stands (see above); chosen leave-one-source-out
# on the training sources (tools/corpus/train_combiner.py)
FLOOR_AT = 0.80
ACCOUNT_FLOOR_AT = 0.65  # the floor of every act before issue 10's second pass
ACCOUNT_ACTS = frozenset({"follow", "join"})
# explicit tags and salutes, and an explicit call to vote for a named contestant or number, are
# a floor from the tinjau threshold (score.TINJAU_AT) up: between elections the packs' date weight
# halves the rules' reading ("Ayo coblos nomor 2" typed today scores 0.45) and the learned
# out_of_season weight would otherwise clear it; an ASN should still be asked to look
FLOOR_TAG_AT = 0.40
FLOOR_TAGS = frozenset({"slogan_tagar", "atribut_gestur", "ajakan_memilih"})
# the combiner's probability below which it is sure enough to overrule a floor, on the acts
# whose text is written like the posts it learned from (not a bio, an account's name, a photo)
VETO_BELOW = 0.10
VETO_KINDS = frozenset({"post", "comment", "share", "message", "caption"})
# the writer's own party membership, campaign-team role or run for office (SKB points E, I, D;
# combine.py's ``ev_anggota_partai`` feature) at this weight or more after context: the
# combiner saw a handful of such posts among 42,000, so it cannot be sure of the opposite.
# Somebody else's membership ("kader NasDem mundur") weighs 0.5, a reported one less
MEMBER_HOLD_AT = 0.70


def held(gesture: Any, member: Any) -> Any:
    """Whether the floor holds whatever the combiner says: a campaign prop (``atribut_gestur``
    evidence at ``FLOOR_TAG_AT`` or more; SKB point G) or the writer's own membership, team
    role or candidacy (``MEMBER_HOLD_AT``). Floats give a bool; numpy columns give a column
    (``tools/corpus/train_combiner.floored`` asks it for every training row at once)."""
    return (gesture >= FLOOR_TAG_AT) | (member >= MEMBER_HOLD_AT)


def vetoed(combined: float, rule_score: float, explicit_tag: bool, *, kind: str = "post",
           prop: bool = False) -> bool:
    """Whether the rules are explicit on a post but the combiner is sure of the opposite, so
    their floor stands down (the explanation then says so, ``explain.low_note``). The floor
    holds always where the combiner never learned (its training texts are posts): a bio
    ("Kader PKB"), a photo's words, following or joining (an account's name, SKB point F), and
    where ``held`` says so (``prop``): a campaign prop — a candidate's banner, a salute, a party
    attribute (SKB point G) — or the writer's own membership, team role or run for office."""
    return ((rule_score >= FLOOR_AT or explicit_tag) and combined < VETO_BELOW
            and kind in VETO_KINDS and not prop)


def score_and_veto(combined: float, rule_score: float, explicit_tag: bool, *,
                   kind: str = "post", prop: bool = False) -> tuple[float, bool]:
    """``final_score`` and whether the floor stood down (``vetoed``), asked once: the
    combiner needs both for every post (the second for the explanation)."""
    if kind in ACCOUNT_ACTS:  # not a vetoed kind
        explicit, veto = rule_score >= ACCOUNT_FLOOR_AT or explicit_tag, False
    else:
        veto = vetoed(combined, rule_score, explicit_tag, kind=kind, prop=prop)
        explicit = (rule_score >= FLOOR_AT or explicit_tag) and not veto
    return (max(combined, rule_score) if explicit else combined), veto


def final_score(combined: float, rule_score: float, explicit_tag: bool, *, kind: str = "post",
                prop: bool = False) -> float:
    """The combiner's probability, floored by the rule score where the rules are explicit,
    unless ``vetoed``. Following or joining is floored from ``ACCOUNT_FLOOR_AT``."""
    return score_and_veto(combined, rule_score, explicit_tag, kind=kind, prop=prop)[0]
