"""``build``: turn a credential record into an ICTB (Encl. 4 §5f).

The rules run on the brief that would be written, through the same engine ``check``
uses, so what ``build`` refuses and what ``check`` rejects cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from ictb import ictb_xml, rules, schema
from ictb.findings import Finding, Report, finding
from ictb.model import (
    LICENSURE_KINDS,
    Brief,
    Certification,
    CredentialKind,
    CredentialList,
    CredentialRecord,
    Facility,
    Period,
    Source,
)
from ictb.policy import Policy


@dataclass(frozen=True)
class Assignment:
    """Where the provider goes, why (§5f(8)), and when (§5e)."""

    gaining: Facility
    purpose: str | None
    periods: tuple[Period, ...]
    appraisal_request: str | None = None


@dataclass(frozen=True)
class BuildResult:
    report: Report
    brief: Brief | None
    xml: bytes | None  # None when the build was refused


def assemble(
    record: CredentialRecord,
    assignment: Assignment,
    *,
    issued_on: dt.date,
    document_id: str | None = None,
    supersedes: str | None = None,
) -> Brief:
    """The ICTB that the record and the assignment make; nothing is checked here."""
    creds = record.credentials

    def listing(*kinds: CredentialKind) -> CredentialList:
        chosen = tuple(c for c in creds if c.kind in kinds)
        return CredentialList(credentials=chosen, none=not chosen)

    official = record.certifying_official
    provider = record.provider
    return Brief(
        document_id=document_id or str(uuid.uuid4()),
        issued_on=issued_on,
        supersedes=supersedes,
        sending=record.sending_facility or Facility(id=""),
        gaining=assignment.gaining,
        purpose=assignment.purpose,
        appraisal_request=assignment.appraisal_request,
        periods=assignment.periods,
        provider=provider,
        education=record.education,
        # §5f(3) has no "none": an empty list is reported by ICTB-003.
        licensure=CredentialList(credentials=tuple(c for c in creds if c.kind in LICENSURE_KINDS)),
        boards=listing(CredentialKind.BOARD),
        life_support=listing(CredentialKind.LIFE_SUPPORT),
        privileges=record.privileges if provider.is_privileged else None,
        non_privileged=not provider.is_privileged,
        npdb=record.npdb,
        hipdb=record.hipdb,
        observer=record.observer,
        file_review=record.file_review,
        point_of_contact=record.point_of_contact,
        certification=Certification(
            name=official.name if official else None,
            role=official.role if official else None,
            signed_on=issued_on,
        ),
        reserve=record.reserve,
        remarks=record.remarks,
        attachments=record.attachments,
        sources={n: Source.MANUAL for n in record.manual_elements},
    )


def build(
    record: CredentialRecord,
    assignment: Assignment,
    *,
    issued_on: dt.date,
    policy: Policy,
    source: str,
    document_id: str | None = None,
    supersedes: str | None = None,
) -> BuildResult:
    """Assemble, check and serialize an ICTB; refuse (``xml`` None) on any error."""
    brief = assemble(
        record, assignment, issued_on=issued_on, document_id=document_id, supersedes=supersedes
    )
    found: list[Finding] = []
    if record.sending_facility is None:
        found.append(
            finding("INPUT-004", "the record names no sending_facility", "/credential_record")
        )
    context = rules.Context(
        brief=brief, as_of=issued_on, policy=policy, record=record, purpose="build"
    )
    found += rules.evaluate(context, rules.BUILD_CODES)
    report = Report(source, tuple(found), {"gaining_facility": assignment.gaining.id})
    if report.errors:
        return BuildResult(report, None, None)
    root = ictb_xml.to_element(brief)
    problems = schema.errors(root, schema.ICTB_XSD)
    if problems:
        # A value the record schema allows but the ICTB schema does not: refuse, precisely.
        extra = [finding("INPUT-004", f"the ICTB would not fit ictb.xsd: {m}") for _, m in problems]
        return BuildResult(report.with_findings(extra), None, None)
    return BuildResult(report, brief, ictb_xml.to_bytes(brief))
