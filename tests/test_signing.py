"""``ictb.signing.sign``: the certifying signature of Encl. 4 §5f(12), at library level.

What is signed (the brief, the §5f(12) block, salted digests of the personal values),
what stays outside it (the values and their salts), and everything ``sign`` refuses.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt

import pytest
from lxml import etree

from ictb import check, disclosure, ictb_xml, keys, policy, signing, verify, xmldsig, xmlsafe
from ictb.errors import IctbError, InputError, KeyMaterialError
from ictb.model import Brief, Certification, Release
from tests import factories, pki

SIGNED_AT = pki.SIGNED_AT  # 2026-11-22T14:30Z, the factories' as-of day
POLICY = policy.default()
PERSONAL_FIELDS = {"ssn", "dob", "home_address", "home_phone", "dea_number"}


@pytest.fixture(scope="module")
def test_pki() -> pki.Pki:
    return pki.make_pki()


@pytest.fixture(scope="module")
def signer(test_pki: pki.Pki) -> pki.Signer:
    return test_pki.signer()


def complete_brief(**overrides: object) -> Brief:
    return factories.build_brief(factories.complete_record(), **overrides)


def sign(brief: Brief, signer: pki.Signer, **kwargs: object) -> signing.SignResult:
    options: dict[str, object] = {"signed_at": SIGNED_AT, "policy": POLICY}
    options.update(kwargs)
    return signing.sign(brief, "test.ictb.xml", signer.material, **options)  # type: ignore[arg-type]


def signed_bytes(brief: Brief, signer: pki.Signer, **kwargs: object) -> bytes:
    result = sign(brief, signer, **kwargs)
    assert result.xml is not None, result.report.codes()
    return result.xml


def q(name: str) -> str:
    return ictb_xml.q(name)


def parts(xml: bytes) -> tuple[etree._Element, etree._Element]:
    root = xmlsafe.parse_bytes(xml, "signed")
    body = root.find(q("brief"))
    assert body is not None
    return root, body


def verify_options(test_pki: pki.Pki, *, content: bool = True) -> verify.VerifyOptions:
    checks = check.CheckOptions(as_of=factories.AS_OF, policy=POLICY) if content else None
    return verify.VerifyOptions(test_pki.trust(), factories.AS_OF, POLICY, checks)


# ---------------------------------------------------------------- what a signature is


def test_signed_ictb_verifies(test_pki: pki.Pki, signer: pki.Signer) -> None:
    result = sign(complete_brief(), signer)
    assert result.xml is not None
    assert result.report.errors == ()
    outcome = verify.verify(result.xml, "signed", verify_options(test_pki))
    assert outcome.report.errors == (), outcome.report.codes()
    assert outcome.report.accepted()
    facts = outcome.report.facts
    assert facts["signer"]["name"] == keys.common_name(signer.certificate)
    assert facts["signer"]["fingerprint_sha256"] == keys.fingerprint(signer.certificate)
    assert facts["signed_at"] == "2026-11-22T14:30:00Z"
    assert facts["withheld"] == []
    assert outcome.brief is not None and outcome.brief.document_id == factories.DOCUMENT_ID


def test_rsa_signer_verifies_too() -> None:
    rsa_pki = pki.make_pki("RSA Test CA", algorithm="rsa")
    rsa_signer = rsa_pki.signer(algorithm="rsa")
    xml = signed_bytes(complete_brief(), rsa_signer)
    outcome = verify.verify(xml, "signed", verify_options(rsa_pki))
    assert outcome.report.errors == (), outcome.report.codes()
    assert outcome.report.facts["signer"]["signature_method"].endswith("rsa-sha256")


def test_signed_document_is_schema_valid_and_marked_signed(signer: pki.Signer) -> None:
    brief = ictb_xml.load("signed.xml", signed_bytes(complete_brief(), signer))
    assert brief.signed
    assert brief.provider is not None and brief.provider.ssn == factories.SSN


def test_the_signature_covers_the_brief(signer: pki.Signer) -> None:
    root, body = parts(signed_bytes(complete_brief(), signer))
    verified = xmldsig.verify(root, body)
    assert verified.signed_bytes == xmldsig.c14n(body)
    assert verified.signer == signer.certificate
    (signature,) = root.findall(xmldsig.ds("Signature"))
    reference = signature.find(f"{xmldsig.ds('SignedInfo')}/{xmldsig.ds('Reference')}")
    assert reference is not None and reference.get("URI") == "#" + body.get("Id", "")


def test_certification_block_in_the_signed_content(signer: pki.Signer) -> None:
    at = SIGNED_AT.replace(microsecond=654321)
    root, body = parts(signed_bytes(complete_brief(), signer, signed_at=at))
    signed_body = xmlsafe.parse_bytes(xmldsig.verify(root, body).signed_bytes, "signed")
    block = signed_body.find(q("certification"))
    assert block is not None
    assert block.findtext(q("name")) == "CAPT Lorraine P. Abernathy, MC, USN"
    assert block.findtext(q("role")) == "MTF Commander"
    assert block.findtext(q("signed_on")) == "2026-11-22"
    assert block.findtext(q("signed_at")) == "2026-11-22T14:30:00Z"


def test_signer_name_and_role_given_at_signing(signer: pki.Signer) -> None:
    xml = signed_bytes(
        complete_brief(),
        signer,
        signer_name="CAPT Morgan A. Reyes, MC, USN",
        signer_role="Acting MTF Commander",
    )
    certification = ictb_xml.load("signed.xml", xml).certification
    assert certification == Certification(
        name="CAPT Morgan A. Reyes, MC, USN",
        role="Acting MTF Commander",
        signed_on=dt.date(2026, 11, 22),
        signed_at=SIGNED_AT,
    )


def test_signing_date_is_the_signing_day_not_the_issue_day(signer: pki.Signer) -> None:
    brief = complete_brief(issued_on=dt.date(2026, 11, 20))
    later = dt.datetime(2026, 11, 23, 9, 5, tzinfo=dt.UTC)
    certification = ictb_xml.load("s", signed_bytes(brief, signer, signed_at=later)).certification
    assert certification is not None
    assert certification.signed_on == dt.date(2026, 11, 23)
    assert certification.signed_at == later


# ---------------------------------------------------------------- salted digests


def salts(xml: bytes) -> dict[str, bytes]:
    root, _ = parts(xml)
    out = {}
    for value in disclosure.values(root).values():
        out[value.get("field", "")] = base64.b64decode(value.get("salt", ""), validate=True)
    return out


def digests(xml: bytes) -> dict[str, bytes]:
    _, body = parts(xml)
    return {
        name: base64.b64decode(slot.get("digest", ""), validate=True)
        for name, slot in disclosure.slots(body)
    }


def test_every_personal_value_gets_a_fresh_salt(signer: pki.Signer) -> None:
    xml = signed_bytes(complete_brief(), signer)
    found = salts(xml)
    assert set(found) == PERSONAL_FIELDS
    assert all(len(salt) >= 16 for salt in found.values())
    assert len(set(found.values())) == len(found)  # one salt per value, never shared
    assert set(digests(xml)) == PERSONAL_FIELDS


def test_two_signings_give_different_salts_and_digests(signer: pki.Signer) -> None:
    brief = complete_brief()
    first, second = signed_bytes(brief, signer), signed_bytes(brief, signer)
    salts1, salts2 = salts(first), salts(second)
    digests1, digests2 = digests(first), digests(second)
    for name in PERSONAL_FIELDS:
        assert salts1[name] != salts2[name], name
        assert digests1[name] != digests2[name], name


def test_salted_digest_binds_the_field_name(signer: pki.Signer) -> None:
    root, body = parts(signed_bytes(complete_brief(), signer))
    by_id = disclosure.values(root)
    checked = 0
    for name, slot in disclosure.slots(body):
        value = by_id[slot.get("ref", "")]
        salt = base64.b64decode(value.get("salt", ""))
        certified = base64.b64decode(slot.get("digest", ""))
        assert disclosure.digest(name, salt, value) == certified
        other = "dob" if name != "dob" else "ssn"
        assert disclosure.digest(other, salt, value) != certified
        assert disclosure.digest(name, bytes(len(salt)), value) != certified
        checked += 1
    assert checked == len(PERSONAL_FIELDS)


def ssn_forms() -> list[str]:
    digits = factories.SSN.replace("-", "")
    return [factories.SSN, digits, f"{digits[:3]} {digits[3:5]} {digits[5:]}"]


def dob_forms() -> list[str]:
    d = factories.DOB
    return [
        d.isoformat(),
        d.strftime("%m/%d/%Y"),
        f"{d.month}/{d.day}/{d.year}",
        d.strftime("%d %b %Y"),
        d.strftime("%d%b%Y").upper(),
        d.strftime("%Y%m%d"),
    ]


def phone_forms() -> list[str]:
    digits = factories.HOME_PHONE.replace("-", "")
    return [factories.HOME_PHONE, digits, f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"]


SENSITIVE = [
    *(("ssn", s) for s in ssn_forms()),
    *(("dob", s) for s in dob_forms()),
    ("home_address", factories.HOME_LINE),
    ("home_address", "Palm Crest"),
    ("home_phone", "555-0134"),
    *(("home_phone", s) for s in phone_forms()),
    ("dea_number", factories.DEA),
    ("dea_number", factories.DEA.lower()),
]


@pytest.mark.parametrize(("field", "text"), SENSITIVE, ids=[f"{f}:{t}" for f, t in SENSITIVE])
def test_signed_brief_holds_no_personal_value(signer: pki.Signer, field: str, text: str) -> None:
    xml = signed_bytes(complete_brief(), signer)
    root, body = parts(xml)
    canonical = xmldsig.c14n(body).decode("utf-8")
    assert text.casefold() not in canonical.casefold()
    # ...while the value itself is in the document, outside the signed content.
    personal = root.find(q("personal_data"))
    assert personal is not None
    outside = etree.tostring(personal, encoding="unicode")
    if text in (factories.SSN, factories.DOB.isoformat(), factories.HOME_LINE, factories.DEA):
        assert text in outside
    assert field in {v.get("field") for v in personal}


def test_a_copy_without_a_value_still_verifies(test_pki: pki.Pki, signer: pki.Signer) -> None:
    root, _ = parts(signed_bytes(complete_brief(), signer))
    personal = root.find(q("personal_data"))
    assert personal is not None
    for value in list(personal):
        if value.get("field") in ("ssn", "dob"):
            personal.remove(value)
    copy = xmlsafe.serialize(root, pretty=False)
    outcome = verify.verify(copy, "copy", verify_options(test_pki, content=False))
    assert outcome.report.errors == (), outcome.report.codes()
    assert outcome.report.facts["withheld"] == ["dob", "ssn"]
    assert "RED-010" in outcome.report.codes()


def test_a_changed_value_does_not_verify(test_pki: pki.Pki, signer: pki.Signer) -> None:
    xml = signed_bytes(complete_brief(), signer)
    changed = xml.replace(factories.SSN.encode(), b"912-47-3087")
    assert changed != xml
    outcome = verify.verify(changed, "changed", verify_options(test_pki, content=False))
    assert "ICTB-040" in outcome.report.codes()
    assert not outcome.report.accepted()


def test_signing_leaves_the_brief_unchanged(signer: pki.Signer) -> None:
    brief = complete_brief()
    before = dataclasses.replace(brief)
    sign(brief, signer)
    assert brief == before


# ---------------------------------------------------------------- content refusals


def refused(result: signing.SignResult, code: str) -> None:
    assert result.xml is None
    assert code in result.report.codes(), result.report.codes()
    assert not result.report.accepted()


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"observer": None}, "ICTB-009"),
        ({"purpose": None}, "ICTB-008"),
        ({"point_of_contact": None}, "ICTB-011"),
        ({"npdb": None, "hipdb": None}, "ICTB-007"),
        ({"certification": None}, "ICTB-012"),
        ({"life_support": None}, "ICTB-005"),
    ],
    ids=["no-observer", "no-purpose", "no-poc", "no-npdb", "no-certifier", "no-life-support"],
)
def test_incomplete_brief_is_refused(signer: pki.Signer, overrides: dict, code: str) -> None:
    refused(sign(complete_brief(**overrides), signer), code)


def test_provider_without_ssn_is_refused(signer: pki.Signer) -> None:
    brief = complete_brief()
    assert brief.provider is not None
    no_ssn = dataclasses.replace(brief, provider=dataclasses.replace(brief.provider, ssn=None))
    refused(sign(no_ssn, signer), "ICTB-001")


def test_reservist_without_reserve_block_is_refused(signer: pki.Signer) -> None:
    brief = factories.build_brief(factories.reserve_record(), reserve=None)
    refused(sign(brief, signer), "ICTB-013")


def test_incomplete_reserve_block_is_only_a_warning(signer: pki.Signer) -> None:
    brief = factories.build_brief(factories.reserve_record(civ_position=None))
    result = sign(brief, signer)
    assert "ICTB-014" in result.report.codes()
    assert result.xml is not None


def test_certifier_given_at_signing_completes_the_block(signer: pki.Signer) -> None:
    brief = complete_brief(certification=None)
    result = sign(brief, signer, signer_name="CAPT Morgan A. Reyes", signer_role="MTF Commander")
    assert result.xml is not None, result.report.codes()


def test_privileges_expired_before_the_signing_day(signer: pki.Signer) -> None:
    brief = complete_brief(
        issued_on=dt.date(2026, 11, 20),
        privileges=factories.privileges(expires_on=dt.date(2026, 11, 21)),
    )
    result = sign(brief, signer)
    refused(result, "ICTB-032")
    (why,) = [f for f in result.report.findings if f.code == "ICTB-032"]
    assert "certified on 2026-11-22" in why.message


def test_privileges_expiring_on_the_signing_day_still_current(signer: pki.Signer) -> None:
    brief = complete_brief(
        issued_on=dt.date(2026, 11, 20),
        privileges=factories.privileges(expires_on=dt.date(2026, 11, 22)),
    )
    result = sign(brief, signer)
    assert "ICTB-032" not in result.report.codes()
    assert result.xml is not None


def test_privileges_not_yet_granted_on_the_signing_day(signer: pki.Signer) -> None:
    brief = complete_brief(privileges=factories.privileges(granted_on=dt.date(2026, 11, 23)))
    refused(sign(brief, signer), "ICTB-032")


@pytest.mark.parametrize(
    "remarks",
    [
        f"Provider SSN {factories.SSN} on file.",
        f"DOB {factories.DOB:%m/%d/%Y}.",
        f"DEA registration {factories.DEA} is fee-exempt.",
    ],
    ids=["ssn", "dob", "dea"],
)
def test_identifier_in_free_text_is_refused(signer: pki.Signer, remarks: str) -> None:
    refused(sign(complete_brief(remarks=remarks), signer), "RED-020")


def test_identifier_in_observer_statement_is_refused(signer: pki.Signer) -> None:
    observer = factories.observer(statement=f"Dr. Castellano (SSN {factories.SSN}) is excellent.")
    refused(sign(complete_brief(observer=observer), signer), "RED-020")


def test_weak_identifier_match_warns_but_signs(signer: pki.Signer) -> None:
    result = sign(complete_brief(remarks="Badge reference 318204567."), signer)
    assert "RED-021" in result.report.codes()
    assert "RED-020" not in result.report.codes()
    assert result.xml is not None


def test_schema_invalid_brief_is_refused(signer: pki.Signer) -> None:
    with pytest.raises(InputError) as raised:
        sign(complete_brief(document_id="not-a-uuid"), signer)
    assert raised.value.code == "INPUT-004"
    assert "document_id" in raised.value.message


# ---------------------------------------------------------------- key material refusals


def test_expired_certificate(test_pki: pki.Pki) -> None:
    old = test_pki.signer(days=30)  # 2026-01-01 .. 2026-01-31
    with pytest.raises(KeyMaterialError, match="not valid at 2026-11-22T14:30:00Z"):
        sign(complete_brief(), old)


def test_certificate_not_yet_valid(test_pki: pki.Pki) -> None:
    future = test_pki.signer(not_before=SIGNED_AT + dt.timedelta(minutes=1))
    with pytest.raises(KeyMaterialError, match="not valid"):
        sign(complete_brief(), future)


def test_certificate_valid_from_the_signing_instant(test_pki: pki.Pki) -> None:
    exact = test_pki.signer(not_before=SIGNED_AT)
    assert sign(complete_brief(), exact).xml is not None


def test_certificate_without_digital_signature(test_pki: pki.Pki) -> None:
    no_ds = test_pki.signer(digital_signature=False)
    with pytest.raises(KeyMaterialError, match="digitalSignature"):
        sign(complete_brief(), no_ds)


def test_key_that_does_not_match_the_certificate(signer: pki.Signer) -> None:
    wrong = pki.Signer(keys.SigningMaterial(keys.generate_key(), signer.certificate), signer.ca)
    with pytest.raises(KeyMaterialError, match="does not belong"):
        sign(complete_brief(), wrong)


def test_check_material_accepts_a_good_signer(signer: pki.Signer) -> None:
    signing.check_material(signer.material, SIGNED_AT)  # no exception


# ---------------------------------------------------------------- document refusals


def test_already_signed_ictb(signer: pki.Signer) -> None:
    brief = ictb_xml.load("signed.xml", signed_bytes(complete_brief(), signer))
    with pytest.raises(IctbError, match="already signed") as raised:
        sign(brief, signer)
    assert not isinstance(raised.value, KeyMaterialError)


def test_brief_read_by_verify_is_already_signed(test_pki: pki.Pki, signer: pki.Signer) -> None:
    xml = signed_bytes(complete_brief(), signer)
    brief = verify.verify(xml, "signed", verify_options(test_pki, content=False)).brief
    assert brief is not None
    with pytest.raises(IctbError, match="already signed"):
        sign(brief, test_pki.signer(facility_name="Naval Hospital Camp Pendleton"))


def test_release_copy(signer: pki.Signer) -> None:
    release = Release(
        target="Republic of the Philippines",
        released_on=dt.date(2026, 11, 22),
        official="CDR Alan Pierce",
        withheld_categories=("ssn", "dob", "home_address", "dea"),
    )
    with pytest.raises(IctbError, match="release copy"):
        sign(complete_brief(release=release), signer)


def test_copy_with_withheld_values(signer: pki.Signer) -> None:
    with pytest.raises(IctbError, match="release copy"):
        sign(complete_brief(withheld=frozenset({"ssn"})), signer)
