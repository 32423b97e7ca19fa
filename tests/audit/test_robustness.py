"""Whatever bytes an export file holds, the audit finishes and names the problem (no exception)."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netral.audit import run_audit

NAMES = ["data/tweets.js", "result.json", "WhatsApp Chat with Budi.txt", "posts.jsonl",
         "your_facebook_activity/posts/your_posts_1.json", "comments.csv", "user_data.json",
         "outbox.json", "connections/followers_and_following/following.json"]

PREFIXES = [b"", b"window.YTD.tweets.part0 = [", b'{"personal_information": {"user_id": 1}, "chats"',
            b"12/01/24 08.00 - Budi: ", b'[{"timestamp": 1, "data": [{"post": "',
            b'{"Activity": {"Like List": {"ItemFavoriteList": [', b"Comment ID,Comment Text\n",
            b'{"orderedItems": [{"type": "Create", "object": ', b'{"relationships_following": [']


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(NAMES), prefix=st.sampled_from(PREFIXES), tail=st.binary(max_size=300))
def test_any_bytes_never_raise(tmp_path_factory, name, prefix, tail):
    root = tmp_path_factory.mktemp("fuzz")
    p = root / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(prefix + tail)
    report = run_audit([root])
    assert report.scanned >= 0
    for prob in report.problems:
        assert prob.file and prob.code
        # a parser crash is reported as parser_error: bad input must get a precise code
        assert prob.code != "parser_error", (prob.file, prob.detail)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=st.lists(st.dictionaries(
    st.sampled_from(["text", "kind", "created_at", "target", "id", "date", "platform"]),
    st.one_of(st.none(), st.integers(-10**12, 10**14), st.text(max_size=40), st.booleans()),
    max_size=6), max_size=8))
def test_generic_records_any_values(tmp_path_factory, records):
    root = tmp_path_factory.mktemp("gen")
    (root / "posts.jsonl").write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    report = run_audit([root])
    assert report.scanned <= len(records)
    assert not [p for p in report.problems if p.code == "parser_error"]
