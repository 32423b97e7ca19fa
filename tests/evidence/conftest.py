"""Fixtures for evidence tests: a local RFC 3161 TSA (openssl ts), a signing key, a file store
and a migrated database (SQLite and PostgreSQL, from the shared fixtures) with collected items.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from netral.evidence.filestore import FileStore
from netral.evidence.heads import TSAConfig
from netral.evidence.keys import generate_key

from .localtsa import LocalTSA

if shutil.which("openssl") is None:  # pragma: no cover - Debian always has it
    pytest.skip("openssl CLI missing: evidence tests need it for the local TSA",
                allow_module_level=True)


@pytest.fixture(scope="session")
def local_tsa(tmp_path_factory):
    with LocalTSA(tmp_path_factory.mktemp("tsa")) as tsa:
        yield tsa


@pytest.fixture
def tsa_config(local_tsa) -> TSAConfig:
    return TSAConfig(url=local_tsa.url, chain_pem=local_tsa.chain_pem.read_bytes())


@pytest.fixture
def signing_key(tmp_path):
    return generate_key(tmp_path / "keys" / "evidence-ed25519.pem")


@pytest.fixture
def file_store(tmp_path) -> FileStore:
    return FileStore(tmp_path / "evidence")


def seed_items(session, tmp_path: Path, n: int = 2, *, media: bool = True) -> list[int]:
    """An agency, one staff member with a Twitter account, and ``n`` collected posts; the first
    names a media file in the collector's declared ``media/`` folder (as a collector that
    downloads images would)."""
    from netral.ingest.schema import content_hash
    from netral.store.models import Account, Agency, Item, Staff

    agency = Agency(code="pemkab-contoh", name="Pemerintah Kabupaten Contoh")
    session.add(agency)
    session.flush()
    staff = Staff(agency_id=agency.id, nip="198703152010011002", name="Budi Santoso",
                  position="Analis Kebijakan")
    session.add(staff)
    session.flush()
    acct = Account(agency_id=agency.id, staff_id=staff.id, platform="twitter",
                   handle="budi_s", url="https://x.com/budi_s")
    session.add(acct)
    session.flush()
    photo = tmp_path / "collector" / "media" / "photo.jpg"
    photo.parent.mkdir(parents=True, exist_ok=True)
    photo.write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4 + b"\xff\xd9")
    ids = []
    for i in range(n):
        raw = {"id": f"17{i:04d}", "user": "budi_s",
               "full_text": f"Ayo coblos nomor 2 tanggal 14 Februari! #{i}",
               "entities": {"media": ["media/photo.jpg"] if (media and i == 0) else []}}
        item = Item(
            platform="twitter", external_id=raw["id"], kind="post", agency_id=agency.id,
            account_id=acct.id, handle="budi_s", text=raw["full_text"],
            created_at=datetime(2024, 1, 10 + i, 8, 30, tzinfo=UTC),
            url=f"https://x.com/budi_s/status/{raw['id']}",
            media=["media/photo.jpg"] if (media and i == 0) else [],
            raw=raw, content_hash=content_hash(raw), collector="test-collector/1",
            source=str(tmp_path / "collector" / "export.jsonl"),
        )
        session.add(item)
        session.flush()
        ids.append(item.id)
    session.commit()
    return ids
