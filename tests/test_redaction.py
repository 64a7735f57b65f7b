"""Host-nation release copies (Encl. 4 §8c; RULES.md §10, Interp. A16-A17), library level.

``ictb.redaction.redact`` drops the withheld values (and their salts) from
``personal_data``, adds the release marking, and leaves the signed brief untouched, so
the copy still verifies against the sending facility's signature, with ictb and with
``xmlsec1``.  It refuses (RED-022) when an identifier sits where it cannot be dropped,
and scans its own output (RED-001..007, RED-011, RED-023) before writing anything.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import json
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from lxml import etree

from ictb import (
    build,
    check,
    detectors,
    disclosure,
    ictb_xml,
    jsonconfig,
    policy,
    records,
    redaction,
    roster,
    signing,
    verify,
    xmldsig,
    xmlsafe,
)
from ictb.errors import ConfigError, IctbError
from ictb.findings import Finding, Report, Severity
from ictb.model import Address, Attachment, ContactAddressType, CredentialKind, CredentialRecord
from tests import factories, pki
from tests.conftest import SAMPLES

AS_OF = factories.AS_OF
POLICY = policy.default()
RELEASED_TO = "Republic of Palau"
RELEASED_BY = "CAPT A. Smdr, MC, USN"
HOST_NATION_CATEGORIES = (
    "ssn",
    "dob",
    "home_address",
    "dea",
    "home_phone",
    "personal_email",
    "dod_id",
    "passport",
)
# A mission profile that withholds only the four categories §8c names (RULES.md A16).
MANDATORY_ONLY = {
    "profiles": {"mandatory-only": {"withhold": ["ssn", "dob", "home_address", "dea"]}}
}
SAMPLE_JOBS = roster.read(SAMPLES / "roster.csv")
NSMAP = {"i": ictb_xml.NS}


# ---------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def test_pki() -> pki.Pki:
    return pki.make_pki()


@pytest.fixture(scope="module")
def signer(test_pki: pki.Pki) -> pki.Signer:
    return test_pki.signer()


def q(name: str) -> str:
    return ictb_xml.q(name)


def sign_record(
    record: CredentialRecord,
    signer: pki.Signer,
    assignment: build.Assignment | None = None,
) -> bytes:
    brief = build.assemble(
        record,
        assignment or factories.assignment(),
        issued_on=AS_OF,
        document_id=factories.DOCUMENT_ID,
    )
    result = signing.sign(brief, "x", signer.material, signed_at=pki.SIGNED_AT, policy=POLICY)
    assert result.xml is not None, result.report.codes()
    return result.xml


def sign_directly(record: CredentialRecord, signer: pki.Signer, **brief_changes: object) -> bytes:
    """A signed ICTB that ``build``/``sign`` would refuse (RED-020): bound and signed by hand."""
    brief = dataclasses.replace(factories.build_brief(record), **brief_changes)
    root = xmlsafe.parse_bytes(ictb_xml.to_bytes(brief), "direct")
    body = root.find(q("brief"))
    assert body is not None
    disclosure.bind(root, body)
    xmldsig.sign(root, body, signer.material.key, [signer.certificate])
    return xmlsafe.serialize(root, pretty=False)


def host_nation() -> redaction.Profile:
    return redaction.load_profile("host-nation")


def mission_profile(folder: Path, content: object, name: str) -> redaction.Profile:
    path = folder / "mission-profiles.json"
    path.write_text(json.dumps(content), "utf-8")
    return redaction.load_profile(name, path)


def redact(
    raw: bytes,
    profile: redaction.Profile | None = None,
    *,
    released_to: str | None = RELEASED_TO,
    released_by: str | None = RELEASED_BY,
) -> redaction.RedactResult:
    return redaction.redact(
        raw,
        "signed.ictb.xml",
        profile or host_nation(),
        released_to=released_to,
        released_by=released_by,
        released_on=AS_OF,
    )


def released(raw: bytes, profile: redaction.Profile | None = None) -> bytes:
    result = redact(raw, profile)
    assert result.xml is not None, [(f.code, f.message) for f in result.report.findings]
    return result.xml


def verify_options(
    test_pki: pki.Pki, *, content: bool = False, as_of: dt.date = AS_OF
) -> verify.VerifyOptions:
    checks = check.CheckOptions(as_of=as_of, policy=POLICY) if content else None
    return verify.VerifyOptions(test_pki.trust(), as_of, POLICY, checks)


def verify_copy(raw: bytes, test_pki: pki.Pki, *, content: bool = False) -> Report:
    return verify.verify(raw, "copy", verify_options(test_pki, content=content)).report


def codes(report: Report) -> list[str]:
    return report.codes()


def of(report: Report, code: str) -> list[Finding]:
    return [f for f in report.findings if f.code == code]


def ssn_forms(ssn: str) -> set[str]:
    digits = "".join(c for c in ssn if c.isdigit())
    a, g, s = digits[:3], digits[3:5], digits[5:]
    return detectors.ssn_formats(ssn) | {digits, f"{a}-{g}-{s}", f"{a} {g} {s}"}


def forbidden_strings(record: CredentialRecord, withheld: set[str]) -> set[str]:
    """Every written form of the withheld values of ``record`` (RULES.md §10)."""
    provider = record.provider
    out: set[str] = set()
    if "ssn" in withheld and provider.ssn:
        out |= ssn_forms(provider.ssn)
    if "dob" in withheld and provider.dob:
        out |= detectors.date_formats(provider.dob)
    addresses: list[Address] = []
    if "home_address" in withheld and provider.home_address:
        addresses.append(provider.home_address)
    rc = record.reserve
    if "rc_contact_address" in withheld and rc is not None and rc.contact_address:
        addresses.append(rc.contact_address)
    for address in addresses:
        out |= {line for line in address.lines if line.strip()}
    if "dea_number" in withheld:
        for credential in record.credentials:
            if credential.kind is CredentialKind.DEA and credential.number:
                out |= {credential.number, credential.number.split("-", 1)[0]}
    if "home_phone" in withheld and provider.home_phone:
        out.add(provider.home_phone)
    if "rc_home_phone" in withheld and rc is not None and rc.home_phone:
        out.add(rc.home_phone)
    for name in ("personal_email", "dod_id", "passport_number"):
        if name in withheld and getattr(provider, name):
            out.add(getattr(provider, name))
    return out


def digests(text: str) -> set[str]:
    raw = hashlib.sha256(text.encode("utf-8")).digest()
    return {raw.hex(), raw.hex().upper(), base64.b64encode(raw).decode("ascii")}


def salts(signed: bytes, fields: set[str]) -> dict[str, bytes]:
    root = xmlsafe.parse_bytes(signed, "signed")
    return {
        str(v.get("field")): base64.b64decode(v.get("salt", ""))
        for v in disclosure.values(root).values()
        if v.get("field") in fields
    }


def assert_absent(copy: bytes, strings: Iterator[str] | set[str], what: str) -> None:
    for text in strings:
        for form in {text, escape(text), escape(text, {"'": "&apos;", '"': "&quot;"})}:
            assert form.encode("utf-8") not in copy, f"{what} {form!r} is still in the copy"


def xmlsec1_verify(document: Path, ca: Path) -> subprocess.CompletedProcess[str]:
    tool = shutil.which("xmlsec1")
    assert tool, "xmlsec1 is not installed (Debian: apt-get install xmlsec1)"
    return subprocess.run(
        [
            tool,
            "--verify",
            "--trusted-pem",
            str(ca),
            "--id-attr:Id",
            "urn:ictb:ictb:1:brief",
            "--verification-gmt-time",
            pki.SIGNED_AT.strftime("%Y-%m-%d %H:%M:%S"),
            str(document),
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )


# ---------------------------------------------------------------- every sample


def _sample_id(job: tuple[Path, build.Assignment]) -> str:
    return f"{job[0].stem}--{job[1].gaining.id}"


@pytest.mark.parametrize("job", SAMPLE_JOBS, ids=[_sample_id(j) for j in SAMPLE_JOBS])
def test_every_sample_makes_a_release_copy_that_verifies_and_leaks_nothing(
    job: tuple[Path, build.Assignment], test_pki: pki.Pki, tmp_path: Path
) -> None:
    record_path, assignment = job
    record = records.load(record_path)
    facility = record.sending_facility
    assert facility is not None
    signer = test_pki.signer(facility_name=facility.name or "", facility_id=facility.id)
    signed = sign_record(record, signer, assignment)
    personal = {
        str(v.get("field")) for v in disclosure.values(xmlsafe.parse_bytes(signed, "s")).values()
    }
    business = record.reserve is not None and (
        record.reserve.contact_address_type is ContactAddressType.BUSINESS
    )
    expected = personal - ({"rc_contact_address"} if business else set())
    assert {"ssn", "dob", "home_address"} <= expected

    result = redact(signed)
    assert result.xml is not None, [(f.code, f.message) for f in result.report.findings]
    assert result.report.errors == ()
    assert result.report.facts["withheld"] == sorted(expected)
    (listed,) = of(result.report, "RED-010")
    assert listed.severity is Severity.INFO
    for name in expected:
        assert name in listed.message
    copy = result.xml

    # ictb verifies the copy against the sending facility's signature: no re-signing.
    outcome = verify_copy(copy, test_pki)
    assert outcome.errors == (), [(f.code, f.message) for f in outcome.findings]
    assert outcome.facts["release_copy"] is True
    assert outcome.facts["withheld"] == sorted(expected)
    (reported,) = of(outcome, "RED-010")
    assert all(name in reported.message for name in expected)
    assert outcome.facts["signer"]["organization"] == facility.name

    # ... and so does an independent XMLDSig implementation.
    document = tmp_path / "copy.release.ictb.xml"
    document.write_bytes(copy)
    ca = test_pki.trust_file(tmp_path)
    checked = xmlsec1_verify(document, ca)
    assert checked.returncode == 0 and checked.stderr.startswith("OK"), checked.stderr

    # None of the withheld values, in any written form, nor their salts, nor a digest.
    strings = forbidden_strings(record, expected)
    for value in disclosure.values(xmlsafe.parse_bytes(signed, "s")).values():
        if value.get("field") in expected:  # every withheld value is searched for
            texts = value.xpath("i:text/text() | i:address/i:line/text()", namespaces=NSMAP)
            assert texts and set(texts) <= strings, (value.get("field"), texts)
    assert_absent(copy, strings, "withheld value")
    for text in strings:
        assert_absent(copy, digests(text), f"unsalted digest of {text!r}:")
    withheld_salts = salts(signed, expected)
    assert set(withheld_salts) == expected
    for field_name, salt in withheld_salts.items():
        assert len(salt) >= 16
        assert_absent(copy, {base64.b64encode(salt).decode("ascii"), salt.hex()}, field_name)


def test_the_other_identifiers_are_withheld_by_default(
    signer: pki.Signer, test_pki: pki.Pki
) -> None:
    record = factories.complete_record(
        personal_email="miriam.castellano@example.net",
        dod_id="1234567890",
        passport_number="567123498",
    )
    signed = sign_record(record, signer)
    for value in (b"miriam.castellano@example.net", b"1234567890", b"567123498"):
        assert value in signed
    copy = released(signed)
    withheld = set(verify_copy(copy, test_pki).facts["withheld"])
    assert {"personal_email", "dod_id", "passport_number", "home_phone"} <= withheld
    assert_absent(copy, forbidden_strings(record, withheld), "withheld value")


def test_the_release_marking(signer: pki.Signer) -> None:
    signed = sign_record(factories.complete_record(), signer)
    copy = released(signed)
    brief = ictb_xml.load("copy", copy)
    assert brief.release is not None
    assert brief.release.target == RELEASED_TO
    assert brief.release.official == RELEASED_BY
    assert brief.release.released_on == AS_OF
    assert brief.release.withheld_categories == HOST_NATION_CATEGORIES
    assert set(brief.release.withheld_fields) == {
        "ssn",
        "dob",
        "home_address",
        "home_phone",
        "dea_number",
    }
    assert brief.withheld == frozenset(brief.release.withheld_fields)
    assert brief.provider is not None and brief.provider.ssn is None
    # The certified content and the signature are byte for byte those of the original.
    root = xmlsafe.parse_bytes(copy, "copy")
    original = xmlsafe.parse_bytes(signed, "original")
    assert root.find(q("personal_data")) is None
    for name in (q("brief"), xmldsig.ds("Signature")):
        kept, certified = root.find(name), original.find(name)
        assert kept is not None and certified is not None
        assert xmldsig.c14n(kept) == xmldsig.c14n(certified)


# ---------------------------------------------------------------- a copy cannot be altered


def _alter_kept_phone(root: etree._Element) -> None:
    (value,) = [v for v in disclosure.values(root).values() if v.get("field") == "home_phone"]
    value[0].text = "619-555-0199"


def _move_phone_to_ssn_slot(root: etree._Element) -> None:
    (value,) = [v for v in disclosure.values(root).values() if v.get("field") == "home_phone"]
    value.set("id", "pd-ssn")
    value.set("field", "ssn")


def _move_phone_keep_its_field(root: etree._Element) -> None:
    (value,) = [v for v in disclosure.values(root).values() if v.get("field") == "home_phone"]
    value.set("id", "pd-dob")


def _swap_kept_values(root: etree._Element) -> None:
    container = root.find(q("personal_data"))
    assert container is not None
    rc_phone = next(v for v in container if v.get("field") == "rc_home_phone")
    phone = next(v for v in container if v.get("field") == "home_phone")
    rc_phone[0].text, phone[0].text = "619-555-0188", rc_phone[0].text


@pytest.mark.parametrize(
    "alter",
    [_alter_kept_phone, _move_phone_to_ssn_slot, _move_phone_keep_its_field],
    ids=["value altered", "moved to another field", "moved under another slot"],
)
def test_a_kept_value_altered_after_release_is_rejected(
    alter: Callable[[etree._Element], None],
    signer: pki.Signer,
    test_pki: pki.Pki,
    tmp_path: Path,
) -> None:
    profile = mission_profile(tmp_path, MANDATORY_ONLY, "mandatory-only")
    copy = released(sign_record(factories.complete_record(), signer), profile)
    before = verify_copy(copy, test_pki)
    assert before.errors == ()
    assert "home_phone" not in before.facts["withheld"]
    root = xmlsafe.parse_bytes(copy, "copy")
    alter(root)
    outcome = verify_copy(xmlsafe.serialize(root, pretty=False), test_pki)
    assert "ICTB-040" in codes(outcome)
    assert not outcome.accepted()


def test_kept_values_swapped_between_fields_are_rejected(
    signer: pki.Signer, test_pki: pki.Pki, tmp_path: Path
) -> None:
    profile = mission_profile(tmp_path, MANDATORY_ONLY, "mandatory-only")
    record = factories.reserve_record(home_phone="619-555-0177")
    copy = released(sign_record(record, signer), profile)
    assert verify_copy(copy, test_pki).errors == ()
    root = xmlsafe.parse_bytes(copy, "copy")
    _swap_kept_values(root)
    assert "ICTB-040" in codes(verify_copy(xmlsafe.serialize(root, pretty=False), test_pki))


# ---------------------------------------------------------------- RED-022: refuse


SSN_LABEL = "Social Security number"


def _secret_forms() -> set[str]:
    return (
        ssn_forms(factories.SSN)
        | detectors.date_formats(factories.DOB)
        | {factories.DEA, factories.HOME_LINE, factories.HOME_PHONE}
    )


def assert_refused_with_red_022(
    result: redaction.RedactResult, label: str, location: str
) -> Finding:
    assert result.xml is None
    refusals = of(result.report, "RED-022")
    assert refusals, [(f.code, f.message) for f in result.report.findings]
    assert all(f.severity is Severity.ERROR for f in refusals)
    matching = [f for f in refusals if label in f.message and location in (f.location or "")]
    assert matching, [(f.message, f.location) for f in refusals]
    for f in result.report.findings:
        shown = f"{f.message} {f.location}"
        for form in _secret_forms():
            assert form not in shown, f"the finding shows {form!r}"
    return matching[0]


@pytest.mark.parametrize(
    ("changes", "label", "location"),
    [
        (
            {"remarks": f"Provider SSN {factories.SSN} confirmed with the member."},
            SSN_LABEL,
            "/ictb/brief/remarks",
        ),
        (
            {"remarks": "Personnel record 912473086 reviewed."},  # the known SSN, no dashes
            SSN_LABEL,
            "/ictb/brief/remarks",
        ),
        (
            {"remarks": "Registered under FC4719324 for schedule II-V."},
            "DEA number",
            "/ictb/brief/remarks",
        ),
        (
            {"remarks": "Member born 12 Apr 1984 in Tucson."},
            "date of birth",
            "/ictb/brief/remarks",
        ),
        (
            {
                "observer": factories.observer(
                    statement="Observed daily; DEA registration FC4719324 verified by me."
                )
            },
            "DEA number",
            "/ictb/brief/observer/statement",
        ),
        (
            {
                "observer": factories.observer(
                    statement=f"I know the member well (SSN {factories.SSN})."
                )
            },
            SSN_LABEL,
            "/ictb/brief/observer/statement",
        ),
        (
            {
                "file_review": factories.file_review(
                    statement=f"File mailed to {factories.HOME_LINE} for signature."
                )
            },
            "home address",
            "/ictb/brief/file_review/statement",
        ),
        (
            {"attachments": (Attachment(name=f"Castellano {factories.SSN}.txt"),)},
            SSN_LABEL,
            "/ictb/brief/attachments/attachment/name",
        ),
    ],
    ids=[
        "SSN in remarks",
        "bare known SSN in remarks",
        "DEA in remarks",
        "DOB in remarks",
        "DEA in observer statement",
        "SSN in observer statement",
        "home address in file review statement",
        "SSN in attachment name",
    ],
)
def test_identifier_in_signed_text_is_refused(
    changes: dict[str, object], label: str, location: str, signer: pki.Signer
) -> None:
    signed = sign_directly(factories.complete_record(), signer, **changes)
    # The document is authentic: the refusal is about §8c, not the signature.
    root = xmlsafe.parse_bytes(signed, "signed")
    xmldsig.verify(root, root.find(q("brief")))  # type: ignore[arg-type]
    finding = assert_refused_with_red_022(redact(signed), label, location)
    assert "re-issue" in finding.message or "corrected ICTB" in finding.message


def test_build_and_sign_refuse_what_redact_refuses(signer: pki.Signer) -> None:
    record = dataclasses.replace(factories.complete_record(), remarks=f"SSN {factories.SSN}")
    assert "RED-020" in factories.run_build(record).report.codes()
    brief = factories.build_brief(record)
    result = signing.sign(brief, "x", signer.material, signed_at=pki.SIGNED_AT, policy=POLICY)
    assert result.xml is None and "RED-020" in result.report.codes()


def _comment_after_signature(text: str) -> Callable[[etree._Element], None]:
    def inject(root: etree._Element) -> None:
        signature = root.find(xmldsig.ds("Signature"))
        assert signature is not None
        signature.addnext(etree.Comment(f" {text} "))

    return inject


def inject(signed: bytes, change: Callable[[etree._Element], None]) -> bytes:
    root = xmlsafe.parse_bytes(signed, "signed")
    change(root)
    return xmlsafe.serialize(root, pretty=False)


def test_identifier_in_an_unsigned_comment_is_refused(signer: pki.Signer) -> None:
    signed = inject(
        sign_record(factories.complete_record(), signer),
        _comment_after_signature(f"member SSN {factories.SSN}"),
    )
    assert_refused_with_red_022(redact(signed), SSN_LABEL, "(comment)")


def test_home_phone_in_an_unsigned_comment_is_refused(signer: pki.Signer) -> None:
    signed = inject(
        sign_record(factories.complete_record(), signer),
        _comment_after_signature(f"call {factories.HOME_PHONE} after hours"),
    )
    assert_refused_with_red_022(redact(signed), "home phone", "(comment)")


def _comment_before_the_document(text: str) -> Callable[[etree._Element], None]:
    def inject(root: etree._Element) -> None:
        root.addprevious(etree.Comment(f" {text} "))

    return inject


def _comment_after_the_document(text: str) -> Callable[[etree._Element], None]:
    def inject(root: etree._Element) -> None:
        root.addnext(etree.Comment(f" {text} "))

    return inject


def _attribute_on_signature(text: str) -> Callable[[etree._Element], None]:
    def inject(root: etree._Element) -> None:
        signature = root.find(xmldsig.ds("Signature"))
        assert signature is not None
        signature.set("note", text)

    return inject


def _text_inside_signature(text: str) -> Callable[[etree._Element], None]:
    def inject(root: etree._Element) -> None:
        value = root.find(f"{xmldsig.ds('Signature')}/{xmldsig.ds('SignatureValue')}")
        assert value is not None
        value.tail = text

    return inject


@pytest.mark.parametrize(
    "change",
    [
        _comment_before_the_document(f"SSN {factories.SSN}"),
        _comment_after_the_document(f"SSN {factories.SSN}"),
        _attribute_on_signature(factories.SSN),
        _text_inside_signature(f"SSN {factories.SSN}"),
    ],
    ids=[
        "comment before the document",
        "comment after the document",
        "attribute on ds:Signature",
        "text inside ds:Signature",
    ],
)
def test_identifier_outside_the_scanned_tree_is_refused(
    change: Callable[[etree._Element], None], signer: pki.Signer, test_pki: pki.Pki
) -> None:
    signed = inject(sign_record(factories.complete_record(), signer), change)
    # Still an authentic, schema-valid signed ICTB.
    assert verify_copy(signed, test_pki).errors == ()
    result = redact(signed)
    assert factories.SSN.encode() not in (result.xml or b"")
    assert_refused_with_red_022(result, SSN_LABEL, "")


def test_output_scan_sees_comments_around_the_document(original: bytes) -> None:
    copy = xmlsafe.parse_bytes(released(original), "copy")
    copy.addprevious(etree.Comment(f" SSN {factories.SSN} "))
    assert factories.SSN.encode() in xmlsafe.serialize(copy, pretty=False)
    k = knowledge(original)
    assert "RED-001" in [
        f.code for f in redaction.leaks(copy, k.known, k.others, k.withheld, k.salts)
    ]
    assert "RED-001" in [f.code for f in redaction.release_findings(copy)]


def test_ssn_in_a_released_value_of_another_field_is_refused(
    signer: pki.Signer, tmp_path: Path
) -> None:
    # The home phone is kept by a mandatory-only profile; here it holds the SSN.
    record = factories.complete_record(home_phone=factories.SSN)
    signed = sign_record(record, signer)
    profile = mission_profile(tmp_path, MANDATORY_ONLY, "mandatory-only")
    assert_refused_with_red_022(redact(signed, profile), SSN_LABEL, "/ictb/personal_data")
    # The host-nation profile withholds the home phone too: nothing is left behind.
    assert factories.SSN.encode() not in released(signed)


def test_business_contact_address_that_is_the_home_address_is_refused(
    signer: pki.Signer,
) -> None:
    home = factories.provider().home_address
    assert home is not None
    record = factories.reserve_record(contact_address=home)
    result = redact(sign_record(record, signer))
    assert_refused_with_red_022(result, "home address", "/ictb/personal_data")


# ---------------------------------------------------------------- the output scan


@pytest.fixture(scope="module")
def original(signer: pki.Signer) -> bytes:
    return sign_record(factories.complete_record(), signer)


@dataclasses.dataclass(frozen=True)
class Knowledge:
    known: detectors.KnownValues
    others: list[tuple[str, str]]
    withheld: set[str]
    salts: dict[str, bytes]


def knowledge(signed: bytes, profile: redaction.Profile | None = None) -> Knowledge:
    root = xmlsafe.parse_bytes(signed, "signed")
    fields = redaction.withheld_fields(root, profile or host_nation())
    present = {str(v.get("field")) for v in disclosure.values(root).values()}
    return Knowledge(
        redaction.known_values(root, fields),
        redaction.other_known(root),
        fields & present,
        salts(signed, fields),
    )


def leaks_with(original: bytes, text: str) -> list[Finding]:
    copy = xmlsafe.parse_bytes(released(original), "copy")
    copy.append(etree.Comment(f" {text} "))
    k = knowledge(original)
    return redaction.leaks(copy, k.known, k.others, k.withheld, k.salts)


def test_a_clean_copy_has_no_leaks(original: bytes) -> None:
    copy = xmlsafe.parse_bytes(released(original), "copy")
    k = knowledge(original)
    assert redaction.leaks(copy, k.known, k.others, k.withheld, k.salts) == []
    assert redaction.release_findings(copy) == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (f"member {factories.SSN}", "RED-001"),
        ("member 912473086", "RED-001"),
        ("D.O.B. 04/12/1984", "RED-002"),
        ("note 12APR1984", "RED-002"),
        (f"mail to {factories.HOME_LINE}", "RED-003"),
        (f"registration {factories.DEA}", "RED-004"),
    ],
)
def test_a_withheld_value_left_in_the_copy_is_an_error(
    original: bytes, text: str, code: str
) -> None:
    found = leaks_with(original, text)
    assert code in [f.code for f in found]
    assert all(f.severity is Severity.ERROR for f in found if f.code == code)
    for f in found:
        assert text.split()[-1] not in f.message


def test_a_home_phone_left_in_the_copy_is_a_warning(original: bytes) -> None:
    found = leaks_with(original, f"after hours {factories.HOME_PHONE}")
    assert [(f.code, f.severity) for f in found] == [("RED-005", Severity.WARNING)]
    assert factories.HOME_PHONE not in found[0].message


@pytest.mark.parametrize(
    "text", ["peer review of the care of patient John Smith", "the claimant Mrs. Ortega"]
)
def test_a_named_person_is_a_warning(original: bytes, text: str) -> None:
    found = leaks_with(original, text)
    assert [(f.code, f.severity) for f in found] == [("RED-006", Severity.WARNING)]


def test_patient_care_is_not_a_named_person(original: bytes) -> None:
    assert leaks_with(original, "excellent patient care and patient safety") == []


def test_a_leftover_salt_is_recoverable_material(original: bytes) -> None:
    salt = knowledge(original).salts["ssn"]
    found = leaks_with(original, base64.b64encode(salt).decode("ascii"))
    assert [f.code for f in found] == ["RED-007"]
    assert found[0].severity is Severity.ERROR


@pytest.mark.parametrize("encode", ["hex", "base64"])
@pytest.mark.parametrize("value", [factories.SSN, "1984-04-12", factories.DEA])
def test_an_unsalted_digest_is_recoverable_material(
    original: bytes, value: str, encode: str
) -> None:
    digest = hashlib.sha256(value.encode()).digest()
    text = digest.hex() if encode == "hex" else base64.b64encode(digest).decode("ascii")
    found = leaks_with(original, text)
    assert "RED-007" in [f.code for f in found]


def test_redact_refuses_its_own_leaky_output(
    original: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Suppose the RED-022 scan missed it: the output scan must still catch it.
    monkeypatch.setattr(redaction, "identifiers_outside_values", lambda *args: [])
    signed = inject(original, _comment_after_signature(f"member SSN {factories.SSN}"))
    result = redact(signed)
    assert result.xml is None
    assert "RED-001" in codes(result.report)


@pytest.mark.parametrize("what", ["salt", "digest"])
def test_redact_refuses_recoverable_material(original: bytes, what: str) -> None:
    if what == "salt":
        text = base64.b64encode(knowledge(original).salts["dob"]).decode("ascii")
    else:
        text = hashlib.sha256(factories.SSN.encode()).hexdigest()
    result = redact(inject(original, _comment_after_signature(text)))
    assert result.xml is None
    assert "RED-007" in codes(result.report)


def test_a_missing_release_marking_is_a_warning(original: bytes) -> None:
    result = redact(original, released_to=None, released_by=None)
    assert result.xml is not None
    (marking,) = of(result.report, "RED-011")
    assert marking.severity is Severity.WARNING
    assert "target" in marking.message and "releasing official" in marking.message
    copy = xmlsafe.parse_bytes(result.xml, "copy")
    copy.remove(copy.find(q("release")))  # type: ignore[arg-type]
    assert [f.code for f in redaction.release_findings(copy)] == ["RED-011"]


def test_a_named_patient_in_signed_remarks_is_a_warning(signer: pki.Signer) -> None:
    record = dataclasses.replace(
        factories.complete_record(),
        remarks="Focused review of the care of patient John Smith closed with no action.",
    )
    result = redact(sign_record(record, signer))
    assert result.xml is not None
    (named,) = of(result.report, "RED-006")
    assert named.severity is Severity.WARNING
    assert named.location == "/ictb/brief/remarks"
    assert "John Smith" not in named.message


def test_an_unscannable_attachment_is_a_warning(signer: pki.Signer) -> None:
    record = dataclasses.replace(
        factories.complete_record(),
        attachments=(
            Attachment(name="Delineation of privileges (scanned)", media_type="application/pdf"),
            Attachment(name="Observer letter", media_type="image/jpeg"),
            Attachment(name="Summary", media_type="text/plain"),
        ),
    )
    result = redact(sign_record(record, signer))
    assert result.xml is not None
    flagged = of(result.report, "RED-023")
    assert len(flagged) == 2
    assert all(f.severity is Severity.WARNING for f in flagged)
    assert {f.location for f in flagged} == {
        "/ictb/brief/attachments/attachment[1]",
        "/ictb/brief/attachments/attachment[2]",
    }


def test_a_profile_that_keeps_the_home_address_cannot_release(tmp_path: Path) -> None:
    # The four categories §8c names are mandatory (Interp. A16): such a profile is refused.
    with pytest.raises(IctbError, match="must withhold home_address"):
        mission_profile(
            tmp_path, {"profiles": {"no-home": {"withhold": ["ssn", "dob", "dea"]}}}, "no-home"
        )


def test_a_profile_that_keeps_the_home_phone_warns(original: bytes, tmp_path: Path) -> None:
    profile = mission_profile(tmp_path, MANDATORY_ONLY, "mandatory-only")
    result = redact(original, profile)
    assert result.xml is not None
    assert "RED-005" in codes(result.report)


# ---------------------------------------------------------------- check and verify on a copy


@pytest.fixture(scope="module")
def copy(original: bytes) -> bytes:
    return released(original)


def check_copy(copy: bytes, *, release: bool) -> Report:
    brief = ictb_xml.load("copy", copy)
    options = check.CheckOptions(as_of=AS_OF, policy=POLICY, release=release)
    report = check.check(brief, "copy", options)
    if release:
        root = ictb_xml.parse(copy, "copy")
        report = report.with_findings(redaction.release_findings(root))
    return report


def test_check_without_release_reports_the_missing_ssn(copy: bytes) -> None:
    report = check_copy(copy, release=False)
    (missing,) = of(report, "ICTB-001")
    assert "SSN" in missing.message
    assert not report.accepted()


def test_check_without_release_reports_red_012(copy: bytes) -> None:
    report = check_copy(copy, release=False)
    (misuse,) = of(report, "RED-012")
    assert misuse.severity is Severity.ERROR


def test_check_as_release_copy(copy: bytes) -> None:
    report = check_copy(copy, release=True)
    assert "RED-012" not in codes(report)
    assert "ICTB-001" not in codes(report)
    assert report.errors == ()


def test_check_as_release_copy_still_finds_leaks(original: bytes) -> None:
    root = xmlsafe.parse_bytes(released(original), "copy")
    root.append(etree.Comment(f" {factories.SSN} "))
    report = check_copy(xmlsafe.serialize(root, pretty=False), release=True)
    assert "RED-001" in codes(report)


def test_the_signed_original_is_not_a_release_copy(original: bytes) -> None:
    report = check_copy(original, release=False)
    assert "RED-012" not in codes(report) and "ICTB-001" not in codes(report)


def test_verify_with_content_checks_accepts_the_copy(copy: bytes, test_pki: pki.Pki) -> None:
    report = verify_copy(copy, test_pki, content=True)
    assert report.errors == (), [(f.code, f.message) for f in report.findings]
    assert "ICTB-001" not in codes(report)
    assert "RED-012" not in codes(report)
    assert report.facts["release_copy"] is True
    assert "RED-010" in codes(report)


def test_verify_of_the_original_is_not_a_release_copy(original: bytes, test_pki: pki.Pki) -> None:
    report = verify_copy(original, test_pki)
    assert report.facts["release_copy"] is False
    assert report.facts["withheld"] == []
    assert "RED-010" not in codes(report)


# ---------------------------------------------------------------- what redact refuses


def test_a_release_copy_is_not_redacted_again(copy: bytes) -> None:
    with pytest.raises(IctbError, match="already a release copy"):
        redact(copy)


def test_an_unsigned_ictb_is_refused() -> None:
    unsigned = ictb_xml.to_bytes(factories.build_brief(factories.complete_record()))
    result = redact(unsigned)
    assert result.xml is None
    (refusal,) = result.report.findings
    assert refusal.code == "ICTB-040"
    assert "no signature" in refusal.message


def _tamper_brief(root: etree._Element) -> None:
    node = root.find(f"{q('brief')}/{q('remarks')}")
    if node is None:
        node = etree.SubElement(root.find(q("brief")), q("remarks"))  # type: ignore[arg-type]
    node.text = "Added after signing."


def _tamper_value(root: etree._Element) -> None:
    (value,) = [v for v in disclosure.values(root).values() if v.get("field") == "ssn"]
    value[0].text = "912-47-3087"


def _tamper_salt(root: etree._Element) -> None:
    (value,) = [v for v in disclosure.values(root).values() if v.get("field") == "dob"]
    value.set("salt", base64.b64encode(b"\0" * 16).decode("ascii"))


@pytest.mark.parametrize(
    "tamper",
    [_tamper_brief, _tamper_value, _tamper_salt],
    ids=["signed text", "personal value", "salt"],
)
def test_a_tampered_ictb_is_refused(
    original: bytes, tamper: Callable[[etree._Element], None]
) -> None:
    root = xmlsafe.parse_bytes(original, "signed")
    tamper(root)
    result = redact(xmlsafe.serialize(root, pretty=False))
    assert result.xml is None
    assert codes(result.report) and set(codes(result.report)) == {"ICTB-040"}


# ---------------------------------------------------------------- profiles


def test_host_nation_profile() -> None:
    profile = host_nation()
    assert profile.name == "host-nation"
    assert set(profile.categories) == set(HOST_NATION_CATEGORIES)
    assert profile.fields == {
        "ssn": "ssn",
        "dob": "dob",
        "home_address": "home_address",
        "rc_contact_address": "home_address",
        "dea_number": "dea",
        "home_phone": "home_phone",
        "rc_home_phone": "home_phone",
        "personal_email": "personal_email",
        "dod_id": "dod_id",
        "passport_number": "passport",
    }
    assert profile.label("ssn") == SSN_LABEL
    assert "8c" in profile.description


def test_mission_profile_file_adds_a_category_and_a_profile(tmp_path: Path) -> None:
    content = {
        "categories": {"reachback": {"fields": ["personal_email"], "label": "reach-back e-mail"}},
        "profiles": {
            "palau-2027": {
                "description": "Pacific Partnership 2027, Palau",
                "withhold": ["ssn", "dob", "home_address", "dea", "reachback"],
            }
        },
    }
    profile = mission_profile(tmp_path, content, "palau-2027")
    assert profile.categories == ("ssn", "dob", "home_address", "dea", "reachback")
    assert profile.fields["personal_email"] == "reachback"
    assert "home_phone" not in profile.fields
    assert profile.description == "Pacific Partnership 2027, Palau"
    # The packaged profiles stay available beside the mission's.
    path = tmp_path / "mission-profiles.json"
    assert redaction.load_profile("host-nation", path).categories == HOST_NATION_CATEGORIES


@pytest.mark.parametrize(
    ("content", "redefined"),
    [
        ({"categories": {"ssn": {"fields": ["home_phone"], "label": "SSN"}}}, "categories: ssn"),
        (
            {"profiles": {"host-nation": {"withhold": ["ssn", "dob", "home_address", "dea"]}}},
            "profiles: host-nation",
        ),
    ],
    ids=["category", "profile"],
)
def test_a_profile_file_cannot_change_the_packaged_ones(
    tmp_path: Path, content: dict, redefined: str
) -> None:
    """A mission's "ssn" listing other fields would let the SSN through unredacted."""
    with pytest.raises(ConfigError) as raised:
        mission_profile(tmp_path, content, "host-nation")
    assert f"redefines packaged {redefined}" in str(raised.value)
    assert raised.value.exit_code == 3


