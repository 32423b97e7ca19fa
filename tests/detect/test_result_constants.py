"""What every Result carries unchanged (the packs' names, sorted once per detector; the
disclaimer and an act's advice, remembered per language) is what computing it afresh gives,
and each Result has its own list of packs."""

from __future__ import annotations

from netral import rules
from netral.detect.detector import get_detector


def test_each_result_lists_the_sorted_packs_in_its_own_list() -> None:
    det = get_detector()
    a, b = det.check("Ayo coblos 02!"), det.check("Selamat pagi semua")
    assert a.packs == b.packs == sorted(det.kb.pack_by_name)
    a.packs.append("x")
    assert det.check("Ayo coblos 02!").packs == sorted(det.kb.pack_by_name)


def test_remembered_wording_is_the_table_s() -> None:
    for lang in ("id", "en", "xx"):
        assert rules.disclaimer(lang) == rules.disclaimer.__wrapped__(lang)
        for kind in ("post", "share", "follow", "join", "unknown"):
            assert rules.kind_advice(kind, lang) == rules.kind_advice.__wrapped__(kind, lang)
