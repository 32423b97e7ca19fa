"""Check an evidence bundle without the database or the network.

Every check runs even after an earlier one failed, so the report names everything that was
altered: which file (hash, size, missing, extra), which ledger entry (altered, missing,
reordered), which head (signature, statement) and which timestamp token.
"""

from __future__ import annotations

import hashlib
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from cryptography import x509

from netral.evidence.chain import Link, check_links
from netral.evidence.headcheck import check_head
from netral.evidence.keys import fingerprint, load_public_pem, verify_signature
from netral.evidence.problems import Report

BUNDLE_FORMAT = "netral-evidence-bundle/1"
SIGNED_OUTSIDE_MANIFEST = {"manifest.json", "manifest.sig"}
MAX_MEMBER_BYTES = 2 << 30  # a single evidence file larger than 2 GiB is refused unread
MAX_TOTAL_BYTES = 8 << 30


@dataclass(frozen=True, slots=True)
class TrustOptions:
    """Optional pins an outside party supplies: the agency key it expects and the TSA roots
    it trusts (otherwise the bundle's own chain.pem roots are used and reported)."""

    key_fingerprint: str | None = None
    tsa_roots: tuple[x509.Certificate, ...] = ()
    require_timestamp: bool = False


def _read_zip(path: Path, report: Report) -> dict[str, bytes] | None:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        report.add("zip_unreadable", str(path.name), detail=str(exc))
        return None
    files: dict[str, bytes] = {}
    total = 0
    with zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            name = info.filename
            if name.startswith(("/", "\\")) or ".." in name.replace("\\", "/").split("/"):
                report.add("zip_unsafe_name", name)
            if name in files:
                report.add("zip_duplicate", name)
                continue
            total += info.file_size
            if info.file_size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES:
                report.add("zip_too_large", name, size=info.file_size)
                files[name] = b""
                continue
            try:
                files[info.filename] = zf.read(info)
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
                report.add("zip_member_corrupt", info.filename, detail=str(exc))
                files[info.filename] = b""
    return files


def verify_bundle(path: Path, trust: TrustOptions | None = None) -> Report:
    """Check the bundle at ``path``; ``report.ok`` only when everything holds."""
    trust = trust or TrustOptions()
    report = Report()
    files = _read_zip(Path(path), report)
    if files is None:
        return report
    raw_manifest = files.get("manifest.json")
    if raw_manifest is None:
        report.add("manifest_missing", "manifest.json")
        return report
    try:
        manifest = orjson.loads(raw_manifest)
        if not isinstance(manifest, dict):
            raise ValueError("not a JSON object")
        if manifest.get("format") != BUNDLE_FORMAT:
            raise ValueError(f"unknown format {manifest.get('format')!r}")
        for key in ("files", "ledger", "heads", "signer"):
            if key not in manifest:
                raise ValueError(f"'{key}' missing")
    except (orjson.JSONDecodeError, ValueError) as exc:
        report.add("manifest_invalid", "manifest.json", detail=str(exc))
        return report

    _check_manifest_signature(manifest, raw_manifest, files, report, trust)
    listed = _check_files(manifest, files, report)
    try:
        _check_ledger(manifest, files, listed, report)
        _check_heads(manifest, files, report, trust)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        report.add("manifest_invalid", "manifest.json", detail=f"structure: {exc!r}")
    except Exception as exc:  # never a traceback for a hostile bundle; still a failure
        report.add("manifest_invalid", "manifest.json", detail=f"unexpected: {exc!r}")
    return report


def _check_manifest_signature(manifest: dict, raw: bytes, files: dict[str, bytes],
                              report: Report, trust: TrustOptions) -> None:
    signer = manifest.get("signer") or {}
    key_path = signer.get("public_key", "keys/signer.pub.pem")
    sig = files.get("manifest.sig")
    if sig is None:
        report.add("manifest_signature_missing", "manifest.sig")
    pem = files.get(key_path)
    if pem is None:
        report.add("file_missing", key_path)
        return
    try:
        pub = load_public_pem(pem)
    except ValueError:
        report.add("signer_key_invalid", key_path)
        return
    fpr = fingerprint(pub)
    report.facts["signer"] = fpr
    if signer.get("fingerprint") != fpr:
        report.add("head_key_mismatch", key_path, expected=signer.get("fingerprint"), actual=fpr)
    if trust.key_fingerprint and fpr != trust.key_fingerprint:
        report.add("key_untrusted", key_path, actual=fpr, expected=trust.key_fingerprint)
    if sig is not None and not verify_signature(pub, raw, sig):
        report.add("manifest_signature_invalid", "manifest.json")
        report.add("manifest_signature_invalid", "manifest.sig")


def _check_files(manifest: dict, files: dict[str, bytes], report: Report) -> dict[str, str]:
    listed: dict[str, str] = {}
    for f in manifest.get("files") or []:
        try:
            name, digest, size = f["path"], f["sha256"], f["size"]
        except (KeyError, TypeError):
            report.add("manifest_invalid", "manifest.json", detail=f"bad file entry {f!r}")
            continue
        listed[name] = digest
        data = files.get(name)
        if data is None:
            report.add("file_missing", name)
            continue
        if len(data) != size:
            report.add("file_size", name, expected=size, actual=len(data))
        actual = hashlib.sha256(data).hexdigest()
        if actual != digest:
            report.add("file_hash", name, expected=digest, actual=actual)
    for name in files:
        if name not in listed and name not in SIGNED_OUTSIDE_MANIFEST:
            report.add("file_unexpected", name)
    sums = files.get("SHA256SUMS")
    if sums is not None:
        expected = {n: h for n, h in listed.items() if n != "SHA256SUMS"}
        got: dict[str, str] = {}
        for line in sums.decode("utf-8", "replace").splitlines():
            digest, _, name = line.partition("  ")
            got[name] = digest
        if got != expected:
            diff = sorted(set(got.items()) ^ set(expected.items()))
            report.add("sums_mismatch", "SHA256SUMS", detail=", ".join(n for n, _ in diff[:5]))
    report.facts["files"] = len(listed)
    return listed