def test_unknown_profile() -> None:
    with pytest.raises(IctbError, match="no redaction profile 'host_nation'") as raised:
        redaction.load_profile("host_nation")
    assert "host-nation" in str(raised.value)


def test_unknown_category(tmp_path: Path) -> None:
    content = {"profiles": {"typo": {"withhold": ["ssn", "date_of_birth"]}}}
    with pytest.raises(IctbError, match="date_of_birth"):
        mission_profile(tmp_path, content, "typo")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("not json {", "cannot read profile file: not valid JSON"),
        ("[1, 2]", "$: must be a JSON object"),
    ],
)
def test_unreadable_profile_file(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, "utf-8")
    with pytest.raises(ConfigError) as error:
        redaction.load_profile("host-nation", path)
    assert expected in error.value.message


MANDATORY = ["ssn", "dob", "home_address", "dea"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ({"profiles": {"m": {"withhold": "ssn"}}}, "$.profiles.m.withhold: must be an array"),
        ({"profiles": {"m": {"withhold": [1]}}}, "$.profiles.m.withhold[0]: must be a string"),
        ({"profiles": {"m": {"withhold": None}}}, "$.profiles.m.withhold: must be an array"),
        ({"profiles": {"m": {}}}, '$.profiles.m: missing keys: "withhold"'),
        ({"profiles": {"m": None}}, "$.profiles.m: must be a JSON object"),
        ({"profiles": [MANDATORY]}, "$.profiles: must be a JSON object"),
        (
            {"profiles": {"m": {"withhold": [*MANDATORY, "ssn"]}}},
            "$.profiles.m.withhold: must not name the same item twice",
        ),
        (
            {"profiles": {"m": {"withhold": MANDATORY, "keep": ["dob"]}}},
            '$.profiles.m: unknown keys: "keep"',
        ),
        (
            {"profiles": {"m": {"withhold": MANDATORY, "description": 5}}},
            "$.profiles.m.description: must be a string",
        ),
        ({"profiles": {"no spaces": {"withhold": MANDATORY}}}, 'key "no spaces" is not a valid'),
        ({"categories": {"badge": {}}}, '$.categories.badge: missing keys: "fields"'),
        ({"categories": {"badge": {"fields": []}}}, "fields: must have at least 1 item"),
        ({"categories": {"badge": {"fields": [7]}}}, "$.categories.badge.fields[0]: must be a"),
        ({"categories": {"badge": "badge_number"}}, "$.categories.badge: must be a JSON object"),
        ({"categories": {"badge": {"fields": ["b"], "label": 5}}}, "label: must be a string"),
        ({"profile_format": 2}, "$.profile_format: must be 1"),
        ({"profile": {}}, '$: unknown keys: "profile"'),
    ],
    ids=lambda v: json.dumps(v)[:40] if isinstance(v, dict) else None,
)
def test_profile_file_that_does_not_fit_its_schema(
    tmp_path: Path, run_cli, content: dict[str, object], expected: str
) -> None:
    path = tmp_path / "mission-profiles.json"
    path.write_text(json.dumps(content, indent=1), "utf-8")
    with pytest.raises(ConfigError) as error:
        redaction.load_profile("host-nation", path)
    assert "redaction-profiles.schema.json" in error.value.message
    assert expected in error.value.message
    assert error.value.line is not None
    # From the command line: exit 3, one line, before any ICTB is read.
    result = run_cli("redact", tmp_path / "absent.signed.ictb.xml", "--profile-file", path)
    assert result.exit_code == 3
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"ictb: error: {path}:") and expected in line


