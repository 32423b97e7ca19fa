"""The public-feed connectors against a local HTTP server (no network): ActivityPub outbox
with paging and profile bio, RSS 2.0 and Atom; then ingested end to end."""

from __future__ import annotations

import orjson
import pytest
from sqlalchemy import select

from netral.ingest import ingest_source
from netral.ingest.connectors import available, get_connector
from netral.ingest.connectors.http import FetchError
from netral.store.models import Item

AS = "https://www.w3.org/ns/activitystreams"
PUBLIC = AS + "#Public"


def _activitypub_routes(base: str) -> dict[str, tuple[str, bytes]]:
    actor = f"{base}/users/budi"
    ap = "application/activity+json"

    def j(doc):
        return ap, orjson.dumps(doc)

    note = {
        "id": f"{actor}/statuses/1",
        "type": "Note",
        "published": "2024-01-20T01:00:00Z",
        "url": f"{base}/@budi/1",
        "to": [PUBLIC],
        "content": "<p>Ayo coblos nomor 2! <a href='#'>#PrabowoGibran</a></p>",
        "attachment": [{"type": "Document", "url": f"{base}/media/1.jpg"}],
    }
    reply = {
        "id": f"{actor}/statuses/2",
        "type": "Note",
        "published": "2024-01-21T01:00:00Z",
        "inReplyTo": f"{base}/users/ani/statuses/9",
        "to": [PUBLIC],
        "content": "<p>Rapat koordinasi besok pagi ya</p>",
    }
    private = {**note, "id": f"{actor}/statuses/3", "to": [f"{actor}/followers"], "cc": []}
    page1 = {
        "@context": AS,
        "id": f"{actor}/outbox?page=1",
        "type": "OrderedCollectionPage",
        "next": f"{actor}/outbox?page=2",
        "orderedItems": [
            {
                "id": f"{actor}/statuses/1/activity",
                "type": "Create",
                "actor": actor,
                "published": note["published"],
                "to": [PUBLIC],
                "object": note,
            },
            {
                "id": f"{actor}/statuses/3/activity",
                "type": "Create",
                "actor": actor,
                "to": [f"{actor}/followers"],
                "object": private,
            },
        ],
    }
    page2 = {
        "@context": AS,
        "id": f"{actor}/outbox?page=2",
        "type": "OrderedCollectionPage",
        "orderedItems": [
            {
                "id": f"{actor}/statuses/2/activity",
                "type": "Create",
                "actor": actor,
                "to": [PUBLIC],
                "object": reply,
            },
            {
                "id": f"{actor}/statuses/4/activity",
                "type": "Announce",
                "actor": actor,
                "published": "2024-01-22T01:00:00Z",
                "to": [PUBLIC],
                "object": "https://kampanye.example/@tkn/55",
            },
        ],
    }
    return {
        "/users/budi": j(
            {
                "@context": AS,
                "id": actor,
                "type": "Person",
                "preferredUsername": "budi",
                "name": "Budi Santoso",
                "summary": "<p>ASN. Pendukung setia 02 #PrabowoGibran</p>",
                "outbox": f"{actor}/outbox",
                "url": f"{base}/@budi",
            }
        ),
        "/users/budi/outbox": j(
            {
                "@context": AS,
                "id": f"{actor}/outbox",
                "type": "OrderedCollection",
                "totalItems": 4,
                "first": f"{actor}/outbox?page=1",
            }
        ),
        "/users/budi/outbox?page=1": j(page1),
        "/users/budi/outbox?page=2": j(page2),
    }


def test_registry_lists_builtin_connectors():
    assert {"activitypub", "rss"} <= set(available())
    with pytest.raises(KeyError):
        get_connector("nope")


