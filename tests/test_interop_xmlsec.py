"""Interoperability with ``xmlsec1``, an independent XMLDSig implementation (SPEC "Signatures").

An ICTB signed by ictb verifies with ``xmlsec1``, and one signed by ``xmlsec1`` with the
same profile verifies with ictb.  These tests run in CI, where ``xmlsec1`` is installed:
they fail, not skip, when it is missing.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from lxml import etree

from ictb import (
    build,
    disclosure,
    ictb_xml,
    keys,
    policy,
    schema,
    signing,
    verify,
    xmldsig,
    xmlsafe,
)
from ictb.model import Brief, Certification
from tests import factories, pki
from tests.conftest import CliResult

BRIEF_ID_ATTR = ("--id-attr:Id", "urn:ictb:ictb:1:brief")
# Pin xmlsec1's certificate check to the signing time, as ictb does, so that the tests
# do not depend on the day they run (the test certificates are valid 2026-2035).
AT_SIGNING = ("--verification-gmt-time", pki.SIGNED_AT.strftime("%Y-%m-%d %H:%M:%S"))

ECDSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
RSA_SHA1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
SHA1 = "http://www.w3.org/2000/09/xmldsig#sha1"
SHA256 = xmldsig.DIGEST_SHA256


def xmlsec1() -> str:
    path = shutil.which("xmlsec1")
    assert path, (
        "xmlsec1 is not installed: the interoperability tests need it "
        "(Debian: apt-get install xmlsec1)"
    )
    return path


def run_xmlsec1(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [xmlsec1(), *map(str, args)],
        check=False,
        capture_output=True,
        timeout=60,
        text=True,
    )


def xmlsec1_verify(document: Path, ca: Path) -> subprocess.CompletedProcess[str]:
    return run_xmlsec1("--verify", "--trusted-pem", ca, *BRIEF_ID_ATTR, *AT_SIGNING, document)


def verified_by_xmlsec1(result: subprocess.CompletedProcess[str]) -> bool:
    return result.returncode == 0 and result.stderr.startswith("OK")


@dataclasses.dataclass(frozen=True)
class Setup:
    ca: pki.Pki
    ca_file: Path
    folder: Path
    signers: dict[str, pki.Signer]

    def options(self) -> verify.VerifyOptions:
        return verify.VerifyOptions(self.ca.trust(), factories.AS_OF, policy.default(), None)

    def verify(self, data: bytes) -> verify.Verification:
        return verify.verify(data, "interop.ictb.xml", self.options())


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Setup:
    xmlsec1()
    folder = tmp_path_factory.mktemp("interop")
    ca = pki.make_pki()
    signers = {"ecdsa-p256": ca.signer(algorithm="ec"), "rsa-3072": ca.signer(algorithm="rsa")}
    return Setup(ca, ca.trust_file(folder), folder, signers)


def test_the_signers_are_the_ones_named(setup: Setup) -> None:
    ec_key = setup.signers["ecdsa-p256"].certificate.public_key()
    rsa_key = setup.signers["rsa-3072"].certificate.public_key()
    assert isinstance(ec_key, ec.EllipticCurvePublicKey) and ec_key.curve.name == "secp256r1"
    assert isinstance(rsa_key, rsa.RSAPublicKey) and rsa_key.key_size == 3072


def certified_brief() -> Brief:
    brief = build.assemble(
        factories.complete_record(),
        factories.assignment(),
        issued_on=factories.AS_OF,
        document_id=factories.DOCUMENT_ID,
    )
    current = brief.certification
    assert current is not None
    return dataclasses.replace(
        brief,
        certification=Certification(
            name=current.name,
            role=current.role,
            signed_on=pki.SIGNED_AT.date(),
            signed_at=pki.SIGNED_AT,
        ),
    )


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def tamper(data: bytes) -> bytes:
    changed = data.replace(b"<family>Castellano</family>", b"<family>Castellana</family>")
    assert changed != data
    return changed


def withhold(data: bytes) -> bytes:
    root = xmlsafe.parse_bytes(data, "test")
    container = root.find(ictb_xml.q("personal_data"))
    assert container is not None
    for value in list(container):
        if value.get("field") in ("ssn", "dob", "home_address", "dea_number"):
            container.remove(value)
    return xmlsafe.serialize(root, pretty=False)


# ---------------------------------------------------------------- ictb signs, xmlsec1 verifies


@pytest.fixture(scope="module", params=["ecdsa-p256", "rsa-3072"])
def signed_by_ictb(request: pytest.FixtureRequest, setup: Setup) -> bytes:
    signer = setup.signers[request.param]
    result = signing.sign(
        certified_brief(),
        "x",
        signer.material,
        signed_at=pki.SIGNED_AT,
        policy=policy.default(),
    )
    assert result.xml is not None, result.report
    return result.xml


def test_xmlsec1_verifies_what_ictb_signed(setup: Setup, signed_by_ictb: bytes) -> None:
    path = write(setup.folder / "by-ictb.xml", signed_by_ictb)
    result = xmlsec1_verify(path, setup.ca_file)
    assert verified_by_xmlsec1(result), result.stderr
    assert "SignedInfo References (ok/all): 1/1" in result.stdout + result.stderr


def test_xmlsec1_rejects_a_tampered_copy(setup: Setup, signed_by_ictb: bytes) -> None:
    path = write(setup.folder / "by-ictb-tampered.xml", tamper(signed_by_ictb))
    result = xmlsec1_verify(path, setup.ca_file)
    assert result.returncode != 0
    assert "FAIL" in result.stdout + result.stderr


def test_xmlsec1_rejects_a_copy_signed_by_an_untrusted_ca(
    setup: Setup, signed_by_ictb: bytes
) -> None:
    folder = setup.folder / "other-ca"
    folder.mkdir(exist_ok=True)
    other = pki.make_pki("Another CA").trust_file(folder)
    path = write(setup.folder / "by-ictb-untrusted.xml", signed_by_ictb)
    assert not verified_by_xmlsec1(xmlsec1_verify(path, other))


def test_xmlsec1_verifies_a_copy_with_values_withheld(setup: Setup, signed_by_ictb: bytes) -> None:
    copy = withhold(signed_by_ictb)
    assert factories.SSN.encode() not in copy and factories.DEA.encode() not in copy
    path = write(setup.folder / "by-ictb-release.xml", copy)
    result = xmlsec1_verify(path, setup.ca_file)
    assert verified_by_xmlsec1(result), result.stderr
    # ... and so does ictb, which reports what was withheld.
    report = setup.verify(copy).report
    assert report.errors == ()
    assert report.facts["withheld"] == ["dea_number", "dob", "home_address", "ssn"]


def test_a_changed_personal_value_needs_ictb_verify(setup: Setup, signed_by_ictb: bytes) -> None:
    # The values sit outside the signed brief, bound only by salted digests that xmlsec1
    # knows nothing about: xmlsec1 accepts a changed SSN, ictb does not.
    changed = signed_by_ictb.replace(factories.SSN.encode(), b"912-47-3087")
    assert changed != signed_by_ictb
    path = write(setup.folder / "by-ictb-ssn.xml", changed)
    assert verified_by_xmlsec1(xmlsec1_verify(path, setup.ca_file))
    assert [f.code for f in setup.verify(changed).report.errors] == ["ICTB-040"]


# ---------------------------------------------------------------- xmlsec1 signs, ictb verifies


def template(method: str, digest: str = SHA256) -> bytes:
    """An unsigned ICTB, certified and bound, with an empty signature of the profile."""
    root = ictb_xml.to_element(certified_brief())
    body = root.find(ictb_xml.q("brief"))
    assert body is not None
    disclosure.bind(root, body)

    def ds(parent: etree._Element, name: str, **attrib: str) -> etree._Element:
        return etree.SubElement(parent, xmldsig.ds(name), attrib)

    signature = etree.SubElement(root, xmldsig.ds("Signature"), nsmap={"ds": xmldsig.DS})
    info = ds(signature, "SignedInfo")
    ds(info, "CanonicalizationMethod", Algorithm=xmldsig.EXC_C14N)
    ds(info, "SignatureMethod", Algorithm=method)
    reference = ds(info, "Reference", URI="#" + body.get("Id", ""))
    ds(ds(reference, "Transforms"), "Transform", Algorithm=xmldsig.EXC_C14N)
    ds(reference, "DigestMethod", Algorithm=digest)
    ds(reference, "DigestValue")
    ds(signature, "SignatureValue")
    ds(ds(signature, "KeyInfo"), "X509Data")  # xmlsec1 puts the certificate here
    assert schema.errors(root, schema.ICTB_XSD) == []
    return xmlsafe.serialize(root, pretty=False)


def write_private_key(path: Path, key: keys.PrivateKey) -> Path:
    """The key unencrypted, as xmlsec1 needs it: created with mode 0600, never wider."""
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    return path


def sign_with_xmlsec1(folder: Path, signer: pki.Signer, method: str, digest: str = SHA256) -> bytes:
    folder.mkdir(parents=True, exist_ok=True)
    key = write_private_key(folder / "key.pem", signer.material.key)
    cert = write(folder / "cert.pem", keys.pem(signer.certificate))
    unsigned = write(folder / "template.xml", template(method, digest))
    out = folder / "out.xml"
    try:
        result = run_xmlsec1(
            "--sign", "--privkey-pem", f"{key},{cert}", *BRIEF_ID_ATTR, "--output", out, unsigned
        )
    finally:
        key.unlink()
    assert result.returncode == 0, result.stderr
    return out.read_bytes()


@pytest.fixture(scope="module", params=["ecdsa-p256", "rsa-3072"])
def signed_by_xmlsec1(request: pytest.FixtureRequest, setup: Setup) -> bytes:
    method = ECDSA_SHA256 if request.param == "ecdsa-p256" else RSA_SHA256
    folder = setup.folder / f"xmlsec1-{request.param}"
    data = sign_with_xmlsec1(folder, setup.signers[request.param], method)
    # xmlsec1 really signed it: the template's empty values are filled in.
    root = xmlsafe.parse_bytes(data, "xmlsec1")
    for name in ("DigestValue", "SignatureValue", "X509Certificate"):
        node = root.find(f".//{xmldsig.ds(name)}")
        assert node is not None and (node.text or "").strip(), name
    return data


def test_ictb_verifies_what_xmlsec1_signed(setup: Setup, signed_by_xmlsec1: bytes) -> None:
    result = setup.verify(signed_by_xmlsec1)
    assert result.report.findings == ()
    assert result.brief is not None and result.brief.provider is not None
    assert result.brief.provider.ssn == factories.SSN
    assert result.brief.certification == certified_brief().certification


def test_the_cli_verifies_what_xmlsec1_signed(
    setup: Setup, signed_by_xmlsec1: bytes, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    path = write(tmp_path / "by-xmlsec1.ictb.xml", signed_by_xmlsec1)
    result = run_cli("verify", path, "--trust", setup.ca_file, "--as-of", "2026-11-22")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "signed by RDML Test Signer (Naval Medical Center San Diego)" in result.stdout


def test_ictb_rejects_what_xmlsec1_signed_after_a_byte_change(
    setup: Setup, signed_by_xmlsec1: bytes
) -> None:
    report = setup.verify(tamper(signed_by_xmlsec1)).report
    assert [f.code for f in report.errors] == ["ICTB-040"]
    assert report.errors[0].message == (
        "the signed content was changed after signing (digest mismatch)"
    )


@pytest.mark.parametrize(
    ("method", "digest"),
    [(RSA_SHA1, SHA256), (RSA_SHA256, SHA1)],
    ids=["rsa-sha1", "sha1-digest"],
)
def test_ictb_rejects_sha1_even_though_xmlsec1_accepts_it(
    setup: Setup, method: str, digest: str
) -> None:
    folder = setup.folder / f"xmlsec1-weak-{method.rsplit('#', 1)[1]}-{digest.rsplit('#', 1)[1]}"
    data = sign_with_xmlsec1(folder, setup.signers["rsa-3072"], method, digest)
    assert verified_by_xmlsec1(xmlsec1_verify(write(folder / "weak.xml", data), setup.ca_file))
    result = setup.verify(data)
    assert [f.code for f in result.report.findings] == ["ICTB-043"]
    rejected = method if method == RSA_SHA1 else digest
    assert rejected in result.report.errors[0].message
    assert "not allowed" in result.report.errors[0].message
