"""`verify` against a hostile sender: every known trick against an XMLDSig consumer.

Each attack starts from a genuine ICTB signed by a trusted facility and changes it the
way an attacker would.  A rejected document has an error with the expected code in its
report (nothing raises), a one-line message that says what is wrong, and no SSN, date
of birth, home address, home phone or DEA number in any message.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import hmac
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from ictb import build, disclosure, ictb_xml, keys, policy, signing, verify, xmldsig, xmlsafe
from ictb.errors import InputError
from ictb.findings import Finding, Report, Severity
from ictb.model import Brief
from tests import factories, pki
from tests.conftest import CliResult

NS = ictb_xml.NS
DS = xmldsig.DS
NSMAP = {"i": NS, "ds": DS}
HOSTILE = Path(__file__).resolve().parent / "data" / "hostile"

DOB_TEXT = factories.DOB.isoformat()
# Every personal value of the test provider, and the altered values the attacks use:
# none of them may appear in a message or a location.
SENSITIVE = (
    factories.SSN,
    factories.SSN.replace("-", ""),
    "912-47-3087",
    DOB_TEXT,
    "1984-04-13",
    factories.HOME_LINE,
    "2293 Palm Crest Drive",
    "Palm Crest",
    factories.HOME_PHONE,
    "619-555-0135",
    factories.DEA,
    factories.dea_number("FC", "471933"),
)

RSA_SHA1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
ECDSA_SHA1 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1"
RSA_MD5 = "http://www.w3.org/2001/04/xmldsig-more#rsa-md5"
HMAC_SHA1 = "http://www.w3.org/2000/09/xmldsig#hmac-sha1"
HMAC_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256"
DSA_SHA1 = "http://www.w3.org/2000/09/xmldsig#dsa-sha1"
RSA_PSS = "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1"
ECDSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
SHA1 = "http://www.w3.org/2000/09/xmldsig#sha1"
MD5 = "http://www.w3.org/2001/04/xmldsig-more#md5"
SHA224 = "http://www.w3.org/2001/04/xmldsig-more#sha224"
SHA256 = xmldsig.DIGEST_SHA256
C14N_WITH_COMMENTS = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments"
INCLUSIVE_C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
XPATH = "http://www.w3.org/TR/1999/REC-xpath-19991116"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"


# ---------------------------------------------------------------- the genuine ICTB


@dataclasses.dataclass(frozen=True)
class World:
    ca: pki.Pki
    signer: pki.Signer
    signed: bytes  # the genuine signed ICTB
    expected: Brief  # the brief it certifies, as read from the untouched document

    def verify(
        self,
        data: bytes,
        *,
        trust: keys.TrustStore | None = None,
        as_of: dt.date = factories.AS_OF,
    ) -> verify.Verification:
        options = verify.VerifyOptions(trust or self.ca.trust(), as_of, policy.default(), None)
        return verify.verify(data, "attack.ictb.xml", options)


def sign_brief(
    signer: pki.Signer,
    record: Any = None,
    *,
    signed_at: dt.datetime = pki.SIGNED_AT,
) -> bytes:
    """A genuine ICTB, certified by ``signer`` through ``ictb.signing.sign``."""
    brief = build.assemble(
        record or factories.complete_record(),
        factories.assignment(),
        issued_on=factories.AS_OF,
        document_id=factories.DOCUMENT_ID,
    )
    result = signing.sign(brief, "x", signer.material, signed_at=signed_at, policy=policy.default())
    assert result.xml is not None, result.report
    return result.xml


@pytest.fixture(scope="module")
def world() -> World:
    ca = pki.make_pki()
    signer = ca.signer()
    signed = sign_brief(signer)
    expected = ictb_xml.from_element(xmlsafe.parse_bytes(signed), "genuine")
    return World(ca, signer, signed, expected)


# ---------------------------------------------------------------- helpers


def q(name: str) -> str:
    return f"{{{NS}}}{name}"


def parse(data: bytes) -> etree._Element:
    return xmlsafe.parse_bytes(data, "test")


def dump(root: etree._Element) -> bytes:
    return xmlsafe.serialize(root, pretty=False)


def one(root: etree._Element, path: str) -> etree._Element:
    found = root.xpath(path, namespaces=NSMAP)
    assert isinstance(found, list) and len(found) == 1, f"{path}: {found}"
    node = found[0]
    assert isinstance(node, etree._Element)
    return node


def edit(data: bytes, change: Callable[[etree._Element], None]) -> bytes:
    root = parse(data)
    change(root)
    out = dump(root)
    assert out != data, "the attack changed nothing"
    return out


def brief_of(root: etree._Element) -> etree._Element:
    return one(root, "/i:ictb/i:brief")


def signature_of(root: etree._Element) -> etree._Element:
    return one(root, "/i:ictb/ds:Signature")


def value_of(root: etree._Element, ref: str) -> etree._Element:
    return one(root, f"/i:ictb/i:personal_data/i:value[@id='{ref}']")


def set_text(path: str, text: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        one(root, path).text = text

    return change


def resign(
    root: etree._Element, key: keys.PrivateKey, certificates: list[x509.Certificate]
) -> etree._Element:
    """Replace the signature with one made by ``key`` (an attacker's, or a bad one)."""
    old = signature_of(root)
    root.remove(old)
    xmldsig.sign(root, brief_of(root), key, certificates, before=root.find(q("release")))
    return root


def same_content(read: Brief, signed: Brief) -> bool:
    """The same certified content; the ``signed`` flag has its own test."""
    return dataclasses.replace(read, signed=signed.signed) == signed


def assert_clean(report: Report) -> None:
    """One line per message, saying something, and no personal value anywhere."""
    for item in report.findings:
        assert item.message and item.message == item.message.strip(), item
        assert "\n" not in item.message and "\r" not in item.message, item
        for secret in SENSITIVE:
            assert secret not in item.message, (secret, item)
            assert secret not in (item.location or ""), (secret, item)


def rejected(world: World, data: bytes, code: str, **kwargs: Any) -> Finding:
    """Verify ``data`` (it must not raise) and return its error with ``code``."""
    result = world.verify(data, **kwargs)
    report = result.report
    assert not report.accepted(), f"accepted: {report.findings}"
    matching = [f for f in report.errors if f.code == code]
    assert matching, f"expected an error {code}, got {[(f.code, f.message) for f in report.errors]}"
    assert_clean(report)
    if code in ("ICTB-040", "INPUT-004"):
        # Nothing is read from a document whose signature did not verify.
        assert result.brief is None
    return matching[0]


# ---------------------------------------------------------------- baseline


def test_the_genuine_ictb_verifies(world: World) -> None:
    result = world.verify(world.signed)
    assert result.report.findings == ()
    assert result.report.accepted(strict=True)
    assert result.brief is not None and result.brief.provider is not None
    assert same_content(result.brief, world.expected)
    assert result.brief.provider.ssn == factories.SSN
    assert result.report.facts["withheld"] == []


def test_the_verified_brief_is_marked_signed(world: World) -> None:
    # A verified brief handed back to `sign` must be refused as already signed.
    result = world.verify(world.signed)
    assert result.brief is not None
    assert result.brief.signed is True


def test_a_copy_with_values_withheld_still_verifies(world: World) -> None:
    withheld = ("pd-ssn", "pd-dob", "pd-home_address", "pd-dea_number")

    def drop(root: etree._Element) -> None:
        for ref in withheld:
            node = value_of(root, ref)
            parent = node.getparent()
            assert parent is not None
            parent.remove(node)

    result = world.verify(edit(world.signed, drop))
    report = result.report
    assert report.errors == () and report.warnings == ()
    (info,) = report.findings
    assert info.code == "RED-010" and info.severity is Severity.INFO
    assert info.message == "withheld from this copy: dea_number, dob, home_address, ssn"
    assert report.facts["withheld"] == ["dea_number", "dob", "home_address", "ssn"]
    assert report.facts["release_copy"] is True
    assert_clean(report)
    brief = result.brief
    assert brief is not None and brief.provider is not None
    assert (brief.provider.ssn, brief.provider.dob, brief.provider.home_address) == (
        None,
        None,
        None,
    )
    assert brief.provider.home_phone == factories.HOME_PHONE  # still disclosed, and checked
    assert brief.withheld == frozenset({"ssn", "dob", "home_address", "dea_number"})


# ---------------------------------------------------------------- signed content changed


def _rename(path: str, new: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        one(root, path).tag = q(new)

    return change


def _remove(path: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        node = one(root, path)
        parent = node.getparent()
        assert parent is not None
        parent.remove(node)

    return change


def _add_privilege(root: etree._Element) -> None:
    last = one(root, "//i:privileges/i:privilege[last()]")
    extra = etree.Element(q("privilege"))
    extra.text = "Cardiothoracic surgery core privileges"
    extra.tail = last.tail
    last.addnext(extra)


def _set_attribute(path: str, name: str, value: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        one(root, path).set(name, value)

    return change


def _digest_of_dob_on_ssn_slot(root: etree._Element) -> None:
    ssn, dob = one(root, "//i:provider/i:ssn"), one(root, "//i:provider/i:dob")
    ssn.set("digest", dob.get("digest", ""))


def _indent_more(root: etree._Element) -> None:
    brief_of(root).text = (brief_of(root).text or "") + " "


SIGNED_CONTENT_CHANGES = {
    "text-value-privileges-expiry": set_text("//i:privileges/i:expires_on", "2028-06-30"),
    "text-value-family-name": set_text("//i:provider/i:name/i:family", "Castellana"),
    "text-value-npdb-reported": set_text("//i:npdb/i:reported", "true"),
    "text-value-document-id": set_text("//i:brief/i:document_id", factories.DOCUMENT_ID[:-1] + "2"),
    "attribute-added": _set_attribute("//i:provider", "source", "manual"),
    "attribute-slot-ref": _set_attribute("//i:provider/i:home_phone", "ref", "pd-dob"),
    "attribute-slot-digest": _digest_of_dob_on_ssn_slot,
    "attribute-slot-digest-zeroed": _set_attribute(
        "//i:provider/i:ssn", "digest", base64.b64encode(bytes(32)).decode()
    ),
    "element-renamed": _rename("//i:provider/i:rank", "rating"),
    "element-added": _add_privilege,
    "element-removed": _remove("//i:provider/i:name/i:middle"),
    "section-removed": _remove("//i:brief/i:observer"),
    "whitespace-inside-text": set_text("//i:provider/i:name/i:family", "Castellano "),
    "whitespace-between-elements": _indent_more,
    "signer-name": set_text("//i:certification/i:name", "CAPT Lorraine P. Abernathey, MC, USN"),
    "signer-role": set_text("//i:certification/i:role", "Acting Commander"),
    "signed-on": set_text("//i:certification/i:signed_on", "2026-11-21"),
    "signed-at": set_text("//i:certification/i:signed_at", "2026-11-22T09:30:00Z"),
}


@pytest.mark.parametrize("change", SIGNED_CONTENT_CHANGES.values(), ids=SIGNED_CONTENT_CHANGES)
def test_a_change_to_the_signed_content_is_rejected(
    world: World, change: Callable[[etree._Element], None]
) -> None:
    error = rejected(world, edit(world.signed, change), "ICTB-040")
    assert error.message == "the signed content was changed after signing (digest mismatch)"


def _changed_text_nodes(data: bytes) -> Iterator[tuple[str, bytes]]:
    """Every text value and attribute of the signed brief, with one character changed."""
    root = parse(data)
    nodes = list(brief_of(root).iter())
    for index, node in enumerate(nodes):
        if (node.text or "").strip():
            copy = parse(data)
            target = list(brief_of(copy).iter())[index]
            target.text = _change_one_character(target.text or "")
            yield f"{etree.QName(node).localname} text", dump(copy)
        for name, value in node.attrib.items():
            copy = parse(data)
            target = list(brief_of(copy).iter())[index]
            target.set(name, _change_one_character(value))
            yield f"{etree.QName(node).localname}/@{name}", dump(copy)


def _change_one_character(text: str) -> str:
    # The last letter or digit, to another of the same kind, so that most values still
    # fit the schema and the signature check is what rejects them.
    for position in range(len(text) - 1, -1, -1):
        char = text[position]
        if char.isdigit():
            new = "0" if char != "0" else "1"
        elif char.isalpha():
            new = "a" if char.lower() != "a" else "b"
        else:
            continue
        return text[:position] + new + text[position + 1 :]
    return text + "x"


def test_every_text_value_and_attribute_of_the_brief_is_covered(world: World) -> None:
    changed = list(_changed_text_nodes(world.signed))
    assert len(changed) > 100  # the whole brief, not a sample
    for where, data in changed:
        result = world.verify(data)
        codes = {f.code for f in result.report.errors}
        # A changed enumeration or date may already fail the schema (INPUT-004).
        assert codes & {"ICTB-040", "INPUT-004"}, (where, result.report.findings)
        assert result.brief is None, where
        assert_clean(result.report)


# ---------------------------------------------------------------- disclosed values changed


def _swap_attribute(name: str, first: str, second: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        a, b = value_of(root, first), value_of(root, second)
        x, y = a.get(name, ""), b.get(name, "")
        a.set(name, y)
        b.set(name, x)

    return change


def _ssn_under_dob_slot(root: etree._Element) -> None:
    _remove("/i:ictb/i:personal_data/i:value[@id='pd-dob']")(root)
    value_of(root, "pd-ssn").set("id", "pd-dob")


def _ssn_as_dob(root: etree._Element) -> None:
    # Moved and relabelled: the SSN's value and salt presented as the date of birth.
    _remove("/i:ictb/i:personal_data/i:value[@id='pd-dob']")(root)
    value = value_of(root, "pd-ssn")
    value.set("id", "pd-dob")
    value.set("field", "dob")


def _salt(transform: Callable[[bytes], bytes | None]) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        value = value_of(root, "pd-ssn")
        salt = transform(base64.b64decode(value.get("salt", "")))
        if salt is None:
            del value.attrib["salt"]
        else:
            value.set("salt", base64.b64encode(salt).decode())

    return change


def _extra_value(ref: str, field: str, text: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        container = one(root, "/i:ictb/i:personal_data")
        value = etree.SubElement(container, q("value"), id=ref, field=field)
        value.set("salt", base64.b64encode(os.urandom(16)).decode())
        etree.SubElement(value, q("text")).text = text

    return change


DISCLOSED_VALUE_CHANGES = {
    "ssn-digit": set_text("//i:value[@id='pd-ssn']/i:text", "912-47-3087"),
    "dob-day": set_text("//i:value[@id='pd-dob']/i:text", "1984-04-13"),
    "address-line": set_text("//i:value[@id='pd-home_address']//i:line", "2293 Palm Crest Drive"),
    "address-city": set_text("//i:value[@id='pd-home_address']//i:city", "San Diego"),
    "dea-number": set_text(
        "//i:value[@id='pd-dea_number']/i:text", factories.dea_number("FC", "471933")
    ),
    "home-phone": set_text("//i:value[@id='pd-home_phone']/i:text", "619-555-0135"),
    "fields-swapped": _swap_attribute("field", "pd-ssn", "pd-dob"),
    "ids-swapped": _swap_attribute("id", "pd-ssn", "pd-dob"),
    "ssn-moved-under-dob-slot": _ssn_under_dob_slot,
    "ssn-relabelled-as-dob": _ssn_as_dob,
    "salts-swapped": _swap_attribute("salt", "pd-ssn", "pd-dob"),
    "salt-removed": _salt(lambda salt: None),
    "salt-empty": _salt(lambda salt: b""),
    "salt-shortened-to-8-bytes": _salt(lambda salt: salt[:8]),
    "salt-shortened-to-15-bytes": _salt(lambda salt: salt[:15]),
    "salt-replaced": _salt(lambda salt: bytes(b ^ 1 for b in salt)),
    "extra-value-bound-to-no-slot": _extra_value("pd-ssn-2", "ssn", "912-47-3087"),
    "extra-dea-bound-to-no-slot": _extra_value(
        "pd-dea_number-2", "dea_number", factories.dea_number("FC", "471933")
    ),
}


@pytest.mark.parametrize("change", DISCLOSED_VALUE_CHANGES.values(), ids=DISCLOSED_VALUE_CHANGES)
def test_a_changed_or_misplaced_disclosed_value_is_rejected(
    world: World, change: Callable[[etree._Element], None]
) -> None:
    error = rejected(world, edit(world.signed, change), "ICTB-040")
    assert error.location == "/ictb/personal_data"


def test_a_short_salt_is_named_as_the_problem(world: World) -> None:
    # A digest with a short salt is guessable (RED-007): refused even before comparing.
    error = rejected(world, edit(world.signed, _salt(lambda salt: salt[:8])), "ICTB-040")
    assert error.message == "the ssn value has no salt of 128 bits or more"


def test_a_short_salt_is_refused_even_when_the_signer_certified_it(world: World) -> None:
    # A non-conforming signing tool used an 8-byte salt and signed the matching digest:
    # the signature and the digest are right, yet the SSN is guessable from the slot.
    root = parse(world.signed)
    value = value_of(root, "pd-ssn")
    salt = os.urandom(8)
    value.set("salt", base64.b64encode(salt).decode())
    one(root, "//i:provider/i:ssn").set(
        "digest", base64.b64encode(disclosure.digest("ssn", salt, value)).decode()
    )
    resign(root, world.signer.material.key, [world.signer.certificate])
    error = rejected(world, dump(root), "ICTB-040")
    assert error.message == "the ssn value has no salt of 128 bits or more"


def test_a_value_under_another_fields_slot_is_named_as_the_problem(world: World) -> None:
    error = rejected(world, edit(world.signed, _ssn_under_dob_slot), "ICTB-040")
    assert error.message == "the value under the dob slot is marked 'ssn'"


def _duplicate_value(first: bool) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        genuine = value_of(root, "pd-ssn")
        forged = parse(etree.tostring(genuine))
        forged_text = one(forged, "/i:value/i:text")
        forged_text.text = "912-47-3087"
        if first:
            genuine.addprevious(forged)
        else:
            genuine.addnext(forged)

    return change


def test_a_second_value_with_the_same_id_after_the_genuine_one_is_rejected(
    world: World,
) -> None:
    rejected(world, edit(world.signed, _duplicate_value(first=False)), "ICTB-040")


def test_a_forged_value_shadowed_by_the_genuine_one_is_rejected(world: World) -> None:
    # The forged value comes first, the genuine one after it with the same id: a check
    # that keeps the last of the two and a reader that takes the first would disagree.
    data = edit(world.signed, _duplicate_value(first=True))
    error = rejected(world, data, "ICTB-040")
    assert error.location == "/ictb/personal_data"


# ---------------------------------------------------------------- signature wrapping


def _forge(brief: etree._Element) -> None:
    one(brief, ".//i:provider/i:name/i:family").text = "Castellana"
    one(brief, ".//i:npdb/i:reported").text = "true"


def _wrap_genuine(where: str, *, same_id: bool = True) -> Callable[[etree._Element], None]:
    """Move the signed brief into ``where`` and put a forged copy in its place."""

    def change(root: etree._Element) -> None:
        genuine = brief_of(root)
        forged = parse(etree.tostring(genuine))
        _forge(forged)
        if not same_id:
            forged.set("Id", "ictb-forged")
        genuine.addprevious(forged)
        if where == "root-object":
            holder = etree.SubElement(root, f"{{{DS}}}Object")
        elif where == "signature-object":
            holder = etree.SubElement(signature_of(root), f"{{{DS}}}Object")
        elif where == "personal-data":
            holder = one(root, "/i:ictb/i:personal_data")
        elif where == "release":
            holder = etree.SubElement(root, q("release"))
        else:
            raise AssertionError(where)
        holder.append(genuine)

    return change


def _id_on(path: str, attribute: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        one(root, path).set(attribute, brief_of(root).get("Id", ""))

    return change


def _evil_object_with_the_brief_id(root: etree._Element) -> None:
    evil = etree.SubElement(root, f"{{{DS}}}Object", Id=brief_of(root).get("Id", ""))
    forged = parse(etree.tostring(brief_of(root)))
    _forge(forged)
    del forged.attrib["Id"]
    evil.append(forged)


def _evil_value_with_the_brief_id(root: etree._Element) -> None:
    _extra_value(brief_of(root).get("Id", ""), "ssn", "912-47-3087")(root)


def _reference_uri(uri: str | Callable[[str], str]) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        target = brief_of(root).get("Id", "")
        one(root, "//ds:Reference").set("URI", uri(target) if callable(uri) else uri)

    return change


def _second_signature(where: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        copy = parse(etree.tostring(signature_of(root)))
        if where == "root":
            signature_of(root).addnext(copy)
        else:
            etree.SubElement(root, f"{{{DS}}}Object").append(copy)

    return change


def _move_signature(path: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        signature = signature_of(root)
        one(root, path).append(signature)

    return change


def _ds_child(parent: str, name: str, **attrib: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        etree.SubElement(one(root, parent), f"{{{DS}}}{name}", attrib)

    return change


def _extra_reference(uri: str | None) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        reference = one(root, "//ds:Reference")
        copy = parse(etree.tostring(reference))
        if uri is not None:
            copy.set("URI", uri)
        reference.addnext(copy)

    return change


def _transform(algorithm: str, *, replace: bool, child: str | None = None) -> Callable[..., None]:
    def change(root: etree._Element) -> None:
        transforms = one(root, "//ds:Transforms")
        if replace:
            for node in list(transforms):
                transforms.remove(node)
        transform = etree.Element(f"{{{DS}}}Transform", Algorithm=algorithm)
        if child is not None:
            etree.SubElement(transform, f"{{{DS}}}XPath").text = child
        transforms.insert(0, transform)

    return change


def _inclusive_namespaces(path: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        etree.SubElement(
            one(root, path),
            f"{{{xmldsig.EXC_C14N}}}InclusiveNamespaces",
            PrefixList="ds",
            nsmap={"ec": xmldsig.EXC_C14N},
        )

    return change


def _key_value_instead_of_certificate(root: etree._Element) -> None:
    key_info = one(root, "//ds:KeyInfo")
    for node in list(key_info):
        key_info.remove(node)
    etree.SubElement(etree.SubElement(key_info, f"{{{DS}}}KeyValue"), f"{{{DS}}}ECKeyValue")


def _retrieval_method(root: etree._Element) -> None:
    key_info = one(root, "//ds:KeyInfo")
    etree.SubElement(key_info, f"{{{DS}}}RetrievalMethod", URI="http://attacker.example/signer.der")


# (change, expected code).  INPUT-004: the schema allows a ds: element only beside the
# brief, so a brief or signature moved elsewhere fails it before the signature is read.
WRAPPING = {
    "forged-brief-genuine-in-root-object": (_wrap_genuine("root-object"), "ICTB-040"),
    "forged-brief-genuine-in-signature-object": (
        _wrap_genuine("signature-object"),
        "ICTB-040",
    ),
    "forged-brief-new-id-genuine-in-root-object": (
        _wrap_genuine("root-object", same_id=False),
        "ICTB-040",
    ),
    "forged-brief-genuine-in-personal-data": (_wrap_genuine("personal-data"), "INPUT-004"),
    "forged-brief-genuine-in-release": (_wrap_genuine("release"), "INPUT-004"),
    "evil-object-with-the-brief-id": (_evil_object_with_the_brief_id, "ICTB-040"),
    "evil-value-with-the-brief-id": (_evil_value_with_the_brief_id, "ICTB-040"),
    "duplicate-id-on-signature": (_id_on("/i:ictb/ds:Signature", "Id"), "ICTB-040"),
    "duplicate-xml-id": (
        _id_on("/i:ictb/ds:Signature", "{http://www.w3.org/XML/1998/namespace}id"),
        "ICTB-040",
    ),
    "duplicate-wsu-id": (_id_on("/i:ictb/ds:Signature/ds:KeyInfo", f"{{{WSU}}}Id"), "ICTB-040"),
    "reference-to-personal-value": (_reference_uri("#pd-ssn"), "ICTB-040"),
    "reference-to-whole-document": (_reference_uri(""), "ICTB-040"),
    "reference-xpointer-root": (_reference_uri("#xpointer(/)"), "ICTB-040"),
    "reference-xpointer-id": (_reference_uri(lambda t: f"#xpointer(id('{t}'))"), "ICTB-040"),
    "reference-external": (_reference_uri("http://attacker.example/brief.xml"), "ICTB-040"),
    "reference-id-other-case": (_reference_uri(lambda t: "#" + t.upper()), "ICTB-040"),
    "reference-without-uri": (
        lambda root: one(root, "//ds:Reference").attrib.pop("URI"),
        "ICTB-040",
    ),
    "second-signature": (_second_signature("root"), "ICTB-040"),
    "second-signature-in-object": (_second_signature("object"), "ICTB-040"),
    "signature-inside-brief": (_move_signature("/i:ictb/i:brief"), "INPUT-004"),
    "signature-inside-personal-data": (_move_signature("/i:ictb/i:personal_data"), "INPUT-004"),
    "object-in-signature": (_ds_child("/i:ictb/ds:Signature", "Object"), "ICTB-040"),
    "manifest-in-signedinfo": (_ds_child("//ds:SignedInfo", "Manifest"), "ICTB-040"),
    "extra-reference-to-personal-value": (_extra_reference("#pd-ssn"), "ICTB-040"),
    "extra-reference-duplicate": (_extra_reference(None), "ICTB-040"),
    "xpath-transform-added": (
        _transform(XPATH, replace=False, child="not(ancestor-or-self::ds:Signature)"),
        "ICTB-040",
    ),
    "enveloped-transform-added": (_transform(ENVELOPED, replace=False), "ICTB-040"),
    "enveloped-transform-instead": (_transform(ENVELOPED, replace=True), "ICTB-043"),
    "no-transform": (
        lambda root: [
            t.getparent().remove(t) for t in root.xpath("//ds:Transform", namespaces=NSMAP)
        ],
        "ICTB-040",
    ),
    "inclusive-namespaces-on-transform": (_inclusive_namespaces("//ds:Transform"), "ICTB-040"),
    "inclusive-namespaces-on-c14n-method": (
        _inclusive_namespaces("//ds:CanonicalizationMethod"),
        "ICTB-040",
    ),
    "key-value-instead-of-certificate": (_key_value_instead_of_certificate, "ICTB-040"),
    "retrieval-method-added": (_retrieval_method, "ICTB-040"),
}


@pytest.mark.parametrize(("change", "code"), WRAPPING.values(), ids=WRAPPING)
def test_signature_wrapping_is_rejected(
    world: World, change: Callable[[etree._Element], None], code: str
) -> None:
    rejected(world, edit(world.signed, change), code)


def test_wrapping_messages_say_what_is_wrong(world: World) -> None:
    def message(change: Callable[[etree._Element], None]) -> str:
        return rejected(world, edit(world.signed, change), "ICTB-040").message

    assert message(_wrap_genuine("root-object")) == (
        "only one ds:Signature may sit beside the brief"
    )
    assert message(_reference_uri("#pd-ssn")) == "the signature does not refer to the brief"
    assert message(_second_signature("root")) == "expected one signature, found 2"
    assert message(_ds_child("/i:ictb/ds:Signature", "Object")) == (
        "ds:Signature must hold exactly SignedInfo, SignatureValue, KeyInfo"
    )
    enveloped = edit(world.signed, _transform(ENVELOPED, replace=True))
    wrong_transform = rejected(world, enveloped, "ICTB-043")
    assert wrong_transform.message == f"transform {ENVELOPED} is not allowed"


# ---------------------------------------------------------------- comments and PIs


def _inject(path: str, node: etree._Element, *, split: bool = True) -> Callable[..., None]:
    """Put ``node`` inside the text of the element at ``path`` (or after it)."""

    def change(root: etree._Element) -> None:
        target = one(root, path)
        injected = parse(b"<x>" + etree.tostring(node) + b"</x>")[0]
        if split:
            text = target.text or ""
            middle = len(text) // 2
            target.text = text[:middle]
            injected.tail = text[middle:]
            target.insert(0, injected)
        else:
            target.addnext(injected)

    return change


COMMENT = etree.Comment(" the canonical form hides this ")
PI = etree.ProcessingInstruction("hidden", "from canonicalization")

INJECTIONS = {
    "comment-in-family-name": _inject("//i:provider/i:name/i:family", COMMENT),
    "pi-in-family-name": _inject("//i:provider/i:name/i:family", PI),
    "comment-in-privilege": _inject("//i:privileges/i:privilege[1]", COMMENT),
    "comment-in-signer-name": _inject("//i:certification/i:name", COMMENT),
    "comment-between-elements": _inject("//i:provider/i:rank", COMMENT, split=False),
    "comment-in-signedinfo": _inject("//ds:Reference", COMMENT, split=False),
}


@pytest.mark.parametrize("change", INJECTIONS.values(), ids=INJECTIONS)
def test_a_comment_or_pi_in_signed_content_is_rejected(
    world: World, change: Callable[[etree._Element], None]
) -> None:
    error = rejected(world, edit(world.signed, change), "ICTB-040")
    assert "comment" in error.message


def test_the_comment_is_rejected_explicitly_not_by_the_digest(world: World) -> None:
    # Canonicalization without comments gives the same bytes: the digest alone would pass.
    data = edit(world.signed, INJECTIONS["comment-in-family-name"])
    assert xmldsig.c14n(brief_of(parse(data))) == xmldsig.c14n(brief_of(parse(world.signed)))
    error = rejected(world, data, "ICTB-040")
    assert error.message.startswith(
        "a comment or processing instruction sits inside the signed content (line "
    )


def _disclosed(brief: Brief, field: str) -> object:
    assert brief.provider is not None and brief.licensure is not None
    if field == "dea_number":
        (dea,) = [c.number for c in brief.licensure.credentials if c.kind.value == "dea"]
        return dea
    return getattr(brief.provider, field)


DISCLOSED_INJECTIONS = {
    "comment-in-ssn": ("//i:value[@id='pd-ssn']/i:text", "ssn"),
    "comment-in-address-line": ("//i:value[@id='pd-home_address']//i:line", "home_address"),
    "comment-in-dea-number": ("//i:value[@id='pd-dea_number']/i:text", "dea_number"),
}


@pytest.mark.parametrize(("path", "field"), DISCLOSED_INJECTIONS.values(), ids=DISCLOSED_INJECTIONS)
def test_a_comment_in_a_disclosed_value_is_not_read_as_certified(
    world: World, path: str, field: str
) -> None:
    # Canonical XML without comments gives the same digest, so the digest alone passes;
    # reading only the text before the comment would truncate the certified value.
    data = edit(world.signed, _inject(path, COMMENT))
    result = world.verify(data)
    if not result.report.accepted():
        assert "ICTB-040" in [f.code for f in result.report.errors]
        assert_clean(result.report)
        return
    # Accepted only if what is read is exactly what was certified.
    assert result.brief is not None
    assert _disclosed(result.brief, field) == _disclosed(world.expected, field)


def test_a_pi_in_a_disclosed_value_is_rejected(world: World) -> None:
    # Processing instructions are part of the canonical form, so the digest catches them.
    data = edit(world.signed, _inject("//i:value[@id='pd-ssn']/i:text", PI))
    rejected(world, data, "ICTB-040")


# ---------------------------------------------------------------- the signature itself


def _signature_value(text: str | Callable[[str], str]) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        node = one(root, "//ds:SignatureValue")
        node.text = text(node.text or "") if callable(text) else text

    return change


def _flip_bit(text: str) -> str:
    raw = bytearray(base64.b64decode(text))
    raw[len(raw) // 2] ^= 0x01
    return base64.b64encode(bytes(raw)).decode()


def _truncate(text: str) -> str:
    return base64.b64encode(base64.b64decode(text)[:-2]).decode()


def _der_ecdsa(text: str) -> str:
    raw = base64.b64decode(text)
    r, s = int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
    return base64.b64encode(encode_dss_signature(r, s)).decode()


SIGNATURE_DAMAGE = {
    "signature-removed": lambda root: root.remove(signature_of(root)),
    "signature-value-empty": _signature_value(""),
    "signature-value-garbage-base64": _signature_value("not base64 at all!!"),
    "signature-value-bit-flipped": _signature_value(_flip_bit),
    "signature-value-truncated": _signature_value(_truncate),
    "signature-value-der-encoded": _signature_value(_der_ecdsa),
    "digest-value-changed": lambda root: setattr(
        one(root, "//ds:DigestValue"), "text", base64.b64encode(bytes(32)).decode()
    ),
    "digest-value-empty": lambda root: setattr(one(root, "//ds:DigestValue"), "text", ""),
    "certificate-removed": lambda root: one(root, "//ds:X509Data").remove(
        one(root, "//ds:X509Certificate")
    ),
    "certificate-garbage": lambda root: setattr(
        one(root, "//ds:X509Certificate"), "text", base64.b64encode(b"not a certificate").decode()
    ),
}


@pytest.mark.parametrize("change", SIGNATURE_DAMAGE.values(), ids=SIGNATURE_DAMAGE)
def test_a_missing_or_damaged_signature_is_rejected(
    world: World, change: Callable[[etree._Element], None]
) -> None:
    rejected(world, edit(world.signed, change), "ICTB-040")


def test_no_signature_says_so(world: World) -> None:
    error = rejected(world, edit(world.signed, SIGNATURE_DAMAGE["signature-removed"]), "ICTB-040")
    assert error.message == "the document has no signature"
    error = rejected(
        world,
        edit(world.signed, SIGNATURE_DAMAGE["signature-value-garbage-base64"]),
        "ICTB-040",
    )
    assert error.message == "SignatureValue is not base64"


# ---------------------------------------------------------------- algorithms


def _sign_with(
    data: bytes,
    key: Any,
    certificates: list[x509.Certificate],
    *,
    method: str,
    digest: str,
    digest_hash: str,
    produce: Callable[[bytes], bytes],
    canonicalization: str = xmldsig.EXC_C14N,
) -> bytes:
    """A correct signature, made with whatever algorithms an attacker or old tool picks."""
    root = parse(data)
    root.remove(signature_of(root))
    brief = brief_of(root)

    def ds(name: str, parent: etree._Element, **attrib: str) -> etree._Element:
        return etree.SubElement(parent, f"{{{DS}}}{name}", attrib)

    signature = etree.SubElement(root, f"{{{DS}}}Signature", nsmap={"ds": DS})
    info = ds("SignedInfo", signature)
    ds("CanonicalizationMethod", info, Algorithm=canonicalization)
    ds("SignatureMethod", info, Algorithm=method)
    reference = ds("Reference", info, URI="#" + brief.get("Id", ""))
    ds("Transform", ds("Transforms", reference), Algorithm=xmldsig.EXC_C14N)
    ds("DigestMethod", reference, Algorithm=digest)
    ds("DigestValue", reference).text = base64.b64encode(
        hashlib.new(digest_hash, xmldsig.c14n(brief)).digest()
    ).decode()
    value = ds("SignatureValue", signature)
    x509_data = ds("X509Data", ds("KeyInfo", signature))
    for cert in certificates:
        ds("X509Certificate", x509_data).text = base64.b64encode(
            cert.public_bytes(Encoding.DER)
        ).decode()
    canonical = etree.tostring(
        info, method="c14n", exclusive=canonicalization != INCLUSIVE_C14N, with_comments=False
    )
    value.text = base64.b64encode(produce(canonical)).decode()
    return dump(root)


def _rsa(algorithm: hashes.HashAlgorithm) -> Callable[[Any], Callable[[bytes], bytes]]:
    return lambda key: lambda data: key.sign(data, padding.PKCS1v15(), algorithm)


def _ecdsa(algorithm: hashes.HashAlgorithm) -> Callable[[Any], Callable[[bytes], bytes]]:
    def producer(key: Any) -> Callable[[bytes], bytes]:
        def produce(data: bytes) -> bytes:
            r, s = decode_dss_signature(key.sign(data, ec.ECDSA(algorithm)))
            return r.to_bytes(32, "big") + s.to_bytes(32, "big")

        return produce

    return producer


def _hmac(name: str) -> Callable[[Any], Callable[[bytes], bytes]]:
    # The classic key-confusion attack: the "secret" is the signer's public certificate.
    def producer(key: Any) -> Callable[[bytes], bytes]:
        return lambda data: hmac.new(KEY_CONFUSION_SECRET, data, name).digest()

    return producer


KEY_CONFUSION_SECRET = b"the signer's certificate, which everyone has"

# id: (key kind, SignatureMethod, DigestMethod, digest hash, how to sign, what is refused)
ALGORITHMS = {
    "sha1-digest": ("ec", ECDSA_SHA256, SHA1, "sha1", _ecdsa(hashes.SHA256()), "digest"),
    "md5-digest": ("ec", ECDSA_SHA256, MD5, "md5", _ecdsa(hashes.SHA256()), "digest"),
    "sha224-digest": ("ec", ECDSA_SHA256, SHA224, "sha224", _ecdsa(hashes.SHA256()), "digest"),
    "rsa-sha1": ("rsa", RSA_SHA1, SHA256, "sha256", _rsa(hashes.SHA1()), "method"),
    "rsa-md5": ("rsa", RSA_MD5, SHA256, "sha256", _rsa(hashes.MD5()), "method"),
    "ecdsa-sha1": ("ec", ECDSA_SHA1, SHA256, "sha256", _ecdsa(hashes.SHA1()), "method"),
    "hmac-sha1": ("ec", HMAC_SHA1, SHA256, "sha256", _hmac("sha1"), "method"),
    "hmac-sha256": ("ec", HMAC_SHA256, SHA256, "sha256", _hmac("sha256"), "method"),
    "dsa-sha1": ("ec", DSA_SHA1, SHA256, "sha256", _ecdsa(hashes.SHA256()), "method"),
    "rsa-pss": ("rsa", RSA_PSS, SHA256, "sha256", _rsa(hashes.SHA256()), "method"),
    "rsa-sha1-and-sha1-digest": ("rsa", RSA_SHA1, SHA1, "sha1", _rsa(hashes.SHA1()), "method"),
    # An allowed method for the other key type: rsa-sha256 with an ECDSA certificate.
    "rsa-sha256-with-ec-key": ("ec", RSA_SHA256, SHA256, "sha256", _ecdsa(hashes.SHA256()), "key"),
}


@pytest.fixture(scope="module")
def rsa_signer(world: World) -> pki.Signer:
    return world.ca.signer(algorithm="rsa")


@pytest.mark.parametrize(
    ("kind", "method", "digest", "digest_hash", "producer", "what"),
    ALGORITHMS.values(),
    ids=ALGORITHMS,
)
def test_an_algorithm_outside_the_allow_list_is_rejected(
    world: World,
    rsa_signer: pki.Signer,
    kind: str,
    method: str,
    digest: str,
    digest_hash: str,
    producer: Callable[[Any], Callable[[bytes], bytes]],
    what: str,
) -> None:
    signer = rsa_signer if kind == "rsa" else world.signer
    data = _sign_with(
        world.signed,
        signer.material.key,
        [signer.certificate],
        method=method,
        digest=digest,
        digest_hash=digest_hash,
        produce=producer(signer.material.key),
    )
    # ICTB-043 (an algorithm outside the allow-list), and nothing else: not ICTB-040.
    error = rejected(world, data, "ICTB-043")
    assert [f.code for f in world.verify(data).report.findings] == ["ICTB-043"]
    assert (
        error.message
        == {
            "method": f"signature method {method} is not allowed",
            "digest": f"digest {digest} is not allowed",
            "key": "the signer's key is not RSA of 2048+ bits",
        }[what]
    )


def test_the_algorithm_test_signer_makes_good_signatures(
    world: World, rsa_signer: pki.Signer
) -> None:
    # The same helper with allowed algorithms verifies: the rejections above are for
    # the algorithm, not for a broken signature.
    for signer, method, producer in (
        (world.signer, ECDSA_SHA256, _ecdsa(hashes.SHA256())),
        (rsa_signer, RSA_SHA256, _rsa(hashes.SHA256())),
    ):
        data = _sign_with(
            world.signed,
            signer.material.key,
            [signer.certificate],
            method=method,
            digest=SHA256,
            digest_hash="sha256",
            produce=producer(signer.material.key),
        )
        assert world.verify(data).report.findings == ()


@pytest.mark.parametrize(
    "canonicalization", [C14N_WITH_COMMENTS, INCLUSIVE_C14N], ids=["with-comments", "inclusive"]
)
def test_another_canonicalization_is_rejected(world: World, canonicalization: str) -> None:
    # Outside the allow-list: an algorithm that is not allowed (ICTB-043).
    data = _sign_with(
        world.signed,
        world.signer.material.key,
        [world.signer.certificate],
        method=ECDSA_SHA256,
        digest=SHA256,
        digest_hash="sha256",
        produce=_ecdsa(hashes.SHA256())(world.signer.material.key),
        canonicalization=canonicalization,
    )
    error = rejected(world, data, "ICTB-043")
    assert error.message == f"canonicalization {canonicalization} is not allowed"


def _weak_key_signer(world: World, key: Any) -> pki.Signer:
    cert = keys.issue_signer_certificate(
        world.ca.ca_key,
        world.ca.ca,
        key.public_key(),
        common="RDML Test Signer",
        facility_name="Naval Medical Center San Diego",
        facility_id="N00259",
        role="MTF Commander",
        not_before=pki.START,
        days=3650,
    )
    return pki.Signer(keys.SigningMaterial(key, cert), world.ca.ca)


@pytest.mark.parametrize(
    "make_key",
    [
        lambda: rsa.generate_private_key(public_exponent=65537, key_size=1024),
        lambda: ec.generate_private_key(ec.SECP521R1()),
        lambda: ec.generate_private_key(ec.SECP256K1()),
    ],
    ids=["rsa-1024", "ecdsa-p521", "ecdsa-secp256k1"],
)
def test_a_key_outside_the_allow_list_is_rejected(
    world: World, make_key: Callable[[], Any]
) -> None:
    signer = _weak_key_signer(world, make_key())
    root = resign(parse(world.signed), signer.material.key, [signer.certificate])
    error = rejected(world, dump(root), "ICTB-043")
    assert "key" in error.message


# ---------------------------------------------------------------- certificates


def _self_signed(
    key: ec.EllipticCurvePrivateKey, subject: x509.Name, issuer: x509.Name | None = None
) -> x509.Certificate:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer or subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(pki.START)
        .not_valid_after(pki.START + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )


def _attacker_resigns(world: World, certificates: Callable[[Any], list[x509.Certificate]]) -> bytes:
    """The attacker changes the brief and signs it again with their own key."""
    key = ec.generate_private_key(ec.SECP256R1())
    root = parse(world.signed)
    _forge(brief_of(root))
    return dump(resign(root, key, certificates(key)))


def test_an_attackers_self_signed_certificate_is_not_trusted(world: World) -> None:
    # Same subject as the genuine signer, so only the chain tells them apart.
    data = _attacker_resigns(
        world, lambda key: [_self_signed(key, world.signer.certificate.subject)]
    )
    error = rejected(world, data, "ICTB-043")
    assert error.message.startswith("the signer is not trusted at the signing time 2026-11-22: ")
    assert world.verify(data).report.codes() == ["ICTB-043"]  # the signature itself is fine


def test_a_certificate_claiming_the_trusted_ca_as_issuer_is_not_trusted(world: World) -> None:
    data = _attacker_resigns(
        world,
        lambda key: [_self_signed(key, world.signer.certificate.subject, world.ca.ca.subject)],
    )
    rejected(world, data, "ICTB-043")


def test_a_rogue_ca_with_the_trusted_ca_name_is_not_trusted(world: World) -> None:
    rogue = pki.make_pki("ICTB Test CA")  # the same name as the trusted CA
    signer = rogue.signer()
    data = _attacker_resigns(world, lambda key: [])
    root = resign(parse(data), signer.material.key, [signer.certificate, rogue.ca])
    rejected(world, dump(root), "ICTB-043")


def test_a_certificate_from_a_ca_outside_the_trust_store_is_not_trusted(world: World) -> None:
    other = pki.make_pki("Another Service CA")
    data = sign_brief(other.signer())
    rejected(world, data, "ICTB-043")
    # ... and is trusted by a gaining facility that does trust that CA.
    assert world.verify(data, trust=other.trust()).report.findings == ()


def test_a_certificate_issued_by_a_facility_certificate_is_not_trusted(world: World) -> None:
    # A facility's own signing certificate is not a CA: it cannot vouch for another key.
    facility = world.signer
    key = ec.generate_private_key(ec.SECP256R1())
    cert = keys.issue_signer_certificate(
        facility.material.key,
        facility.certificate,
        key.public_key(),
        common="Forged Signer",
        facility_name="Naval Medical Center San Diego",
        facility_id="N00259",
        role="MTF Commander",
        not_before=pki.START,
        days=365,
    )
    root = parse(world.signed)
    _forge(brief_of(root))
    resign(root, key, [cert, facility.certificate])
    rejected(world, dump(root), "ICTB-043")


def test_a_swapped_certificate_breaks_the_signature(world: World) -> None:
    other = world.ca.signer(facility_name="Naval Hospital Camp Pendleton", facility_id="N00183")

    def swap(root: etree._Element) -> None:
        one(root, "//ds:X509Certificate").text = base64.b64encode(
            other.certificate.public_bytes(Encoding.DER)
        ).decode()

    error = rejected(world, edit(world.signed, swap), "ICTB-040")
    assert error.message == "the signature value does not verify with the signer's key"


def test_a_second_trusted_certificate_beside_the_signers_is_rejected(world: World) -> None:
    other = world.ca.signer()

    def add(root: etree._Element) -> None:
        node = etree.SubElement(one(root, "//ds:X509Data"), f"{{{DS}}}X509Certificate")
        node.text = base64.b64encode(other.certificate.public_bytes(Encoding.DER)).decode()

    rejected(world, edit(world.signed, add), "ICTB-040")


def test_a_certificate_without_digital_signature_usage_is_not_trusted(world: World) -> None:
    signer = world.ca.signer(digital_signature=False)
    root = resign(parse(world.signed), signer.material.key, [signer.certificate])
    error = rejected(world, dump(root), "ICTB-043")
    assert "digitalSignature" in error.message


@pytest.mark.parametrize(
    ("not_before", "days"),
    [(pki.START, 30), (pki.SIGNED_AT + dt.timedelta(days=1), 365)],
    ids=["expired-at-signing", "not-yet-valid-at-signing"],
)
def test_a_certificate_not_valid_at_the_signing_time_is_not_trusted(
    world: World, not_before: dt.datetime, days: int
) -> None:
    signer = world.ca.signer(not_before=not_before, days=days)
    assert not keys.valid_at(signer.certificate, pki.SIGNED_AT)
    root = resign(parse(world.signed), signer.material.key, [signer.certificate])
    rejected(world, dump(root), "ICTB-043")


def _paste_signature_from(donor: bytes) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        root.replace(signature_of(root), signature_of(parse(donor)))

    return change


def test_a_signature_pasted_from_another_ictb_is_rejected(world: World) -> None:
    # Another provider's ICTB, genuinely signed by the same trusted commander.
    donor = sign_brief(
        world.signer,
        factories.complete_record(rank="CDR"),
    )
    error = rejected(world, edit(world.signed, _paste_signature_from(donor)), "ICTB-040")
    assert error.message == "the signed content was changed after signing (digest mismatch)"


def test_a_signature_pasted_from_another_document_id_is_rejected(world: World) -> None:
    record = factories.complete_record()
    brief = build.assemble(
        record, factories.assignment(), issued_on=factories.AS_OF, document_id=None
    )
    donor = signing.sign(
        brief, "x", world.signer.material, signed_at=pki.SIGNED_AT, policy=policy.default()
    ).xml
    assert donor is not None
    error = rejected(world, edit(world.signed, _paste_signature_from(donor)), "ICTB-040")
    assert error.message == "the signature does not refer to the brief"


# ---------------------------------------------------------------- who signed, and when


def test_a_signer_from_another_facility_is_an_error(world: World) -> None:
    other = world.ca.signer(facility_name="Naval Hospital Camp Pendleton", facility_id="N00183")
    report = world.verify(sign_brief(other)).report
    assert report.codes() == ["ICTB-044"]
    (error,) = report.errors
    assert error.message == (
        "the signer's certificate is for Naval Hospital Camp Pendleton, not the sending "
        "facility Naval Medical Center San Diego (N00259)"
    )
    assert not report.accepted()
    assert_clean(report)


def test_a_signer_role_outside_the_policy_is_a_warning(world: World) -> None:
    brief = build.assemble(
        factories.complete_record(),
        factories.assignment(),
        issued_on=factories.AS_OF,
        document_id=factories.DOCUMENT_ID,
    )
    data = signing.sign(
        brief,
        "x",
        world.signer.material,
        signed_at=pki.SIGNED_AT,
        policy=policy.default(),
        signer_role="Chief of Staff",
    ).xml
    assert data is not None
    report = world.verify(data).report
    assert report.codes() == ["ICTB-042"]
    assert report.warnings[0].severity is Severity.WARNING
    assert "'Chief of Staff'" in report.warnings[0].message
    assert report.accepted() and not report.accepted(strict=True)


def test_signed_after_the_as_of_date_is_rejected(world: World) -> None:
    error = rejected(world, world.signed, "ICTB-041", as_of=factories.AS_OF - dt.timedelta(days=1))
    assert error.message == "signed on 2026-11-22, after the as-of date"


def test_signed_before_the_file_review_is_rejected(world: World) -> None:
    early = dt.datetime(2026, 11, 19, 9, 0, tzinfo=dt.UTC)  # the review was on 2026-11-20
    error = rejected(world, sign_brief(world.signer, signed_at=early), "ICTB-041")
    assert error.message == "signed on 2026-11-19, before the credentials-file review of 2026-11-20"


# ---------------------------------------------------------------- DTDs and entities


def _with_doctype(world: World, doctype: bytes, family: bytes | None = None) -> bytes:
    data = world.signed
    declaration, rest = data.split(b"\n", 1)
    if family is not None:
        rest = rest.replace(b"<family>Castellano</family>", b"<family>" + family + b"</family>")
    return declaration + b"\n" + doctype + b"\n" + rest


HOSTILE_DOCUMENTS: dict[str, Callable[[World], bytes]] = {
    "doctype": lambda w: _with_doctype(w, b"<!DOCTYPE ictb>"),
    "internal-entity": lambda w: _with_doctype(
        w, b'<!DOCTYPE ictb [<!ENTITY n "Castellana">]>', b"&n;"
    ),
    "external-entity": lambda w: _with_doctype(
        w, b'<!DOCTYPE ictb [<!ENTITY x SYSTEM "file:///etc/passwd">]>', b"&x;"
    ),
    "external-dtd": lambda w: _with_doctype(
        w, b'<!DOCTYPE ictb SYSTEM "http://127.0.0.1:9/evil.dtd">'
    ),
    "parameter-entity": lambda w: _with_doctype(
        w, b'<!DOCTYPE ictb [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>'
    ),
    "billion-laughs": lambda w: (HOSTILE / "billion-laughs.xml").read_bytes(),
    "doctype-utf16": lambda w: (HOSTILE / "doctype-utf16.xml").read_bytes(),
}


@pytest.fixture
def no_signature_work(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("signature work was done on a hostile document")

    monkeypatch.setattr(xmldsig, "verify", refuse)
    monkeypatch.setattr(xmldsig, "c14n", refuse)
    monkeypatch.setattr(disclosure, "check", refuse)


@pytest.mark.parametrize("make", HOSTILE_DOCUMENTS.values(), ids=HOSTILE_DOCUMENTS)
def test_a_dtd_or_entity_is_refused_before_any_signature_work(
    world: World, make: Callable[[World], bytes], no_signature_work: None
) -> None:
    with pytest.raises(InputError) as info:
        world.verify(make(world))
    assert info.value.code == "INPUT-002"
    text = str(info.value)
    assert "\n" not in text and "root:" not in text


@pytest.mark.parametrize("make", HOSTILE_DOCUMENTS.values(), ids=HOSTILE_DOCUMENTS)
def test_the_cli_refuses_a_dtd_or_entity_in_one_line(
    world: World,
    make: Callable[[World], bytes],
    tmp_path: Path,
    run_cli: Callable[..., CliResult],
) -> None:
    path = tmp_path / "hostile.ictb.xml"
    path.write_bytes(make(world))
    trust = world.ca.trust_file(tmp_path)
    result = run_cli("verify", path, "--trust", trust, "--as-of", "2026-11-22")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("ictb: error:")]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(f"ictb: error: {path}:")
    assert "Traceback" not in result.stderr + result.stdout
    assert "root:" not in result.stderr + result.stdout


# ---------------------------------------------------------------- what is read afterwards


def _forged_brief_in_root_object(root: etree._Element) -> None:
    forged = parse(etree.tostring(brief_of(root)))
    _forge(forged)
    forged.set("Id", "ictb-forged")
    etree.SubElement(root, f"{{{DS}}}Object").append(forged)


def _forged_personal_data_in_root_object(root: etree._Element) -> None:
    forged = parse(etree.tostring(one(root, "/i:ictb/i:personal_data")))
    one(forged, "//i:value[@id='pd-ssn']/i:text").text = "912-47-3087"
    etree.SubElement(root, f"{{{DS}}}Object").append(forged)


def _release_claiming_withheld(root: etree._Element) -> None:
    release = etree.SubElement(root, q("release"))
    etree.SubElement(release, q("target")).text = "Host nation"
    for name in ("ssn", "dob", "home_address", "dea_number"):
        etree.SubElement(release, q("withheld_field")).text = name


OUTSIDE_THE_SIGNATURE = {
    "release-marking-claiming-values-withheld": _release_claiming_withheld,
}


@pytest.mark.parametrize("change", OUTSIDE_THE_SIGNATURE.values(), ids=OUTSIDE_THE_SIGNATURE)
def test_only_the_signed_content_is_read_after_verification(
    world: World, change: Callable[[etree._Element], None]
) -> None:
    result = world.verify(edit(world.signed, change))
    assert result.report.errors == (), result.report.findings
    assert "RED-010" not in result.report.codes()  # nothing was really withheld
    assert result.report.facts["withheld"] == []
    brief = result.brief
    assert brief is not None and brief.provider is not None
    # The release marking is by design outside the certified content; all else is signed.
    assert same_content(dataclasses.replace(brief, release=None), world.expected)
    assert brief.provider.name is not None and brief.provider.name.family == "Castellano"
    assert brief.provider.ssn == factories.SSN
    assert brief.npdb is not None and brief.npdb.reported is False


@pytest.mark.parametrize(
    "change",
    [_forged_brief_in_root_object, _forged_personal_data_in_root_object],
    ids=["forged-brief-in-a-root-object", "forged-personal-data-in-a-root-object"],
)
def test_a_stray_ds_element_beside_the_signature_is_rejected(
    world: World, change: Callable[[etree._Element], None]
) -> None:
    # The profile allows exactly one ds:Signature beside the brief, nothing else from ds:.
    result = world.verify(edit(world.signed, change))
    assert result.brief is None
    assert result.report.codes() == ["ICTB-040"]
    assert "only one ds:Signature" in result.report.findings[0].message


def test_a_second_brief_after_the_signature_is_never_read(world: World) -> None:
    def add(root: etree._Element) -> None:
        forged = parse(etree.tostring(brief_of(root)))
        _forge(forged)
        forged.set("Id", "ictb-forged")
        root.append(forged)

    result = world.verify(edit(world.signed, add))
    assert result.brief is None
    assert result.report.codes() == ["INPUT-004"]
    assert_clean(result.report)


# ---------------------------------------------------------------- through the CLI


CLI_ATTACKS = {
    "ssn-digit": (DISCLOSED_VALUE_CHANGES["ssn-digit"], "ICTB-040"),
    "comment-in-family-name": (INJECTIONS["comment-in-family-name"], "ICTB-040"),
    "forged-brief-genuine-in-root-object": (
        WRAPPING["forged-brief-genuine-in-root-object"][0],
        "ICTB-040",
    ),
    "text-value-family-name": (SIGNED_CONTENT_CHANGES["text-value-family-name"], "ICTB-040"),
    "forged-value-shadowed-by-genuine": (_duplicate_value(first=True), "ICTB-040"),
}


@pytest.mark.parametrize(("change", "code"), CLI_ATTACKS.values(), ids=CLI_ATTACKS)
def test_the_cli_rejects_an_attack_without_leaking_values(
    world: World,
    change: Callable[[etree._Element], None],
    code: str,
    tmp_path: Path,
    run_cli: Callable[..., CliResult],
) -> None:
    path = tmp_path / "attack.ictb.xml"
    path.write_bytes(edit(world.signed, change))
    trust = world.ca.trust_file(tmp_path)
    result = run_cli("verify", path, "--trust", trust, "--as-of", "2026-11-22", "--format", "json")
    assert result.exit_code == 1, result.stderr
    (document,) = result.json()["documents"]
    assert document["verdict"] == "invalid"
    assert code in [f["code"] for f in document["findings"]]
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    for secret in SENSITIVE:
        assert secret not in output, secret
    assert json.dumps(document)  # a plain JSON document


# ---------------------------------------------------------------- the ends of the calendar


@pytest.mark.parametrize(
    "moment",
    ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "9999-12-31T23:59:59Z"],
)
def test_a_certified_signing_time_at_the_end_of_the_calendar_is_untrusted(
    world: World, moment: str
) -> None:
    # Signed as it stands (the signer certified that time): the chain is checked at a
    # time no certificate covers, which is a finding, not an overflow.
    def change(root: etree._Element) -> None:
        one(root, "//i:certification/i:signed_at").text = moment
        disclosure.bind(root, brief_of(root))
        resign(root, world.signer.material.key, [world.signer.certificate])

    found = rejected(world, edit(world.signed, change), "ICTB-043")
    assert "not trusted at the signing time" in found.message