def test_activitypub_outbox_pages_and_profile(http_server):
    http_server.routes.update(_activitypub_routes(http_server.base))
    recs = dict(get_connector("activitypub").fetch(f"{http_server.base}/users/budi"))
    kinds = sorted((r["kind"], r["external_id"].rsplit("/", 1)[-1]) for r in recs.values())
    host = http_server.base.removeprefix("http://")
    assert all(r["handle"] == f"budi@{host}" for r in recs.values())
    assert [k for k, _ in kinds] == ["bio", "comment", "post", "share"]  # private note skipped
    post = next(r for r in recs.values() if r["kind"] == "post")
    assert post["text"] == "Ayo coblos nomor 2! #PrabowoGibran"
    assert post["media"] == [f"{http_server.base}/media/1.jpg"]
    share = next(r for r in recs.values() if r["kind"] == "share")
    # the account boosted, as the Mastodon archive reader names it; the post's address in url
    assert share["target"] == "@tkn@kampanye.example"
    assert share["url"] == "https://kampanye.example/@tkn/55"
    bio = next(r for r in recs.values() if r["kind"] == "bio")
    assert "Pendukung setia 02" in bio["text"]
    # Accept header asks for ActivityStreams JSON
    assert all("activity+json" in accept for _, accept in http_server.requests)


