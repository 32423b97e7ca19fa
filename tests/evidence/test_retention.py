"""Evidence files of items removed by retention are released; the ledger still verifies."""

from __future__ import annotations

import orjson
from sqlalchemy import delete

from netral.evidence.bundle import Scope, export_bundle
from netral.evidence.capture import capture_item
from netral.evidence.ledger import Ledger
from netral.evidence.retention import release_purged
from netral.evidence.verify import verify_bundle

from .conftest import seed_items


def _hashes(entry):
    return {f["sha256"] for f in orjson.loads(entry.body)["files"]}


def test_release_purged_items(db_session, tmp_path, file_store, signing_key):
    from netral.store.models import Item

    ids = seed_items(db_session, tmp_path, 2)
    gone = capture_item(db_session, ids[0], file_store)
    kept = capture_item(db_session, ids[1], file_store)
    db_session.commit()
    assert all(file_store.has(h) for h in _hashes(gone) | _hashes(kept))

    dry = release_purged(db_session, file_store)
    assert (dry.captures, dry.blobs) == (0, 0)  # nothing purged yet

    db_session.execute(delete(Item).where(Item.id == ids[0]))  # what `netral purge` does
    db_session.commit()
    dry = release_purged(db_session, file_store, dry_run=True)
    only_gone = _hashes(gone) - _hashes(kept)
    assert (dry.captures, dry.blobs) == (1, len(only_gone))
    assert all(file_store.has(h) for h in only_gone)

    done = release_purged(db_session, file_store, dry_run=False)
    db_session.commit()
    assert done.blobs == len(only_gone) and done.bytes > 0
    assert not any(file_store.has(h) for h in only_gone)
    assert all(file_store.has(h) for h in _hashes(kept))
    assert Ledger(db_session).verify().ok  # hashes stay, chain intact

    # --all now covers only items still stored, and verifies
    res = export_bundle(db_session, tmp_path / "all.zip", Scope("all"), store=file_store,
                        key=signing_key)
    db_session.commit()
    assert res.items == 1
    assert verify_bundle(tmp_path / "all.zip").ok
