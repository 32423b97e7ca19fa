"""A post in a language the detector did not learn, naming nothing electoral, is not flagged.

The vocabulary gate lets most English in (Indonesian tweets are full of English words), and on
real everyday English posts the model alone flagged about one in 250
(``tools/corpus/everyday.py``). ``netral.text.language.foreign`` asks a language identifier
about such posts; the texts below are made up in the shapes of those everyday posts.
"""

from __future__ import annotations

import pytest

import netral
from netral.detect.detector import get_detector
from netral.text.language import foreign

EVERYDAY_ENGLISH = [
    "Playing a free set tonight at the old harbour bar, 10pm. See you there! @user #livemusic…",
    "So proud of you and your whole team, what a night! @user",
    "Thanks for the support everyone, the shop re-opens on Monday @user",
    "Best brunch in town with the best people, full all day @user #sundayfunday",
    "She is the best sister ever. Love you @user #family",
]


@pytest.mark.parametrize("text", EVERYDAY_ENGLISH)
def test_everyday_english_is_foreign(text):
    assert foreign(text)


@pytest.mark.parametrize("text", EVERYDAY_ENGLISH)
def test_a_sure_model_cannot_flag_english_that_names_no_election(text):
    # the model's probability given as 0.95: whatever the weights, only the gate keeps it netral
    doc = get_detector().document(text, "post", "2024-01-20", model_p=0.95)
    assert not doc.in_domain and not doc.model_used
    assert doc.score <= 0.2
    assert netral.check(text, when="2024-01-20").verdict.value == "netral"


@pytest.mark.parametrize("text", [
    "Anis keren boss",  # langid's best guess is Dutch, by a hair: inside the margin
    "mantap pak, lanjutkan!",
    "bapak ini hebat sekali, semoga menang",
    "wis pokoke sing penting rakyat seneng",  # Javanese
    "Bukti nyata kerja nyata.....",
    "ayo semangat, jangan lupa datang ke TPS ya",
])
def test_indonesian_and_regional_chatter_is_not_foreign(text):
    assert not foreign(text)


@pytest.mark.parametrize("text", [
    "Mantap pak, lanjutkan! Bapak ini hebat sekali",  # no name: the model may read it
])
def test_indonesian_without_names_still_reaches_the_model(text):
    doc = get_detector().document(text, "post", "2024-01-20", model_p=0.95)
    assert doc.model_used and doc.score > 0.4


@pytest.mark.parametrize("text", [
    "Prabowo is the best, vote 02 on February 14!",
    "Anies for president, change is coming #AMIN2024",
])
def test_english_naming_a_contestant_is_still_read(text):
    r = netral.check(text, when="2024-01-20")
    assert r.flagged, (r.score, r.reasons)


@pytest.mark.parametrize("text", [
    "Off to the park with the kids today, what a day #PeterPan #NeverLand",  # PAN
    "Posing with her auntie at the farm this morning #HTHarvest #dogsofseattle",  # HT
    "Really love this girl so much, best night ever @user #GPRepost",  # GP
])
def test_an_acronym_inside_an_english_hashtag_names_no_one(text):
    doc = get_detector().document(text, "post", "2024-01-20", model_p=0.95)
    assert doc.ent_hits  # the piece is still found: only its weight as an election term changes
    assert not doc.model_used and doc.score <= 0.2


def test_a_whole_hashtag_acronym_still_counts():
    doc = get_detector().document("Great rally today with all the volunteers #PAN", "post",
                                  "2024-01-20", model_p=0.95)
    assert doc.model_used
