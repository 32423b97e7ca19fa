"""RFC 3161 tokens from a local ``openssl ts`` TSA, checked by netral and by ``openssl ts``."""

from __future__ import annotations

import subprocess

import pytest

from netral.evidence.tsa import TokenInvalid, TSAError, request_token, verify_token

from .localtsa import LocalTSA


def _openssl_verify(tmp_path, data: bytes, tsr: bytes, ca) -> subprocess.CompletedProcess:
    (tmp_path / "d.bin").write_bytes(data)
    (tmp_path / "t.tsr").write_bytes(tsr)
    return subprocess.run(["openssl", "ts", "-verify", "-data", "d.bin", "-in", "t.tsr",
                           "-CAfile", str(ca)], cwd=tmp_path, capture_output=True, text=True,
                          check=False)


def test_token_roundtrip_and_openssl_agrees(local_tsa, tmp_path):
    data = b'{"seq":1}'
    tsr, info = request_token(data, local_tsa.url, local_tsa.chain_pem.read_bytes())
    assert info.tsa_subject.startswith("CN=netral Test TSA")
    again = verify_token(tsr, data, local_tsa.chain_pem.read_bytes())
    assert again.gen_time == info.gen_time and again.serial == info.serial
    r = _openssl_verify(tmp_path, data, tsr, local_tsa.chain_pem)
    assert r.returncode == 0 and "Verification: OK" in r.stdout
    with pytest.raises(TokenInvalid, match="Mismatch"):
        verify_token(tsr, data + b" ", local_tsa.chain_pem.read_bytes())
    assert _openssl_verify(tmp_path, data + b" ", tsr, local_tsa.chain_pem).returncode != 0


def test_tsa_that_sends_its_chain_unsorted(tmp_path):
    """OpenSSL TSAs configured with `certs` send a non-DER certificate SET; the token is kept
    exactly as sent and still checks, with netral and with openssl."""
    with LocalTSA(tmp_path / "chain", label="Chain", include_chain=True) as tsa:
        data = b"head statement"
        tsr, _ = request_token(data, tsa.url, tsa.chain_pem.read_bytes())
        from rfc3161_client import decode_timestamp_response

        with pytest.raises(ValueError, match="InvalidSetOrdering"):
            decode_timestamp_response(tsr)  # the raw token really is non-DER
        assert verify_token(tsr, data, tsa.ca_pem.read_bytes()).root_subject.startswith(
            "CN=netral Chain Root CA")
        assert _openssl_verify(tmp_path, data, tsr, tsa.ca_pem).returncode == 0


@pytest.mark.parametrize("garbage", [b"", b"\x30\x03\x02\x01\x00", b"not a token" * 10])
def test_garbage_tokens_are_invalid_not_crashes(local_tsa, garbage):
    with pytest.raises(TokenInvalid):
        verify_token(garbage, b"x", local_tsa.chain_pem.read_bytes())


def test_untrusted_root_and_bad_chain(local_tsa, tmp_path):
    data = b"abc"
    tsr, _ = request_token(data, local_tsa.url, local_tsa.chain_pem.read_bytes())
    with LocalTSA(tmp_path / "other", label="Other") as other:
        with pytest.raises(TokenInvalid, match="does not chain to a trusted root"):
            verify_token(tsr, data, other.chain_pem.read_bytes())
        with pytest.raises(TSAError, match="does not verify"):
            # the answer must verify against the configured chain before it is accepted
            request_token(data, other.url, local_tsa.chain_pem.read_bytes())
    with pytest.raises(TokenInvalid, match="chain"):
        verify_token(tsr, data, b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")


def test_unreachable_tsa(local_tsa):
    with pytest.raises(TSAError):
        request_token(b"x", "http://127.0.0.1:9/tsa", local_tsa.chain_pem.read_bytes(),
                      timeout=2)
