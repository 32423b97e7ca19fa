"""An election body's own act at the head of a text ("KPU tetapkan …") is information (guideline
point 7): the score rests on the rules, which read the announced number as a fact; a call, the
first person or any other evidence keeps the learned score. The texts are made up."""

from __future__ import annotations

import pytest

import netral
from netral.detect.context import body_announcement
from netral.detect.detector import get_detector


@pytest.mark.parametrize(
    ("text", "announces"),
    [
        ("KPU tetapkan Agus–Sylvi sebagai pasangan calon nomor urut 1", True),
        ("KPU DKI umumkan hasil pengundian nomor urut pasangan calon", True),
        ("Bawaslu Jateng gelar rapat koordinasi pengawasan tahapan kampanye", True),
        # a call to vote after the announcement: the learned score stands
        ("KPU tetapkan Agus–Sylvi nomor urut 1, ayo coblos nomor 1!", False),
        # the first person: a supporter's voice
        ("KPU tetapkan Agus–Sylvi nomor urut 1, kami siap menangkan", False),
        # the body not at the head: someone else's sentence
        ("Alhamdulillah KPU tetapkan Agus–Sylvi nomor urut 1", False),
        ("Relawan sambut KPU tetapkan pasangan calon", False),
    ],
)
def test_body_announcement(text, announces):
    doc = get_detector().document(text, "post", "2016-10-25", model_p=0.9)
    assert body_announcement(doc) is announces


def test_an_announcement_is_not_campaign_content_whatever_the_model_says():
    r = netral.check("KPU tetapkan Agus–Sylvi sebagai pasangan calon nomor urut 1",
                     kind="post", when="2016-12-20")
    assert r.verdict != "kampanye"
    r = netral.check("KPU tetapkan Agus–Sylvi nomor urut 1, ayo coblos nomor 1!",
                     kind="post", when="2016-12-20")
    assert r.verdict == "kampanye"
