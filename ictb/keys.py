"""Key material: signing keys, certificates, the demo CA, and trust stores.

Private keys at rest are PKCS#8, encrypted with a passphrase, mode 0600.  Passphrases
are bytes handed in by the caller (from a prompt, a file or an environment variable),
never read from the command line and never printed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from ictb.errors import KeyMaterialError, TrustConfigError

PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
PublicKey = ec.EllipticCurvePublicKey | rsa.RSAPublicKey
Algorithm = Literal["ec", "rsa"]

RSA_BITS = 3072
ALLOWED_CURVES = ("secp256r1", "secp384r1")
MIN_RSA_BITS = 2048
MAX_KEY_FILE_BYTES = 1024 * 1024


# ---------------------------------------------------------------- private keys


def generate_key(algorithm: Algorithm = "ec") -> PrivateKey:
    """ECDSA P-256 by default; RSA-3072 on request."""
    if algorithm == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS)
    return ec.generate_private_key(ec.SECP256R1())


def encrypted_pkcs8(key: PrivateKey, passphrase: bytes) -> bytes:
    if not passphrase:
        raise KeyMaterialError("an empty passphrase cannot protect a private key")
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase),
    )


def _read(path: Path, what: str) -> bytes:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_KEY_FILE_BYTES + 1)
    except FileNotFoundError:
        raise KeyMaterialError(f"no such {what} file", path=str(path)) from None
    except OSError as exc:
        raise KeyMaterialError(f"cannot read {what}: {exc.strerror}", path=str(path)) from None
    if len(data) > MAX_KEY_FILE_BYTES:
        raise KeyMaterialError(f"{what} file is too large", path=str(path))
    return data


def load_private_key(path: Path, passphrase: bytes | None) -> PrivateKey:
    """Load an encrypted PKCS#8 private key (PEM or DER)."""
    data = _read(path, "key")
    is_pem = b"-----BEGIN" in data  # PEM may follow explanatory text (openssl "Bag Attributes")
    if is_pem and b"ENCRYPTED" not in data:
        raise KeyMaterialError(
            "the private key is not encrypted; keys at rest must be encrypted PKCS#8",
            path=str(path),
        )
    if not passphrase:
        raise KeyMaterialError("the private key needs a passphrase", path=str(path))
    if is_pem:
        data = data[data.index(b"-----BEGIN") :]
    loader = serialization.load_pem_private_key if is_pem else serialization.load_der_private_key
    try:
        key = loader(data, password=passphrase)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        # One opaque message: never say which part of the passphrase or key was wrong.
        raise KeyMaterialError("wrong passphrase, or not a private key", path=str(path)) from None
    return check_key(key, str(path))


def check_key(key: object, source: str) -> PrivateKey:
    if isinstance(key, ec.EllipticCurvePrivateKey):
        if key.curve.name not in ALLOWED_CURVES:
            raise KeyMaterialError(f"curve {key.curve.name} is not allowed", path=source)
        return key
    if isinstance(key, rsa.RSAPrivateKey):
        if key.key_size < MIN_RSA_BITS:
            raise KeyMaterialError(f"RSA keys need at least {MIN_RSA_BITS} bits", path=source)
        return key
    raise KeyMaterialError("only ECDSA (P-256, P-384) and RSA keys are supported", path=source)


@dataclass(frozen=True)
class SigningMaterial:
    """A private key, its certificate, and the chain up to (not including) the root."""

    key: PrivateKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()


def load_pkcs12(path: Path, passphrase: bytes | None) -> SigningMaterial:
    data = _read(path, "PKCS#12")
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, passphrase or None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise KeyMaterialError(
            "wrong passphrase, or not a PKCS#12 bundle", path=str(path)
        ) from None
    if key is None or cert is None:
        raise KeyMaterialError("the PKCS#12 bundle lacks a key or a certificate", path=str(path))
    return SigningMaterial(check_key(key, str(path)), cert, tuple(extra or ()))


def load_signing_material(
    key_path: Path, cert_path: Path, chain_path: Path | None, passphrase: bytes | None
) -> SigningMaterial:
    key = load_private_key(key_path, passphrase)
    certs = load_certificates(cert_path)
    chain = tuple(load_certificates(chain_path)) if chain_path else ()
    return SigningMaterial(key, certs[0], (*certs[1:], *chain))


# ---------------------------------------------------------------- certificates


def load_certificates(path: Path) -> list[x509.Certificate]:
    """Every certificate in a PEM file (or the one in a DER file)."""
    data = _read(path, "certificate")
    try:
        if b"-----BEGIN CERTIFICATE-----" in data:
            return x509.load_pem_x509_certificates(data)
        return [x509.load_der_x509_certificate(data)]
    except ValueError:
        raise KeyMaterialError("not a certificate (PEM or DER)", path=str(path)) from None


def public_key_matches(key: PrivateKey, cert: x509.Certificate) -> bool:
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    der = serialization.Encoding.DER
    return key.public_key().public_bytes(der, spki) == cert.public_key().public_bytes(der, spki)


