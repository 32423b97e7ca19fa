"""The closed word sets of the detector's stages, kept in ``wordsets.yaml`` next to this file.

They live in data, not code, so that a linguist can review or extend them without reading
the stages; they are read once, at import, because every check consults them.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from netral.data import yamlio

_SETS = ("num_cues", "party_ctx", "pilkada_ctx", "first_person", "third_person", "undecided",
         "party_member", "campaign_account_words", "weak_attack", "meta", "honorific",
         "not_ballot", "candidate_roles", "promote_skip", "candidacy", "reporting_verbs",
         "takes_up", "takes_up_calls", "result_talk", "camp_people", "election_bodies",
         "body_acts")


def _load() -> dict[str, Any]:
    raw = resources.files("netral.detect").joinpath("wordsets.yaml").read_text("utf-8")
    data = yamlio.safe_load(raw)
    out: dict[str, Any] = {}
    for name in _SETS:
        words = data[name]
        # YAML reads 2024 as an int and "on" as a bool: such a word would silently never match
        bad = [w for w in words if not isinstance(w, str)]
        if bad:
            raise ValueError(f"wordsets.yaml: {name} has non-string items {bad!r}; quote them")
        out[name] = frozenset(words)
    gestures = data["gesture_num"]
    if not all(isinstance(k, str) and isinstance(v, int) for k, v in gestures.items()):
        raise ValueError("wordsets.yaml: gesture_num maps gesture tokens to ints")
    out["gesture_num"] = dict(gestures)
    teams = data["campaign_teams"]
    if not all(isinstance(k, str) and (v is None or (isinstance(v, str) and v in k.split()))
               for k, v in teams.items()):
        raise ValueError("wordsets.yaml: campaign_teams maps a role to one of its words or null")
    # longest first, so that "tim ahli pemenangan" is not read as "tim" + something else
    out["campaign_teams"] = tuple(sorted((tuple(k.split()) for k in teams), key=lambda t: -len(t)))
    out["campaign_team_words"] = frozenset(v for v in teams.values() if v)
    return out


_DATA = _load()

NUM_CUES: frozenset[str] = _DATA["num_cues"]
PARTY_CTX: frozenset[str] = _DATA["party_ctx"]
PILKADA_CTX: frozenset[str] = _DATA["pilkada_ctx"]
FIRST_PERSON: frozenset[str] = _DATA["first_person"]
PARTY_MEMBER: frozenset[str] = _DATA["party_member"]
THIRD_PERSON: frozenset[str] = _DATA["third_person"]
UNDECIDED: frozenset[str] = _DATA["undecided"]
CAMPAIGN_ACCOUNT_WORDS: frozenset[str] = _DATA["campaign_account_words"]
WEAK_ATTACK: frozenset[str] = _DATA["weak_attack"]
META: frozenset[str] = _DATA["meta"]
TAKES_UP: frozenset[str] = _DATA["takes_up"]
TAKES_UP_CALLS: frozenset[str] = _DATA["takes_up_calls"]
HONORIFIC: frozenset[str] = _DATA["honorific"]
NOT_BALLOT: frozenset[str] = _DATA["not_ballot"]
CANDIDATE_ROLES: frozenset[str] = _DATA["candidate_roles"]
PROMOTE_SKIP: frozenset[str] = _DATA["promote_skip"]
CANDIDACY: frozenset[str] = _DATA["candidacy"]
# the pre-filter words of the roles below (lexicon) and the roles as token sequences (roles)
CAMPAIGN_TEAM_WORDS: frozenset[str] = _DATA["campaign_team_words"]
CAMPAIGN_TEAMS: tuple[tuple[str, ...], ...] = _DATA["campaign_teams"]
REPORTING_VERBS: frozenset[str] = _DATA["reporting_verbs"]
RESULT_TALK: frozenset[str] = _DATA["result_talk"]
ELECTION_BODIES: frozenset[str] = _DATA["election_bodies"]
BODY_ACTS: frozenset[str] = _DATA["body_acts"]
CAMP_PEOPLE: frozenset[str] = _DATA["camp_people"]
GESTURE_NUM: dict[str, int] = _DATA["gesture_num"]