def _check_ledger(manifest: dict, files: dict[str, bytes], listed: dict[str, str],
                  report: Report) -> None:
    ledger = manifest["ledger"]
    proof = ledger["proof"]
    entries = ledger["entries"]
    links = [
        Link(int(x["seq"]), x["time"], x["prev"], x["body_sha256"], x["entry_hash"])
        for x in proof["links"]
    ]
    by_seq = {ln.seq: ln for ln in links}
    where = "manifest.json: "
    # Bodies of the bundle's own entries are checked against the proof links at their seq.
    for e in entries:
        seq = int(e["seq"])
        target = f"{where}entry {seq}"
        body_bytes = e["body_json"].encode()
        if hashlib.sha256(body_bytes).hexdigest() != e["body_sha256"]:
            report.add("entry_body_altered", target, seq=seq)
        link = by_seq.get(seq)
        if link is None:
            report.add("entry_not_in_proof", target, seq=seq)
        elif (link.entry_hash, link.body_sha256, link.prev, link.time) != (
            e["entry_hash"], e["body_sha256"], e["prev"], e["time"]
        ):
            report.add("entry_hash_mismatch", target, seq=seq)
        _check_capture_files(e, body_bytes, files, listed, report)
    last = check_links(links, report, first_seq=int(proof["from_seq"]),
                       first_prev=proof["first_prev"], where=where)
    head = next((h for h in manifest["heads"] if h["id"] == proof["head_id"]), None)
    if head is None:
        report.add("proof_missing", "manifest.json")
        return
    if last is None or last.seq != int(proof["to_seq"]) or last.seq != int(head["seq"]):
        report.add("entry_missing", f"{where}entry {proof['to_seq']}",
                   first=(last.seq + 1) if last else proof["from_seq"], last=proof["to_seq"])
    elif last.entry_hash != head["entry_hash"]:
        report.add("proof_head_mismatch", f"{where}entry {last.seq}",
                   expected=head["entry_hash"], actual=last.entry_hash)
    report.facts["entries"] = len(entries)
    report.facts["chain"] = f"{proof['from_seq']}..{proof['to_seq']}"
    # Files under items/ must each be backed by a ledger entry.
    backed = {f"{e['dir']}/{f['name']}" for e in entries
              for f in _body_files(e["body_json"])}
    for name in listed:
        if name.startswith("items/") and name not in backed:
            report.add("file_not_in_ledger", name)


def _body_files(body_json: str) -> list[dict[str, Any]]:
    try:
        body = orjson.loads(body_json)
    except orjson.JSONDecodeError:
        return []
    files = body.get("files") if isinstance(body, dict) else None
    return [f for f in files or [] if isinstance(f, dict) and "name" in f]


def _check_capture_files(entry: dict, body_bytes: bytes, files: dict[str, bytes],
                         listed: dict[str, str], report: Report) -> None:
    seq = int(entry["seq"])
    for f in _body_files(body_bytes.decode()):
        name = f"{entry['dir']}/{f['name']}"
        data = files.get(name)
        if data is None:
            report.add("capture_file_absent", name, seq=seq)
            continue
        if hashlib.sha256(data).hexdigest() != f.get("sha256") or listed.get(name) != f.get(
            "sha256"
        ):
            report.add("capture_file_mismatch", name, seq=seq)


def _check_heads(manifest: dict, files: dict[str, bytes], report: Report,
                 trust: TrustOptions) -> None:
    links = {int(x["seq"]): x for x in manifest["ledger"]["proof"]["links"]}
    out = []
    for h in manifest["heads"]:
        seq = int(h["seq"])
        link = links.get(seq)
        if link is None or link["entry_hash"] != h["entry_hash"]:
            report.add("head_chain_mismatch", h["statement"], seq=seq)
        statement = files.get(h["statement"])
        if statement is None:
            report.add("file_missing", h["statement"])
            continue
        token_path, chain_path = h.get("token"), h.get("tsa_chain")
        tsr = files.get(token_path) if token_path else None
        chain = files.get(chain_path) if chain_path else None
        if token_path and tsr is None:
            report.add("file_missing", token_path)
        facts = check_head(
            report, h["statement"],
            statement=statement,
            signature=files.get(h["signature"]),
            public_key_pem=files.get(h["public_key"]),
            tsr=tsr, chain_pem=chain,
            expect_seq=seq, expect_hash=h["entry_hash"],
            trusted_key=trust.key_fingerprint,
            trusted_tsa_roots=list(trust.tsa_roots) or None,
            targets={"statement": h["statement"], "signature": h["signature"],
                     "key": h["public_key"], "token": token_path or h["statement"],
                     "chain": chain_path or h["statement"]},
        )
        if trust.require_timestamp and not facts.get("timestamped"):
            report.add("token_required", token_path or h["statement"])
        out.append({"seq": seq, **facts})
    report.facts["heads"] = out
