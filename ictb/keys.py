"""Key material: signing keys, certificates, the demo CA, and trust stores.

Private keys at rest are PKCS#8, encrypted with a passphrase through a strong key
derivation (PBKDF2-HMAC-SHA256, 600,000 iterations, AES-256-CBC), mode 0600; a key file
that group or others may read is refused.  Passphrases are bytes handed in by the caller
(from a prompt, a file or an environment variable), never read from the command line
and never printed.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import shlex
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
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


# PKCS#8 encryption: PBES2 (RFC 8018) with PBKDF2-HMAC-SHA256 and AES-256-CBC.
# cryptography's own PKCS#8 encryption (BestAvailableEncryption) fixes PBKDF2 at 2,048
# iterations and offers no way to raise it, so the EncryptedPrivateKeyInfo is encoded
# here; cryptography and OpenSSL both read it.  600,000 iterations is OWASP's current
# figure for PBKDF2-HMAC-SHA256.
PBKDF2_ITERATIONS = 600_000
MIN_NEW_PASSPHRASE_CHARS = 12
_OID_PBES2 = "1.2.840.113549.1.5.13"
_OID_PBKDF2 = "1.2.840.113549.1.5.12"
_OID_HMAC_SHA256 = "1.2.840.113549.2.9"
_OID_AES256_CBC = "2.16.840.1.101.3.4.1.42"


def check_new_passphrase(passphrase: bytes, source: Path | None = None) -> None:
    """Refuse a passphrase too short to protect a new private key (exit 3).

    ``source`` is the file the passphrase came from, if any, for the message.  Only new
    keys are held to this: a key already encrypted under a shorter passphrase still loads.
    """
    where = str(source) if source is not None else None
    if not passphrase:
        raise KeyMaterialError("an empty passphrase cannot protect a private key", path=where)
    try:
        length = len(passphrase.decode("utf-8"))
    except UnicodeDecodeError:
        length = len(passphrase)
    if length < MIN_NEW_PASSPHRASE_CHARS:
        raise KeyMaterialError(
            f"the passphrase is too short: a new private key needs a passphrase of at "
            f"least {MIN_NEW_PASSPHRASE_CHARS} characters",
            path=where,
        )


def encrypted_pkcs8(key: PrivateKey, passphrase: bytes) -> bytes:
    """``key`` as encrypted PKCS#8 PEM: PBKDF2-HMAC-SHA256 (600,000 rounds), AES-256-CBC."""
    check_new_passphrase(passphrase)
    plain = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    salt, iv = os.urandom(16), os.urandom(16)
    kdf = PBKDF2HMAC(hashes.SHA256(), length=32, salt=salt, iterations=PBKDF2_ITERATIONS)
    padder = padding.PKCS7(algorithms.AES.block_size).padder()
    encryptor = Cipher(algorithms.AES(kdf.derive(passphrase)), modes.CBC(iv)).encryptor()
    encrypted = encryptor.update(padder.update(plain) + padder.finalize()) + encryptor.finalize()
    der = _der_sequence(
        _der_sequence(  # encryptionAlgorithm
            _der_oid(_OID_PBES2),
            _der_sequence(
                _der_sequence(  # keyDerivationFunc
                    _der_oid(_OID_PBKDF2),
                    _der_sequence(
                        _der(0x04, salt),
                        _der_integer(PBKDF2_ITERATIONS),
                        _der_sequence(_der_oid(_OID_HMAC_SHA256), _der(0x05, b"")),
                    ),
                ),
                _der_sequence(_der_oid(_OID_AES256_CBC), _der(0x04, iv)),  # encryptionScheme
            ),
        ),
        _der(0x04, encrypted),  # encryptedData
    )
    text = base64.b64encode(der)
    lines = [text[i : i + 64] for i in range(0, len(text), 64)]
    return b"\n".join(
        [
            b"-----BEGIN ENCRYPTED PRIVATE KEY-----",
            *lines,
            b"-----END ENCRYPTED PRIVATE KEY-----",
            b"",
        ]
    )


