"""RFC 3161 time-stamp tokens: request one from a TSA and check one offline.

Requests and responses are built and parsed with ``rfc3161-client``; the HTTP exchange uses
httpx. The token is kept exactly as the TSA sent it (a DER TimeStampResp, what
``openssl ts -verify -in token.tsr`` expects).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from rfc3161_client import (
    HashAlgorithm,
    PKIStatus,
    TimestampRequestBuilder,
    VerificationError,
    VerifierBuilder,
    decode_timestamp_response,
)


class TSAError(Exception):
    """The TSA could not be reached, refused, or answered with an invalid token."""


class TokenInvalid(Exception):
    """A stored token does not check out (reason in the message)."""


@dataclass(frozen=True, slots=True)
class TokenInfo:
    gen_time: datetime
    serial: int
    tsa_subject: str
    root_subject: str
    root_fingerprint: str  # sha256 of the root certificate (DER), hex


def load_chain(chain_pem: bytes) -> list[x509.Certificate]:
    try:
        certs = x509.load_pem_x509_certificates(chain_pem)
    except Exception as exc:  # any parse failure means an unusable chain
        raise TokenInvalid(f"certificate chain unreadable: {exc}") from exc
    if not certs:
        raise TokenInvalid("certificate chain is empty")
    return certs


def _is_self_signed(cert: x509.Certificate) -> bool:
    if cert.issuer != cert.subject:
        return False
    try:
        cert.verify_directly_issued_by(cert)
    except Exception:  # any failure: not a root
        return False
    return True


def verify_token(
    tsr: bytes,
    data: bytes,
    chain_pem: bytes,
    *,
    trusted_roots: list[x509.Certificate] | None = None,
    nonce: int | None = None,
) -> TokenInfo:
    """Check that ``tsr`` is a granted token over ``data`` signed by a TSA certified by the
    chain. ``trusted_roots`` (when given) replace the self-signed certificates of the chain as
    trust anchors. Raises :class:`TokenInvalid` naming the reason (never anything else)."""
    try:
        return _verify_token(tsr, data, chain_pem, trusted_roots=trusted_roots, nonce=nonce)
    except TokenInvalid:
        raise
    except Exception as exc:  # malformed input must read as "invalid", not crash a verifier
        raise TokenInvalid(f"token check failed: {exc}") from exc


def _verify_token(
    tsr: bytes,
    data: bytes,
    chain_pem: bytes,
    *,
    trusted_roots: list[x509.Certificate] | None = None,
    nonce: int | None = None,
) -> TokenInfo:
    resp = _decode(tsr)
    if PKIStatus(resp.status) != PKIStatus.GRANTED:
        raise TokenInvalid(f"token status is {PKIStatus(resp.status).name}, not GRANTED")
    certs = load_chain(chain_pem)
    roots = trusted_roots if trusted_roots else [c for c in certs if _is_self_signed(c)]
    if not roots:
        raise TokenInvalid("no root (self-signed) certificate in the chain")
    try:
        embedded = [x509.load_der_x509_certificate(c) for c in resp.signed_data.certificates]
    except Exception as exc:
        raise TokenInvalid(f"certificate inside the token unreadable: {exc}") from exc
    leaf = _leaf(resp, embedded + certs)
    if leaf is None:
        raise TokenInvalid("the TSA certificate that signed the token is not in the chain")
    # rfc3161-client trusts every certificate it is given, so hand it only the path from the
    # signer to a trusted root (found here), never the whole chain file.
    path = _path_to_root(leaf, certs + embedded, roots, resp.tst_info.gen_time)
    builder = VerifierBuilder()
    if not embedded:  # the token names its signer only by issuer/serial: supply it
        builder = builder.tsa_certificate(leaf)
    builder = builder.add_root_certificate(path[-1])
    for c in path[:-1]:
        builder = builder.add_intermediate_certificate(c)
    if nonce is not None:
        builder = builder.nonce(nonce)
    try:
        builder.build().verify_message(resp, data)
    except VerificationError as exc:
        raise TokenInvalid(str(exc)) from exc
    except Exception as exc:
        raise TokenInvalid(f"token check failed: {exc}") from exc
    info = resp.tst_info
    root = path[-1]
    return TokenInfo(
        gen_time=info.gen_time,
        serial=int(info.serial_number),
        tsa_subject=leaf.subject.rfc4514_string() if leaf is not None else "",
        root_subject=root.subject.rfc4514_string(),
        root_fingerprint=root.fingerprint(hashes.SHA256()).hex(),
    )


def _decode(tsr: bytes):
    """Parse a TimeStampResp. Tokens whose certificate SET is not in DER order (OpenSSL-based
    TSAs that include their chain send it so) are parsed from a copy with that set sorted: the
    signature does not cover the certificate set, and the stored token stays byte-for-byte what
    the TSA sent (which ``openssl ts -verify`` accepts as is)."""
    try:
        return decode_timestamp_response(tsr)
    except ValueError as exc:
        if "InvalidSetOrdering" not in str(exc):
            raise TokenInvalid(f"token unreadable: {exc}") from exc
        first = exc
    try:
        return decode_timestamp_response(_sort_certificate_set(tsr))
    except Exception as exc:
        raise TokenInvalid(f"token unreadable: {first}") from exc


def _sort_certificate_set(tsr: bytes) -> bytes:
    from asn1crypto import cms, tsp

    resp = tsp.TimeStampResp.load(tsr)
    signed = resp["time_stamp_token"]["content"]
    certs = list(signed["certificates"])
    signed["certificates"] = cms.CertificateSet(sorted(certs, key=lambda c: c.dump()))
    return resp.dump()


def _path_to_root(leaf: x509.Certificate, pool: list[x509.Certificate],
                  roots: list[x509.Certificate], at: datetime) -> list[x509.Certificate]:
    """Certificates from ``leaf`` up to one of ``roots`` (inclusive), each issued by the next
    and valid at ``at``; raises :class:`TokenInvalid` when there is no such path."""
    path = [leaf]
    current = leaf
    for _ in range(8):
        _check_validity(current, at)
        if current in roots:
            return path
        issuers = [c for c in roots + pool if c.subject == current.issuer and c != current]
        nxt = None
        for cand in issuers:
            try:
                current.verify_directly_issued_by(cand)
            except Exception:  # wrong key or algorithm: try the next candidate
                continue
            nxt = cand
            break
        if nxt is None:
            raise TokenInvalid(
                f"TSA certificate {leaf.subject.rfc4514_string()} does not chain to a trusted "
                f"root (stopped at {current.subject.rfc4514_string()})"
            )
        path.append(nxt)
        current = nxt
    raise TokenInvalid("certificate chain too long")


def _check_validity(cert: x509.Certificate, at: datetime) -> None:
    if not (cert.not_valid_before_utc <= at <= cert.not_valid_after_utc):
        raise TokenInvalid(
            f"certificate {cert.subject.rfc4514_string()} not valid at {at.isoformat()}"
        )


def _leaf(resp, certs: list[x509.Certificate]) -> x509.Certificate | None:
    sis = list(resp.signed_data.signer_infos)
    if not sis:
        return None
    si = sis[0]
    for c in certs:
        if c.issuer == si.issuer and c.serial_number == si.serial_number:
            return c
    return None


def request_token(
    data: bytes,
    url: str,
    chain_pem: bytes,
    *,
    timeout: float = 20.0,
    client: httpx.Client | None = None,
) -> tuple[bytes, TokenInfo]:
    """Ask the TSA at ``url`` to stamp sha256(``data``); return the raw response (DER) and its
    checked details. The response must verify against ``chain_pem`` before it is accepted."""
    req = (
        TimestampRequestBuilder()
        .data(data)
        .hash_algorithm(HashAlgorithm.SHA256)
        .nonce(nonce=True)
        .cert_request(cert_request=True)
        .build()
    )
    own = client is None
    client = client or httpx.Client(timeout=timeout)
    try:
        r = client.post(
            url,
            content=req.as_bytes(),
            headers={"Content-Type": "application/timestamp-query"},
        )
    except httpx.HTTPError as exc:
        raise TSAError(f"{url}: {exc}") from exc
    finally:
        if own:
            client.close()
    if r.status_code != 200:
        raise TSAError(f"{url}: HTTP {r.status_code}")
    try:
        info = verify_token(r.content, data, chain_pem, nonce=req.nonce)
    except TokenInvalid as exc:
        raise TSAError(f"{url}: the TSA's answer does not verify: {exc}") from exc
    return r.content, info