def test_activitypub_ingest_end_to_end(roster_engine, detector, http_server):
    http_server.routes.update(_activitypub_routes(http_server.base))
    # the roster account is budi@sosial.example: map the local server's account onto it
    report = ingest_source(
        roster_engine,
        f"{http_server.base}/users/budi/outbox",
        connector="activitypub",
        handle="budi@sosial.example",
        detector=detector,
        sample_rate=0.0,
    )
    assert report.errors == [] and report.unmatched == 0
    assert report.items_new == 3 and report.flagged >= 1
    again = ingest_source(
        roster_engine,
        f"{http_server.base}/users/budi/outbox",
        connector="activitypub",
        handle="budi@sosial.example",
        detector=detector,
    )
    assert again.items_new == 0 and again.scanned == 0
    with roster_engine.connect() as conn:
        kinds = sorted(conn.execute(select(Item.kind)).scalars())
    assert kinds == ["comment", "post", "share"]


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Blog Citra</title><link>{base}/blog/citra</link>
<item><title>Catatan rapat</title><link>{base}/blog/citra/1</link>
<guid>{base}/blog/citra/1</guid><pubDate>Mon, 22 Jan 2024 08:00:00 +0700</pubDate>
<description>&lt;p&gt;Rapat koordinasi puskesmas berjalan lancar.&lt;/p&gt;</description></item>
<item><title>Pilihan saya</title><link>{base}/blog/citra/2</link>
<guid>{base}/blog/citra/2</guid><pubDate>Tue, 23 Jan 2024 08:00:00 +0700</pubDate>
<content:encoded><![CDATA[<p>Ayo coblos nomor 3, Ganjar-Mahfud sat set! #GanjarMahfud</p>]]></content:encoded>
<enclosure url="{base}/blog/citra/foto.jpg" type="image/jpeg" length="1"/></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom</title><id>urn:x</id>
<updated>2024-01-24T00:00:00Z</updated>
<entry><id>urn:entry:1</id><title>Satu</title><updated>2024-01-24T00:00:00Z</updated>
<link rel="alternate" href="{base}/a/1"/><summary>Selamat pagi semua</summary></entry>
<entry><id>urn:entry:2</id><title type="html">Dua &amp;amp; tiga</title>
<published>2024-01-25T00:00:00Z</published><link href="{base}/a/2"/>
<content type="html">&lt;p&gt;Dukung &lt;b&gt;AMIN&lt;/b&gt; nomor 1&lt;/p&gt;</content></entry>
</feed>"""


def test_rss_and_atom_parsing(http_server):
    base = http_server.base
    http_server.routes["/blog/citra/feed"] = ("application/rss+xml", RSS.format(base=base).encode())
    http_server.routes["/atom"] = ("application/atom+xml", ATOM.format(base=base).encode())
    rss = [r for _, r in get_connector("rss").fetch(f"{base}/blog/citra/feed")]
    assert [r["external_id"] for r in rss] == [f"{base}/blog/citra/1", f"{base}/blog/citra/2"]
    assert rss[0]["text"] == "Catatan rapat\nRapat koordinasi puskesmas berjalan lancar."
    assert rss[1]["created_at"] == "2024-01-23T08:00:00+07:00"
    assert rss[1]["media"] == [f"{base}/blog/citra/foto.jpg"]
    assert rss[0]["handle"] == f"{base.removeprefix('http://')}/blog/citra/feed"
    atom = [r for _, r in get_connector("rss").fetch(f"{base}/atom")]
    assert [r["external_id"] for r in atom] == ["urn:entry:1", "urn:entry:2"]
    assert atom[1]["text"] == "Dua & tiga\nDukung AMIN nomor 1"
    assert atom[0]["created_at"] == "2024-01-24T00:00:00Z"
    assert atom[1]["url"] == f"{base}/a/2"


def test_rss_ingest_matches_roster_feed_and_errors_are_clear(roster_engine, detector, http_server):
    base = http_server.base
    http_server.routes["/blog/citra"] = ("application/rss+xml", RSS.format(base=base).encode())
    # Citra's roster entry is the feed http://127.0.0.1/blog/citra (any port): name it.
    report = ingest_source(
        roster_engine,
        f"{base}/blog/citra",
        connector="rss",
        handle="http://127.0.0.1/blog/citra",
        detector=detector,
        sample_rate=0.0,
    )
    assert report.items_new == 2 and report.unmatched == 0
    assert report.flagged == 1
    with pytest.raises(FetchError, match="HTTP 404"):
        list(get_connector("rss").fetch(f"{base}/missing"))
    http_server.routes["/html"] = ("text/html", b"<html><body>no feed</body></html>")
    with pytest.raises(FetchError, match="not an RSS/Atom feed"):
        list(get_connector("rss").fetch(f"{base}/html"))


def test_archive_reader_and_collector_map_an_outbox_the_same(tmp_path):
    """Issue 13: one mapping for the Mastodon archive (self-audit) and ActivityPub (ingest)."""
    import orjson

    from netral.audit import AuditOptions, run_audit
    from netral.ingest.connectors.activitypub import activity_to_record

    public = ["https://www.w3.org/ns/activitystreams#Public"]
    acts = [
        {"id": "https://m.example/a/1", "type": "Create", "actor": "https://m.example/users/budi",
         "published": "2024-01-20T01:00:00Z", "to": public,
         "object": {"id": "https://m.example/n/1", "type": "Note", "to": public,
                    "published": "2024-01-20T01:00:00Z", "summary": "Pemilu",
                    "content": "<p>Ayo <b>coblos</b> nomor 2!</p>",
                    "url": "https://m.example/@budi/1"}},
        {"id": "https://m.example/a/2", "type": "Create", "actor": "https://m.example/users/budi",
         "published": "2024-01-21T01:00:00Z", "to": public,
         "object": {"id": "https://m.example/n/2", "type": "Note", "to": public,
                    "content": "<p>Setuju</p>", "inReplyTo": "https://k.example/@tkn/9"}},
        {"id": "https://m.example/a/3", "type": "Announce", "to": public,
         "actor": "https://m.example/users/budi", "published": "2024-01-22T01:00:00Z",
         "object": "https://k.example/@tkn/55"},
    ]
    root = tmp_path / "archive"
    root.mkdir()
    (root / "outbox.json").write_bytes(orjson.dumps(
        {"@context": "https://www.w3.org/ns/activitystreams", "type": "OrderedCollection",
         "orderedItems": acts}))
    report = run_audit([str(root)], AuditOptions(platform="mastodon", include_all=True))
    audited = sorted((f.item.kind, f.item.id, f.item.text, f.item.target) for f in report.items)
    collected = sorted((r["kind"], r["external_id"], r["text"], r["target"])
                       for r in map(activity_to_record, acts))
    assert audited == collected and len(audited) == 3
