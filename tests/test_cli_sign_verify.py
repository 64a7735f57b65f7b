"""``ictb keygen``, ``ictb sign`` and ``ictb verify`` from the command line.

Everything runs in ``tmp_path`` through the real entry point.  The clock the CLI signs
with is pinned at 2026-11-22T14:30Z (``tests.conftest.PINNED_CLOCK``), the day the factories are
valid on, so the outcome does not depend on the day the tests run.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import io
import os
import re
import shutil
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from ictb import ictb_xml, keys, records
from ictb.cli import main
from ictb.clock import FixedClock
from tests import factories
from tests.conftest import PINNED_CLOCK, ROOT, CliResult, CliRunner

NOW = dt.datetime(2026, 11, 22, 14, 30, tzinfo=dt.UTC)
CA_SECRET = "Sierra-Delta-ca-7741"
SIGNER_SECRET = "Kilo-Whiskey-signer-2093"
WRONG_SECRET = "Zulu-Quebec-wrong-5518"
SIGNER_NAME = "CAPT Jane Roe, MC, USN"
FACILITY = ("--facility-name", "Naval Medical Center San Diego", "--facility-id", "N00259")
ASSIGN = (
    "--gaining-facility",
    "N00183",
    "--gaining-name",
    "Naval Hospital Camp Pendleton",
    "--purpose",
    "Cover a deployed emergency physician",
    "--period",
    "2026-12-01..2027-01-31",
    "--issued-on",
    "2026-11-22",
)
AS_OF = ("--as-of", "2026-11-22")

Run = CliRunner


@pytest.fixture(autouse=True)
def quiet_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No passphrase leaks in from the developer's shell; no terminal."""
    for name in ("ICTB_PASSPHRASE", "ICTB_CA_PASSPHRASE", "MY_SIGNING_PASS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))


@dataclasses.dataclass(frozen=True)
class Pki:
    ca_cert: Path
    ca_key: Path
    signer_cert: Path
    signer_key: Path
    passphrase_file: Path  # the signer key's


def secret_file(folder: Path, name: str, secret: str) -> Path:
    path = folder / name
    path.write_text(secret + "\n", "utf-8")
    return path


def no_secrets(*results: CliResult) -> None:
    for result in results:
        for secret in (CA_SECRET, SIGNER_SECRET, WRONG_SECRET):
            assert secret not in result.stdout
            assert secret not in result.stderr


def no_traceback(result: CliResult) -> None:
    assert "Traceback" not in result.stdout + result.stderr


def one_error_line(result: CliResult) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("ictb: error: ")
    no_traceback(result)
    return lines[0]


def make_ca(run_cli: Run, folder: Path, name: str = "Test Facility CA") -> tuple[Path, Path]:
    secrets = secret_file(folder, f"{name.replace(' ', '_')}.pass", CA_SECRET)
    prefix = folder / name.replace(" ", "-").lower()
    result = run_cli("keygen", "ca", "--out", prefix, "--name", name, "--passphrase-file", secrets)
    assert result.exit_code == 0, result.stderr
    return Path(f"{prefix}.pem"), Path(f"{prefix}.key.pem")


def make_pki(run_cli: Run, folder: Path) -> Pki:
    folder.mkdir(parents=True, exist_ok=True)
    ca_cert, ca_key = make_ca(run_cli, folder)
    ca_pass = secret_file(folder, "ca.pass", CA_SECRET)
    signer_pass = secret_file(folder, "signer.pass", SIGNER_SECRET)
    result = run_cli(
        "keygen",
        "signer",
        "--out",
        folder / "nmcsd",
        "--name",
        SIGNER_NAME,
        *FACILITY,
        "--ca-cert",
        ca_cert,
        "--ca-key",
        ca_key,
        "--ca-passphrase-file",
        ca_pass,
        "--passphrase-file",
        signer_pass,
    )
    assert result.exit_code == 0, result.stderr
    return Pki(ca_cert, ca_key, folder / "nmcsd.pem", folder / "nmcsd.key.pem", signer_pass)


def run_quietly(*args: str | Path) -> CliResult:
    """``ictb ARGS`` on the pinned clock, outside any one test's captured output."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main([str(a) for a in args], clock=PINNED_CLOCK)
        except SystemExit as exited:
            code = exited.code
    return CliResult(code if isinstance(code, int) else 0, out.getvalue(), err.getvalue())


@pytest.fixture(scope="module")
def pki_made_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A CA and an NMCSD signer made by ``ictb keygen`` once per module (a key's
    derivation takes a tenth of a second); each test gets its own copy."""
    folder = tmp_path_factory.mktemp("pki") / "pki"
    make_pki(run_quietly, folder)  # type: ignore[arg-type]
    return folder


@pytest.fixture
def test_pki(tmp_path: Path, pki_made_once: Path) -> Pki:
    folder = tmp_path / "pki"
    shutil.copytree(pki_made_once, folder)
    return Pki(
        folder / "test-facility-ca.pem",
        folder / "test-facility-ca.key.pem",
        folder / "nmcsd.pem",
        folder / "nmcsd.key.pem",
        folder / "signer.pass",
    )


def build_ictb(run_cli: Run, folder: Path, record: object = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "castellano.json"
    path.write_text(records.to_json_text(record or factories.complete_record()), "utf-8")
    result = run_cli("build", path, *ASSIGN, "--out-dir", folder)
    assert result.exit_code == 0, result.stdout + result.stderr
    built = folder / "castellano--N00183.ictb.xml"
    assert built.exists()
    return built


def sign_args(test_pki: Pki) -> tuple[str | Path, ...]:
    return (
        "--key",
        test_pki.signer_key,
        "--cert",
        test_pki.signer_cert,
        "--passphrase-file",
        test_pki.passphrase_file,
    )


@pytest.fixture
def ictb_file(tmp_path: Path, run_cli: Run) -> Path:
    return build_ictb(run_cli, tmp_path / "briefs")


@pytest.fixture
def signed_file(tmp_path: Path, run_cli: Run, test_pki: Pki, ictb_file: Path) -> Path:
    out = tmp_path / "signed"
    result = run_cli("sign", ictb_file, *sign_args(test_pki), "--out-dir", out)
    assert result.exit_code == 0, result.stdout + result.stderr
    return out / "castellano--N00183.signed.ictb.xml"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def name_attr(name: x509.Name, oid: x509.ObjectIdentifier) -> list[str]:
    return [str(a.value) for a in name.get_attributes_for_oid(oid)]


# ---------------------------------------------------------------- keygen


def test_keygen_ca_writes_an_encrypted_key_and_a_certificate(tmp_path: Path, run_cli: Run):
    secrets = secret_file(tmp_path, "ca.pass", CA_SECRET)
    result = run_cli(
        "keygen", "ca", "--out", tmp_path / "ca", "--name", "Test CA", "--passphrase-file", secrets
    )
    assert result.exit_code == 0, result.stderr
    key_path, cert_path = tmp_path / "ca.key.pem", tmp_path / "ca.pem"
    assert mode(key_path) == 0o600
    assert b"ENCRYPTED PRIVATE KEY" in key_path.read_bytes()
    key = keys.load_private_key(key_path, CA_SECRET.encode())
    (cert,) = keys.load_certificates(cert_path)
    assert keys.public_key_matches(key, cert)
    assert keys.common_name(cert) == "Test CA"
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert keys.fingerprint(cert) in result.stdout
    assert "mode 0600" in result.stdout
    no_secrets(result)


def test_keygen_ca_rsa(tmp_path: Path, run_cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ICTB_PASSPHRASE", CA_SECRET)
    result = run_cli("keygen", "ca", "--out", tmp_path / "ca", "--name", "RSA CA", "--rsa")
    assert result.exit_code == 0, result.stderr
    key = keys.load_private_key(tmp_path / "ca.key.pem", CA_SECRET.encode())
    assert getattr(key, "key_size", None) == 3072


@pytest.mark.parametrize("source", ["file", "env", "named-env"])
def test_keygen_signer_with_the_demo_ca(
    tmp_path: Path, run_cli: Run, monkeypatch: pytest.MonkeyPatch, source: str
) -> None:
    ca_cert, ca_key = make_ca(run_cli, tmp_path)
    if source == "file":
        passes: tuple[str | Path, ...] = (
            "--ca-passphrase-file",
            secret_file(tmp_path, "ca.pass", CA_SECRET),
            "--passphrase-file",
            secret_file(tmp_path, "s.pass", SIGNER_SECRET),
        )
    elif source == "env":
        monkeypatch.setenv("ICTB_CA_PASSPHRASE", CA_SECRET)
        monkeypatch.setenv("ICTB_PASSPHRASE", SIGNER_SECRET)
        passes = ()
    else:
        monkeypatch.setenv("ICTB_CA_PASSPHRASE", CA_SECRET)
        monkeypatch.setenv("MY_SIGNING_PASS", SIGNER_SECRET)
        passes = ("--passphrase-env", "MY_SIGNING_PASS")
    result = run_cli(
        "keygen",
        "signer",
        "--out",
        tmp_path / "nmcsd",
        "--name",
        SIGNER_NAME,
        "--role",
        "Acting MTF Commander",
        *FACILITY,
        "--ca-cert",
        ca_cert,
        "--ca-key",
        ca_key,
        *passes,
    )
    assert result.exit_code == 0, result.stderr
    no_secrets(result)
    key_path, cert_path = tmp_path / "nmcsd.key.pem", tmp_path / "nmcsd.pem"
    assert mode(key_path) == 0o600
    assert not (tmp_path / "nmcsd.csr.pem").exists()
    key = keys.load_private_key(key_path, SIGNER_SECRET.encode())
    (cert,) = keys.load_certificates(cert_path)
    assert keys.public_key_matches(key, cert)
    assert name_attr(cert.subject, NameOID.COMMON_NAME) == [SIGNER_NAME]
    assert name_attr(cert.subject, NameOID.ORGANIZATION_NAME) == ["Naval Medical Center San Diego"]
    assert name_attr(cert.subject, NameOID.ORGANIZATIONAL_UNIT_NAME) == ["N00259"]
    assert name_attr(cert.subject, NameOID.TITLE) == ["Acting MTF Commander"]
    assert keys.has_digital_signature(cert)
    trust = keys.TrustStore.load(ca_cert)
    assert keys.chain_problem(cert, [], trust, NOW) is None


def test_keygen_signer_csr(tmp_path: Path, run_cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ICTB_PASSPHRASE", SIGNER_SECRET)
    result = run_cli(
        "keygen", "signer", "--out", tmp_path / "nmcsd", "--name", SIGNER_NAME, *FACILITY, "--csr"
    )
    assert result.exit_code == 0, result.stderr
    no_secrets(result)
    key_path, csr_path = tmp_path / "nmcsd.key.pem", tmp_path / "nmcsd.csr.pem"
    assert mode(key_path) == 0o600
    assert not (tmp_path / "nmcsd.pem").exists()
    key = keys.load_private_key(key_path, SIGNER_SECRET.encode())
    request = x509.load_pem_x509_csr(csr_path.read_bytes())
    assert request.is_signature_valid
    spki = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    assert request.public_key().public_bytes(*spki) == key.public_key().public_bytes(*spki)
    assert name_attr(request.subject, NameOID.COMMON_NAME) == [SIGNER_NAME]
    assert name_attr(request.subject, NameOID.ORGANIZATION_NAME) == [
        "Naval Medical Center San Diego"
    ]
    assert name_attr(request.subject, NameOID.ORGANIZATIONAL_UNIT_NAME) == ["N00259"]
    assert name_attr(request.subject, NameOID.TITLE) == ["MTF Commander"]


def test_keygen_signer_needs_csr_or_ca(tmp_path: Path, run_cli: Run) -> None:
    result = run_cli("keygen", "signer", "--out", tmp_path / "s", "--name", "X", *FACILITY)
    assert result.exit_code == 2
    assert result.stderr.startswith("ictb: error:")
    assert list(tmp_path.iterdir()) == []


def test_keygen_does_not_replace_files_without_force(tmp_path: Path, run_cli: Run) -> None:
    secrets = secret_file(tmp_path, "ca.pass", CA_SECRET)
    args = ("keygen", "ca", "--out", tmp_path / "ca", "--name", "CA", "--passphrase-file", secrets)
    assert run_cli(*args).exit_code == 0
    key_before = (tmp_path / "ca.key.pem").read_bytes()
    cert_before = (tmp_path / "ca.pem").read_bytes()
    again = run_cli(*args)
    assert again.exit_code == 3
    assert "already exists" in one_error_line(again)
    assert (tmp_path / "ca.key.pem").read_bytes() == key_before
    assert (tmp_path / "ca.pem").read_bytes() == cert_before
    forced = run_cli(*args, "--force")
    assert forced.exit_code == 0
    assert (tmp_path / "ca.key.pem").read_bytes() != key_before
    assert (tmp_path / "ca.pem").read_bytes() != cert_before
    assert mode(tmp_path / "ca.key.pem") == 0o600


def test_keygen_writes_nothing_when_one_output_exists(tmp_path: Path, run_cli: Run) -> None:
    secrets = secret_file(tmp_path, "ca.pass", CA_SECRET)
    (tmp_path / "ca.pem").write_text("an older certificate", "utf-8")
    result = run_cli(
        "keygen", "ca", "--out", tmp_path / "ca", "--name", "CA", "--passphrase-file", secrets
    )
    assert result.exit_code == 3
    assert not (tmp_path / "ca.key.pem").exists()


@pytest.mark.parametrize(
    "args",
    [
        ("keygen", "ca", "--name", "CA"),
        ("keygen", "signer", "--name", "X", *FACILITY, "--csr"),
    ],
    ids=["ca", "signer"],
)
def test_keygen_without_a_passphrase_cannot_proceed(
    tmp_path: Path, run_cli: Run, args: tuple[str, ...]
) -> None:
    result = run_cli(*args, "--out", tmp_path / "k")
    assert result.exit_code == 3
    line = one_error_line(result)
    assert "no passphrase" in line and "ICTB_PASSPHRASE" in line
    assert list(tmp_path.iterdir()) == []


def test_keygen_signer_without_the_ca_passphrase(tmp_path: Path, run_cli: Run) -> None:
    ca_cert, ca_key = make_ca(run_cli, tmp_path)
    before = set(tmp_path.iterdir())
    result = run_cli(
        "keygen",
        "signer",
        "--out",
        tmp_path / "s",
        "--name",
        "X",
        *FACILITY,
        "--ca-cert",
        ca_cert,
        "--ca-key",
        ca_key,
        "--passphrase-file",
        secret_file(tmp_path, "s.pass", SIGNER_SECRET),
    )
    assert result.exit_code == 3
    assert "ICTB_CA_PASSPHRASE" in one_error_line(result)
    assert set(tmp_path.iterdir()) == before | {tmp_path / "s.pass"}


def test_missing_ca_passphrase_names_the_right_option(tmp_path: Path, run_cli: Run) -> None:
    ca_cert, ca_key = make_ca(run_cli, tmp_path)
    result = run_cli(
        "keygen",
        "signer",
        "--out",
        tmp_path / "s",
        "--name",
        "X",
        *FACILITY,
        "--ca-cert",
        ca_cert,
        "--ca-key",
        ca_key,
        "--passphrase-file",
        secret_file(tmp_path, "s.pass", SIGNER_SECRET),
    )
    assert "--ca-passphrase-file" in one_error_line(result)


def test_keygen_signer_with_a_wrong_ca_passphrase(tmp_path: Path, run_cli: Run) -> None:
    ca_cert, ca_key = make_ca(run_cli, tmp_path)
    result = run_cli(
        "keygen",
        "signer",
        "--out",
        tmp_path / "s",
        "--name",
        "X",
        *FACILITY,
        "--ca-cert",
        ca_cert,
        "--ca-key",
        ca_key,
        "--ca-passphrase-file",
        secret_file(tmp_path, "wrong.pass", WRONG_SECRET),
        "--passphrase-file",
        secret_file(tmp_path, "s.pass", SIGNER_SECRET),
    )
    assert result.exit_code == 3
    assert "wrong passphrase" in one_error_line(result)
    no_secrets(result)
    assert not (tmp_path / "s.key.pem").exists() and not (tmp_path / "s.pem").exists()


def test_empty_passphrase_file(tmp_path: Path, run_cli: Run) -> None:
    empty = tmp_path / "empty.pass"
    empty.write_text("\n", "utf-8")
    result = run_cli(
        "keygen", "ca", "--out", tmp_path / "ca", "--name", "CA", "--passphrase-file", empty
    )
    assert result.exit_code == 3
    assert "empty" in one_error_line(result)
    assert not (tmp_path / "ca.key.pem").exists()


@pytest.mark.parametrize(
    "args",
    [
        ("keygen", "ca", "--out", "ca", "--name", "CA"),
        ("keygen", "signer", "--out", "s", "--name", "X", "--csr", *FACILITY),
        ("sign", "x.ictb.xml", "--key", "k.pem", "--cert", "c.pem"),
    ],
    ids=["keygen-ca", "keygen-signer", "sign"],
)
@pytest.mark.parametrize("form", ["separate", "joined"])
def test_no_passphrase_option_on_the_command_line(
    tmp_path: Path, run_cli: Run, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], form: str
) -> None:
    monkeypatch.chdir(tmp_path)
    given = (
        ("--passphrase", SIGNER_SECRET)
        if form == "separate"
        else (f"--passphrase={SIGNER_SECRET}",)
    )
    result = run_cli(*args, *given)
    assert result.exit_code == 2
    assert result.stderr.startswith("ictb: error:")
    assert "--passphrase" in result.stderr
    no_secrets(result)
    no_traceback(result)
    assert list(tmp_path.iterdir()) == []


def test_usage_hint_names_the_full_command(tmp_path: Path, run_cli: Run) -> None:
    result = run_cli("keygen", "ca", "--out", tmp_path / "ca", "--passphrase", "x")
    assert result.exit_code == 2
    assert "Try 'ictb keygen ca --help'" in result.stderr


# ---------------------------------------------------------------- build, sign, verify


def test_build_sign_verify(tmp_path: Path, run_cli: Run, test_pki: Pki, ictb_file: Path) -> None:
    unsigned = ictb_file.read_bytes()
    out = tmp_path / "signed"
    signed = run_cli("sign", ictb_file, *sign_args(test_pki), "--out-dir", out)
    assert signed.exit_code == 0, signed.stdout + signed.stderr
    target = out / "castellano--N00183.signed.ictb.xml"
    assert f"signed: wrote {target}" in signed.stdout
    assert "1 signed, 0 refused (of 1)" in signed.stdout
    assert ictb_file.read_bytes() == unsigned
    brief = ictb_xml.load(target)
    assert brief.signed
    assert brief.certification is not None and brief.certification.signed_at == NOW

    checked = run_cli("verify", target, "--trust", test_pki.ca_cert, *AS_OF)
    assert checked.exit_code == 0, checked.stdout + checked.stderr
    first = checked.stdout.splitlines()[0]
    assert first.startswith(f"{target}: VALID")
    assert f"signed by {SIGNER_NAME} (Naval Medical Center San Diego)" in first
    assert "at 2026-11-22T14:30:00Z" in first
    assert "1 accepted, 0 rejected (of 1)" in checked.stdout
    no_secrets(signed, checked)


def test_verify_json(run_cli: Run, test_pki: Pki, signed_file: Path) -> None:
    result = run_cli("verify", signed_file, "--trust", test_pki.ca_cert, *AS_OF, "--format", "json")
    assert result.exit_code == 0, result.stderr
    payload = result.json()
    assert payload["command"] == "verify"
    document = payload["documents"][0]
    assert document["document"] == str(signed_file)
    (cert,) = keys.load_certificates(test_pki.signer_cert)
    signer = document["signer"]
    assert signer["name"] == SIGNER_NAME
    assert signer["organization"] == "Naval Medical Center San Diego"
    assert signer["fingerprint_sha256"] == keys.fingerprint(cert)
    assert document["signed_at"] == "2026-11-22T14:30:00Z"
    assert document["withheld"] == []
    assert document["verdict"] == "valid"
    assert document["findings"] == []
    assert payload["summary"] == {"accepted": 1, "rejected": 0, "not_evaluated": 0, "total": 1}


def test_verify_with_a_trust_directory(
    tmp_path: Path, run_cli: Run, test_pki: Pki, signed_file: Path
) -> None:
    trust = tmp_path / "trust"
    trust.mkdir()
    (trust / "nmcsd-ca.pem").write_bytes(test_pki.ca_cert.read_bytes())
    result = run_cli("verify", signed_file, "--trust", trust, *AS_OF)
    assert result.exit_code == 0, result.stdout + result.stderr


def test_sign_with_passphrase_from_the_environment(
    tmp_path: Path, run_cli: Run, monkeypatch: pytest.MonkeyPatch, test_pki: Pki, ictb_file: Path
) -> None:
    monkeypatch.setenv("MY_SIGNING_PASS", SIGNER_SECRET)
    result = run_cli(
        "sign",
        ictb_file,
        "--key",
        test_pki.signer_key,
        "--cert",
        test_pki.signer_cert,
        "--passphrase-env",
        "MY_SIGNING_PASS",
        "-o",
        tmp_path / "out.xml",
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    assert ictb_xml.load(tmp_path / "out.xml").signed
    no_secrets(result)


def test_sign_names_the_official(tmp_path: Path, run_cli: Run, test_pki: Pki, ictb_file: Path):
    result = run_cli(
        "sign",
        ictb_file,
        *sign_args(test_pki),
        "-o",
        tmp_path / "out.xml",
        "--signer-name",
        SIGNER_NAME,
        "--signer-role",
        "Acting MTF Commander",
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    certification = ictb_xml.load(tmp_path / "out.xml").certification
    assert certification is not None
    assert (certification.name, certification.role) == (SIGNER_NAME, "Acting MTF Commander")
    assert certification.signed_on == dt.date(2026, 11, 22)


def test_sign_to_standard_output(run_cli: Run, test_pki: Pki, ictb_file: Path) -> None:
    result = run_cli("sign", ictb_file, *sign_args(test_pki), "-o", "-")
    assert result.exit_code == 0, result.stderr
    assert ictb_xml.load("stdout.xml", result.stdout.encode("utf-8")).signed


def test_sign_with_a_wrong_passphrase(
    tmp_path: Path, run_cli: Run, test_pki: Pki, ictb_file: Path
) -> None:
    wrong = secret_file(tmp_path, "wrong.pass", WRONG_SECRET)
    out = tmp_path / "signed"
    result = run_cli(
        "sign",
        ictb_file,
        "--key",
        test_pki.signer_key,
        "--cert",
        test_pki.signer_cert,
        "--passphrase-file",
        wrong,
        "--out-dir",
        out,
    )
    assert result.exit_code == 3
    line = one_error_line(result)
    assert str(test_pki.signer_key) in line and "wrong passphrase" in line
    assert result.stdout == ""
    no_secrets(result)
    assert not out.exists() or list(out.iterdir()) == []


def test_sign_without_a_passphrase(tmp_path: Path, run_cli: Run, test_pki: Pki, ictb_file: Path):
    out = tmp_path / "signed"
    result = run_cli(
        "sign",
        ictb_file,
        "--key",
        test_pki.signer_key,
        "--cert",
        test_pki.signer_cert,
        "--out-dir",
        out,
    )
    assert result.exit_code == 3
    assert "ICTB_PASSPHRASE" in one_error_line(result)
    assert not out.exists()


def test_sign_with_a_missing_key(tmp_path: Path, run_cli: Run, test_pki: Pki, ictb_file: Path):
    result = run_cli(
        "sign",
        ictb_file,
        "--key",
        tmp_path / "nope.key.pem",
        "--cert",
        test_pki.signer_cert,
        "--passphrase-file",
        test_pki.passphrase_file,
        "--out-dir",
        tmp_path / "signed",
    )
    assert result.exit_code == 3
    assert "no such key file" in one_error_line(result)


def test_sign_with_a_pkcs12_bundle(
    tmp_path: Path, run_cli: Run, test_pki: Pki, ictb_file: Path
) -> None:
    key = keys.load_private_key(test_pki.signer_key, SIGNER_SECRET.encode())
    (cert,) = keys.load_certificates(test_pki.signer_cert)
    bundle = tmp_path / "commander.p12"
    bundle.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"commander",
            key,
            cert,
            None,
            serialization.BestAvailableEncryption(SIGNER_SECRET.encode()),
        )
    )
    bundle.chmod(0o600)
    out = tmp_path / "out.signed.ictb.xml"
    result = run_cli(
        "sign",
        ictb_file,
        "--pkcs12",
        bundle,
        "--passphrase-file",
        test_pki.passphrase_file,
        "-o",
        out,
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    checked = run_cli("verify", out, "--trust", test_pki.ca_cert, *AS_OF, "--format", "json")
    assert checked.exit_code == 0, checked.stdout
    assert checked.json()["documents"][0]["signer"]["fingerprint_sha256"] == keys.fingerprint(cert)

    wrong = run_cli(
        "sign",
        ictb_file,
        "--pkcs12",
        bundle,
        "--passphrase-file",
        secret_file(tmp_path, "w.pass", WRONG_SECRET),
        "-o",
        tmp_path / "other.xml",
    )
    assert wrong.exit_code == 3
    assert "wrong passphrase" in one_error_line(wrong)
    no_secrets(result, wrong)
    assert not (tmp_path / "other.xml").exists()


def test_sign_pkcs12_and_key_together_is_a_usage_error(
    tmp_path: Path, run_cli: Run, test_pki: Pki, ictb_file: Path
):
    result = run_cli("sign", ictb_file, *sign_args(test_pki), "--pkcs12", tmp_path / "x.p12")
    assert result.exit_code == 2


def test_sign_refuses_an_incomplete_ictb(tmp_path: Path, run_cli: Run, test_pki: Pki) -> None:
    brief = factories.build_brief(factories.complete_record(), observer=None)
    path = tmp_path / "no-observer.ictb.xml"
    path.write_bytes(ictb_xml.to_bytes(brief))
    out = tmp_path / "signed"
    result = run_cli("sign", path, *sign_args(test_pki), "--out-dir", out)
    assert result.exit_code == 1
    assert "ICTB-009" in result.stdout
    assert "refused: nothing written" in result.stdout
    assert "0 signed, 1 refused (of 1)" in result.stdout
    assert not out.exists() or list(out.iterdir()) == []
    as_json = run_cli("sign", path, *sign_args(test_pki), "--out-dir", out, "--format", "json")
    (document,) = as_json.json()["documents"]
    assert document["signed"] is False and document["output"] is None
    assert "ICTB-009" in {f["code"] for f in document["findings"]}


def test_sign_refuses_an_identifier_in_free_text(tmp_path: Path, run_cli: Run, test_pki: Pki):
    brief = factories.build_brief(
        factories.complete_record(), remarks=f"SSN {factories.SSN} verified."
    )
    path = tmp_path / "leaky.ictb.xml"
    path.write_bytes(ictb_xml.to_bytes(brief))
    result = run_cli("sign", path, *sign_args(test_pki), "-o", tmp_path / "out.xml")
    assert result.exit_code == 1
    assert "RED-020" in result.stdout
    assert factories.SSN not in result.stdout + result.stderr
    assert not (tmp_path / "out.xml").exists()


def test_sign_refuses_a_schema_invalid_file(
    tmp_path: Path, run_cli: Run, test_pki: Pki, ictb_file: Path
) -> None:
    bad = tmp_path / "bad.ictb.xml"
    bad.write_bytes(ictb_file.read_bytes().replace(b"<rank>LCDR</rank>", b"<shoe>9</shoe>"))
    assert bad.read_bytes() != ictb_file.read_bytes()
    result = run_cli("sign", bad, *sign_args(test_pki), "-o", tmp_path / "out.xml")
    assert result.exit_code == 1
    line = one_error_line(result)
    assert str(bad) in line
    assert not (tmp_path / "out.xml").exists()


def test_sign_refuses_an_already_signed_ictb(
    tmp_path: Path, run_cli: Run, test_pki: Pki, signed_file: Path
) -> None:
    result = run_cli("sign", signed_file, *sign_args(test_pki), "-o", tmp_path / "again.xml")
    assert result.exit_code == 3
    assert "already signed" in one_error_line(result)
    assert not (tmp_path / "again.xml").exists()


@pytest.mark.parametrize("force", [False, True])
def test_sign_never_overwrites_its_input(
    run_cli: Run, test_pki: Pki, ictb_file: Path, force: bool
) -> None:
    before = ictb_file.read_bytes()
    extra = ("--force",) if force else ()
    result = run_cli("sign", ictb_file, *sign_args(test_pki), "-o", ictb_file, *extra)
    assert result.exit_code == 3
    assert "input" in one_error_line(result)
    assert ictb_file.read_bytes() == before
    assert [p.name for p in ictb_file.parent.iterdir() if p.name.startswith(".")] == []


def test_sign_keeps_an_existing_output_without_force(
    tmp_path: Path, run_cli: Run, test_pki: Pki, ictb_file: Path
):
    target = tmp_path / "out.signed.ictb.xml"
    target.write_text("precious", "utf-8")
    result = run_cli("sign", ictb_file, *sign_args(test_pki), "-o", target)
    assert result.exit_code == 3
    assert "already exists" in one_error_line(result)
    assert target.read_text("utf-8") == "precious"
    forced = run_cli("sign", ictb_file, *sign_args(test_pki), "-o", target, "--force")
    assert forced.exit_code == 0, forced.stderr
    assert ictb_xml.load(target).signed


def test_sign_refuses_an_expired_certificate(
    tmp_path: Path, run_cli: Run, test_pki: Pki, ictb_file: Path
) -> None:
    ca_pass = secret_file(tmp_path, "ca2.pass", CA_SECRET)
    result = run_cli(
        "keygen",
        "signer",
        "--out",
        tmp_path / "short",
        "--name",
        SIGNER_NAME,
        *FACILITY,
        "--ca-cert",
        test_pki.ca_cert,
        "--ca-key",
        test_pki.ca_key,
        "--ca-passphrase-file",
        ca_pass,
        "--passphrase-file",
        test_pki.passphrase_file,
        "--days",
        "1",
    )
    assert result.exit_code == 0, result.stderr  # valid 2026-11-21T14:30 .. 2026-11-22T14:30
    run_cli.clock = FixedClock(NOW + dt.timedelta(minutes=1))
    refused = run_cli(
        "sign",
        ictb_file,
        "--key",
        tmp_path / "short.key.pem",
        "--cert",
        tmp_path / "short.pem",
        "--passphrase-file",
        test_pki.passphrase_file,
        "-o",
        tmp_path / "out.xml",
    )
    assert refused.exit_code == 3
    assert "not valid" in one_error_line(refused)
    assert not (tmp_path / "out.xml").exists()


def test_sign_with_the_demo_keys(tmp_path: Path, run_cli: Run, ictb_file: Path) -> None:
    demo = ROOT / "keys"
    out = tmp_path / "demo.signed.ictb.xml"
    result = run_cli(
        "sign",
        ictb_file,
        "--key",
        demo / "demo-signer.key.pem",
        "--cert",
        demo / "demo-signer.pem",
        "--passphrase-file",
        demo / "demo-passphrase.txt",
        "-o",
        out,
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    checked = run_cli("verify", out, "--trust", demo / "demo-trust", *AS_OF)
    assert checked.exit_code == 0, checked.stdout + checked.stderr
    assert "signed by RDML Cordelia F. Umberhaven" in checked.stdout
    secret = (demo / "demo-passphrase.txt").read_text("utf-8").strip()
    assert secret not in result.stdout + result.stderr + checked.stdout + checked.stderr


# ---------------------------------------------------------------- verify refusals


def test_verify_needs_a_trust_store(run_cli: Run, signed_file: Path) -> None:
    result = run_cli("verify", signed_file, *AS_OF)
    assert result.exit_code == 3
    line = one_error_line(result)
    assert "no trust store" in line and "no default" in line
    assert result.stdout == ""


def test_verify_with_a_missing_trust_store(tmp_path: Path, run_cli: Run, signed_file: Path):
    result = run_cli("verify", signed_file, "--trust", tmp_path / "nowhere.pem", *AS_OF)
    assert result.exit_code == 3
    assert "no such trust store" in one_error_line(result)


def test_verify_against_another_ca(tmp_path: Path, run_cli: Run, signed_file: Path) -> None:
    other_cert, _ = make_ca(run_cli, tmp_path, "Other CA")
    result = run_cli("verify", signed_file, "--trust", other_cert, *AS_OF, "--format", "json")
    assert result.exit_code == 1
    (document,) = result.json()["documents"]
    assert document["verdict"] == "invalid"
    assert "ICTB-043" in {f["code"] for f in document["findings"]}
    text = run_cli("verify", signed_file, "--trust", other_cert, *AS_OF)
    assert text.exit_code == 1 and "ICTB-043" in text.stdout and "not trusted" in text.stdout


def test_verify_a_missing_file(tmp_path: Path, run_cli: Run, test_pki: Pki) -> None:
    missing = tmp_path / "nope.signed.ictb.xml"
    result = run_cli("verify", missing, "--trust", test_pki.ca_cert, *AS_OF)
    assert result.exit_code == 3
    assert one_error_line(result) == f"ictb: error: {missing}: no such file"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b"<specialty>Emergency Medicine</specialty>", b"<specialty>Neurosurgery</specialty>"),
        (b"<expires_on>2027-06-30</expires_on>", b"<expires_on>2029-06-30</expires_on>"),
        (factories.SSN.encode(), b"912-47-3087"),
    ],
    ids=["specialty", "privilege-expiry", "ssn-value"],
)
def test_verify_a_tampered_file(
    tmp_path: Path, run_cli: Run, test_pki: Pki, signed_file: Path, old: bytes, new: bytes
) -> None:
    original = signed_file.read_bytes()
    assert old in original
    tampered = tmp_path / "tampered.signed.ictb.xml"
    tampered.write_bytes(original.replace(old, new, 1))
    result = run_cli("verify", tampered, "--trust", test_pki.ca_cert, *AS_OF, "--format", "json")
    assert result.exit_code == 1
    (document,) = result.json()["documents"]
    assert "ICTB-040" in {f["code"] for f in document["findings"]}
    assert document["verdict"] == "invalid"


def test_verify_an_unsigned_ictb(run_cli: Run, test_pki: Pki, ictb_file: Path) -> None:
    result = run_cli("verify", ictb_file, "--trust", test_pki.ca_cert, *AS_OF)
    assert result.exit_code == 1
    assert "ICTB-040" in result.stdout


def test_signature_only_skips_the_content_rules(
    run_cli: Run, test_pki: Pki, signed_file: Path
) -> None:
    late = ("--as-of", "2027-07-15")  # the privileges expired on 2027-06-30
    full = run_cli("verify", signed_file, "--trust", test_pki.ca_cert, *late, "--format", "json")
    assert full.exit_code == 1
    codes = {f["code"] for f in full.json()["documents"][0]["findings"]}
    assert "ICTB-020" in codes
    only = run_cli(
        "verify",
        signed_file,
        "--trust",
        test_pki.ca_cert,
        *late,
        "--signature-only",
        "--format",
        "json",
    )
    assert only.exit_code == 0, only.stdout
    document = only.json()["documents"][0]
    assert document["verdict"] == "valid" and document["findings"] == []
    assert document["signed_at"] == "2026-11-22T14:30:00Z"


def test_signature_only_still_checks_the_signature(
    tmp_path: Path, run_cli: Run, test_pki: Pki, signed_file: Path
) -> None:
    tampered = tmp_path / "t.xml"
    tampered.write_bytes(signed_file.read_bytes().replace(b"Castellano", b"Castellani", 1))
    result = run_cli("verify", tampered, "--trust", test_pki.ca_cert, *AS_OF, "--signature-only")
    assert result.exit_code == 1 and "ICTB-040" in result.stdout


def test_verify_batch_goes_on_past_a_missing_file(
    tmp_path: Path, run_cli: Run, test_pki: Pki, signed_file: Path
) -> None:
    missing = tmp_path / "nope.xml"
    result = run_cli("verify", missing, signed_file, "--trust", test_pki.ca_cert, *AS_OF)
    assert result.exit_code == 3
    assert one_error_line(result).startswith(f"ictb: error: {missing}")
    assert f"{signed_file}: VALID" in result.stdout
    assert "1 accepted, 0 rejected, 1 not evaluated (of 2)" in result.stdout


# ---------------------------------------------------------------- help


def help_text(run_cli: Run, *command: str) -> str:
    result = run_cli(*command, "--help")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Usage: ictb")
    return result.stdout


def test_top_level_help(run_cli: Run) -> None:
    text = help_text(run_cli)
    for command in ("build", "check", "keygen", "sign", "verify"):
        assert re.search(rf"^\s+{command}\s", text, re.MULTILINE), command
    assert "Exit codes" in text and "3 could not evaluate" in text


def test_top_level_help_shows_an_example(run_cli: Run) -> None:
    assert re.search(r"^\s+ictb \w+ ", help_text(run_cli), re.MULTILINE)


@pytest.mark.parametrize(
    ("command", "mentions"),
    [
        (("sign",), ("--passphrase-file", "--passphrase-env", "--pkcs12", "ICTB_PASSPHRASE")),
        (("verify",), ("--trust", "--signature-only", "--as-of")),
        (("keygen",), ("ca", "signer", "never from the")),
        (("keygen", "ca"), ("--passphrase-file", "--passphrase-env")),
        (("keygen", "signer"), ("--csr", "--ca-cert", "--ca-passphrase-file")),
    ],
    ids=["sign", "verify", "keygen", "keygen-ca", "keygen-signer"],
)
def test_command_help(run_cli: Run, command: tuple[str, ...], mentions: tuple[str, ...]) -> None:
    text = help_text(run_cli, *command)
    for word in mentions:
        assert word in text, word
    assert not re.search(r"--passphrase\s", text)  # no option that takes the secret itself


def examples(text: str, command: str) -> list[str]:
    """The example command lines, each on its own line under an 'Example(s):' heading."""
    lines = text.splitlines()
    headings = [i for i, line in enumerate(lines) if line.strip() in ("Example:", "Examples:")]
    assert headings, "no line that is just 'Example:' or 'Examples:'"
    body = lines[headings[0] + 1 :]
    return [line.strip() for line in body if line.strip().startswith(f"ictb {command}")]


@pytest.mark.parametrize(
    "command",
    [("build",), ("check",), ("sign",), ("verify",), ("keygen",)],
    ids=["build", "check", "sign", "verify", "keygen"],
)
def test_help_shows_examples_one_per_line(run_cli: Run, command: tuple[str, ...]) -> None:
    text = help_text(run_cli, *command)
    assert "\\b" not in text
    found = examples(text, command[0])
    assert found, "no example starting a line"
    for line in text.splitlines():
        assert not line.rstrip().endswith("\\\\"), line  # a continuation is one backslash


def test_help_mentions_examples(run_cli: Run) -> None:
    for command in (("sign",), ("verify",), ("keygen",)):
        text = help_text(run_cli, *command)
        assert "Example" in text and f"ictb {command[0]} " in text, command


def iter_help_commands() -> Iterator[tuple[str, ...]]:
    yield ()
    yield from (("sign",), ("verify",), ("keygen",), ("keygen", "ca"), ("keygen", "signer"))


def test_help_short_option(run_cli: Run) -> None:
    for command in iter_help_commands():
        result = run_cli(*command, "-h")
        assert result.exit_code == 0 and result.stdout.startswith("Usage: ictb"), command


# ---------------------------------------------------------------- odd option values


@pytest.mark.parametrize(
    "args",
    [
        ("--name", ""),
        ("--name", "x" * 65),
        ("--name", "CAPT \ud800"),
        ("--name", "CAPT\x1b[2J"),
        ("--role", ""),
        ("--facility-name", "Naval\x00Medical"),
        ("--facility-id", "\udcff"),
        ("--days", "0"),
        ("--days", "99999999"),
        ("--out", ""),
        ("--out", "/"),
    ],
    ids=str,
)
def test_keygen_refuses_what_no_certificate_or_file_can_hold(
    tmp_path: Path, run_cli: Run, monkeypatch: pytest.MonkeyPatch, args: tuple[str, str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ICTB_PASSPHRASE", SIGNER_SECRET)
    base = {
        "--out": str(tmp_path / "nmcsd"),
        "--name": SIGNER_NAME,
        **dict(zip(FACILITY[::2], FACILITY[1::2], strict=True)),
    }
    base[args[0]] = args[1]
    options = [item for pair in base.items() for item in pair]
    result = run_cli("keygen", "signer", *options, "--csr")
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith("ictb: error:")
    no_traceback(result)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["Test CA", "x" * 64])
def test_keygen_ca_days_and_name_bounds(tmp_path: Path, run_cli: Run, name: str) -> None:
    secrets = secret_file(tmp_path, "ca.pass", CA_SECRET)
    for days, code in (("36525", 0), ("36526", 2)):
        result = run_cli(
            "keygen",
            "ca",
            "--out",
            tmp_path / days,
            "--name",
            name,
            "--days",
            days,
            "--passphrase-file",
            secrets,
        )
        assert result.exit_code == code, result.stderr
        no_traceback(result)


@pytest.mark.parametrize("option", ["--signer-name", "--signer-role"])
@pytest.mark.parametrize("text", ["CAPT\x07Roe", "\ud800", "\uffff"])
def test_sign_refuses_signer_text_no_document_can_hold(
    tmp_path: Path, run_cli: Run, test_pki: Pki, ictb_file: Path, option: str, text: str
) -> None:
    out = tmp_path / "signed"
    result = run_cli("sign", ictb_file, *sign_args(test_pki), option, text, "--out-dir", out)
    assert result.exit_code == 2 and "no document can hold" in result.stderr
    no_traceback(result)
    assert not out.exists()


@pytest.mark.parametrize("name", ["", "A=B", "\ud800", "\x00"])
def test_an_unusable_passphrase_variable_name_is_a_usage_error(
    run_cli: Run, test_pki: Pki, ictb_file: Path, name: str
) -> None:
    args = ("--key", test_pki.signer_key, "--cert", test_pki.signer_cert)
    result = run_cli("sign", ictb_file, *args, "--passphrase-env", name, "-o", "-")
    assert result.exit_code == 2, result.stderr
    no_traceback(result)


def test_a_passphrase_variable_that_is_not_utf8_is_read_as_its_bytes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ictb.cli.options import read_passphrase

    monkeypatch.setitem(os.environb, b"ICTB_TEST_PASSPHRASE", b"caf\xe9-not-utf8-secret")
    read = read_passphrase(None, "ICTB_TEST_PASSPHRASE", what="the key")
    assert read == b"caf\xe9-not-utf8-secret"


def test_a_file_name_that_is_not_utf8_is_printed_not_a_crash(
    tmp_path: Path, test_pki: Pki, ictb_file: Path
) -> None:
    # As a UTF-8 terminal's strict standard output: the written file's name, whose
    # undecodable byte reaches Python as a lone surrogate, must not stop the run.
    raw = io.BytesIO()
    stdout = io.TextIOWrapper(raw, encoding="utf-8", errors="strict", write_through=True)
    out = tmp_path / os.fsdecode(b"sign\xffed")
    with contextlib.redirect_stdout(stdout), pytest.raises(SystemExit) as exited:
        main(
            ["sign", str(ictb_file), *map(str, sign_args(test_pki)), "--out-dir", str(out)],
            clock=PINNED_CLOCK,
        )
    assert exited.value.code == 0
    assert b"wrote" in raw.getvalue()


def test_keygen_into_a_name_too_long_for_the_file_system(tmp_path: Path, run_cli: Run) -> None:
    secrets = secret_file(tmp_path, "ca.pass", CA_SECRET)
    prefix = tmp_path / ("n" * 300)
    result = run_cli("keygen", "ca", "--out", prefix, "--name", "CA", "--passphrase-file", secrets)
    assert result.exit_code == 3 and "cannot write" in one_error_line(result)
