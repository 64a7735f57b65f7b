"""DHS detailee credential-verification packets (``xsd/detailee-packet.xsd``).

Under the DHS Medical Quality Management directive a component relies on the detailing
federal agency's credentialing of a detailee, asks that agency to verify it, and sends a
copy to the ASHA/CMO (§VI.D); detailees and contractors must hold the licenses,
certifications and registrations the designated medical services require before they
deliver care (§V.B.2).  Only the DHS rules apply to a packet (RULES.md Interp. A28).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from ictb import schema, xmlmap, xmlsafe
from ictb.errors import IctbError, InputError
from ictb.findings import Finding, Report, Severity, finding
from ictb.model import IssuerType, PersonName, items

NS = "urn:ictb:detailee-packet:1"
XSD = "detailee-packet.xsd"
ROOT = "detailee_packet"


class PersonType(StrEnum):
    DETAILEE = "detailee"
    CONTRACTOR = "contractor"
    EMPLOYEE = "employee"
    APPLICANT = "applicant"


class AgencyType(StrEnum):
    FEDERAL = "federal"
    DHS_COMPONENT = "dhs_component"
    STATE = "state"
    LOCAL = "local"
    PRIVATE = "private"
    FOREIGN = "foreign"


class VerificationResult(StrEnum):
    CONFIRMED = "confirmed"
    NOT_CONFIRMED = "not_confirmed"
    PENDING = "pending"


class QualificationKind(StrEnum):
    LICENSE = "license"
    CERTIFICATION = "certification"
    REGISTRATION = "registration"


@dataclass(frozen=True)
class Person:
    person_type: PersonType
    name: PersonName | None = None
    position_title: str | None = None
    discipline: str | None = None
    ssn: str | None = None  # never reported (DHS-040)
    dob: dt.date | None = None  # never reported (DHS-040)


@dataclass(frozen=True)
class DetailingAgency:
    type: AgencyType
    name: str | None = None
    dod_mtf: bool | None = None


@dataclass(frozen=True)
class DetailPeriod:
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class HomeCredentialing:
    agency: str | None = None
    on: dt.date | None = None
    scope: str | None = None


@dataclass(frozen=True)
class Verification:
    requested_on: dt.date | None = None
    confirmed_on: dt.date | None = None
    result: VerificationResult | None = None


@dataclass(frozen=True)
class CmoCopy:
    on: dt.date | None = None
    recipient: str | None = None
    includes_response: bool | None = None


@dataclass(frozen=True)
class Requirement:
    kind: QualificationKind
    body: str | None = None
    description: str | None = None

    def label(self) -> str:
        what = self.description or self.kind.value
        return f"{what} ({self.body})" if self.body and self.body not in what else what


@dataclass(frozen=True)
class Qualification:
    kind: QualificationKind
    title: str | None = None
    issuer: str | None = None
    issuer_type: IssuerType | None = None
    body: str | None = None
    number: str | None = None
    effective_on: dt.date | None = None
    expires_on: dt.date | None = None
    renewed_to: dt.date | None = None

    def label(self) -> str:
        what = self.title or self.kind.value
        source = self.body or self.issuer
        return f"{what} ({source})" if source else what

    @property
    def good_through(self) -> dt.date | None:
        """The expiry, or the date a recorded renewal runs to."""
        if self.renewed_to is not None and (
            self.expires_on is None or self.renewed_to > self.expires_on
        ):
            return self.renewed_to
        return self.expires_on


@dataclass(frozen=True)
class AshaCredentialing:
    on: dt.date | None = None
    psv_education: bool | None = None
    psv_license: bool | None = None
    psv_certification: bool | None = None


@dataclass(frozen=True)
class SignedIctb:
    embedded: bytes | None = None
    file: str | None = None


@dataclass(frozen=True, kw_only=True)
class Packet:
    packet_id: str | None = None
    serving_component: str
    component_unit: str | None = None
    services_for_uscg: bool | None = None
    purpose_healthcare: bool
    designated_services: tuple[str, ...] = items("designated_service")
    person: Person
    detailing_agency: DetailingAgency | None = None
    detail: DetailPeriod | None = None
    care_start: dt.date | None = None
    home_credentialing: HomeCredentialing | None = None
    verification: Verification | None = None
    cmo_copy: CmoCopy | None = None
    required: tuple[Requirement, ...] = items("required")
    qualifications: tuple[Qualification, ...] = items("qualification")
    asha_credentialing: AshaCredentialing | None = None
    signed_ictb: SignedIctb | None = None
    remarks: str | None = None


def load(path: Path) -> Packet:
    """Read a packet (XML or JSON)."""
    root = schema.parse_document(xmlsafe.read_input(path), str(path), XSD, NS, ROOT)
    return xmlmap.read(Packet, root)


def validate(
    packet: Packet,
    source: str,
    *,
    as_of: dt.date,
    packet_dir: Path,
    trust: object | None = None,
) -> Report:
    """Apply DHS-001..040, and verify an embedded or referenced signed ICTB when a trust
    store (``ictb.keys.TrustStore``) is given, over the whole detail period."""
    from ictb import rules
    from ictb.rules.dhs import DHS_CODES, PacketContext

    context = PacketContext(packet, as_of)
    found = list(rules.evaluate(context, DHS_CODES))
    facts: dict[str, object] = {
        "person": packet.person.name.display() if packet.person.name else None,
        "person_type": packet.person.person_type.value,
        "serving_component": packet.serving_component,
        "detail": [packet.detail.start.isoformat(), packet.detail.end.isoformat()]
        if packet.detail
        else None,
        "in_scope": context.in_scope,
    }
    if packet.signed_ictb is not None and context.in_scope:
        if trust is None:
            facts["signed_ictb"] = "present, not verified (give --trust to verify it)"
        else:
            ictb_findings = _verify_ictb(packet, source, as_of, packet_dir, trust)
            found += ictb_findings
            errors = any(f.severity is Severity.ERROR for f in ictb_findings)
            facts["signed_ictb"] = "rejected" if errors else "verified"
    return Report(source, tuple(found), facts)


SIGNED_ICTB = "/detailee_packet/signed_ictb"


def _verify_ictb(
    packet: Packet, source: str, as_of: dt.date, packet_dir: Path, trust: object
) -> list[Finding]:
    from ictb import check, keys, policy, verify
    from ictb.model import Period

    assert packet.signed_ictb is not None and isinstance(trust, keys.TrustStore)
    if packet.signed_ictb.embedded is not None:
        raw, where = packet.signed_ictb.embedded, f"{source}#signed_ictb"
    else:
        path = packet_dir / (packet.signed_ictb.file or "")
        where = str(path)
        try:
            raw = xmlsafe.read_input(path)
        except IctbError as exc:
            return [finding("INPUT-004", f"signed ICTB {path}: {exc.message}", SIGNED_ICTB)]
    rules_policy = policy.default()
    # The detail is use of the ICTB at the DHS component, not at its own gaining facility.
    periods = (
        (
            Period(
                facility_id=f"DHS {packet.serving_component}",
                start=packet.detail.start,
                end=packet.detail.end,
            ),
        )
        if packet.detail
        else ()
    )
    options = verify.VerifyOptions(
        trust,
        as_of,
        rules_policy,
        check.CheckOptions(as_of=as_of, policy=rules_policy, extra_periods=periods),
    )
    try:
        report = verify.verify(raw, where, options).report
    except InputError as exc:
        return [finding(exc.code, f"signed ICTB: {exc.message}", SIGNED_ICTB)]
    return [
        Finding(
            f.code,
            f.severity,
            f"signed ICTB: {f.message}",
            f"{SIGNED_ICTB}{f.location or ''}",
            f.source,
        )
        for f in report.findings
    ]
