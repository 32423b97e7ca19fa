"""The agency's Ed25519 signing key: generation, storage, signing and checking.

The fingerprint is the SHA-256 of the DER SubjectPublicKeyInfo, so anyone can recompute it with
``openssl pkey -pubin -in signer.pub.pem -outform DER | sha256sum``.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

PASSPHRASE_ENV = "NETRAL_EVIDENCE_KEY_PASSPHRASE"


class SigningKeyError(Exception):
    """The signing key is missing, unreadable or of the wrong type."""


@dataclass(frozen=True, slots=True)
class SigningKey:
    private: Ed25519PrivateKey
    path: Path

    @property
    def public_pem(self) -> bytes:
        return public_pem(self.private.public_key())

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.private.public_key())

    def sign(self, data: bytes) -> bytes:
        return self.private.sign(data)


def public_pem(pub: Ed25519PublicKey) -> bytes:
    return pub.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def fingerprint(pub: Ed25519PublicKey) -> str:
    der = pub.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return "sha256:" + hashlib.sha256(der).hexdigest()


def public_key_path(private_path: Path) -> Path:
    return private_path.with_name(private_path.name.removesuffix(".pem") + ".pub.pem")


def _passphrase() -> bytes | None:
    value = os.environ.get(PASSPHRASE_ENV)
    return value.encode() if value else None


def generate_key(path: Path, *, force: bool = False) -> SigningKey:
    """Create a new Ed25519 key at ``path`` (mode 0600) and its public key next to it."""
    path = Path(path)
    if path.exists() and not force:
        raise FileExistsError(str(path))
    key = Ed25519PrivateKey.generate()
    pw = _passphrase()
    enc = (
        serialization.BestAvailableEncryption(pw) if pw else serialization.NoEncryption()
    )
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, enc)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    os.replace(tmp, path)
    public_key_path(path).write_bytes(public_pem(key.public_key()))
    return SigningKey(key, path)


def load_key(path: Path) -> SigningKey:
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise SigningKeyError(
            f"{path}: no signing key (create one with `netral evidence keygen`)"
        ) from exc
    try:
        key = serialization.load_pem_private_key(data, password=_passphrase())
    except (ValueError, TypeError) as exc:
        raise SigningKeyError(f"{path}: cannot read the private key ({exc})") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"{path}: not an Ed25519 key")
    return SigningKey(key, path)


def load_public_pem(data: bytes) -> Ed25519PublicKey:
    """Parse a PEM public key; anything unreadable or not Ed25519 raises ``ValueError``."""
    try:
        key = serialization.load_pem_public_key(data)
    except Exception as exc:  # ValueError, UnsupportedAlgorithm, …: all mean "unreadable"
        raise ValueError(f"unreadable public key: {exc}") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def verify_signature(pub: Ed25519PublicKey, data: bytes, signature: bytes) -> bool:
    try:
        pub.verify(signature, data)
    except InvalidSignature:
        return False
    return True