def _der(tag: int, content: bytes) -> bytes:
    size = len(content)
    if size < 0x80:
        length = bytes([size])
    else:
        octets = size.to_bytes((size.bit_length() + 7) // 8, "big")
        length = bytes([0x80 | len(octets)]) + octets
    return bytes([tag]) + length + content


def _der_sequence(*items: bytes) -> bytes:
    return _der(0x30, b"".join(items))


def _der_integer(value: int) -> bytes:
    return _der(0x02, value.to_bytes(value.bit_length() // 8 + 1, "big"))  # non-negative


def _der_oid(dotted: str) -> bytes:
    first, second, *rest = (int(part) for part in dotted.split("."))
    body = bytearray()
    for arc in (40 * first + second, *rest):
        chunk = [arc & 0x7F]
        while arc > 0x7F:
            arc >>= 7
            chunk.append(0x80 | (arc & 0x7F))
        body += bytes(reversed(chunk))
    return _der(0x06, bytes(body))


def _read(path: Path, what: str, *, private: bool = False) -> bytes:
    try:
        with path.open("rb") as handle:
            if private:
                _refuse_if_shared(handle.fileno(), path, what)
            data = handle.read(MAX_KEY_FILE_BYTES + 1)
    except FileNotFoundError:
        raise KeyMaterialError(f"no such {what} file", path=str(path)) from None
    except OSError as exc:
        raise KeyMaterialError(f"cannot read {what}: {exc.strerror}", path=str(path)) from None
    if len(data) > MAX_KEY_FILE_BYTES:
        raise KeyMaterialError(f"{what} file is too large", path=str(path))
    return data


def _refuse_if_shared(fd: int, path: Path, what: str) -> None:
    """Refuse a private key file that group or others may read or write (POSIX)."""
    if os.name != "posix":
        return
    mode = stat.S_IMODE(os.fstat(fd).st_mode)
    if mode & 0o077:
        raise KeyMaterialError(
            f"the {what} file is open to group or others (mode {mode:04o}); a private key "
            f"must be readable by its owner only: chmod 600 {shlex.quote(str(path))}",
            path=str(path),
        )


def load_private_key(path: Path, passphrase: bytes | None) -> PrivateKey:
    """Load an encrypted PKCS#8 private key (PEM or DER) from a file of mode 0600."""
    data = _read(path, "key", private=True)
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


# The SafeBag type of a private key that is not encrypted (PKCS#12 keyBag, RFC 7292);
# an encrypted one is a pkcs8ShroudedKeyBag.
_PKCS12_KEY_BAG = _der_oid("1.2.840.113549.1.12.10.1.1")


def load_pkcs12(path: Path, passphrase: bytes | None) -> SigningMaterial:
    """Load a PKCS#12 bundle (mode 0600) whose private key is encrypted."""
    data = _read(path, "PKCS#12", private=True)
    if not _pkcs12_key_protected(data):
        raise KeyMaterialError(
            "the private key in the PKCS#12 bundle is not encrypted; export it again "
            "with a passphrase that encrypts the key",
            path=str(path),
        )
    if passphrase and b"\0" in passphrase:
        # PKCS#12 passwords are C strings: the library cannot take a NUL (it panics).
        raise KeyMaterialError("wrong passphrase, or not a PKCS#12 bundle", path=str(path))
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, passphrase or None)
        if cert is not None:
            readable(cert)
            for other in extra or ():
                readable(other)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise KeyMaterialError(
            "wrong passphrase, or not a PKCS#12 bundle", path=str(path)
        ) from None
    if key is None or cert is None:
        raise KeyMaterialError("the PKCS#12 bundle lacks a key or a certificate", path=str(path))
    certificate_public_key(cert, str(path))
    return SigningMaterial(check_key(key, str(path)), cert, tuple(extra or ()))


def _pkcs12_key_protected(data: bytes) -> bool:
    """False when the bundle's private key can be read without its passphrase.

    Two ways a key goes unprotected: the whole bundle opens without a password (no
    encryption at all, or the empty password), or the key sits in a plain keyBag
    (``openssl pkcs12 -export -keypbe NONE``, whose bundle may still carry a MAC and an
    encrypted certificate bag, so it does not open without the password).  A keyBag
    inside an encrypted bag is ciphertext, so its type is visible only when the key is
    stored in the clear.
    """
    if _PKCS12_KEY_BAG in data:
        return False
    try:
        key, _, _ = pkcs12.load_key_and_certificates(data, None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        return True
    return key is None


def load_signing_material(
    key_path: Path, cert_path: Path, chain_path: Path | None, passphrase: bytes | None
) -> SigningMaterial:
    key = load_private_key(key_path, passphrase)
    certs = load_certificates(cert_path)
    certificate_public_key(certs[0], str(cert_path))
    chain = tuple(load_certificates(chain_path)) if chain_path else ()
    return SigningMaterial(key, certs[0], (*certs[1:], *chain))


# ---------------------------------------------------------------- certificates


def load_certificates(path: Path) -> list[x509.Certificate]:
    """Every certificate in a PEM file (or the one in a DER file)."""
    data = _read(path, "certificate")
    try:
        if b"-----BEGIN CERTIFICATE-----" in data:
            return [readable(c) for c in x509.load_pem_x509_certificates(data)]
        return [readable(x509.load_der_x509_certificate(data))]
    except ValueError:
        raise KeyMaterialError("not a certificate (PEM or DER)", path=str(path)) from None


def readable(cert: x509.Certificate) -> x509.Certificate:
    """``cert``, once every part ictb reads of it has been read.

    cryptography parses a certificate's names, extensions and validity only when they
    are first asked for, and then raises ValueError for a malformed one; reading them
    here, where the certificate enters, keeps that error at the one place that reports
    a bad certificate rather than wherever a field is first used.
    """
    for name in (cert.subject, cert.issuer):
        name.rfc4514_string()
        for attribute in name:
            str(attribute.value)
    for extension in cert.extensions:
        extension.value  # noqa: B018 - reading it is the check
    cert.not_valid_before_utc, cert.not_valid_after_utc  # noqa: B018
    return cert


def certificate_public_key(
    cert: x509.Certificate, source: str | None = None
) -> CertificatePublicKeyTypes:
    """The certificate's public key, or a KeyMaterialError when it cannot be used.

    cryptography reads a certificate's key only when asked, and then raises ValueError
    for an invalid key (an EC point not on its curve, say) and UnsupportedAlgorithm for
    an unknown key type.
    """
    try:
        return cert.public_key()
    except (ValueError, UnsupportedAlgorithm):
        raise KeyMaterialError(
            f"the certificate for {common_name(cert)!r} holds an invalid or unsupported public key",
            path=source,
        ) from None


def public_key_matches(key: PrivateKey, cert: x509.Certificate) -> bool:
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    der = serialization.Encoding.DER
    theirs = certificate_public_key(cert).public_bytes(der, spki)
    return key.public_key().public_bytes(der, spki) == theirs


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
        try:
            if path.is_dir():
                files = sorted(p for p in path.iterdir() if p.suffix in (".pem", ".crt", ".cer"))
            elif path.exists():
                files = [path]
            else:
                raise TrustConfigError("no such trust store", path=str(path))
        except OSError as exc:  # a name the file system refuses, a folder we may not list
            raise TrustConfigError(
                f"cannot read the trust store: {exc.strerror or exc}", path=str(path)
            ) from None
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
