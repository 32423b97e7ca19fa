"""An office holder named at a date when nobody named is a hopeful or a contestant
(``offices.office_only``, the combiner's ``office_only``): talk of the job, guideline points 8
and 11. The texts are made up."""

from __future__ import annotations

from datetime import date

import pytest

from netral.detect import offices
from netral.detect.combine import features
from netral.detect.detector import get_detector


@pytest.mark.parametrize(
    ("text", "day", "only"),
    [
        # a governor thanked for a road, long before any race he ran in
        ("Makasih kang emil jalannya sudah mulus sekarang", date(2022, 12, 20), True),
        # the same governor after his term, before the Pilkada 2024: no office, nothing said
        ("Makasih kang emil jalannya sudah mulus sekarang", date(2024, 3, 1), False),
        # ... and while he stands in the Jakarta race
        ("Makasih kang emil jalannya sudah mulus sekarang", date(2024, 10, 1), False),
        # a governor declared his party's hopeful (Apr 2023): talk of the race
        ("Pak Ganjar memang terbaik", date(2023, 1, 15), True),
        ("Pak Ganjar memang terbaik", date(2023, 6, 1), False),
        # the president between his races, and during his re-election
        ("Pak Jokowi resmikan bendungan baru di desa kami", date(2021, 5, 4), True),
        ("Pak Jokowi resmikan bendungan baru di desa kami", date(2019, 1, 10), False),
        # the president praised with a hopeful of the coming race: not only office
        ("Jokowi dan Anies sama-sama hadir di acara itu", date(2023, 2, 1), False),
        # a minister who is also a declared hopeful (Aug 2022 on)
        ("@prabowo terima kasih bantuan alat untuk desa kami", date(2023, 3, 1), False),
        # the president's handle in a reply counts as naming him
        ("@jokowi mohon jalan di kampung kami diperbaiki pak", date(2022, 3, 1), True),
        # undated: nothing assumed; nobody of the table named: nothing
        ("Pak Jokowi resmikan bendungan baru di desa kami", None, False),
        ("Makan siang dulu sebelum rapat", date(2022, 3, 1), False),
    ],
)
def test_office_only(text, day, only):
    assert offices.office_only(text, day) is only


def test_every_term_and_race_is_ordered():
    for person, (_, terms, races) in offices.OFFICE_HOLDERS.items():
        for a, b in (*terms, *races):
            assert a <= b, person


def test_the_combiner_sees_office_only():
    det = get_detector()
    text = "Terima kasih Pak Ganjar atas bantuan untuk korban banjir"
    before = features(det.document(text, when="2023-01-15", model_p=0.5))
    during = features(det.document(text, when="2024-01-10", model_p=0.5))
    undated = features(det.document(text, model_p=0.5))
    assert before["office_only"] == 1.0
    assert during["office_only"] == 0.0 and undated["office_only"] == 0.0
