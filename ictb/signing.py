"""``sign``: the certifying signature of the MTF commander or agency official (§5f(12)).

The signature covers the ``brief``: every §5f element, the signer's name and role and
the signing time, and a salted digest of every withholdable value.  The values
themselves and their salts stay outside it, so a host-nation copy without them still
verifies (SPEC "Signatures").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from lxml import etree

from ictb import disclosure, ictb_xml, keys, rules, schema, xmldsig, xmlmap, xmlsafe
from ictb.errors import IctbError, KeyMaterialError
from ictb.findings import Report
from ictb.model import Brief, Certification
from ictb.policy import Policy

SIGN_CODES = rules.SIGN_BLOCKING | {"RED-021"}


@dataclass(frozen=True)
class SignResult:
    report: Report
    xml: bytes | None  # None when signing was refused


def check_material(material: keys.SigningMaterial, when: dt.datetime) -> None:
    """Refuse key material that must not certify anything (exit 3)."""
    cert = material.certificate
    if not keys.public_key_matches(material.key, cert):
        raise KeyMaterialError("the private key does not belong to the signing certificate")
    if not keys.has_digital_signature(cert):
        raise KeyMaterialError("the signing certificate lacks the digitalSignature key usage")
    if not keys.valid_at(cert, when):
        raise KeyMaterialError(
            f"the signing certificate is not valid at {when:%Y-%m-%dT%H:%M:%SZ} "
            f"(valid {cert.not_valid_before_utc:%Y-%m-%d} to {cert.not_valid_after_utc:%Y-%m-%d})"
        )


def sign(
    brief: Brief,
    source: str,
    material: keys.SigningMaterial,
    *,
    signed_at: dt.datetime,
    policy: Policy,
    signer_name: str | None = None,
    signer_role: str | None = None,
    document: etree._Element | None = None,
) -> SignResult:
    """Certify ``brief``: refuse on any content error, else return the signed document.

    ``document`` is the schema-valid document ``brief`` was read from, when the caller
    has it: it is then signed in place instead of being written out again.
    """
    if brief.signed:
        raise IctbError("already signed; build a new ICTB to certify again", path=source)
    if brief.release is not None or brief.withheld:
        raise IctbError("a release copy cannot be certified", path=source)
    check_material(material, signed_at)
    current = brief.certification or Certification()
    certified = replace(
        brief,
        certification=Certification(
            name=signer_name or current.name,
            role=signer_role or current.role,
            signed_on=signed_at.date(),
            signed_at=signed_at.replace(microsecond=0),
        ),
    )
    context = rules.Context(brief=certified, as_of=signed_at.date(), policy=policy, purpose="sign")
    report = Report(source, tuple(rules.evaluate(context, SIGN_CODES)))
    if report.errors:
        return SignResult(report, None)
    root = _in_place(document, certified) if document is not None else None
    if root is None:
        # Lay the document out for people first: whitespace inside the signed content is
        # part of what is signed, so nothing may re-indent it afterwards.
        root = xmlsafe.parse_bytes(ictb_xml.to_bytes(certified), source)
    schema.require_valid(root, schema.ICTB_XSD, source)
    body = root.find(ictb_xml.q("brief"))
    assert body is not None
    disclosure.bind(root, body)
    xmldsig.sign(
        root,
        body,
        material.key,
        [material.certificate, *material.chain],
        before=root.find(ictb_xml.q("release")),
    )
    _indent_signature(root)
    return SignResult(report, xmlsafe.serialize(root, pretty=False))


def _in_place(document: etree._Element, brief: Brief) -> etree._Element | None:
    """The document with its §5f(12) block replaced by ``brief``'s, or None if it has none."""
    body = document.find(ictb_xml.q("brief"))
    old = body.find(ictb_xml.q("certification")) if body is not None else None
    if old is None or brief.certification is None:
        return None
    new = xmlmap.write(brief.certification, "certification", ictb_xml.NS)
    if old.get("source"):
        new.set("source", old.get("source", ""))
    etree.indent(new, space="  ", level=2)  # as the rest of the brief is laid out
    new.tail = old.tail
    old.getparent().replace(old, new)  # type: ignore[union-attr]
    return document


def _indent_signature(root: etree._Element) -> None:
    # Only the whitespace between the document's top-level children: outside every
    # signed element, so it changes nothing the signature covers.
    for child in root:
        child.tail = "\n"
    if len(root):
        root.text = "\n"
