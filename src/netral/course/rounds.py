"""Adaptive rounds. A round is a list of item ids drawn across acts and difficulty; the acts a
person answered wrong come back first in the next round. The state lives in the person's own
signed session cookie (nothing of it reaches the server's database): see docs/course.md."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from netral.course.bank import Item, bank, lessons

ROUND_SIZE = 10
REPEAT_SLOTS = 3  # at most this many items per round come from acts answered wrong before


def draw_round(weak_acts: dict[str, int] | None = None, seen: Sequence[str] = (),
               seed: int | None = None, size: int = ROUND_SIZE,
               items: Sequence[Item] | None = None) -> list[str]:
    """Item ids for one round: first up to :data:`REPEAT_SLOTS` items of the acts answered
    wrong (most misses first), then one item per act in turn with difficulty rising 1, 2, 3,
    preferring items not ``seen`` yet."""
    rng = random.Random(seed)
    pool = list(items if items is not None else bank())
    fresh = [i for i in pool if i.id not in set(seen)] or pool
    chosen: list[Item] = []

    def take(cands: list[Item]) -> bool:
        cands = [c for c in cands if c not in chosen]
        if not cands:
            return False
        chosen.append(rng.choice(cands))
        return True

    for act, _n in Counter(weak_acts or {}).most_common():
        if len(chosen) >= min(REPEAT_SLOTS, size):
            break
        take([i for i in fresh if i.act == act] or [i for i in pool if i.act == act])
    acts = sorted({i.act for i in pool})
    rng.shuffle(acts)
    level, turn = 1, 0
    while len(chosen) < size and turn < size * len(acts) * 3:
        act = acts[turn % len(acts)]
        turn += 1
        if take([i for i in fresh if i.act == act and i.difficulty == level]) \
                or take([i for i in fresh if i.act == act]):
            level = level % 3 + 1
    if len(chosen) < size:  # a small bank (an agency's own): fill from whatever is left
        rest = [i for i in pool if i not in chosen]
        rng.shuffle(rest)
        chosen.extend(rest[: size - len(chosen)])
    rng.shuffle(chosen)
    # an easy one first: the person sees how a question works before the hard ones
    if chosen:
        first = min(chosen, key=lambda c: c.difficulty)
        chosen.remove(first)
        chosen.insert(0, first)
    return [i.id for i in chosen]


@dataclass(frozen=True, slots=True)
class Summary:
    right: int
    total: int
    score: int  # 0-100
    revisit: list[str]  # lesson ids, at most three


def summarise(items: Sequence[Item], correct: Sequence[bool]) -> Summary:
    """Score and the three lessons to revisit: the lessons of the wrong answers, most misses
    first; with fewer than three, the lessons this round did not touch, then the others."""
    right = sum(1 for c in correct if c)
    total = len(items)
    misses = Counter(i.lesson for i, c in zip(items, correct, strict=True) if not c)
    revisit = [lid for lid, _ in misses.most_common(3)]
    touched = {i.lesson for i in items}
    # then the lessons this round did not touch, then those it touched, in course order
    for lesson in sorted(lessons(), key=lambda x: x.id in touched):
        if len(revisit) >= 3:
            break
        if lesson.id not in revisit:
            revisit.append(lesson.id)
    return Summary(right, total, round(100 * right / total) if total else 0, revisit[:3])


def record_answer(state: dict, item: Item, answer: str) -> bool:
    """Apply one answer to a round's session state; returns whether it was right."""
    ok = answer == item.answer
    state.setdefault("correct", []).append(ok)
    state["pos"] = int(state.get("pos", 0)) + 1
    if not ok:
        weak = state.setdefault("weak", {})
        weak[item.act] = int(weak.get(item.act, 0)) + 1
    return ok
