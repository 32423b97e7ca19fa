"""errors6: a hashtag that joins a contestant's name to words of its own is the shape of a
supporters' tag (guideline point 4), which the combiner reads as ``name_tag``; a bare name,
a name with a number and the packs' own hashtags are not. The examples are written for these
tests, not corpus texts."""

from __future__ import annotations

import pytest

from netral.detect import combine
from netral.detect.detector import get_detector


def _name_tag(text: str) -> float:
    return combine.features(get_detector().document(text, model_p=0.5))["name_tag"]


@pytest.mark.parametrize(
    "text",
    [
        "Pak Ganjar meninjau pasar pagi ini #GanjarPastiBisa",
        "Hari ini ke Bandung #YakinPilihAniesSandi",
        "debat semalam #CakIminKacau",
    ],
)
def test_a_name_joined_to_other_words_is_a_name_tag(text: str) -> None:
    assert _name_tag(text) == 1.0


@pytest.mark.parametrize(
    "text",
    [
        "Pak Ganjar meninjau pasar pagi ini #GanjarPranowo",  # the name alone (D4, D27)
        "Anies Baswedan di Jakarta #AniesBaswedan #CakImin",
        "Prabowo hadir di Surabaya #Prabowo2024",  # a name and a number
        "Ke pasar pagi ini #BelanjaHemat",  # no name in the tag
        "Prabowo menyapa warga",  # no tag at all
        "Selamat Hari Guru! #TetapBerkarya",  # an everyday verb, not Partai Berkarya's name
    ],
)
def test_a_bare_name_or_a_tag_without_a_name_is_not(text: str) -> None:
    assert _name_tag(text) == 0.0


def test_the_combiner_file_names_only_features_the_stages_compute() -> None:
    spec = combine.load_combiner()
    assert spec is not None
    doc = get_detector().document("Pak Ganjar ke pasar #GanjarPastiBisa", model_p=0.5)
    assert set(spec.names) <= set(combine.features(doc))


def test_a_flag_the_model_explains_shows_the_name_tag_first_and_once() -> None:
    doc = get_detector().document(
        "Pagi ini ke pasar bareng warga, semangat terus! #GanjarPastiBisa", model_p=0.9
    )
    assert doc.score >= 0.4
    shown = [r.text for r in doc.reasons if r.category == "implisit"]
    assert shown[0] == "#GanjarPastiBisa"
    assert not any("#GanjarPastiBisa" in t for t in shown[1:])
