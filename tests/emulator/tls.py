"""HTTPS for the emulator: a self-signed certificate for 127.0.0.1 and localhost, made at start-up
with the ``openssl`` command line tool in a temporary directory that is removed on exit.
"""
from __future__ import annotations

import contextlib
import shutil
import ssl
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

# A CA certificate that is also the server's, so that the one file is the clients' whole CA bundle.
# Key usages and the subject key identifier keep it valid under strict verification (Python 3.13+).
_EXTENSIONS = (
    "subjectAltName=IP:127.0.0.1,DNS:localhost",
    "basicConstraints=critical,CA:TRUE",
    "keyUsage=critical,digitalSignature,keyCertSign",
    "extendedKeyUsage=serverAuth",
    "subjectKeyIdentifier=hash",
    "authorityKeyIdentifier=keyid:always",
)


class CertificateError(RuntimeError):
    """The certificate could not be made (no openssl, or it failed)."""


@dataclass(frozen=True)
class Certificate:
    cert_path: Path  # also the CA bundle clients verify with
    key_path: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_path, self.key_path)
        return context


@contextlib.contextmanager
def self_signed_certificate(days: int = 2) -> Iterator[Certificate]:
    """A fresh certificate and key, valid for ``days``, deleted when the context ends."""
    openssl = shutil.which("openssl")
    if openssl is None:
        raise CertificateError("--tls needs the openssl command, which is not on PATH")
    directory = Path(tempfile.mkdtemp(prefix="losant-emulator-tls-"))
    try:
        certificate = Certificate(directory / "cert.pem", directory / "key.pem")
        command = [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                   "-nodes", "-days", str(days), "-subj", "/CN=localhost",
                   "-keyout", str(certificate.key_path), "-out", str(certificate.cert_path)]
        for extension in _EXTENSIONS:
            command += ["-addext", extension]
        result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
        if result.returncode != 0:
            raise CertificateError(f"openssl could not make a certificate: {result.stderr.strip()}")
        yield certificate
    finally:
        shutil.rmtree(directory, ignore_errors=True)
