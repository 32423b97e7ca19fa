"""Export a self-contained evidence bundle (a zip) that a third party checks without the
database: ``netral evidence verify`` or open tools (sha256sum, openssl).

Layout::

    manifest.json              every file with SHA-256 and size, ledger entries, chain proof,
                               heads, signer key (signed: manifest.sig)
    manifest.sig               Ed25519 signature of manifest.json (raw 64 bytes)
    SHA256SUMS                 ``sha256sum -c`` list of every other file
    ringkasan.txt              human-readable summary (Indonesian) and how to check it
    keys/signer.pub.pem        public key that signed manifest.json
    items/<item>/<seq>/…       captured files (raw.json, text.txt, meta.json, media/…)
    heads/head-<id>/head.txt   exact bytes that were signed and timestamped
    heads/head-<id>/head.sig   Ed25519 signature of head.txt
    heads/head-<id>/signer.pub.pem
    heads/head-<id>/token.tsr  RFC 3161 TimeStampResp over head.txt (when stamped)
    heads/head-<id>/chain.pem  TSA certificate chain (when stamped)
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from netral.evidence.canonical import sha256_hex
from netral.evidence.capture import captures_for_items
from netral.evidence.filestore import FileStore
from netral.evidence.heads import TSAConfig, make_head
from netral.evidence.keys import SigningKey
from netral.evidence.ledger import Ledger
from netral.evidence.models import ChainHead, LedgerEntry
from netral.evidence.summary import write_summary

BUNDLE_FORMAT = "netral-evidence-bundle/1"
ZIP_EPOCH = (2024, 1, 1, 0, 0, 0)  # fixed member times: the same evidence gives the same zip


class ExportError(Exception):
    """The bundle cannot be made (message says why)."""


@dataclass(frozen=True, slots=True)
class Scope:
    kind: str  # "case" | "item" | "all"
    id: int | None = None
    title: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"type": self.kind}
        if self.id is not None:
            d["id"] = self.id
        if self.title:
            d["title"] = self.title
        return d


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    items: int
    entries: int
    heads: int
    cover_seq: int
    timestamped: bool


def case_item_ids(session: Session, case_id: int) -> tuple[list[int], str | None]:
    from netral.store.models import Case, CaseFinding, Finding

    case = session.get(Case, case_id)
    if case is None:
        raise LookupError(f"case {case_id}")
    ids = session.execute(
        select(Finding.item_id)
        .join(CaseFinding, CaseFinding.finding_id == Finding.id)
        .where(CaseFinding.case_id == case_id)
        .order_by(Finding.item_id)
    ).scalars()
    return sorted(set(ids)), case.title or None


def _link(e: LedgerEntry | Any) -> dict[str, Any]:
    return {"seq": e.seq, "time": e.time, "prev": e.prev_hash, "body_sha256": e.body_sha256,
            "entry_hash": e.entry_hash}


def _cover_head(session: Session, max_seq: int, key: SigningKey,
                tsa: TSAConfig | None) -> ChainHead:
    heads = list(session.execute(
        select(ChainHead).where(ChainHead.seq >= max_seq).order_by(ChainHead.seq, ChainHead.id)
    ).scalars())
    stamped = [h for h in heads if h.tsr is not None]
    if stamped:
        return stamped[0]
    if tsa is not None:
        return make_head(session, key, tsa)
    if heads:
        return heads[0]
    return make_head(session, key, None)


def export_bundle(
    session: Session,
    out: Path,
    scope: Scope,
    *,
    store: FileStore,
    key: SigningKey,
    item_ids: Sequence[int] | None = None,
    tsa: TSAConfig | None = None,
) -> ExportResult:
    """Write the bundle for ``item_ids`` (None: every capture) to ``out``. May add a signed
    (and stamped, with ``tsa``) head when no head covers the entries yet; the caller commits."""
    entries = captures_for_items(session, item_ids)
    if item_ids is not None:
        missing = sorted(set(item_ids) - {e.item_id for e in entries})
        if missing:
            raise ExportError("no captured evidence for item(s) " + ", ".join(map(str, missing)))
    if not entries:
        raise ExportError("nothing to export")
    lo, hi = entries[0].seq, entries[-1].seq
    cover = _cover_head(session, hi, key, tsa)
    heads = list(session.execute(
        select(ChainHead).where(ChainHead.seq >= lo, ChainHead.seq <= cover.seq)
        .order_by(ChainHead.seq, ChainHead.id)
    ).scalars())
    if cover not in heads:
        heads.append(cover)
    prev_of_lo = entries[0].prev_hash
    links = [
        {"seq": ln.seq, "time": ln.time, "prev": ln.prev, "body_sha256": ln.body_sha256,
         "entry_hash": ln.entry_hash}
        for ln in Ledger(session).links(lo, cover.seq, with_body=False)
    ]

    files: dict[str, bytes] = {}
    item_rows: dict[int, list[int]] = {}
    entry_docs = []
    for e in entries:
        body = orjson.loads(e.body)
        base = f"items/{e.item_id}/{e.seq}"
        item_rows.setdefault(e.item_id, []).append(e.seq)
        for f in body.get("files", []):
            try:
                files[f"{base}/{f['name']}"] = store.get(f["sha256"])
            except FileNotFoundError as exc:
                raise ExportError(
                    f"entry {e.seq}: file {f['name']} ({f['sha256']}) is missing from the "
                    f"evidence store {store.root}"
                ) from exc
        entry_docs.append({**_link(e), "kind": e.kind, "item_id": e.item_id,
                           "dir": base, "body_json": e.body})

    head_docs = []
    for h in heads:
        d = f"heads/head-{h.id}"
        files[f"{d}/head.txt"] = h.statement
        files[f"{d}/head.sig"] = h.signature
        files[f"{d}/signer.pub.pem"] = h.public_key_pem.encode()
        doc: dict[str, Any] = {
            "id": h.id, "seq": h.seq, "entry_hash": h.entry_hash,
            "statement": f"{d}/head.txt", "signature": f"{d}/head.sig",
            "public_key": f"{d}/signer.pub.pem", "key_fingerprint": h.key_fingerprint,
            "token": None, "tsa_chain": None, "tsa_url": h.tsa_url,
        }
        if h.tsr is not None:
            files[f"{d}/token.tsr"] = h.tsr
            files[f"{d}/chain.pem"] = (h.tsa_chain_pem or "").encode()
            doc.update(token=f"{d}/token.tsr", tsa_chain=f"{d}/chain.pem",
                       tsa_gen_time=h.tsa_gen_time.isoformat() if h.tsa_gen_time else None)
        head_docs.append(doc)

    files["keys/signer.pub.pem"] = key.public_pem
    created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    manifest: dict[str, Any] = {
        "format": BUNDLE_FORMAT,
        "generator": _generator(),
        "created_at": created,
        "scope": scope.to_dict(),
        "signer": {"public_key": "keys/signer.pub.pem", "fingerprint": key.fingerprint},
        "items": [{"item_id": i, "entries": s} for i, s in sorted(item_rows.items())],
        "ledger": {
            "entries": entry_docs,
            "proof": {"from_seq": lo, "to_seq": cover.seq, "first_prev": prev_of_lo,
                      "head_id": cover.id, "links": links},
        },
        "heads": head_docs,
    }
    files["ringkasan.txt"] = write_summary(manifest, files, Path(out).name).encode("utf-8")
    files["SHA256SUMS"] = "".join(
        f"{sha256_hex(data)}  {name}\n" for name, data in sorted(files.items())
    ).encode()
    manifest["files"] = [
        {"path": name, "sha256": sha256_hex(data), "size": len(data)}
        for name, data in sorted(files.items())
    ]
    manifest_bytes = orjson.dumps(manifest, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2)
    files["manifest.json"] = manifest_bytes
    files["manifest.sig"] = key.sign(manifest_bytes)
    _write_zip(Path(out), files)
    return ExportResult(Path(out), len(item_rows), len(entries), len(heads), cover.seq,
                        cover.tsr is not None)


def _generator() -> str:
    from netral.version import __version__

    return f"netral {__version__}"


def _write_zip(out: Path, files: dict[str, bytes]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    os.close(fd)
    order = ["manifest.json", "manifest.sig", "ringkasan.txt", "SHA256SUMS"]
    names = [n for n in order if n in files] + sorted(n for n in files if n not in order)
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name in names:
                info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, files[name])
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
