"""Evidence settings, from :func:`netral.config.get_settings` (environment or settings file).

``NETRAL_TSA_URL``        RFC 3161 time-stamping authority (HTTP POST of a DER request).
``NETRAL_TSA_CA``         PEM file with the TSA's CA certificate(s) used to check its tokens.
``NETRAL_EVIDENCE_KEY``   Ed25519 private key (PEM);
                          default ``<data dir>/keys/evidence-ed25519.pem``.
``NETRAL_EVIDENCE_DIR``   content-addressed file store; default ``<data dir>/evidence``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from netral.config import get_settings


@dataclass(frozen=True, slots=True)
class EvidenceSettings:
    store_dir: Path
    key_path: Path
    tsa_url: str | None
    tsa_ca: Path | None
    tsa_timeout: float = 20.0


def evidence_settings() -> EvidenceSettings:
    s = get_settings()
    return EvidenceSettings(
        store_dir=s.evidence_dir or s.data_dir / "evidence",
        key_path=s.evidence_key or s.data_dir / "keys" / "evidence-ed25519.pem",
        tsa_url=s.tsa_url,
        tsa_ca=s.tsa_ca,
    )
