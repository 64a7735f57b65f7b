"""Keys at rest and key material from outside.

* new private keys: PBKDF2-HMAC-SHA256 with 600,000 iterations and AES-256-CBC, read by
  OpenSSL too; a passphrase of at least 12 characters;
* a private key file or PKCS#12 bundle that group or others may read is refused, with
  the ``chmod`` that fixes it; the project's own writers use mode 0600;
* a PKCS#12 bundle whose key is not encrypted is refused;
* a certificate whose public key cannot be used (an EC point off its curve) is a clean
  refusal in ``sign`` and an ICTB-043 finding in ``verify``, never a crash.

Every key is made here or by ``tests/pki.py``; the one exception reads the demo set in
``keys/`` to check how it is encrypted and that the demo copes with a fresh checkout.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, pkcs12

from ictb import demo, ictb_xml, keys, policy, signing, verify, xmldsig
from ictb.cli.demo import DEMO_DATE
from ictb.errors import EXIT_OK, KeyMaterialError
from tests import factories, pki
from tests.conftest import ROOT, SAMPLES, CliResult, CliRunner

LONG = b"correct horse battery staple"
AS_OF = ("--as-of", "2026-11-22")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def one_error_line(result: CliResult) -> str:
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("ictb: error: ")
    return lines[0]


def secret_file(path: Path, secret: bytes) -> Path:
    path.write_bytes(secret + b"\n")
    return path


def kdf_of(path: Path) -> tuple[str, int]:
    """(the PBES2 key derivation and cipher, the iteration count), as OpenSSL parses them."""
    parsed = subprocess.run(
        ["openssl", "asn1parse", "-in", str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    objects = re.findall(r"OBJECT\s+:(\S+)", parsed)
    # The first INTEGER of the structure is PBKDF2's iteration count.
    iterations = int(re.findall(r"INTEGER\s+:([0-9A-F]+)", parsed)[0], 16)
    return " ".join(objects), iterations


@pytest.fixture(autouse=True)
def no_passphrase_from_the_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ICTB_PASSPHRASE", "ICTB_CA_PASSPHRASE"):
        monkeypatch.delenv(name, raising=False)


# ---------------------------------------------------------------- the key derivation


@pytest.mark.parametrize("algorithm", ["ec", "rsa"])
def test_new_keys_use_pbkdf2_sha256_600000_and_aes256(
    tmp_path: Path, algorithm: keys.Algorithm
) -> None:
    path = pki.write_private(
        tmp_path / "k.pem", keys.encrypted_pkcs8(keys.generate_key(algorithm), LONG)
    )
    assert path.read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----\n")
    objects, iterations = kdf_of(path)
    assert objects == "PBES2 PBKDF2 hmacWithSHA256 aes-256-cbc"
    assert iterations >= 600_000


@pytest.mark.parametrize("algorithm", ["ec", "rsa"])
def test_openssl_reads_a_key_ictb_wrote(tmp_path: Path, algorithm: keys.Algorithm) -> None:
    key = keys.generate_key(algorithm)
    path = pki.write_private(tmp_path / "k.pem", keys.encrypted_pkcs8(key, LONG))
    passphrase = secret_file(tmp_path / "pass", LONG)
    done = subprocess.run(
        ["openssl", "pkey", "-in", str(path), "-passin", f"file:{passphrase}", "-noout"],
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    public = subprocess.run(
        ["openssl", "pkey", "-in", str(path), "-passin", f"file:{passphrase}", "-pubout"],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    assert public == key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    wrong = secret_file(tmp_path / "wrong", b"incorrect donkey battery staple")
    refused = subprocess.run(
        ["openssl", "pkey", "-in", str(path), "-passin", f"file:{wrong}", "-noout"],
        capture_output=True,
        timeout=60,
    )
    assert refused.returncode != 0


def test_ictb_reads_a_key_openssl_wrote(tmp_path: Path) -> None:
    key = keys.generate_key()
    plain = tmp_path / "plain.pem"
    plain.write_bytes(
        key.private_bytes(Encoding.PEM, serialization.PrivateFormat.PKCS8, _no_encryption())
    )
    passphrase = secret_file(tmp_path / "pass", LONG)
    path = tmp_path / "k.pem"
    subprocess.run(
        [
            *("openssl", "pkcs8", "-topk8", "-in", str(plain), "-out", str(path)),
            *("-v2", "aes-256-cbc", "-v2prf", "hmacWithSHA256", "-iter", "600000"),
            *("-passout", f"file:{passphrase}"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    path.chmod(0o600)
    loaded = keys.load_private_key(path, LONG)
    assert loaded.private_numbers() == key.private_numbers()  # type: ignore[union-attr]


def test_keygen_writes_keys_with_the_strong_derivation(tmp_path: Path, run_cli: CliRunner):
    secrets = secret_file(tmp_path / "ca.pass", LONG)
    result = run_cli(
        "keygen", "ca", "--out", tmp_path / "ca", "--name", "KDF CA", "--passphrase-file", secrets
    )
    assert result.exit_code == 0, result.stderr
    assert kdf_of(tmp_path / "ca.key.pem")[1] >= 600_000
    assert mode(tmp_path / "ca.key.pem") == 0o600


@pytest.mark.parametrize("name", ["demo-ca.key.pem", "demo-signer.key.pem"])
def test_the_demo_keys_use_the_strong_derivation(name: str) -> None:
    objects, iterations = kdf_of(ROOT / "keys" / name)
    assert objects == "PBES2 PBKDF2 hmacWithSHA256 aes-256-cbc"
    assert iterations >= 600_000


def test_the_demo_passphrase_is_long_enough() -> None:
    passphrase = (ROOT / "keys" / "demo-passphrase.txt").read_bytes().splitlines()[0]
    keys.check_new_passphrase(passphrase)


# ---------------------------------------------------------------- the passphrase of a new key


@pytest.mark.parametrize(
    "secret", [b"x", b"elevenchars", "ééééééééééé".encode()], ids=["1", "11", "11-non-ascii"]
)
def test_a_short_passphrase_cannot_protect_a_new_key(secret: bytes) -> None:
    with pytest.raises(KeyMaterialError, match="at least 12 characters"):
        keys.encrypted_pkcs8(keys.generate_key(), secret)


@pytest.mark.parametrize("secret", [b"twelve-chars", "éééééééééééé".encode()])
def test_twelve_characters_are_enough(tmp_path: Path, secret: bytes) -> None:
    key = keys.generate_key()
    path = pki.write_private(tmp_path / "k.pem", keys.encrypted_pkcs8(key, secret))
    assert keys.public_key_matches(keys.load_private_key(path, secret), _self_signed(key))


def keygen_args(kind: str, folder: Path) -> list[str | Path]:
    if kind == "ca":
        return ["keygen", "ca", "--out", folder / "new", "--name", "Short CA"]
    return [
        "keygen",
        "signer",
        "--out",
        folder / "new",
        "--name",
        "CAPT Jane Roe",
        "--facility-name",
        "Naval Medical Center San Diego",
        "--csr",
    ]


@pytest.mark.parametrize("kind", ["ca", "signer"])
def test_keygen_refuses_a_short_passphrase(tmp_path: Path, run_cli: CliRunner, kind: str):
    short = secret_file(tmp_path / "short.pass", b"elevenchars")
    result = run_cli(*keygen_args(kind, tmp_path), "--passphrase-file", short)
    assert result.exit_code == 3
    line = one_error_line(result)
    assert "at least 12 characters" in line and str(short) in line
    assert "elevenchars" not in result.stdout + result.stderr
    assert list(tmp_path.glob("new*")) == []


@pytest.mark.parametrize("kind", ["ca", "signer"])
def test_keygen_refuses_a_short_passphrase_from_the_environment(
    tmp_path: Path, run_cli: CliRunner, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    monkeypatch.setenv("ICTB_PASSPHRASE", "elevenchars")
    result = run_cli(*keygen_args(kind, tmp_path))
    assert result.exit_code == 3
    assert "at least 12 characters" in one_error_line(result)
    monkeypatch.setenv("ICTB_PASSPHRASE", "twelve-chars")
    assert run_cli(*keygen_args(kind, tmp_path)).exit_code == 0
    assert mode(tmp_path / "new.key.pem") == 0o600


def test_an_existing_key_with_a_short_passphrase_still_loads(
    tmp_path: Path, run_cli: CliRunner
) -> None:
    """A CA key encrypted elsewhere under a short passphrase still issues a certificate."""
    test_pki = pki.make_pki()
    ca_key = pki.write_private(
        tmp_path / "ca.key.pem",
        test_pki.ca_key.private_bytes(
            Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"short"),
        ),
    )
    assert keys.public_key_matches(keys.load_private_key(ca_key, b"short"), test_pki.ca)
    ca_cert = test_pki.trust_file(tmp_path)
    result = run_cli(
        "keygen",
        "signer",
        "--out",
        tmp_path / "nmcsd",
        "--name",
        "CAPT Jane Roe",
        "--facility-name",
        "Naval Medical Center San Diego",
        "--ca-cert",
        ca_cert,
        "--ca-key",
        ca_key,
        "--ca-passphrase-file",
        secret_file(tmp_path / "ca.pass", b"short"),
        "--passphrase-file",
        secret_file(tmp_path / "signer.pass", LONG),
    )
    assert result.exit_code == 0, result.stderr
    (cert,) = keys.load_certificates(tmp_path / "nmcsd.pem")
    cert.verify_directly_issued_by(test_pki.ca)


# ---------------------------------------------------------------- file modes


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
@pytest.mark.parametrize("shared", [0o644, 0o640, 0o604, 0o620, 0o660, 0o666])
def test_a_key_file_open_to_others_is_refused(tmp_path: Path, shared: int) -> None:
    path = pki.write_private(tmp_path / "signer.key.pem", keys.encrypted_pkcs8(_key(), LONG))
    path.chmod(shared)
    with pytest.raises(KeyMaterialError) as raised:
        keys.load_private_key(path, LONG)
    assert f"chmod 600 {path}" in str(raised.value)
    assert f"mode {shared:04o}" in str(raised.value)
    assert raised.value.exit_code == 3


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
@pytest.mark.parametrize("private", [0o600, 0o400])
def test_a_key_file_of_its_owner_only_loads(tmp_path: Path, private: int) -> None:
    key = _key()
    path = pki.write_private(tmp_path / "signer.key.pem", keys.encrypted_pkcs8(key, LONG))
    path.chmod(private)
    assert keys.public_key_matches(keys.load_private_key(path, LONG), _self_signed(key))


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_pkcs12_bundle_open_to_others_is_refused(tmp_path: Path) -> None:
    signer = pki.make_pki().signer()
    path = pki.write_private(
        tmp_path / "commander.p12",
        pkcs12.serialize_key_and_certificates(
            b"commander",
            signer.material.key,
            signer.certificate,
            None,
            serialization.BestAvailableEncryption(LONG),
        ),
    )
    assert keys.load_pkcs12(path, LONG).certificate == signer.certificate
    path.chmod(0o644)
    with pytest.raises(KeyMaterialError, match=re.escape(f"chmod 600 {path}")):
        keys.load_pkcs12(path, LONG)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_sign_refuses_a_key_file_open_to_others(tmp_path: Path, run_cli: CliRunner) -> None:
    key, cert = pki.make_pki().signer().write(tmp_path)
    key.chmod(0o644)
    passphrase = secret_file(tmp_path / "pass", pki.PASSPHRASE)
    ictb = unsigned_ictb(tmp_path)
    result = run_cli(
        "sign", ictb, "--key", key, "--cert", cert, "--passphrase-file", passphrase, "-o", "-"
    )
    assert result.exit_code == 3
    line = one_error_line(result)
    assert line.endswith(f"chmod 600 {key}")
    assert result.stdout == ""


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_path_with_spaces_is_quoted_in_the_fix(tmp_path: Path) -> None:
    folder = tmp_path / "my keys"
    folder.mkdir()
    path = pki.write_private(folder / "signer.key.pem", keys.encrypted_pkcs8(_key(), LONG))
    path.chmod(0o644)
    with pytest.raises(KeyMaterialError, match=re.escape(f"chmod 600 '{path}'")):
        keys.load_private_key(path, LONG)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_test_pki_writes_keys_owner_only(tmp_path: Path) -> None:
    key, _ = pki.make_pki().signer().write(tmp_path)
    assert mode(key) == 0o600
    assert keys.load_private_key(key, pki.PASSPHRASE)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_demo_copes_with_keys_a_fresh_checkout_leaves_readable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """git keeps no mode but the executable bit: a clone has keys/*.key.pem at 0644."""
    checkout = tmp_path / "keys"
    shutil.copytree(ROOT / "keys", checkout)
    for path in checkout.rglob("*"):
        if path.is_file():
            path.chmod(0o644)
    outcome = demo.run(SAMPLES, tmp_path / "out", as_of=DEMO_DATE, keys_dir=checkout)
    assert outcome == EXIT_OK, capsys.readouterr().out
    assert "UNEXPECTED" not in capsys.readouterr().out
    for name in demo.DEMO_PRIVATE_KEYS:
        assert mode(checkout / name) == 0o600
    assert mode(checkout / "demo-ca.pem") == 0o644  # certificates are public


# ---------------------------------------------------------------- PKCS#12 without encryption


def test_a_pkcs12_bundle_without_encryption_is_refused(tmp_path: Path) -> None:
    signer = pki.make_pki().signer()
    path = pki.write_private(
        tmp_path / "open.p12",
        pkcs12.serialize_key_and_certificates(
            b"commander", signer.material.key, signer.certificate, None, _no_encryption()
        ),
    )
    for passphrase in (LONG, None):
        with pytest.raises(KeyMaterialError, match="not encrypted") as raised:
            keys.load_pkcs12(path, passphrase)
        assert raised.value.path == str(path)


def openssl_p12(tmp_path: Path, name: str, *options: str) -> Path:
    """A bundle made by ``openssl pkcs12 -export`` from a test signer, with ``options``."""
    signer = pki.make_pki().signer()
    key, cert = tmp_path / "plain.key.pem", tmp_path / "cert.pem"
    key.write_bytes(
        signer.material.key.private_bytes(
            Encoding.PEM, serialization.PrivateFormat.PKCS8, _no_encryption()
        )
    )
    cert.write_bytes(keys.pem(signer.certificate))
    out = tmp_path / name
    subprocess.run(
        [
            *("openssl", "pkcs12", "-export", "-inkey", str(key), "-in", str(cert)),
            *("-out", str(out), *options),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    out.chmod(0o600)
    return out


@pytest.mark.parametrize(
    "options",
    [
        ("-keypbe", "NONE", "-certpbe", "NONE", "-passout", f"pass:{LONG.decode()}"),
        ("-keypbe", "NONE", "-certpbe", "AES-256-CBC", "-passout", f"pass:{LONG.decode()}"),
        ("-keypbe", "NONE", "-certpbe", "NONE", "-nomac", "-passout", "pass:"),
        ("-passout", "pass:"),  # encrypted under the empty password: opens without one
    ],
    ids=["no-key-encryption-with-mac", "only-certificates-encrypted", "nothing", "empty-password"],
)
def test_an_openssl_bundle_with_an_unprotected_key_is_refused(
    tmp_path: Path, options: tuple[str, ...]
) -> None:
    path = openssl_p12(tmp_path, "open.p12", *options)
    with pytest.raises(KeyMaterialError, match="not encrypted"):
        keys.load_pkcs12(path, LONG)


def test_an_openssl_bundle_with_an_encrypted_key_loads(tmp_path: Path) -> None:
    path = openssl_p12(tmp_path, "closed.p12", "-passout", f"pass:{LONG.decode()}")
    material = keys.load_pkcs12(path, LONG)
    assert keys.common_name(material.certificate) == "RDML Test Signer"
    assert keys.public_key_matches(material.key, material.certificate)


def test_sign_refuses_an_unencrypted_pkcs12_bundle(tmp_path: Path, run_cli: CliRunner) -> None:
    signer = pki.make_pki().signer()
    bundle = pki.write_private(
        tmp_path / "open.p12",
        pkcs12.serialize_key_and_certificates(
            b"commander", signer.material.key, signer.certificate, None, _no_encryption()
        ),
    )
    ictb = unsigned_ictb(tmp_path)
    passphrase = secret_file(tmp_path / "pass", LONG)
    out = tmp_path / "out.xml"
    result = run_cli("sign", ictb, "--pkcs12", bundle, "--passphrase-file", passphrase, "-o", out)
    assert result.exit_code == 3
    line = one_error_line(result)
    assert str(bundle) in line and "not encrypted" in line
    assert not out.exists()


# ---------------------------------------------------------------- unusable certificate keys


def off_curve(cert: x509.Certificate) -> x509.Certificate:
    """``cert`` with its EC public point moved off the curve (its signature is then stale)."""
    der = cert.public_bytes(Encoding.DER)
    point = cert.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    assert der.count(point) == 1
    bad = point[:-1] + bytes([point[-1] ^ 0x01])  # y + 1 or y - 1: not on P-256
    broken = x509.load_der_x509_certificate(der.replace(point, bad))
    with pytest.raises(ValueError):
        broken.public_key()
    return broken


def test_public_key_matches_refuses_an_unusable_certificate_key() -> None:
    signer = pki.make_pki().signer()
    with pytest.raises(KeyMaterialError, match="invalid or unsupported public key"):
        keys.public_key_matches(signer.material.key, off_curve(signer.certificate))


def test_signing_material_with_an_unusable_certificate_names_the_file(tmp_path: Path) -> None:
    signer = pki.make_pki().signer()
    key, cert = signer.write(tmp_path)
    cert.write_bytes(keys.pem(off_curve(signer.certificate)))
    with pytest.raises(KeyMaterialError) as raised:
        keys.load_signing_material(key, cert, None, pki.PASSPHRASE)
    assert raised.value.path == str(cert)
    assert "invalid or unsupported public key" in raised.value.message


def test_sign_refuses_a_certificate_with_an_unusable_key(
    tmp_path: Path, run_cli: CliRunner
) -> None:
    signer = pki.make_pki().signer()
    key, cert = signer.write(tmp_path)
    cert.write_bytes(keys.pem(off_curve(signer.certificate)))
    passphrase = secret_file(tmp_path / "pass", pki.PASSPHRASE)
    out = tmp_path / "out.xml"
    result = run_cli(
        "sign",
        unsigned_ictb(tmp_path),
        "--key",
        key,
        "--cert",
        cert,
        "--passphrase-file",
        passphrase,
        "-o",
        out,
    )
    assert result.exit_code == 3
    line = one_error_line(result)
    assert line.startswith(f"ictb: error: {cert}: ")
    assert "invalid or unsupported public key" in line
    assert not out.exists()


def signed_with_a_broken_certificate() -> tuple[bytes, pki.Pki]:
    """A genuine signed ICTB whose KeyInfo certificate then has its key moved off the curve."""
    test_pki = pki.make_pki()
    signer = test_pki.signer()
    brief = factories.build_brief(factories.complete_record())
    result = signing.sign(
        brief, "x", signer.material, signed_at=pki.SIGNED_AT, policy=policy.default()
    )
    assert result.xml is not None, result.report
    good = base64.b64encode(signer.certificate.public_bytes(Encoding.DER))
    bad = base64.b64encode(off_curve(signer.certificate).public_bytes(Encoding.DER))
    assert result.xml.count(good) == 1
    return result.xml.replace(good, bad), test_pki


def test_xmldsig_reports_an_unusable_signer_key() -> None:
    data, _ = signed_with_a_broken_certificate()
    root = ictb_xml.parse(data, "x")
    with pytest.raises(xmldsig.SignatureProblem) as raised:
        xmldsig.verify(root, root.find(ictb_xml.q("brief")))  # type: ignore[arg-type]
    assert raised.value.kind == "algorithm"
    assert "invalid or unsupported public key" in str(raised.value)


def test_verify_reports_an_unusable_signer_key_as_ictb_043() -> None:
    data, test_pki = signed_with_a_broken_certificate()
    options = verify.VerifyOptions(test_pki.trust(), factories.AS_OF, policy.default(), None)
    report = verify.verify(data, "broken.ictb.xml", options).report
    assert [f.code for f in report.errors] == ["ICTB-043"]
    assert "invalid or unsupported public key" in report.errors[0].message


def test_verify_cli_reports_an_unusable_signer_key(tmp_path: Path, run_cli: CliRunner) -> None:
    data, test_pki = signed_with_a_broken_certificate()
    path = tmp_path / "broken.signed.ictb.xml"
    path.write_bytes(data)
    trust = test_pki.trust_file(tmp_path)
    result = run_cli("verify", path, "--trust", trust, *AS_OF, "--format", "json")
    assert result.exit_code == 1, result.stdout + result.stderr
    assert result.stderr == ""
    (document,) = result.json()["documents"]
    assert document["verdict"] == "invalid"
    codes = {f["code"] for f in document["findings"]}
    assert codes == {"ICTB-043"}
    text = run_cli("verify", path, "--trust", trust, *AS_OF)
    assert text.exit_code == 1
    assert "ICTB-043" in text.stdout and "invalid or unsupported public key" in text.stdout
    assert "Traceback" not in text.stdout + text.stderr


# ---------------------------------------------------------------- helpers


def _key() -> keys.PrivateKey:
    return keys.generate_key()


def _no_encryption() -> serialization.KeySerializationEncryption:
    return serialization.NoEncryption()


def _self_signed(key: keys.PrivateKey) -> x509.Certificate:
    return keys.make_ca(key, "Self", not_before=pki.START, days=1)


def unsigned_ictb(folder: Path) -> Path:
    path = folder / "castellano.ictb.xml"
    path.write_bytes(ictb_xml.to_bytes(factories.build_brief(factories.complete_record())))
    return path
