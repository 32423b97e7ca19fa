"""Rounds draw across acts and difficulty, bring back acts answered wrong, and end with a score
and three lessons to revisit."""

from __future__ import annotations

from netral.course import bank, rounds


def test_a_round_spreads_over_acts_and_difficulty():
    for seed in range(20):
        ids = rounds.draw_round({}, seed=seed)
        items = [bank.item(x) for x in ids]
        assert len(set(ids)) == rounds.ROUND_SIZE
        assert len({i.act for i in items}) >= 7
        assert {i.difficulty for i in items} == {1, 2, 3}
        assert items[0].difficulty == 1


def test_acts_answered_wrong_come_back():
    for seed in range(20):
        plain = [bank.item(x).act for x in rounds.draw_round({}, seed=seed)]
        again = [bank.item(x).act for x in rounds.draw_round({"join": 2, "bio": 1}, seed=seed)]
        assert again.count("join") >= 2 and again.count("bio") >= 1
        assert again.count("join") + again.count("bio") >= plain.count("join") + \
            plain.count("bio")


def test_record_answer_remembers_wrong_acts():
    state: dict = {}
    like = bank.item("q021")  # answer: tidak
    assert rounds.record_answer(state, like, "boleh") is False
    assert rounds.record_answer(state, like, "tidak") is True
    assert state["weak"] == {"like": 1} and state["correct"] == [False, True] and state["pos"] == 2


def test_summary_names_three_lessons_wrong_first():
    items = [bank.item(x) for x in rounds.draw_round({}, seed=3)]
    correct = [True] * len(items)
    correct[0] = correct[1] = False
    s = rounds.summarise(items, correct)
    assert s.score == 80 and s.right == 8 and len(s.revisit) == 3
    assert items[0].lesson == s.revisit[0] or items[1].lesson == s.revisit[0]
    assert {items[0].lesson, items[1].lesson} <= set(s.revisit)


def test_always_three_lessons_even_when_all_right():
    items = [bank.item(x) for x in rounds.draw_round({}, seed=5)]
    s = rounds.summarise(items, [True] * len(items))
    assert s.score == 100 and len(s.revisit) == 3 and len(set(s.revisit)) == 3
