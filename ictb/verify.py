"""``verify``: is this ICTB authentic, certified by a trusted facility, and still valid?

Steps, in order; each failure is a finding and stops the steps after it:

1. parse with the hardened parser and validate against the schema;
2. verify the XML Signature over the ``brief`` (strict profile: ``ictb.xmldsig``);
3. from here on read only the signed content, re-parsed from its canonical bytes;
4. check every personal value still present against its certified salted digest;
5. chain the signer's certificate to the trust store, valid at the signing time, with
   the digitalSignature key usage (ICTB-043);
6. the §5f(12) date, the signer's role and organization (ICTB-041, 042, 044);
7. the ``check`` rules on the signed content at the as-of date.

There is no default trust store and no fallback to the system's CAs.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from typing import Any

from lxml import etree

from ictb import check as check_module
from ictb import disclosure, ictb_xml, keys, schema, xmldsig, xmlmap, xmlsafe
from ictb.errors import InputError
from ictb.findings import Finding, Report, finding
from ictb.model import Brief, Certification, Facility
from ictb.policy import Policy

BRIEF = "/ictb/brief"
SIGNATURE = "/ictb/Signature"


@dataclass(frozen=True)
class VerifyOptions:
    trust: keys.TrustStore
    as_of: dt.date
    policy: Policy
    check: check_module.CheckOptions | None = None  # None: signature and trust only


@dataclass(frozen=True)
class Verification:
    """The outcome: the report, and the brief read from the signed content (if any).

    The brief is built only when someone asks for it: a signature-only verification
    never needs the whole model.
    """

    report: Report
    read: Callable[[], Brief | None] = field(default=lambda: None, repr=False, compare=False)

    @cached_property
    def brief(self) -> Brief | None:
        return self.read()


@dataclass(frozen=True)
class SignedHeader:
    """The few signed facts the signer findings need (§5f(10), §5f(12), the sender)."""

    certification: Certification | None
    reviewed_on: dt.date | None
    sending: Facility

    @classmethod
    def read(cls, body: etree._Element) -> SignedHeader:
        cert = body.find(ictb_xml.q("certification"))
        sending = body.find(ictb_xml.q("sending_facility"))
        assert sending is not None  # the schema requires it
        reviewed = body.findtext(f"{ictb_xml.q('file_review')}/{ictb_xml.q('reviewed_on')}")
        return cls(
            certification=xmlmap.read(Certification, cert) if cert is not None else None,
            reviewed_on=dt.date.fromisoformat(reviewed.strip()) if reviewed else None,
            sending=xmlmap.read(Facility, sending),
        )


def verify(raw: bytes, source: str, options: VerifyOptions) -> Verification:
    root = xmlsafe.parse_bytes(raw, source)
    ictb_xml.check_root(root, source)
    problems = schema.errors(root, schema.ICTB_XSD)
    if problems:
        found = [finding("INPUT-004", m, f"line {line}" if line else None) for line, m in problems]
        return Verification(Report(source, tuple(found)))
    body = root.find(ictb_xml.q("brief"))
    assert body is not None  # the schema requires it as the first child
    try:
        verified = xmldsig.verify(root, body)
    except xmldsig.SignatureProblem as problem:
        code = "ICTB-043" if problem.kind == "algorithm" else "ICTB-040"
        return Verification(Report(source, (finding(code, str(problem), SIGNATURE),)))
    # Only what the signature covered is read from here on.
    signed_body = xmlsafe.parse_bytes(verified.signed_bytes, source)
    disclosed = disclosure.check(root, signed_body)
    if disclosed.problems:
        found = [finding("ICTB-040", p, "/ictb/personal_data") for p in disclosed.problems]
        return Verification(Report(source, tuple(found), _facts(verified)))
    header = SignedHeader.read(signed_body)

    @cache
    def read_brief() -> Brief:
        document = _signed_document(root, copy.deepcopy(signed_body))
        return replace(ictb_xml.from_element(document, source), signed=True)

    signed_at = _signing_time(header.certification)
    found = list(_signer_findings(header, verified, signed_at, options))
    if disclosed.withheld:
        found.append(
            finding(
                "RED-010",
                "withheld from this copy: " + ", ".join(sorted(disclosed.withheld)),
                "/ictb/personal_data",
            )
        )
    facts = {
        **_facts(verified),
        "signed_at": signed_at.isoformat().replace("+00:00", "Z"),
        "withheld": sorted(disclosed.withheld),
        "release_copy": root.find(ictb_xml.q("release")) is not None or bool(disclosed.withheld),
    }
    if facts["release_copy"]:
        from ictb import redaction

        # RED-007: nothing that lets a withheld value be guessed may stay behind.
        found += redaction.recoverable(root, set(disclosed.withheld))
    trusted = not any(f.code in ("ICTB-043",) for f in found)
    if options.check is not None and trusted:
        check_options = replace(options.check, release=bool(facts["release_copy"]))
        checked = check_module.check(read_brief(), source, check_options)
        found += checked.findings
        facts.update(checked.facts)
    return Verification(Report(source, tuple(found), facts), read_brief)


def _signed_document(root: etree._Element, signed_body: etree._Element) -> etree._Element:
    """A document whose brief is the signed content, with the verified personal data."""
    document = etree.Element(root.tag, nsmap=root.nsmap, attrib=dict(root.attrib))
    document.append(signed_body)
    for name in ("personal_data", "release"):
        node = root.find(ictb_xml.q(name))
        if node is not None:
            document.append(copy.deepcopy(node))
    return document


def _signing_time(cert: Certification | None) -> dt.datetime:
    if cert is not None and cert.signed_at is not None:
        return cert.signed_at
    if cert is not None and cert.signed_on is not None:
        # No time of day was certified: take the middle of the certified day.
        return dt.datetime.combine(cert.signed_on, dt.time(12), tzinfo=dt.UTC)
    raise InputError("the signed content has no §5f(12) signature date", code="INPUT-004")


def _facts(verified: xmldsig.Verified) -> dict[str, Any]:
    cert = verified.signer
    return {
        "signer": {
            "name": keys.common_name(cert),
            "organization": keys.organization(cert),
            "unit": keys.organizational_unit(cert),
            "issuer": cert.issuer.rfc4514_string(),
            "fingerprint_sha256": keys.fingerprint(cert),
            "signature_method": verified.signature_method,
        }
    }


def _signer_findings(
    header: SignedHeader,
    verified: xmldsig.Verified,
    signed_at: dt.datetime,
    options: VerifyOptions,
) -> list[Finding]:
    found = []
    problem = keys.chain_problem(verified.signer, verified.others, options.trust, signed_at)
    if problem is not None or not keys.has_digital_signature(verified.signer):
        why = problem or "the certificate lacks the digitalSignature key usage"
        found.append(
            finding(
                "ICTB-043",
                f"the signer is not trusted at the signing time {signed_at:%Y-%m-%d}: {why}",
                SIGNATURE,
            )
        )
    cert_block = header.certification
    signed_on = cert_block.signed_on if cert_block is not None else None
    review = header.reviewed_on
    if signed_on is not None and signed_on > options.as_of:
        found.append(finding("ICTB-041", f"signed on {signed_on}, after the as-of date", BRIEF))
    if signed_on is not None and review is not None and signed_on < review:
        found.append(
            finding(
                "ICTB-041",
                f"signed on {signed_on}, before the credentials-file review of {review}",
                BRIEF,
            )
        )
    role = cert_block.role if cert_block is not None else None
    if not role or not options.policy.is_certifying_role(role):
        found.append(
            finding(
                "ICTB-042",
                f"the signer's role {role!r} is neither MTF commander nor a listed agency official",
                f"{BRIEF}/certification/role",
            )
        )
    org = keys.organization(verified.signer)
    unit = keys.organizational_unit(verified.signer)
    sending = header.sending
    if not (org and org in (sending.name, sending.id)) and unit != sending.id:
        found.append(
            finding(
                "ICTB-044",
                f"the signer's certificate is for {org or '(no organization)'}, not the "
                f"sending facility {sending.display()}",
                SIGNATURE,
            )
        )
    return found
