"""Evidence settings, read from the environment on top of :func:`netral.config.get_settings`.

``NETRAL_TSA_URL``        RFC 3161 time-stamping authority (HTTP POST of a DER request).
``NETRAL_TSA_CA``         PEM file with the TSA's CA certificate(s) used to check its tokens.
``NETRAL_EVIDENCE_KEY``   Ed25519 private key (PEM);
                          default ``<data dir>/keys/evidence-ed25519.pem``.
``NETRAL_EVIDENCE_DIR``   content-addressed file store; default ``<data dir>/evidence``.
"""

from __future__ import annotations

import os
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
    data_dir = get_settings().data_dir
    store = os.environ.get("NETRAL_EVIDENCE_DIR")
    key = os.environ.get("NETRAL_EVIDENCE_KEY")
    ca = os.environ.get("NETRAL_TSA_CA")
    return EvidenceSettings(
        store_dir=Path(store) if store else data_dir / "evidence",
        key_path=Path(key) if key else data_dir / "keys" / "evidence-ed25519.pem",
        tsa_url=os.environ.get("NETRAL_TSA_URL") or None,
        tsa_ca=Path(ca) if ca else None,
    )
