"""Chain heads: a small statement of the ledger tip, signed with the agency's Ed25519 key and
(when a TSA is configured) time-stamped under RFC 3161. Signature and token cover the same
bytes, so ``openssl pkeyutl -verify`` and ``openssl ts -verify`` both check ``head.txt``."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from netral.evidence.headcheck import HEAD_FORMAT, check_head, head_statement
from netral.evidence.keys import SigningKey
from netral.evidence.ledger import Ledger, now_iso
from netral.evidence.models import ChainHead
from netral.evidence.tsa import request_token

__all__ = ["HEAD_FORMAT", "EmptyLedger", "TSAConfig", "check_head", "head_statement",
           "latest_head", "make_head", "tsa_from_settings"]


class EmptyLedger(Exception):
    """There is nothing to sign yet."""


@dataclass(frozen=True, slots=True)
class TSAConfig:
    url: str
    chain_pem: bytes
    timeout: float = 20.0


def tsa_from_settings() -> TSAConfig | None:
    """The TSA configured by ``NETRAL_TSA_URL`` / ``NETRAL_TSA_CA`` (None when unset).

    Raises ``ValueError`` when a URL is set without the CA file, ``OSError`` when the file
    cannot be read."""
    from netral.evidence.settings import evidence_settings

    s = evidence_settings()
    if not s.tsa_url:
        return None
    if s.tsa_ca is None:
        raise ValueError("NETRAL_TSA_URL is set but NETRAL_TSA_CA (TSA chain PEM) is not")
    return TSAConfig(url=s.tsa_url, chain_pem=s.tsa_ca.read_bytes(), timeout=s.tsa_timeout)


def latest_head(session: Session) -> ChainHead | None:
    return session.execute(
        select(ChainHead).order_by(ChainHead.seq.desc(), ChainHead.id.desc()).limit(1)
    ).scalar_one_or_none()


def make_head(session: Session, key: SigningKey, tsa: TSAConfig | None = None, *,
              reuse: bool = True, client: httpx.Client | None = None) -> ChainHead:
    """Sign (and stamp, with ``tsa``) the current tip. With ``reuse``, an existing head of the
    tip by the same key (stamped, when a TSA is asked for) is returned instead of a new one."""
    ledger = Ledger(session)
    seq, tip_hash = ledger.tip()
    if seq == 0:
        raise EmptyLedger("the evidence ledger is empty")
    if reuse:
        existing = latest_head(session)
        if (existing is not None and existing.seq == seq
                and existing.key_fingerprint == key.fingerprint
                and (tsa is None or existing.tsr is not None)):
            return existing
    statement = head_statement(seq, tip_hash, now_iso(), key.fingerprint)
    signature = key.sign(statement)
    tsr = chain = gen_time = None
    if tsa is not None:
        tsr, info = request_token(statement, tsa.url, tsa.chain_pem, timeout=tsa.timeout,
                                  client=client)
        chain = tsa.chain_pem.decode()
        gen_time = info.gen_time
    head = ChainHead(
        seq=seq, entry_hash=tip_hash, statement=statement, signature=signature,
        public_key_pem=key.public_pem.decode(), key_fingerprint=key.fingerprint,
        tsa_url=tsa.url if tsa else None, tsr=tsr, tsa_chain_pem=chain, tsa_gen_time=gen_time,
    )
    session.add(head)
    session.flush()
    return head


