"""A local RFC 3161 time-stamping authority for tests: a tiny HTTP server that answers each
request by running ``openssl ts -reply`` with a CA and TSA certificate made at test time."""

from __future__ import annotations

import datetime as dt
import subprocess
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

TSA_CNF = """\
[ tsa ]
default_tsa = tsa_config

[ tsa_config ]
dir = {dir}
serial = $dir/tsaserial
crypto_device = builtin
signer_cert = $dir/tsa.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.55555.1.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def _name(cn: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "netral test"),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def make_tsa_pki(directory: Path, label: str = "Test", include_chain: bool = False) -> Path:
    """Write ca.pem, tsa.pem, tsa.key, chain.pem, tsaserial and tsa.cnf; return the dir."""
    directory.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    later = now + dt.timedelta(days=3650)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name(f"netral {label} Root CA")
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(later)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True,
                crl_sign=True, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()),
                       critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    tsa_key = ec.generate_private_key(ec.SECP256R1())
    tsa = (
        x509.CertificateBuilder()
        .subject_name(_name(f"netral {label} TSA"))
        .issuer_name(ca_name)
        .public_key(tsa_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(later)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=False,
                crl_sign=False, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    (directory / "ca.pem").write_bytes(ca.public_bytes(pem))
    (directory / "tsa.pem").write_bytes(tsa.public_bytes(pem))
    (directory / "chain.pem").write_bytes(tsa.public_bytes(pem) + ca.public_bytes(pem))
    (directory / "tsa.key").write_bytes(
        tsa_key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption())
    )
    (directory / "tsaserial").write_text("01\n")
    cnf = TSA_CNF.format(dir=directory)
    if include_chain:  # OpenSSL then sends the certificate SET unsorted (not DER)
        cnf = cnf.replace("default_policy", "certs = $dir/ca.pem\ndefault_policy")
    (directory / "tsa.cnf").write_text(cnf)
    return directory


class LocalTSA:
    """``with LocalTSA(dir) as tsa: tsa.url`` — answers POSTed requests via ``openssl ts``."""

    def __init__(self, directory: Path, label: str = "Test", include_chain: bool = False):
        self.dir = make_tsa_pki(Path(directory), label, include_chain)
        self.requests = 0
        self._lock = threading.Lock()
        tsa = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with tsa._lock:
                    tsa.requests += 1
                    reply = tsa._reply(body)
                if reply is None:
                    self.send_response(500)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):  # keep test output quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/tsa"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def ca_pem(self) -> Path:
        return self.dir / "ca.pem"

    @property
    def chain_pem(self) -> Path:
        return self.dir / "chain.pem"

    def _reply(self, query: bytes) -> bytes | None:
        with tempfile.TemporaryDirectory() as tmp:
            q = Path(tmp) / "q.tsq"
            r = Path(tmp) / "r.tsr"
            q.write_bytes(query)
            proc = subprocess.run(
                ["openssl", "ts", "-reply", "-config", str(self.dir / "tsa.cnf"),
                 "-queryfile", str(q), "-out", str(r)],
                capture_output=True, check=False,
            )
            if proc.returncode != 0 or not r.exists():
                return None
            return r.read_bytes()

    def __enter__(self) -> LocalTSA:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
