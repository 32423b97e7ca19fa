"""Checking a chain head (statement, Ed25519 signature, RFC 3161 token) without a database."""

from __future__ import annotations

import orjson

from netral.evidence.canonical import canonical_json
from netral.evidence.keys import fingerprint, load_public_pem, verify_signature
from netral.evidence.problems import Report
from netral.evidence.tsa import TokenInvalid, verify_token

HEAD_FORMAT = "netral-ledger-head/1"


def head_statement(seq: int, entry_hash: str, time: str, key_fingerprint: str) -> bytes:
    return canonical_json(
        {"format": HEAD_FORMAT, "seq": seq, "entry_hash": entry_hash, "time": time,
         "key": key_fingerprint}
    )


def parse_statement(statement: bytes) -> dict | None:
    try:
        doc = orjson.loads(statement)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(doc, dict) or doc.get("format") != HEAD_FORMAT:
        return None
    if canonical_json(doc) != statement:  # must be exactly the canonical form that was signed
        return None
    return doc


def check_head(
    report: Report,
    target: str,
    *,
    statement: bytes,
    signature: bytes | None,
    public_key_pem: bytes | None,
    tsr: bytes | None,
    chain_pem: bytes | None,
    expect_seq: int | None,
    expect_hash: str | None,
    trusted_key: str | None = None,
    trusted_tsa_roots=None,
    targets: dict[str, str] | None = None,
) -> dict:
    """Check one head: statement content, key fingerprint, signature, token.

    ``targets`` maps "statement"/"signature"/"key"/"token"/"chain" to the names reported (bundle
    paths); by default every problem names ``target``. Returns facts about the head.
    """
    t = targets or {}
    facts: dict = {"signed": False, "timestamped": False}
    doc = parse_statement(statement)
    st_target = t.get("statement", target)
    if doc is None:
        report.add("head_statement_invalid", st_target)
    else:
        if expect_seq is not None and doc.get("seq") != expect_seq:
            report.add("head_statement_mismatch", st_target, field="seq",
                       expected=expect_seq, actual=doc.get("seq"))
        if expect_hash is not None and doc.get("entry_hash") != expect_hash:
            report.add("head_statement_mismatch", st_target, field="entry_hash",
                       expected=expect_hash, actual=doc.get("entry_hash"))
        facts["time"] = doc.get("time")
    pub = None
    if public_key_pem is None:
        report.add("head_key_missing", t.get("key", target))
    else:
        try:
            pub = load_public_pem(public_key_pem)
        except ValueError:
            report.add("head_key_invalid", t.get("key", target))
    if pub is not None:
        fpr = fingerprint(pub)
        facts["key"] = fpr
        if doc is not None and doc.get("key") != fpr:
            report.add("head_key_mismatch", t.get("key", target), expected=doc.get("key"),
                       actual=fpr)
        if trusted_key and fpr != trusted_key:
            report.add("key_untrusted", t.get("key", target), actual=fpr, expected=trusted_key)
        if signature is None:
            report.add("head_signature_missing", t.get("signature", target))
        elif not verify_signature(pub, statement, signature):
            report.add("head_signature_invalid", t.get("signature", target))
        else:
            facts["signed"] = True
    if tsr is None:
        report.add("token_missing", t.get("token", target), severity="warning")
    elif chain_pem is None:
        report.add("token_chain_missing", t.get("chain", target))
    else:
        try:
            info = verify_token(tsr, statement, chain_pem, trusted_roots=trusted_tsa_roots)
        except TokenInvalid as exc:
            report.add("token_invalid", t.get("token", target), reason=str(exc))
        else:
            facts.update(timestamped=True, tsa_time=info.gen_time.isoformat(),
                         tsa=info.tsa_subject, tsa_root=info.root_subject,
                         tsa_root_sha256=info.root_fingerprint)
    return facts
