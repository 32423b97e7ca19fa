"""A like, follow or join is judged on the same words whether it came from a self-audit export
(sources.Item) or a monitoring collector (ingest.NormItem): one rule, netral.kinds.subject_text."""

from __future__ import annotations

import pytest

import netral
from netral.ingest.schema import NormItem
from netral.item import Item, Locator
from netral.kinds import INTERACTION_KINDS, KINDS, subject_text


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize(("text", "target"), [
    ("", "@tkn.prabowo_gibran"),
    ("Ayo menangkan!", "relawan_amin.official"),
    ("Jadwal posyandu minggu ini", None),
])
def test_same_subject_and_verdict_from_both_item_types(kind, text, target):
    own = Item(platform="x", kind=kind, locator=Locator("f.json"), text=text, target=target)
    collected = NormItem(platform="x", handle="pegawai", external_id="1", kind=kind, text=text,
                         created_at=None, url=None, target=target)
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