def test_packaged_profiles_fit_their_schema() -> None:
    packaged = json.loads(
        (Path(redaction.__file__).parent / "data" / "redaction-profiles.json").read_text("utf-8")
    )
    assert list(jsonconfig.validator(jsonconfig.REDACTION_PROFILES).iter_errors(packaged)) == []
    # The packaged file is the whole catalog: both parts, and the four §8c categories.
    assert set(MANDATORY) <= set(packaged["categories"]) and "host-nation" in packaged["profiles"]


def test_missing_profile_file(tmp_path: Path) -> None:
    with pytest.raises(IctbError, match="no such profile file"):
        redaction.load_profile("host-nation", tmp_path / "absent.json")


def test_category_without_fields(tmp_path: Path) -> None:
    content = {
        "categories": {"badge": {"label": "badge number"}},
        "profiles": {"m": {"withhold": ["ssn", "badge"]}},
    }
    with pytest.raises(IctbError):
        mission_profile(tmp_path, content, "m")


def test_reserve_contact_address_typed_business_is_kept(
    signer: pki.Signer, test_pki: pki.Pki
) -> None:
    record = factories.reserve_record()
    assert record.reserve is not None
    assert record.reserve.contact_address_type is ContactAddressType.BUSINESS
    copy = released(sign_record(record, signer))
    report = verify_copy(copy, test_pki)
    assert report.errors == ()
    assert "rc_contact_address" not in report.facts["withheld"]
    assert {"rc_home_phone", "home_address"} <= set(report.facts["withheld"])
    assert b"1400 Summit Ridge Parkway" in copy


def test_reserve_contact_address_typed_home_is_withheld(
    signer: pki.Signer, test_pki: pki.Pki
) -> None:
    contact = Address(
        lines=("4417 Coronado Vista Lane",),
        city="Chula Vista",
        state="CA",
        postal_code="91915",
        country="US",
    )
    record = factories.reserve_record(
        contact_address=contact, contact_address_type=ContactAddressType.HOME
    )
    signed = sign_record(record, signer)
    assert b"4417 Coronado Vista Lane" in signed
    copy = released(signed)
    report = verify_copy(copy, test_pki)
    assert report.errors == ()
    assert "rc_contact_address" in report.facts["withheld"]
    assert b"4417 Coronado Vista Lane" not in copy


def test_reserve_contact_address_without_a_type_is_withheld(signer: pki.Signer) -> None:
    contact = Address(lines=("4417 Coronado Vista Lane",), city="Chula Vista", state="CA")
    record = factories.reserve_record(contact_address=contact, contact_address_type=None)
    root = xmlsafe.parse_bytes(sign_record(record, signer), "signed")
    assert "rc_contact_address" in redaction.withheld_fields(root, host_nation())