def has_digital_signature(cert: x509.Certificate) -> bool:
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return False
    return bool(usage.digital_signature)


def organization(cert: x509.Certificate) -> str | None:
    values = cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    return str(values[0].value) if values else None


def organizational_unit(cert: x509.Certificate) -> str | None:
    values = cert.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)
    return str(values[0].value) if values else None


def common_name(cert: x509.Certificate) -> str:
    values = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(values[0].value) if values else cert.subject.rfc4514_string()


def fingerprint(cert: x509.Certificate) -> str:
    return cert.fingerprint(hashes.SHA256()).hex(":").upper()


def valid_at(cert: x509.Certificate, when: dt.datetime) -> bool:
    return cert.not_valid_before_utc <= when <= cert.not_valid_after_utc


# ---------------------------------------------------------------- the demo CA


def _name(
    common: str, org: str | None = None, unit: str | None = None, title: str | None = None
) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "US")]
    if org:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    if unit:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit))
    if title:
        attrs.append(x509.NameAttribute(NameOID.TITLE, title))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, common))
    return x509.Name(attrs)


def _signature_hash(key: PrivateKey) -> hashes.SHA256 | hashes.SHA384:
    if isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name == "secp384r1":
        return hashes.SHA384()
    return hashes.SHA256()


def make_ca(key: PrivateKey, name: str, *, not_before: dt.datetime, days: int) -> x509.Certificate:
    """A self-signed demo CA that may issue facility signing certificates only."""
    subject = _name(name, "ICTB demonstration PKI (not for real use)")
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_before + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, _signature_hash(key))
    )


def issue_signer_certificate(
    ca_key: PrivateKey,
    ca_cert: x509.Certificate,
    public_key: PublicKey,
    *,
    common: str,
    facility_name: str,
    facility_id: str | None,
    role: str | None,
    not_before: dt.datetime,
    days: int,
    digital_signature: bool = True,
) -> x509.Certificate:
    """A facility signing certificate: digitalSignature, O = the facility's name."""
    return (
        x509.CertificateBuilder()
        .subject_name(_name(common, facility_name, facility_id, role))
        .issuer_name(ca_cert.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(min(not_before + dt.timedelta(days=days), ca_cert.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(digital=digital_signature), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, _signature_hash(ca_key))
    )


def make_csr(
    key: PrivateKey, *, common: str, facility_name: str, facility_id: str | None, role: str | None
) -> x509.CertificateSigningRequest:
    return (
        x509.CertificateSigningRequestBuilder()
        .subject_name(_name(common, facility_name, facility_id, role))
        .add_extension(_key_usage(digital=True), critical=True)
        .sign(key, _signature_hash(key))
    )


def _key_usage(*, digital: bool = False, cert_sign: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=digital,
        content_commitment=digital,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def pem(cert: x509.Certificate | x509.CertificateSigningRequest) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


# ---------------------------------------------------------------- trust stores


@dataclass(frozen=True)
class TrustStore:
    """The certificates a gaining facility trusts; nothing else is ever trusted."""

    certificates: tuple[x509.Certificate, ...]
    source: str

    @classmethod
    def load(cls, path: Path) -> TrustStore:
        """A PEM file, or a directory of ``*.pem``/``*.crt`` files."""
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix in (".pem", ".crt", ".cer"))
        elif path.exists():
            files = [path]
        else:
            raise TrustConfigError("no such trust store", path=str(path))
        certs: list[x509.Certificate] = []
        for file in files:
            try:
                certs += load_certificates(file)
            except KeyMaterialError as exc:
                raise TrustConfigError(exc.message, path=exc.path) from None
        if not certs:
            raise TrustConfigError("the trust store holds no certificates", path=str(path))
        return cls(tuple(certs), str(path))


def chain_problem(
    leaf: x509.Certificate,
    intermediates: Sequence[x509.Certificate],
    trust: TrustStore,
    when: dt.datetime,
) -> str | None:
    """Why ``leaf`` does not chain to ``trust`` at ``when`` (None when it does)."""
    from cryptography.x509 import verification as v

    def digital_signature(policy: object, cert: object, usage: x509.KeyUsage | None) -> None:
        if usage is None or not usage.digital_signature:
            raise ValueError("the signing certificate lacks the digitalSignature key usage")

    ee_policy = v.ExtensionPolicy.permit_all().require_present(
        x509.KeyUsage, v.Criticality.AGNOSTIC, digital_signature
    )
    verifier = (
        v.PolicyBuilder()
        .store(v.Store(list(trust.certificates)))
        .time(when)
        .extension_policies(ca_policy=v.ExtensionPolicy.webpki_defaults_ca(), ee_policy=ee_policy)
        .build_client_verifier()
    )
    try:
        verifier.verify(leaf, list(intermediates))
    except v.VerificationError as exc:
        return str(exc)
    return None
