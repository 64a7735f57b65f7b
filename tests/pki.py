"""A test PKI made fresh for each test session: CA, facility signers and bad certificates.

Every certificate here is generated; nothing is read from keys/ (the demo set).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509

from ictb import keys
from ictb.outputs import atomic_write

SIGNED_AT = dt.datetime(2026, 11, 22, 14, 30, tzinfo=dt.UTC)
START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
PASSPHRASE = b"test passphrase, not a secret"


@dataclass(frozen=True)
class Signer:
    material: keys.SigningMaterial
    ca: x509.Certificate

    @property
    def certificate(self) -> x509.Certificate:
        return self.material.certificate

    def write(self, folder: Path, stem: str = "signer") -> tuple[Path, Path]:
        """Encrypted key and certificate files (passphrase: PASSPHRASE)."""
        key_path, cert_path = folder / f"{stem}.key.pem", folder / f"{stem}.pem"
        write_private(key_path, keys.encrypted_pkcs8(self.material.key, PASSPHRASE))
        cert_path.write_bytes(keys.pem(self.certificate))
        return key_path, cert_path


@dataclass(frozen=True)
class Pki:
    ca_key: keys.PrivateKey
    ca: x509.Certificate

    def signer(
        self,
        *,
        facility_name: str = "Naval Medical Center San Diego",
        facility_id: str | None = "N00259",
        role: str | None = "MTF Commander",
        algorithm: keys.Algorithm = "ec",
        not_before: dt.datetime = START,
        days: int = 3650,
        digital_signature: bool = True,
    ) -> Signer:
        key = keys.generate_key(algorithm)
        cert = keys.issue_signer_certificate(
            self.ca_key,
            self.ca,
            key.public_key(),
            common="RDML Test Signer",
            facility_name=facility_name,
            facility_id=facility_id,
            role=role,
            not_before=not_before,
            days=days,
            digital_signature=digital_signature,
        )
        return Signer(keys.SigningMaterial(key, cert), self.ca)

    def trust_file(self, folder: Path) -> Path:
        path = folder / "trust.pem"
        path.write_bytes(keys.pem(self.ca))
        return path

    def trust(self) -> keys.TrustStore:
        return keys.TrustStore((self.ca,), "<test pki>")


def write_private(path: Path, data: bytes) -> Path:
    """Write a private key file (or PKCS#12 bundle) as ictb wants one: mode 0600."""
    atomic_write(path, data, overwrite=True, mode=0o600)
    return path


def make_pki(name: str = "ICTB Test CA", algorithm: keys.Algorithm = "ec") -> Pki:
    ca_key = keys.generate_key(algorithm)
    return Pki(ca_key, keys.make_ca(ca_key, name, not_before=START, days=3650))
