"""One item type for every door: a self-audit reader and a monitoring collector both yield
netral.item.Item, judged on one rule (netral.kinds.subject_text)."""

from __future__ import annotations

import pytest

import netral
from netral.ingest.schema import normalise_record
from netral.item import Item, Locator
from netral.kinds import INTERACTION_KINDS, KINDS, subject_text


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize(("text", "target"), [
    ("", "@tkn.prabowo_gibran"),
    ("Ayo menangkan!", "relawan_amin.official"),
    ("Jadwal posyandu minggu ini", None),
])
def test_same_item_type_and_subject_from_both_doors(kind, text, target):
    own = Item(platform="twitter", kind=kind, locator=Locator("f.json"), text=text,
               target=target)
    collected = normalise_record({"platform": "twitter", "handle": "pegawai", "id": "1",
                                  "kind": kind, "text": text, "target": target},
                                 source="collected.jsonl", where="line 1")
    assert type(collected) is Item and collected.author == "pegawai" and collected.id == "1"
    assert collected.locator.file == "collected.jsonl" and collected.provenance.content_hash
    assert own.subject_text() == collected.subject_text() == subject_text(kind, text, target)
    subject = own.subject_text()
    if subject:
        a = netral.check(subject, kind=kind)
        b = netral.check(collected.subject_text(), kind=kind)
        assert (a.verdict, a.score) == (b.verdict, b.score)


def test_glued_campaign_handle_is_read_as_words():
    assert "follow" in INTERACTION_KINDS
    assert subject_text("follow", "", "@tkn.prabowo_gibran") == "@tkn.prabowo_gibran (tkn prabowo gibran)"
    assert netral.check(subject_text("follow", "", "@tkn.prabowo_gibran"), kind="follow").flagged
